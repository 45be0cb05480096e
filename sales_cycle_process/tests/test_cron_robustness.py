from datetime import date
from unittest.mock import patch

from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestCronRobustness(TransactionCase):
    """What the scheduled actions leave for the users: readable notes, one reminder each."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.users = [
            new_test_user(cls.env, f"robust_{i}", groups="sales_team.group_sale_salesman", tz="UTC")
            for i in range(3)
        ]

    def test_cadence_activity_shows_agenda_and_checklist_as_formatted_text(self):
        partner = self.env["res.partner"].create({"name": "Robust Partner", "user_id": self.users[0].id})
        rule = self.env["scp.cadence.rule"].create(
            {
                "name": "Robust call",
                "partner_tier": "any",
                "partner_filter": f"[('id', '=', {partner.id})]",
                "agenda": "<p>Discuss the <b>roadmap</b></p>",
            }
        )
        rule._schedule()
        activity = self.env["mail.activity"].search(
            [("res_model", "=", "res.partner"), ("res_id", "=", partner.id), ("summary", "=", "Robust call")]
        )
        self.assertEqual(len(activity), 1)
        note = str(activity.note)
        self.assertIn("<b>roadmap</b>", note)
        self.assertIn("<li>Limits of authority</li>", note, "the checklist is a list, not escaped tags")
        self.assertNotIn("&lt;", note)

    def test_reminders_are_created_in_one_batch_and_a_broken_one_is_skipped(self):
        Reminder = self.env["scp.forecast.reminder"]
        users = self.env["res.users"].browse([user.id for user in self.users])
        Activity = type(self.env["mail.activity"])
        original = Activity.create
        calls = []

        def counting_create(model, vals_list):
            calls.append(len(vals_list) if isinstance(vals_list, list) else 1)
            return original(model, vals_list)

        xmlid = "sales_cycle_process.mail_activity_type_commit_reminder"
        with patch.object(Activity, "create", counting_create):
            reminders = Reminder._remind(users, xmlid, date(2026, 3, 16), "Submit your commit")
        self.assertEqual(reminders.user_id, users)
        self.assertEqual(calls, [3], "one create for all the reminders")

        # a user whose reminder cannot be created does not cost the others theirs
        def failing_create(model, vals_list):
            vals_list = vals_list if isinstance(vals_list, list) else [vals_list]
            if any(vals["user_id"] == users[1].id for vals in vals_list):
                raise ValueError("broken user")
            return original(model, vals_list)

        with (
            patch.object(Activity, "create", failing_create),
            self.assertLogs("odoo.addons.sales_cycle_process", level="WARNING"),
        ):
            reminders = Reminder._remind(users, xmlid, date(2026, 3, 23), "Submit your commit")
        self.assertEqual(reminders.user_id, users[0] | users[2])

    def test_manager_summary_shows_names_as_text(self):
        manager = new_test_user(self.env, "robust_mgr", groups="sales_team.group_sale_manager")
        member = new_test_user(
            self.env, "robust_odd", groups="sales_team.group_sale_salesman", name="Ann <b>Odd</b>"
        )
        team = self.env["crm.team"].create(
            {"name": "Robust Team", "user_id": manager.id, "member_ids": [(6, 0, [member.id])]}
        )
        summary = self.env["scp.forecast.reminder"]._manager_summary(team, date(2026, 3, 9))
        note = str(summary.note)
        self.assertIn("<p>", note)
        self.assertIn("Ann &lt;b&gt;Odd&lt;/b&gt;", note, "a name is shown as typed, not as markup")
