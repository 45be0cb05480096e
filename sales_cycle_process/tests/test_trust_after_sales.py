"""Trust (issue 13): after-sales follow-ups and the scheduled actions, acting as each role."""

from datetime import date, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .after_sales_common import SHIPPED, AfterSalesCase

CHECK_SUBJECT = "has everything been received in good order?"
ACK_SUBJECT = "we acknowledge your order"
NO_EMAIL = "has no e-mail address"
LOGGER = "odoo.addons.sales_cycle_process"


@tagged("post_install", "-at_install")
class TestTrustAfterSales(AfterSalesCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.leader = new_test_user(cls.env, "scp_trust_as_leader", groups="sales_team.group_sale_manager")
        cls.team.user_id = cls.leader
        cls.no_mail = cls.env["res.partner"].create({"name": "Paper Only Distributor", "is_company": True})

    def _run_cron(self, day):
        with freeze_time(SHIPPED + timedelta(days=day)):
            self.env["sale.order"]._cron_after_sales_followups()

    def _notes(self, order, text):
        return order.message_ids.filtered(lambda m: text in (m.body or ""))

    # --- follow-ups of an archived salesperson ---------------------------------------------------------
    def test_followups_of_an_archived_salesperson_go_to_the_team_leader(self):
        departed = new_test_user(self.env, "scp_trust_as_departed", groups="sales_team.group_sale_salesman")
        order = self._confirmed(user=departed)
        departed.active = False
        self._run_cron(14)
        reminder = self._activities(order, "mail_activity_type_after_sales_reminder")
        self.assertEqual(reminder.user_id, self.leader)
        self._run_cron(60)
        call = self._activities(order, "mail_activity_type_after_sales_satisfaction")
        self.assertEqual(call.user_id, self.leader)
        # the customer reports a problem: the corrective action is the leader's, not the archived user's
        order.with_user(self.leader).action_satisfaction_not_ok()
        self.assertEqual(order.corrective_action_ids.owner_id, self.leader)
        # an active salesperson keeps their own follow-ups
        order = self._confirmed()
        self._run_cron(14)
        self.assertEqual(
            self._activities(order, "mail_activity_type_after_sales_reminder").user_id, self.salesperson
        )

    def test_archived_support_user_gets_no_handover(self):
        self.company.after_sales_support_user_id = self.support_user
        self.support_user.active = False
        order = self._order(after_sales_order_type="support")
        order.action_confirm()
        self.assertFalse(self._activities(order, "mail_activity_type_after_sales_handover"))
        self.assertTrue(self._notes(order, "No Customer Support user"))

    # --- nothing is "sent" to a customer without e-mail ----------------------------------------------
    def test_distributor_check_without_email_is_not_marked_sent(self):
        paper = self._confirmed(partner_id=self.no_mail.id)
        mailed = self._confirmed()
        self._run_cron(14)
        self._run_cron(15)
        self.assertFalse(self._messages(paper, CHECK_SUBJECT), "no mail to a customer without address")
        self.assertEqual(len(self._notes(paper, NO_EMAIL)), 1, "the salesperson is told once, in the chatter")
        self.assertTrue(paper.after_sales_check_done, "the step is done: the salesperson calls instead")
        self.assertFalse(paper.after_sales_check_sent, "but the check is not marked e-mailed")
        self.assertEqual(len(self._activities(paper, "mail_activity_type_after_sales_reminder")), 1)
        self.assertEqual(len(self._messages(mailed, CHECK_SUBJECT)), 1)
        self.assertTrue(mailed.after_sales_check_done and mailed.after_sales_check_sent)

    def test_acknowledgment_without_email_is_not_marked_sent(self):
        self.company.after_sales_ack_on_confirm = True
        paper = self._order(partner_id=self.no_mail.id)
        mailed = self._order()
        (paper | mailed).action_confirm()
        self.assertFalse(paper.after_sales_ack_sent)
        self.assertFalse(self._messages(paper, ACK_SUBJECT))
        self.assertEqual(len(self._notes(paper, NO_EMAIL)), 1)
        self.assertTrue(mailed.after_sales_ack_sent)
        self.assertEqual(len(self._messages(mailed, ACK_SUBJECT)), 1)

    # --- the follow-up's flags are the server's ---------------------------------------------------------
    def test_client_cannot_write_the_followup_flags(self):
        order = self._confirmed()
        flags = {
            "after_sales_check_done": True,
            "after_sales_check_sent": True,
            "after_sales_satisfaction_planned": True,
            "after_sales_ack_sent": True,
            "welcome_letter_sent": True,
            "after_sales_support_handover": True,
            "satisfaction_state": "ok",
        }
        for user in (self.salesperson, self.sales_admin):
            for fname, value in flags.items():
                with self.subTest(user=user.login, field=fname), self.assertRaises(AccessError):
                    order.with_user(user).with_context(tracking_disable=True).write({fname: value})
        with self.assertRaises(AccessError):
            self.env["sale.order"].with_user(self.salesperson).create(
                {"partner_id": self.distributor.id, "after_sales_check_done": True}
            )
        self.assertFalse(order.after_sales_check_done)
        # ... so the distributor check still goes out, and the buttons still record the outcome
        self._run_cron(60)
        self.assertTrue(order.after_sales_check_sent)
        order.with_user(self.salesperson).action_satisfaction_ok()
        self.assertEqual(order.satisfaction_state, "ok")
        # the salesperson's ordinary edits are untouched
        order.with_user(self.salesperson).write({"shipment_date": SHIPPED + timedelta(days=1)})

    def test_satisfaction_only_on_confirmed_orders(self):
        quotation = self._order()
        for action in ("action_satisfaction_ok", "action_satisfaction_not_ok"):
            with self.subTest(action=action), self.assertRaises(UserError):
                getattr(quotation.with_user(self.salesperson), action)()
        self.assertFalse(quotation.satisfaction_state)
        self.assertFalse(quotation.corrective_action_ids)
        # another salesperson's order is refused by the access rules
        theirs = self._confirmed(user=self.other_salesperson)
        with self.assertRaises(AccessError):
            theirs.with_user(self.salesperson).action_satisfaction_not_ok()

    # --- the scheduled action survives one bad record ----------------------------------------------------
    def _poison_activities(self, bad, xmlid):
        activity_type = self.env.ref(f"sales_cycle_process.{xmlid}")
        Activity = self.env.registry["mail.activity"]
        create = Activity.create

        def poisoned(records, vals_list):
            vals_list = vals_list if isinstance(vals_list, list) else [vals_list]
            if any(
                vals.get("res_id") == bad.id and vals.get("activity_type_id") == activity_type.id
                for vals in vals_list
            ):
                raise ValueError("poisoned order")
            return create(records, vals_list)

        return patch.object(Activity, "create", poisoned)

    def test_one_bad_satisfaction_call_does_not_stop_the_run(self):
        bad, good, other = self._confirmed(), self._confirmed(), self._confirmed()
        self._run_cron(14)
        with (
            self._poison_activities(bad, "mail_activity_type_after_sales_satisfaction"),
            self.assertLogs(LOGGER, level="WARNING") as logs,
        ):
            self._run_cron(60)
        self.assertTrue(any(bad.name in line for line in logs.output))
        self.assertFalse(bad.after_sales_satisfaction_planned, "retried by the next run")
        for order in good | other:
            self.assertTrue(order.after_sales_satisfaction_planned)
            self.assertEqual(len(self._activities(order, "mail_activity_type_after_sales_satisfaction")), 1)
        self._run_cron(61)
        self.assertTrue(bad.after_sales_satisfaction_planned)

    def test_a_distributor_check_whose_reminder_fails_is_rolled_back_and_retried(self):
        bad, good = self._confirmed(), self._confirmed()
        with (
            self._poison_activities(bad, "mail_activity_type_after_sales_reminder"),
            self.assertLogs(LOGGER, level="WARNING") as logs,
        ):
            self._run_cron(14)
        self.assertTrue(any(bad.name in line for line in logs.output))
        self.assertFalse(bad.after_sales_check_done)
        self.assertFalse(self._messages(bad, CHECK_SUBJECT), "no mail without its reminder")
        self.assertTrue(good.after_sales_check_done)
        self.assertEqual(len(self._activities(good, "mail_activity_type_after_sales_reminder")), 1)
        self._run_cron(15)
        self.assertTrue(bad.after_sales_check_done)
        self.assertEqual(len(self._messages(bad, CHECK_SUBJECT)), 1, "sent once, by the next run")

    # --- bounded settings ---------------------------------------------------------------------------------
    def test_days_settings_are_bounded(self):
        for fname, value in (
            ("after_sales_followup_days", 0),
            ("after_sales_followup_days", -5),
            ("after_sales_followup_days", 60),
            ("after_sales_satisfaction_days", -60),
            ("after_sales_satisfaction_days", 365),
        ):
            form = Form(self.env["res.config.settings"])
            setattr(form, fname, value)
            with self.subTest(field=fname, value=value), self.assertRaises(ValidationError):
                form.save()
            # written on the company itself, around the settings: refused the same way
            with self.subTest(company_field=fname, value=value), self.assertRaises(ValidationError):
                self.company.write({fname: value})
        # the company keeps its valid setting: the check comes at 14 days
        self.assertEqual(self.company.after_sales_followup_days, 14)
        order = self._confirmed()
        self._run_cron(13)
        self.assertFalse(order.after_sales_check_done, "-5 days is not 'right after shipment'")
        self._run_cron(14)
        self.assertTrue(order.after_sales_check_done)


@tagged("post_install", "-at_install")
class TestTrustReminderCron(AfterSalesCase):
    """The commit and forecast reminders: one step or one team that fails costs the others nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager_north = new_test_user(
            cls.env, "scp_trust_rem_north", groups="sales_team.group_sale_manager"
        )
        cls.manager_south = new_test_user(
            cls.env, "scp_trust_rem_south", groups="sales_team.group_sale_manager"
        )
        cls.north_member = new_test_user(cls.env, "scp_trust_rem_n1", groups="sales_team.group_sale_salesman")
        cls.south_member = new_test_user(cls.env, "scp_trust_rem_s1", groups="sales_team.group_sale_salesman")
        Team = cls.env["crm.team"]
        cls.north = Team.create(
            {
                "name": "Rem North",
                "user_id": cls.manager_north.id,
                "member_ids": [(6, 0, cls.north_member.ids)],
            }
        )
        cls.south = Team.create(
            {
                "name": "Rem South",
                "user_id": cls.manager_south.id,
                "member_ids": [(6, 0, cls.south_member.ids)],
            }
        )

    def _reminders(self, xmlid, users):
        activity_type = self.env.ref(f"sales_cycle_process.{xmlid}")
        return self.env["mail.activity"].search(
            [("activity_type_id", "=", activity_type.id), ("user_id", "in", users.ids)]
        )

    def test_a_failing_commit_reminder_leaves_the_forecast_reminder(self):
        Reminder = type(self.env["scp.forecast.reminder"])
        members = self.north_member | self.south_member
        saturday_month_end = date(2026, 2, 28)  # a Saturday, the last day of February
        with (
            patch.object(Reminder, "_remind_commit", side_effect=ValueError("poisoned step"), autospec=True),
            self.assertLogs(LOGGER, level="WARNING") as logs,
        ):
            self.env["scp.forecast.reminder"]._cron_send_reminders(today=saturday_month_end)
        self.assertTrue(any("commit reminders" in line for line in logs.output))
        self.assertFalse(self._reminders("mail_activity_type_commit_reminder", members))
        self.assertEqual(self._reminders("mail_activity_type_forecast_reminder", members).user_id, members)

    def test_one_bad_team_leaves_the_other_managers_summary(self):
        Reminder = type(self.env["scp.forecast.reminder"])
        text = Reminder._manager_summary_text
        north = self.north

        def poisoned(model, team, *args):
            if team == north:
                raise ValueError("poisoned team")
            return text(model, team, *args)

        monday = date(2026, 3, 9)
        with (
            patch.object(Reminder, "_manager_summary_text", poisoned),
            self.assertLogs(LOGGER, level="WARNING") as logs,
        ):
            self.env["scp.forecast.reminder"]._cron_send_reminders(today=monday)
        self.assertTrue(any("Rem North" in line for line in logs.output))
        summaries = self._reminders(
            "mail_activity_type_manager_summary", self.manager_north | self.manager_south
        )
        self.assertEqual(summaries.user_id, self.manager_south)
        self.assertIn("Rem South", str(summaries.note))
