from odoo.tests import new_test_user, tagged

from .tour_common import TourCase


@tagged("post_install", "-at_install")
class TestForecastAdjustmentTour(TourCase):
    """In the browser: a team leader records a call on a salesperson's commit, with a note."""

    def setUp(self):
        super().setUp()
        self.leader = new_test_user(
            self.env, "scp_tour_leader", groups="sales_team.group_sale_salesman", name="Tara Leader"
        )
        self.rep = new_test_user(
            self.env, "scp_tour_rep", groups="sales_team.group_sale_salesman", name="Remy Rep"
        )
        self.team = self.env["crm.team"].create(
            {"name": "Tour Adjust Team", "user_id": self.leader.id, "member_ids": [(6, 0, self.rep.ids)]}
        )

    def test_adjustment_tour(self):
        Adjustment = self.env["scp.forecast.adjustment"]
        self.start_tour("/odoo/crm", "scp_forecast_adjustment_tour", login=self.leader.login)
        adjustment = Adjustment.search([("team_id", "=", self.team.id)])
        self.assertEqual(len(adjustment), 1, "One call was recorded")
        self.assertEqual(adjustment.level, "rep")
        self.assertEqual(adjustment.user_id, self.rep)
        self.assertEqual(adjustment.amount, 42000)
        self.assertEqual(adjustment.note, "Remy's press slips to next week")
        self.assertEqual(adjustment.submitted_by_id, self.leader)
        self.assertEqual(adjustment.state, "current")
