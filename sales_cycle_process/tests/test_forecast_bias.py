# Copyright 2026 sales_cycle_process contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import io
from datetime import date, datetime, timedelta

import openpyxl
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, TransactionCase, new_test_user, tagged

TODAY = date(2026, 3, 11)  # a Wednesday: the last full week is that of Monday 2 March
LAST_WEEK = date(2026, 3, 2)
WEEKS = [LAST_WEEK - timedelta(days=7 * offset) for offset in range(7, -1, -1)]  # 12 Jan .. 2 Mar


@tagged("post_install", "-at_install")
class TestForecastBias(TransactionCase):
    """Each rep's forecasting bias on a small known history, Wednesday 11 March 2026, the company's
    settings at their defaults (8 weeks, at least 4; 6 months, at least 3; accurate from 95 to 110 %).

    In team "BI Team" (led by Lea), every week from 12 January to 2 March (8 weeks), each commits 10,000
    and books, by an order without a deal on the Wednesday:
    - Olga 7,000 (70 %: over-committing); Ursula 13,000 (130 %: under-committing);
    - Adam 10,000 (100 %: accurate), but has no commit for the week of 2 February (7 weeks counted);
    - Tim 5,000 + 500 a week (50 % up to 85 %: over-committing, improving by 5 points a week);
    - Nina joined late: commits and books 10,000 the last 3 weeks only (not enough history).
    Olga's monthly forecasts: 10,000 for December, 30,000 for January, 40,000 for February (the month's own
    line of the forecast submitted for it); she booked 7,000 on 10 December, 21,000 in January and 28,000
    in February: 70 % each month.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, mail_notrack=True))

        def user(login, group="sales_team.group_sale_salesman"):
            return new_test_user(cls.env, login, groups=group, tz="UTC", name=login.replace("_", " ").title())

        cls.manager = user("bi_manager", "sales_team.group_sale_manager")
        cls.leader = user("bi_leader", "sales_team.group_sale_salesman_all_leads")
        cls.olga, cls.ursula, cls.adam, cls.tim, cls.nina = (
            user(login) for login in ("bi_olga", "bi_ursula", "bi_adam", "bi_tim", "bi_nina")
        )
        cls.reps = cls.olga | cls.ursula | cls.adam | cls.tim | cls.nina
        cls.team = cls.env["crm.team"].create(
            {"name": "BI Team", "user_id": cls.leader.id, "member_ids": [Command.set(cls.reps.ids)]}
        )
        cls.partner = cls.env["res.partner"].create({"name": "BI Customer"})
        cls.product = cls.env["product.product"].create(
            {"name": "BI Press", "type": "consu", "list_price": 1}
        )
        commits, bookings = [], []
        for index, monday in enumerate(WEEKS):
            calls = {
                cls.olga: (10000, 7000),
                cls.ursula: (10000, 13000),
                cls.adam: (10000 if monday != date(2026, 2, 2) else 0, 10000),
                cls.tim: (10000, 5000 + 500 * index),
            }
            if index >= 5:
                calls[cls.nina] = (10000, 10000)
            for rep, (commit, actual) in calls.items():
                if commit:
                    commits.append(cls._commit_vals(rep, monday, commit))
                bookings.append(
                    (rep, actual, datetime.combine(monday + timedelta(days=2), datetime.min.time()))
                )
        cls.commits = cls.env["scp.sales.commit"].create(commits)
        bookings.append((cls.olga, 7000, datetime(2025, 12, 10, 10)))
        cls._orders(bookings)
        # Olga's forecasts: the month's own line is the call; the January forecast's February line is not
        cls.forecasts = cls.env["scp.sales.forecast"].create(
            [
                cls._forecast_vals(cls.olga, date(2025, 12, 1), {date(2025, 12, 1): 10000}),
                cls._forecast_vals(
                    cls.olga, date(2026, 1, 1), {date(2026, 1, 1): 30000, date(2026, 2, 1): 99000}
                ),
                cls._forecast_vals(cls.olga, date(2026, 2, 1), {date(2026, 2, 1): 40000}),
            ]
        )
        cls.Measures = cls.env["scp.forecast.measures"]

    @classmethod
    def _commit_vals(cls, rep, monday, amount):
        return {
            "user_id": rep.id,
            "team_id": cls.team.id,
            "week_start": monday,
            "submitted_on": datetime.combine(monday, datetime.min.time()),
            "commit_week": amount,
            "commit_month": amount,
            "commit_quarter": amount,
            "commit_total": amount,
        }

    @classmethod
    def _forecast_vals(cls, rep, month, lines):
        return {
            "user_id": rep.id,
            "team_id": cls.team.id,
            "month": month,
            "submitted_on": datetime.combine(month, datetime.min.time()),
            "total": sum(lines.values()),
            "line_ids": [
                Command.create({"month": first, "amount": amount}) for first, amount in lines.items()
            ],
        }

    @classmethod
    def _orders(cls, bookings):
        """Confirmed orders without a deal (bookings), each dated as given."""
        orders = cls.env["sale.order"].create(
            [
                {
                    "partner_id": cls.partner.id,
                    "user_id": rep.id,
                    "order_line": [
                        Command.create({"product_id": cls.product.id, "price_unit": amount, "tax_id": False})
                    ],
                }
                for rep, amount, _when in bookings
            ]
        )
        orders.action_confirm()
        for order, (_rep, _amount, when) in zip(orders, bookings, strict=True):
            order.date_order = when

    def _weeks(self, users=None):
        return self.Measures.with_user(self.manager)._bias(users or self.reps, "week", LAST_WEEK)

    # --- the verdicts -------------------------------------------------------------------------------
    def test_70_percent_of_the_commit_is_over_committing(self):
        olga = self._weeks()[self.olga.id]
        self.assertEqual([period for period, *_rest in olga["periods"]], WEEKS)
        self.assertEqual([ratio for *_rest, ratio in olga["periods"]], [70.0] * 8)
        self.assertEqual((olga["counted"], olga["ratio"], olga["label"]), (8, 70.0, "over"))
        self.assertEqual((olga["slope"], olga["trend"]), (0.0, "steady"))
        self.assertEqual(olga["periods"][0][1:3], (10000, 7000), "commit and actual of the week")

    def test_130_percent_is_under_committing_and_100_accurate(self):
        verdicts = self._weeks()
        ursula, adam = verdicts[self.ursula.id], verdicts[self.adam.id]
        self.assertEqual((ursula["counted"], ursula["ratio"], ursula["label"]), (8, 130.0, "under"))
        # the week of 2 February without a commit is not counted (its booking has nothing to be against)
        self.assertEqual((adam["counted"], adam["ratio"], adam["label"]), (7, 100.0, "accurate"))
        self.assertIs(adam["periods"][3][3], False)
        self.assertEqual(adam["trend"], "steady")

    def test_too_few_weeks_is_not_enough_history(self):
        nina = self._weeks()[self.nina.id]
        self.assertEqual((nina["counted"], nina["ratio"], nina["label"]), (3, 100.0, "none"))
        # the company asking for 3 weeks at least: she is judged
        self.env.company.forecast_bias_min_weeks = 3
        self.assertEqual(self._weeks()[self.nina.id]["label"], "accurate")

    def test_the_trend_improves_as_the_ratio_climbs_to_the_band(self):
        tim = self._weeks()[self.tim.id]
        self.assertEqual(
            [round(ratio, 6) for *_rest, ratio in tim["periods"]],
            [50.0, 55.0, 60.0, 65.0, 70.0, 75.0, 80.0, 85.0],
        )
        # the median of 8 weeks: (65 + 70) / 2
        self.assertEqual((round(tim["ratio"], 6), tim["label"]), (67.5, "over"))
        self.assertAlmostEqual(tim["slope"], 5.0)
        self.assertEqual(tim["trend"], "improving")
        # the same climb past the band moves away from it: worsening
        verdict = self.Measures._bias_verdict(
            [(week, 100, 100 + 10 * index) for index, week in enumerate(WEEKS)],
            self.Measures._bands(),
            4,
        )
        self.assertEqual(
            (verdict["ratio"], verdict["label"], verdict["trend"]), (135.0, "under", "worsening")
        )

    def test_the_thresholds_are_the_accuracy_band(self):
        self.env.company.write({"forecast_band_accuracy_min": 65.0})
        self.assertEqual(self._weeks()[self.olga.id]["label"], "accurate")
        self.env.company.write({"forecast_band_accuracy_max": 140.0})
        self.assertEqual(self._weeks()[self.ursula.id]["label"], "accurate")
        # the weeks read: 4 of them, the last ones
        self.env.company.write({"forecast_bias_weeks": 4})
        tim = self._weeks()[self.tim.id]
        self.assertEqual([round(ratio, 6) for *_rest, ratio in tim["periods"]], [70.0, 75.0, 80.0, 85.0])
        self.assertEqual((tim["counted"], round(tim["ratio"], 6)), (4, 77.5))

    def test_the_settings_are_checked(self):
        with Form(self.env["res.config.settings"]) as settings:
            self.assertEqual(settings.forecast_bias_weeks, 8)
            settings.forecast_bias_weeks = 13
        self.assertEqual(self.env.company.forecast_bias_weeks, 13)
        for values in (
            {"forecast_bias_min_weeks": 14},
            {"forecast_bias_weeks": 0},
            {"forecast_bias_months": 500},
            {"forecast_bias_min_months": 0},
        ):
            with self.subTest(values=values), self.assertRaises(ValidationError), self.cr.savepoint():
                self.env.company.write(values)

    def test_month_by_month_forecast_against_actual(self):
        olga = self.Measures._bias(self.olga, "month", date(2026, 2, 1))[self.olga.id]
        self.assertEqual(
            [(period, called, actual) for period, called, actual, _ratio in olga["periods"]],
            [
                (date(2025, 9, 1), 0.0, 0.0),
                (date(2025, 10, 1), 0.0, 0.0),
                (date(2025, 11, 1), 0.0, 0.0),
                (date(2025, 12, 1), 10000, 7000),
                (date(2026, 1, 1), 30000, 21000),
                (date(2026, 2, 1), 40000, 28000),
            ],
        )
        self.assertEqual((olga["counted"], olga["ratio"], olga["label"]), (3, 70.0, "over"))

    def test_one_query_per_measure_whatever_the_number_of_reps(self):
        Measures = self.Measures.with_user(self.manager)
        counts = []
        # the first round fills the caches (access rules, settings); then 1 rep, then 5
        for users in (self.adam, self.olga, self.reps):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            Measures._bias(users, "week", LAST_WEEK)
            Measures._bias(users, "month", date(2026, 2, 1))
            counts.append(self.env.cr.sql_log_count - before)
        self.assertEqual(counts[1], counts[2])

    # --- the Monday screen -------------------------------------------------------------------------
    def test_the_monday_screen_rows_carry_the_bias(self):
        keys = {key: colour for key, _label, _kind, colour in self.Measures._monday_columns()}
        self.assertEqual(keys["bias_label"], "bias_colour")
        self.assertLessEqual({"bias_ratio", "bias_weeks", "bias_trend", "bias_note"}, set(keys))
        for user in (self.manager, self.leader):
            with self.subTest(user=user.login):
                screen = self.Measures.with_user(user).get_monday_screen(date="2026-03-11")
                rows = {row["name"]: row for row in screen["rows"] if row.get("team_id") == self.team.id}
                olga, ursula, adam, nina = (
                    rows[name] for name in ("Bi Olga", "Bi Ursula", "Bi Adam", "Bi Nina")
                )
                self.assertEqual(
                    (olga["bias_label"], olga["bias_ratio"], olga["bias_weeks"], olga["bias_colour"]),
                    ("Consistently over-committing", 70.0, 8, "danger"),
                )
                self.assertEqual(
                    (ursula["bias_label"], ursula["bias_ratio"], ursula["bias_weeks"]),
                    ("Consistently under-committing", 130.0, 8),
                )
                self.assertEqual((adam["bias_label"], adam["bias_weeks"]), ("Accurate", 7))
                self.assertEqual((nina["bias_label"], nina["bias_weeks"]), ("Not enough history", 3))
                self.assertEqual(rows["Bi Tim"]["bias_trend"], "Improving")
                self.assertEqual(
                    olga["bias_note"],
                    "Consistently over-committing: in a typical week, delivered 70 % of the commit, over 8 "
                    "weeks with a commit. Trend: steady (+0.0 points a week).",
                )
                # the team: its members' commits and actuals added up week by week (87.5 % up to 97 %; in
                # the week of 2 February Adam's 10,000 booked without a commit makes it 121.7 %)
                team = rows["BI Team"]
                self.assertEqual(team["level"], "team")
                self.assertEqual(
                    (
                        team["bias_label"],
                        round(team["bias_ratio"], 6),
                        team["bias_weeks"],
                        team["bias_trend"],
                    ),
                    ("Consistently over-committing", 93.75, 8, "Improving"),
                )
                self.assertEqual([round(ratio, 6) for ratio in team["bias_history"]][::7], [87.5, 97.0])

    def test_a_salesperson_does_not_get_the_screen(self):
        with self.assertRaises(AccessError):
            self.Measures.with_user(self.olga).get_monday_screen(date="2026-03-11")

    # --- the packs ----------------------------------------------------------------------------------
    def _sheet(self, report, records, user):
        with freeze_time("2026-03-11 12:00:00"):
            content, _kind = (
                self.env[f"report.sales_cycle_process.{report}"]
                .with_user(user)
                .create_xlsx_report(records.ids, {})
            )
        return openpyxl.load_workbook(io.BytesIO(content))["Forecasting bias"]

    def test_the_commit_pack_has_the_weekly_bias(self):
        printed = self.commits.filtered(lambda commit: commit.week_start == LAST_WEEK)
        sheet = self._sheet("commit_pack_xlsx", printed, self.manager)
        header = [cell.value for cell in sheet[1]]
        self.assertEqual(
            header[:4], ["Salesperson", "Forecasting Bias", "Typical Actual / Commit", "Weeks Counted"]
        )
        self.assertEqual(header[7:], [week.strftime("%Y-%m-%d") for week in WEEKS])
        rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
        self.assertEqual(list(rows), ["Bi Adam", "Bi Nina", "Bi Olga", "Bi Tim", "Bi Ursula"])
        olga = rows["Bi Olga"]
        self.assertEqual(olga[1:6], ("Consistently over-committing", 0.7, 8, "Steady", 0))
        self.assertEqual(list(olga[7:]), [0.7] * 8)
        self.assertEqual(rows["Bi Ursula"][1:4], ("Consistently under-committing", 1.3, 8))
        adam = rows["Bi Adam"]
        self.assertEqual(adam[1:4], ("Accurate", 1.0, 7))
        self.assertIsNone(adam[7 + 3], "no commit for the week of 2 February")
        self.assertEqual(rows["Bi Nina"][1:4], ("Not enough history", 1.0, 3))
        self.assertEqual(rows["Bi Tim"][4], "Improving")
        self.assertAlmostEqual(rows["Bi Tim"][5], 5.0)
        # a salesperson prints their own commit: their own row only
        sheet = self._sheet("commit_pack_xlsx", printed.filtered(lambda c: c.user_id == self.olga), self.olga)
        self.assertEqual([row[0] for row in sheet.iter_rows(min_row=2, values_only=True)], ["Bi Olga"])

    def test_the_forecast_pack_has_the_monthly_bias(self):
        sheet = self._sheet("forecast_pack_xlsx", self.forecasts[-1], self.manager)
        header = [cell.value for cell in sheet[1]]
        self.assertEqual(header[2:4], ["Typical Actual / Forecast", "Months Counted"])
        self.assertEqual(header[7:], ["2025-09", "2025-10", "2025-11", "2025-12", "2026-01", "2026-02"])
        [olga] = list(sheet.iter_rows(min_row=2, values_only=True))
        self.assertEqual(olga[:4], ("Bi Olga", "Consistently over-committing", 0.7, 3))
        self.assertEqual(list(olga[7:]), [None, None, None, 0.7, 0.7, 0.7])
