from odoo.tests import TransactionCase, new_test_user

LADDER = [
    ("crm.stage_lead1", 0, "omitted", "intake"),
    ("crm.stage_lead2", 25, "pipeline", "selling"),
    ("sales_cycle_process.stage_ladder_purchase_intent", 50, "pipeline", "selling"),
    ("crm.stage_lead3", 60, "pipeline", "selling"),
    ("sales_cycle_process.stage_ladder_proposal_accepted", 70, "pipeline", "selling"),
    ("sales_cycle_process.stage_ladder_chosen", 80, "upside", "closing"),
    ("sales_cycle_process.stage_ladder_negotiated", 90, "commit", "closing"),
    ("crm.stage_lead4", 100, "closed", "closing"),
]


class LadderCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False, mail_notrack=False))
        cls.company = cls.env.company
        cls.company.write({"ladder_gate_mode": "block", "engineering_review_threshold": 250000.0})
        cls.salesperson = new_test_user(
            cls.env, "ladder_sp", groups="sales_team.group_sale_salesman", name="Sally Seller"
        )
        cls.manager = new_test_user(
            cls.env, "ladder_mgr", groups="sales_team.group_sale_manager", name="Max Manager"
        )
        cls.engineer = new_test_user(
            cls.env,
            "ladder_eng",
            groups="sales_team.group_sale_salesman,sales_cycle_process.group_application_engineer",
            name="Erin Engineer",
        )
        cls.team = cls.env["crm.team"].create(
            {"name": "Ladder Team", "probability_source": "ladder", "use_opportunities": True}
        )
        cls.team_pls = cls.env["crm.team"].create({"name": "Scoring Team", "use_opportunities": True})
        cls.stages = [cls.env.ref(xid) for xid, *_rest in LADDER]
        cls.review_type = cls.env.ref("sales_cycle_process.mail_activity_type_engineering_review")

    def _reviews(self, lead):
        """The engineering-review activities of ``lead``."""
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "crm.lead"),
                ("res_id", "=", lead.id),
                ("activity_type_id", "=", self.review_type.id),
            ]
        )

    def _new_lead(self, user=None, team=None, stage=None, **vals):
        env = self.env(user=user) if user else self.env
        values = {
            "name": "Press line for Acme",
            "type": "opportunity",
            "team_id": (team or self.team).id,
            "user_id": (user or self.salesperson).id,
        }
        if stage:
            values["stage_id"] = stage.id
        values.update(vals)
        return env["crm.lead"].create(values)

    def _tick(self, lead, stages, user=None):
        """Tick the deal's lines of the entry criteria of ``stages`` (what must be true to be there)."""
        checks = lead.criterion_check_ids.filtered(lambda c: c.stage_id in stages)
        (checks.with_user(user) if user else checks).write({"is_done": True})
        return checks

    def _tick_up_to(self, lead, stage, user=None):
        """Tick the lines of ``stage`` and of every stage below it."""
        below = [s for s in self.stages if (s.sequence, s.id) <= (stage.sequence, stage.id)]
        return self._tick(lead, self.env["crm.stage"].union(*below), user)

    def _messages(self, lead):
        return " ".join(lead.message_ids.mapped("body"))
