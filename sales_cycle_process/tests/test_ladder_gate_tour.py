from odoo.tests import new_test_user, tagged

from .tour_common import TourCase


@tagged("post_install", "-at_install")
class TestLadderGateTour(TourCase):
    """In the browser: the gate refuses a move up while an entry criterion of the target stage is unchecked,
    then lets it go."""

    def setUp(self):
        super().setUp()
        self.env.company.ladder_gate_mode = "block"
        self.salesperson = new_test_user(
            self.env, "scp_tour_ladder", groups="sales_team.group_sale_salesman", name="Tina Tour"
        )
        team = self.env["crm.team"].create(
            {
                "name": "Tour Ladder Team",
                "probability_source": "ladder",
                "member_ids": [(6, 0, self.salesperson.ids)],
            }
        )
        self.intake = self.env.ref("crm.stage_lead1")
        self.met = self.env.ref("crm.stage_lead2")
        self.lead = self.env["crm.lead"].create(
            {
                "name": "Tour: press for Bremen",
                "type": "opportunity",
                "user_id": self.salesperson.id,
                "team_id": team.id,
                "stage_id": self.intake.id,
                "expected_revenue": 40000,
            }
        )
        checks = self.lead.criterion_check_ids.filtered(lambda c: c.stage_id == self.met)
        self.last_check = checks.filtered(lambda c: c.criterion_id.name == "Lead followed up")
        (checks - self.last_check).is_done = True

    def test_gate_tour(self):
        self.assertEqual(
            self.lead._ladder_missing_for_move(self.met), {self.lead: ["Met with customer: Lead followed up"]}
        )
        self.start_tour(
            f"/odoo/action-crm.crm_lead_action_pipeline/{self.lead.id}",
            "scp_ladder_gate_tour",
            login=self.salesperson.login,
        )
        self.assertEqual(self.lead.stage_id, self.met, "Checked, the deal moved on")
        self.assertEqual(self.lead.probability, self.met.probability, "The ladder's probability follows")
        self.assertTrue(self.last_check.is_done)
        self.assertEqual(self.last_check.done_user_id, self.salesperson, "Who checked it is recorded")
