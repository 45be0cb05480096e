# Copyright 2026 sales_cycle_process contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import io
import json
from urllib.parse import urlencode

import openpyxl

from odoo.exceptions import AccessError
from odoo.tests import Form, HttpCase, TransactionCase, new_test_user, tagged

from .common import trap_jobs

PACK = "sales_cycle_process.commit_pack_xlsx"


@tagged("post_install", "-at_install")
class TestQueuePacks(TransactionCase):
    """A pack above the company's size is built as a job and delivered in the inbox."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env, "q_pack_manager", groups="sales_team.group_sale_manager,base.group_user", tz="UTC"
        )
        cls.manager.notification_type = "inbox"
        cls.salesperson = new_test_user(cls.env, "q_pack_sales", groups="sales_team.group_sale_salesman")
        cls.commits = cls.env["scp.sales.commit"].search([])
        cls.lines = len(cls.commits.line_ids)
        assert cls.lines, "the demo data has weekly commits with deals"
        cls.report = cls.env.ref("sales_cycle_process.commit_pack_xlsx")

    def test_threshold_from_the_settings(self):
        report = self.report.with_user(self.manager)
        self.assertEqual(self.env.company.scp_pack_background_lines, 20000, "default: 20,000 deals")
        self.assertFalse(report._scp_pack_in_background(self.commits.ids))
        with Form(self.env["res.config.settings"]) as settings:
            settings.scp_pack_background_lines = self.lines
        self.assertEqual(self.env.company.scp_pack_background_lines, self.lines)
        self.assertEqual(report._scp_pack_lines(self.commits.ids), self.lines)
        self.assertTrue(report._scp_pack_in_background(self.commits.ids))
        self.env.company.scp_pack_background_lines = self.lines + 1
        self.assertFalse(report._scp_pack_in_background(self.commits.ids))
        self.env.company.scp_pack_background_lines = 0
        self.assertFalse(report._scp_pack_in_background(self.commits.ids), "0: never in the background")
        compliance = self.env.ref("sales_cycle_process.cadence_compliance_xlsx")
        self.env.company.scp_pack_background_lines = 1
        self.assertFalse(compliance._scp_pack_in_background([1]), "only the packs go to the background")

    def test_job_builds_the_pack_for_its_requester_only(self):
        report = self.report.with_user(self.manager)
        with trap_jobs() as trap:
            report._scp_queue_pack(self.commits.ids)
            trap.assert_jobs_count(1, only=report._scp_job_build_pack)
            job = trap.enqueued_jobs[0]
            self.assertEqual(job.channel, "root.scp_pack")
            self.assertEqual(job.recordset.env.uid, self.manager.id, "built as the manager who asked")
            trap.perform_enqueued_jobs()
        attachment = self.env["ir.attachment"].search(
            [("create_uid", "=", self.manager.id), ("name", "=", f"{self.report.name}.xlsx")]
        )
        self.assertEqual(len(attachment), 1)
        self.assertFalse(attachment.res_model, "no document: only its creator opens it")
        book = openpyxl.load_workbook(io.BytesIO(attachment.with_user(self.manager).raw))
        self.assertIn("Commit", book.sheetnames)
        self.assertEqual(book["Checklist"].max_row, 1 + self.lines)
        with self.assertRaises(AccessError):
            attachment.with_user(self.salesperson).read(["raw"])
        # the manager's inbox has the link to the file
        notification = self.env["mail.notification"].search(
            [
                ("res_partner_id", "=", self.manager.partner_id.id),
                ("mail_message_id.body", "like", "/web/content/"),
            ]
        )
        self.assertEqual(len(notification), 1)
        self.assertIn(f"/web/content/{attachment.id}?download=true", notification.mail_message_id.body)
        self.assertEqual(notification.notification_type, "inbox")
        self.env.cr.precommit.run()
        sent = self.env["bus.bus"].sudo().search([("message", "like", "simple_notification")])
        self.assertTrue(any(self.report.name in json.loads(bus.message)["payload"]["title"] for bus in sent))


@tagged("post_install", "-at_install")
class TestQueuePackDownload(HttpCase):
    """The download route queues a large pack instead of building it while the browser waits."""

    # The job is written through a read/write cursor of its own while the route reads on the replica: the
    # test cursors refuse a read/write cursor inside a read-only one, so the replica is not emulated here
    # (sales_cycle_process/tests/test_scale_replica.py proves the read-only routes).
    readonly_enabled = False

    def _download(self):
        commits = self.env["scp.sales.commit"].search([])
        url = f"/report/xlsx/{PACK}/{','.join(map(str, commits.ids))}"
        query = urlencode({"data": json.dumps([url, "xlsx"]), "context": "{}"})
        return self.url_open(f"/report/download?{query}", timeout=60)

    def test_large_pack_is_queued_small_pack_downloads(self):
        self.authenticate("admin", "admin")
        Job = self.env["queue.job"]
        self.env.company.scp_pack_background_lines = 0
        self.env.flush_all()
        response = self._download()
        self.assertEqual(response.status_code, 200)
        self.assertIn("spreadsheetml", response.headers["Content-Type"])
        self.assertFalse(Job.search([("method_name", "=", "_scp_job_build_pack")]))
        self.env.company.scp_pack_background_lines = 1
        self.env.flush_all()
        response = self._download()
        self.assertIn("built in the background", response.text)
        job = Job.search([("method_name", "=", "_scp_job_build_pack")])
        self.assertEqual(len(job), 1, "the job is written on a cursor of its own, committed")
        self.assertEqual(job.channel, "root.scp_pack")
        self.assertEqual(job.user_id, self.env.ref("base.user_admin"))
        self.assertEqual(job.state, "pending")
