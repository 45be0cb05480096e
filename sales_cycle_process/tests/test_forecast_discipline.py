import io
from datetime import date

import openpyxl
from freezegun import freeze_time
from psycopg2.errors import UniqueViolation

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, HttpCase, TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger

from .rpc_common import JsonRpcAttackMixin


@tagged("post_install", "-at_install")
class TestForecastDiscipline(TransactionCase):
    """Discipline (docs/forecast.md): 100 % submission, the monthly project list, the action plan.

    Team "Discipline North", led by Rita (a salesperson leading the team: the regional manager), has three
    members: Alice, Bob and Carol. For the week of Monday 9 March 2026 Alice and Bob submit their commit,
    Carol does not (2 of 3 = 66.7 %); for March only Alice submits her forecast (1 of 3 = 33.3 %).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, mail_notrack=True))
        cls.env.company.forecast_key_deal_amount = 50000
        Stage = cls.env["crm.stage"]
        cls.stage_commit = Stage.create(
            {"name": "DS Commit", "probability": 90, "forecast_category": "commit"}
        )
        cls.stage_upside = Stage.create(
            {"name": "DS Upside", "probability": 60, "forecast_category": "upside"}
        )
        salesman = "sales_team.group_sale_salesman"
        cls.rita = new_test_user(cls.env, "ds_rita", groups=salesman, name="Rita Regional", tz="UTC")
        cls.alice = new_test_user(cls.env, "ds_alice", groups=salesman, name="Alice Discipline", tz="UTC")
        cls.bob = new_test_user(cls.env, "ds_bob", groups=salesman, name="Bob Discipline", tz="UTC")
        cls.carol = new_test_user(cls.env, "ds_carol", groups=salesman, name="Carol Discipline", tz="UTC")
        cls.admin = new_test_user(cls.env, "ds_admin", groups="sales_team.group_sale_manager", tz="UTC")
        cls.team = cls.env["crm.team"].create(
            {
                "name": "Discipline North",
                "user_id": cls.rita.id,
                "member_ids": [Command.set((cls.alice | cls.bob | cls.carol).ids)],
            }
        )
        cls.partner = cls.env["res.partner"].create({"name": "DS Customer"})

        def lead(name, amount, deadline, stage, user=None):
            return cls.env["crm.lead"].create(
                {
                    "name": name,
                    "type": "opportunity",
                    "user_id": (user or cls.alice).id,
                    "team_id": cls.team.id,
                    "partner_id": cls.partner.id,
                    "expected_revenue": amount,
                    "date_deadline": deadline,
                    "stage_id": stage.id,
                    "probability": stage.probability,
                }
            )

        with freeze_time("2026-02-20 10:00:00"):
            cls.big = lead("DS Press Line", 40000, "2026-03-20", cls.stage_commit)
            cls.small = lead("DS Retrofit", 20000, "2026-05-10", cls.stage_upside)
            cls.overdue = lead("DS Spare Parts", 5000, "2026-02-10", cls.stage_upside)
            cls.undated = lead("DS Someday", 7000, False, cls.stage_upside)
            cls.far = lead("DS Next Year", 9000, "2027-06-01", cls.stage_upside)
            cls.bobs = lead("DS Bob's Deal", 3000, "2026-03-12", cls.stage_commit, user=cls.bob)
            cls.forecast_feb = cls._forecast(cls.alice)
        cls.big.expected_revenue = 80000
        with freeze_time("2026-03-08 10:00:00"):
            cls.commit_alice = cls._commit(cls.alice)
            cls.commit_bob = cls._commit(cls.bob)
            cls.forecast_mar = cls._forecast(cls.alice)

    @classmethod
    def _commit(cls, user):
        action = Form(cls.env["scp.commit.wizard"].with_user(user)).save().action_submit()
        return cls.env["scp.sales.commit"].browse(action["res_id"])

    @classmethod
    def _forecast(cls, user):
        action = Form(cls.env["scp.forecast.wizard"].with_user(user)).save().action_submit()
        return cls.env["scp.sales.forecast"].browse(action["res_id"])

    # --- 100 % submission ------------------------------------------------------------------------
    def test_submission_rate_by_team_on_the_monday_screen(self):
        measures = self.env["scp.forecast.measures"].with_user(self.admin)
        with freeze_time("2026-03-09 09:00:00"):
            rows = measures._consolidate(self.team)
        keys = {column[0] for column in measures._monday_columns()}
        ours = {"commit_rate", "forecast_rate", "commit_missing", "forecast_missing"}
        self.assertTrue(ours <= keys)
        self.assertTrue(all(ours <= set(row) for row in rows), "every row, salesperson's or team's")
        total = next(row for row in rows if row.get("is_team_total"))
        self.assertAlmostEqual(total["commit_rate"], 200 / 3)  # 2 of 3 = 66.7 %
        self.assertEqual(total["commit_missing"], "Carol Discipline")
        self.assertEqual(total["commit_rate_colour"], "danger")
        self.assertAlmostEqual(total["forecast_rate"], 100 / 3)  # 1 of 3 = 33.3 %
        self.assertEqual(set(total["forecast_missing"].split(", ")), {"Bob Discipline", "Carol Discipline"})
        reps = {row["user_id"]: row for row in rows if not row.get("is_team_total")}
        self.assertEqual(reps[self.alice.id]["commit_rate"], 100.0)
        self.assertEqual(reps[self.alice.id]["commit_rate_colour"], "success")
        self.assertEqual(reps[self.carol.id]["commit_rate"], 0.0)
        self.assertFalse(reps[self.carol.id]["commit_submitted"])
        # the same figures per period, as the packs read them
        submission = measures._submission(self.team, "commit", [date(2026, 3, 9), date(2026, 3, 2)])
        self.assertEqual(submission[self.team.id, date(2026, 3, 9)]["submitted"], 2)
        self.assertEqual(submission[self.team.id, date(2026, 3, 9)]["missing"], self.carol)
        self.assertEqual(submission[self.team.id, date(2026, 3, 2)]["rate"], 0.0)
        # a member archived from the team is no longer expected: 2 of 2
        self.team.crm_team_member_ids.filtered(lambda member: member.user_id == self.carol).active = False
        with freeze_time("2026-03-09 09:00:00"):
            total = next(row for row in measures._consolidate(self.team) if row.get("is_team_total"))
        self.assertEqual(total["commit_rate"], 100.0)
        self.assertEqual(total["commit_missing"], "")

    def test_the_manager_reminder_names_the_missing_and_the_rate(self):
        summary = self.env["scp.forecast.reminder"]._manager_summary(self.team, date(2026, 3, 9))
        self.assertEqual(summary.user_id, self.rita)
        note = str(summary.note)
        self.assertIn("Commit submission 66.7 % (2 of 3)", note)
        self.assertIn("Not submitted: Carol Discipline.", note)
        self.assertIn("Forecast submission for 2026-03 33.3 % (1 of 3)", note)
        self.assertIn("Bob Discipline", note)

    def test_packs_have_a_submission_sheet(self):
        Report = self.env["report.sales_cycle_process.commit_pack_xlsx"].with_user(self.admin)
        content, _kind = Report.create_xlsx_report((self.commit_alice | self.commit_bob).ids, {})
        sheet = openpyxl.load_workbook(io.BytesIO(content))["Submission"]
        self.assertEqual([cell.value for cell in sheet[2]][1:4], ["Discipline North", 3, 2])
        self.assertAlmostEqual(sheet["E2"].value, 2 / 3)
        self.assertEqual(sheet["F2"].value, "Carol Discipline")
        self.assertEqual(sheet["A2"].value.date(), date(2026, 3, 9))
        Report = self.env["report.sales_cycle_process.forecast_pack_xlsx"].with_user(self.admin)
        content, _kind = Report.create_xlsx_report(self.forecast_mar.ids, {})
        sheet = openpyxl.load_workbook(io.BytesIO(content))["Submission"]
        self.assertEqual([cell.value for cell in sheet[2]][1:4], ["Discipline North", 3, 1])
        self.assertAlmostEqual(sheet["E2"].value, 1 / 3)
        self.assertEqual(set(sheet["F2"].value.split(", ")), {"Bob Discipline", "Carol Discipline"})
        # a salesperson reads only their own snapshots: no rate computed from them
        Report = self.env["report.sales_cycle_process.forecast_pack_xlsx"].with_user(self.alice)
        content, _kind = Report.create_xlsx_report(self.forecast_mar.ids, {})
        self.assertNotIn("Submission", openpyxl.load_workbook(io.BytesIO(content)).sheetnames)

    # --- the monthly project list ----------------------------------------------------------------
    def test_the_project_list_is_stored_at_submission(self):
        deals = self.forecast_mar.deal_ids
        # open deals of the 12 months: the overdue one counts in March; undated and next year's are left out
        self.assertEqual(deals.lead_id, self.big | self.small | self.overdue)
        self.assertEqual(sum(deals.mapped("amount")), self.forecast_mar.pipeline_total)
        self.assertEqual(sum(deals.mapped("amount")), 80000 + 20000 + 5000)
        big = deals.filtered(lambda deal: deal.lead_id == self.big)
        self.assertEqual(
            (big.lead_name, big.partner_name, big.amount, big.stage_name, big.probability),
            ("DS Press Line", "DS Customer", 80000, "DS Commit", 90),
        )
        self.assertEqual(big.closing_month, date(2026, 3, 1))
        overdue = deals.filtered(lambda deal: deal.lead_id == self.overdue)
        self.assertEqual(
            (overdue.date_deadline, overdue.closing_month), (date(2026, 2, 10), date(2026, 3, 1))
        )
        # the deal moves on: the list keeps what was said in March
        self.big.write({"expected_revenue": 95000, "stage_id": self.stage_upside.id})
        self.big.unlink()
        self.assertEqual((big.amount, big.stage_name, big.lead_name), (80000, "DS Commit", "DS Press Line"))
        self.assertFalse(big.lead_id)
        with self.assertRaises(UserError):
            big.with_user(self.admin).write({"amount": 1})
        with self.assertRaises(AccessError):
            self.env["scp.sales.forecast.deal"].sudo().create(
                {"forecast_id": self.forecast_mar.id, "amount": 1}
            )

    def test_key_deals_are_followed_month_to_month(self):
        Deal = self.env["scp.sales.forecast.deal"].with_user(self.admin)
        big = Deal.search([("lead_id", "=", self.big.id)], order="submitted_month")
        self.assertEqual(big.mapped("amount"), [40000, 80000])
        # 80,000 in March reaches the key deal amount (50,000): both months of the deal are key
        keys = Deal.search([("key_deal", "=", True), ("user_id", "=", self.alice.id)])
        self.assertEqual(keys, big)
        self.assertEqual(big.mapped("key_deal"), [True, True])
        others = Deal.search([("key_deal", "=", False), ("user_id", "=", self.alice.id)])
        self.assertEqual(others.lead_id, self.small | self.overdue)
        # the salesperson sees only their own project list
        self.assertFalse(self.env["scp.sales.forecast.deal"].with_user(self.bob).search([]))

    # --- the monthly action plan -----------------------------------------------------------------
    def _plan(self, user=None):
        user = user or self.alice
        with freeze_time("2026-03-03 10:00:00"):
            form = Form(self.env["scp.action.plan"].with_user(user))
            with form.item_ids.new() as item:
                item.name = "Demo at DS Customer"
                item.date_due = date(2026, 3, 15)
            with form.item_ids.new() as item:
                item.name = "Expert panel date"
                item.owner_id = self.bob
                item.date_due = date(2026, 3, 25)
            return form.save()

    def test_action_plan_activities_and_review(self):
        plan = self._plan()
        self.assertEqual(
            (plan.manager_id, plan.team_id, plan.month), (self.rita, self.team, date(2026, 3, 1))
        )
        Activity = self.env["mail.activity"]
        item_type = self.env.ref("sales_cycle_process.mail_activity_type_action_plan_item")
        review_type = self.env.ref("sales_cycle_process.mail_activity_type_action_plan_review")
        plan.with_user(self.rita).action_agree()
        self.assertEqual(plan.state, "agreed")
        actions = Activity.search([("res_model", "=", "scp.action.plan"), ("res_id", "=", plan.id)])
        self.assertEqual(
            sorted((a.activity_type_id, a.user_id, a.date_deadline) for a in actions),
            sorted(
                [
                    (item_type, self.alice, date(2026, 3, 15)),
                    (item_type, self.bob, date(2026, 3, 25)),
                    (review_type, self.rita, date(2026, 4, 1)),
                ]
            ),
        )
        # agreeing is done once; the review activity is planned once
        with self.assertRaises(UserError):
            plan.with_user(self.rita).action_agree()
        self.assertFalse(plan._action_plan_schedule_review())
        # agreed: the actions are fixed, Alice ticks hers, Bob marks his activity done
        first, second = plan.item_ids.sorted("date_due")
        with self.assertRaises(UserError):
            first.with_user(self.alice).write({"name": "Something easier"})
        with self.assertRaises(UserError):
            plan.with_user(self.alice).write(
                {"item_ids": [Command.create({"name": "Late idea", "date_due": "2026-03-30"})]}
            )
        plan.with_user(self.alice).write({"item_ids": [Command.update(first.id, {"done": True})]})
        self.assertTrue(first.done)
        self.assertFalse(first.activity_id, "the owner's activity is done with the action")
        self.assertEqual(len(plan.activity_ids.filtered(lambda a: a.activity_type_id == item_type)), 1)
        # April's call reviews the plan: the chatter lists what was done and what was not
        plan.with_user(self.rita).action_review()
        self.assertEqual(plan.state, "reviewed")
        body = str(plan.message_ids.filtered(lambda message: "reviewed by" in str(message.body)).body)
        self.assertIn("Done (1 of 2)", body)
        self.assertIn("Demo at DS Customer", body.split("Not done")[0])
        self.assertIn("Expert panel date", body.split("Not done")[1])
        self.assertFalse(plan.activity_ids.filtered(lambda a: a.activity_type_id == review_type))
        with self.assertRaises(UserError):
            second.with_user(self.bob).write({"done": True})

    def test_marking_the_activity_done_ticks_the_action(self):
        plan = self._plan()
        plan.with_user(self.rita).action_agree()
        second = plan.item_ids.filtered(lambda item: item.owner_id == self.bob)
        second.activity_id.with_user(self.bob).action_done()
        self.assertTrue(second.done)
        self.assertEqual(plan.done_count, 1)

    def test_action_plan_refusals(self):
        plan = self._plan()
        # the salesperson neither agrees nor reviews their own plan, nor moves its state
        with self.assertRaises(AccessError):
            plan.with_user(self.alice).action_agree()
        with self.assertRaises(UserError):
            plan.with_user(self.alice).write({"state": "agreed"})
        # nor picks a peer as manager, nor writes somebody else's plan
        with self.assertRaises(UserError):
            plan.with_user(self.alice).write({"manager_id": self.bob.id})
        with self.assertRaises(UserError):
            plan.with_user(self.alice).write({"manager_id": self.alice.id})
        with self.assertRaises(UserError):
            plan.with_user(self.alice).write(
                {"team_id": self.env["crm.team"].create({"name": "DS Other"}).id}
            )
        with self.assertRaises(AccessError):
            plan.with_user(self.carol).write({"note": "mine now"})
        with self.assertRaises(AccessError):
            self.env["scp.action.plan"].with_user(self.carol).create(
                {"user_id": self.alice.id, "manager_id": self.rita.id, "month": "2026-04-01"}
            )
        # a context a client sends grants nothing: the plan starts as a draft, no activity is linked
        Plan = self.env["scp.action.plan"].with_user(self.bob)
        bobs = Plan.with_context(default_state="reviewed", default_agreed_by_id=self.rita.id).create(
            {"month": "2026-03-01"}
        )
        self.assertEqual(
            (bobs.state, bobs.agreed_by_id, bobs.manager_id), ("draft", self.env["res.users"], self.rita)
        )
        item = (
            self.env["scp.action.plan.item"]
            .with_user(self.bob)
            .with_context(default_activity_id=plan.activity_ids[:1].id or 1)
            .create({"plan_id": bobs.id, "name": "Call", "date_due": "2026-03-20"})
        )
        self.assertFalse(item.activity_id)
        with self.assertRaises(UserError):
            item.with_user(self.bob).write({"activity_id": False})
        # the manager agrees; the salesperson cannot review, nor the plan be deleted once agreed
        plan.with_user(self.rita).action_agree()
        with self.assertRaises(AccessError):
            plan.with_user(self.alice).action_review()
        with self.assertRaises(UserError):
            plan.with_user(self.alice).unlink()
        # somebody outside the plan does not tick its actions
        with self.assertRaises(AccessError):
            plan.item_ids[:1].with_user(self.carol).write({"done": True})
        # one plan per account manager and month
        with self.assertRaises(UniqueViolation), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            self.env["scp.action.plan"].with_user(self.alice).create({"month": "2026-03-10"})

    def test_action_plans_by_role_and_company(self):
        plan = self._plan()
        engineer = new_test_user(
            self.env, "ds_engineer", groups="sales_cycle_process.group_application_engineer"
        )
        self.assertEqual(self.env["scp.action.plan"].with_user(engineer).search([("id", "=", plan.id)]), plan)
        with self.assertRaises(AccessError):
            plan.with_user(engineer).write({"note": "engineer notes"})
        self.assertFalse(self.env["scp.action.plan"].with_user(self.carol).search([("id", "=", plan.id)]))
        # Bob owns an action: he reads the plan, he does not edit it
        self.assertEqual(self.env["scp.action.plan"].with_user(self.bob).search([("id", "=", plan.id)]), plan)
        with self.assertRaises(AccessError):
            plan.with_user(self.bob).write({"note": "Bob's notes"})
        other = self.env["res.company"].create({"name": "DS Subsidiary"})
        plan.sudo().company_id = other
        self.assertFalse(self.env["scp.action.plan"].with_user(self.admin).search([("id", "=", plan.id)]))
        self.assertFalse(
            self.env["scp.action.plan.item"].with_user(self.admin).search([("plan_id", "=", plan.id)])
        )


@tagged("post_install", "-at_install")
class TestActionPlanRpc(JsonRpcAttackMixin, HttpCase):
    """A salesperson's attacks on their action plan through /web/dataset/call_kw, with the contexts a client
    could send: each is refused with a sentence and the plan stays a draft."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        salesman = "sales_team.group_sale_salesman"
        cls.rita = new_test_user(cls.env, "dsr_rita", groups=salesman)
        cls.alice = new_test_user(cls.env, "dsr_alice", password="dsr_alice_pw", groups=salesman)
        cls.bob = new_test_user(cls.env, "dsr_bob", groups=salesman)
        cls.team = cls.env["crm.team"].create(
            {"name": "DS RPC", "user_id": cls.rita.id, "member_ids": [Command.set((cls.alice | cls.bob).ids)]}
        )
        cls.plan = (
            cls.env["scp.action.plan"]
            .with_user(cls.alice)
            .create(
                {
                    "month": "2026-03-01",
                    "item_ids": [Command.create({"name": "Call the customer", "date_due": "2026-03-20"})],
                }
            )
        )
        cls.bobs_plan = cls.env["scp.action.plan"].with_user(cls.bob).create({"month": "2026-03-01"})

    def test_salesperson_attacks_over_json_rpc(self):
        self.authenticate("dsr_alice", "dsr_alice_pw")
        plan, item = self.plan, self.plan.item_ids
        supersede = {"context": {"scp_supersede": True, "active_test": False}}
        attacks = [
            ("scp.action.plan", "action_agree", [plan.ids], supersede, "AccessError"),
            ("scp.action.plan", "action_review", [plan.ids], {}, "AccessError"),
            ("scp.action.plan", "write", [plan.ids, {"state": "agreed"}], supersede, "UserError"),
            ("scp.action.plan", "write", [plan.ids, {"manager_id": self.alice.id}], {}, "UserError"),
            ("scp.action.plan", "write", [self.bobs_plan.ids, {"note": "mine"}], {}, "AccessError"),
            ("scp.action.plan.item", "write", [item.ids, {"activity_id": 1}], {}, "UserError"),
            ("scp.action.plan", "_action_plan_schedule_review", [plan.ids], {}, "AccessError"),
            (
                "scp.action.plan",
                "create",
                [{"user_id": self.bob.id, "month": "2026-04-01"}],
                {"context": {"default_state": "agreed"}},
                "AccessError",
            ),
        ]
        for model, method, args, kwargs, error in attacks:
            with self.subTest(method=method, args=args):
                self._assert_refused(self._call_kw(model, method, args, kwargs), error)
        # a context default grants nothing either: her own new plan starts as a draft
        reply = self._call_kw(
            "scp.action.plan",
            "create",
            [{"month": "2026-04-01"}],
            {"context": {"default_state": "reviewed", "default_reviewed_by_id": self.rita.id}},
        )
        created = self.env["scp.action.plan"].browse(reply["result"])
        self.assertEqual(
            (created.state, created.reviewed_by_id, created.manager_id),
            ("draft", self.env["res.users"], self.rita),
        )
        self.assertEqual(plan.state, "draft")
        self.assertFalse(item.activity_id)
