"""Trust (issue 13): cadences and visit reports, acting as each role with what a client could send."""

import io
from datetime import date
from unittest.mock import patch

import openpyxl
from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, TransactionCase, new_test_user, tagged

LOGGER = "odoo.addons.sales_cycle_process.models.scp_cadence_rule"
START = date(2026, 3, 2)
SALESMAN = "sales_team.group_sale_salesman"
# internal users create and edit contacts (Odoo's default "Contact Creation" right)
CONTACTS = "base.group_partner_manager"


@tagged("post_install", "-at_install")
class TestTrustCadence(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.alice = new_test_user(cls.env, "trust_cad_alice", groups=f"{SALESMAN},{CONTACTS}", tz="UTC")
        cls.carol = new_test_user(cls.env, "trust_cad_carol", groups=f"{SALESMAN},{CONTACTS}", tz="UTC")
        cls.bob = new_test_user(cls.env, "trust_cad_bob", groups=f"{SALESMAN},{CONTACTS}", tz="UTC")
        # a team leader who is an ordinary salesperson: reads the team's reports through the team
        cls.leader = new_test_user(cls.env, "trust_cad_leader", groups=f"{SALESMAN},{CONTACTS}", tz="UTC")
        cls.engineer = new_test_user(
            cls.env,
            "trust_cad_engineer",
            groups=f"sales_cycle_process.group_application_engineer,{CONTACTS}",
            tz="UTC",
        )
        cls.manager = new_test_user(
            cls.env, "trust_cad_manager", groups=f"sales_team.group_sale_manager,{CONTACTS}", tz="UTC"
        )
        cls.north = cls.env["crm.team"].create(
            {
                "name": "Trust North",
                "user_id": cls.leader.id,
                "member_ids": [(6, 0, (cls.alice | cls.carol).ids)],
            }
        )
        cls.south = cls.env["crm.team"].create({"name": "Trust South", "member_ids": [(6, 0, cls.bob.ids)]})
        Partner = cls.env["res.partner"]
        cls.alices_partner = Partner.create({"name": "Alice's Distributor", "user_id": cls.alice.id})
        cls.bobs_partner = Partner.create({"name": "Bob's Distributor", "user_id": cls.bob.id})
        cls.rule = cls.env["scp.cadence.rule"].create(
            {
                "name": "Trust visit",
                "partner_tier": "any",
                "partner_filter": f"[('id', 'in', {(cls.alices_partner | cls.bobs_partner).ids})]",
                "contact_kind": "visit",
                "interval_number": 1,
                "interval_type": "months",
                "lead_days": 7,
            }
        )
        with freeze_time(START):
            cls.rule._schedule()
        State = cls.env["scp.cadence.state"]
        cls.alices_state = State.search(
            [("rule_id", "=", cls.rule.id), ("partner_id", "=", cls.alices_partner.id)]
        )
        cls.bobs_state = State.search(
            [("rule_id", "=", cls.rule.id), ("partner_id", "=", cls.bobs_partner.id)]
        )

    def _done(self, activity, user, when=START):
        with freeze_time(when):
            activity.with_user(user).action_feedback(feedback="Visited the plant.")
        self.env.invalidate_all()

    # --- 1. the compliance numbers ------------------------------------------------------------------
    def test_salesperson_cannot_move_due_date_last_contact_or_owner(self):
        state = self.alices_state
        self.assertEqual((state.user_id, state.next_due_date), (self.alice, START))
        attacks = [
            {"next_due_date": "2027-01-01"},
            {"last_contact_date": str(START)},
            {"user_id": self.bob.id},
            {"partner_id": self.bobs_partner.id},
        ]
        for user in (self.alice, self.engineer):
            for vals in attacks:
                with self.subTest(user=user.login, vals=vals), self.assertRaises(AccessError):
                    state.with_user(user).with_context(active_test=False, sudo=True).write(vals)
        with self.assertRaises(AccessError):
            self.env["scp.cadence.state"].with_user(self.alice).create(
                {"rule_id": self.rule.id, "partner_id": self.alices_partner.id, "next_due_date": START}
            )
        # the last contact is recorded by marking the activity done, for everybody but the server
        with self.assertRaises(AccessError):
            state.with_user(self.manager).write({"last_contact_date": str(START)})
        self.assertEqual(
            (state.user_id, state.next_due_date, state.last_contact_date), (self.alice, START, False)
        )
        # the legitimate flow: Alice visits her distributor and marks the activity done
        self._done(state.activity_ids, self.alice, START + relativedelta(days=3))
        self.assertEqual(state.last_contact_date, START + relativedelta(days=3))
        self.assertEqual(state.next_due_date, START + relativedelta(days=3, months=1))

    def test_salesperson_cannot_delete_compliance_rows(self):
        with self.assertRaises(AccessError):
            self.alices_state.with_user(self.alice).unlink()
        with self.assertRaises(AccessError):
            self.alices_partner.with_user(self.alice).write({"cadence_state_ids": [(5, 0, 0)]})
        self.assertTrue(self.alices_state.exists())

    # --- 2. only the cadence's own activity counts ----------------------------------------------------
    def test_client_cannot_link_an_activity_to_a_cadence(self):
        Activity = self.env["mail.activity"].with_user(self.alice)
        vals = {
            "res_model_id": self.env["ir.model"]._get_id("res.partner"),
            "res_id": self.alices_partner.id,
            "activity_type_id": self.env.ref("mail.mail_activity_data_todo").id,
            "user_id": self.alice.id,
            "summary": "Fake visit",
        }
        with self.assertRaises(AccessError):
            Activity.create({**vals, "cadence_state_id": self.bobs_state.id})
        with self.assertRaises(AccessError):
            Activity.with_context(default_cadence_state_id=self.alices_state.id).create(vals)
        plain = Activity.create(vals)
        with self.assertRaises(AccessError):
            plain.write({"cadence_state_id": self.alices_state.id})
        with self.assertRaises(AccessError):
            self.alices_state.activity_ids.with_user(self.alice).write({"cadence_state_id": False})
        self.assertFalse(plain.cadence_state_id)

    def test_done_counts_only_on_the_cadences_partner_by_its_user(self):
        bobs_visit = self.bobs_state.activity_ids
        self.assertEqual(bobs_visit.user_id, self.bob)
        # Alice marks Bob's visit done: the activity is done, Bob's cadence does not move
        self._done(bobs_visit, self.alice)
        self.assertFalse(bobs_visit.exists())
        self.assertEqual((self.bobs_state.next_due_date, self.bobs_state.last_contact_date), (START, False))
        self.assertFalse(self.bobs_partner.visit_report_ids, "no visit report for a visit Bob did not make")
        # an activity linked (by the server) to Alice's cadence but planned on another partner
        Activity = self.env["mail.activity"].sudo()
        elsewhere = Activity.create(
            {
                "res_model_id": self.env["ir.model"]._get_id("res.partner"),
                "res_id": self.bobs_partner.id,
                "activity_type_id": self.env.ref("mail.mail_activity_data_todo").id,
                "user_id": self.alice.id,
                "cadence_state_id": self.alices_state.id,
            }
        )
        self._done(elsewhere, self.alice)
        self.assertEqual(self.alices_state.next_due_date, START)
        # Alice hands her own visit to Carol, who marks it done: it does not count either
        alices_visit = self.alices_state.activity_ids
        alices_visit.with_user(self.alice).write({"user_id": self.carol.id})
        self._done(alices_visit, self.carol)
        self.assertEqual(
            (self.alices_state.next_due_date, self.alices_state.last_contact_date), (START, False)
        )
        # the legitimate flows: the cadence's user, or a sales manager, marks the visit done
        with freeze_time(START + relativedelta(days=1)):
            self.rule._schedule()
        self._done(self.alices_state.activity_ids, self.alice, START + relativedelta(days=1))
        self.assertEqual(self.alices_state.last_contact_date, START + relativedelta(days=1))
        with freeze_time(START + relativedelta(days=1)):
            self.rule._schedule()
        self._done(self.bobs_state.activity_ids, self.manager, START + relativedelta(days=2))
        self.assertEqual(self.bobs_state.last_contact_date, START + relativedelta(days=2))

    # --- 3. visit reports follow the visitor and the team -------------------------------------------
    def _report(self, user, partner, **vals):
        return (
            self.env["scp.visit.report"]
            .with_user(user)
            .create({"name": "Visit", "partner_id": partner.id, **vals})
        )

    def test_visit_reports_follow_the_visitor_and_the_team_not_the_partner(self):
        alices = self._report(self.alice, self.alices_partner)
        bobs = self._report(self.bob, self.bobs_partner)
        self.assertEqual((alices.team_id, bobs.team_id), (self.north, self.south))
        Report = self.env["scp.visit.report"]
        # Alice makes herself the salesperson of Bob's distributor: she still reads none of its reports
        self.bobs_partner.with_user(self.alice).write({"user_id": self.alice.id})
        self.assertEqual(Report.with_user(self.alice).search([("id", "in", (alices | bobs).ids)]), alices)
        with self.assertRaises(AccessError):
            bobs.with_user(self.alice).read(["significant_items"])
        # Carol (same team, not the leader) reads only her own; the leader reads the team's
        self.assertFalse(Report.with_user(self.carol).search([("id", "in", (alices | bobs).ids)]))
        self.assertEqual(Report.with_user(self.leader).search([("id", "in", (alices | bobs).ids)]), alices)
        # managers and the all-leads roles read all
        for user in (self.manager, self.engineer):
            self.assertEqual(
                Report.with_user(user).search([("id", "in", (alices | bobs).ids)]), alices | bobs
            )

    def test_visit_done_records_a_report_of_the_visitors_team(self):
        self._done(self.alices_state.activity_ids, self.alice)
        report = self.alices_partner.visit_report_ids
        self.assertEqual((report.user_id, report.team_id), (self.alice, self.north))
        self.assertEqual(
            self.env["scp.visit.report"].with_user(self.leader).search([("id", "=", report.id)]), report
        )

    def test_no_report_in_someone_elses_name(self):
        forged = self._report(self.alice, self.bobs_partner, user_id=self.bob.id, team_id=self.south.id)
        self.assertEqual((forged.user_id, forged.team_id), (self.alice, self.north))
        forged = (
            self.env["scp.visit.report"]
            .with_user(self.alice)
            .with_context(default_user_id=self.bob.id, default_team_id=self.south.id)
            .create({"name": "Visit", "partner_id": self.bobs_partner.id})
        )
        self.assertEqual((forged.user_id, forged.team_id), (self.alice, self.north))
        with self.assertRaises(AccessError):
            self._report(self.alice, self.alices_partner, cadence_state_id=self.alices_state.id)
        for vals in (
            {"user_id": self.bob.id},
            {"team_id": self.south.id},
            {"cadence_state_id": self.bobs_state.id},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                forged.with_user(self.alice).write(vals)
        forged.with_user(self.alice).write({"follow_ups": "<p>Send the brochure.</p>"})
        # a sales manager writes a report for a member and hands it over
        for_bob = self._report(self.manager, self.bobs_partner, user_id=self.bob.id)
        self.assertEqual((for_bob.user_id, for_bob.team_id), (self.bob, self.south))
        for_bob.with_user(self.manager).write({"user_id": self.alice.id})
        self.assertEqual((for_bob.user_id, for_bob.team_id), (self.alice, self.north))

    # --- 4. deleting keeps the history ----------------------------------------------------------------
    def test_rule_with_history_is_archived_not_deleted(self):
        with self.assertRaisesRegex(UserError, "archive it instead"):
            self.rule.with_user(self.manager).unlink()
        self.rule.with_user(self.manager).action_archive()
        self.assertFalse(self.rule.active)
        self.assertTrue(self.alices_state.exists())
        unused = (
            self.env["scp.cadence.rule"]
            .with_user(self.manager)
            .create({"name": "Unused", "partner_tier": "large"})
        )
        unused.unlink()
        self.assertFalse(unused.exists())

    # --- 5. the scheduled action survives one bad rule ----------------------------------------------
    def test_cron_goes_on_after_one_bad_rule(self):
        other = self.rule.copy({"name": "Trust call", "contact_kind": "call"})
        Rule = type(self.env["scp.cadence.rule"])
        schedule = Rule._schedule
        bad = self.rule

        def poisoned(rule, *args, **kwargs):
            if rule == bad:
                raise ValueError("poisoned rule")
            return schedule(rule, *args, **kwargs)

        with (
            patch.object(Rule, "_schedule", poisoned),
            self.assertLogs(LOGGER, level="WARNING") as logs,
            freeze_time(START),
        ):
            self.env["scp.cadence.rule"]._cron_schedule_cadences()
        self.assertTrue(any("Trust visit" in line for line in logs.output))
        self.assertEqual(len(other.state_ids), 2, "the other rule was planned")
        self.assertEqual(len(other.state_ids.activity_ids), 2)

    # --- 7. bounded inputs -----------------------------------------------------------------------------
    def test_rule_bounds(self):
        Rule = self.env["scp.cadence.rule"].with_user(self.manager)
        base = {"name": "Bounds", "partner_tier": "large"}
        for vals in (
            {"interval_number": 0},
            {"interval_number": -3},
            {"interval_number": 1097, "interval_type": "days"},
            {"interval_number": 157, "interval_type": "weeks"},
            {"interval_number": 37, "interval_type": "months"},
            {"lead_days": -1},
            {"lead_days": 366},
        ):
            with self.subTest(vals=vals), self.assertRaises(ValidationError):
                Rule.create({**base, **vals})
        form = Form(Rule)
        form.name = "Every three years"
        form.partner_tier = "large"
        form.interval_number = 36
        form.interval_type = "months"
        form.lead_days = 365
        rule = form.save()
        self.assertEqual(rule._interval(), relativedelta(months=36))


@tagged("post_install", "-at_install")
class TestTrustXlsx(TransactionCase):
    """XLSX exports write user text as text: a name starting with = + - @ is never a formula."""

    NAMES = ["=1+2", "+SUM(A1:A2)", "-2+3", "@SUM(1,1)", '=HYPERLINK("http://x.example","x")']

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.user = new_test_user(cls.env, "trust_xlsx_user", groups=SALESMAN, name="=cmd|' /C calc'!A0")
        cls.team = cls.env["crm.team"].create({"name": "=TEAM()", "member_ids": [(6, 0, cls.user.ids)]})

    def _cells(self, report, records):
        content, kind = self.env[f"report.sales_cycle_process.{report}"].create_xlsx_report(records.ids, {})
        self.assertEqual(kind, "xlsx")
        book = openpyxl.load_workbook(io.BytesIO(content))
        return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]

    def _assert_text(self, cells, texts):
        by_value = {cell.value: cell for cell in cells if isinstance(cell.value, str)}
        for text in texts:
            with self.subTest(text=text):
                self.assertIn(text, by_value, "written as typed")
                self.assertEqual(by_value[text].data_type, "s", "a string, not a formula")
        self.assertFalse([cell.coordinate for cell in cells if cell.data_type == "f"], "no formula at all")

    def test_cadence_compliance(self):
        partners = self.env["res.partner"].create(
            [{"name": name, "user_id": self.user.id} for name in self.NAMES]
        )
        rule = self.env["scp.cadence.rule"].create(
            {"name": "=RULE()", "partner_tier": "any", "partner_filter": f"[('id', 'in', {partners.ids})]"}
        )
        rule._schedule()
        self._assert_text(
            self._cells("cadence_compliance_xlsx", rule.state_ids), [*self.NAMES, "=RULE()", self.user.name]
        )

    def test_commit_pack(self):
        leads = self.env["crm.lead"].create(
            [
                {"name": name, "type": "opportunity", "user_id": self.user.id, "expected_revenue": 100}
                for name in self.NAMES
            ]
        )
        commit = (
            self.env["scp.sales.commit"]
            .sudo()
            .create(
                {
                    "user_id": self.user.id,
                    "team_id": self.team.id,
                    "week_start": date(2026, 3, 9),
                    "line_ids": [
                        (0, 0, {"lead_id": lead.id, "amount": 100, "category": "commit"}) for lead in leads
                    ],
                }
            )
        )
        self._assert_text(self._cells("commit_pack_xlsx", commit), [*self.NAMES, self.user.name, "=TEAM()"])

    def test_forecast_pack(self):
        forecast = (
            self.env["scp.sales.forecast"]
            .sudo()
            .create(
                {
                    "user_id": self.user.id,
                    "team_id": self.team.id,
                    "month": date(2026, 3, 1),
                    "line_ids": [(0, 0, {"month": date(2026, 3, 1), "amount": 10})],
                }
            )
        )
        self._assert_text(self._cells("forecast_pack_xlsx", forecast), [self.user.name])

    def test_qpa_log(self):
        customer = self.env["res.partner"].create({"name": "@SUM(1,1)"})
        order = self.env["sale.order"].create({"partner_id": customer.id, "user_id": self.user.id})
        log = (
            self.env["scp.qpa.log"]
            .sudo()
            .create(
                {"order_id": order.id, "comment": "-2+3", "approver_id": self.user.id, "state": "approved"}
            )
        )
        self._assert_text(self._cells("qpa_log_xlsx", log), ["@SUM(1,1)", "-2+3", self.user.name])
