import shutil
import subprocess
import sys
import tempfile

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .after_sales_common import AfterSalesCase

ACCESS_TEXT = "Log in at https://www.example.com/customers"


@tagged("post_install", "-at_install")
class TestAfterSalesWelcomeLetter(AfterSalesCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.after_sales_website_access_text = ACCESS_TEXT
        cls.company.after_sales_production_email = "production@example.com"
        cls.env.company.write({"phone": "+44 113 496 0000", "email": "hello@vendor.example.com"})
        cls.report = cls.env.ref("sales_cycle_process.action_report_welcome_letter")

    def _html(self, order):
        html, _type = self.report._render_qweb_html(self.report.report_name, order.ids)
        return html.decode()

    def test_letter_has_thanks_contacts_access_and_signature(self):
        order = self._confirmed()
        html = self._html(order)
        self.assertIn("Thank you for your order", html)
        self.assertIn(order.name, html)
        self.assertIn("+44 113 496 0000", html)
        self.assertIn("hello@vendor.example.com", html)
        self.assertIn(ACCESS_TEXT, html)
        self.assertIn("Sam Seller, Regional Sales", html, "The salesperson's signature")
        self.assertIn("Calibrate the X200 every 6 months.", html, "The product's system info")
        self.assertIn("Clean Water Plant", html, "Addressed to the end user")

    def test_per_order_texts_override(self):
        order = self._confirmed(
            welcome_access_text="Your login comes from Support.",
            welcome_system_info="Pump P3 was fitted with the acid kit.",
        )
        html = self._html(order)
        self.assertIn("Your login comes from Support.", html)
        self.assertNotIn(ACCESS_TEXT, html)
        self.assertIn("Pump P3 was fitted with the acid kit.", html)
        self.assertNotIn("Calibrate the X200", html)

    def test_letter_pdf_text(self):
        if not shutil.which("wkhtmltopdf") or not shutil.which("pdftotext"):
            self.skipTest("wkhtmltopdf/pdftotext are not installed: the HTML test covers the letter")
        if "pytest" not in sys.modules:
            # Odoo's own runner serves an HTTP request made during a test that is not an HTTP test case
            # on the test's cursor, which the test holds while it waits for wkhtmltopdf: the styles never
            # come. pytest-odoo (make test) serves it on a cursor of its own.
            self.skipTest("the real PDF is checked by make test (pytest-odoo); the HTML test covers it")
        order = self._confirmed()
        pdf, report_type = self.report.with_context(force_report_rendering=True)._render_qweb_pdf(
            self.report.report_name, order.ids
        )
        self.assertEqual(report_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
            handle.write(pdf)
            handle.flush()
            text = subprocess.run(
                ["pdftotext", "-layout", handle.name, "-"],
                capture_output=True,
                text=True,
                check=True,
                timeout=60,
            ).stdout
        for expected in (
            "Thank you for your order",
            "+44 113 496 0000",
            ACCESS_TEXT,
            "Sam Seller, Regional Sales",
        ):
            self.assertIn(expected, text)

    def test_print_button_and_cancelled_order_refused(self):
        order = self._confirmed()
        self.env.company.external_report_layout_id = self.env.ref("web.external_layout_standard")
        action = order.action_print_welcome_letter()
        self.assertEqual(action["report_name"], "sales_cycle_process.report_welcome_letter")
        order._action_cancel()
        self.assertEqual(order.state, "cancel")
        with self.assertRaisesRegex(UserError, "cancelled order"):
            order.action_print_welcome_letter()
        with self.assertRaisesRegex(UserError, "cancelled order"):
            self._html(order)
        with self.assertRaisesRegex(UserError, "cancelled order"):
            order.action_send_welcome_letter_soft_copy()

    def test_soft_copy_to_production(self):
        order = self._confirmed(after_sales_order_type="production")
        self.assertEqual(order.welcome_letter_mode, "soft_copy")
        order.action_send_welcome_letter_soft_copy()
        mail = self.env["mail.mail"].search([("model", "=", "sale.order"), ("res_id", "=", order.id)])
        mail = mail.filtered(lambda m: m.email_to == "production@example.com")
        self.assertEqual(len(mail), 1)
        self.assertIn("Welcome letter", mail.subject)
        self.assertEqual(len(mail.attachment_ids), 1)
        self.assertTrue(mail.attachment_ids.name.endswith(".pdf"))
        self.assertTrue(order.welcome_letter_sent)
        self.assertTrue(
            order.message_ids.filtered(lambda m: "sent to Production" in (m.body or "")),
            "The chatter tells the admin the soft copy left",
        )

    def test_only_admins_send_the_soft_copy(self):
        order = self._confirmed(after_sales_order_type="production")
        with self.assertRaisesRegex(AccessError, "sales admin"):
            order.with_user(self.salesperson).action_send_welcome_letter_soft_copy()
        order.with_user(self.sales_admin).action_send_welcome_letter_soft_copy()
        self.assertTrue(order.welcome_letter_sent)

    def test_soft_copy_without_production_address(self):
        self.company.after_sales_production_email = False
        order = self._confirmed(after_sales_order_type="production")
        with self.assertRaisesRegex(UserError, "Production address"):
            order.action_send_welcome_letter_soft_copy()
        self.assertFalse(order.welcome_letter_sent)

    def test_order_type_chooses_print_or_soft_copy(self):
        with Form(self.env["sale.order"]) as form:
            form.partner_id = self.distributor
            form.end_user_partner_id = self.end_user
            self.assertEqual(form.welcome_letter_mode, "print")
            form.after_sales_order_type = "production"
            self.assertEqual(form.welcome_letter_mode, "soft_copy")
            form.is_contract = True
            form.contract_start_date = "2026-04-01"
            with form.order_line.new() as line:
                line.product_id = self.product
        order = form.save()
        self.assertEqual(order.partner_id, self.distributor)
        self.assertEqual(order.after_sales_customer_id, self.end_user)
        self.assertEqual(str(order.contract_start_date), "2026-04-01")

    def test_acknowledgment_on_confirmation_setting(self):
        order = self._order()
        order.action_confirm()
        self.assertFalse(self._messages(order, "we acknowledge your order"), "Setting off: no mail")
        self.company.after_sales_ack_on_confirm = True
        order = self._order()
        order.action_confirm()
        ack = self._messages(order, "we acknowledge your order")
        self.assertEqual(len(ack), 1)
        self.assertIn(self.distributor, ack.partner_ids)
        self.assertIn("Clean Water Plant", ack.body)
        self.assertTrue(order.after_sales_ack_sent)
