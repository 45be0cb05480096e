# Copyright 2026 sales_cycle_process contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The Monday consolidation as a live screen: ``scp.forecast.measures.get_monday_screen``, the one server
method the screen calls. It is public (any logged-in user can call it over RPC), so every test here is also
an attack: the roles a client logs in with, the team ids and dates it could forge, another company's teams.

The data are those of ``SnapshotCase``: Alice (a 10,000 commit deal) and Bob in TS North, led by the leader;
Carol in TS South. 2026-03-09 is a Monday."""

import json

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged

from .rpc_common import JsonRpcAttackMixin
from .test_trust_snapshots import SnapshotCase


@tagged("post_install", "-at_install")
class TestMondayScreen(SnapshotCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.director = new_test_user(
            cls.env, "ms_director", groups="sales_cycle_process.group_managing_director", tz="UTC"
        )
        # a team leader who reads only their own deals (Odoo's "Own Documents Only")
        cls.own_leader = new_test_user(cls.env, "ms_own_leader", groups="sales_team.group_sale_salesman")
        cls.team_south.user_id = cls.own_leader
        # another company, its team and salesperson
        cls.company_b = cls.env["res.company"].create({"name": "MS Subsidiary"})
        cls.dave = new_test_user(
            cls.env,
            "ms_dave",
            groups="sales_team.group_sale_salesman",
            company_id=cls.company_b.id,
            company_ids=[(6, 0, cls.company_b.ids)],
        )
        cls.team_abroad = cls.env["crm.team"].create(
            {"name": "MS Abroad", "company_id": cls.company_b.id, "member_ids": [(6, 0, cls.dave.ids)]}
        )
        cls.Screen = cls.env["scp.forecast.measures"]

    def _screen(self, user, **kwargs):
        return self.Screen.with_user(user).get_monday_screen(date=kwargs.pop("date", "2026-03-09"), **kwargs)

    def test_a_manager_reads_every_team_live(self):
        commit = self._commit(self.alice)
        for user in (self.manager, self.director):
            with self.subTest(user=user.login):
                screen = self._screen(user)
                self.assertEqual(screen["week_start"], "2026-03-09")
                self.assertEqual(
                    [column["key"] for column in screen["columns"]],
                    [key for key, _label, _kind, _colour in self.Screen._monday_columns()],
                    "the columns are the server's list, in its order",
                )
                self.assertIn(self.team.id, screen["team_ids"])
                self.assertIn(self.team_south.id, screen["team_ids"])
                self.assertNotIn(self.team_abroad.id, screen["team_ids"], "another company's team")
                rows = [row for row in screen["rows"] if row["team_id"] == self.team.id]
                # Alice, Bob, then the team's total
                self.assertEqual(
                    [(row["level"], row["name"]) for row in rows],
                    [("rep", "Ts Alice"), ("rep", "Ts Bob"), ("team", "TS North")],
                )
                alice, bob, total = rows
                self.assertEqual((alice["commit_week"], alice["commit_submitted"]), (10000, True))
                self.assertEqual(alice["commit_id"], commit.id, "a click on Alice opens her commit")
                self.assertEqual((bob["commit_week"], bob["commit_id"]), (0, False))
                self.assertEqual((total["commit_week"], total["commit_submitted"]), (10000, False))
                self.assertFalse(total["commit_id"])
                self.assertEqual(alice["currency_id"], self.env.company.currency_id.id)
                # what the client receives is plain JSON
                self.assertEqual(json.loads(json.dumps(screen)), screen)

    def test_the_bands_colour_the_rows(self):
        """The colours the screen paints: Bob's open pipeline (7,000) against a stretched target of
        1,000 x 1.1 = 636 % coverage, green; nothing unfulfilled, green; growth 0 % below 5 %, red."""
        self.env["scp.sales.target"].create(
            {"user_id": self.bob.id, "month": "2026-03-01", "base_amount": 1000}
        )
        screen = self._screen(self.manager, team_ids=self.team.ids)
        bob = next(row for row in screen["rows"] if row["user_id"] == self.bob.id)
        self.assertAlmostEqual(bob["coverage"], 7000 / 1100 * 100)
        self.assertEqual(
            (bob["coverage_colour"], bob["unfulfilled_colour"], bob["growth_colour"]),
            ("success", "success", "danger"),
        )
        self.assertFalse(bob["accuracy_colour"], "no commit last week: nothing to judge")
        colours = {column["colour"] for column in screen["columns"] if column["colour"]}
        self.assertLessEqual(
            {"accuracy_colour", "coverage_colour", "growth_colour", "unfulfilled_colour"}, colours
        )
        # every coloured column has its colour on every row (False: nothing to judge)
        self.assertFalse(colours - set(bob), "a coloured column without its colour on the row")

    def test_the_week_and_the_teams_are_chosen(self):
        self._commit(self.alice)
        screen = self._screen(self.manager, date="2026-03-12", team_ids=self.team_south.ids)
        self.assertEqual((screen["date"], screen["week_start"]), ("2026-03-12", "2026-03-09"))
        self.assertEqual(screen["team_ids"], self.team_south.ids)
        teams_rows = [row for row in screen["rows"] if row["level"] in ("rep", "team")]
        self.assertEqual({row["team_id"] for row in teams_rows}, set(self.team_south.ids))
        # a manager also reads the roll-up of the company (the forecast hierarchy)
        self.assertEqual(screen["rows"][-1]["level"], "company")
        # the week before: Alice's commit of 9 March is last week's commit
        screen = self._screen(self.manager, date="2026-03-16", team_ids=self.team.ids)
        alice = next(row for row in screen["rows"] if row["user_id"] == self.alice.id)
        self.assertEqual((alice["commit_week"], alice["last_commit"], alice["commit_id"]), (0, 10000, False))

    def test_a_team_leader_reads_only_the_teams_they_lead(self):
        screen = self._screen(self.leader)
        self.assertEqual(screen["team_ids"], self.team.ids)
        self.assertEqual([team["id"] for team in screen["teams"]], self.team.ids)
        self.assertEqual({row["team_id"] for row in screen["rows"]}, set(self.team.ids))
        for team_ids in (self.team_south.ids, (self.team | self.team_south).ids, self.team_abroad.ids):
            with self.subTest(team_ids=team_ids), self.assertRaises(AccessError):
                self._screen(self.leader, team_ids=team_ids)

    def test_a_leader_reading_only_their_own_deals_is_refused(self):
        """Their members' commits and deals are hidden from them: the figures would be wrong, so none."""
        with self.assertRaises(AccessError):
            self._screen(self.own_leader)
        with self.assertRaises(AccessError):
            self._screen(self.own_leader, team_ids=self.team_south.ids)

    def test_other_roles_are_refused_whatever_they_ask(self):
        portal = new_test_user(self.env, "ms_portal", groups="base.group_portal")
        internal = new_test_user(self.env, "ms_internal", groups="base.group_user")
        for user in (self.alice, self.engineer, self.sales_admin, portal, internal):
            for team_ids in (None, self.team.ids, self.team_abroad.ids):
                with self.subTest(user=user.login, team_ids=team_ids), self.assertRaises(AccessError):
                    self._screen(user, team_ids=team_ids)

    def test_another_companys_team_is_refused(self):
        # a forged id of a team in a company the manager does not belong to
        with self.assertRaises(AccessError):
            self._screen(self.manager, team_ids=self.team_abroad.ids)
        with self.assertRaises(AccessError):
            self._screen(self.manager, team_ids=(self.team | self.team_abroad).ids)
        # a manager of both companies sees the subsidiary's team only when it is among the allowed companies
        self.manager.company_ids |= self.company_b
        home = self.Screen.with_user(self.manager).with_context(allowed_company_ids=self.env.company.ids)
        with self.assertRaises(AccessError):
            home.get_monday_screen(team_ids=self.team_abroad.ids)
        both = home.with_context(allowed_company_ids=(self.env.company | self.company_b).ids)
        screen = both.get_monday_screen(date="2026-03-09", team_ids=self.team_abroad.ids)
        self.assertEqual(
            [(row["level"], row["name"]) for row in screen["rows"]],
            [("rep", self.dave.name), ("team", "MS Abroad"), ("company", self.company_b.name)],
        )
        self.assertEqual(screen["rows"][0]["currency_id"], self.company_b.currency_id.id)

    def test_bad_input_is_a_sentence(self):
        for team_ids in ("1", [True], [str(self.team.id)], [[self.team.id]], {"id": self.team.id}):
            with self.subTest(team_ids=team_ids), self.assertRaises(UserError):
                self._screen(self.manager, team_ids=team_ids)
        for day in ("not a date", "1900-01-05", 42):
            with self.subTest(date=day), self.assertRaises(ValidationError):
                self._screen(self.manager, date=day)
        self.assertEqual(self._screen(self.manager, team_ids=[])["team_ids"], [], "no team, no row")


@tagged("post_install", "-at_install")
class TestMondayScreenRpc(JsonRpcAttackMixin, HttpCase):
    """The screen's method through /web/dataset/call_kw, as the browser and an attacker call it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesperson = new_test_user(
            cls.env, "ms_rpc_sales", password="ms_rpc_sales_pw", groups="sales_team.group_sale_salesman"
        )
        cls.manager = new_test_user(
            cls.env, "ms_rpc_manager", password="ms_rpc_manager_pw", groups="sales_team.group_sale_manager"
        )
        cls.team = cls.env["crm.team"].create(
            {"name": "MS RPC Team", "member_ids": [(6, 0, cls.salesperson.ids)]}
        )
        cls.company_b = cls.env["res.company"].create({"name": "MS RPC Subsidiary"})
        cls.team_abroad = cls.env["crm.team"].create(
            {"name": "MS RPC Abroad", "company_id": cls.company_b.id}
        )

    def test_a_salesperson_is_refused_over_json_rpc(self):
        self.authenticate("ms_rpc_sales", "ms_rpc_sales_pw")
        for kwargs in (
            {},
            {"team_ids": self.team.ids},
            {"team_ids": self.team_abroad.ids, "date": "2026-03-09"},
        ):
            with self.subTest(kwargs=kwargs):
                self._assert_refused(
                    self._call_kw("scp.forecast.measures", "get_monday_screen", [], kwargs), "AccessError"
                )

    def test_a_manager_reads_the_screen_over_json_rpc(self):
        self.authenticate("ms_rpc_manager", "ms_rpc_manager_pw")
        reply = self._call_kw(
            "scp.forecast.measures",
            "get_monday_screen",
            [],
            {"date": "2026-03-09", "team_ids": self.team.ids},
        )
        self.assertNotIn("error", reply)
        rows = reply["result"]["rows"]
        self.assertEqual(
            [(row["level"], row["user_id"]) for row in rows],
            [("rep", self.salesperson.id), ("team", False), ("company", False)],
        )
        self._assert_refused(
            self._call_kw(
                "scp.forecast.measures", "get_monday_screen", [], {"team_ids": self.team_abroad.ids}
            ),
            "AccessError",
        )
        # the private helpers stay private
        reply = self._call_kw("scp.forecast.measures", "_consolidate", [self.team.ids])
        self.assertIn("error", reply)
