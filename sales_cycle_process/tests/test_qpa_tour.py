# Copyright 2026 sales_cycle_process contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestQpaTour(HttpCase):
    """In the browser: a sales manager approves a QPA (skipped, with its reason, without Chromium)."""

    def setUp(self):
        super().setUp()
        self.env.company.qpa_discount_threshold = 10.0
        self.salesperson = new_test_user(self.env, "qpa_tour_sales", groups="sales_team.group_sale_salesman")
        self.manager = new_test_user(
            self.env, "qpa_tour_manager", password="qpa_tour_manager", groups="sales_team.group_sale_manager"
        )
        partner = self.env["res.partner"].create({"name": "QPA Tour Customer"})
        product = self.env["product.product"].create({"name": "QPA Tour Machine", "list_price": 1000.0})
        self.order = (
            self.env["sale.order"]
            .with_user(self.salesperson)
            .create(
                {
                    "partner_id": partner.id,
                    "user_id": self.salesperson.id,
                    "qpa_justification": "Strategic account.",
                    "order_line": [
                        (0, 0, {"product_id": product.id, "price_unit": 1000.0, "discount": 20.0})
                    ],
                }
            )
        )
        self.order.with_user(self.salesperson).request_validation()

    def test_manager_approves_qpa_in_the_browser(self):
        self.assertEqual(self.order.qpa_state, "pending")
        action = self.env.ref("sale.action_quotations_with_onboarding")
        self.start_tour(
            f"/odoo/action-{action.id}/{self.order.id}", "scp_qpa_approve_tour", login="qpa_tour_manager"
        )
        self.order.invalidate_recordset()
        self.assertEqual(self.order.qpa_state, "approved")
        self.assertEqual(self.order.review_ids.done_by, self.manager)
        self.assertEqual(self.order.review_ids.comment, "Approved in the tour")
