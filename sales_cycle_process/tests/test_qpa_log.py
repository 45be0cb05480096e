# Copyright 2026 sales_cycle_process contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import io
from datetime import timedelta

import openpyxl
from freezegun import freeze_time

from odoo import fields
from odoo.tests import TransactionCase, tagged

from .qpa_common import QpaCase


@tagged("post_install", "-at_install")
class TestQpaLog(QpaCase):
    def test_log_rows_and_xlsx_export(self):
        start = fields.Datetime.now()
        approved = self._quotation(discount=15.0)
        rejected = self._quotation(discount=30.0, price=2000.0)
        pending = self._quotation(discount=20.0)
        with freeze_time(start):
            (approved | rejected | pending).with_user(self.salesperson).request_validation()
        with freeze_time(start + timedelta(days=2)):
            self._decide(approved, self.manager, comment="OK for this account.")
        with freeze_time(start + timedelta(days=1)):
            self._decide(rejected, self.manager, comment="Too deep.", reject=True)
        logs = (approved | rejected | pending).qpa_log_ids
        self.assertEqual(len(logs), 3)
        row = approved.qpa_log_ids
        self.assertEqual(
            (row.state, row.approver_id, row.requested_by_id), ("approved", self.manager, self.salesperson)
        )
        self.assertAlmostEqual(row.requested_discount, 15.0)
        self.assertAlmostEqual(row.approved_discount, 15.0)
        self.assertAlmostEqual(row.lead_time_days, 2.0, places=2)
        self.assertAlmostEqual(rejected.qpa_log_ids.lead_time_days, 1.0, places=2)
        # every role reads the log; salespeople only their own quotations'
        self.assertEqual(
            self.env["scp.qpa.log"].with_user(self.other_salesperson).search([("id", "in", logs.ids)]),
            logs.browse(),
        )
        self.assertEqual(
            self.env["scp.qpa.log"].with_user(self.salesperson).search([("id", "in", logs.ids)]), logs
        )
        self.assertEqual(self.env["scp.qpa.log"].with_user(self.admin).search([("id", "in", logs.ids)]), logs)

        report = self.env.ref("sales_cycle_process.qpa_log_xlsx")
        content, kind = (
            self.env["ir.actions.report"]
            .with_user(self.manager)
            ._render(report.report_name, logs.ids, data={})
        )
        self.assertEqual(kind, "xlsx")
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(rows[0][:3], ("Quotation", "Customer", "Salesperson"))
        by_order = {values[0]: values for values in rows[1:]}
        self.assertEqual(set(by_order), {approved.name, rejected.name, pending.name})
        self.assertEqual(by_order[approved.name][5:9], (15.0, 15.0, "Approved", self.manager.name))
        self.assertEqual(by_order[approved.name][10], 2.0)
        self.assertEqual(by_order[rejected.name][6:9], (None, "Rejected", self.manager.name))
        self.assertEqual(by_order[rejected.name][11], "Too deep.")
        self.assertEqual(by_order[pending.name][7:9], ("Pending", None))


@tagged("post_install", "-at_install")
class TestQpaDemo(TransactionCase):
    """The demo company's QPAs, as installed (QpaCase empties the approving groups)."""

    def test_demo_quotations_fill_the_log(self):
        demo = self.env.ref("sales_cycle_process.demo_qpa_order_approved", raise_if_not_found=False)
        if not demo:
            self.skipTest("installed without demo data")
        self.assertEqual(demo.qpa_state, "approved")
        self.assertEqual(demo.qpa_log_ids.state, "approved")
        pending = self.env.ref("sales_cycle_process.demo_qpa_order_pending")
        self.assertEqual(pending.qpa_state, "pending")
        md = self.env.ref("sales_cycle_process.demo_qpa_order_md")
        self.assertEqual((md.qpa_state, md.qpa_needs_md), ("pending", True))
        self.assertEqual(md.next_review, "Next: QPA level 2: managing director")
        # submitted by the salesperson and decided by the sales manager, as users do, not by OdooBot
        demo_user = self.env.ref("base.user_demo")
        sandra = self.env.ref("sales_cycle_process.demo_user_sales_manager")
        self.assertEqual((md | demo | pending).qpa_log_ids.requested_by_id, demo_user)
        self.assertEqual(demo.qpa_log_ids.approver_id, sandra)
        self.assertEqual(demo.qpa_log_ids.comment, "Approved: regional demo site.")
        # the managing director level waits for the administrator, who has it on their to-do list
        admin = self.env.ref("base.user_admin")
        md_review = md.review_ids.filtered(lambda r: r.status == "pending")
        self.assertIn(admin, md_review.reviewer_ids)
        self.assertTrue(md_review.can_review)
        activity_type = self.env.ref("sales_cycle_process.mail_activity_type_qpa_approval")
        todos = (md | pending).activity_ids.filtered(lambda a: a.activity_type_id == activity_type)
        self.assertEqual({(a.res_id, a.user_id) for a in todos}, {(md.id, admin), (pending.id, sandra)})
