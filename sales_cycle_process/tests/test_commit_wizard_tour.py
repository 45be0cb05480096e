from datetime import timedelta

from odoo import fields
from odoo.tests import new_test_user, tagged

from .commit_checklist_common import complete_commit_checklist
from .tour_common import TourCase


@tagged("post_install", "-at_install")
class TestCommitWizardTour(TourCase):
    """In the browser: a salesperson submits the weekly commit from CRM > Playbook; the deal whose
    checklist is incomplete shows, before submitting, that it will be upside and why."""

    def setUp(self):
        super().setUp()
        self.salesperson = new_test_user(
            self.env, "scp_tour_commit", groups="sales_team.group_sale_salesman", name="Colin Commit"
        )
        self.team = self.env["crm.team"].create(
            {"name": "Tour Commit Team", "member_ids": [(6, 0, self.salesperson.ids)]}
        )
        customer = self.env["res.partner"].create({"name": "Tour Lyon Customer"})
        self.lead, self.incomplete = self.env["crm.lead"].create(
            [
                {
                    "name": name,
                    "type": "opportunity",
                    "user_id": self.salesperson.id,
                    "team_id": self.team.id,
                    "partner_id": customer.id,
                    "stage_id": self.env.ref("sales_cycle_process.stage_ladder_negotiated").id,
                    "expected_revenue": amount,
                    "date_deadline": fields.Date.today() + timedelta(days=3),
                }
                for name, amount in (
                    ("Tour: servo press for Lyon", 75000),
                    ("Tour: press brake for Lille", 20000),
                )
            ]
        )
        complete_commit_checklist(self.env, self.lead)

    def test_commit_tour(self):
        Commit = self.env["scp.sales.commit"]
        self.assertFalse(Commit.search([("user_id", "=", self.salesperson.id)]))
        self.start_tour("/odoo/crm", "scp_commit_wizard_tour", login=self.salesperson.login)
        commit = Commit.search([("user_id", "=", self.salesperson.id)])
        self.assertEqual(len(commit), 1, "One commit snapshot was submitted")
        self.assertEqual(commit.state, "current")
        self.assertEqual(commit.team_id, self.team)
        self.assertEqual(commit.line_ids.lead_id, self.lead | self.incomplete)
        by_deal = {line.lead_id: line for line in commit.line_ids}
        self.assertEqual(by_deal[self.lead].category, "commit")
        self.assertEqual(
            (by_deal[self.incomplete].category, by_deal[self.incomplete].requested_commit), ("upside", True)
        )
        self.assertEqual((commit.commit_total, commit.commit_complete_week), (75000, 75000))
        self.assertEqual(commit.week_start.weekday(), 0, "A commit is for a week starting on Monday")
