# Copyright 2026 sales_cycle_process contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import Form, TransactionCase, new_test_user


class QpaCase(TransactionCase):
    """Users of the four QPA roles, a customer, a product with a cost, and helpers to decide."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.write(
            {
                "qpa_discount_threshold": 10.0,
                "qpa_total_discount_threshold": 0.0,
                "qpa_margin_threshold": 0.0,
                "qpa_amount_threshold": 0.0,
                "qpa_md_amount_threshold": 100000.0,
                "qpa_reminder_days": 3,
            }
        )
        # only the QPA test users approve: other managers of the database stay out of the way
        cls.env.ref("sales_cycle_process.group_managing_director").users = False
        cls.env.ref("sales_team.group_sale_manager").users = False
        cls.salesperson = new_test_user(cls.env, "qpa_sales", groups="sales_team.group_sale_salesman")
        cls.other_salesperson = new_test_user(cls.env, "qpa_sales2", groups="sales_team.group_sale_salesman")
        cls.engineer = new_test_user(
            cls.env, "qpa_engineer", groups="sales_cycle_process.group_application_engineer"
        )
        cls.admin = new_test_user(cls.env, "qpa_admin", groups="sales_cycle_process.group_sales_admin")
        cls.manager = new_test_user(cls.env, "qpa_manager", groups="sales_team.group_sale_manager")
        cls.director = new_test_user(cls.env, "qpa_md", groups="sales_cycle_process.group_managing_director")
        cls.partner = cls.env["res.partner"].create({"name": "QPA Customer"})
        cls.product = cls.env["product.product"].create(
            {"name": "QPA Machine", "list_price": 1000.0, "standard_price": 600.0, "type": "consu"}
        )

    def _quotation(self, discount=15.0, price=1000.0, user=None, qty=1, **vals):
        user = user or self.salesperson
        vals.setdefault("qpa_justification", "Competitor offer 10 % lower.")
        return (
            self.env["sale.order"]
            .with_user(user)
            .create(
                {
                    "partner_id": self.partner.id,
                    "user_id": user.id,
                    "order_line": [
                        (
                            0,
                            0,
                            {
                                "product_id": self.product.id,
                                "product_uom_qty": qty,
                                "price_unit": price,
                                "discount": discount,
                            },
                        )
                    ],
                    **vals,
                }
            )
        )

    def _decide(self, order, user, comment="Fine by me.", reject=False):
        """Click Validate or Reject as the user and fill tier validation's comment wizard."""
        order = order.with_user(user)
        action = order.reject_tier() if reject else order.validate_tier()
        self.assertEqual(action["res_model"], "comment.wizard", "QPA decisions ask for a comment")
        wizard = Form(self.env["comment.wizard"].with_user(user).with_context(**action["context"]))
        wizard.comment = comment
        wizard.save().add_comment()
        order.invalidate_recordset()
        return order.with_user(self.env.user)
