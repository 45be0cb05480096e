"""Issue #18, item 8: a corrective action not closed by its due date escalates to the sales manager, then
the managing director, once each; closing it records the outcome and informs the customer."""

from datetime import date, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .after_sales_common import AfterSalesCase

DUE = date(2026, 4, 10)
LOGGER = "odoo.addons.sales_cycle_process"
ESCALATION = "sales_cycle_process.mail_activity_type_after_sales_escalation"


@tagged("post_install", "-at_install")
class TestCorrectiveEscalation(AfterSalesCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env, "scp_esc_manager", groups="sales_team.group_sale_manager", email="mia@example.com"
        )
        cls.director = new_test_user(
            cls.env, "scp_esc_director", groups="sales_cycle_process.group_managing_director"
        )
        cls.team.user_id = cls.manager
        cls.company.after_sales_escalation_director_days = 5
        cls.order = cls._confirmed()

    def _action(self, name="Analyzer drifts", due=DUE, **vals):
        return (
            self.env["scp.corrective.action"]
            .with_user(self.salesperson)
            .create({"name": name, "order_id": self.order.id, "date_due": due, **vals})
        )

    def _run_cron(self, day):
        with freeze_time(day):
            self.env["scp.corrective.action"]._cron_corrective_escalation()

    def _escalations(self, action):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "scp.corrective.action"),
                ("res_id", "=", action.id),
                ("activity_type_id", "=", self.env.ref(ESCALATION).id),
            ]
        )

    def test_the_owner_cannot_move_the_due_date_away_from_the_escalation(self):
        action = self._action()
        for vals in ({"date_due": "2099-12-31"}, {"company_id": False}):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                action.with_user(self.salesperson).write(vals)
        # re-sending the same date (a form saving other fields) is fine; an action created without a
        # company takes the user's, so it escalates all the same
        action.with_user(self.salesperson).write({"date_due": DUE, "name": "Analyzer drifts at 40 °C"})
        orphan = self._action(name="No company", company_id=False)
        self.assertTrue(orphan.company_id)
        self._run_cron(DUE + timedelta(days=1))
        self.assertEqual((action.escalation_level, orphan.escalation_level), ("manager", "manager"))
        # the sales manager moves it
        action.with_user(self.manager).write({"date_due": "2026-05-01"})
        self.assertEqual(action.date_due, date(2026, 5, 1))

    def test_overdue_action_escalates_to_manager_then_director_once_each(self):
        action = self._action()
        self._run_cron(DUE)
        self.assertEqual(action.escalation_level, "none", "due today: not late yet")
        self.assertFalse(self._escalations(action))
        # the day after the due date: the team's leader, the sales manager
        self._run_cron(DUE + timedelta(days=1))
        self.assertEqual(action.escalation_level, "manager")
        self.assertEqual(action.escalated_manager_date, date(2026, 4, 11))
        self.assertEqual(self._escalations(action).user_id, self.manager)
        self.assertIn("Overdue corrective action: Analyzer drifts", self._escalations(action).summary)
        note = action.message_ids.filtered(lambda m: "escalated to the sales manager" in (m.body or ""))
        self.assertEqual(len(note), 1)
        self.assertIn(self.manager.name, note.body)
        # the next runs: nothing twice, and the director only five days after the manager
        self._run_cron(DUE + timedelta(days=2))
        self._run_cron(DUE + timedelta(days=5))
        self.assertEqual(action.escalation_level, "manager")
        self.assertEqual(len(self._escalations(action)), 1)
        self._run_cron(DUE + timedelta(days=6))
        self.assertEqual(action.escalation_level, "director")
        self.assertEqual(action.escalated_director_date, date(2026, 4, 16))
        directors = self.env.ref("sales_cycle_process.group_managing_director").users.filtered(
            lambda u: not u.share and self.company in u.company_ids
        )
        self.assertIn(self.director, directors)
        self.assertEqual(self._escalations(action).user_id, self.manager | directors)
        self._run_cron(DUE + timedelta(days=30))
        self.assertEqual(len(self._escalations(action)), 1 + len(directors), "once each")
        self.assertEqual(
            len(action.message_ids.filtered(lambda m: "Not closed by its due date" in (m.body or ""))), 2
        )

    def test_closed_or_on_time_actions_never_escalate(self):
        late, on_time = self._action(), self._action("Manual missing", due=DUE + timedelta(days=10))
        cancelled = self._action("Duplicate")
        cancelled.with_user(self.salesperson).action_cancel()
        self._run_cron(DUE + timedelta(days=3))
        self.assertEqual(late.escalation_level, "manager")
        self.assertEqual(on_time.escalation_level, "none")
        self.assertEqual(cancelled.escalation_level, "none")

    def test_without_team_leader_the_company_sales_managers_are_told(self):
        self.team.user_id = False
        action = self._action()
        self._run_cron(DUE + timedelta(days=1))
        users = self._escalations(action).user_id
        self.assertIn(self.manager, users)
        self.assertNotIn(self.director, users, "the director comes at the second level")

    def test_closing_records_the_outcome_and_informs_the_customer(self):
        action = self._action()
        self._run_cron(DUE + timedelta(days=1))
        mine = action.with_user(self.salesperson)
        with self.assertRaises(UserError):
            mine.action_done()  # no outcome yet
        with Form(mine) as form:
            form.outcome = "<p>The sensor was replaced and the analyzer calibrated on site.</p>"
        with freeze_time(DUE + timedelta(days=2)):
            mine.action_done()
        self.env.cr.precommit.run()
        self.assertEqual(action.state, "done")
        self.assertEqual(action.date_closed, date(2026, 4, 12))
        self.assertFalse(self._escalations(action), "the manager's to-do is withdrawn")
        mail = action.message_ids.filtered(lambda m: "has been put right" in (m.subject or ""))
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.partner_ids, self.end_user, "the end user, the order's after-sales customer")
        self.assertIn("sensor was replaced", mail.body)
        # a closed action never escalates further
        self._run_cron(DUE + timedelta(days=30))
        self.assertEqual(action.escalation_level, "manager")

    def test_customer_without_email_gets_a_note_to_call(self):
        self.end_user.email = False
        action = self._action(outcome="<p>Replaced</p>")
        action.with_user(self.salesperson).action_done()
        self.assertTrue(action.message_ids.filtered(lambda m: "has no e-mail address" in (m.body or "")))

    def test_client_cannot_write_escalation_or_close_without_outcome(self):
        action = self._action()
        mine = action.with_user(self.salesperson)
        for vals in (
            {"escalation_level": "director"},
            {"escalated_manager_date": DUE},
            {"date_closed": DUE},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                mine.write(vals)
            with self.subTest(create=vals), self.assertRaises(AccessError):
                self._action(**vals)
        # a context key grants nothing; the state is closed by the button only
        with self.assertRaises(AccessError):
            mine.with_context(active_test=False, tracking_disable=True).write({"escalation_level": "none"})
        with self.assertRaises(AccessError):
            mine.write({"state": "done"})
        # the manager neither: the scheduled action writes them
        with self.assertRaises(AccessError):
            action.with_user(self.manager).write({"escalation_level": "manager"})
        self.assertEqual(action.escalation_level, "none")
        # once escalated, the owner cannot drop it by cancelling; the manager can
        self._run_cron(DUE + timedelta(days=1))
        with self.assertRaises(AccessError):
            mine.action_cancel()
        with self.assertRaises(AccessError):
            mine.write({"state": "cancelled"})
        action.with_user(self.manager).action_cancel()
        self.assertEqual(action.state, "cancelled")
        self.assertFalse(self._escalations(action), "the to-do is withdrawn")
        # another salesperson's action is out of reach
        with self.assertRaises(AccessError):
            self._action("Theirs").with_user(self.other_salesperson).action_done()

    def test_director_delay_is_a_setting(self):
        with self.assertRaises(ValidationError):
            self.company.after_sales_escalation_director_days = 0
        settings = self.env["res.config.settings"].with_user(self.env.ref("base.user_admin")).create({})
        with Form(settings) as form:
            form.after_sales_escalation_director_days = 2
        settings.execute()
        self.assertEqual(self.company.after_sales_escalation_director_days, 2)
        action = self._action()
        self._run_cron(DUE + timedelta(days=1))
        self._run_cron(DUE + timedelta(days=3))
        self.assertEqual(action.escalation_level, "director")

    def test_one_bad_record_is_logged_and_the_others_escalate(self):
        bad, good = self._action("Bad one"), self._action("Good one")
        Activity = self.env.registry["mail.activity"]
        create = Activity.create

        def poisoned(records, vals_list):
            vals_list = vals_list if isinstance(vals_list, list) else [vals_list]
            if any(vals.get("res_id") == bad.id and vals.get("res_model_id") for vals in vals_list):
                raise ValueError("poisoned action")
            return create(records, vals_list)

        with patch.object(Activity, "create", poisoned), self.assertLogs(LOGGER, level="WARNING") as logs:
            self._run_cron(DUE + timedelta(days=1))
        self.assertTrue(any("Bad one" in line for line in logs.output))
        self.assertEqual(bad.escalation_level, "none", "retried by the next run")
        self.assertEqual(good.escalation_level, "manager")
        self._run_cron(DUE + timedelta(days=2))
        self.assertEqual(bad.escalation_level, "manager")
        self.assertEqual(len(self._escalations(good)), 1)

    def test_escalation_runs_in_constant_queries(self):
        self._action("Warm-up")
        self._run_cron(DUE + timedelta(days=1))  # warm the caches
        counts = []
        for count, day in ((2, 2), (8, 3)):
            for i in range(count):
                self._action(f"Batch {count} {i}", due=DUE + timedelta(days=day - 1))
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self._run_cron(DUE + timedelta(days=day))
            counts.append(self.env.cr.sql_log_count - before)
        escalated = self.env["scp.corrective.action"].search_count(
            [("name", "like", "Batch"), ("escalation_level", "=", "manager")]
        )
        self.assertEqual(escalated, 10)
        self.assertEqual(counts[0], counts[1], "as many queries for 8 actions as for 2")
