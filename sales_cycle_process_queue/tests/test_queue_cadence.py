# Copyright 2026 sales_cycle_process contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import pathlib
import re
from unittest.mock import patch

from freezegun import freeze_time
from psycopg2 import errors

from odoo.addons.queue_job.exception import RetryableJobError
from odoo.tests import TransactionCase, new_test_user, tagged

from .common import trap_jobs

NOW = "2026-03-02 08:00:00"


@tagged("post_install", "-at_install")
class TestQueueCadence(TransactionCase):
    """With queue_job, the nightly cadence run fans out into one job per batch of partners."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesperson = new_test_user(cls.env, "q_sales", groups="sales_team.group_sale_salesman", tz="UTC")
        # only the rule of this test plans anything
        cls.env["scp.cadence.rule"].search([]).active = False
        cls.tag = cls.env["res.partner.category"].create({"name": "Queue test key accounts"})
        cls.partners = cls.env["res.partner"].create(
            [
                {
                    "name": f"Queue Partner {n}",
                    "category_id": [(6, 0, cls.tag.ids)],
                    "user_id": cls.salesperson.id,
                }
                for n in range(7)
            ]
        )
        cls.orphan = cls.env["res.partner"].create(
            {"name": "Queue Orphan", "category_id": [(6, 0, cls.tag.ids)]}
        )
        cls.rule = cls.env["scp.cadence.rule"].create(
            {
                "name": "Monthly key-account call",
                "partner_tier": "any",
                "partner_category_ids": [(6, 0, cls.tag.ids)],
                "interval_number": 1,
                "interval_type": "months",
                "lead_days": 7,
            }
        )
        cls.Rule = cls.env["scp.cadence.rule"]

    def _activities(self):
        return self.env["mail.activity"].search([("cadence_state_id.rule_id", "=", self.rule.id)])

    def _run_cron(self, trap):
        with freeze_time(NOW):
            self.Rule._cron_schedule_cadences(batch_size=3)

    def test_fan_out_one_job_per_batch_on_its_channel(self):
        with trap_jobs() as trap:
            self._run_cron(trap)
            # 8 partners follow the rule (7 + the orphan), 3 a batch: 3 jobs, nothing planned yet
            trap.assert_jobs_count(3, only=self.rule._scp_job_schedule_batch)
            self.assertFalse(self._activities())
            batches = [job.args[0] for job in trap.enqueued_jobs]
            self.assertEqual(
                sorted(pid for batch in batches for pid in batch), sorted((self.partners | self.orphan).ids)
            )
            self.assertEqual({job.channel for job in trap.enqueued_jobs}, {"root.scp_cadence"})
            self.assertEqual({job.max_retries for job in trap.enqueued_jobs}, {10})
            # a second run while the jobs are pending queues nothing twice (identity of rule + batch)
            self._run_cron(trap)
            trap.assert_jobs_count(3, only=self.rule._scp_job_schedule_batch)
            with freeze_time(NOW):
                trap.perform_enqueued_jobs()
        activities = self._activities()
        self.assertEqual(len(activities), 7, "one call planned per partner with a salesperson")
        self.assertEqual(set(activities.mapped("res_id")), set(self.partners.ids))
        self.assertEqual(activities.user_id, self.salesperson)
        self.assertEqual(
            self.rule.skipped_partner_ids, self.orphan, "no salesperson: skipped, listed on the rule"
        )

    def test_jobs_run_twice_plan_nothing_twice(self):
        """A job retried after a crash, or run again by a second worker, plans nothing new."""
        for _run in range(2):
            with trap_jobs() as trap:
                self._run_cron(trap)
                with freeze_time(NOW):
                    trap.perform_enqueued_jobs()
        self.assertEqual(len(self._activities()), 7)
        self.assertEqual(self.env["scp.cadence.state"].search_count([("rule_id", "=", self.rule.id)]), 7)
        # same batch performed once more by hand, as a retried job would be
        with freeze_time(NOW):
            result = self.rule._scp_job_schedule_batch(self.partners[:3].ids)
        self.assertEqual(result, "3 partners planned, 0 skipped")
        self.assertEqual(len(self._activities()), 7)

    def test_skipped_list_follows_each_batch(self):
        with trap_jobs() as trap:
            self._run_cron(trap)
            with freeze_time(NOW):
                trap.perform_enqueued_jobs()
        self.assertEqual(self.rule.skipped_partner_ids, self.orphan)
        # the orphan gets a salesperson: the next run plans it and clears the list
        self.orphan.user_id = self.salesperson
        with trap_jobs() as trap:
            self._run_cron(trap)
            with freeze_time(NOW):
                trap.perform_enqueued_jobs()
        self.assertFalse(self.rule.skipped_partner_ids)
        self.assertEqual(len(self._activities()), 8)
        # a partner that leaves the rule leaves its skipped list at the next run, whatever its batch
        leaver = self.env["res.partner"].create(
            {"name": "Queue Leaver", "category_id": [(6, 0, self.tag.ids)]}
        )
        with trap_jobs() as trap:
            self._run_cron(trap)
            with freeze_time(NOW):
                trap.perform_enqueued_jobs()
        self.assertEqual(self.rule.skipped_partner_ids, leaver)
        leaver.category_id = False
        with trap_jobs() as trap:
            self._run_cron(trap)
        self.assertFalse(self.rule.skipped_partner_ids)

    def test_partner_that_left_the_rule_is_not_planned_by_a_queued_job(self):
        with trap_jobs() as trap:
            self._run_cron(trap)
            self.partners[0].category_id = False
            with freeze_time(NOW):
                trap.perform_enqueued_jobs()
        self.assertEqual(set(self._activities().mapped("res_id")), set(self.partners[1:].ids))

    def test_serialization_failure_is_retried(self):
        """Two jobs on the same partners at once: the loser's error becomes a RetryableJobError, the job
        runs again later (queue_job's retry pattern of the job function: 10 s, then 1 min, then 5 min)."""
        conflict = errors.SerializationFailure("could not serialize access due to concurrent update")
        with patch.object(type(self.rule), "_schedule_partners", side_effect=conflict):
            with self.assertRaises(RetryableJobError):
                self.rule._scp_job_schedule_batch(self.partners.ids)
        duplicate = errors.UniqueViolation("duplicate key value violates unique constraint")
        with patch.object(type(self.rule), "_schedule_partners", side_effect=duplicate):
            with self.assertRaises(RetryableJobError):
                self.rule._scp_job_schedule_batch(self.partners.ids)
        function = self.env["queue.job.function"].search(
            [("name", "=", "<scp.cadence.rule>._scp_job_schedule_batch")]
        )
        self.assertEqual(function.channel, "root.scp_cadence")
        self.assertEqual(function.edit_retry_pattern, "{1: 10, 5: 60, 10: 300}")

    def test_archived_rule_job_plans_nothing(self):
        with trap_jobs() as trap:
            self._run_cron(trap)
            self.rule.active = False
            with freeze_time(NOW):
                trap.perform_enqueued_jobs()
        self.assertFalse(self._activities())

    def test_main_addon_does_not_import_queue_job(self):
        """Without queue_job the addon works as before: it never imports it."""
        root = pathlib.Path(__file__).resolve().parents[2] / "sales_cycle_process"
        offenders = [
            str(path.relative_to(root))
            for path in root.rglob("*.py")
            if re.search(r"^\s*(from|import)\s+\S*queue_job", path.read_text(encoding="utf-8"), re.MULTILINE)
        ]
        self.assertEqual(offenders, [])
