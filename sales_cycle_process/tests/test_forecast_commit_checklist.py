import io
from datetime import date

import openpyxl
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, TransactionCase, new_test_user, tagged

from .commit_checklist_common import complete_commit_checklist

SATURDAY = "2026-03-07 10:00:00"
NEXT_SATURDAY = "2026-03-14 10:00:00"
MONDAY = date(2026, 3, 9)
REASON = "The integrator signs on Tuesday: their CFO confirmed the order by phone."


@tagged("post_install", "-at_install")
class TestCommitChecklist(TransactionCase):
    """The deck's five reliability questions decide what is commit: Alice's three deals of the week of
    9 March 2026.

    - the press, 10,000 at 90 %, checklist complete: commit;
    - the robot, 7,000 at 90 %, partner not ready: upside, unless a manager overrides;
    - the lathe, 5,000 at 80 %, checklist complete but below the commit rung: upside, unless a manager
      overrides.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        Stage = cls.env["crm.stage"]
        cls.stage_commit = Stage.create(
            {"name": "CC Negotiated", "probability": 90, "forecast_category": "commit"}
        )
        cls.stage_upside = Stage.create(
            {"name": "CC Decided", "probability": 80, "forecast_category": "upside"}
        )
        cls.stage_other = Stage.create(
            {"name": "CC Other 90", "probability": 90, "forecast_category": "commit"}
        )

        def user(login, group):
            return new_test_user(cls.env, login, groups=group, tz="UTC", name=login.replace("_", " ").title())

        cls.alice = user("cc_alice", "sales_team.group_sale_salesman")
        cls.leader = user("cc_leader", "sales_team.group_sale_salesman_all_leads")
        cls.other_leader = user("cc_other_leader", "sales_team.group_sale_salesman_all_leads")
        cls.manager = user("cc_manager", "sales_team.group_sale_manager")
        cls.director = user("cc_director", "sales_cycle_process.group_managing_director")
        cls.team = cls.env["crm.team"].create(
            {"name": "CC North", "user_id": cls.leader.id, "member_ids": [Command.set(cls.alice.ids)]}
        )
        cls.env["crm.team"].create({"name": "CC South", "user_id": cls.other_leader.id})
        customer = cls.env["res.partner"].create({"name": "CC Customer"})

        def deal(name, amount, stage):
            return cls.env["crm.lead"].create(
                {
                    "name": name,
                    "type": "opportunity",
                    "user_id": cls.alice.id,
                    "team_id": cls.team.id,
                    "partner_id": customer.id,
                    "expected_revenue": amount,
                    "date_deadline": "2026-03-11",
                    "stage_id": stage.id,
                    "probability": stage.probability,
                }
            )

        cls.press = deal("CC press", 10000, cls.stage_commit)
        cls.robot = deal("CC robot", 7000, cls.stage_commit)
        cls.lathe = deal("CC lathe", 5000, cls.stage_upside)
        complete_commit_checklist(cls.env, cls.press | cls.robot | cls.lathe)
        cls.robot.commit_partner_ready = False

    def _override(self, lead, user, reason=REASON):
        action = lead.with_user(user).action_commit_open_override()
        form = Form(self.env[action["res_model"]].with_user(user).with_context(**action["context"]))
        form.reason = reason
        return form.save().action_apply()

    def _commit(self, moves=None, when=SATURDAY):
        """Alice's weekly commit through the wizard, with deals moved between commit and upside."""
        moves = moves or {}
        with freeze_time(when):
            form = Form(self.env["scp.commit.wizard"].with_user(self.alice))
            for index in range(len(form.line_ids)):
                with form.line_ids.edit(index) as line:
                    if line.lead_id in moves:
                        line.category = moves[line.lead_id]
            wizard = form.save()
            commit = self.env["scp.sales.commit"].browse(wizard.action_submit()["res_id"])
        return wizard, commit

    def _line(self, commit, lead):
        return commit.line_ids.filtered(lambda line: line.lead_id == lead)

    # --- commit or upside: decided by the server from the deal's facts ---------------------------
    def test_an_incomplete_deal_put_in_the_commit_is_upside_and_the_wizard_says_why(self):
        self.assertEqual(
            (self.press.commit_status, self.robot.commit_status, self.lathe.commit_status),
            ("complete", "incomplete", "below"),
        )
        self.assertEqual(self.robot.commit_missing, "Checklist incomplete: Partner Ready to Order.")
        wizard, commit = self._commit({self.lathe: "commit"})
        # before submitting, the wizard shows where each deal will land, and why
        lines = {line.lead_id: line for line in wizard.line_ids}
        self.assertEqual(
            [(lines[lead].category, lines[lead].counts_as) for lead in (self.press, self.robot, self.lathe)],
            [("commit", "commit"), ("commit", "upside"), ("commit", "upside")],
        )
        self.assertEqual(lines[self.robot].counts_as_reason, "Checklist incomplete: Partner Ready to Order.")
        self.assertIn(
            "At 80.0 %: a deal counts as commit from the 90 % stage", lines[self.lathe].counts_as_reason
        )
        self.assertFalse(lines[self.press].counts_as_reason)
        self.assertEqual((wizard.commit_week, wizard.upside_week), (10000, 12000))
        # stored: only the complete deal is commit
        self.assertEqual((commit.commit_week, commit.commit_total, commit.upside_week), (10000, 10000, 12000))
        self.assertEqual((commit.commit_complete_week, commit.commit_overridden_week), (10000, 0))
        robot = self._line(commit, self.robot)
        self.assertEqual(robot.category, "upside")
        self.assertTrue(robot.requested_commit)
        self.assertFalse(robot.checklist_complete or robot.overridden)
        self.assertEqual(robot.commit_status, "incomplete")
        self.assertEqual(robot.checklist_summary, "Incomplete: kept upside")
        self.assertEqual(self._line(commit, self.lathe).checklist_summary, "Below 90 %: kept upside")
        press = self._line(commit, self.press)
        self.assertEqual(
            (press.category, press.commit_status, press.checklist_complete), ("commit", "complete", True)
        )
        self.assertEqual(press.checklist_summary, "Complete")

    def test_ticking_the_last_item_in_the_wizard_makes_it_commit(self):
        with freeze_time(SATURDAY):
            form = Form(self.env["scp.commit.wizard"].with_user(self.alice))
            for index in range(len(form.line_ids)):
                with form.line_ids.edit(index) as line:
                    if line.lead_id == self.robot:
                        self.assertEqual(line.counts_as, "upside")
                        line.commit_partner_ready = True
                        self.assertEqual(line.counts_as, "commit")
                        self.assertFalse(line.counts_as_reason)
            self.assertEqual(form.commit_week, 17000)
            commit = self.env["scp.sales.commit"].browse(form.save().action_submit()["res_id"])
        self.assertEqual(commit.commit_week, 17000)
        self.assertEqual(self._line(commit, self.robot).commit_status, "complete")

    def test_a_client_sending_commit_for_an_incomplete_deal_gets_upside(self):
        # what a client may send over RPC: the wizard with its lines, every deal in the commit
        with freeze_time(SATURDAY):
            wizard = (
                self.env["scp.commit.wizard"]
                .with_user(self.alice)
                .with_context(scp_commit_override=True, scp_force_commit=True)
                .create(
                    {
                        "line_ids": [
                            Command.create({"lead_id": lead.id, "category": "commit"})
                            for lead in (self.press, self.robot, self.lathe)
                        ]
                    }
                )
            )
            commit = self.env["scp.sales.commit"].browse(wizard.action_submit()["res_id"])
        self.assertEqual(commit.commit_total, 10000)
        self.assertEqual(commit.line_ids.filtered(lambda line: line.category == "commit").lead_id, self.press)
        # and the private submit flow itself, called by the server code, decides the same
        with freeze_time(SATURDAY):
            again = (
                self.env["scp.sales.commit"]
                .with_user(self.alice)
                ._submit(
                    self.alice,
                    self.team,
                    MONDAY,
                    [{"lead_id": self.robot.id, "category": "commit", "commit_status": "complete"}],
                )
            )
        self.assertEqual((again.commit_week, again.upside_week), (0, 7000))

    # --- the manager's override -----------------------------------------------------------------
    def test_a_managers_override_counts_the_deal_as_commit_with_its_reason(self):
        self._override(self.robot, self.manager)
        self.assertTrue(self.robot.commit_override)
        self.assertEqual(self.robot.commit_override_reason, REASON)
        self.assertEqual(self.robot.commit_override_user_id, self.manager)
        self.assertTrue(self.robot.commit_override_date)
        self.assertEqual(self.robot.commit_status, "overridden")
        self.assertFalse(self.robot.commit_missing)
        self.assertFalse(self.robot.commit_reliable, "the checklist itself stays incomplete")
        message = self.robot.message_ids[:1]
        self.assertIn(REASON, message.body)
        self.assertIn("Partner Ready to Order", message.body)
        self.assertEqual(message.author_id, self.manager.partner_id)
        # the team leader overrides the lathe, below 90 %
        self._override(self.lathe, self.leader, reason="Decided at the board meeting, PO expected Friday.")
        self.assertEqual(self.lathe.commit_status, "overridden")

        wizard, commit = self._commit({self.lathe: "commit"})
        self.assertEqual([line.counts_as for line in wizard.line_ids], ["commit"] * 3)
        self.assertEqual((commit.commit_week, commit.upside_week), (22000, 0))
        self.assertEqual((commit.commit_complete_week, commit.commit_overridden_week), (10000, 12000))
        robot = self._line(commit, self.robot)
        self.assertEqual((robot.category, robot.commit_status), ("commit", "overridden"))
        self.assertTrue(robot.overridden)
        self.assertFalse(robot.checklist_complete)
        self.assertEqual(robot.override_reason, REASON)
        self.assertEqual(robot.override_user_id, self.manager)
        self.assertEqual(robot.checklist_summary, f"Overridden: {REASON} (Cc Manager)")
        with self.assertRaises(UserError):
            robot.with_user(self.manager).write({"override_reason": "Something else"})

    def test_the_managing_director_overrides_too(self):
        self._override(self.robot, self.director)
        self.assertEqual(self.robot.commit_override_user_id, self.director)

    def test_a_salesperson_cannot_override(self):
        robot = self.robot.with_user(self.alice)
        with self.assertRaises(AccessError):
            robot.action_commit_open_override()
        wizard = (
            self.env["scp.commit.override.wizard"]
            .with_user(self.alice)
            .create({"lead_id": self.robot.id, "reason": REASON})
        )
        with self.assertRaises(AccessError):
            wizard.action_apply()
        # the leader of another team neither
        with self.assertRaises(AccessError):
            self._override(self.robot, self.other_leader)
        # over RPC: none of the override fields is written by a client, whatever the context
        contexts = [{}, {"scp_commit_override": True}, {"tracking_disable": True, "install_mode": True}]
        values = [
            {"commit_override": True},
            {"commit_override_reason": REASON},
            {"commit_override_user_id": self.manager.id},
            {"commit_override_date": "2026-03-06 10:00:00"},
        ]
        for context in contexts:
            for vals in values:
                for user in (self.alice, self.manager):
                    with (
                        self.subTest(context=context, vals=vals, user=user.login),
                        self.assertRaises(AccessError),
                    ):
                        self.robot.with_user(user).with_context(**context).write(vals)
        with self.assertRaises(AccessError):
            self.env["crm.lead"].with_user(self.alice).create(
                {
                    "name": "CC forged",
                    "type": "opportunity",
                    "commit_override": True,
                    "commit_override_reason": "x",
                }
            )
        self.assertFalse(self.robot.commit_override)
        # re-sending the empty values of a deal without an override changes nothing and is harmless
        robot.write({"commit_override": False, "commit_override_reason": False})
        self.assertEqual(robot.commit_status, "incomplete")
        # the form hides the buttons from her
        self.assertFalse(robot.commit_can_override)
        self.assertTrue(self.robot.with_user(self.leader).commit_can_override)
        self.assertFalse(self.robot.with_user(self.other_leader).commit_can_override)

    def test_a_client_re_sending_the_override_does_not_keep_it_past_a_stage_move(self):
        self._override(self.robot, self.manager)
        # the form re-sends what it shows: the same override, the same reason, with the new stage
        self.robot.with_user(self.alice).write(
            {
                "stage_id": self.stage_other.id,
                "commit_override": True,
                "commit_override_reason": self.robot.commit_override_reason,
            }
        )
        self.assertFalse(self.robot.commit_override, "the stage move clears the override all the same")
        self.assertEqual(self.robot.commit_status, "incomplete")
        with self.assertRaises(AccessError):
            self.robot.with_user(self.alice).write({"commit_override": True})

    def test_the_override_needs_a_reason(self):
        for reason in ("", "   "):
            wizard = (
                self.env["scp.commit.override.wizard"]
                .with_user(self.manager)
                .create({"lead_id": self.robot.id, "reason": reason or False})
                if reason
                else None
            )
            with self.subTest(reason=reason), self.assertRaises(UserError):
                if wizard:
                    wizard.action_apply()
                else:
                    self.robot.with_user(self.manager)._commit_override(reason)
        self.assertFalse(self.robot.commit_override)

    def test_the_override_holds_until_removed_or_the_deal_changes_stage(self):
        self._override(self.robot, self.manager)
        _wizard, first = self._commit()
        # next week: the override still holds
        _wizard, second = self._commit(when=NEXT_SATURDAY)
        self.assertEqual(second.week_start, date(2026, 3, 16))
        self.assertEqual(self._line(second, self.robot).commit_status, "overridden")
        # a salesperson cannot remove it, a manager can
        with self.assertRaises(AccessError):
            self.robot.with_user(self.alice).action_commit_remove_override()
        with self.assertRaises(AccessError):
            self.robot.with_user(self.alice).write({"commit_override": False})
        self.robot.with_user(self.leader).action_commit_remove_override()
        self.assertFalse(self.robot.commit_override or self.robot.commit_override_reason)
        self.assertEqual(self.robot.commit_status, "incomplete")
        self.assertIn("Commit checklist override removed", self.robot.message_ids[:1].body)
        # the submitted commits keep what they recorded
        self.assertEqual(self._line(first, self.robot).override_reason, REASON)
        self.assertEqual(first.commit_overridden_week, 7000)
        # overridden again, then the deal moves to another stage: the checklist decides again
        self._override(self.robot, self.manager)
        self.robot.with_user(self.alice).stage_id = self.stage_other
        self.assertFalse(self.robot.commit_override)
        self.assertEqual(self.robot.commit_status, "incomplete")

    # --- the pack and the Monday screen ----------------------------------------------------------
    def test_the_pack_shows_complete_and_overridden_commits(self):
        self._override(self.robot, self.manager)
        _wizard, commit = self._commit({self.lathe: "commit"})
        content, _kind = self.env["report.sales_cycle_process.commit_pack_xlsx"].create_xlsx_report(
            commit.ids, {}
        )
        book = openpyxl.load_workbook(io.BytesIO(content))
        sheet = book["Commit"]
        self.assertEqual(
            [sheet["D1"].value, sheet["K1"].value, sheet["L1"].value],
            ["Commit (week)", "Commit Complete (week)", "Commit Overridden (week)"],
        )
        self.assertEqual([sheet["D2"].value, sheet["K2"].value, sheet["L2"].value], [17000, 10000, 7000])
        checklist = book["Checklist"]
        self.assertEqual(checklist["L1"].value, "Checklist")
        notes = {checklist.cell(row, 2).value: checklist.cell(row, 12).value for row in range(2, 5)}
        self.assertEqual(
            notes,
            {
                "CC press": "Complete",
                "CC robot": f"Overridden: {REASON} (Cc Manager)",
                "CC lathe": "Below 90 %: kept upside",
            },
        )
        categories = {checklist.cell(row, 2).value: checklist.cell(row, 3).value for row in range(2, 5)}
        self.assertEqual(categories["CC lathe"], "Upside")

    def test_the_monday_row_shows_complete_and_overridden_amounts(self):
        self._override(self.robot, self.manager)
        self._commit()
        measures = self.env["scp.forecast.measures"].with_user(self.manager)
        keys = [column[0] for column in measures._monday_columns()]
        self.assertIn("commit_complete_week", keys)
        self.assertIn("commit_overridden_week", keys)
        rows = measures._consolidate(self.team, MONDAY)
        alice = next(row for row in rows if row["user_id"] == self.alice.id)
        total = next(row for row in rows if row.get("is_team_total"))
        for row in (alice, total):
            self.assertEqual(
                (
                    row["commit_week"],
                    row["commit_complete_week"],
                    row["commit_overridden_week"],
                    row["upside_week"],
                ),
                (17000, 10000, 7000, 5000),
            )
        for key in keys:
            self.assertIn(key, alice)
