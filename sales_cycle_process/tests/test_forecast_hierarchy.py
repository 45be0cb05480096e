"""Issue 14, part 3: manager adjustments up the forecast hierarchy (account manager → sales team → region →
company). A manager's call never changes what the salesperson submitted; both numbers roll up and are
measured against the actuals separately; adjustments are immutable snapshots, superseded by the next one.

2026-03-11 is a Wednesday: this week is the week of Monday 2026-03-09, last week that of 2026-03-02, the
forecast month March 2026.
"""

from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, HttpCase, TransactionCase, new_test_user, tagged

from ..tools.periods import months_ahead
from .rpc_common import JsonRpcAttackMixin

TODAY = "2026-03-11 10:00:00"
MONDAY = date(2026, 3, 9)
LAST_MONDAY = date(2026, 3, 2)
FIRST = date(2026, 3, 1)


class HierarchyCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, mail_notrack=True, tz="UTC"))

        def user(login, groups="sales_team.group_sale_salesman"):
            return new_test_user(
                cls.env, login, groups=groups, tz="UTC", name=login.replace("_", " ").title()
            )

        cls.ann, cls.abe, cls.bea, cls.cid = (user(f"fh_{name}") for name in ("ann", "abe", "bea", "cid"))
        cls.lea, cls.ben, cls.cal = (user(f"fh_{name}") for name in ("lea", "ben", "cal"))
        cls.rita = user("fh_rita")
        cls.dina = user("fh_dina", "sales_cycle_process.group_managing_director")
        cls.max = user("fh_max", "sales_team.group_sale_manager")
        cls.region = cls.env["scp.sales.region"].create({"name": "FH North", "manager_id": cls.rita.id})
        Team = cls.env["crm.team"]
        cls.team_a = Team.create(
            {
                "name": "FH A",
                "user_id": cls.lea.id,
                "region_id": cls.region.id,
                "member_ids": [Command.set((cls.ann | cls.abe).ids)],
            }
        )
        cls.team_b = Team.create(
            {
                "name": "FH B",
                "user_id": cls.ben.id,
                "region_id": cls.region.id,
                "member_ids": [Command.set(cls.bea.ids)],
            }
        )
        cls.team_c = Team.create(
            {"name": "FH C", "user_id": cls.cal.id, "member_ids": [Command.set(cls.cid.ids)]}
        )
        cls.teams = cls.team_a | cls.team_b | cls.team_c
        cls.Adjustment = cls.env["scp.forecast.adjustment"]
        cls.measures = cls.env["scp.forecast.measures"]
        # this week's commits: ann 100,000, abe 50,000 (team A 150,000), bea 30,000, cid 20,000
        for rep, team, amount in (
            (cls.ann, cls.team_a, 100000),
            (cls.abe, cls.team_a, 50000),
            (cls.bea, cls.team_b, 30000),
            (cls.cid, cls.team_c, 20000),
        ):
            cls._commit(rep, team, MONDAY, amount)

    @classmethod
    def _commit(cls, rep, team, monday, amount):
        return (
            cls.env["scp.sales.commit"]
            .sudo()
            .create(
                {
                    "user_id": rep.id,
                    "team_id": team.id,
                    "week_start": monday,
                    "commit_week": amount,
                    "commit_total": amount,
                    "submitted_by_id": rep.id,
                }
            )
        )

    @classmethod
    def _forecast(cls, rep, team, amounts):
        months = months_ahead(FIRST, len(amounts))
        return (
            cls.env["scp.sales.forecast"]
            .sudo()
            .create(
                {
                    "user_id": rep.id,
                    "team_id": team.id,
                    "month": FIRST,
                    "total": sum(amounts),
                    "line_ids": [
                        Command.create({"month": month, "computed_amount": amount, "amount": amount})
                        for month, amount in zip(months, amounts, strict=True)
                    ],
                }
            )
        )

    def _adjust(self, who, **vals):
        return self.Adjustment.with_user(who).create({"kind": "commit", "note": "Monday call", **vals})

    def _rollup(self):
        return self.measures._hierarchy_rollup(self.teams, MONDAY, FIRST)


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestForecastHierarchy(HierarchyCase):
    def test_team_leader_adjustment_rolls_up_and_keeps_the_rep_number(self):
        ann_commit = self.env["scp.sales.commit"].search([("user_id", "=", self.ann.id)])
        adjustment = self._adjust(
            self.lea,
            level="rep",
            team_id=self.team_a.id,
            user_id=self.ann.id,
            amount=80000,
            note="Lyon slips",
        )
        self.assertEqual(adjustment.period, MONDAY)
        self.assertEqual(adjustment.submitted_by_id, self.lea)
        self.assertEqual(adjustment.submitted_amount, 100000, "the rep's number is recorded beside the call")
        self.assertEqual(adjustment.delta, -20000)
        self.assertEqual(adjustment.region_id, self.region)
        rollup = self._rollup()
        self.assertEqual(rollup["rep", self.team_a.id, self.ann.id]["commit"], (100000, 80000))
        self.assertEqual(rollup["team", self.team_a.id]["commit"], (150000, 130000))
        self.assertEqual(rollup["region", self.region.id]["commit"], (180000, 160000))
        self.assertEqual(rollup["team", self.team_c.id]["commit"], (20000, 20000))
        self.assertEqual(rollup["company", self.env.company.id]["commit"], (200000, 180000))
        # what ann submitted is untouched
        self.assertEqual(ann_commit.commit_week, 100000)
        self.assertEqual(ann_commit.state, "current")

        rows = self.measures._consolidate(self.teams, date(2026, 3, 11))
        by_level = {}
        for row in rows:
            by_level.setdefault(row["level"], []).append(row)
        ann_row = next(row for row in by_level["rep"] if row["user_id"] == self.ann.id)
        self.assertEqual((ann_row["commit_week"], ann_row["manager_commit"]), (100000, 80000))
        self.assertEqual(ann_row["manager_note"], "Lyon slips")
        team_row = next(row for row in by_level["team"] if row["team_id"] == self.team_a.id)
        self.assertEqual((team_row["commit_week"], team_row["manager_commit"]), (150000, 130000))
        [region_row] = by_level["region"]
        self.assertEqual(region_row["region_id"], self.region.id)
        self.assertEqual((region_row["commit_week"], region_row["manager_commit"]), (180000, 160000))
        [company_row] = by_level["company"]
        self.assertEqual((company_row["commit_week"], company_row["manager_commit"]), (200000, 180000))
        keys = {column[0] for column in self.measures._monday_columns()}
        self.assertLessEqual({"manager_commit", "manager_forecast", "manager_accuracy", "manager_note"}, keys)
        mine = {"level", "manager_commit", "manager_forecast", "last_manager_commit", "manager_accuracy"}
        for row in rows:
            self.assertLessEqual(mine, set(row), "every row has the hierarchy's columns")

    def test_higher_levels_override_the_sum_of_their_children(self):
        self._adjust(self.lea, level="team", team_id=self.team_a.id, amount=140000)
        self._adjust(self.rita, level="region", region_id=self.region.id, amount=150000, note="Margin")
        rollup = self._rollup()
        self.assertEqual(rollup["team", self.team_a.id]["commit"], (150000, 140000))
        self.assertEqual(rollup["region", self.region.id]["commit"], (180000, 150000))
        self.assertEqual(rollup["company", self.env.company.id]["commit"], (200000, 170000))
        self._adjust(self.dina, level="company", amount=160000, note="Board number")
        self.assertEqual(self._rollup()["company", self.env.company.id]["commit"], (200000, 160000))

    def test_second_adjustment_supersedes_the_first_and_both_stay(self):
        first = self._adjust(self.lea, level="team", team_id=self.team_a.id, amount=140000, note="first call")
        second = self._adjust(
            self.lea, level="team", team_id=self.team_a.id, amount=120000, note="after the call"
        )
        self.assertEqual(first.state, "superseded")
        self.assertEqual(first.superseded_by_id, second)
        self.assertEqual(first.amount, 140000, "history stays as it was said")
        self.assertEqual(second.state, "current")
        history = self.Adjustment.search([("team_id", "=", self.team_a.id), ("level", "=", "team")])
        self.assertEqual(history, first | second)
        rollup = self._rollup()
        self.assertEqual(rollup["team", self.team_a.id]["commit"], (150000, 120000))
        self.assertEqual(rollup["region", self.region.id]["commit"], (180000, 150000))
        # immutable for everybody, the managing director too
        for who in (self.lea, self.dina):
            with self.assertRaises(UserError):
                second.with_user(who).write({"amount": 1})
            with self.assertRaises(UserError):
                first.with_user(who).sudo().unlink()
        with self.assertRaises(UserError):
            second.sudo().write({"state": "superseded"})

    def test_forecast_adjustments_per_month(self):
        self._forecast(self.ann, self.team_a, [10000] * 12)
        self._forecast(self.bea, self.team_b, [5000] * 12)
        self._adjust(
            self.lea, level="team", team_id=self.team_a.id, kind="forecast", month="2026-04-20", amount=4000
        )
        self._adjust(
            self.rita,
            level="region",
            region_id=self.region.id,
            kind="forecast",
            month=date(2026, 5, 1),
            amount=9000,
        )
        rollup = self._rollup()
        team = rollup["team", self.team_a.id]
        self.assertEqual(team["forecast"][date(2026, 4, 1)], (10000, 4000))
        self.assertEqual(team["forecast_total"], (120000, 114000))
        region = rollup["region", self.region.id]
        self.assertEqual(region["forecast"][date(2026, 4, 1)], (15000, 9000))
        self.assertEqual(region["forecast"][date(2026, 5, 1)], (15000, 9000))
        # 12 × 15,000 = 180,000; April 6,000 lower (the team), May 6,000 lower (the region)
        self.assertEqual(region["forecast_total"], (180000, 168000))
        with self.assertRaises(ValidationError):
            self._adjust(
                self.lea, level="team", team_id=self.team_a.id, kind="forecast", month="2027-03-01", amount=1
            )

    def test_accuracy_of_reps_and_managers_measured_separately(self):
        won = self.env["crm.stage"].create({"name": "FH Won", "is_won": True, "probability": 100})
        self._commit(self.ann, self.team_a, LAST_MONDAY, 100000)
        self._commit(self.bea, self.team_b, LAST_MONDAY, 50000)
        # last week the team leader called team A at 60,000 (the server's own record of last week's call)
        self.Adjustment.sudo().create(
            {
                "level": "team",
                "team_id": self.team_a.id,
                "kind": "commit",
                "period": LAST_MONDAY,
                "amount": 60000,
                "note": "Too optimistic",
                "submitted_by_id": self.lea.id,
            }
        )
        for rep, amount in ((self.ann, 70000), (self.bea, 50000)):
            lead = self.env["crm.lead"].create(
                {
                    "name": f"FH won {amount}",
                    "type": "opportunity",
                    "user_id": rep.id,
                    "expected_revenue": amount,
                    "stage_id": won.id,
                }
            )
            lead.date_closed = datetime(2026, 3, 4, 10)
        rollup = self._rollup()
        team = rollup["team", self.team_a.id]
        self.assertEqual(team["last_commit"], (100000, 60000))
        self.assertEqual(team["actual"], 70000)
        self.assertAlmostEqual(team["accuracy"], 70.0)  # 70,000 / 100,000
        self.assertAlmostEqual(team["manager_accuracy"], 116.67, places=2)  # 70,000 / 60,000
        region = rollup["region", self.region.id]
        self.assertEqual(region["last_commit"], (150000, 110000))
        self.assertEqual(region["actual"], 120000)
        self.assertAlmostEqual(region["accuracy"], 80.0)
        self.assertAlmostEqual(region["manager_accuracy"], 109.09, places=2)
        rows = self.measures._consolidate(self.teams, date(2026, 3, 11))
        [region_row] = [row for row in rows if row["level"] == "region"]
        self.assertEqual(region_row["last_manager_commit"], 110000)
        self.assertEqual(region_row["manager_accuracy_colour"], "success")  # 109 % within 95–110 %
        team_row = next(row for row in rows if row["level"] == "team" and row["team_id"] == self.team_a.id)
        self.assertEqual(team_row["accuracy_colour"], "danger")  # the reps' 70 %
        self.assertEqual(
            team_row["manager_accuracy_colour"], "warning"
        )  # the manager's 117 %, within 10 points

    def test_who_may_adjust_what(self):
        rep = {"level": "rep", "team_id": self.team_a.id, "user_id": self.ann.id, "amount": 1000}
        team = {"level": "team", "team_id": self.team_a.id, "amount": 1000}
        region = {"level": "region", "region_id": self.region.id, "amount": 1000}
        company = {"level": "company", "amount": 1000}
        refused = [
            (self.ann, rep),  # a salesperson on their own number
            (self.ben, rep),  # another team's leader
            (self.rita, rep),  # the regional manager adjusts teams, not their people
            (self.ben, team),
            (self.lea, region),
            (self.max, region),  # a sales manager outside the hierarchy
            (self.lea, company),
            (self.rita, company),
            (self.max, company),
        ]
        for who, vals in refused:
            with self.subTest(who=who.login, level=vals["level"]), self.assertRaises(AccessError):
                self._adjust(who, **vals)
        allowed = [
            (self.lea, rep),
            (self.lea, team),
            (self.rita, team),
            (self.rita, region),
            (self.dina, region),
        ]
        allowed.append((self.dina, company))
        for who, vals in allowed:
            with self.subTest(who=who.login, level=vals["level"]):
                self.assertEqual(self._adjust(who, **vals).submitted_by_id, who)
        self.assertFalse(
            self.Adjustment.search([("submitted_by_id", "in", (self.ann | self.ben | self.max).ids)])
        )

    def test_forged_values_and_contexts_are_refused(self):
        base = {"level": "team", "team_id": self.team_a.id, "amount": 1000}
        for forged in (
            {"state": "superseded"},
            {"submitted_by_id": self.dina.id},
            {"period": LAST_MONDAY},  # last week's call, made after its actuals are known
            {"submitted_amount": 5},
            {"node_key": "company:1"},
            {"superseded_by_id": 1},
        ):
            with self.subTest(forged=forged), self.assertRaises(AccessError):
                self._adjust(self.lea, **base, **forged)
        # a context key never lets anybody past the checks
        ben = self.Adjustment.with_user(self.ben).with_context(
            scp_storing_adjustment=True, install_mode=True, active_test=False
        )
        with self.assertRaises(AccessError):
            ben.create({**base, "kind": "commit", "note": "forged"})
        # nodes that do not fit together
        with self.assertRaises(UserError):
            self._adjust(self.lea, level="rep", team_id=self.team_a.id, user_id=self.bea.id, amount=1)
        with self.assertRaises(UserError):
            self._adjust(self.lea, level="team", team_id=self.team_a.id, user_id=self.ann.id, amount=1)
        with self.assertRaises(UserError):
            self._adjust(self.lea, level="team", team_id=self.team_a.id, amount=1, note=" ")
        with self.assertRaises(ValidationError):
            self._adjust(self.lea, level="team", team_id=self.team_a.id, amount=-5)
        with self.assertRaises(UserError):
            self._adjust(self.lea, level="team", team_id="1", amount=1)
        # another company: neither the director's call nor its teams
        other = self.env["res.company"].create({"name": "FH Other"})
        with self.assertRaises(AccessError):
            self._adjust(self.dina, level="company", company_id=other.id, amount=1)
        self.assertFalse(self.Adjustment.search([]).filtered(lambda adj: adj.company_id == other))

    def test_region_rules_and_visibility(self):
        self._adjust(self.lea, level="rep", team_id=self.team_a.id, user_id=self.ann.id, amount=90000)
        # the salesperson sees the call made on their number, another team's salesperson does not
        self.assertEqual(len(self.Adjustment.with_user(self.ann).search([])), 1)
        self.assertFalse(self.Adjustment.with_user(self.bea).search([]))
        self.assertEqual(
            len(self.Adjustment.with_user(self.rita).search([])), 1, "the regional manager sees it"
        )
        with self.assertRaises(AccessError):
            self.env["scp.sales.region"].with_user(self.lea).create({"name": "FH Mine"})
        other = self.env["res.company"].create({"name": "FH Other 2"})
        self.team_c.company_id = self.env.company
        with self.assertRaises(ValidationError):
            self.team_c.region_id = self.env["scp.sales.region"].create(
                {"name": "FH Far", "company_id": other.id}
            )

    def test_team_leader_records_a_call_through_the_form(self):
        form = Form(self.Adjustment.with_user(self.lea))
        form.level = "rep"
        form.team_id = self.team_a
        form.user_id = self.abe
        form.kind = "commit"
        form.amount = 45000
        form.note = "Abe's second machine ships next week"
        adjustment = form.save()
        self.assertEqual(adjustment.submitted_amount, 50000)
        self.assertEqual(adjustment.delta, -5000)
        self.assertEqual(self._rollup()["team", self.team_a.id]["commit"], (150000, 145000))


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestForecastHierarchyQueries(HierarchyCase):
    def _grow(self, tag, teams, reps_per_team):
        """``teams`` more teams, each in its own region, with their reps' commits and forecasts."""
        created = self.env["crm.team"]
        for index in range(teams):
            reps = self.env["res.users"].create(
                [
                    {"name": f"FHQ {index}-{rep}", "login": f"fhq_{tag}_{index}_{rep}"}
                    for rep in range(reps_per_team)
                ]
            )
            region = self.env["scp.sales.region"].create({"name": f"FHQ region {tag} {index}"})
            team = self.env["crm.team"].create(
                {"name": f"FHQ {index}", "region_id": region.id, "member_ids": [Command.set(reps.ids)]}
            )
            for rep in reps:
                self._commit(rep, team, MONDAY, 1000)
                self._commit(rep, team, LAST_MONDAY, 1000)
                self._forecast(rep, team, [100] * 12)
            self.Adjustment.sudo().create(
                {"level": "team", "team_id": team.id, "kind": "commit", "amount": 500, "note": "Q"}
            )
            created |= team
        return created

    def test_rollup_queries_do_not_grow_with_the_hierarchy(self):
        small = self.teams | self._grow("s", 2, 2)
        self.env.invalidate_all()
        with self.assertQueryCount(8):
            rollup = self.measures._hierarchy_rollup(small, MONDAY, FIRST)
        self.assertEqual(
            rollup["company", self.env.company.id]["commit"], (200000 + 2 * 2000, 200000 + 2 * 500)
        )
        large = small | self._grow("l", 12, 6)
        self.env.invalidate_all()
        with self.assertQueryCount(8):
            rollup = self.measures._hierarchy_rollup(large, MONDAY, FIRST)
        self.assertEqual(
            rollup["company", self.env.company.id]["commit"],
            (200000 + 2 * 2000 + 12 * 6000, 200000 + 14 * 500),
        )
        self.assertEqual(rollup["company", self.env.company.id]["forecast_total"][0], (4 + 72) * 1200)


@tagged("post_install", "-at_install")
class TestForecastHierarchyRpc(JsonRpcAttackMixin, HttpCase):
    """Over JSON-RPC, as a client would: a salesperson recording a call on their own number, with forged
    values, is refused; the team leader's create goes through the same checks."""

    def test_salesperson_cannot_adjust_over_rpc(self):
        rep = new_test_user(
            self.env, "fh_rpc_rep", password="fh_rpc_rep_pw", groups="sales_team.group_sale_salesman"
        )
        leader = new_test_user(self.env, "fh_rpc_lead", groups="sales_team.group_sale_salesman")
        team = self.env["crm.team"].create(
            {"name": "FH RPC", "user_id": leader.id, "member_ids": [Command.set(rep.ids)]}
        )
        self.authenticate("fh_rpc_rep", "fh_rpc_rep_pw")
        vals = {
            "level": "rep",
            "team_id": team.id,
            "user_id": rep.id,
            "kind": "commit",
            "amount": 1e6,
            "note": "x",
        }
        self._assert_refused(
            self._call_kw(
                "scp.forecast.adjustment", "create", [vals], {"context": {"scp_storing_adjustment": 1}}
            ),
            "AccessError",
        )
        self._assert_refused(
            self._call_kw(
                "scp.forecast.adjustment",
                "create",
                [{**vals, "submitted_by_id": leader.id, "state": "current"}],
            ),
            "AccessError",
        )
        self._assert_refused(
            self._call_kw("scp.forecast.adjustment", "_adjust", [vals]),
            "AccessError",
        )
        self.assertFalse(self.env["scp.forecast.adjustment"].search([("team_id", "=", team.id)]))
