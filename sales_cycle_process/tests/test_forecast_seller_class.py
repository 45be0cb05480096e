# Copyright 2026 sales_cycle_process contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Issue #18, item 9: the quarterly seller classes (deck, culture page) and Odoo's gamification."""

from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, TransactionCase, new_test_user, tagged

TODAY = date(2026, 4, 8)  # Q2 has begun: the last complete quarter is Q1 2026
Q1 = date(2026, 1, 1)
MONDAYS = [date(2026, 1, 5) + timedelta(days=7 * i) for i in range(13)]  # 5 January .. 30 March


@tagged("post_install", "-at_install")
class TestSellerClass(TransactionCase):
    """Team "SC Team" (led by Lena, a sales manager), three reps, each with a target of 10,000 a month
    (30,000 for Q1), the company's thresholds at their defaults (A from 100 %, B 85 %, C 70 %, submissions
    100 %), the bias settings at theirs (8 weeks, at least 4; accurate from 95 to 110 %). Every week of Q1
    (13 Mondays), by an order without a deal on the Tuesday:
    - Alice commits and books 2,600 (33,800: 112.7 %, accurate, 13/13 commits, 3/3 forecasts): A;
    - Bob commits and books 2,100 (27,300: 91 %: B) but skipped the commits of 5 and 12 January (11/13):
      one class lower, C;
    - Carl commits 2,400 and books 1,200 (15,600: 52 %: D; over-committing at 50 %): D.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, mail_notrack=True))
        cls.company = cls.env.company

        def user(login, group="sales_team.group_sale_salesman"):
            return new_test_user(cls.env, login, groups=group, tz="UTC", name=login[3:].title())

        cls.lena = user("sc_lena", "sales_team.group_sale_manager")
        cls.alice, cls.bob, cls.carl = (user(f"sc_{name}") for name in ("alice", "bob", "carl"))
        cls.reps = cls.alice | cls.bob | cls.carl
        cls.team = cls.env["crm.team"].create(
            {"name": "SC Team", "user_id": cls.lena.id, "member_ids": [Command.set(cls.reps.ids)]}
        )
        # the other teams of the company are out of these figures
        cls.env["crm.team"].search([("id", "!=", cls.team.id)]).active = False
        cls.partner = cls.env["res.partner"].create({"name": "SC Customer"})
        cls.product = cls.env["product.product"].create(
            {"name": "SC Press", "type": "consu", "list_price": 1}
        )
        cls.env["scp.sales.target"].create(
            [
                {
                    "month": month,
                    "user_id": rep.id,
                    "team_id": cls.team.id,
                    "base_amount": 10000,
                    "raise_factor": 1.0,
                }
                for rep in cls.reps
                for month in (date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1))
            ]
        )
        weeks = {cls.alice: (2600, 2600), cls.bob: (2100, 2100), cls.carl: (2400, 1200)}
        commits, bookings = [], []
        for monday in MONDAYS:
            for rep, (commit, actual) in weeks.items():
                if not (rep == cls.bob and monday in (date(2026, 1, 5), date(2026, 1, 12))):
                    commits.append(cls._commit_vals(rep, monday, commit))
                bookings.append(
                    (rep, actual, datetime.combine(monday + timedelta(days=1), datetime.min.time()))
                )
        cls.env["scp.sales.commit"].create(commits)
        cls._orders(bookings)
        cls.env["scp.sales.forecast"].create(
            [
                {
                    "user_id": rep.id,
                    "team_id": cls.team.id,
                    "month": month,
                    "submitted_on": datetime.combine(month, datetime.min.time()),
                    "total": 10000,
                    "line_ids": [Command.create({"month": month, "amount": 10000})],
                }
                for rep in cls.reps
                for month in (date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1))
            ]
        )
        cls.Classes = cls.env["scp.seller.class"]

    @classmethod
    def _commit_vals(cls, rep, monday, amount):
        return {
            "user_id": rep.id,
            "team_id": cls.team.id,
            "week_start": monday,
            "submitted_on": datetime.combine(monday, datetime.min.time()),
            "commit_week": amount,
            "commit_month": amount,
            "commit_quarter": amount,
            "commit_total": amount,
        }

    @classmethod
    def _orders(cls, bookings):
        orders = cls.env["sale.order"].create(
            [
                {
                    "partner_id": cls.partner.id,
                    "user_id": rep.id,
                    "order_line": [
                        Command.create({"product_id": cls.product.id, "price_unit": amount, "tax_id": False})
                    ],
                }
                for rep, amount, _when in bookings
            ]
        )
        orders.action_confirm()
        for order, (_rep, _amount, when) in zip(orders, bookings, strict=True):
            order.date_order = when

    def _suggest(self, user=None):
        with freeze_time(TODAY):
            self.Classes.with_user(user or self.lena).action_suggest_last_quarter()
        return {
            record.user_id: record
            for record in self.Classes.search([("quarter", "=", Q1), ("user_id", "in", self.reps.ids)])
        }

    # --- the suggestion, with the figures behind it ---------------------------------------------------
    def test_manager_gets_each_class_with_its_figures(self):
        classes = self._suggest()
        alice, bob, carl = classes[self.alice], classes[self.bob], classes[self.carl]
        self.assertEqual(
            (alice.target_amount, alice.actual_amount, round(alice.attainment, 1)), (30000, 33800, 112.7)
        )
        self.assertEqual((alice.commit_label, alice.commit_ratio), ("accurate", 100.0))
        self.assertEqual((alice.commit_submission_rate, alice.forecast_submission_rate), (100.0, 100.0))
        self.assertEqual(alice.suggested_class, "A")
        self.assertEqual((bob.actual_amount, round(bob.attainment)), (27300, 91))
        self.assertEqual(round(bob.commit_submission_rate, 1), 84.6)
        self.assertEqual(bob.suggested_class, "C", "B by attainment, one lower for two missed commits")
        self.assertIn("11 of 13 commits submitted (85 %, goal 100 %): one class lower.", bob.figures_note)
        self.assertEqual((carl.commit_label, carl.commit_ratio, carl.suggested_class), ("over", 50.0, "D"))
        self.assertIn("Attainment 52 % (actual 15600 of target 30000): D.", carl.figures_note)
        # a second run changes nothing and creates nothing
        self.assertEqual(self._suggest(), classes)
        self.assertEqual(
            self.Classes.search_count([("quarter", "=", Q1), ("user_id", "in", self.reps.ids)]), 3
        )

    def test_thresholds_are_settings(self):
        with self.assertRaises(ValidationError):
            self.company.seller_class_b_attainment = 120
        settings = self.env["res.config.settings"].create({})
        with Form(settings) as form:
            form.seller_class_b_attainment = 90
            form.seller_class_submission_goal = 80
        settings.execute()
        classes = self._suggest()
        # Bob's 91 % is still B, and 11 of 13 commits (85 %) now reach the goal: B
        self.assertEqual(classes[self.bob].suggested_class, "B")

    # --- the manager confirms or overrides, with a reason -----------------------------------------------
    def test_manager_confirms_or_overrides_with_a_reason(self):
        classes = self._suggest()
        bob = classes[self.bob].with_user(self.lena)
        form = Form(bob)
        form.override_class = "B"
        with self.assertRaises(AssertionError):  # the form asks for the reason
            form.save()
        bob.override_class = "B"
        with self.assertRaises(UserError):  # and the server too
            bob.action_confirm()
        with Form(bob) as form:
            form.override_reason = "Two weeks at the trade fair, agreed beforehand"
        with freeze_time(TODAY):
            (bob | classes[self.alice].with_user(self.lena)).action_confirm()
        self.assertEqual((bob.final_class, bob.state, bob.confirmed_by_id), ("B", "confirmed", self.lena))
        self.assertEqual(bob.confirmed_on, TODAY)
        self.assertEqual(classes[self.alice].final_class, "A", "the suggestion confirmed")
        # confirmed: fixed, and a new suggestion run leaves it alone
        with self.assertRaises(UserError):
            bob.write({"override_class": "A"})
        self._suggest()
        self.assertEqual(bob.final_class, "B")

    def test_reps_see_their_own_confirmed_class_only(self):
        classes = self._suggest()
        as_bob = self.Classes.with_user(self.bob)
        self.assertFalse(as_bob.search([]), "a suggestion is for the managers")
        classes[self.alice].with_user(self.lena).action_confirm()
        classes[self.bob].with_user(self.lena).action_confirm()
        self.assertEqual(as_bob.search([]), classes[self.bob])
        with self.assertRaises(AccessError):
            classes[self.alice].with_user(self.bob).read(["final_class"])

    def test_figures_and_decisions_are_the_servers(self):
        classes = self._suggest()
        carl = classes[self.carl]
        for vals in (
            {"suggested_class": "A"},
            {"attainment": 120.0},
            {"final_class": "A"},
            {"state": "confirmed"},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                carl.with_user(self.lena).write(vals)
        with self.assertRaises(AccessError):
            self.Classes.with_user(self.lena).create(
                {
                    "user_id": self.carl.id,
                    "quarter": Q1,
                    "company_id": self.company.id,
                    "suggested_class": "A",
                }
            )
        # a rep neither suggests, nor confirms, nor overrides (not even their own)
        with self.assertRaises(AccessError):
            self._suggest(self.carl)
        with self.assertRaises(AccessError):
            carl.with_user(self.carl).action_confirm()
        with self.assertRaises(AccessError):
            carl.with_user(self.carl).write({"override_class": "A", "override_reason": "I say so"})
        self.assertEqual((carl.suggested_class, carl.state), ("D", "suggested"))

    # --- Odoo's gamification for the playbook's goals ---------------------------------------------------
    def test_playbook_challenge_is_a_quiet_draft_until_started(self):
        challenge = self.env.ref("sales_cycle_process.gamification_challenge_playbook")
        if challenge.state != "draft":  # the demo runs it: start from the data's state
            self.env["gamification.goal"].search([("challenge_id", "=", challenge.id)]).unlink()
            challenge.write({"state": "draft"})
        self.assertEqual(challenge.report_message_frequency, "never")
        self.assertFalse(challenge.start_date, "a draft without a start date is never started by the cron")
        self.assertEqual(
            challenge.line_ids.definition_id.mapped("computation_mode"), ["python", "count", "count"]
        )
        self.env["scp.visit.report"].create(
            [
                {"name": f"Visit {day}", "partner_id": self.partner.id, "user_id": self.alice.id, "date": day}
                for day in (date(2026, 3, 3), date(2026, 3, 17))
            ]
        )
        with freeze_time(TODAY):
            challenge.write(
                {
                    "user_domain": False,
                    "user_ids": [Command.set(self.reps.ids)],
                    "period": "once",
                    "start_date": date(2026, 2, 2),
                    "end_date": date(2026, 3, 31),
                    "state": "inprogress",
                }
            )
            challenge.action_check()
        goals = self.env["gamification.goal"].search([("challenge_id", "=", challenge.id)])
        value = {(goal.user_id, goal.definition_id.name): goal.current for goal in goals}
        self.assertEqual(value[self.alice, "Commit Accuracy"], 100.0)
        self.assertEqual(value[self.carl, "Commit Accuracy"], 50.0)
        self.assertEqual(value[self.alice, "Weekly Commits Submitted on Time"], 9, "2 February .. 30 March")
        self.assertEqual(value[self.alice, "Customer Visits Done"], 2)
        self.assertEqual(value[self.bob, "Customer Visits Done"], 0)
        # the leaderboard is Odoo's own: the challenge's ranking
        ranking = {line["name"]: line["goals"] for line in challenge._get_serialized_challenge_lines()}
        self.assertEqual(ranking["Commit Accuracy"][0]["user_id"], self.alice.id)
        self.assertEqual(ranking["Customer Visits Done"][0]["user_id"], self.alice.id)
