"""#18 items 6 and 7: order received (end user, acknowledgment, contract start) and the SF orders'
portal login handed to Customer Support."""

from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from .after_sales_common import AfterSalesCase

TODAY = date(2026, 3, 2)


@tagged("post_install", "-at_install")
class TestOrderReceived(AfterSalesCase):
    def _wizard(self, order, user):
        action = order.with_user(user).action_record_end_user()
        return Form(self.env[action["res_model"]].with_user(user).with_context(**action["context"]))

    def test_sales_admin_creates_the_end_user_and_starts_the_contract(self):
        order = self._confirmed(end_user_partner_id=False)
        with freeze_time(TODAY):
            wizard = self._wizard(order, self.sales_admin)
            wizard.mode = "create"
            wizard.name = "Riverside Water Works"
            wizard.contact_name = "Dana Operator"
            wizard.email = "dana@riverside.example.com"
            wizard.city = "Leeds"
            wizard.is_contract = True
            self.assertEqual(wizard.contract_start_date, TODAY, "a contract starts today unless told")
            wizard.save().action_apply()
        end_user = order.end_user_partner_id
        self.assertEqual(end_user.name, "Dana Operator")
        self.assertEqual(end_user.parent_id.name, "Riverside Water Works")
        self.assertEqual(end_user.parent_id.city, "Leeds")
        self.assertEqual(order.after_sales_customer_id, end_user, "the follow-ups go to the end user")
        self.assertTrue(order.is_contract)
        self.assertEqual(order.contract_start_date, TODAY)
        self.assertTrue(order.message_ids.filtered(lambda m: "end user Riverside" in str(m.body)))

    def test_sales_admin_links_an_existing_contact(self):
        order = self._confirmed(end_user_partner_id=False)
        wizard = self._wizard(order, self.sales_admin)
        wizard.partner_id = self.end_user
        wizard.save().action_apply()
        self.assertEqual(order.end_user_partner_id, self.end_user)
        self.assertFalse(order.contract_start_date)

    def test_only_sales_admin_or_manager_and_not_on_cancelled_orders(self):
        order = self._confirmed(end_user_partner_id=False)
        with self.assertRaises(AccessError):
            order.with_user(self.salesperson).action_record_end_user()
        with self.assertRaises(AccessError):
            self.env["scp.end.user.wizard"].with_user(self.salesperson).create(
                {"order_id": order.id, "partner_id": self.end_user.id}
            )
        order.with_context(disable_cancel_warning=True).action_cancel()
        with self.assertRaises(UserError):
            order.with_user(self.sales_admin).action_record_end_user()
        wizard = (
            self.env["scp.end.user.wizard"]
            .with_user(self.sales_admin)
            .create({"order_id": order.id, "partner_id": self.end_user.id})
        )
        with self.assertRaises(UserError):
            wizard.action_apply()
        empty = (
            self.env["scp.end.user.wizard"]
            .with_user(self.sales_admin)
            .create({"order_id": self._confirmed().id, "mode": "create"})
        )
        with self.assertRaisesRegex(UserError, "company name"):
            empty.action_apply()

    def test_contract_starts_on_confirmation_and_new_companies_acknowledge(self):
        with freeze_time(TODAY):
            order = self._confirmed(is_contract=True)
        self.assertEqual(order.contract_start_date, TODAY)
        dated = self._confirmed(is_contract=True, contract_start_date=date(2026, 4, 1))
        self.assertEqual(dated.contract_start_date, date(2026, 4, 1), "a date given is kept")
        company = self.env["res.company"].create({"name": "New Subsidiary"})
        self.assertTrue(company.after_sales_ack_on_confirm, "new companies acknowledge orders by default")


@tagged("post_install", "-at_install")
class TestSfOrderPortal(AfterSalesCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sf_family = cls.env["product.category"].create({"name": "SF Systems"})
        cls.sf_sub = cls.env["product.category"].create({"name": "SF Sensors", "parent_id": cls.sf_family.id})
        cls.sf_product = cls.env["product.product"].create(
            {"name": "SF Sensor Kit", "categ_id": cls.sf_sub.id, "list_price": 900}
        )
        cls.company.write(
            {
                "after_sales_portal_categ_ids": [(6, 0, cls.sf_family.ids)],
                "after_sales_support_user_id": cls.support_user.id,
            }
        )
        cls.handover = cls.env.ref("sales_cycle_process.mail_activity_type_after_sales_handover")

    def _sf_order(self, **vals):
        order = self._order(
            order_line=[(0, 0, {"product_id": self.sf_product.id, "product_uom_qty": 1})], **vals
        )
        order.with_user(self.salesperson).action_confirm()
        return order

    def test_sf_order_grants_portal_and_hands_the_login_to_support(self):
        order = self._sf_order()
        user = order.after_sales_portal_user_id
        self.assertTrue(user, "the end user got a portal login")
        self.assertEqual(user.partner_id, self.end_user)
        self.assertEqual(user.login, "plant@water.example.com")
        self.assertTrue(user._is_portal() and not user._is_internal())
        activity = self._activities(order, "mail_activity_type_after_sales_handover")
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.support_user)
        self.assertIn("plant@water.example.com", activity.summary)
        self.assertIn("Login: plant@water.example.com", str(activity.note))
        self.assertTrue(order.after_sales_support_handover)
        # never a secret in a message: the portal user has no password, the end user signs up by link
        self.env.cr.execute("SELECT COALESCE(password, '') FROM res_users WHERE id = %s", [user.id])
        self.assertEqual(self.env.cr.fetchone()[0], "")
        self.assertNotIn("password", str(activity.note).lower())

    def test_other_orders_and_existing_portal_users(self):
        plain = self._order()
        plain.with_user(self.salesperson).action_confirm()
        self.assertFalse(plain.after_sales_portal_user_id, "not an SF product family: no portal login")
        self.assertFalse(self._activities(plain, "mail_activity_type_after_sales_handover"))
        first = self._sf_order()
        second = self._sf_order()
        self.assertEqual(second.after_sales_portal_user_id, first.after_sales_portal_user_id, "one login")
        self.assertEqual(len(self._activities(second, "mail_activity_type_after_sales_handover")), 1)

    def test_support_managed_sf_order_one_handover_with_the_login(self):
        order = self._sf_order(after_sales_order_type="support")
        activity = self._activities(order, "mail_activity_type_after_sales_handover")
        self.assertEqual(len(activity), 1, "one handover, however many reasons")
        self.assertIn("Login: plant@water.example.com", str(activity.note))

    def test_end_user_without_email_gets_a_note_not_a_login(self):
        no_email = self.env["res.partner"].create({"name": "Offline Plant", "is_company": True})
        order = self._sf_order(end_user_partner_id=no_email.id)
        self.assertEqual(order.state, "sale", "the order is confirmed all the same")
        self.assertFalse(order.after_sales_portal_user_id)
        self.assertTrue(order.message_ids.filtered(lambda m: "gets no portal login" in str(m.body)))

    def test_an_employee_as_end_user_gets_no_login_handed_out(self):
        # a salesperson naming a colleague as the end user: support gets no login of an internal user
        order = self._sf_order(end_user_partner_id=self.support_user.partner_id.id)
        self.assertEqual(order.state, "sale")
        self.assertFalse(order.after_sales_portal_user_id)
        self.assertFalse(self._activities(order, "mail_activity_type_after_sales_handover"))
        self.assertTrue(order.message_ids.filtered(lambda m: "not an end user" in str(m.body)))

    def test_the_grant_is_the_servers_own(self):
        order = self._order()
        with self.assertRaises(AccessError):
            order.with_user(self.salesperson).write({"after_sales_portal_user_id": self.salesperson.id})
        with self.assertRaises(AccessError):
            self.env["sale.order"].with_user(self.salesperson).create(
                {"partner_id": self.distributor.id, "after_sales_portal_user_id": self.salesperson.id}
            )
        with self.assertRaises(AccessError):
            self.env["portal.wizard"].with_user(self.salesperson).create(
                {"partner_ids": [(6, 0, self.end_user.ids)]}
            )
        settings = Form(
            self.env["res.config.settings"].with_user(
                new_test_user(
                    self.env, "sf_manager", groups="sales_team.group_sale_manager,base.group_system"
                )
            )
        )
        settings.after_sales_portal_categ_ids.remove(id=self.sf_family.id)
        settings.save().execute()
        self.assertFalse(self.company.after_sales_portal_categ_ids)
        later = self._sf_order()
        self.assertFalse(later.after_sales_portal_user_id, "no family marked: no portal login")
