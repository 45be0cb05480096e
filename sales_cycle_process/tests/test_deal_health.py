from datetime import date
from unittest.mock import patch

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, TransactionCase, new_test_user, tagged

from ..models.scp_health_digest import ScpHealthDigest

TODAY = "2026-03-30 09:00:00"  # a Monday


@tagged("post_install", "-at_install")
class TestDealHealth(TransactionCase):
    """A deal's health on a small known history (frozen on Monday 30 March 2026, UTC):

    - A "Line 4 retrofit": entered Final proposal on 2 Feb (56 days), its closing moved later three times,
      a note on 20 Mar (10 days without contact), a call due 25 Mar not done (overdue);
    - B "Press shop": created 9 Mar, nothing since (21 days without contact);
    - C "Paint booth": created 23 Mar, closing moved once later and once earlier, a call done on 27 Mar;
    - D "Won order": won, in the Won stage since 2 Feb;
    - E "Robot cell": Bob's, created 9 Mar, nothing since.

    Final proposal's limits: 30 days in stage, 2 slips, 14 days without contact."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False, mail_notrack=False))
        cls.company = cls.env.company
        cls.company.health_digest_enabled = True
        cls.rep = new_test_user(
            cls.env,
            "health_rep",
            groups="sales_team.group_sale_salesman",
            name="Sally Rep",
            email="sally@example.com",
            tz="UTC",
        )
        cls.rep2 = new_test_user(
            cls.env,
            "health_rep2",
            groups="sales_team.group_sale_salesman",
            name="Bob Rep",
            email="bob@example.com",
            tz="UTC",
        )
        cls.leader = new_test_user(
            cls.env,
            "health_leader",
            groups="sales_team.group_sale_manager",
            name="Lea Leader",
            email="lea@example.com",
            tz="UTC",
        )
        cls.team = cls.env["crm.team"].create(
            {
                "name": "Health Team",
                "use_opportunities": True,
                "user_id": cls.leader.id,
                "member_ids": [(6, 0, [cls.rep.id, cls.rep2.id])],
            }
        )
        cls.stage = cls.env.ref("crm.stage_lead3")
        cls.stage.write(
            {"health_max_days_in_stage": 30, "health_max_slips": 2, "health_max_days_without_contact": 14}
        )
        cls.won_stage = cls.env.ref("crm.stage_lead4")
        cls.call = cls.env.ref("mail.mail_activity_data_call")

        def deal(name, when, user=cls.rep, stage=cls.stage, closing=date(2026, 3, 31)):
            with freeze_time(when):
                lead = cls.env["crm.lead"].create(
                    {
                        "name": name,
                        "type": "opportunity",
                        "user_id": user.id,
                        "team_id": cls.team.id,
                        "stage_id": stage.id,
                        "date_deadline": closing,
                        "expected_revenue": 10000,
                        # Odoo stamps both with the transaction's time, which freezegun does not move
                        "date_last_stage_update": fields.Datetime.now(),
                        "date_open": fields.Datetime.now(),
                    }
                )
                cls.env.cr.precommit.run()  # the creation's tracking, as at the commit
            return lead

        def move(lead, when, closing):
            with freeze_time(when):
                lead.date_deadline = closing
                cls.env.cr.precommit.run()

        cls.deal_a = deal("Line 4 retrofit", "2026-02-02 09:00:00")
        move(cls.deal_a, "2026-02-09 09:00:00", date(2026, 4, 30))
        move(cls.deal_a, "2026-02-16 09:00:00", date(2026, 5, 31))
        move(cls.deal_a, "2026-02-23 09:00:00", date(2026, 6, 30))
        with freeze_time("2026-03-20 10:00:00"):
            cls.deal_a.with_user(cls.rep).message_post(
                body="Called the buyer", message_type="comment", subtype_xmlid="mail.mt_note"
            )
        cls.env["mail.activity"].create(
            {
                "res_model_id": cls.env["ir.model"]._get_id("crm.lead"),
                "res_id": cls.deal_a.id,
                "activity_type_id": cls.call.id,
                "user_id": cls.rep.id,
                "date_deadline": date(2026, 3, 25),
            }
        )
        cls.deal_b = deal("Press shop", "2026-03-09 09:00:00")
        cls.deal_c = deal("Paint booth", "2026-03-23 09:00:00")
        move(cls.deal_c, "2026-03-24 09:00:00", date(2026, 4, 30))  # slip
        move(cls.deal_c, "2026-03-25 09:00:00", date(2026, 4, 15))  # pull-in
        done_call = cls.env["mail.activity"].create(
            {
                "res_model_id": cls.env["ir.model"]._get_id("crm.lead"),
                "res_id": cls.deal_c.id,
                "activity_type_id": cls.call.id,
                "user_id": cls.rep.id,
                "date_deadline": date(2026, 3, 27),
            }
        )
        with freeze_time("2026-03-27 11:00:00"):
            done_call.with_user(cls.rep).action_feedback(feedback="Site visit booked")
        cls.env["mail.activity"].create(
            {
                "res_model_id": cls.env["ir.model"]._get_id("crm.lead"),
                "res_id": cls.deal_c.id,
                "activity_type_id": cls.call.id,
                "user_id": cls.rep.id,
                "date_deadline": date(2026, 4, 2),
            }
        )
        cls.deal_d = deal("Won order", "2026-02-02 09:00:00", stage=cls.won_stage)
        cls.deal_e = deal("Robot cell", "2026-03-09 09:00:00", user=cls.rep2)
        cls.deals = cls.deal_a | cls.deal_b | cls.deal_c | cls.deal_d | cls.deal_e

    def _figures(self, deal):
        deal.invalidate_recordset()
        return (
            deal.health_days_in_stage,
            deal.health_slip_count,
            deal.health_days_without_contact,
            deal.health_next_step_overdue,
            deal.health_stale,
        )

    def _found(self, domain):
        return self.env["crm.lead"].search([("id", "in", self.deals.ids), *domain])

    # ------------------------------------------------------------------------------------------
    # The figures
    # ------------------------------------------------------------------------------------------
    @freeze_time(TODAY)
    def test_figures_of_a_known_history(self):
        """days in stage, slips (the shared count of crm_lead_history), days since the last note or done
        activity, overdue next step, stale, as the salesperson reads them"""
        deals = self.deals.with_user(self.rep)
        self.assertEqual(
            self._figures(deals[0]), (56, 3, 10, True, True), "A: long in stage, slipped, overdue"
        )
        self.assertEqual(self._figures(deals[1]), (21, 0, 21, False, True), "B: no contact for 21 days")
        self.assertEqual(
            self._figures(deals[2]), (7, 1, 3, False, False), "C: one slip (the pull-in is none), a call done"
        )
        self.assertEqual(self._figures(deals[3].sudo())[:2], (56, 0))
        self.assertFalse(self.deal_d.health_stale, "a won deal is never stale")
        self.assertEqual(
            self.deal_a._scp_closing_date_moves(), {self.deal_a.id: (3, 0)}, "the same count as the history's"
        )
        self.assertEqual(
            deals[0].health_stale_reason,
            "56 days in Final proposal (limit 30); closing date moved later 3 times (limit 2)",
        )
        self.assertEqual(deals[1].health_stale_reason, "no contact for 21 days (limit 14)")
        self.assertFalse(deals[2].health_stale_reason)
        self.assertEqual(str(self.deal_c.health_last_contact), "2026-03-27 11:00:00", "the call done")

    @freeze_time(TODAY)
    def test_figures_take_as_many_queries_for_two_deals_as_for_five(self):
        def queries(deals):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            deals._health_figures()
            return self.env.cr.sql_log_count - before

        queries(self.deals)  # warm the registry's caches (the tracked field's id...)
        self.assertEqual(queries(self.deal_a | self.deal_b), queries(self.deals))

    @freeze_time(TODAY)
    def test_stale_follows_the_limits_a_manager_sets(self):
        with Form(self.stage.with_user(self.leader)) as stage:
            stage.health_max_days_in_stage = 60
            stage.health_max_slips = 3
            stage.health_max_days_without_contact = 30
        self.deals.invalidate_recordset()
        self.assertFalse(self.deal_a.health_stale, "56 days, 3 slips: within 60 days and 3 slips")
        self.assertFalse(self.deal_b.health_stale, "21 days without contact: within 30")
        self.stage.with_user(self.leader).health_max_slips = 0  # no limit on slips
        self.stage.with_user(self.leader).health_max_days_in_stage = 55
        self.deals.invalidate_recordset()
        self.assertTrue(self.deal_a.health_stale)
        self.assertEqual(self.deal_a.health_stale_reason, "56 days in Final proposal (limit 55)")
        with self.assertRaises(ValidationError):
            self.stage.with_user(self.leader).health_max_days_in_stage = -1

    def test_ladder_stages_have_default_limits(self):
        stage = self.env.ref("sales_cycle_process.stage_ladder_negotiated")
        self.assertEqual(
            (stage.health_max_days_in_stage, stage.health_max_slips, stage.health_max_days_without_contact),
            (14, 1, 7),
        )

    # ------------------------------------------------------------------------------------------
    # The filters
    # ------------------------------------------------------------------------------------------
    @freeze_time(TODAY)
    def test_filters(self):
        self.assertEqual(self._found([("health_stale", "=", True)]), self.deal_a | self.deal_b | self.deal_e)
        self.assertEqual(self._found([("health_stale", "=", False)]), self.deal_c | self.deal_d)
        self.assertEqual(self._found([("health_slip_count", ">", 0)]), self.deal_a | self.deal_c, "Slipped")
        self.assertEqual(
            self._found([("health_days_without_contact", ">=", 14)]),
            self.deal_b | self.deal_d | self.deal_e,
            "No contact for 14 days",
        )
        self.assertEqual(
            self._found([("health_next_step_overdue", "=", True)]), self.deal_a, "Overdue next step"
        )
        self.assertEqual(self._found([("health_days_in_stage", ">", 30)]), self.deal_a | self.deal_d)
        self.assertEqual(self._found([("health_days_in_stage", "=", 21)]), self.deal_b | self.deal_e)
        self.assertEqual(self._found([("health_days_in_stage", "<=", 7)]), self.deal_c)
        Lead = self.env["crm.lead"].with_user(self.rep)
        self.assertEqual(
            Lead.search_count([("id", "in", self.deals.ids), ("health_stale", "=", True)]),
            2,
            "the salesperson's filter: her own stale deals A and B (Bob's E is not hers)",
        )
        # the view's filters are these domains
        arch = self.env["crm.lead"].get_views([(False, "search")])["views"]["search"]["arch"]
        for name in ("health_stale", "health_slipped", "health_no_contact", "health_next_step_overdue"):
            self.assertIn(f'name="{name}"', arch)

    # ------------------------------------------------------------------------------------------
    # What a client may not do
    # ------------------------------------------------------------------------------------------
    def test_salesperson_cannot_set_limits_or_figures(self):
        with self.assertRaises(AccessError):
            self.stage.with_user(self.rep).write({"health_max_slips": 99})
        # any value other than the deal's own is refused (models/crm_lead_server_fields.py)
        with self.assertRaises(AccessError):
            self.deal_a.with_user(self.rep).write({"health_days_in_stage": 9999})
        with self.assertRaises(AccessError):
            self.deal_a.with_user(self.rep).write({"health_slip_count": 0, "name": "Renamed"})
        self.assertNotEqual(self.deal_a.name, "Renamed", "nothing of the refused write is kept")
        with self.assertRaises(AccessError):
            self.env["crm.lead"].with_user(self.rep).create(
                {"name": "Fresh", "type": "opportunity", "health_days_without_contact": 5}
            )
        with self.assertRaises(AccessError):
            self.env["scp.health.digest"].with_user(self.rep).search([])
        with self.assertRaises(AccessError):
            self.env["scp.health.digest"].with_user(self.leader).create(
                {"user_id": self.rep.id, "week": date(2026, 3, 30)}
            )
        with freeze_time(TODAY):
            self.deal_a.invalidate_recordset()
            self.assertEqual(
                self.deal_a.with_user(self.rep).health_slip_count, 3, "still counted from the chatter"
            )

    # ------------------------------------------------------------------------------------------
    # The weekly digest
    # ------------------------------------------------------------------------------------------
    def _mails(self, user):
        return self.env["mail.mail"].search(
            [
                ("model", "=", "res.users"),
                ("res_id", "=", user.id),
                ("recipient_ids", "in", user.partner_id.ids),
            ]
        )

    def _run_digest(self, when=TODAY):
        with freeze_time(when):
            self.env["scp.health.digest"]._cron_health_digest(today=date.fromisoformat(when[:10]))

    def _log(self, user):
        return self.env["scp.health.digest"].search([("user_id", "=", user.id)])

    def test_digest_each_salesperson_their_stale_deals_each_leader_their_teams(self):
        self._run_digest()
        sally, bob, lea = self._mails(self.rep), self._mails(self.rep2), self._mails(self.leader)
        self.assertEqual((len(sally), len(bob), len(lea)), (1, 1, 1))
        self.assertEqual(sally.subject, "Your stale deals this week")
        self.assertIn("Line 4 retrofit", sally.body_html)
        self.assertIn("Press shop", sally.body_html)
        self.assertNotIn("Robot cell", sally.body_html, "Bob's deal is not in Sally's digest")
        self.assertNotIn("Paint booth", sally.body_html, "a healthy deal is in no digest")
        self.assertIn("Robot cell", bob.body_html)
        self.assertNotIn("Line 4 retrofit", bob.body_html)
        for name in ("Line 4 retrofit", "Press shop", "Robot cell"):
            self.assertIn(name, lea.body_html, "the leader gets her team's stale deals")
        self.assertIn("Health Team", lea.body_html)
        # the figures against the limits: 56 days / 30, 3 slips / 2
        self.assertIn("56", sally.body_html)
        self.assertEqual(
            [(log.own_count, log.team_count) for log in (self._log(self.rep), self._log(self.rep2))],
            [(2, 0), (1, 0)],
        )
        self.assertEqual((self._log(self.leader).own_count, self._log(self.leader).team_count), (0, 3))
        self.assertEqual(self._log(self.rep).week, date(2026, 3, 30))

    def test_digest_is_sent_once_a_week(self):
        self._run_digest()
        self._run_digest("2026-03-31 09:00:00")  # a second run, the same week
        self.assertEqual(len(self._mails(self.rep)), 1, "not sent twice the same week")
        self.assertEqual(len(self._log(self.rep)), 1)
        self._run_digest("2026-04-06 09:00:00")  # next Monday
        self.assertEqual(len(self._mails(self.rep)), 2)
        self.assertEqual(self._log(self.rep).mapped("week"), [date(2026, 4, 6), date(2026, 3, 30)])

    def test_digest_off_for_the_company(self):
        with Form(self.env["res.config.settings"]) as settings:
            settings.health_digest_enabled = False
        self.assertFalse(self.company.health_digest_enabled)
        self._run_digest()
        self.assertFalse(self._mails(self.rep) | self._mails(self.leader))

    def test_one_bad_digest_does_not_stop_the_run(self):
        original = ScpHealthDigest._health_digest_send

        def send(model, user, own, teams):
            if user == self.rep:
                raise ValueError("broken mail server")
            return original(model, user, own, teams)

        with (
            patch.object(ScpHealthDigest, "_health_digest_send", send),
            self.assertLogs("odoo.addons.sales_cycle_process.models.scp_health_digest", "WARNING"),
        ):
            self._run_digest()
        self.assertFalse(
            self._mails(self.rep) or self._log(self.rep), "Sally's digest failed: not marked sent"
        )
        self.assertEqual(len(self._mails(self.leader)), 1, "the others get theirs")
        self.assertEqual(len(self._mails(self.rep2)), 1)
        self._run_digest("2026-03-30 10:00:00")  # the next run retries her, and only her
        self.assertEqual(len(self._mails(self.rep)), 1)
        self.assertEqual(len(self._mails(self.leader)), 1)

    def test_demo_deals_are_stale_each_for_its_reason(self):
        """first login: the demo deals show every reason (relative to the install day)"""
        deals = [
            self.env.ref(f"sales_cycle_process.demo_health_deal_{name}", raise_if_not_found=False)
            for name in ("long", "slipped", "silent")
        ]
        if not all(deals):
            self.skipTest("no demo data")
        long, slipped, silent = deals
        self.assertTrue(all(deal.health_stale for deal in deals))
        self.assertIn("days in Purchase intent (limit 45)", long.health_stale_reason)
        self.assertEqual(slipped.health_slip_count, 3)
        self.assertEqual(slipped.health_stale_reason, "closing date moved later 3 times (limit 2)")
        self.assertIn("no contact for", silent.health_stale_reason)
        self.assertTrue(silent.health_next_step_overdue)
        self.assertEqual(
            self.env["crm.lead"].search_count(
                [("id", "in", [d.id for d in deals]), ("health_stale", "=", True)]
            ),
            3,
        )
