import io
from datetime import date
from types import SimpleNamespace

import openpyxl
from freezegun import freeze_time

from odoo import fields
from odoo.addons.sales_cycle_process.tools.periods import week_start
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, TransactionCase, new_test_user, tagged

from .commit_checklist_common import complete_commit_checklist


@tagged("post_install", "-at_install")
class TestForecastFlow(TransactionCase):
    """Alice commits and forecasts through February and March 2026; Bob never does.

    2026-03-02 and 2026-03-09 are Mondays; a week's commit closes on its Monday at 12:00.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, mail_notrack=True))
        Stage = cls.env["crm.stage"]
        cls.stage_upside = Stage.create(
            {"name": "FC Upside", "probability": 80, "forecast_category": "upside"}
        )
        cls.stage_commit = Stage.create(
            {"name": "FC Commit", "probability": 90, "forecast_category": "commit"}
        )
        cls.stage_won = Stage.create(
            {"name": "FC Won", "probability": 100, "forecast_category": "closed", "is_won": True}
        )
        cls.manager = new_test_user(cls.env, "fc_manager", groups="sales_team.group_sale_manager", tz="UTC")
        cls.alice = new_test_user(cls.env, "fc_alice", groups="sales_team.group_sale_salesman", tz="UTC")
        cls.bob = new_test_user(cls.env, "fc_bob", groups="sales_team.group_sale_salesman", tz="UTC")
        cls.loner = new_test_user(cls.env, "fc_loner", groups="sales_team.group_sale_salesman", tz="UTC")
        cls.team = cls.env["crm.team"].create(
            {"name": "FC Team", "user_id": cls.manager.id, "member_ids": [(6, 0, [cls.alice.id, cls.bob.id])]}
        )
        Target = cls.env["scp.sales.target"]
        Target.create(
            [
                {"user_id": cls.alice.id, "month": "2026-03-15", "base_amount": 20000, "raise_factor": 1.1},
                {"user_id": cls.alice.id, "month": "2026-04-01", "base_amount": 10000, "raise_factor": 1.2},
                {"team_id": cls.team.id, "month": "2026-03-01", "base_amount": 50000, "raise_factor": 1.1},
            ]
        )
        cls.partner = cls.env["res.partner"].create({"name": "FC Customer"})
        cls.product = cls.env["product.product"].create({"name": "FC Machine", "list_price": 1.0})

        def lead(name, amount, deadline, stage):
            return cls.env["crm.lead"].create(
                {
                    "name": name,
                    "type": "opportunity",
                    "user_id": cls.alice.id,
                    "team_id": cls.team.id,
                    "partner_id": cls.partner.id,
                    "expected_revenue": amount,
                    "date_deadline": deadline,
                    "stage_id": stage.id,
                    "probability": stage.probability,
                }
            )

        with freeze_time("2026-02-10 10:00:00"):
            # February orders: 1,000 not delivered, 9,000 delivered -> 10 % unfulfilled.
            cls.order_open = cls._order(1000)
            cls.order_done = cls._order(9000)
        cls.env.flush_all()
        cls.env.cr.execute(
            "UPDATE sale_order SET invoice_status = 'invoiced' WHERE id = %s", [cls.order_done.id]
        )
        cls.env.cr.execute(
            "UPDATE sale_order_line SET qty_delivered = product_uom_qty WHERE order_id = %s",
            [cls.order_done.id],
        )
        cls.env.invalidate_all()

        with freeze_time("2026-02-20 10:00:00"):
            cls.l1 = lead("FC Deal 1", 10000, "2026-03-05", cls.stage_commit)
            cls.l2 = lead("FC Deal 2", 5000, "2026-03-20", cls.stage_commit)
            cls.l3 = lead("FC Deal 3", 8000, "2026-03-06", cls.stage_upside)
            cls.l4 = lead("FC Deal 4", 4000, "2026-04-10", cls.stage_upside)
            # deals 1 and 2 (90 %) answer the five checklist questions: they count as commit
            complete_commit_checklist(cls.env, cls.l1 | cls.l2)
            # February commit (week of 2026-02-23): deals 1 and 2 committed, 3 upside.
            cls.commit_feb = cls._commit(cls.alice, {})
            # February forecast: March 10,000 + 5,000 + 8,000, April 4,000 = 27,000.
            cls.forecast_feb = cls._forecast(cls.alice, {})

        with freeze_time("2026-03-01 10:00:00"):
            cls.l5 = lead("FC Deal 5", 15400, "2026-04-20", cls.stage_upside)
            # Week of 2026-03-02: deal 2 moved to upside.
            cls.commit_w1 = cls._commit(cls.alice, {cls.l2: "upside"})

        with freeze_time("2026-03-04 10:00:00"):
            cls.l1.stage_id = cls.stage_won  # 10,000 won during the week
        with freeze_time("2026-03-05 10:00:00"):
            cls._order(500)  # an order without a deal: 500 more actual

        with freeze_time("2026-03-07 10:00:00"):
            # A first commit for the week of 2026-03-09, replaced on Sunday.
            cls.commit_w2_first = cls._commit(cls.alice, {})
        with freeze_time("2026-03-08 10:00:00"):
            # deal 3 is at 80 %: it counts as commit because the team leader overrides
            cls.l3.with_user(cls.manager)._commit_override(
                "Signed letter of intent; the PO follows on Monday."
            )
            cls.commit_w2 = cls._commit(cls.alice, {cls.l3: "commit"})
            cls.forecast_mar = cls._forecast(cls.alice, {1: 600}, comment="Deal 5 may grow")

    @classmethod
    def _order(cls, amount):
        order = cls.env["sale.order"].create(
            {
                "partner_id": cls.partner.id,
                "user_id": cls.alice.id,
                "order_line": [
                    (
                        0,
                        0,
                        {
                            "product_id": cls.product.id,
                            "product_uom_qty": 1,
                            "price_unit": amount,
                            "tax_id": False,
                        },
                    )
                ],
            }
        )
        order.action_confirm()
        return order

    @classmethod
    def _commit(cls, user, moves):
        """Open the weekly commit as the salesperson, move deals, submit."""
        form = Form(cls.env["scp.commit.wizard"].with_user(user))
        for index in range(len(form.line_ids)):
            with form.line_ids.edit(index) as line:
                if line.lead_id in moves:
                    line.category = moves[line.lead_id]
        wizard = form.save()
        action = wizard.action_submit()
        return cls.env["scp.sales.commit"].browse(action["res_id"])

    @classmethod
    def _forecast(cls, user, adjustments, comment=False):
        form = Form(cls.env["scp.forecast.wizard"].with_user(user))
        for index, amount in adjustments.items():
            with form.line_ids.edit(index) as line:
                line.adjustment = amount
        if comment:
            form.comment = comment
        wizard = form.save()
        action = wizard.action_submit()
        return cls.env["scp.sales.forecast"].browse(action["res_id"])

    # ------------------------------------------------------------------------------------------
    def test_commit_snapshot_proposes_and_totals(self):
        # Deal 4 closes next quarter: not proposed. Deal 2 moved to upside by Alice.
        week1 = self.commit_w1
        self.assertEqual(week1.week_start, date(2026, 3, 2))
        self.assertEqual(week1.team_id, self.team)
        self.assertEqual(set(week1.line_ids.lead_id.ids), {self.l1.id, self.l2.id, self.l3.id})
        by_lead = {line.lead_id: line for line in week1.line_ids}
        self.assertEqual(by_lead[self.l2].category, "upside")
        self.assertEqual(by_lead[self.l1].amount, 10000)
        self.assertEqual(by_lead[self.l1].probability, 90)
        self.assertEqual(by_lead[self.l1].date_deadline, date(2026, 3, 5))
        # Week 2-8 March: commit = deal 1; upside = deal 3 (deal 2 closes on the 20th).
        self.assertEqual(week1.commit_week, 10000)
        self.assertEqual(week1.upside_week, 8000)
        self.assertEqual(week1.commit_month, 10000)
        self.assertEqual(week1.upside_month, 8000 + 5000)
        self.assertEqual(week1.upside_quarter, 13000)

    def test_resubmission_replaces_and_keeps_history(self):
        first, second = self.commit_w2_first, self.commit_w2
        self.assertEqual(first.week_start, second.week_start)
        self.assertEqual(first.state, "superseded")
        self.assertEqual(first.superseded_by_id, second)
        self.assertEqual(second.state, "current")
        current = self.env["scp.sales.commit"].search(
            [("user_id", "=", self.alice.id), ("week_start", "=", "2026-03-09"), ("state", "=", "current")]
        )
        self.assertEqual(current, second)
        # The first kept deal 3 as upside, the second commits it: overdue, so it counts in the week.
        self.assertEqual(first.commit_week, 0)
        self.assertEqual(second.commit_week, 8000)
        self.assertEqual(second.commit_month, 8000 + 5000)

    def test_snapshots_cannot_be_written_by_anyone(self):
        for env in (self.env, self.env(su=True), self.env(user=self.manager), self.env(user=self.alice)):
            commit = self.commit_w2.with_env(env)
            with self.assertRaises(UserError):
                commit.write({"commit_week": 1})
            with self.assertRaises(UserError):
                commit.line_ids[0].write({"amount": 1})
            with self.assertRaises(UserError):
                self.forecast_mar.with_env(env).write({"comment": "rewritten"})
            with self.assertRaises(UserError):
                self.forecast_mar.line_ids.with_env(env).unlink()
        with self.assertRaises(UserError):
            self.commit_w1.sudo().unlink()
        self.assertEqual(self.commit_w2.commit_week, 8000)

    def test_forecast_snapshot_with_adjustment(self):
        forecast = self.forecast_mar
        self.assertEqual(len(forecast.line_ids), 12)
        self.assertEqual(forecast.line_ids[0].month, date(2026, 3, 1))
        self.assertEqual(forecast.line_ids[-1].month, date(2027, 2, 1))
        # March: deals 2 and 3 (deal 1 is won); April: deals 4 and 5, +600 by hand.
        self.assertEqual(forecast.line_ids[0].amount, 5000 + 8000)
        self.assertEqual(forecast.line_ids[1].computed_amount, 4000 + 15400)
        self.assertEqual(forecast.line_ids[1].amount, 4000 + 15400 + 600)
        self.assertEqual(forecast.pipeline_total, 32400)
        self.assertEqual(forecast.total, 33000)
        self.assertEqual(forecast.comment, "Deal 5 may grow")
        self.assertEqual(self.forecast_feb.pipeline_total, 27000)

    def test_manager_rollup_and_measures(self):
        with freeze_time("2026-03-09 09:00:00"):
            screen = (
                self.env["scp.forecast.measures"]
                .with_user(self.manager)
                .get_monday_screen(date="2026-03-09", team_ids=self.team.ids)
            )
        rows = {
            row["user_id"]: SimpleNamespace(**row)
            for row in screen["rows"]
            if row["level"] in ("rep", "team")
        }
        alice, bob, total = rows[self.alice.id], rows[self.bob.id], rows[False]
        # Last week: commit 10,000; actual = deal 1 won (10,000) + order without deal (500) = 105 %.
        self.assertEqual(alice.last_commit, 10000)
        self.assertEqual(alice.last_actual, 10500)
        self.assertAlmostEqual(alice.accuracy, 105.0)
        self.assertEqual(alice.accuracy_colour, "success")
        # Coverage: open pipeline 5,000 + 8,000 + 4,000 + 15,400 against 22,000 + 12,000 of targets.
        self.assertEqual(alice.pipeline, 32400)
        self.assertEqual(alice.target, 20000 * 1.1 + 10000 * 1.2)
        self.assertAlmostEqual(alice.coverage, 32400 / 34000 * 100)
        self.assertEqual(alice.coverage_colour, "danger")
        # Pipeline growth: forecast snapshots 27,000 -> 32,400 = +20 %.
        self.assertAlmostEqual(alice.pipeline_growth, 20.0)
        self.assertEqual(alice.growth_colour, "success")
        # Commit growth: February's last commit (deals 1 + 2 = 15,000) -> March's (2 + 3 = 13,000).
        self.assertEqual(self.commit_feb.commit_total, 15000)
        self.assertAlmostEqual(alice.commit_growth, (13000 - 15000) / 15000 * 100)
        # February's orders: 1,000 of 10,000 not fulfilled = 10 %, above the 5 % band.
        self.assertAlmostEqual(alice.unfulfilled, 10.0)
        self.assertEqual(alice.unfulfilled_colour, "danger")
        # This week's commit and the team roll-up; Bob has submitted nothing.
        self.assertTrue(alice.commit_submitted and alice.forecast_submitted)
        self.assertEqual(alice.commit_week, 8000)
        self.assertFalse(bob.commit_submitted or bob.forecast_submitted)
        self.assertTrue(total.is_team_total)
        self.assertEqual((alice.level, bob.level, total.level), ("rep", "rep", "team"))
        self.assertEqual((alice.name, total.name), (self.alice.name, "FC Team"))
        self.assertFalse(total.commit_submitted)
        self.assertEqual(total.commit_week, 8000)
        self.assertEqual(total.forecast_total, 33000)
        # The team's own stretched target for March: 50,000 x 1.1.
        self.assertAlmostEqual(total.target, 55000)
        self.assertAlmostEqual(total.coverage, 32400 / 55000 * 100)
        self.assertEqual(
            self.env["scp.forecast.measures"]._non_submitters(self.team, monday=date(2026, 3, 9)), self.bob
        )

    def test_accuracy_band_is_a_setting(self):
        self.env.company.forecast_band_accuracy_max = 104
        with freeze_time("2026-03-09 09:00:00"):
            rows = self.env["scp.forecast.measures"]._consolidate(self.team)
        alice = next(row for row in rows if row["user_id"] == self.alice.id)
        self.assertEqual(alice["accuracy_colour"], "warning")

    def test_waterfall_and_accuracy_history(self):
        measures = self.env["scp.forecast.measures"]
        flow = measures._waterfall(self.alice, date(2026, 3, 9))
        # Week of 2 March committed deal 1 (10,000, won: left); week of 9 March deals 2 and 3 entered.
        self.assertEqual(flow["start"], 10000)
        self.assertEqual(flow["entered"], 5000 + 8000)
        self.assertEqual(flow["left"], -10000)
        self.assertEqual(flow["end"], 13000)
        self.assertEqual(
            flow["start"] + flow["entered"] + flow["left"] + flow["grew"] + flow["shrank"], flow["end"]
        )
        history = measures._accuracy_history(self.alice, date(2026, 3, 9), weeks=2)
        self.assertEqual([h["week"] for h in history], [date(2026, 2, 23), date(2026, 3, 2)])
        self.assertAlmostEqual(history[1]["accuracy"], 105.0)

    def test_bad_input_is_refused(self):
        # Submitting after the Monday deadline.
        with freeze_time("2026-03-09 11:00:00"):
            wizard = Form(self.env["scp.commit.wizard"].with_user(self.alice)).save()
        with freeze_time("2026-03-09 13:00:00"), self.assertRaises(UserError):
            wizard.action_submit()
        # A salesperson with no team.
        with freeze_time("2026-03-08 10:00:00"), self.assertRaises(UserError):
            Form(self.env["scp.commit.wizard"].with_user(self.loner)).save().action_submit()
        # A negative adjustment below the month's open deals.
        with freeze_time("2026-03-08 10:00:00"), self.assertRaises(ValidationError):
            self._forecast(self.alice, {2: -100})
        # Alice's deal in Bob's commit: Bob cannot read it (test_trust_snapshots covers a deal in two
        # salespeople's commits of the same week, and what the refusal may name).
        line = {"lead_id": self.l2.id, "amount": 5000, "category": "commit"}
        with freeze_time("2026-03-08 10:00:00"), self.assertRaises(AccessError):
            self.env["scp.sales.commit"].with_user(self.bob)._submit(
                self.bob, self.team, date(2026, 3, 9), [line]
            )

    def test_salesperson_sees_own_manager_sees_team(self):
        with freeze_time("2026-03-08 10:00:00"):
            bob_commit = self._commit(self.bob, {})
        Commit = self.env["scp.sales.commit"]
        self.assertNotIn(bob_commit, Commit.with_user(self.alice).search([]))
        self.assertIn(self.commit_w2, Commit.with_user(self.alice).search([]))
        self.assertTrue({bob_commit, self.commit_w2} <= set(Commit.with_user(self.manager).search([])))
        with self.assertRaises(AccessError):
            bob_commit.with_user(self.alice).read(["commit_week"])
        self.assertFalse(
            self.env["scp.sales.forecast"].with_user(self.bob).search([("user_id", "=", self.alice.id)])
        )

    def test_reminders_only_to_non_submitters_once(self):
        Activity = self.env["mail.activity"]
        commit_type = self.env.ref("sales_cycle_process.mail_activity_type_commit_reminder")
        forecast_type = self.env.ref("sales_cycle_process.mail_activity_type_forecast_reminder")
        summary_type = self.env.ref("sales_cycle_process.mail_activity_type_manager_summary")
        users = self.alice | self.bob | self.manager
        # Saturday 14 March: Alice has not committed for the week of 16 March yet; she does, Bob does not.
        with freeze_time("2026-03-14 10:00:00"):
            self._commit(self.alice, {})
            for _run in range(2):
                self.env["scp.forecast.reminder"]._cron_send_reminders()
        reminders = Activity.search([("activity_type_id", "=", commit_type.id), ("user_id", "in", users.ids)])
        self.assertEqual(reminders.user_id, self.bob)
        self.assertEqual(len(reminders), 1)
        self.assertEqual(reminders.date_deadline, date(2026, 3, 16))
        # Monday 30 March, month end: the forecast reminder for Bob only, the summary for the manager.
        with freeze_time("2026-03-30 07:00:00"):
            for _run in range(2):
                self.env["scp.forecast.reminder"]._cron_send_reminders()
        forecast = Activity.search(
            [("activity_type_id", "=", forecast_type.id), ("user_id", "in", users.ids)]
        )
        self.assertEqual(forecast.user_id, self.bob)
        self.assertEqual(len(forecast), 1)
        summary = Activity.search([("activity_type_id", "=", summary_type.id), ("user_id", "in", users.ids)])
        self.assertEqual(summary.user_id, self.manager)
        self.assertEqual(len(summary), 1)
        self.assertIn("fc_bob", summary.note)

    def test_commit_pack_xlsx(self):
        commits = self.commit_w1 | self.commit_w2
        content, kind = self.env["report.sales_cycle_process.commit_pack_xlsx"].create_xlsx_report(
            commits.ids, {}
        )
        self.assertEqual(kind, "xlsx")
        book = openpyxl.load_workbook(io.BytesIO(content))
        self.assertEqual(
            book.sheetnames,
            ["Cover", "Commit", "Checklist", "Trend", "Submission", "Waterfall", "Forecasting bias"],
        )
        sheet = book["Commit"]
        self.assertEqual(sheet["D1"].value, "Commit (week)")
        self.assertEqual(sheet["D2"].value, 10000)  # week of 2 March
        self.assertEqual(sheet["D3"].value, 8000)  # week of 9 March
        self.assertAlmostEqual(sheet["J3"].value, 1.05)  # last week's accuracy
        self.assertEqual(sheet.freeze_panes, "A2")
        self.assertTrue(sheet.auto_filter.ref)
        self.assertEqual(sheet["D2"].number_format, "#,##0.00")
        self.assertEqual(book["Checklist"].max_row, 1 + len(commits.line_ids))
        self.assertTrue(book["Trend"]._charts)

    def test_forecast_pack_xlsx(self):
        content, _kind = self.env["report.sales_cycle_process.forecast_pack_xlsx"].create_xlsx_report(
            self.forecast_mar.ids, {}
        )
        book = openpyxl.load_workbook(io.BytesIO(content))
        self.assertEqual(
            book.sheetnames,
            [
                "Cover",
                "Forecast",
                "Measures",
                "Coverage",
                "Growth",
                "Target",
                "Submission",
                "Attainment",
                "Forecasting bias",
            ],
        )
        sheet = book["Forecast"]
        self.assertEqual(sheet.max_row, 13)
        self.assertEqual(sheet["E3"].value, 20000)  # April forecast
        self.assertAlmostEqual(sheet["F2"].value, 22000)  # March stretched target
        self.assertTrue(book["Target"]._charts)
        measures = book["Measures"]
        self.assertEqual(measures["D2"].value, 32400)
        self.assertAlmostEqual(measures["G2"].value, 0.2)  # pipeline growth
        self.assertTrue(book["Coverage"]._charts)

    def test_forecast_pack_measures_of_several_months_match_each_month(self):
        """The pack computes coverage and growth for all its months at once: each row shows what the
        Monday dashboard's one-month measures show for that salesperson and month."""
        forecasts = self.forecast_feb | self.forecast_mar
        measures = self.env["scp.forecast.measures"]
        tracked = measures._forecast_tracking(forecasts)
        for forecast in forecasts:
            with self.subTest(month=forecast.month):
                users, first = forecast.user_id, forecast.month
                pipeline, target, coverage = measures._coverage(users, first)[users.id]
                growth = measures._growth(users, first)[users.id]
                row = tracked[forecast.id]
                self.assertEqual(
                    (row["pipeline"], row["target"], row["coverage"]), (pipeline, target, coverage)
                )
                self.assertEqual(
                    (row["pipeline_growth"], row["commit_growth"]), (growth["pipeline"], growth["commit"])
                )
        self.assertAlmostEqual(tracked[self.forecast_mar.id]["pipeline_growth"], 20.0)
        # one month by itself: the pipeline of March's 12 months and the targets of those months
        self.assertEqual(tracked[self.forecast_mar.id]["pipeline"], 32400)

    def test_waterfall_slipped_grew_shrank(self):
        with freeze_time("2026-03-14 10:00:00"):
            self.l2.write({"expected_revenue": 6000, "date_deadline": "2026-03-27"})
            self.l3.expected_revenue = 7000
            commit = self._commit(self.alice, {self.l3: "commit"})
        self.assertEqual(commit.week_start, date(2026, 3, 16))
        flow = self.env["scp.forecast.measures"]._waterfall(self.alice, date(2026, 3, 16))
        # Week of 9 March: deals 2 (5,000) and 3 (8,000); week of 16 March: 6,000 (later) and 7,000.
        self.assertEqual(flow["start"], 13000)
        self.assertEqual(flow["entered"], 0)
        self.assertEqual(flow["left"], 0)
        self.assertEqual(flow["grew"], 1000)
        self.assertEqual(flow["shrank"], -1000)
        self.assertEqual(flow["slipped"], 6000)
        self.assertEqual(flow["end"], 13000)

    def test_checklist_ticked_in_the_wizard_is_in_the_snapshot(self):
        self.l2.write({"commit_config_final": False, "commit_end_user_signed": False})
        with freeze_time("2026-03-14 10:00:00"):
            form = Form(self.env["scp.commit.wizard"].with_user(self.alice))
            for index in range(len(form.line_ids)):
                with form.line_ids.edit(index) as line:
                    if line.lead_id == self.l2:
                        self.assertEqual((line.category, line.counts_as), ("commit", "upside"))
                        line.commit_config_final = True
                        line.commit_end_user_signed = True
                        self.assertEqual(line.counts_as, "commit")
            commit = self.env["scp.sales.commit"].browse(form.save().action_submit()["res_id"])
        line = commit.line_ids.filtered(lambda item: item.lead_id == self.l2)
        self.assertTrue(line.config_final and line.end_user_signed)
        self.assertTrue(line.integrator_signed and line.partner_ready and line.discount_approved)
        self.assertEqual((line.category, line.commit_status), ("commit", "complete"))
        self.assertTrue(self.l2.commit_config_final)
        self.assertTrue(self.l2.commit_reliable)

    def test_forecast_vs_commit_vs_actual_analysis(self):
        self.env.flush_all()
        groups = (
            self.env["scp.forecast.analysis"]
            .with_user(self.manager)
            ._read_group(
                [("user_id", "=", self.alice.id), ("date", ">=", "2026-03-01"), ("date", "<=", "2026-03-31")],
                ["kind"],
                ["amount:sum"],
            )
        )
        # March: forecast submitted in March for March 13,000; commits of the weeks of 2 and 9 March
        # 10,000 + 8,000; actual 10,000 won + 500 ordered.
        self.assertEqual(dict(groups), {"forecast": 13000, "commit": 18000, "actual": 10500})
        self.assertFalse(self.env["scp.forecast.analysis"].with_user(self.bob).search([]))


@tagged("post_install", "-at_install")
class TestForecastDemo(TransactionCase):
    def test_demo_monday_shows_last_weeks_actual(self):
        lead = self.env.ref("sales_cycle_process.demo_playbook_lead_won", raise_if_not_found=False)
        if not lead:
            self.skipTest("installed without demo data")
        admin = self.env.ref("base.user_admin")
        today = fields.Date.context_today(lead.with_user(admin))
        monday = week_start(today)
        # the demo deal was won last week: the Monday accuracy compares it with last week's commit
        commit, actual, _percent = (
            self.env["scp.forecast.measures"].with_user(admin)._accuracy(admin, monday)[admin.id]
        )
        self.assertEqual((commit, actual), (85000.0, 120000.0))
