from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.sql_db import Cursor
from odoo.tests import Form, tagged

from .after_sales_common import SHIPPED, AfterSalesCase

CHECK_SUBJECT = "has everything been received in good order?"


@tagged("post_install", "-at_install")
class TestAfterSalesFollowups(AfterSalesCase):
    def _run_cron(self, day):
        with freeze_time(SHIPPED + timedelta(days=day)):
            self.env["sale.order"]._cron_after_sales_followups()

    def test_distributor_check_at_day_14_once(self):
        order = self._confirmed()
        self._run_cron(13)
        self.assertFalse(self._messages(order, CHECK_SUBJECT), "Nothing before day 14")
        self.assertFalse(self._activities(order, "mail_activity_type_after_sales_reminder"))
        self._run_cron(14)
        self._run_cron(14)
        self._run_cron(20)
        mails = self._messages(order, CHECK_SUBJECT)
        self.assertEqual(len(mails), 1, "The distributor gets the email once")
        self.assertIn(self.distributor, mails.partner_ids)
        reminder = self._activities(order, "mail_activity_type_after_sales_reminder")
        self.assertEqual(len(reminder), 1, "The salesperson gets one reminder")
        self.assertEqual(reminder.user_id, self.salesperson)
        self.assertIn(self.end_user.name, reminder.summary)
        self.assertTrue(order.after_sales_check_done)
        self.assertFalse(self._activities(order, "mail_activity_type_after_sales_satisfaction"))

    def test_satisfaction_call_at_day_60_once(self):
        order = self._confirmed()
        self._run_cron(59)
        self.assertFalse(self._activities(order, "mail_activity_type_after_sales_satisfaction"))
        self._run_cron(60)
        self._run_cron(61)
        call = self._activities(order, "mail_activity_type_after_sales_satisfaction")
        self.assertEqual(len(call), 1, "One satisfaction call, however often the cron runs")
        self.assertEqual(call.user_id, self.salesperson)
        self.assertTrue(order.after_sales_satisfaction_planned)
        # the distributor check of day 14 was caught up by the same run, once
        self.assertEqual(len(self._messages(order, CHECK_SUBJECT)), 1)

    def test_days_follow_the_settings(self):
        self.company.after_sales_followup_days = 7
        self.company.after_sales_satisfaction_days = 75
        order = self._confirmed()
        self._run_cron(7)
        self.assertEqual(len(self._messages(order, CHECK_SUBJECT)), 1)
        self._run_cron(74)
        self.assertFalse(self._activities(order, "mail_activity_type_after_sales_satisfaction"))
        self._run_cron(75)
        self.assertEqual(len(self._activities(order, "mail_activity_type_after_sales_satisfaction")), 1)

    def test_excepted_team_gets_nothing(self):
        self.company.after_sales_excepted_team_id = self.excepted_team
        excepted = self._confirmed(team=self.excepted_team)
        normal = self._confirmed()
        self._run_cron(14)
        self._run_cron(90)
        self.assertFalse(self._messages(excepted, CHECK_SUBJECT))
        self.assertFalse(excepted.activity_ids, "The excepted team gets no reminder and no call")
        self.assertEqual(len(self._messages(normal, CHECK_SUBJECT)), 1)
        self.assertEqual(len(self._activities(normal, "mail_activity_type_after_sales_satisfaction")), 1)

    def test_no_shipment_date_no_followup_and_listed(self):
        order = self._confirmed(shipment_date=False)
        self._run_cron(400)
        self.assertFalse(self._messages(order, CHECK_SUBJECT))
        self.assertFalse(order.activity_ids)
        action = self.env.ref("sales_cycle_process.sale_order_action_after_sales")
        self.assertIn("search_default_after_sales_no_shipment_date", action.context)
        listed = self.env["sale.order"].search([("state", "=", "sale"), ("shipment_date", "=", False)])
        self.assertIn(order, listed, "The 'No Shipment Date' filter lists the order")

    def test_shipment_date_editable_by_hand(self):
        order = self._confirmed(shipment_date=False)
        with Form(order) as form:
            form.shipment_date = SHIPPED
        self.assertEqual(order.shipment_date, SHIPPED)

    def test_one_bad_order_does_not_stop_the_run(self):
        bad = self._confirmed()
        good = self._confirmed()
        original = type(bad).message_post_with_source

        def failing(records, *args, **kwargs):
            if records == bad:
                raise ValueError("broken template")
            return original(records, *args, **kwargs)

        with (
            patch.object(type(bad), "message_post_with_source", failing),
            self.assertLogs("odoo.addons.sales_cycle_process", level="WARNING") as logs,
        ):
            self._run_cron(14)
        self.assertIn(bad.name, logs.output[0])
        self.assertFalse(bad.after_sales_check_done, "The bad order is retried next run")
        self.assertTrue(good.after_sales_check_done)
        self.assertEqual(len(self._activities(good, "mail_activity_type_after_sales_reminder")), 1)

    def test_settings_validate_the_call_window(self):
        form = Form(self.env["res.config.settings"])
        form.after_sales_satisfaction_days = 95
        with self.assertRaises(ValidationError):
            form.save()
        form = Form(self.env["res.config.settings"])
        form.after_sales_satisfaction_days = 75
        form.after_sales_excepted_team_id = self.excepted_team
        form.save().execute()
        self.assertEqual(self.company.after_sales_satisfaction_days, 75)
        self.assertEqual(self.company.after_sales_excepted_team_id, self.excepted_team)

    def test_cron_works_in_batches(self):
        orders = self._confirmed() | self._confirmed() | self._confirmed()
        progress = []
        with (
            freeze_time(SHIPPED + timedelta(days=14)),
            patch.object(
                type(self.env["ir.cron"]), "_notify_progress", lambda cron, **kw: progress.append(kw)
            ),
        ):
            self.env["sale.order"]._cron_after_sales_followups(batch_size=2)
        self.assertTrue(all(orders.mapped("after_sales_check_done")), "one run goes through every batch")
        self.assertEqual(
            progress[0]["done"], 2, "each batch of 2 is reported (and committed by the scheduler)"
        )
        self.assertEqual(progress[-1]["remaining"], 0, "the run ends: nothing left for the scheduler")
        for order in orders:
            self.assertEqual(len(self._messages(order, CHECK_SUBJECT)), 1)

    def test_a_batch_of_bad_orders_does_not_stall_the_run(self):
        """Orders whose email fails are logged and left out for the rest of the run: more bad orders
        than a batch holds neither loop the run forever nor keep the good ones waiting."""
        good = self._confirmed()
        bad = self._confirmed() | self._confirmed()  # newest first: the whole first batch fails
        original = type(good).message_post_with_source
        attempts = []

        def failing(records, *args, **kwargs):
            attempts.append(records.id)
            if records in bad:
                raise ValueError("broken template")
            return original(records, *args, **kwargs)

        with (
            patch.object(type(good), "message_post_with_source", failing),
            self.assertLogs("odoo.addons.sales_cycle_process", level="WARNING") as logs,
            freeze_time(SHIPPED + timedelta(days=14)),
        ):
            self.env["sale.order"]._cron_after_sales_followups(batch_size=2)
        self.assertTrue(good.after_sales_check_done)
        self.assertFalse(any(bad.mapped("after_sales_check_done")), "the bad orders are retried next run")
        self.assertEqual(sorted(a for a in attempts if a in bad.ids), sorted(bad.ids), "each tried once")
        self.assertEqual(len([line for line in logs.output if "distributor check failed" in line]), 2)

    def test_satisfaction_planning_queries_do_not_grow_per_order(self):
        """Planning the calls is batched: the same number of queries for 2 and for 6 orders.

        OCA base_tier_validation checks its exceptions order by order on every sale.order write;
        those queries belong to that module and are left out of the count.
        """
        original_execute = Cursor.execute
        counted = []

        def counting_execute(cr, query, *args, **kwargs):
            if "tier_validation_exception" not in str(query):
                counted.append(query)
            return original_execute(cr, query, *args, **kwargs)

        def measure(count):
            orders = self.env["sale.order"].browse()
            for _i in range(count):
                orders |= self._confirmed()
            self.env.flush_all()
            self.env.invalidate_all()
            counted.clear()
            with (
                patch.object(Cursor, "execute", counting_execute),
                freeze_time(SHIPPED + timedelta(days=60)),
            ):
                orders._after_sales_plan_satisfaction_call()
                self.env.flush_all()
            self.assertTrue(all(orders.mapped("after_sales_satisfaction_planned")))
            return len(counted)

        measure(1)  # warm the caches (xml ids, ir.model ids, access rules)
        small, large = measure(2), measure(6)
        self.assertEqual(small, large, "Planning the calls is batched")
