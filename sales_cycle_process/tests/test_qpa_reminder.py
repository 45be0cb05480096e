# Copyright 2026 sales_cycle_process contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta
from unittest.mock import patch

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
            ("activity_type_id", "=", self.env.ref("sales_cycle_process.mail_activity_type_qpa_approval").id),
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

    def test_one_bad_review_does_not_stop_the_reminders(self):
        first = self._quotation()
        second = self._quotation(discount=20.0)
        (first | second).with_user(self.salesperson).request_validation()
        TierReview = type(self.env["tier.review"])
        original = TierReview._qpa_escalation_group

        def escalation_group(review, order, definitions):
            if order == first:
                raise ValueError("a broken approval level")
            return original(review, order, definitions)

        with (
            freeze_time(fields.Datetime.now() + timedelta(days=4)),
            patch.object(TierReview, "_qpa_escalation_group", escalation_group),
            self.assertLogs("odoo.addons.sales_cycle_process.models.tier_review_qpa", "WARNING"),
        ):
            self.env["tier.review"]._cron_qpa_reminder()
        self.assertFalse(self._qpa_activities(first, self.director), "the broken one is skipped")
        self.assertFalse(first.review_ids.filtered("qpa_escalated"), "and retried by the next run")
        self.assertTrue(self._qpa_activities(second, self.director), "the other one is escalated")
        self.assertTrue(second.review_ids.filtered("qpa_escalated"))
