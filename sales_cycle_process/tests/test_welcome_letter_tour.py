from unittest.mock import patch

from odoo.addons.base.models.ir_actions_report import IrActionsReport
from odoo.tests import new_test_user, tagged

from .tour_common import TourCase

REPORT = "sales_cycle_process.report_welcome_letter"


@tagged("post_install", "-at_install")
class TestWelcomeLetterTour(TourCase):
    """In the browser: a salesperson prints a confirmed order's welcome letter."""

    def setUp(self):
        super().setUp()
        self.salesperson = new_test_user(
            self.env,
            "scp_tour_letter",
            groups="sales_team.group_sale_salesman",
            name="Wendy Welcome",
            signature="<p>Wendy Welcome, Regional Sales</p>",
        )
        distributor = self.env["res.partner"].create({"name": "Tour Distribution GmbH", "is_company": True})
        self.end_user = self.env["res.partner"].create({"name": "Tour Water Works", "is_company": True})
        product = self.env["product.product"].create(
            {"name": "Tour Analyzer", "list_price": 9000, "after_sales_system_info": "Calibrate yearly."}
        )
        self.order = self.env["sale.order"].create(
            {
                "partner_id": distributor.id,
                "end_user_partner_id": self.end_user.id,
                "user_id": self.salesperson.id,
                "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 1})],
            }
        )
        self.order.action_confirm()

    def test_welcome_letter_tour(self):
        rendered = []
        original = IrActionsReport._render_qweb_pdf

        def spy(report, report_ref, res_ids=None, data=None):
            rendered.append((report_ref, list(res_ids or [])))
            return original(report, report_ref, res_ids=res_ids, data=data)

        with patch.object(IrActionsReport, "_render_qweb_pdf", spy):
            self.start_tour(
                f"/odoo/action-sale.action_orders/{self.order.id}",
                "scp_welcome_letter_tour",
                login=self.salesperson.login,
            )
        self.assertIn(REPORT, [ref for ref, _ids in rendered], "Clicking Print rendered the welcome letter")
        self.assertIn([self.order.id], [ids for ref, ids in rendered if ref == REPORT])
        report = self.env.ref("sales_cycle_process.action_report_welcome_letter")
        html = report._render_qweb_html(report.report_name, self.order.ids)[0].decode()
        self.assertIn("Thank you for your order", html)
        self.assertIn(self.order.name, html)
        self.assertIn("Tour Water Works", html, "Addressed to the end user")
        self.assertIn("Wendy Welcome, Regional Sales", html, "Signed by the salesperson")
