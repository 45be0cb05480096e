from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import Form, new_test_user, tagged

from .after_sales_common import SHIPPED, AfterSalesCase


@tagged("post_install", "-at_install")
class TestAfterSalesSatisfaction(AfterSalesCase):
    def _order_with_call(self, **kw):
        order = self._confirmed(**kw)
        with freeze_time(SHIPPED + timedelta(days=60)):
            self.env["sale.order"]._cron_after_sales_followups()
        self.assertEqual(len(self._activities(order, "mail_activity_type_after_sales_satisfaction")), 1)
        return order

    def test_operating_ok_closes_the_call(self):
        order = self._order_with_call()
        order.with_user(self.salesperson).action_satisfaction_ok()
        self.assertEqual(order.satisfaction_state, "ok")
        self.assertFalse(self._activities(order, "mail_activity_type_after_sales_satisfaction"))
        self.assertTrue(order.message_ids.filtered(lambda m: "pleased to be of service" in (m.body or "")))
        self.assertFalse(order.corrective_action_ids)

    def test_not_ok_opens_a_corrective_action(self):
        order = self._order_with_call()
        with freeze_time(SHIPPED + timedelta(days=62)):
            action = order.with_user(self.salesperson).action_satisfaction_not_ok()
        self.assertEqual(order.satisfaction_state, "not_ok")
        self.assertFalse(self._activities(order, "mail_activity_type_after_sales_satisfaction"))
        corrective = order.corrective_action_ids
        self.assertEqual(len(corrective), 1)
        self.assertEqual(action["res_id"], corrective.id)
        self.assertEqual(corrective.order_id, order)
        self.assertEqual(corrective.partner_id, self.end_user, "Linked to the end user")
        self.assertEqual(corrective.owner_id, self.salesperson)
        self.assertEqual(corrective.state, "open")
        self.assertEqual(corrective.date_due, SHIPPED + timedelta(days=76))
        self.assertEqual(order.corrective_action_count, 1)
        self.assertEqual(self.end_user.corrective_action_count, 1)
        partner_action = self.end_user.action_view_corrective_actions()
        self.assertEqual(self.env["scp.corrective.action"].search(partner_action["domain"]), corrective)
        with Form(corrective) as form:
            form.description = "<p>Replace the sensor head.</p>"
            form.outcome = "<p>Sensor head replaced.</p>"  # required to close (#18)
        corrective.action_start()
        corrective.action_done()
        self.assertEqual(corrective.state, "done")

    def test_support_handover_activity(self):
        self.company.after_sales_support_user_id = self.support_user
        support_order = self._order(after_sales_order_type="support")
        standard_order = self._order()
        (support_order | standard_order).action_confirm()
        handover = self._activities(support_order, "mail_activity_type_after_sales_handover")
        self.assertEqual(len(handover), 1)
        self.assertEqual(handover.user_id, self.support_user)
        self.assertIn("Clean Water Plant", handover.summary)
        self.assertFalse(self._activities(standard_order, "mail_activity_type_after_sales_handover"))

    def test_support_handover_without_support_user(self):
        order = self._order(after_sales_order_type="support")
        order.action_confirm()
        self.assertFalse(self._activities(order, "mail_activity_type_after_sales_handover"))
        self.assertTrue(order.message_ids.filtered(lambda m: "No Customer Support user" in (m.body or "")))

    def test_salespeople_see_their_own_corrective_actions(self):
        mine = self._confirmed()
        theirs = self._confirmed(user=self.other_salesperson)
        (mine | theirs).action_satisfaction_not_ok()
        Corrective = self.env["scp.corrective.action"]
        seen = Corrective.with_user(self.salesperson).search([])
        self.assertIn(mine.corrective_action_ids, seen)
        self.assertNotIn(theirs.corrective_action_ids, seen)
        admin_seen = Corrective.with_user(self.sales_admin).search([])
        self.assertLessEqual(mine.corrective_action_ids | theirs.corrective_action_ids, admin_seen)
        with self.assertRaises(AccessError):
            theirs.corrective_action_ids.with_user(self.salesperson).write({"state": "done"})
        portal = new_test_user(self.env, "scp_as_portal", groups="base.group_portal")
        with self.assertRaises(AccessError):
            Corrective.with_user(portal).search([])
