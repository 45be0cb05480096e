# Copyright 2026 sales_cycle_process contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import fields
from odoo.tests import new_test_user, tagged

from ..tools.periods import month_start, week_start
from .tour_common import TourCase


@tagged("post_install", "-at_install")
class TestMondayScreenTour(TourCase):
    """In the browser: a sales manager opens the Monday consolidation from CRM > Playbook and reads it."""

    def setUp(self):
        super().setUp()
        self.manager = new_test_user(
            self.env, "scp_tour_monday", groups="sales_team.group_sale_manager", name="Mona Monday", tz="UTC"
        )
        self.rep = new_test_user(
            self.env,
            "scp_tour_monday_rep",
            groups="sales_team.group_sale_salesman",
            name="Tina Tour",
            tz="UTC",
        )
        self.team = self.env["crm.team"].create(
            {"name": "Tour Monday Team", "user_id": self.manager.id, "member_ids": [(6, 0, self.rep.ids)]}
        )
        today = fields.Date.today()
        # Coverage: 300,000 of open deals against a stretched target of 100,000 x 1.1 = 273 %, green.
        self.env["crm.lead"].create(
            {
                "name": "Tour: press line for Nantes",
                "type": "opportunity",
                "user_id": self.rep.id,
                "team_id": self.team.id,
                "expected_revenue": 300000,
                "date_deadline": today + timedelta(days=10),
            }
        )
        self.env["scp.sales.target"].create(
            {"user_id": self.rep.id, "month": month_start(today), "base_amount": 100000}
        )
        # Her commit of this week, as the submit flow stores it.
        Commit = self.env["scp.sales.commit"].sudo()
        monday = week_start(today)
        self.commit = Commit._store_snapshot(
            {
                **Commit._snapshot_vals(self.rep, self.team),
                "week_start": monday,
                "commit_week": 75000,
                "commit_total": 75000,
            },
            [("user_id", "=", self.rep.id), ("week_start", "=", monday)],
        )

    def test_monday_screen_tour(self):
        screen = self.env["scp.forecast.measures"].with_user(self.manager).get_monday_screen()
        rep = next(row for row in screen["rows"] if row["user_id"] == self.rep.id)
        self.assertEqual((rep["commit_week"], rep["coverage_colour"]), (75000, "success"))
        self.assertEqual(rep["commit_id"], self.commit.id)
        self.start_tour("/odoo/crm", "scp_monday_screen_tour", login=self.manager.login)
