import io
from datetime import date

import openpyxl
from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestForecastInspection(TransactionCase):
    """A known week of Alice's pipeline (Monday 9 March 2026), with tracking on.

    Last week's commit (week of 2 March, submitted on 2 March): won deal 10,000, slip deal 7,000, drop deal
    4,000, grow deal 10,000 = 31,000. On 9 March, before her new commit at 11:00: the won deal is won, the
    slip deal's closing pushed out twice, the drop deal lost, the grow deal up to 12,000, a new deal of 5,000,
    a pull-in, an amount down (8,000 -> 5,000), a stage down; Bob's deal a stage up; Carol (another team) a
    stage up. This week's commit: grow deal 12,000 + new deal 5,000 = 17,000.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Stage = cls.env["crm.stage"]
        cls.s1 = Stage.create({"name": "PI One", "sequence": 1001, "probability": 10})
        cls.s2 = Stage.create({"name": "PI Two", "sequence": 1002, "probability": 50})
        cls.s3 = Stage.create({"name": "PI Three", "sequence": 1003, "probability": 90})
        cls.won = Stage.create({"name": "PI Won", "sequence": 1010, "probability": 100, "is_won": True})
        cls.manager = new_test_user(cls.env, "pi_manager", groups="sales_team.group_sale_manager", tz="UTC")
        cls.leader = new_test_user(
            cls.env, "pi_leader", groups="sales_team.group_sale_salesman_all_leads", tz="UTC"
        )
        cls.alice = new_test_user(cls.env, "pi_alice", groups="sales_team.group_sale_salesman", tz="UTC")
        cls.bob = new_test_user(cls.env, "pi_bob", groups="sales_team.group_sale_salesman", tz="UTC")
        cls.carol = new_test_user(cls.env, "pi_carol", groups="sales_team.group_sale_salesman", tz="UTC")
        cls.region = cls.env["scp.sales.region"].create({"name": "PI North"})
        cls.team = cls.env["crm.team"].create(
            {
                "name": "PI Team",
                "user_id": cls.leader.id,
                "member_ids": [(6, 0, [cls.alice.id, cls.bob.id])],
                "region_id": cls.region.id,
            }
        )
        cls.team_b = cls.env["crm.team"].create(
            {"name": "PI Team B", "user_id": cls.manager.id, "member_ids": [(6, 0, cls.carol.ids)]}
        )
        Lead = cls.env["crm.lead"]

        def lead(name, amount, stage, deadline="2026-03-06", user=cls.alice, team=cls.team):
            return Lead.create(
                {
                    "name": name,
                    "type": "opportunity",
                    "user_id": user.id,
                    "team_id": team.id,
                    "expected_revenue": amount,
                    "stage_id": stage.id,
                    "date_deadline": deadline,
                }
            )

        with freeze_time("2026-02-20 10:00:00"):
            cls.d_won = lead("PI won", 10000, cls.s3)
            cls.d_slip = lead("PI slip", 7000, cls.s3)
            cls.d_drop = lead("PI drop", 4000, cls.s2)
            cls.d_grow = lead("PI grow", 10000, cls.s3)
            cls.d_pull = lead("PI pull", 3000, cls.s2, deadline="2026-03-31")
            cls.d_shrink = lead("PI shrink", 8000, cls.s2)
            cls.d_back = lead("PI back", 2000, cls.s3)
            cls.d_bob = lead("PI bob", 6000, cls.s2, user=cls.bob)
            cls.d_carol = lead("PI carol", 9000, cls.s1, user=cls.carol, team=cls.team_b)
            cls.env.cr.flush()
        with freeze_time("2026-03-02 09:00:00"):
            cls._commit(
                cls.alice,
                "2026-03-02",
                [(cls.d_won, 10000), (cls.d_slip, 7000), (cls.d_drop, 4000), (cls.d_grow, 10000)],
            )
        with freeze_time("2026-03-09 08:00:00"):
            cls.d_won.stage_id = cls.won
            cls.d_slip.date_deadline = "2026-03-20"
            cls.d_grow.expected_revenue = 12000
            cls.d_pull.date_deadline = "2026-03-20"
            cls.d_shrink.expected_revenue = 5000
            cls.d_back.stage_id = cls.s1
            cls.d_bob.stage_id = cls.s3
            cls.d_carol.stage_id = cls.s2
            cls.env.cr.flush()
        with freeze_time("2026-03-09 08:30:00"):
            cls.d_slip.date_deadline = "2026-03-31"
            cls.d_drop.action_set_lost()
            cls.env.cr.flush()
        with freeze_time("2026-03-09 10:00:00"):
            cls.d_new = lead("PI new", 5000, cls.s3, deadline="2026-03-13")
            cls.env.cr.flush()
        with freeze_time("2026-03-09 11:00:00"):
            cls._commit(cls.alice, "2026-03-09", [(cls.d_grow, 12000), (cls.d_new, 5000)])
        # the database's clock stamps create_date (freezegun does not reach it): when each deal was created
        cls.env.flush_all()
        cls.env.cr.execute(
            "UPDATE crm_lead SET create_date = CASE WHEN id = %s THEN TIMESTAMP '2026-03-09 10:00:00' "
            "ELSE TIMESTAMP '2026-02-20 10:00:00' END, date_conversion = NULL WHERE name LIKE 'PI %%'",
            [cls.d_new.id],
        )
        cls.env.invalidate_all()

    @classmethod
    def _commit(cls, user, monday, deals):
        """A commit as the submit flow stores it (its lines: commit deals at these amounts)."""
        Commit = cls.env["scp.sales.commit"].sudo()
        monday = fields.Date.to_date(monday)
        lines = [
            fields.Command.create(
                {
                    "lead_id": deal.id,
                    "lead_name": deal.name,
                    "category": "commit",
                    "amount": amount,
                    "date_deadline": deal.date_deadline,
                }
            )
            for deal, amount in deals
        ]
        total = sum(amount for _deal, amount in deals)
        return Commit._store_snapshot(
            {
                **Commit._snapshot_vals(user, cls.team),
                "week_start": monday,
                "line_ids": lines,
                "commit_week": total,
                "commit_total": total,
            },
            [("user_id", "=", user.id), ("week_start", "=", monday)],
        )

    def _inspect(self, user, date_from="2026-03-09", date_to="2026-03-11", only_ours=True):
        """The inspection ``user`` runs, and its rows; ``only_ours``: the rows of this test's salespeople
        (the demo data's deals may have history in the same period)."""
        with freeze_time("2026-03-11 12:00:00"):
            inspection = (
                self.env["scp.pipeline.inspection"]
                .with_user(user)
                .create({"date_from": date_from, "date_to": date_to})
            )
            action = inspection.action_inspect()
        changes = self.env["scp.pipeline.change"].with_user(user).search(action["domain"])
        if only_ours:
            changes = changes.filtered(lambda change: change.user_id in self.alice | self.bob | self.carol)
        return inspection, changes

    @staticmethod
    def _by_kind(changes):
        result = {}
        for change in changes:
            result.setdefault(change.kind, []).append(change)
        return result

    def test_counts_of_each_kind(self):
        _inspection, changes = self._inspect(self.manager)
        kinds = self._by_kind(changes)
        names = {kind: sorted(c.lead_id.name for c in rows) for kind, rows in kinds.items()}
        self.assertEqual(
            names,
            {
                "new": ["PI new"],
                "won": ["PI won"],
                "lost": ["PI drop"],
                "pushed_out": ["PI slip"],
                "pulled_in": ["PI pull"],
                "amount_up": ["PI grow"],
                "amount_down": ["PI shrink"],
                "stage_up": ["PI bob", "PI carol", "PI won"],
                "stage_down": ["PI back"],
                "into_commit": ["PI new"],
                "out_of_commit": ["PI drop", "PI slip", "PI won"],
            },
        )
        # the closing date of the slip deal was pushed out twice: counted by _scp_closing_date_moves
        self.assertEqual(kinds["pushed_out"][0].moves, 2)
        self.assertEqual(self.d_slip._scp_closing_date_moves()[self.d_slip.id], (2, 0))
        self.assertEqual(kinds["pulled_in"][0].moves, 1)
        self.assertEqual(kinds["amount_up"][0].change, 2000)
        self.assertEqual(kinds["amount_down"][0].change, -3000)
        self.assertEqual(kinds["into_commit"][0].change, 5000)
        self.assertEqual(sorted(c.change for c in kinds["out_of_commit"]), [-10000, -7000, -4000])
        back = kinds["stage_down"][0]
        self.assertEqual((back.stage_from_id, back.stage_to_id), (self.s3, self.s1))
        bob = next(c for c in kinds["stage_up"] if c.user_id == self.bob)
        self.assertEqual((bob.team_id, bob.region_id), (self.team, self.region))
        # grouped as the list groups them: by kind of change, by salesperson
        groups = dict(
            self.env["scp.pipeline.change"]
            .with_user(self.manager)
            ._read_group([("id", "in", changes.ids)], ["user_id"], ["moves:sum"])
        )
        self.assertEqual(groups[self.carol], 1)
        self.assertEqual(groups[self.alice], 1 + 1 + 1 + 2 + 1 + 1 + 1 + 1 + 1 + 1 + 3)

    def test_period_outside_the_changes_is_empty_of_tracked_kinds(self):
        _inspection, changes = self._inspect(self.manager, "2026-03-10", "2026-03-11")
        # nothing was tracked on the 10th; the commits compare the week of 9 March with itself minus one
        self.assertFalse(changes.filtered(lambda c: c.kind not in ("into_commit", "out_of_commit")))

    def test_default_period_is_last_monday_commit_until_today(self):
        with freeze_time("2026-03-11 12:00:00"):
            form = Form(self.env["scp.pipeline.inspection"].with_user(self.alice))
            self.assertEqual((form.date_from, form.date_to), (date(2026, 3, 9), date(2026, 3, 11)))
            action = form.save().action_inspect()
        self.assertEqual(action["res_model"], "scp.pipeline.change")
        with self.assertRaises(UserError):
            self._inspect(self.manager, "2026-03-11", "2026-03-09")

    def test_access_salesperson_team_leader_manager(self):
        _inspection, mine = self._inspect(self.alice, only_ours=False)
        self.assertEqual(mine.user_id, self.alice)
        self.assertEqual(len(mine), 13)
        _inspection, team = self._inspect(self.leader, only_ours=False)
        self.assertEqual(team.user_id, self.alice | self.bob)
        _inspection, everybody = self._inspect(self.manager, only_ours=False)
        # everybody's: this test's three salespeople (and the demo data's, whose deals have history too)
        self.assertLessEqual(self.alice | self.bob | self.carol, everybody.user_id)
        # nobody reads another's inspection, nor writes a figure into one
        self.assertFalse(self.env["scp.pipeline.change"].with_user(self.bob).search([("id", "in", mine.ids)]))
        with self.assertRaises(AccessError):
            mine[0].with_user(self.bob).read(["change"])
        with self.assertRaises(AccessError):
            mine[0].with_user(self.alice).write({"change": 1e9})
        with self.assertRaises(AccessError):
            self.env["scp.pipeline.change"].with_user(self.alice).create(
                {"inspection_id": mine.inspection_id.id, "kind": "won", "lead_id": self.d_carol.id}
            )
        portal = new_test_user(self.env, "pi_portal", groups="base.group_portal")
        with self.assertRaises(AccessError):
            self.env["scp.pipeline.inspection"].with_user(portal).create({})

    def test_waterfall_adds_up_to_the_two_commits(self):
        flow = self.env["scp.forecast.measures"]._waterfall(self.alice, date(2026, 3, 9))
        self.assertEqual(flow["start"], 31000)
        self.assertEqual(flow["entered"], 5000)
        self.assertEqual(flow["won"], -10000)
        self.assertEqual(flow["slipped_out"], -7000)
        self.assertEqual(flow["dropped"], -4000)
        self.assertEqual((flow["grew"], flow["shrank"]), (2000, 0))
        self.assertEqual(flow["end"], 17000)
        steps = [key for key, _label in self.env["scp.forecast.measures"]._waterfall_steps()][1:-1]
        self.assertEqual(flow["start"] + sum(flow[key] for key in steps), flow["end"])
        self.assertEqual(flow["left"], flow["won"] + flow["slipped_out"] + flow["dropped"])

    def test_waterfall_on_the_monday_screen(self):
        Measures = self.env["scp.forecast.measures"]
        with freeze_time("2026-03-11 12:00:00"):
            screen = Measures.with_user(self.leader).get_monday_waterfall(self.alice.id)
        self.assertEqual(screen["week_start"], "2026-03-09")
        amounts = {step["key"]: step["amount"] for step in screen["steps"]}
        self.assertEqual((amounts["start"], amounts["slipped_out"], amounts["end"]), (31000, -7000, 17000))
        self.assertEqual([s["key"] for s in screen["steps"] if s["total"]], ["start", "end"])
        # a team leader reads the waterfall of their own teams only; a salesperson none
        with self.assertRaises(AccessError):
            Measures.with_user(self.leader).get_monday_waterfall(self.carol.id)
        with self.assertRaises(AccessError):
            Measures.with_user(self.alice).get_monday_waterfall(self.alice.id)
        with self.assertRaises(UserError):
            Measures.with_user(self.manager).get_monday_waterfall("1")

    def test_commit_pack_waterfall_sheet(self):
        commit = self.env["scp.sales.commit"].search(
            [("user_id", "=", self.alice.id), ("week_start", "=", "2026-03-09")]
        )
        content, _kind = self.env["report.sales_cycle_process.commit_pack_xlsx"].create_xlsx_report(
            commit.ids, {}
        )
        sheet = openpyxl.load_workbook(io.BytesIO(content))["Waterfall"]
        rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
        self.assertEqual(
            [(row[2], row[3]) for row in rows],
            [
                ("Last Week's Commit", 31000),
                ("Added", 5000),
                ("Won", -10000),
                ("Slipped Out", -7000),
                ("Dropped", -4000),
                ("Amount Up", 2000),
                ("Amount Down", 0),
                ("This Week's Commit", 17000),
            ],
        )
        self.assertEqual(sum(row[3] for row in rows[:-1]), rows[-1][3])
