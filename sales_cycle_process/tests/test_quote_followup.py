"""#18 item 4: follow-up calls or visits after the quote, on the company's rhythm, until won or lost."""

import logging
from datetime import date, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, TransactionCase, new_test_user, tagged

SENT = date(2026, 3, 2)
LOGGER = "odoo.addons.sales_cycle_process.models.sale_order_quote_followup"


@tagged("post_install", "-at_install")
class TestQuoteFollowup(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.write({"quote_followup_days": 7, "quote_followup_visit_amount": 50000})
        cls.salesperson = new_test_user(
            cls.env, "fu_sales", groups="sales_team.group_sale_salesman", tz="UTC"
        )
        cls.manager = new_test_user(
            cls.env, "fu_manager", groups="sales_team.group_sale_manager,base.group_system", tz="UTC"
        )
        Partner = cls.env["res.partner"]
        cls.customer = Partner.create({"name": "Hydro Lab", "email": "buyer@hydro.example.com"})
        cls.distributor = Partner.create({"name": "Distri Parts GmbH", "email": "orders@distri.example.com"})
        cls.end_user = Partner.create({"name": "Clean Water Plant", "email": "plant@water.example.com"})
        cls.product = cls.env["product.product"].create({"name": "Analyzer X200", "list_price": 1000})
        cls.followup_type = cls.env.ref("sales_cycle_process.mail_activity_type_quote_followup")

    def _quote(self, price=12000, **vals):
        values = {
            "partner_id": self.customer.id,
            "user_id": self.salesperson.id,
            "order_line": [(0, 0, {"product_id": self.product.id, "price_unit": price, "tax_id": False})],
            **vals,
        }
        return self.env["sale.order"].with_user(self.salesperson).create(values)

    def _sent_quote(self, when=SENT, **kw):
        order = self._quote(**kw)
        with freeze_time(when):
            order.action_quotation_sent()
        return order

    def _run(self, when):
        with freeze_time(when):
            self.env["sale.order"]._cron_quote_followups()
        self.env.invalidate_all()

    def _followups(self, order):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "sale.order"),
                ("res_id", "in", order.ids),
                ("activity_type_id", "=", self.followup_type.id),
            ]
        )

    def test_sent_quote_followed_up_every_week_never_twice(self):
        order = self._sent_quote()
        self.assertEqual(order.quote_sent_date, SENT, "the day the salesperson sent the quotation")
        self._run(SENT)
        self._run(SENT)
        self._run(SENT + timedelta(days=3))
        followup = self._followups(order)
        self.assertEqual(len(followup), 1, "three runs, one follow-up")
        self.assertEqual(followup.user_id, self.salesperson)
        self.assertEqual(followup.date_deadline, SENT + timedelta(days=7))
        self.assertIn("Follow-up call to Hydro Lab", followup.summary)
        for item in ("Review the proposal", "Verify the needs", "buying influences", "timing", "objections"):
            self.assertIn(item, str(followup.note))
        # the salesperson calls on day 9: the next follow-up is due a week later, once
        with freeze_time(SENT + timedelta(days=9)):
            followup.with_user(self.salesperson).action_feedback(feedback="Customer reviews the quote.")
        self._run(SENT + timedelta(days=9))
        self._run(SENT + timedelta(days=10))
        followup = self._followups(order)
        self.assertEqual(len(followup), 1)
        self.assertEqual(followup.date_deadline, SENT + timedelta(days=16))

    def test_visit_via_distributor_from_the_amount(self):
        order = self._sent_quote(
            price=60000, partner_id=self.distributor.id, end_user_partner_id=self.end_user.id
        )
        small = self._sent_quote(
            price=8000, partner_id=self.distributor.id, end_user_partner_id=self.end_user.id
        )
        self._run(SENT)
        self.assertEqual(
            self._followups(order).summary,
            f"Follow-up visit with Distri Parts GmbH for Clean Water Plant: quotation {order.name}",
        )
        self.assertEqual(
            self._followups(small).summary,
            f"Follow-up call via Distri Parts GmbH for Clean Water Plant: quotation {small.name}",
        )

    def test_won_cancelled_or_lost_closes_the_followup(self):
        lead = self.env["crm.lead"].create(
            {"name": "Hydro Lab analyzers", "type": "opportunity", "user_id": self.salesperson.id}
        )
        won = self._sent_quote()
        cancelled = self._sent_quote()
        lost = self._sent_quote(opportunity_id=lead.id)
        draft = self._quote()
        self._run(SENT)
        self.assertEqual(len(self._followups(won | cancelled | lost)), 3)
        self.assertFalse(self._followups(draft), "a quotation not sent yet is not followed up")
        won.with_user(self.salesperson).action_confirm()
        cancelled.with_user(self.salesperson).with_context(disable_cancel_warning=True).action_cancel()
        lead.with_user(self.salesperson).action_set_lost()
        self.env.invalidate_all()
        for order, why in ((won, "Order confirmed"), (cancelled, "cancelled"), (lost, "Opportunity lost")):
            with self.subTest(order=why):
                self.assertFalse(self._followups(order))
                self.assertTrue(order.message_ids.filtered(lambda m, why=why: why in str(m.body)))
        self._run(SENT + timedelta(days=30))
        self.assertFalse(self._followups(won | cancelled | lost), "nothing planned again")

    def test_rhythm_in_settings_and_off(self):
        settings = Form(self.env["res.config.settings"].with_user(self.manager))
        settings.quote_followup_days = 14
        settings.save().execute()
        self.assertEqual(self.company.quote_followup_days, 14)
        order = self._sent_quote()
        self._run(SENT)
        self.assertEqual(self._followups(order).date_deadline, SENT + timedelta(days=14))
        self._followups(order).unlink()
        self.company.quote_followup_days = 0
        self._run(SENT)
        self.assertFalse(self._followups(order), "0 days: no follow-up planned")
        with self.assertRaises(ValidationError):
            self.company.quote_followup_days = 91
        with self.assertRaises(ValidationError):
            self.company.quote_followup_visit_amount = -1

    def test_client_cannot_forge_the_sent_date(self):
        order = self._quote()
        with self.assertRaises(AccessError):
            order.with_user(self.salesperson).write({"quote_sent_date": "2026-01-01"})
        with self.assertRaises(AccessError):
            self._quote(quote_sent_date="2026-01-01")
        self.assertFalse(order.quote_sent_date)

    def test_one_bad_order_is_logged_the_others_planned(self):
        bad = self._sent_quote()
        good = self._sent_quote()
        original = type(self.env["sale.order"])._quote_followup_summary

        def summary(order):
            if order == bad:
                raise ValueError("broken order")
            return original(order)

        with (
            patch.object(type(self.env["sale.order"]), "_quote_followup_summary", summary),
            self.assertLogs(LOGGER, logging.WARNING) as logs,
        ):
            self._run(SENT)
        self.assertIn(bad.name, "\n".join(logs.output))
        self.assertFalse(self._followups(bad))
        self.assertEqual(len(self._followups(good)), 1)
        self._run(SENT)
        self.assertEqual(len(self._followups(bad)), 1, "the next run plans it")

    def test_batches_plan_every_quote_once(self):
        orders = self.env["sale.order"]
        for _i in range(5):
            orders |= self._sent_quote()
        with freeze_time(SENT):
            self.env["sale.order"]._cron_quote_followups(batch_size=2)
            self.env["sale.order"]._cron_quote_followups(batch_size=2)
        for order in orders:
            self.assertEqual(len(self._followups(order)), 1)

    def _queries_for(self, count):
        orders = self.env["sale.order"]
        for _i in range(count):
            orders |= self._sent_quote(partner_id=self.distributor.id, end_user_partner_id=self.end_user.id)
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        self._run(SENT)
        self.env.flush_all()
        queries = self.env.cr.sql_log_count - before
        self.assertEqual(len(self._followups(orders)), count)
        return queries

    def test_query_count_constant(self):
        self._queries_for(1)  # warm-up
        small = self._queries_for(3)
        large = self._queries_for(15)
        self.assertEqual(small, large, f"3 quotations: {small} queries, 15 quotations: {large}")
