# Copyright 2026 sales_cycle_process contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Issue 13 (Trust): attacks driven through /web/dataset/call_kw as a salesperson, the way an RPC client
does. Each is refused with an error a user reads, and the quotation stays unconfirmed."""

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from .rpc_common import JsonRpcAttackMixin


@tagged("post_install", "-at_install")
class TestTrustRpc(JsonRpcAttackMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.qpa_discount_threshold = 10.0
        cls.env.ref("sales_team.group_sale_manager").users = False
        cls.env.ref("sales_cycle_process.group_managing_director").users = False
        cls.salesperson = new_test_user(
            cls.env, "rpc_sales", password="rpc_sales_pw", groups="sales_team.group_sale_salesman"
        )
        cls.manager = new_test_user(cls.env, "rpc_manager", groups="sales_team.group_sale_manager")
        partner = cls.env["res.partner"].create({"name": "RPC Customer"})
        product = cls.env["product.product"].create({"name": "RPC Machine", "list_price": 1000.0})
        cls.order = (
            cls.env["sale.order"]
            .with_user(cls.salesperson)
            .create(
                {
                    "partner_id": partner.id,
                    "user_id": cls.salesperson.id,
                    "qpa_justification": "Competitor 20 % lower.",
                    "order_line": [Command.create({"product_id": product.id, "discount": 25.0})],
                }
            )
        )
        cls.order.with_user(cls.salesperson).request_validation()

    def test_salesperson_attacks_over_json_rpc(self):
        order = self.order
        self.assertEqual(order.qpa_state, "pending")
        definition = self.env.ref("sales_cycle_process.qpa_tier_sales_manager")
        self.authenticate("rpc_sales", "rpc_sales_pw")
        attacks = [
            ("sale.order", "write", [order.ids, {"qpa_state": "approved"}], {}, "AccessError"),
            ("sale.order", "write", [order.ids, {"qpa_required": False}], {}, "AccessError"),
            (
                "tier.review",
                "create",
                [
                    {
                        "model": "sale.order",
                        "res_id": order.id,
                        "definition_id": definition.id,
                        "status": "approved",
                        "done_by": self.salesperson.id,
                    }
                ],
                {},
                "AccessError",
            ),
            ("sale.order", "validate_tier", [order.ids], {}, "UserError"),
            (
                "sale.order",
                "action_confirm",
                [order.ids],
                {"context": {"skip_validation_check": True}},
                "ValidationError",
            ),
        ]
        for model, method, args, kwargs, error_class in attacks:
            with self.subTest(method=method, args=args):
                self._assert_refused(self._call_kw(model, method, args, kwargs), error_class)
        order.invalidate_recordset()
        self.assertIn(order.state, ("draft", "sent"))
        self.assertEqual(order.qpa_state, "pending")
        self.assertEqual(order.validation_status, "pending")
        self.assertFalse(order.review_ids.filtered(lambda r: r.status == "approved"))
        # the legitimate call still answers: reading the QPA status
        reply = self._call_kw("sale.order", "read", [order.ids, ["qpa_state"]])
        self.assertEqual(reply["result"][0]["qpa_state"], "pending")
