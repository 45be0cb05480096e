"""Scheduled actions under Odoo's multi-process server: two workers, one job, nothing twice.

The first test commits its data through separate cursors, as two workers would, and removes it
in a ``finally`` block.
"""

import threading
from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import SUPERUSER_ID, api
from odoo.sql_db import db_connect
from odoo.tests import tagged

from ..models.sale_order_after_sales import AFTER_SALES_LOCK
from ..tools import cron as cron_tools
from ..tools.cron import LOCK_NAMESPACE
from .after_sales_common import SHIPPED, AfterSalesCase
from .thread_common import registry_open_to_threads

CADENCE_LOGGER = "odoo.addons.sales_cycle_process.models.scp_cadence_rule"


@tagged("post_install", "-at_install")
class TestWorkers(AfterSalesCase):
    def _cursor(self):
        """A connection of its own, as another worker has (not the test's transaction)."""
        return db_connect(self.env.cr.dbname).cursor()

    def _worker_env(self, cr):
        return api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})

    def _remove_cadence(self, partner_ids, rule_id):
        """Remove what a test committed: the partners, their activities, the rule and its compliance."""
        with self._cursor() as cr:
            env = self._worker_env(cr)
            env["mail.activity"].search(
                [("res_model", "=", "res.partner"), ("res_id", "in", partner_ids)]
            ).unlink()
            # a rule with a compliance history cannot be deleted: its rows go first
            env["scp.cadence.state"].search([("rule_id", "=", rule_id)]).unlink()
            env["scp.cadence.rule"].browse(rule_id).unlink()
            env["res.partner"].browse(partner_ids).unlink()

    def test_two_workers_plan_one_cadence_at_the_same_time_nothing_twice(self):
        with self._cursor() as cr:  # committed on exit: both workers must see it
            env = self._worker_env(cr)
            user = env.ref("base.user_admin")
            partner = env["res.partner"].create({"name": "Two Workers GmbH", "user_id": user.id})
            rule = env["scp.cadence.rule"].create(
                {
                    "name": "Two workers call",
                    "partner_tier": "any",
                    "partner_filter": f"[('id', '=', {partner.id})]",
                }
            )
            partner_id, rule_id = partner.id, rule.id
        try:
            start, errors = threading.Barrier(2), []

            def worker():
                try:
                    with self._cursor() as cr:
                        env = self._worker_env(cr)
                        start.wait(timeout=30)
                        env["scp.cadence.rule"].browse(rule_id)._schedule()
                except Exception as error:  # reported by the assertion below
                    errors.append(error)

            threads = [threading.Thread(target=worker) for _i in range(2)]
            with registry_open_to_threads():
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join(timeout=120)
            self.assertEqual(errors, [])
            with self._cursor() as cr:
                env = self._worker_env(cr)
                states = env["scp.cadence.state"].search([("rule_id", "=", rule_id)])
                activities = env["mail.activity"].search(
                    [("res_model", "=", "res.partner"), ("res_id", "=", partner_id)]
                )
                self.assertEqual(len(states), 1, "one compliance line")
                self.assertEqual(len(activities), 1, "one planned call, not one per worker")
                self.assertEqual(activities.cadence_state_id, states)
        finally:
            self._remove_cadence([partner_id], rule_id)

    def test_a_scheduled_run_killed_midway_keeps_its_batches_and_the_next_run_goes_on(self):
        """A worker stopped by the time limit (or killed) in the middle of a large rule: the batches it
        committed stay planned, the next run plans the rest, nobody twice."""
        with self._cursor() as cr:  # committed on exit, as a company's data is
            env = self._worker_env(cr)
            user = env.ref("base.user_admin")
            partners = env["res.partner"].create(
                [{"name": f"Killed Run {n}", "user_id": user.id} for n in range(3)]
            )
            rule = env["scp.cadence.rule"].create(
                {
                    "name": "Killed run call",
                    "partner_tier": "any",
                    "partner_filter": f"[('id', 'in', {partners.ids})]",
                }
            )
            partner_ids, rule_id = partners.ids, rule.id
            cron_id = env.ref("sales_cycle_process.ir_cron_cadence_schedule").id
        Rule = type(self.env["scp.cadence.rule"])
        schedule_partners = Rule._schedule_partners
        batches = []

        def killed_at_the_third_batch(rule, ids):
            if len(batches) == 2:
                raise SystemExit("killed")  # not an error the run could catch: the worker is gone
            batches.append(ids)
            return schedule_partners(rule, ids)

        def planned():
            with self._cursor() as cr:
                return self._worker_env(cr)["mail.activity"].search_count(
                    [("res_model", "=", "res.partner"), ("res_id", "in", partner_ids)]
                )

        try:
            # a scheduled run commits (never in tests: this one is a worker's, on its own cursor)
            with (
                patch.object(cron_tools.module, "current_test", None),
                patch.object(Rule, "_schedule_partners", killed_at_the_third_batch),
                self.assertRaises(SystemExit),
                self._cursor() as cr,
            ):
                rule = self._worker_env(cr)["scp.cadence.rule"].browse(rule_id)
                rule.with_context(cron_id=cron_id)._schedule(batch_size=1)
            self.assertEqual(planned(), 2, "the two batches committed before the kill are kept")
            with patch.object(cron_tools.module, "current_test", None), self._cursor() as cr:
                rule = self._worker_env(cr)["scp.cadence.rule"].browse(rule_id)
                rule.with_context(cron_id=cron_id)._schedule(batch_size=1)
            self.assertEqual(planned(), 3, "the next run planned the third partner, nobody twice")
        finally:
            self._remove_cadence(partner_ids, rule_id)

    def test_a_run_finding_the_job_busy_in_another_worker_skips_it(self):
        order = self._confirmed()
        with self._cursor() as other_worker:
            other_worker.execute(
                "SELECT pg_try_advisory_xact_lock(%s, hashtext(%s))", [LOCK_NAMESPACE, AFTER_SALES_LOCK]
            )
            with (
                freeze_time(SHIPPED + timedelta(days=14)),
                self.assertLogs("odoo.addons.sales_cycle_process", level="WARNING") as logs,
            ):
                self.env["sale.order"]._cron_after_sales_followups()
            other_worker.rollback()  # the other worker is done: its lock is released
        self.assertIn("already running in another worker", logs.output[0])
        self.assertFalse(order.after_sales_check_done)
        with freeze_time(SHIPPED + timedelta(days=14)):
            self.env["sale.order"]._cron_after_sales_followups()
        self.assertTrue(order.after_sales_check_done)
