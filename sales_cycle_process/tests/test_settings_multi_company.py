"""One settings policy (issue 16): every company-level setting is its company's, read from the document's
company, and changed in Settings for the current company only."""

from datetime import date, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from ..models.scp_sales_commit import commit_deadline_hour
from .after_sales_common import SHIPPED, AfterSalesCase

CHECK_SUBJECT = "has everything been received in good order?"
MONDAY = date(2026, 3, 9)


@tagged("post_install", "-at_install")
class TestSettingsPerCompany(AfterSalesCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.company
        cls.company_b = cls.env["res.company"].create({"name": "SCP Settings Company B"})
        cls.salesperson.write({"company_ids": [Command.link(cls.company_b.id)]})
        cls.shared_team = cls.env["crm.team"].create({"name": "Shared OEM Team", "company_id": False})
        cls.team_b = cls.env["crm.team"].create({"name": "Direct Team B", "company_id": cls.company_b.id})
        cls.support_b = new_test_user(
            cls.env,
            "scp_settings_support_b",
            groups="sales_team.group_sale_salesman",
            company_id=cls.company_b.id,
            company_ids=[Command.set(cls.company_b.ids)],
        )
        cls.company_a.write(
            {
                "after_sales_followup_days": 7,
                "after_sales_satisfaction_days": 75,
                "after_sales_excepted_team_id": cls.shared_team.id,
                "after_sales_production_email": "production-a@example.com",
                "after_sales_website_access_text": "Log in at https://a.example.com",
                "commit_deadline_hour": 12,
                "forecast_band_accuracy_max": 104.0,
            }
        )
        cls.company_b.write(
            {
                "after_sales_followup_days": 21,
                "after_sales_satisfaction_days": 90,
                "after_sales_ack_on_confirm": True,
                "after_sales_support_user_id": cls.support_b.id,
                "after_sales_production_email": "production-b@example.com",
                "after_sales_website_access_text": "Log in at https://b.example.com",
                "commit_deadline_hour": 8,
                "forecast_band_accuracy_max": 120.0,
            }
        )

    @classmethod
    def _order_b(cls, team=None, **vals):
        return cls._order(team=team or cls.team_b, company_id=cls.company_b.id, **vals).with_company(
            cls.company_b
        )

    def _run_cron(self, day):
        with freeze_time(SHIPPED + timedelta(days=day)):
            self.env["sale.order"]._cron_after_sales_followups()

    def test_each_order_follows_its_company_days_and_excepted_team(self):
        order_a = self._confirmed()
        excepted_a = self._confirmed(team=self.shared_team)
        order_b = self._order_b()
        shared_b = self._order_b(team=self.shared_team)
        for order in order_b | shared_b:
            order.action_confirm()
            order.shipment_date = SHIPPED
        self._run_cron(7)
        self.assertEqual(len(self._messages(order_a, CHECK_SUBJECT)), 1, "company A: check after 7 days")
        self.assertFalse(self._messages(order_b, CHECK_SUBJECT), "company B: not before 21 days")
        self._run_cron(21)
        self.assertEqual(len(self._messages(order_b, CHECK_SUBJECT)), 1)
        self.assertEqual(
            len(self._messages(shared_b, CHECK_SUBJECT)), 1, "A's excepted team is excepted in A only"
        )
        self.assertFalse(self._messages(excepted_a, CHECK_SUBJECT))
        self.assertFalse(excepted_a.activity_ids)
        self._run_cron(75)
        self.assertEqual(len(self._activities(order_a, "mail_activity_type_after_sales_satisfaction")), 1)
        self.assertFalse(self._activities(order_b, "mail_activity_type_after_sales_satisfaction"))
        self._run_cron(90)
        self.assertEqual(len(self._activities(order_b, "mail_activity_type_after_sales_satisfaction")), 1)
        self.assertEqual(len(self._activities(shared_b, "mail_activity_type_after_sales_satisfaction")), 1)

    def test_confirmation_and_letters_follow_the_order_company(self):
        order_a = self._order(after_sales_order_type="support")
        order_b = self._order_b(after_sales_order_type="support")
        (order_a | order_b).action_confirm()
        self.assertFalse(self._messages(order_a, "we acknowledge your order"), "A: acknowledgment off")
        self.assertEqual(len(self._messages(order_b, "we acknowledge your order")), 1, "B: on")
        self.assertFalse(
            self._activities(order_a, "mail_activity_type_after_sales_handover"), "A: no support user"
        )
        self.assertEqual(
            self._activities(order_b, "mail_activity_type_after_sales_handover").user_id, self.support_b
        )
        self.assertEqual(order_a.welcome_letter_access_text, "Log in at https://a.example.com")
        self.assertEqual(order_b.welcome_letter_access_text, "Log in at https://b.example.com")
        (order_a | order_b).action_send_welcome_letter_soft_copy()
        mails = self.env["mail.mail"].search(
            [("model", "=", "sale.order"), ("res_id", "in", (order_a | order_b).ids)]
        )
        self.assertEqual(
            {mail.res_id: mail.email_to for mail in mails if mail.email_to},
            {order_a.id: "production-a@example.com", order_b.id: "production-b@example.com"},
        )
        self.company_b.after_sales_production_email = False
        with self.assertRaisesRegex(UserError, "Production address"):
            (order_a | order_b).action_send_welcome_letter_soft_copy()

    def test_commit_deadline_and_bands_follow_the_company(self):
        self.assertEqual(commit_deadline_hour(self.env), 12, "the current company's")
        self.assertEqual(commit_deadline_hour(self.env, self.company_b), 8)
        Commit = self.env["scp.sales.commit"].with_context(tz="UTC")
        with freeze_time("2026-03-09 09:00:00"):
            self.assertEqual(Commit._check_week(MONDAY, self.company_a), MONDAY)
            with self.assertRaisesRegex(UserError, "closed"):
                Commit._check_week(MONDAY, self.company_b)
        Measures = self.env["scp.forecast.measures"]
        self.assertEqual(Measures._colour("accuracy", 110, self.company_a), "warning")
        self.assertEqual(Measures._colour("accuracy", 110, self.company_b), "success")
        self.assertEqual(Measures._bands()["accuracy_max"], 104.0, "else the current company's")

    def test_settings_change_the_current_company_only(self):
        admin_a = new_test_user(
            self.env,
            "scp_settings_admin_a",
            groups="base.group_system,sales_team.group_sale_manager",
            company_id=self.company_a.id,
            company_ids=[Command.set((self.company_a | self.company_b).ids)],
        )
        settings = self.env["res.config.settings"].with_user(admin_a).with_company(self.company_a)
        form = settings.create({})
        self.assertEqual(form.after_sales_followup_days, 7)
        self.assertEqual(form.forecast_band_accuracy_max, 104.0)
        settings.create(
            {
                "after_sales_followup_days": 10,
                "after_sales_satisfaction_days": 80,
                "commit_deadline_hour": 15,
                "forecast_band_accuracy_max": 106.0,
            }
        ).execute()
        self.assertEqual(
            (
                self.company_a.after_sales_followup_days,
                self.company_a.after_sales_satisfaction_days,
                self.company_a.commit_deadline_hour,
                self.company_a.forecast_band_accuracy_max,
            ),
            (10, 80, 15, 106.0),
        )
        self.assertEqual(
            (
                self.company_b.after_sales_followup_days,
                self.company_b.after_sales_satisfaction_days,
                self.company_b.commit_deadline_hour,
                self.company_b.forecast_band_accuracy_max,
            ),
            (21, 90, 8, 120.0),
            "company B keeps its settings",
        )
        # a team of another company is refused as company A's excepted team
        with self.assertRaises(UserError):
            self.company_a.after_sales_excepted_team_id = self.team_b
