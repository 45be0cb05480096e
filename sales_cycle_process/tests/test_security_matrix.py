from odoo.tests import TransactionCase, new_test_user, tagged

ROLES = {
    "salesperson": "sales_team.group_sale_salesman",
    "engineer": "sales_cycle_process.group_application_engineer",
    "admin": "sales_cycle_process.group_sales_admin",
    "manager": "sales_team.group_sale_manager",
    "director": "sales_cycle_process.group_managing_director",
    "portal": "base.group_portal",
    "public": "base.group_public",
}
OPERATIONS = {"r": "read", "w": "write", "c": "create", "u": "unlink"}
ALL, NONE = "rwcu", ""
EVERY_USER = dict.fromkeys(("salesperson", "engineer", "admin", "manager", "director"), ALL)

# What each role may do with each model of the addon (model access; record rules come on top).
# Portal and public users may do nothing with any of them. A new model must add its row here.
MATRIX = {
    "scp.cadence.rule": {"salesperson": "r", "engineer": "r", "admin": "r", "manager": ALL, "director": ALL},
    "scp.cadence.state": {
        "salesperson": "rw",
        "engineer": "rw",
        "admin": "rw",
        "manager": ALL,
        "director": ALL,
    },
    "scp.visit.report": {
        "salesperson": "rwc",
        "engineer": "rwc",
        "admin": "rwc",
        "manager": ALL,
        "director": ALL,
    },
    "crm.stage.exit.criterion": {
        "salesperson": "r",
        "engineer": "r",
        "admin": "r",
        "manager": ALL,
        "director": ALL,
    },
    "crm.lead.criterion.check": {
        "salesperson": "rwc",
        "engineer": "rwc",
        "admin": "rwc",
        "manager": ALL,
        "director": ALL,
    },
    "crm.lead.buying.influence": EVERY_USER,
    "crm.lead.probability.override.wizard": {"manager": ALL, "director": ALL},
    "crm.lead.stage.force.wizard": {"manager": ALL, "director": ALL},
    "scp.ladder.settings.wizard": {"manager": ALL, "director": ALL},
    "sale.corrective.action": {
        "salesperson": "rwc",
        "engineer": "rwc",
        "admin": ALL,
        "manager": ALL,
        "director": ALL,
    },
    "scp.sales.target": {"salesperson": "r", "engineer": "r", "admin": "r", "manager": ALL, "director": ALL},
    # Snapshots: created by submitting, never written or deleted (the models refuse it for everybody).
    "scp.sales.commit": dict.fromkeys(EVERY_USER, "rc"),
    "scp.sales.commit.line": dict.fromkeys(EVERY_USER, "rc"),
    "scp.sales.forecast": dict.fromkeys(EVERY_USER, "rc"),
    "scp.sales.forecast.line": dict.fromkeys(EVERY_USER, "rc"),
    "scp.commit.wizard": EVERY_USER,
    "scp.commit.wizard.line": EVERY_USER,
    "scp.forecast.wizard": EVERY_USER,
    "scp.forecast.wizard.line": EVERY_USER,
    "scp.forecast.consolidation": {"manager": ALL, "director": ALL},
    "scp.forecast.consolidation.line": {"manager": ALL, "director": ALL},
    "scp.forecast.analysis": dict.fromkeys(EVERY_USER, "r"),
    # QPA log: written by submitting and deciding (as superuser), read by every role.
    "scp.qpa.log": dict.fromkeys(EVERY_USER, "r"),
}


@tagged("post_install", "-at_install")
class TestSecurityMatrix(TransactionCase):
    """Every model of the addon × every role × read/write/create/unlink against the table above."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = {
            role: new_test_user(cls.env, f"matrix_{role}", groups=group) for role, group in ROLES.items()
        }

    def test_every_model_of_the_addon_is_in_the_matrix(self):
        model_ids = (
            self.env["ir.model.data"]
            .search([("module", "=", "sales_cycle_process"), ("model", "=", "ir.model")])
            .mapped("res_id")
        )
        ours = {
            model.model
            for model in self.env["ir.model"].browse(model_ids)
            if not self.env[model.model]._abstract
            and self.env[model.model]._original_module == "sales_cycle_process"
        }
        self.assertEqual(ours, set(MATRIX), "the matrix must list exactly the addon's models")

    def test_each_role_may_do_exactly_what_the_matrix_says(self):
        mismatches = []
        for model, rights in MATRIX.items():
            for role, user in self.users.items():
                allowed = rights.get(role, NONE)
                for letter, operation in OPERATIONS.items():
                    has = self.env[model].with_user(user).has_access(operation)
                    if has != (letter in allowed):
                        mismatches.append(f"{role} {operation} {model}: {'can' if has else 'cannot'}")
        self.assertEqual(mismatches, [])
