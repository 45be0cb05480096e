import io
from datetime import date, datetime

import openpyxl
from freezegun import freeze_time

from odoo import fields
from odoo.addons.sales_cycle_process.tools.periods import months_ahead, week_start
from odoo.exceptions import ValidationError
from odoo.tests import Form, TransactionCase, new_test_user, tagged

from .commit_checklist_common import complete_commit_checklist

TODAY = date(2026, 3, 11)  # a Wednesday: the Monday screen's week is the week of Monday 9 March
MONDAY = date(2026, 3, 9)
MARCH_DAYS = 31


@tagged("post_install", "-at_install")
class TestForecastAttainment(TransactionCase):
    """Will we reach the stretched target? A small known data set, Wednesday 11 March 2026.

    Alice (target 22,000 a month from January 2026 to February 2027): won 5,000 on 20 January, an order of
    7,000 on 10 February, won 10,000 on 4 March; commits for the week of 9 March deal 1 (3,000, closing
    12 March) and deal 2 (8,000, 25 March) with deal 3 (1,900, 13 March) as upside; wins deal 1 on
    Tuesday 10 March. Her March forecast: the open deals (18,900) + 20,000 a month = 258,900.
    Bob (target 12,000 in March only): an order of 6,000 on 2 March, no commit.
    The team's own target for March: 55,000.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, mail_notrack=True))
        Stage = cls.env["crm.stage"]
        cls.stage_upside = Stage.create(
            {"name": "AT Upside", "probability": 80, "forecast_category": "upside"}
        )
        cls.stage_commit = Stage.create(
            {"name": "AT Commit", "probability": 90, "forecast_category": "commit"}
        )
        cls.stage_won = Stage.create(
            {"name": "AT Won", "probability": 100, "forecast_category": "closed", "is_won": True}
        )
        cls.manager = new_test_user(cls.env, "at_manager", groups="sales_team.group_sale_manager", tz="UTC")
        cls.alice = new_test_user(cls.env, "at_alice", groups="sales_team.group_sale_salesman", tz="UTC")
        cls.bob = new_test_user(cls.env, "at_bob", groups="sales_team.group_sale_salesman", tz="UTC")
        cls.carol = new_test_user(cls.env, "at_carol", groups="sales_team.group_sale_salesman", tz="UTC")
        cls.team = cls.env["crm.team"].create(
            {"name": "AT Team", "user_id": cls.manager.id, "member_ids": [(6, 0, [cls.alice.id, cls.bob.id])]}
        )
        alice_months = months_ahead(date(2026, 1, 1), 14)  # January 2026 to February 2027
        cls.env["scp.sales.target"].create(
            [
                *(
                    {"user_id": cls.alice.id, "month": month, "base_amount": 20000, "raise_factor": 1.1}
                    for month in alice_months
                ),
                {"user_id": cls.bob.id, "month": "2026-03-01", "base_amount": 10000, "raise_factor": 1.2},
                {"team_id": cls.team.id, "month": "2026-03-01", "base_amount": 50000, "raise_factor": 1.1},
            ]
        )
        cls.partner = cls.env["res.partner"].create({"name": "AT Customer"})
        cls.product = cls.env["product.product"].create(
            {"name": "AT Press", "type": "consu", "list_price": 1.0}
        )

        with freeze_time("2026-01-15 10:00:00"):
            january = cls._deal(cls.alice, "AT January", 5000, "2026-01-20", cls.stage_commit)
        with freeze_time("2026-01-20 10:00:00"):
            january.stage_id = cls.stage_won
        with freeze_time("2026-02-10 10:00:00"):
            cls._order(cls.alice, 7000)
        with freeze_time("2026-02-25 10:00:00"):
            cls.won_w = cls._deal(cls.alice, "AT W", 10000, "2026-03-04", cls.stage_commit)
            cls.deal_1 = cls._deal(cls.alice, "AT Deal 1", 3000, "2026-03-12", cls.stage_commit)
            cls.deal_2 = cls._deal(cls.alice, "AT Deal 2", 8000, "2026-03-25", cls.stage_commit)
            cls.deal_3 = cls._deal(cls.alice, "AT Deal 3", 1900, "2026-03-13", cls.stage_upside)
            cls.deal_4 = cls._deal(cls.alice, "AT Deal 4", 6000, "2026-05-05", cls.stage_upside)
        with freeze_time("2026-03-01 10:00:00"):
            # the week of 2 March: W committed (10,000 closing on the 4th)
            cls.commit_last = cls._commit(cls.alice, date(2026, 3, 2))
        with freeze_time("2026-03-02 10:00:00"):
            cls._order(cls.bob, 6000)
        with freeze_time("2026-03-04 10:00:00"):
            cls.won_w.stage_id = cls.stage_won
        with freeze_time("2026-03-08 10:00:00"):
            cls.commit_week = cls._commit(cls.alice, MONDAY)
            cls.forecast = (
                cls.env["scp.sales.forecast"]
                .with_user(cls.alice)
                ._submit(
                    cls.alice,
                    cls.team,
                    date(2026, 3, 1),
                    [{"month": month, "adjustment": 20000} for month in months_ahead(date(2026, 3, 1), 12)],
                )
            )
        with freeze_time("2026-03-10 10:00:00"):
            cls.deal_1.stage_id = cls.stage_won  # won during the week it was committed for

    @classmethod
    def _deal(cls, user, name, amount, deadline, stage):
        return cls.env["crm.lead"].create(
            {
                "name": name,
                "type": "opportunity",
                "user_id": user.id,
                "team_id": cls.team.id,
                "partner_id": cls.partner.id,
                "expected_revenue": amount,
                "date_deadline": deadline,
                "stage_id": stage.id,
                "probability": stage.probability,
            }
        )

    @classmethod
    def _order(cls, user, amount, qty=1):
        order = cls.env["sale.order"].create(
            {
                "partner_id": cls.partner.id,
                "user_id": user.id,
                "order_line": [
                    (
                        0,
                        0,
                        {
                            "product_id": cls.product.id,
                            "product_uom_qty": qty,
                            "price_unit": amount / qty,
                            "tax_id": False,
                        },
                    )
                ],
            }
        )
        order.action_confirm()
        return order

    @classmethod
    def _commit(cls, user, monday):
        """The salesperson's commit of the week: every proposed deal in its stage's category (the deals of
        the commit rung answer their checklist, so that they count as commit)."""
        leads = cls.env["scp.commit.wizard"].with_user(user)._proposed_leads(user, monday)
        complete_commit_checklist(cls.env, leads.filtered(lambda lead: lead.forecast_category == "commit"))
        lines = [{"lead_id": lead.id, "category": lead.forecast_category} for lead in leads]
        return cls.env["scp.sales.commit"].with_user(user)._submit(user, cls.team, monday, lines)

    def _rows(self, **settings):
        if settings:
            self.env.company.write(settings)
        rows = self.env["scp.forecast.measures"].with_user(self.manager)._consolidate(self.team, TODAY)
        by_user = {row["user_id"]: row for row in rows if not row.get("is_team_total")}
        team = next(row for row in rows if row.get("is_team_total") and row["team_id"] == self.team.id)
        return by_user[self.alice.id], by_user[self.bob.id], team

    # ------------------------------------------------------------------------------------------------
    def test_the_fixture_commits_what_the_docstring_says(self):
        self.assertEqual(self.commit_last.commit_week, 10000)
        week = self.commit_week
        self.assertEqual(
            (week.commit_week, week.upside_week, week.commit_month, week.upside_month, week.commit_quarter),
            (3000, 1900, 11000, 1900, 11000),
        )
        self.assertEqual(self.forecast.total, 18900 + 12 * 20000)

    def test_attainment_to_date_month_and_quarter(self):
        alice, bob, team = self._rows()
        # March to date: 10,000 (4th) + 3,000 (10th, won during the week) against 22,000
        self.assertEqual((alice["month_won"], alice["month_target"]), (13000, 22000))
        self.assertAlmostEqual(alice["month_attainment"], 13000 / 22000 * 100)
        # the quarter: + 5,000 in January and 7,000 in February, against 3 x 22,000
        self.assertEqual((alice["quarter_won"], alice["quarter_target"]), (25000, 66000))
        self.assertAlmostEqual(alice["quarter_attainment"], 25000 / 66000 * 100)
        # Bob: a 6,000 order against 12,000 (his only target of the quarter)
        self.assertEqual((bob["month_won"], bob["month_target"], bob["quarter_target"]), (6000, 12000, 12000))
        self.assertAlmostEqual(bob["month_attainment"], 50.0)
        # the team: its own March target wins; January and February are its members' (Alice's)
        self.assertEqual((team["month_won"], team["month_target"]), (19000, 55000))
        self.assertEqual((team["quarter_won"], team["quarter_target"]), (31000, 22000 + 22000 + 55000))
        self.assertAlmostEqual(team["month_attainment"], 19000 / 55000 * 100)
        self.assertAlmostEqual(team["quarter_attainment"], 31000 / 99000 * 100)

    def test_forecast_and_upside_against_the_stretched_target(self):
        alice, bob, team = self._rows()
        # booked before Monday (10,000) + the week's commit for March (11,000) + upside (1,900); deal 1, won
        # on Tuesday, is counted once (in the commit)
        self.assertEqual(alice["month_forecast_upside"], 22900)
        self.assertAlmostEqual(alice["month_forecast_pct"], 22900 / 22000 * 100)
        self.assertEqual(alice["month_forecast_colour"], "success")
        # the quarter: 5,000 + 7,000 + 10,000 booked + 11,000 + 1,900 against 66,000
        self.assertEqual(alice["quarter_forecast_upside"], 34900)
        self.assertAlmostEqual(alice["quarter_forecast_pct"], 34900 / 66000 * 100)
        self.assertEqual(alice["quarter_forecast_colour"], "danger")
        # Bob has no commit: what he booked
        self.assertEqual(bob["month_forecast_upside"], 6000)
        self.assertEqual(bob["month_forecast_colour"], "danger")
        self.assertEqual(team["month_forecast_upside"], 28900)
        self.assertAlmostEqual(team["month_forecast_pct"], 28900 / 55000 * 100)
        self.assertAlmostEqual(team["quarter_forecast_pct"], 40900 / 99000 * 100)
        # the target band is a setting: at 50 % Alice's quarter is within 10 points
        alice, _bob, _team = self._rows(forecast_band_target_min=60)
        self.assertEqual(alice["quarter_forecast_colour"], "warning")

    def test_the_twelve_months_forecast_against_the_annual_target(self):
        alice, bob, team = self._rows()
        # March 2026 to February 2027: 12 x 22,000
        self.assertEqual((alice["forecast_total"], alice["target"]), (258900, 264000))
        self.assertAlmostEqual(alice["forecast_target_pct"], 258900 / 264000 * 100)
        self.assertEqual(alice["annual_forecast_colour"], "warning")  # 98 %: within 10 points of 100 %
        self.assertEqual(bob["forecast_target_pct"], 0.0)
        # the team's 12-month target is the screen's Stretched Target column (its own targets win)
        self.assertAlmostEqual(team["forecast_target_pct"], 258900 / 55000 * 100)
        self.assertEqual(team["annual_forecast_colour"], "success")

    def test_this_weeks_commit_and_upside_against_linear(self):
        alice, bob, team = self._rows()
        # the week of 9 March is 7 of March's 31 days: 7/31 of the month's target
        self.assertEqual(alice["week_commit_upside"], 3000 + 1900)
        self.assertAlmostEqual(alice["week_linear_share"], 22000 * 7 / MARCH_DAYS)
        self.assertAlmostEqual(alice["week_linear"], 4900 / (22000 * 7 / MARCH_DAYS) * 100)  # 98.6 %
        self.assertEqual(alice["week_linear_colour"], "success")
        self.assertEqual((bob["week_linear"], bob["week_linear_colour"]), (0.0, "danger"))
        self.assertAlmostEqual(team["week_linear_share"], 55000 * 7 / MARCH_DAYS)
        self.assertAlmostEqual(team["week_linear"], 4900 / (55000 * 7 / MARCH_DAYS) * 100)
        # the band is a setting
        alice, _bob, _team = self._rows(forecast_band_linear_max=98)
        self.assertEqual(alice["week_linear_colour"], "warning")

    def test_a_week_across_two_months_takes_each_days_share(self):
        self.env["scp.sales.target"].create(
            {"user_id": self.bob.id, "month": "2026-04-01", "base_amount": 30000, "raise_factor": 1.0}
        )
        values = self.env["scp.forecast.measures"]._target_attainment(
            self.bob, self.team, date(2026, 3, 30), date(2026, 3, 30)
        )["users"][self.bob.id]
        # Monday 30 and Tuesday 31 March, then five April days
        self.assertAlmostEqual(values["week_linear_share"], 12000 * 2 / 31 + 30000 * 5 / 30)

    def test_last_weeks_actual_against_commit_is_the_decks_95_to_110_band(self):
        alice, _bob, _team = self._rows()
        # the week of 2 March: W committed (10,000) and won on the 4th
        self.assertEqual((alice["last_commit"], alice["last_actual"]), (10000, 10000))
        self.assertAlmostEqual(alice["accuracy"], 100.0)
        self.assertEqual(alice["accuracy_colour"], "success")
        colour = self.env["scp.forecast.measures"]._colour
        self.assertEqual(
            [colour("accuracy", value) for value in (84.9, 94.9, 95, 110, 110.1, 120.1)],
            ["danger", "warning", "success", "success", "warning", "danger"],
        )

    def test_a_constant_number_of_queries_whatever_the_salespeople(self):
        measures = self.env["scp.forecast.measures"].with_user(self.manager)
        measures._target_attainment(self.bob, self.team, MONDAY, TODAY)  # caches warm (rules, rights)
        counts = []
        for users in (self.alice, self.alice | self.bob | self.carol):
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            measures._target_attainment(users, self.team, MONDAY, TODAY)
            counts.append(self.env.cr.sql_log_count - before)
        self.assertEqual(counts[0], counts[1], f"1 salesperson: {counts[0]} queries, 3: {counts[1]}")

    def test_several_weeks_at_once_match_each_week(self):
        """The pack measures all its months in one set of queries: the same figures as one week at a time."""
        measures = self.env["scp.forecast.measures"].with_user(self.manager)
        users = self.alice | self.bob
        weeks = [date(2026, 2, 23), date(2026, 3, 2), MONDAY]
        together = measures._target_attainment_by_week(users, self.team, weeks, TODAY)
        for monday in weeks:
            with self.subTest(monday=monday):
                self.assertEqual(
                    together[monday], measures._target_attainment(users, self.team, monday, TODAY)
                )
        february = together[date(2026, 2, 23)]["users"][self.alice.id]
        # February's week (no commit): February won 7,000; the quarter to date 25,000; booked before the
        # week 7,000 in February, 12,000 in the quarter
        self.assertEqual(
            [
                february[key]
                for key in ("month_won", "quarter_won", "month_forecast_upside", "quarter_forecast_upside")
            ],
            [7000, 25000, 7000, 12000],
        )

    def test_band_colours(self):
        colour = self.env["scp.forecast.measures"]._colour
        self.assertEqual(
            [colour("linear", value) for value in (84.9, 90, 95, 100, 105, 110.1)],
            ["danger", "warning", "success", "success", "warning", "danger"],
        )
        self.assertEqual(
            [colour("target", value) for value in (89.9, 90, 99.9, 100, 150)],
            ["danger", "warning", "warning", "success", "success"],
        )

    def test_the_settings_are_bounded_and_shown(self):
        company = self.env.company
        for vals in (
            {"forecast_band_linear_min": -1},
            {"forecast_band_linear_min": float("nan")},
            {"forecast_band_target_min": 1000.5},
            {"forecast_band_linear_min": 101, "forecast_band_linear_max": 100},
        ):
            with self.subTest(vals=vals), self.assertRaises(ValidationError):
                company.write(vals)
        with self.assertRaises(ValidationError):
            self.env["res.config.settings"].create(
                {"forecast_band_linear_min": 99, "forecast_band_linear_max": 98}
            )
        self.assertEqual(
            (
                company.forecast_band_linear_min,
                company.forecast_band_linear_max,
                company.forecast_band_target_min,
            ),
            (95.0, 100.0, 100.0),
        )
        self.assertEqual(company.forecast_unfulfilled_basis, "both")
        form = Form(self.env["res.config.settings"])
        form.forecast_band_linear_min = 90
        form.forecast_band_target_min = 105
        form.forecast_unfulfilled_basis = "unpaid"
        form.save().execute()
        self.assertEqual(
            (
                company.forecast_band_linear_min,
                company.forecast_band_target_min,
                company.forecast_unfulfilled_basis,
            ),
            (90.0, 105.0, "unpaid"),
        )

    def test_unfulfilled_orders_per_setting(self):
        """Carol's February: 2,000 delivered; 3,000 not delivered; 5,000 delivered, invoiced and unpaid past
        its due date (1 March); 10,000 delivered, invoiced, unpaid but due on 31 March. 20,000 in all."""
        with freeze_time("2026-02-12 10:00:00"):
            done = self._order(self.carol, 2000, qty=2)
            undelivered = self._order(self.carol, 3000, qty=3)
            overdue = self._order(self.carol, 5000)
            not_due = self._order(self.carol, 10000)
        (done | overdue | not_due).order_line.write({"qty_delivered": 1})
        done.order_line.qty_delivered = 2
        undelivered.order_line.qty_delivered = 2  # 2 of 3 delivered: not delivered yet
        for order, due in ((overdue, "2026-03-01"), (not_due, "2026-03-31")):
            invoice = order._create_invoices()
            invoice.write({"invoice_date": "2026-02-15", "invoice_payment_term_id": False})
            invoice.invoice_date_due = due
            invoice.action_post()
            self.assertEqual((invoice.state, invoice.invoice_date_due), ("posted", fields.Date.to_date(due)))
        measures = self.env["scp.forecast.measures"]
        expected = {"not_delivered": 3000 / 20000, "unpaid": 5000 / 20000, "both": 8000 / 20000}
        for basis, share in expected.items():
            with self.subTest(basis=basis):
                self.env.company.forecast_unfulfilled_basis = basis
                result = measures._unfulfilled(self.carol, date(2026, 2, 1), date(2026, 2, 28), TODAY)
                self.assertAlmostEqual(result[self.carol.id], share * 100)
        # paid: no longer unfulfilled
        self.env.company.forecast_unfulfilled_basis = "unpaid"
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=overdue.invoice_ids.ids
        ).create({"payment_date": "2026-03-05"})._create_payments()
        self.assertEqual(
            measures._unfulfilled(self.carol, date(2026, 2, 1), date(2026, 2, 28), TODAY)[self.carol.id], 0.0
        )
        # the Monday screen judges it with the band (below 5 %)
        self.env.company.forecast_unfulfilled_basis = "both"
        team = self.env["crm.team"].create({"name": "AT Carol", "member_ids": [(6, 0, self.carol.ids)]})
        row = next(row for row in measures._consolidate(team, TODAY) if row["user_id"] == self.carol.id)
        self.assertAlmostEqual(row["unfulfilled"], 3000 / 20000 * 100)
        self.assertEqual(row["unfulfilled_colour"], "danger")

    def test_the_monday_columns_list_the_new_measures(self):
        columns = {
            key: colour for key, _label, _kind, colour in self.env["scp.forecast.measures"]._monday_columns()
        }
        alice, _bob, team = self._rows()
        for key in (
            "month_won",
            "month_target",
            "month_attainment",
            "month_forecast_upside",
            "month_forecast_pct",
            "quarter_won",
            "quarter_target",
            "quarter_attainment",
            "quarter_forecast_upside",
            "quarter_forecast_pct",
            "forecast_target_pct",
            "week_commit_upside",
            "week_linear_share",
            "week_linear",
        ):
            with self.subTest(key=key):
                self.assertIn(key, columns)
                self.assertIn(key, alice)
                self.assertIn(key, team)
                if columns[key]:
                    self.assertIn(columns[key], alice)

    def test_the_forecast_pack_shows_attainment(self):
        with freeze_time("2026-03-11 12:00:00"):
            content, _kind = self.env["report.sales_cycle_process.forecast_pack_xlsx"].create_xlsx_report(
                self.forecast.ids, {}
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
        sheet = book["Attainment"]
        self.assertEqual(sheet["D1"].value, "Won (month to date)")
        self.assertEqual(sheet.max_row, 3)
        alice = [cell.value for cell in sheet[2]]
        self.assertEqual(alice[:2], [self.alice.name, "AT Team"])
        self.assertEqual(alice[2], datetime(2026, 3, 1))
        self.assertEqual(alice[3:5], [13000, 22000])
        self.assertAlmostEqual(alice[5], 13000 / 22000)
        self.assertEqual(alice[6], 22900)
        self.assertAlmostEqual(alice[7], 22900 / 22000)
        self.assertEqual(alice[8:10], [25000, 66000])
        self.assertEqual(alice[11], 34900)
        self.assertAlmostEqual(alice[12], 34900 / 66000)
        self.assertEqual(alice[13:15], [258900, 264000])
        self.assertAlmostEqual(alice[15], 258900 / 264000)
        team = [cell.value for cell in sheet[3]]
        self.assertEqual(team[:2], ["Team total", "AT Team"])
        # the team of the printed forecasts: Alice's figures, the team's own March target
        self.assertEqual(team[3:5], [13000, 55000])
        self.assertEqual(team[6], 22900)
        self.assertEqual(team[9], 22000 + 22000 + 55000)
        self.assertEqual(team[13:15], [258900, 55000])
        self.assertEqual(sheet["F2"].number_format, "0.0%")
        self.assertEqual(sheet.freeze_panes, "A2")
        self.assertTrue(sheet.auto_filter.ref)


@tagged("post_install", "-at_install")
class TestForecastAttainmentDemo(TransactionCase):
    def test_demo_salespeople_show_every_new_measure(self):
        if not self.env.ref(
            "sales_cycle_process.demo_forecast_measures_commit_demo", raise_if_not_found=False
        ):
            self.skipTest("installed without demo data")
        admin = self.env.ref("base.user_admin")
        demo = self.env.ref("base.user_demo")
        teams = self.env.ref("sales_team.team_sales_department") | self.env.ref("sales_team.crm_team_1")
        today = fields.Date.context_today(admin)
        self.assertEqual(
            week_start(today),
            self.env.ref("sales_cycle_process.demo_forecast_measures_commit_demo").week_start,
        )
        rows = self.env["scp.forecast.measures"].with_user(admin)._consolidate(teams, today)
        for user in (admin, demo):
            row = next(row for row in rows if row["user_id"] == user.id)
            with self.subTest(user=user.login):
                for key in (
                    "month_won",
                    "month_attainment",
                    "month_forecast_pct",
                    "quarter_attainment",
                    "quarter_forecast_pct",
                    "forecast_target_pct",
                    "week_linear",
                ):
                    self.assertGreater(row[key], 0, key)
        admin_row = next(row for row in rows if row["user_id"] == admin.id)
        self.assertGreater(admin_row["unfulfilled"], 0)
