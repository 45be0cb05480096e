# Copyright 2026 sales_cycle_process contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged

from .qpa_common import QpaCase


@tagged("post_install", "-at_install")
class TestQpaReminder(QpaCase):
    def _qpa_activities(self, order, user=None):
        domain = [
            ("res_model", "=", "sale.order"),
            ("res_id", "=", order.id),
            ("activity_type_id", "=", self.env.ref("sales_cycle_process.mail_act_qpa_approval").id),
        ]
        if user:
            domain.append(("user_id", "=", user.id))
        return self.env["mail.activity"].search(domain)

    def test_reminder_escalates_once_after_set_days(self):
        order = self._quotation()
        order.with_user(self.salesperson).request_validation()
        cron = self.env["tier.review"]._cron_qpa_reminder
        self.assertEqual(self._qpa_activities(order).user_id, self.manager)
        start = fields.Datetime.now()
        with freeze_time(start + timedelta(days=2)):
            cron()
        self.assertFalse(self._qpa_activities(order, self.director), "not before the set days")
        messages = len(order.message_ids)
        with freeze_time(start + timedelta(days=4)):
            cron()
            # level 1 (sales managers) escalates to the next level's group: the managing directors
            self.assertTrue(self._qpa_activities(order, self.director))
            self.assertFalse(self._qpa_activities(order, self.salesperson))
            self.assertEqual(len(order.message_ids), messages + 1)
            self.assertIn("escalated to Managing Director", order.message_ids[0].body)
            self.assertIn(self.manager.partner_id, order.message_ids[0].partner_ids)
            count = len(self._qpa_activities(order))
            cron()
        with freeze_time(start + timedelta(days=9)):
            cron()
        self.assertEqual(len(self._qpa_activities(order)), count, "escalates once")
        self.assertEqual(len(order.message_ids), messages + 1)

    def test_top_level_reminds_the_managing_directors_from_its_own_start(self):
        order = self._quotation(qpa_formal_contract=True)
        order.with_user(self.salesperson).request_validation()
        start = fields.Datetime.now()
        with freeze_time(start + timedelta(days=2)):
            order = self._decide(order, self.manager)
        with freeze_time(start + timedelta(days=4)):
            self.env["tier.review"]._cron_qpa_reminder()
        md_review = order.review_ids.filtered(lambda r: r.status == "pending")
        self.assertFalse(md_review.qpa_escalated, "the director's level waits from level 1's approval")
        with freeze_time(start + timedelta(days=6)):
            self.env["tier.review"]._cron_qpa_reminder()
        self.assertTrue(md_review.qpa_escalated)
        self.assertIn("escalated to Managing Director", order.message_ids[0].body)
        self.assertEqual(len(self._qpa_activities(order, self.director)), 1, "no duplicate to-do")
