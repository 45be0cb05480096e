# Copyright 2026 sales_cycle_process contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestQpaApproval(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.write(
            {
                "qpa_discount_threshold": 10.0,
                "qpa_md_amount_threshold": 100000.0,
            }
        )
        cls.salesperson = new_test_user(cls.env, "qpa_sales", groups="sales_team.group_sale_salesman")
        cls.other_salesperson = new_test_user(cls.env, "qpa_sales2", groups="sales_team.group_sale_salesman")
        cls.manager = new_test_user(cls.env, "qpa_manager", groups="sales_team.group_sale_manager")
        cls.director = new_test_user(cls.env, "qpa_md", groups="sales_cycle_process.group_managing_director")
        cls.partner = cls.env["res.partner"].create({"name": "QPA Customer"})
        cls.product = cls.env["product.product"].create(
            {"name": "QPA Machine", "list_price": 1000.0, "type": "consu"}
        )

    def _quotation(self, discount=15.0, price=1000.0, user=None, **vals):
        user = user or self.salesperson
        order = (
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
                                "product_uom_qty": 1,
                                "price_unit": price,
                                "discount": discount,
                            },
                        )
                    ],
                    **vals,
                }
            )
        )
        return order

    def test_settings_refuse_bad_thresholds(self):
        with self.assertRaises(ValidationError):
            self.env.company.qpa_discount_threshold = 120
        with self.assertRaises(ValidationError):
            self.env.company.qpa_md_amount_threshold = -1
        settings = Form(self.env["res.config.settings"])
        settings.qpa_discount_threshold = 15
        settings.save().execute()
        self.assertEqual(self.env.company.qpa_discount_threshold, 15)

    def test_reasons_in_words(self):
        order = self._quotation(discount=5.0)
        self.assertFalse(order.qpa_required)
        self.assertEqual(order.qpa_state, "not_needed")
        order.order_line.discount = 20
        self.assertTrue(order.qpa_required)
        self.assertIn("20", order.qpa_reasons)
        self.assertEqual(order.qpa_state, "to_submit")
        order.qpa_non_standard_terms = True
        self.assertIn("non-standard terms", order.qpa_reasons)

    def test_discount_above_threshold_blocks_confirmation_until_approved(self):
        order = self._quotation()
        self.assertEqual(order.qpa_state, "to_submit")
        with self.assertRaises(ValidationError):
            order.action_confirm()
        self.assertEqual(order.state, "draft")
        order.request_validation()
        self.assertEqual(order.qpa_state, "pending")
        self.assertFalse(order.qpa_needs_md)
        self.assertFalse(order.opportunity_id)
        with self.assertRaises(ValidationError):
            order.action_confirm()
        order.with_user(self.manager).validate_tier()
        self.assertEqual(order.qpa_state, "approved")
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_price_change_after_approval_sends_it_back(self):
        order = self._quotation()
        order.request_validation()
        order.with_user(self.manager).validate_tier()
        self.assertEqual(order.qpa_state, "approved")
        order.order_line.with_user(self.salesperson).price_unit = 900
        self.assertEqual(order.qpa_state, "to_submit")
        with self.assertRaises(ValidationError):
            order.action_confirm()

    def test_formal_contract_needs_managing_director(self):
        order = self._quotation(discount=0.0, qpa_formal_contract=True)
        self.assertTrue(order.qpa_required)
        self.assertTrue(order.qpa_needs_md)
        order.request_validation()
        self.assertEqual(len(order.review_ids), 2)
        order.with_user(self.manager).validate_tier()
        self.assertEqual(order.qpa_state, "pending")
        with self.assertRaises(UserError):
            order.with_user(self.manager).validate_tier()
        with self.assertRaises(ValidationError):
            order.action_confirm()
        order.with_user(self.director).validate_tier()
        self.assertEqual(order.qpa_state, "approved")
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_large_amount_needs_managing_director(self):
        order = self._quotation(price=200000.0)
        self.assertTrue(order.qpa_needs_md)

    def test_salesperson_cannot_approve_even_own(self):
        order = self._quotation()
        order.with_user(self.salesperson).request_validation()
        with self.assertRaises(UserError):
            order.with_user(self.salesperson).validate_tier()
        with self.assertRaises(UserError):
            order.with_user(self.other_salesperson).validate_tier()
        self.assertEqual(order.qpa_state, "pending")

    def test_manager_cannot_approve_own_quotation(self):
        order = self._quotation(user=self.manager)
        order.request_validation()
        with self.assertRaises(UserError):
            order.with_user(self.manager).validate_tier()
        self.assertEqual(order.qpa_state, "pending")

    def test_opportunity_shows_qpa_approval(self):
        lead = self.env["crm.lead"].create(
            {"name": "QPA deal", "type": "opportunity", "partner_id": self.partner.id}
        )
        order = self._quotation(opportunity_id=lead.id)
        self.assertFalse(lead.qpa_approved)
        order.request_validation()
        order.with_user(self.manager).validate_tier()
        lead.invalidate_recordset(["qpa_approved"])
        self.assertTrue(lead.qpa_approved)

    def test_reminder_escalates_once_after_set_days(self):
        order = self._quotation()
        order.request_validation()
        cron = self.env["tier.review"]
        activities = self.env["mail.activity"].search_count
        domain = [("res_model", "=", "sale.order"), ("res_id", "=", order.id)]
        before = activities(domain)
        cron._cron_qpa_reminder()
        self.assertEqual(activities(domain), before)
        later = fields.Datetime.now() + timedelta(days=4)
        with freeze_time(later):
            cron._cron_qpa_reminder()
            after = activities(domain)
            self.assertGreater(after, before)
            director_activity = self.env["mail.activity"].search(
                [*domain, ("user_id", "=", self.director.id)]
            )
            self.assertTrue(director_activity)
            cron._cron_qpa_reminder()
            self.assertEqual(activities(domain), after)
