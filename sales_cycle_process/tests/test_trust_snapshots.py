"""Trust in the weekly commit and the monthly forecast (issue #13): only the submit flow creates them, with
what the server reads and checks, whatever a client sends; deleting or merging their deals works.

Every attack is made as the role a client would log in with (``with_user``), with the values and context
keys an RPC client could send. 2026-03-07 is a Saturday: the commit being submitted is the one for the
week of Monday 2026-03-09.
"""

import io
import threading
from datetime import date
from unittest.mock import patch

import openpyxl
import psycopg2
from freezegun import freeze_time

from odoo import SUPERUSER_ID, Command, api, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.sql_db import db_connect
from odoo.tests import Form, TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger

from ..models.scp_sales_commit import ScpSalesCommit
from .commit_checklist_common import complete_commit_checklist
from .qpa_common import QpaCase
from .thread_common import registry_open_to_threads

SATURDAY = "2026-03-07 10:00:00"
MONDAY = date(2026, 3, 9)


class SnapshotCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, mail_notrack=True))
        Stage = cls.env["crm.stage"]
        cls.stage_commit = Stage.create(
            {"name": "TS Commit", "probability": 90, "forecast_category": "commit"}
        )
        cls.stage_upside = Stage.create(
            {"name": "TS Upside", "probability": 70, "forecast_category": "upside"}
        )

        def user(login, group):
            return new_test_user(cls.env, login, groups=group, tz="UTC", name=login.replace("_", " ").title())

        cls.alice = user("ts_alice", "sales_team.group_sale_salesman")
        cls.bob = user("ts_bob", "sales_team.group_sale_salesman")
        cls.carol = user("ts_carol", "sales_team.group_sale_salesman")
        cls.leader = user("ts_leader", "sales_team.group_sale_salesman_all_leads")
        cls.engineer = user("ts_engineer", "sales_cycle_process.group_application_engineer")
        cls.sales_admin = user("ts_sales_admin", "sales_cycle_process.group_sales_admin")
        cls.manager = user("ts_manager", "sales_team.group_sale_manager")
        cls.roles = {
            "salesperson": cls.alice,
            "application engineer": cls.engineer,
            "sales admin": cls.sales_admin,
            "sales manager": cls.manager,
        }
        cls.team = cls.env["crm.team"].create(
            {
                "name": "TS North",
                "user_id": cls.leader.id,
                "member_ids": [Command.set((cls.alice | cls.bob).ids)],
            }
        )
        cls.team_south = cls.env["crm.team"].create(
            {"name": "TS South", "member_ids": [Command.set(cls.carol.ids)]}
        )
        cls.customer = cls.env["res.partner"].create({"name": "TS Customer"})

        def deal(name, owner, amount, deadline, stage):
            return cls.env["crm.lead"].create(
                {
                    "name": name,
                    "type": "opportunity",
                    "user_id": owner.id,
                    "team_id": cls.team.id,
                    "partner_id": cls.customer.id,
                    "expected_revenue": amount,
                    "date_deadline": deadline,
                    "stage_id": stage.id,
                    "probability": stage.probability,
                }
            )

        cls.deal_a1 = deal("TS Alice press", cls.alice, 10000, "2026-03-10", cls.stage_commit)
        cls.deal_a2 = deal("TS Alice robot", cls.alice, 5000, "2026-04-25", cls.stage_upside)
        cls.deal_b1 = deal("TS Bob lathe", cls.bob, 7000, "2026-03-12", cls.stage_commit)
        # the 90 % deals answer the five checklist questions: they count as commit
        complete_commit_checklist(cls.env, cls.deal_a1 | cls.deal_b1)

    def _wizard(self, model, user, values):
        """The wizard as a client opens it (``default_user_id`` for somebody else's) and saves it."""
        Wizard = self.env[model].with_user(user)
        if "user_id" in values:
            Wizard = Wizard.with_context(default_user_id=values["user_id"])
        return Wizard.create(values)

    def _commit(self, user, **values):
        with freeze_time(SATURDAY):
            wizard = self._wizard("scp.commit.wizard", user, values)
            return self.env["scp.sales.commit"].browse(wizard.action_submit()["res_id"])

    def _forecast(self, user, **values):
        with freeze_time(SATURDAY):
            wizard = self._wizard("scp.forecast.wizard", user, values)
            return self.env["scp.sales.forecast"].browse(wizard.action_submit()["res_id"])


@tagged("post_install", "-at_install")
class TestSnapshotCreation(SnapshotCase):
    """1. Only the submit flow creates commits, forecasts and their lines."""

    def test_no_role_creates_a_snapshot_or_a_line(self):
        commit = self._commit(self.alice)
        forecast = self._forecast(self.alice)
        for role, user in self.roles.items():
            with self.subTest(role=role):
                with self.assertRaises(AccessError):
                    self.env["scp.sales.commit"].with_user(user).create(
                        {
                            "user_id": user.id,
                            "team_id": self.team.id,
                            "week_start": MONDAY,
                            "commit_week": 1e6,
                        }
                    )
                with self.assertRaises(AccessError):
                    self.env["scp.sales.commit.line"].with_user(user).create(
                        {
                            "commit_id": commit.id,
                            "lead_id": self.deal_a2.id,
                            "category": "commit",
                            "amount": 1e6,
                        }
                    )
                with self.assertRaises(AccessError):
                    self.env["scp.sales.forecast"].with_user(user).create(
                        {"user_id": user.id, "month": date(2026, 3, 1), "total": 1e6}
                    )
                with self.assertRaises(AccessError):
                    self.env["scp.sales.forecast.line"].with_user(user).create(
                        {"forecast_id": forecast.id, "month": date(2026, 3, 1), "amount": 1e6}
                    )
        self.assertEqual(len(commit.line_ids), 1, "Alice's commit holds her commit-category deals only")

    def test_a_submitted_snapshot_gets_no_new_line(self):
        commit = self._commit(self.alice)
        forecast = self._forecast(self.alice)
        new_line = {"lead_id": self.deal_a2.id, "category": "commit", "amount": 1e6}
        for env in (self.env(user=self.alice), self.env(user=self.manager), self.env(su=True)):
            with self.assertRaises(UserError):
                commit.with_env(env).write({"line_ids": [Command.create(new_line)]})
            with self.assertRaises(UserError):
                forecast.with_env(env).write({"line_ids": [Command.create({"month": date(2027, 3, 1)})]})
        # not even in sudo: a line is created with its snapshot or never
        with self.assertRaises(AccessError):
            self.env["scp.sales.commit.line"].sudo().create({**new_line, "commit_id": commit.id})
        with self.assertRaises(AccessError):
            self.env["scp.sales.forecast.line"].sudo().create({"forecast_id": forecast.id, "month": MONDAY})
        self.assertEqual(commit.line_ids.lead_id, self.deal_a1)
        self.assertEqual(commit.commit_week, 10000)
        self.assertEqual(len(forecast.line_ids), 12)

    def test_the_supersede_context_key_unlocks_nothing(self):
        first = self._commit(self.alice)
        for env in (self.env(user=self.alice), self.env(user=self.manager), self.env(su=True)):
            forged = first.with_env(env).with_context(scp_supersede=True)
            with self.assertRaises(UserError):
                forged.write({"state": "superseded"})
            with self.assertRaises(UserError):
                forged.write({"superseded_by_id": first.id})
        self.assertEqual(first.state, "current")
        # the server's own supersede still works: submitting again
        second = self._commit(self.alice)
        self.assertEqual(first.state, "superseded")
        self.assertEqual(first.superseded_by_id, second)

    def test_submit_records_who_and_what_from_the_deals(self):
        commit = self._commit(self.alice)
        self.assertEqual(commit.user_id, self.alice)
        self.assertEqual(commit.submitted_by_id, self.alice)
        self.assertEqual(commit.create_uid, self.alice)
        line = commit.line_ids
        self.assertEqual(
            (line.lead_name, line.partner_name, line.lead_user_id, line.amount),
            ("TS Alice press", "TS Customer", self.alice, 10000),
        )
        # Alice reads her snapshot, not the others'
        self.assertEqual(commit.with_user(self.alice).line_ids.lead_name, "TS Alice press")


@tagged("post_install", "-at_install")
class TestSnapshotChecks(SnapshotCase):
    """2. Week, month, team and totals are checked and computed on the server."""

    def test_the_week_is_an_open_monday(self):
        Wizard = self.env["scp.commit.wizard"].with_user(self.alice)
        with freeze_time(SATURDAY):
            for week, error in (
                ("2026-03-10", ValidationError),  # a Tuesday
                ("1999-03-08", ValidationError),  # a Monday, but not a sane year
                ("2026-03-02", UserError),  # this week's Monday: its deadline has passed
                ("2026-03-16", UserError),  # the week after next: not open yet
                ("2099-03-02", UserError),
            ):
                with self.subTest(week=week), self.assertRaises(error):
                    Wizard.create({"week_start": week}).action_submit()
            self.assertEqual(Wizard.create({}).week_start, MONDAY)
        self.assertFalse(self.env["scp.sales.commit"].search([("user_id", "=", self.alice.id)]))

    def test_the_forecast_month_is_the_current_one(self):
        Wizard = self.env["scp.forecast.wizard"].with_user(self.alice)
        with freeze_time(SATURDAY):
            for month, error in (
                ("2026-04-01", UserError),
                ("2026-03-15", UserError),
                ("2026-02-01", UserError),
                ("1900-03-01", ValidationError),
            ):
                with self.subTest(month=month), self.assertRaises(error):
                    Wizard.create({"month": month}).action_submit()
        self.assertFalse(self.env["scp.sales.forecast"].search([("user_id", "=", self.alice.id)]))

    def test_amounts_and_checklist_are_read_from_the_deals_not_from_the_client(self):
        forged = {
            "lead_id": self.deal_a1.id,
            "category": "commit",
            "amount": 1e9,
            "probability": 100,
            "date_deadline": "2026-03-09",
            "commit_discount_approved": True,
            "commit_reliable": True,
        }
        # a 90 % deal with four ticks but no quotation: its special discount is not approved
        saw = self.deal_a1.copy({"name": "TS Alice saw", "expected_revenue": 3000, "probability": 90})
        saw.write(dict.fromkeys(("commit_config_final", "commit_end_user_signed"), True))
        saw.write(dict.fromkeys(("commit_integrator_signed", "commit_partner_ready"), True))
        commit = self._commit(
            self.alice, line_ids=[Command.create(forged), Command.create({**forged, "lead_id": saw.id})]
        )
        line = commit.line_ids.filtered(lambda item: item.lead_id == self.deal_a1)
        self.assertEqual((line.amount, line.probability), (10000, 90))
        self.assertEqual(line.date_deadline, date(2026, 3, 10))
        self.assertTrue(line.discount_approved, "its quotation needs no QPA")
        saw_line = commit.line_ids - line
        self.assertFalse(saw_line.discount_approved, "no quotation, no approved special discount")
        self.assertEqual((saw_line.category, saw_line.commit_status), ("upside", "incomplete"))
        self.assertEqual((commit.commit_week, commit.commit_total, commit.upside_week), (10000, 10000, 3000))
        self.assertEqual(self.deal_a1.expected_revenue, 10000)

    def test_forecast_open_deals_are_computed_again_on_submit(self):
        lines = [
            Command.create({"month": date(2026, 3, 1), "computed_amount": 1e9, "adjustment": 500}),
            Command.create({"month": date(2026, 4, 1), "computed_amount": 1e9}),
        ]
        forecast = self._forecast(self.alice, line_ids=lines)
        march = forecast.line_ids.filtered(lambda line: line.month == date(2026, 3, 1))
        self.assertEqual((march.computed_amount, march.adjustment, march.amount), (10000, 500, 10500))
        self.assertEqual(forecast.pipeline_total, 15000)
        self.assertEqual(forecast.total, 15500)
        self.assertEqual(len(forecast.line_ids), 12)
        # the wizard shows what the server computes, not what was sent
        with freeze_time(SATURDAY):
            wizard = self.env["scp.forecast.wizard"].with_user(self.alice).create({"line_ids": lines})
        self.assertEqual(wizard.line_ids[0].computed_amount, 10000)

    def test_forecast_adjustments_are_bounded(self):
        for line, error in (
            ({"month": date(2026, 3, 1), "adjustment": -20000}, ValidationError),  # below zero
            ({"month": date(2027, 3, 1), "adjustment": 100}, ValidationError),  # the 13th month
            ({"month": date(2026, 3, 1), "adjustment": float("inf")}, ValidationError),
            ({"month": date(2026, 3, 1), "adjustment": float("nan")}, ValidationError),
        ):
            with self.subTest(line=line), self.assertRaises(error):
                self._forecast(self.alice, line_ids=[Command.create(line)])
        twice = [Command.create({"month": date(2026, 3, 1)}), Command.create({"month": date(2026, 3, 1)})]
        with self.assertRaises(ValidationError):
            self._forecast(self.alice, line_ids=twice)

    def test_two_submissions_in_one_transaction_leave_one_current(self):
        first, second = self._commit(self.alice), self._commit(self.alice)
        f_first, f_second = self._forecast(self.alice), self._forecast(self.alice)
        current = self.env["scp.sales.commit"].search(
            [("user_id", "=", self.alice.id), ("week_start", "=", MONDAY), ("state", "=", "current")]
        )
        self.assertEqual(current, second)
        self.assertEqual((first.state, first.superseded_by_id), ("superseded", second))
        self.assertEqual((f_first.state, f_first.superseded_by_id), ("superseded", f_second))

    def test_the_database_keeps_one_current_commit_and_says_so_in_a_sentence(self):
        self._commit(self.alice)
        self._forecast(self.alice)
        # What a second worker that had not seen the first submission would do: no previous one found.
        Commit, Forecast = type(self.env["scp.sales.commit"]), type(self.env["scp.sales.forecast"])
        for model, submit in ((Commit, self._commit), (Forecast, self._forecast)):
            with (
                self.subTest(model=model._name),
                patch.object(model, "search", lambda self, *args, **kwargs: self.browse()),
                mute_logger("odoo.sql_db"),
                self.assertRaisesRegex(UserError, "submitted at the same moment"),
            ):
                submit(self.alice)
        # and no code path, not even sudo, stores two current ones
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(psycopg2.errors.UniqueViolation),
            self.cr.savepoint(),
        ):
            self.env["scp.sales.commit"].sudo().create(
                {"user_id": self.alice.id, "team_id": self.team.id, "week_start": MONDAY}
            )
        self.assertEqual(ScpSalesCommit._scp_current_index, "scp_sales_commit_one_current")


@tagged("post_install", "-at_install")
class TestSnapshotWizards(SnapshotCase):
    """3. Who a snapshot is for, which deals the wizard shows, what a refusal names."""

    def test_a_salesperson_submits_for_themselves_in_their_own_team(self):
        with self.assertRaises(AccessError):
            self._commit(self.alice, user_id=self.bob.id)
        with self.assertRaises(AccessError):
            self._forecast(self.alice, user_id=self.bob.id)
        with self.assertRaises(UserError):
            self._commit(self.alice, team_id=self.team_south.id)
        with self.assertRaises(UserError):
            self._forecast(self.alice, team_id=self.team_south.id)
        self.assertFalse(self.env["scp.sales.commit"].search([("user_id", "=", self.bob.id)]))

    def test_only_the_team_leader_or_a_sales_manager_submits_for_somebody(self):
        for role in ("application engineer", "sales admin"):
            with self.subTest(role=role), self.assertRaises(AccessError):
                self._commit(self.roles[role], user_id=self.alice.id, team_id=self.team.id)
        by_leader = self._commit(self.leader, user_id=self.alice.id, team_id=self.team.id)
        self.assertEqual((by_leader.user_id, by_leader.submitted_by_id), (self.alice, self.leader))
        self.assertEqual(by_leader.line_ids.lead_id, self.deal_a1)
        # the leader of North is not the leader of South
        with self.assertRaises(AccessError):
            self._commit(self.leader, user_id=self.carol.id, team_id=self.team_south.id)
        by_manager = self._forecast(self.manager, user_id=self.carol.id, team_id=self.team_south.id)
        self.assertEqual((by_manager.user_id, by_manager.submitted_by_id), (self.carol, self.manager))

    def test_wizard_lines_hold_only_deals_the_caller_reads(self):
        Line = self.env["scp.commit.wizard.line"].with_user(self.alice)
        with freeze_time(SATURDAY):
            wizard = self.env["scp.commit.wizard"].with_user(self.alice).create({})
            self.assertEqual(wizard.line_ids.lead_id, self.deal_a1)
            with self.assertRaises(AccessError):
                Line.create({"wizard_id": wizard.id, "lead_id": self.deal_b1.id})
            with self.assertRaises(AccessError):
                wizard.line_ids.write({"lead_id": self.deal_b1.id})
            with self.assertRaises(AccessError):
                self.env["scp.commit.wizard"].with_user(self.alice).create(
                    {"line_ids": [Command.create({"lead_id": self.deal_b1.id})]}
                )
            # asking for Bob's wizard shows none of Bob's deals, and cannot be submitted
            other = (
                self.env["scp.commit.wizard"].with_user(self.alice).with_context(default_user_id=self.bob.id)
            )
            bobs = other.create({})
            self.assertFalse(bobs.line_ids)
            with self.assertRaises(AccessError):
                bobs.action_submit()
            # the lines, read and written as the caller
            self.assertEqual(wizard.line_ids.amount, 10000)
            wizard.line_ids.commit_config_final = True
        self.assertTrue(self.deal_a1.commit_config_final)

    def test_a_deal_of_somebody_else_is_refused(self):
        # the leader reads Bob's deal, but it is not Alice's
        with self.assertRaises(UserError):
            self._commit(
                self.leader,
                user_id=self.alice.id,
                team_id=self.team.id,
                line_ids=[Command.create({"lead_id": self.deal_b1.id})],
            )

    def test_the_duplicate_deal_message_names_nobody_the_caller_cannot_see(self):
        self._commit(self.alice)  # the press, committed by Alice for the week of 9 March
        self.deal_a1.user_id = self.bob  # then reassigned to Bob, who commits it too
        with self.assertRaises(ValidationError) as refused:
            self._commit(self.bob)
        message = str(refused.exception)
        self.assertIn("TS Alice press", message, "Bob reads the deal: it is named")
        self.assertNotIn("Ts Alice", message, "Bob does not read Alice's commit: she is not named")
        self.assertIn("another salesperson", message)
        # the team leader reads Alice's commit: for him, she is named
        with self.assertRaises(ValidationError) as refused:
            self._commit(self.leader, user_id=self.bob.id, team_id=self.team.id)
        self.assertIn("Ts Alice", str(refused.exception))


@tagged("post_install", "-at_install")
class TestSnapshotDeals(SnapshotCase):
    """5. Deleting or merging a deal of a commit: the snapshot keeps what it recorded."""

    def test_deleting_a_committed_deal_keeps_the_snapshot(self):
        commit = self._commit(self.alice)
        forecast = self._forecast(self.alice)
        self.deal_a1.with_user(self.manager).unlink()
        self.env.invalidate_all()
        line = commit.line_ids
        self.assertFalse(line.lead_id)
        self.assertEqual(
            (line.lead_name, line.partner_name, line.lead_user_id, line.amount, line.category),
            ("TS Alice press", "TS Customer", self.alice, 10000, "commit"),
        )
        self.assertEqual(commit.commit_week, 10000)
        # the packs, the waterfall and the Monday dashboard still work without the deal
        content, _kind = self.env["report.sales_cycle_process.commit_pack_xlsx"].create_xlsx_report(
            commit.ids, {}
        )
        self.assertEqual(
            openpyxl.load_workbook(io.BytesIO(content))["Checklist"]["B2"].value, "TS Alice press"
        )
        self.env["report.sales_cycle_process.forecast_pack_xlsx"].create_xlsx_report(forecast.ids, {})
        flow = self.env["scp.forecast.measures"]._waterfall(self.alice, MONDAY)
        self.assertEqual((flow["entered"], flow["end"]), (10000, 10000))
        with freeze_time("2026-03-09 09:00:00"):
            rows = self.env["scp.forecast.measures"].with_user(self.manager)._consolidate(self.team)
        alice = next(row for row in rows if row["user_id"] == self.alice.id)
        self.assertEqual(alice["commit_week"], 10000)

    def test_merging_deals_keeps_the_commit_on_the_surviving_deal(self):
        self.deal_a2.write(
            {"stage_id": self.stage_commit.id, "date_deadline": "2026-03-25", "probability": 90}
        )
        complete_commit_checklist(self.env, self.deal_a2)
        commit = self._commit(self.alice)
        self.assertEqual(commit.line_ids.lead_id, self.deal_a1 | self.deal_a2)
        # the duplicate is further in the ladder: it survives the merge
        stage_late = self.env["crm.stage"].create({"name": "TS Late", "sequence": 1000, "probability": 95})
        duplicate = self.env["crm.lead"].create(
            {
                "name": "TS Alice press (dup)",
                "type": "opportunity",
                "user_id": self.alice.id,
                "team_id": self.team.id,
                "stage_id": stage_late.id,
            }
        )
        # merge the press into its duplicate, as Alice in CRM's merge wizard
        wizard = (
            self.env["crm.merge.opportunity"]
            .with_user(self.alice)
            .with_context(active_model="crm.lead", active_ids=(self.deal_a1 | duplicate).ids)
            .create(
                {"opportunity_ids": [Command.set((self.deal_a1 | duplicate).ids)], "user_id": self.alice.id}
            )
        )
        survivor = wizard.action_merge()
        survivor = self.env["crm.lead"].browse(survivor["res_id"])
        self.env.invalidate_all()
        self.assertEqual(survivor, duplicate)
        self.assertFalse(self.deal_a1.exists())
        lines = {line.lead_name: line for line in commit.line_ids}
        self.assertEqual(len(lines), 2)
        self.assertEqual(lines["TS Alice press"].lead_id, survivor, "the commit follows the surviving deal")
        self.assertEqual(lines["TS Alice press"].amount, 10000, "with the amount it recorded")
        # both deals of one commit merged: one line follows, the other keeps its values without a deal
        merged = (self.deal_a2 | survivor).with_user(self.manager).merge_opportunity()
        self.env.invalidate_all()
        self.assertEqual(len(commit.line_ids), 2)
        self.assertEqual(commit.line_ids.lead_id, merged)
        self.assertEqual(sorted(commit.line_ids.mapped("amount")), [5000, 10000])
        self.assertEqual(commit.commit_total, 15000)


@tagged("post_install", "-at_install")
class TestSnapshotInputs(SnapshotCase):
    """6. Bounded settings, targets and dates: a sentence, never a traceback."""

    def test_the_deadline_hour_setting_is_an_hour(self):
        for hour in (24, -1, 99):
            with self.subTest(hour=hour), self.assertRaises(ValidationError):
                self.env["res.config.settings"].create({"commit_deadline_hour": hour})
        with self.assertRaises(ValidationError):
            self.env["res.config.settings"].create(
                {"forecast_band_accuracy_min": 120, "forecast_band_accuracy_max": 110}
            )
        settings = self.env["res.config.settings"].create({"commit_deadline_hour": 9})
        settings.execute()
        self.assertEqual(self.env.company.commit_deadline_hour, 9)

    def test_a_bad_setting_is_refused_around_the_settings_too(self):
        """The settings are company fields with the company's own checks: a value that is not an hour or
        a percentage is refused also when written on the company itself, so the wizards never get one."""
        company = self.env.company
        for vals in (
            {"commit_deadline_hour": 36},
            {"commit_deadline_hour": -1},
            {"forecast_band_accuracy_min": -5},
            {"forecast_band_accuracy_min": float("nan")},
            {"forecast_band_growth_min": 20, "forecast_band_growth_good": 10},
        ):
            with self.subTest(vals=vals), self.assertRaises(ValidationError):
                company.write(vals)
        self.assertEqual(company.commit_deadline_hour, 12)
        commit = self._commit(self.alice)
        self.assertEqual(commit.week_start, MONDAY)
        # the default 12:00 applies: Monday 11:00 still commits the week of 9 March
        with freeze_time("2026-03-09 11:00:00"):
            self.assertEqual(
                self.env["scp.commit.wizard"].with_user(self.alice).create({}).week_start, MONDAY
            )
        with freeze_time("2026-03-09 09:00:00"):
            rows = self.env["scp.forecast.measures"].with_user(self.manager)._consolidate(self.team)
        self.assertTrue(rows)
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.commit_deadline_hour, 12, "the settings still open")

    def test_targets_are_bounded_and_unique(self):
        Target = self.env["scp.sales.target"].with_user(self.manager)
        target = Target.create({"user_id": self.alice.id, "month": "2026-03-15", "base_amount": 1000})
        self.assertEqual(target.month, date(2026, 3, 1))
        team_target = Target.create({"team_id": self.team.id, "month": "2026-03-01", "base_amount": 5000})
        for vals in (
            {"user_id": self.alice.id, "month": "2026-04-01", "base_amount": -1},
            {"user_id": self.alice.id, "month": "2026-04-01", "base_amount": 1, "raise_factor": 0},
            {"user_id": self.alice.id, "month": "1900-04-01", "base_amount": 1},
            {"user_id": self.alice.id, "month": "abc", "base_amount": 1},
            {"user_id": self.alice.id, "month": "2026-03-20", "base_amount": 1},  # March again
            {"team_id": self.team.id, "month": "2026-03-31", "base_amount": 1},  # the team's March again
        ):
            with self.subTest(vals=vals), self.assertRaises(ValidationError):
                Target.create(vals)
        with self.assertRaises(ValidationError):
            Target.create([{"user_id": self.bob.id, "month": "2026-05-01", "base_amount": 1}] * 2)
        with self.assertRaises(ValidationError):
            target.base_amount = -5
        with self.assertRaises(ValidationError):
            Target.create(
                {"user_id": self.alice.id, "month": "2026-04-01", "base_amount": 1}
            ).month = "2026-03-02"
        # a salesperson's target and her team's target for the same month are two different things
        self.assertTrue(
            Target.create(
                {"user_id": self.bob.id, "team_id": self.team.id, "month": "2026-03-01", "base_amount": 1}
            )
        )
        self.assertEqual(team_target.amount, 5500)


@tagged("post_install", "-at_install")
class TestSnapshotReaders(SnapshotCase):
    """7. A salesperson reads only their own snapshots, also in the analysis and the dashboard."""

    def test_a_salesperson_sees_nothing_of_the_others(self):
        self._commit(self.alice)
        self._forecast(self.alice)
        bobs = self._commit(self.bob)
        self._forecast(self.bob)
        self.env.flush_all()
        for model in (
            "scp.sales.commit",
            "scp.sales.commit.line",
            "scp.sales.forecast",
            "scp.sales.forecast.line",
        ):
            records = self.env[model].with_user(self.alice).search([])
            self.assertEqual(records.mapped("user_id"), self.alice, model)
        analysis = self.env["scp.forecast.analysis"].with_user(self.alice).search([])
        self.assertTrue(analysis)
        self.assertEqual(analysis.user_id, self.alice)
        with self.assertRaises(AccessError):
            bobs.with_user(self.alice).read(["commit_week"])
        with self.assertRaises(AccessError):
            self.env["scp.forecast.measures"].with_user(self.alice).get_monday_screen(team_ids=self.team.ids)
        # the team leader and the roles reading all deals see both
        for user in (self.leader, self.engineer, self.manager):
            users = (
                self.env["scp.sales.commit"]
                .with_user(user)
                .search([("user_id", "in", (self.alice | self.bob).ids)])
                .user_id
            )
            self.assertEqual(users, self.alice | self.bob)


@tagged("post_install", "-at_install")
class TestCommitDiscountApproved(QpaCase):
    """4. "Special discount approved" on the commit checklist: from an approved QPA, never from a tick."""

    def _deal(self):
        return self.env["crm.lead"].create(
            {
                "name": "QPA deal",
                "type": "opportunity",
                "user_id": self.salesperson.id,
                "partner_id": self.partner.id,
            }
        )

    def test_only_an_approved_qpa_approves_the_special_discount(self):
        deal = self._deal()
        self.assertFalse(deal.commit_discount_approved, "no quotation yet: nothing approved")
        # the salesperson cannot tick it
        with self.assertRaises(ValueError):
            deal.with_user(self.salesperson).write({"commit_discount_manual": True})
        deal.with_user(self.salesperson).write({"commit_discount_approved": True})
        deal.invalidate_recordset()
        self.assertFalse(deal.commit_discount_approved)
        order = self._quotation(discount=15.0, opportunity_id=deal.id)
        self.assertEqual(order.qpa_state, "to_submit")
        self.assertFalse(deal.commit_discount_approved)
        order.with_user(self.salesperson).request_validation()
        deal.invalidate_recordset()
        self.assertFalse(deal.commit_discount_approved, "pending")
        self._decide(order, self.manager)
        deal.invalidate_recordset()
        self.assertTrue(deal.with_user(self.salesperson).commit_discount_approved)
        # a new quotation asking for more is not approved yet
        self._quotation(discount=30.0, opportunity_id=deal.id)
        deal.invalidate_recordset()
        self.assertFalse(deal.commit_discount_approved)

    def test_a_deal_whose_quotations_need_no_qpa_asks_no_special_discount(self):
        deal = self._deal()
        order = self._quotation(discount=0.0, opportunity_id=deal.id)
        self.assertEqual(order.qpa_state, "not_needed")
        self.assertTrue(deal.commit_discount_approved)
        order.with_user(self.salesperson).action_cancel()
        deal.invalidate_recordset()
        self.assertFalse(deal.commit_discount_approved, "a cancelled quotation counts for nothing")


@tagged("post_install", "-at_install")
class TestConcurrentSubmissions(TransactionCase):
    """Two workers submit the same salesperson's commit at the same moment: one current commit remains,
    and the other worker gets a sentence (or, when PostgreSQL reports a serialization failure, Odoo's
    server retries the request, which then replaces the first)."""

    def _cursor(self):
        return db_connect(self.env.cr.dbname).cursor()

    def test_two_workers_submit_the_same_commit(self):
        with self._cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            user = new_test_user(env, "ts_concurrent", groups="sales_team.group_sale_salesman", tz="UTC")
            team = env["crm.team"].create({"name": "TS Concurrent", "member_ids": [Command.set(user.ids)]})
            uid, team_id = user.id, team.id
        outcomes, start = [], threading.Barrier(2)

        def worker():
            try:
                with self._cursor() as cr:
                    env = api.Environment(cr, uid, {"tracking_disable": True})
                    wizard = env["scp.commit.wizard"].create({})
                    env["scp.sales.commit"].search_count([])  # both transactions see the same snapshot
                    start.wait(timeout=30)
                    wizard.action_submit()
                outcomes.append("submitted")
            except UserError as error:
                outcomes.append(("sentence", str(error)))
            except psycopg2.errors.SerializationFailure:
                outcomes.append("retried by the server")
            except Exception as error:  # reported by the assertion below
                outcomes.append(("error", repr(error)))

        try:
            with mute_logger("odoo.sql_db"), registry_open_to_threads():
                threads = [threading.Thread(target=worker) for _i in range(2)]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join(timeout=120)
            self.assertNotIn("error", [outcome[0] for outcome in outcomes if isinstance(outcome, tuple)])
            self.assertIn("submitted", outcomes)
            with self._cursor() as cr:
                cr.execute(
                    "SELECT count(*) FROM scp_sales_commit WHERE user_id = %s AND state = 'current'", [uid]
                )
                self.assertEqual(cr.fetchone()[0], 1, f"one current commit: {outcomes}")
        finally:
            with self._cursor() as cr:
                cr.execute("DELETE FROM scp_sales_commit WHERE user_id = %s", [uid])
                cr.execute("DELETE FROM scp_commit_wizard WHERE user_id = %s", [uid])
                env = api.Environment(cr, SUPERUSER_ID, {})
                env["crm.team"].browse(team_id).unlink()
                user = env["res.users"].browse(uid)
                partner = user.partner_id
                user.unlink()
                partner.unlink()


@tagged("post_install", "-at_install")
class TestSnapshotForms(SnapshotCase):
    """The wizards as the web client drives them still work for a salesperson."""

    def test_forecast_form_as_salesperson(self):
        with freeze_time(SATURDAY):
            form = Form(self.env["scp.forecast.wizard"].with_user(self.alice))
            self.assertEqual(form.total, 15000)
            with form.line_ids.edit(1) as line:
                line.adjustment = 100
            forecast = self.env["scp.sales.forecast"].browse(form.save().action_submit()["res_id"])
        self.assertEqual(forecast.total, 15100)
        self.assertEqual(fields.Date.to_string(forecast.month), "2026-03-01")
