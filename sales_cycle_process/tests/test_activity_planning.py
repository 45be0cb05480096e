from datetime import date
from unittest.mock import patch

from odoo.tests import TransactionCase, new_test_user, tagged

SAME_ACTIVITY = ("res_model_id", "res_id", "activity_type_id", "user_id")


@tagged("post_install", "-at_install")
class TestActivityPlanning(TransactionCase):
    """The shared activity planning of models/mail_activity.py, as the parts use it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.Activity = cls.env["mail.activity"]
        cls.todo = cls.env.ref("mail.mail_activity_data_todo")
        cls.users = [
            new_test_user(cls.env, f"planning_{i}", groups="sales_team.group_sale_salesman") for i in range(3)
        ]
        cls.partners = cls.env["res.partner"].create([{"name": f"Planning {i}"} for i in range(3)])

    def _vals(self, index, deadline=date(2026, 3, 16)):
        return self.Activity._scp_activity_vals(
            self.partners[index],
            self.todo,
            self.users[index],
            f"Call {index}",
            deadline,
            note="<p>Agenda</p>",
        )

    def test_vals_name_the_record_type_user_summary_and_deadline(self):
        vals = self._vals(0)
        self.assertEqual(vals["res_model_id"], self.env["ir.model"]._get_id("res.partner"))
        self.assertEqual(vals["res_id"], self.partners[0].id)
        self.assertEqual(vals["activity_type_id"], self.todo.id)
        self.assertEqual(vals["user_id"], self.users[0].id)
        self.assertEqual((vals["summary"], vals["date_deadline"]), ("Call 0", date(2026, 3, 16)))
        self.assertEqual(vals["note"], "<p>Agenda</p>")

    def test_one_batch_and_an_open_activity_is_not_planned_twice(self):
        Activity = type(self.Activity)
        original = Activity.create
        calls = []

        def counting_create(model, vals_list):
            calls.append(len(vals_list))
            return original(model, vals_list)

        with patch.object(Activity, "create", counting_create):
            first = self.Activity._scp_create_activities(
                [self._vals(i) for i in range(3)], skip_open=SAME_ACTIVITY
            )
            again = self.Activity._scp_create_activities(
                [self._vals(i) for i in range(3)], skip_open=SAME_ACTIVITY
            )
        self.assertEqual(calls, [3], "one create for the three, none for the second run")
        self.assertEqual(len(first), 3)
        self.assertFalse(again)
        # a done activity is no longer open: the next one is planned
        first[0].action_feedback(feedback="Called")
        self.assertEqual(
            len(self.Activity._scp_create_activities([self._vals(0)], skip_open=SAME_ACTIVITY)), 1
        )

    def test_a_broken_activity_is_left_out_for_a_cron_and_raised_otherwise(self):
        Activity = type(self.Activity)
        original = Activity.create
        broken = self.partners[1].id

        def failing_create(model, vals_list):
            if any(vals["res_id"] == broken for vals in vals_list):
                raise ValueError("broken partner")
            return original(model, vals_list)

        failures = []
        with patch.object(Activity, "create", failing_create):
            with self.assertLogs("odoo.addons.sales_cycle_process", level="WARNING"):
                created = self.Activity._scp_create_activities(
                    [self._vals(i) for i in range(3)],
                    on_error=lambda vals, error: failures.append(vals["res_id"]),
                )
            self.assertEqual(created.mapped("res_id"), [self.partners[0].id, self.partners[2].id])
            self.assertEqual(failures, [broken])
            with self.assertRaises(ValueError):
                self.Activity._scp_create_activities([self._vals(1)])
