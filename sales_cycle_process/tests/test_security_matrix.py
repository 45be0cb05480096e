from datetime import date

from odoo.exceptions import AccessError, UserError
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
    # Compliance rows: written by the planning and by marking activities done, read by the sales roles.
    "scp.cadence.state": {"salesperson": "r", "engineer": "r", "admin": "r", "manager": ALL, "director": ALL},
    "scp.visit.report": {
        "salesperson": "rwc",
        "engineer": "rwc",
        "admin": "rwc",
        "manager": ALL,
        "director": ALL,
    },
    "scp.stage.criterion": {
        "salesperson": "r",
        "engineer": "r",
        "admin": "r",
        "manager": ALL,
        "director": ALL,
    },
    # checklist lines: created by the server, ticked by the users
    "scp.lead.criterion.check": {
        "salesperson": "rw",
        "engineer": "rw",
        "admin": "rw",
        "manager": ALL,
        "director": ALL,
    },
    "scp.buying.influence": EVERY_USER,
    "scp.probability.override.wizard": {"manager": ALL, "director": ALL},
    "scp.stage.force.wizard": {"manager": ALL, "director": ALL},
    # the AE request: a team leader is often a salesperson; the wizard's action checks the requester
    "scp.ae.request.wizard": EVERY_USER,
    "scp.ladder.settings.wizard": {"manager": ALL, "director": ALL},
    "scp.corrective.action": {
        "salesperson": "rwc",
        "engineer": "rwc",
        "admin": ALL,
        "manager": ALL,
        "director": ALL,
    },
    "scp.sales.target": {"salesperson": "r", "engineer": "r", "admin": "r", "manager": ALL, "director": ALL},
    # Snapshots: created only by submitting (in sudo, after its checks), never written or deleted (the
    # models refuse it for everybody).
    "scp.sales.commit": dict.fromkeys(EVERY_USER, "r"),
    "scp.sales.commit.line": dict.fromkeys(EVERY_USER, "r"),
    "scp.sales.forecast": dict.fromkeys(EVERY_USER, "r"),
    "scp.sales.forecast.line": dict.fromkeys(EVERY_USER, "r"),
    "scp.commit.wizard": EVERY_USER,
    "scp.commit.wizard.line": EVERY_USER,
    "scp.forecast.wizard": EVERY_USER,
    "scp.forecast.wizard.line": EVERY_USER,
    "scp.forecast.analysis": dict.fromkeys(EVERY_USER, "r"),
    # QPA log: written by submitting and deciding (as superuser), read by every role.
    "scp.qpa.log": dict.fromkeys(EVERY_USER, "r"),
    # a team leader may be a salesperson: the wizard checks who overrides when it is applied
    "scp.commit.override.wizard": EVERY_USER,
    # the monthly project list: written with its forecast; action plans: the guards and rules decide
    "scp.sales.forecast.deal": dict.fromkeys(EVERY_USER, "r"),
    "scp.action.plan": EVERY_USER,
    "scp.action.plan.item": EVERY_USER,
    # Forecast hierarchy: regions kept by the managers; a manager's adjustment is recorded by create, whose
    # server checks let only the node's manager through (team leader, regional manager, managing
    # director); never written or deleted (the model refuses it for everybody).
    "scp.sales.region": {"salesperson": "r", "engineer": "r", "admin": "r", "manager": ALL, "director": ALL},
    "scp.forecast.adjustment": dict.fromkeys(EVERY_USER, "rc"),
    # deal health: which user got which week's stale deals digest, written by the scheduler alone
    "scp.health.digest": {"manager": "r", "director": "r"},
    # Ladder calibration: a report (SQL view), read only; record rules keep a salesperson to the teams they
    # lead; only a sales manager applies a suggestion (checked by the method)
    "scp.ladder.calibration": dict.fromkeys(EVERY_USER, "r"),
    # Pipeline inspection: a user asks for a period (their own, a global rule); its rows are filled by the
    # server (SQL) and only read
    "scp.pipeline.inspection": dict.fromkeys(EVERY_USER, "rwc"),
    "scp.pipeline.change": dict.fromkeys(EVERY_USER, "r"),
    # Seller classes (#18): suggested by the server, a manager writes only their class and its reason
    # (the model refuses the rest); a salesperson reads their own confirmed class (record rule)
    "scp.seller.class": {
        "salesperson": "r",
        "engineer": "r",
        "admin": "r",
        "manager": "rw",
        "director": "rw",
    },
    # Visit preparation checklist: kept by the managers, read (and ticked on reports) by everybody
    "scp.visit.prep.item": {
        "salesperson": "r",
        "engineer": "r",
        "admin": "r",
        "manager": ALL,
        "director": ALL,
    },
    # Order received: the sales admin (or a manager) records the end user; the wizard checks it again
    "scp.end.user.wizard": {"admin": ALL, "manager": ALL, "director": ALL},
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


@tagged("post_install", "-at_install")
class TestRecordRules(TransactionCase):
    """Who sees which records: own team versus other teams, and one company versus another."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.other_company = cls.env["res.company"].create({"name": "Rules Subsidiary"})
        salesman = "sales_team.group_sale_salesman"
        cls.alice = new_test_user(cls.env, "rules_alice", groups=salesman)
        cls.bob = new_test_user(cls.env, "rules_bob", groups=salesman)
        cls.carol = new_test_user(cls.env, "rules_carol", groups=salesman)
        cls.manager = new_test_user(cls.env, "rules_manager", groups="sales_team.group_sale_manager")
        cls.director = new_test_user(
            cls.env, "rules_director", groups="sales_cycle_process.group_managing_director"
        )
        cls.team_north = cls.env["crm.team"].create(
            {"name": "Rules North", "member_ids": [(6, 0, [cls.alice.id, cls.carol.id])]}
        )
        cls.team_south = cls.env["crm.team"].create(
            {"name": "Rules South", "member_ids": [(6, 0, [cls.bob.id])]}
        )
        cls.partner = cls.env["res.partner"].create({"name": "Rules Customer"})
        cls.lead = cls.env["crm.lead"].create(
            {"name": "Rules deal", "type": "opportunity", "user_id": cls.bob.id, "expected_revenue": 1000}
        )

    def _commit(self, user, team, company=None):
        return self.env["scp.sales.commit"].create(
            {
                "user_id": user.id,
                "team_id": team.id,
                "week_start": date(2026, 3, 9),
                "company_id": (company or self.company).id,
                "line_ids": [(0, 0, {"lead_id": self.lead.id, "amount": 1000, "category": "commit"})],
            }
        )

    def test_salesperson_never_sees_another_teams_commit(self):
        south = self._commit(self.bob, self.team_south)
        Commit = self.env["scp.sales.commit"].with_user(self.alice)
        self.assertNotIn(south, Commit.search([]))
        self.assertFalse(
            self.env["scp.sales.commit.line"].with_user(self.alice).search([("commit_id", "=", south.id)])
        )
        with self.assertRaises(AccessError):
            south.with_user(self.alice).read(["commit_week"])
        north = self._commit(self.carol, self.team_north)
        self.assertNotIn(north, Commit.search([]), "nor a teammate's: a commit is personal")
        self.assertIn(south, self.env["scp.sales.commit"].with_user(self.manager).search([]))

    def test_salesperson_sees_own_and_own_teams_targets_only(self):
        Target = self.env["scp.sales.target"]
        own = Target.create({"user_id": self.alice.id, "month": "2026-03-01", "base_amount": 100})
        north = Target.create({"team_id": self.team_north.id, "month": "2026-03-01", "base_amount": 1000})
        south = Target.create({"team_id": self.team_south.id, "month": "2026-03-01", "base_amount": 2000})
        bobs = Target.create({"user_id": self.bob.id, "month": "2026-03-01", "base_amount": 200})
        seen = Target.with_user(self.alice).search([("id", "in", (own | north | south | bobs).ids)])
        self.assertEqual(seen, own | north)
        self.assertEqual(
            Target.with_user(self.manager).search([("id", "in", seen.ids + south.ids)]), seen | south
        )

    def test_salesperson_never_approves_a_quotation_price_approval(self):
        self.company.qpa_discount_threshold = 10.0
        product = self.env["product.product"].create({"name": "Rules Machine", "list_price": 1000.0})
        order = (
            self.env["sale.order"]
            .with_user(self.alice)
            .create(
                {
                    "partner_id": self.partner.id,
                    "user_id": self.alice.id,
                    "qpa_justification": "Competitor offered 20 % less.",
                    "order_line": [
                        (0, 0, {"product_id": product.id, "product_uom_qty": 1, "discount": 20.0})
                    ],
                }
            )
        )
        order.with_user(self.alice).request_validation()
        for salesperson in (self.alice, self.bob):
            with self.assertRaises(UserError):
                order.with_user(salesperson).validate_tier()

    def test_nobody_sees_another_companys_records(self):
        other = self.other_company
        partner = self.env["res.partner"].create({"name": "Subsidiary Customer", "company_id": other.id})
        rule = self.env["scp.cadence.rule"].create(
            {"name": "Rules call", "partner_tier": "any", "partner_filter": f"[('id', '=', {partner.id})]"}
        )
        records = {
            "scp.sales.commit": self._commit(self.bob, self.team_south, other),
            "scp.sales.forecast": self.env["scp.sales.forecast"].create(
                {
                    "user_id": self.bob.id,
                    "team_id": self.team_south.id,
                    "month": date(2026, 3, 1),
                    "company_id": other.id,
                    "line_ids": [(0, 0, {"month": date(2026, 3, 1), "amount": 10})],
                }
            ),
            "scp.sales.target": self.env["scp.sales.target"].create(
                {"user_id": self.bob.id, "month": "2026-03-01", "base_amount": 1, "company_id": other.id}
            ),
            "scp.cadence.state": self.env["scp.cadence.state"].create(
                {
                    "rule_id": rule.id,
                    "partner_id": partner.id,
                    "next_due_date": date(2026, 3, 9),
                    "user_id": self.bob.id,
                }
            ),
            "scp.visit.report": self.env["scp.visit.report"].create(
                {
                    "name": "Subsidiary visit",
                    "partner_id": partner.id,
                    "user_id": self.bob.id,
                    "company_id": other.id,
                }
            ),
            "scp.seller.class": self.env["scp.seller.class"].create(
                {
                    "user_id": self.bob.id,
                    "company_id": other.id,
                    "quarter": date(2026, 1, 1),
                    "state": "confirmed",
                }
            ),
            "scp.corrective.action": self.env["scp.corrective.action"].create(
                {
                    "name": "Subsidiary action",
                    "owner_id": self.bob.id,
                    "company_id": other.id,
                    "date_due": date(2026, 3, 9),
                }
            ),
        }
        records["scp.sales.commit.line"] = records["scp.sales.commit"].line_ids
        records["scp.sales.forecast.line"] = records["scp.sales.forecast"].line_ids
        self.env.flush_all()
        records["scp.forecast.analysis"] = self.env["scp.forecast.analysis"].search(
            [("user_id", "=", self.bob.id), ("company_id", "=", other.id)]
        )
        self.assertEqual(len(records["scp.forecast.analysis"]), 2, "the commit and the forecast")
        for user in (self.manager, self.director, self.bob):
            for model, record in records.items():
                with self.subTest(user=user.login, model=model):
                    self.assertTrue(record)
                    self.assertFalse(self.env[model].with_user(user).search([("id", "in", record.ids)]))
        # allowed in both companies, the manager sees them once the subsidiary is selected
        self.manager.company_ids |= other
        for model, record in records.items():
            with self.subTest(model=model, companies="both"):
                found = (
                    self.env[model]
                    .with_user(self.manager)
                    .with_context(allowed_company_ids=[self.company.id, other.id])
                    .search([("id", "in", record.ids)])
                )
                self.assertEqual(found, record)
