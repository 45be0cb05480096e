"""Shared set-up for the after-sales tests (not a test module itself)."""

from datetime import date

from odoo.tests import TransactionCase, new_test_user

SHIPPED = date(2026, 3, 2)


class AfterSalesCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        # the after-sales settings of the orders' company, at their defaults
        cls.company = cls.env.company
        cls.company.write(
            {
                "after_sales_ack_on_confirm": False,
                "after_sales_excepted_team_id": False,
                "after_sales_support_user_id": False,
                "after_sales_followup_days": 14,
                "after_sales_satisfaction_days": 60,
            }
        )
        cls.salesperson = new_test_user(
            cls.env,
            "scp_as_sales",
            groups="sales_team.group_sale_salesman",
            email="sam.seller@example.com",
            signature="<p>Sam Seller, Regional Sales</p>",
        )
        cls.other_salesperson = new_test_user(
            cls.env, "scp_as_sales2", groups="sales_team.group_sale_salesman"
        )
        cls.sales_admin = new_test_user(
            cls.env, "scp_as_admin", groups="sales_cycle_process.group_sales_admin"
        )
        cls.support_user = new_test_user(cls.env, "scp_as_support", groups="sales_team.group_sale_salesman")
        cls.team = cls.env["crm.team"].create({"name": "Direct Team"})
        cls.excepted_team = cls.env["crm.team"].create({"name": "OEM Team"})
        cls.distributor = cls.env["res.partner"].create(
            {"name": "Distri Parts GmbH", "email": "orders@distri.example.com", "is_company": True}
        )
        cls.end_user = cls.env["res.partner"].create(
            {"name": "Clean Water Plant", "email": "plant@water.example.com", "is_company": True}
        )
        cls.product = cls.env["product.product"].create(
            {
                "name": "Analyzer X200",
                "list_price": 12000,
                "after_sales_system_info": "Calibrate the X200 every 6 months.",
            }
        )

    @classmethod
    def _order(cls, team=None, user=None, **vals):
        values = {
            "partner_id": cls.distributor.id,
            "end_user_partner_id": cls.end_user.id,
            "team_id": (team or cls.team).id,
            "user_id": (user or cls.salesperson).id,
            "order_line": [(0, 0, {"product_id": cls.product.id, "product_uom_qty": 1})],
        }
        values.update(vals)
        return cls.env["sale.order"].create(values)

    @classmethod
    def _confirmed(cls, shipment_date=SHIPPED, **kw):
        order = cls._order(**kw)
        order.action_confirm()
        order.shipment_date = shipment_date
        return order

    def _activities(self, order, xmlid):
        activity_type = self.env.ref(f"sales_cycle_process.{xmlid}")
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "sale.order"),
                ("res_id", "=", order.id),
                ("activity_type_id", "=", activity_type.id),
            ]
        )

    def _messages(self, order, text):
        return order.message_ids.filtered(lambda m: text in (m.subject or ""))
