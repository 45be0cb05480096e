from datetime import date, datetime

from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestForecastLinearityVelocity(TransactionCase):
    """Linearity and sales velocity, the seed's last two measures, against figures worked out by hand."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, mail_notrack=True))
        cls.won_stage = cls.env["crm.stage"].create({"name": "LV Won", "is_won": True, "probability": 100})
        cls.open_stage = cls.env["crm.stage"].create({"name": "LV Open", "probability": 50})
        cls.user = new_test_user(cls.env, "lv_sales", groups="sales_team.group_sale_salesman")
        cls.measures = cls.env["scp.forecast.measures"]

    def _deal(self, amount, stage, closed=None, created=None, **vals):
        lead = self.env["crm.lead"].create(
            {
                "name": f"LV {amount}",
                "type": "opportunity",
                "user_id": self.user.id,
                "expected_revenue": amount,
                "stage_id": stage.id,
                **vals,
            }
        )
        if closed:
            lead.date_closed = closed
        if created:
            self.env.cr.execute("UPDATE crm_lead SET create_date = %s WHERE id = %s", (created, lead.id))
            lead.invalidate_recordset(["create_date"])
        return lead

    def test_linearity_is_full_when_every_week_books_the_same(self):
        for day in (3, 10, 17, 24):  # one booking in each of February 2026's four Monday weeks
            self._deal(1000, self.won_stage, closed=datetime(2026, 2, day, 10))
        linearity = self.measures._linearity(self.user, date(2026, 2, 2), date(2026, 3, 1))
        self.assertAlmostEqual(linearity[self.user.id], 100.0)

    def test_linearity_drops_when_bookings_bunch_up(self):
        # Weeks: 2,000 / 1,000 / 1,000 / 0 -> mean 1,000, standard deviation sqrt(500,000) = 707.1
        self._deal(1500, self.won_stage, closed=datetime(2026, 2, 3, 10))
        self._deal(500, self.won_stage, closed=datetime(2026, 2, 6, 10))
        self._deal(1000, self.won_stage, closed=datetime(2026, 2, 10, 10))
        self._deal(1000, self.won_stage, closed=datetime(2026, 2, 17, 10))
        linearity = self.measures._linearity(self.user, date(2026, 2, 2), date(2026, 3, 1))
        self.assertAlmostEqual(linearity[self.user.id], 100 * (1 - 500000**0.5 / 1000), places=2)

    def test_velocity_is_open_deals_times_win_rate_times_average_over_cycle(self):
        # Won in the quarter: 3,000 after 10 days and 1,000 after 30 days; two lost; five still open.
        self._deal(3000, self.won_stage, closed=datetime(2026, 2, 11), created=datetime(2026, 2, 1))
        self._deal(1000, self.won_stage, closed=datetime(2026, 3, 3), created=datetime(2026, 2, 1))
        for _i in range(2):
            lost = self._deal(500, self.open_stage)
            lost.write({"active": False, "probability": 0})
            lost.date_closed = datetime(2026, 2, 20)
        for _i in range(5):
            self._deal(800, self.open_stage)
        velocity = self.measures._velocity(self.user, date(2026, 1, 1), date(2026, 3, 31))
        # 5 open × (2 won / 4 closed) × 2,000 average ÷ 20 days = 250 a day
        self.assertAlmostEqual(velocity[self.user.id], 250.0)

    def test_monday_dashboard_shows_linearity_and_velocity(self):
        manager = new_test_user(self.env, "lv_manager", groups="sales_team.group_sale_manager")
        team = self.env["crm.team"].create(
            {"name": "LV Team", "user_id": manager.id, "member_ids": [(6, 0, self.user.ids)]}
        )
        for day in (3, 10, 17, 24):
            self._deal(1000, self.won_stage, closed=datetime(2026, 2, day, 10))
        screen = self.measures.with_user(manager).get_monday_screen(date="2026-03-09", team_ids=team.ids)
        line = next(row for row in screen["rows"] if row["user_id"] == self.user.id)
        self.assertIn("linearity", [column["key"] for column in screen["columns"]])
        # February 2026 runs from the week of Monday 26 January: five weeks, the first without bookings.
        weeks = [0, 1000, 1000, 1000, 1000]
        mean = sum(weeks) / 5
        stdev = (sum((w - mean) ** 2 for w in weeks) / 5) ** 0.5
        self.assertAlmostEqual(line["linearity"], 100 * (1 - stdev / mean), places=2)
        self.assertGreaterEqual(line["velocity"], 0.0)
