"""Issue #18, items 1-3: the flowchart's customer responses, AE calls and visits (and the SM visit), the
technical proposal and the quote, walked as the sales admin, the salesperson, the sales manager and the
application engineer would, with what a client could send instead."""

import base64
from datetime import timedelta
from unittest.mock import patch

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from .ladder_common import LadderCase


class RespondCase(LadderCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = new_test_user(
            cls.env, "respond_admin", groups="sales_cycle_process.group_sales_admin", name="Ada Admin"
        )
        cls.leader = new_test_user(
            cls.env, "respond_leader", groups="sales_team.group_sale_salesman_all_leads", name="Lee Leader"
        )
        cls.team.write({"user_id": cls.leader.id, "member_ids": [Command.link(cls.salesperson.id)]})
        cls.company.write(
            {
                "respond_user_id": cls.admin.id,
                "respond_response_days": 3,
                "respond_sm_visit_threshold": 100000.0,
                "engineering_review_user_id": cls.engineer.id,
            }
        )
        cls.bingo = cls.env.ref("sales_cycle_process.utm_source_ladder_bingo_cards")
        cls.trade_show = cls.env.ref("sales_cycle_process.utm_source_ladder_trade_shows")
        cls.types = {
            name: cls.env.ref(f"sales_cycle_process.mail_activity_type_respond_{name}")
            for name in (
                "customer",
                "advise",
                "ae_call",
                "ae_visit",
                "sm_visit",
                "technical_proposal",
                "quote",
            )
        }
        cls.today = fields.Date.context_today(cls.env["crm.lead"])

    def _activities(self, lead, name):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "crm.lead"),
                ("res_id", "in", lead.ids),
                ("activity_type_id", "=", self.types[name].id),
            ]
        )

    def _inbound(self, user=None, source=None, **vals):
        env = self.env(user=user or self.admin)
        return env["crm.lead"].create(
            {
                "name": "Bingo card: brochure request",
                "type": "lead",
                "team_id": self.team.id,
                "user_id": self.salesperson.id,
                "source_id": (source or self.bingo).id,
                **vals,
            }
        )


@tagged("post_install", "-at_install")
class TestRespondToCustomer(RespondCase):
    """Item 1: customer responses → log, advise the SM, respond."""

    def test_response_channel_lead_gets_the_admin_response_and_advises_the_manager(self):
        # the sales admin logs a bingo card; a trade-show lead is not a customer response
        lead = self._inbound()
        other = self._inbound(source=self.trade_show, name="Met at the trade show")
        self.assertTrue(lead.respond_channel)
        self.assertFalse(other.respond_channel)
        respond = self._activities(lead, "customer")
        self.assertEqual(len(respond), 1)
        self.assertEqual(respond.user_id, self.admin)
        self.assertEqual(respond.date_deadline, self.today + timedelta(days=3), "the company's 3 days")
        self.assertIn("literature", respond.note)
        advise = self._activities(lead, "advise")
        self.assertEqual(advise.user_id, self.leader, "the team leader is advised")
        self.assertIn("Bingo cards", advise.note)
        self.assertIn("Ada Admin", advise.note)
        self.assertFalse(self._activities(other, "customer") | self._activities(other, "advise"))

    def test_no_admin_set_a_sales_admin_of_the_company_responds(self):
        self.company.respond_user_id = False
        lead = self._inbound(user=self.salesperson)
        respond = self._activities(lead, "customer")
        self.assertTrue(respond.user_id.has_group("sales_cycle_process.group_sales_admin"))

    def test_a_client_cannot_make_a_lead_a_customer_response(self):
        # respond_channel is computed from the source: a client's other value is refused
        with self.assertRaises(AccessError):
            self._inbound(user=self.salesperson, source=self.trade_show, respond_channel=True)
        lead = self._inbound(user=self.salesperson, source=self.trade_show)
        self.assertFalse(lead.respond_channel)
        self.assertFalse(self._activities(lead, "customer"))
        with self.assertRaises(AccessError):
            lead.with_user(self.salesperson).write({"respond_channel": True})
        # the form re-sending the value it shows changes nothing
        lead.with_user(self.salesperson).write({"respond_channel": False, "description": "Called back"})
        self.assertFalse(lead.respond_channel)

    def test_an_import_of_many_leads_is_planned_in_one_batch(self):
        Activity = type(self.env["mail.activity"])
        Lead = type(self.env["crm.lead"])
        with (
            patch.object(
                Activity, "_scp_create_activities", autospec=True, side_effect=Activity._scp_create_activities
            ) as batch,
            patch.object(
                Lead, "_respond_sales_admins", autospec=True, side_effect=Lead._respond_sales_admins
            ) as admins,
        ):
            leads = self.env(user=self.admin)["crm.lead"].create(
                [
                    {
                        "name": f"Reply card {n}",
                        "type": "lead",
                        "team_id": self.team.id,
                        "source_id": self.bingo.id,
                    }
                    for n in range(40)
                ]
            )
        self.assertEqual(batch.call_count, 1, "one create for the whole import")
        self.assertEqual(admins.call_count, 1, "one look-up of the sales admins")
        self.assertEqual(len(self._activities(leads, "customer")), 40)
        self.assertEqual(len(self._activities(leads, "advise")), 40)

    def test_overdue_responses_are_a_filter(self):
        late, on_time = self._inbound(), self._inbound(name="Email: quote request")
        self._activities(late, "customer").date_deadline = self.today - timedelta(days=1)
        Lead = self.env(user=self.leader)["crm.lead"]
        overdue = Lead.search([("respond_overdue", "=", True), ("id", "in", (late | on_time).ids)])
        self.assertEqual(overdue, late)
        self.assertTrue(late.respond_overdue)
        self.assertFalse(on_time.respond_overdue)
        self.assertEqual(
            Lead.search([("respond_overdue", "=", False), ("id", "in", (late | on_time).ids)]), on_time
        )
        # answered: not overdue any more
        self._activities(late, "customer").with_user(self.admin).action_feedback(feedback="Brochure sent")
        late.invalidate_recordset(["respond_overdue"])
        self.assertFalse(late.respond_overdue)

    def test_send_literature_mails_the_products_documents(self):
        product = self.env["product.template"].create({"name": "Servo press SP-400"})
        self.env["product.document"].create(
            {
                "name": "SP-400 brochure.txt",
                "raw": b"400 t servo press",
                "res_model": "product.template",
                "res_id": product.id,
            }
        )
        customer = self.env["res.partner"].create({"name": "Nordic Sinks", "email": "buy@nordic.example.com"})
        lead = self._inbound(partner_id=customer.id, respond_product_tmpl_ids=[Command.link(product.id)])
        action = lead.with_user(self.admin).action_respond_send_literature()
        composer_env = self.env(user=self.admin, context=action["context"])
        with Form(composer_env["mail.compose.message"]) as composer:
            self.assertEqual(composer.attachment_ids[0].name, "SP-400 brochure.txt")
        composer.record.action_send_mail()
        message = lead.message_ids.filtered(lambda m: m.attachment_ids)[:1]
        self.assertEqual(message.attachment_ids.mapped("name"), ["SP-400 brochure.txt"])
        self.assertEqual(message.attachment_ids.raw, b"400 t servo press")
        self.assertIn(customer, message.partner_ids)
        self.assertEqual(len(product.product_document_ids), 1, "the product keeps its own document")


@tagged("post_install", "-at_install")
class TestRespondApplicationEngineer(RespondCase):
    """Item 2: AE calls and visits requested by the SM; the SM visit suggested by the ladder."""

    def test_team_leader_requests_a_visit_and_the_report_advises_him(self):
        lead = self._new_lead()
        action = lead.with_user(self.leader).action_respond_request_ae()
        wizard_env = self.env(user=self.leader, context=action["context"])
        with Form(wizard_env["scp.ae.request.wizard"]) as wizard:
            self.assertEqual(wizard.kind, "call")
            self.assertIn("resolve the open issues", wizard.agenda)
            wizard.kind = "visit"
            self.assertEqual(wizard.summary, "Visit the customer to qualify them technically")
            self.assertIn("contact the buying influences", wizard.agenda)
            wizard.engineer_id = self.engineer
        wizard.record.action_request()
        visit = self._activities(lead, "ae_visit")
        self.assertEqual(visit.user_id, self.engineer)
        self.assertEqual(visit.request_partner_id, self.leader.partner_id)
        self.assertIn("overcome the technical objections", visit.note)

        # the engineer marks it done: a report is required, then lands on the deal for the leader
        with self.assertRaises(UserError):
            visit.with_user(self.engineer).action_feedback(feedback="")
        visit.with_user(self.engineer).action_feedback(
            feedback="Application fits.\nObjection on noise answered."
        )
        self.assertFalse(visit.exists())
        report = lead.message_ids.filtered(lambda m: "AE visit report by Erin Engineer" in (m.body or ""))
        self.assertEqual(len(report), 1)
        self.assertIn("Objection on noise answered.", report.body)
        self.assertIn(self.leader.partner_id, report.partner_ids, "the requester is advised")

    def test_a_salesperson_cannot_request_an_engineer(self):
        lead = self._new_lead()
        wizard = self.env(user=self.salesperson)["scp.ae.request.wizard"].create(
            {"lead_id": lead.id, "kind": "call", "engineer_id": self.engineer.id}
        )
        with self.assertRaises(AccessError):
            wizard.action_request()
        # nor by creating the activity directly over RPC
        with self.assertRaises(AccessError):
            self.env(user=self.salesperson)["mail.activity"].create(
                {
                    "res_model_id": self.env["ir.model"]._get_id("crm.lead"),
                    "res_id": lead.id,
                    "activity_type_id": self.types["ae_call"].id,
                    "user_id": self.engineer.id,
                }
            )
        self.assertFalse(self._activities(lead, "ae_call"))

    def test_only_an_application_engineer_can_be_asked(self):
        lead = self._new_lead()
        wizard = self.env(user=self.manager)["scp.ae.request.wizard"].create(
            {"lead_id": lead.id, "kind": "call", "engineer_id": self.salesperson.id}
        )
        with self.assertRaises(UserError):
            wizard.action_request()
        call = self._activities(lead, "ae_call")
        self.assertFalse(call)
        # a sales manager retypes a to-do into an AE call for the salesperson: refused as well
        todo = self.env(user=self.manager)["mail.activity"].create(
            {
                "res_model_id": self.env["ir.model"]._get_id("crm.lead"),
                "res_id": lead.id,
                "activity_type_id": self.env.ref("mail.mail_activity_data_todo").id,
                "user_id": self.salesperson.id,
            }
        )
        with self.assertRaises(UserError):
            todo.write({"activity_type_id": self.types["ae_call"].id})

    def test_sm_visit_suggested_for_big_or_strategic_deals_in_company_currency(self):
        eur = self.env.ref("base.EUR")
        eur.active = True
        self.env["res.currency.rate"].create(
            {"name": self.today, "rate": 0.5, "currency_id": eur.id, "company_id": self.company.id}
        )
        small = self._new_lead(expected_revenue=60000.0)
        big = self._new_lead(expected_revenue=150000.0)
        # 60,000 EUR are 120,000 in the company's USD: above the 100,000 threshold
        big_in_eur = self._new_lead(expected_revenue=60000.0, revenue_currency_id=eur.id)
        self.assertFalse(small.respond_sm_visit_suggested)
        self.assertTrue(big.respond_sm_visit_suggested)
        self.assertIn("150,000.00", big.respond_sm_visit_reason)
        self.assertEqual(big_in_eur.expected_revenue_company, 120000.0)
        self.assertTrue(big_in_eur.respond_sm_visit_suggested)
        # the salesperson can neither flag the deal strategic nor set the suggestion itself
        with self.assertRaises(AccessError):
            small.with_user(self.salesperson).write({"respond_strategic": True})
        with self.assertRaises(AccessError):
            small.with_user(self.salesperson).write({"respond_sm_visit_suggested": True})
        self.assertFalse(small.respond_sm_visit_suggested)
        # the team leader flags it strategic
        small.with_user(self.leader).write({"respond_strategic": True})
        self.assertTrue(small.respond_sm_visit_suggested)
        self.assertEqual(small.respond_sm_visit_reason, "strategic deal")
        found = self.env(user=self.leader)["crm.lead"].search(
            [("respond_sm_visit_suggested", "=", True), ("id", "in", (small | big | big_in_eur).ids)]
        )
        self.assertEqual(found, small | big | big_in_eur)
        # won: no visit to suggest any more
        big.action_set_won()
        self.assertFalse(big.respond_sm_visit_suggested)


@tagged("post_install", "-at_install")
class TestRespondProposalAndQuote(RespondCase):
    """Item 3: the technical proposal with Engineering and the sales admin's quote."""

    def _document(self, lead, name="Technical proposal.txt", raw=b"Quick die change in 8 min"):
        return self.env(user=self.engineer)["ir.attachment"].create(
            {"name": name, "raw": raw, "res_model": "crm.lead", "res_id": lead.id}
        )

    def test_technical_proposal_goes_to_engineering_and_onto_the_quotation(self):
        lead = self._new_lead(partner_id=self.env["res.partner"].create({"name": "Acme"}).id)
        with Form(lead.with_user(self.salesperson)) as form:
            form.respond_technical_proposal = True
        with Form(lead.with_user(self.salesperson)) as form:  # ticked again: still one activity
            form.respond_technical_proposal = False
        lead.with_user(self.salesperson).respond_technical_proposal = True
        proposal = self._activities(lead, "technical_proposal")
        self.assertEqual(len(proposal), 1)
        self.assertEqual(proposal.user_id, self.engineer, "the engineering reviewer, never the salesperson")
        # no document yet: the engineer cannot close it
        with self.assertRaises(UserError):
            proposal.with_user(self.engineer).action_feedback(feedback="Done")
        first = self._document(lead)
        lead.with_user(self.engineer).write({"respond_proposal_attachment_ids": [Command.link(first.id)]})
        proposal.with_user(self.engineer).action_feedback(feedback="Proposal attached")
        self.assertFalse(proposal.exists())

        # the salesperson's quotation carries the proposal; a later revision is added once
        order = self.env(user=self.salesperson)["sale.order"].create(
            {"partner_id": lead.partner_id.id, "opportunity_id": lead.id}
        )
        carried = self.env["ir.attachment"].search(
            [("res_model", "=", "sale.order"), ("res_id", "=", order.id)]
        )
        self.assertEqual(carried.mapped("name"), ["Technical proposal.txt"])
        self.assertEqual(carried.raw, b"Quick die change in 8 min")
        second = self._document(lead, name="Technical proposal rev B.txt", raw=b"rev B")
        lead.with_user(self.engineer).write({"respond_proposal_attachment_ids": [Command.link(second.id)]})
        lead.with_user(self.engineer).write({"respond_proposal_attachment_ids": [Command.link(second.id)]})
        carried = self.env["ir.attachment"].search(
            [("res_model", "=", "sale.order"), ("res_id", "=", order.id)]
        )
        self.assertEqual(
            sorted(carried.mapped("name")), ["Technical proposal rev B.txt", "Technical proposal.txt"]
        )

    def test_a_client_cannot_carry_a_document_it_may_not_read(self):
        # a file of somebody else's (here a private one): the server would copy it onto the quotation
        secret = self.env["ir.attachment"].create({"name": "payroll.txt", "raw": b"salaries"})
        lead = self._new_lead(partner_id=self.env["res.partner"].create({"name": "Acme"}).id)
        order = self.env(user=self.salesperson)["sale.order"].create(
            {"partner_id": lead.partner_id.id, "opportunity_id": lead.id}
        )
        with self.assertRaises(AccessError):
            lead.with_user(self.salesperson).write(
                {"respond_proposal_attachment_ids": [Command.link(secret.id)]}
            )
        with self.assertRaises(AccessError):
            self.env(user=self.salesperson)["crm.lead"].create(
                {"name": "Forged", "respond_proposal_attachment_ids": [Command.link(secret.id)]}
            )
        # nor by marking the engineer's proposal activity done: that is the engineer's, not hers
        lead.with_user(self.salesperson).respond_technical_proposal = True
        proposal = self._activities(lead, "technical_proposal")
        with self.assertRaises(AccessError):
            proposal.with_user(self.salesperson).action_feedback(feedback="Done", attachment_ids=secret.ids)
        with self.assertRaises(AccessError):
            proposal.with_user(self.engineer).action_feedback(feedback="Done", attachment_ids=secret.ids)
        self.assertFalse(
            self.env["ir.attachment"].search_count(
                [("res_model", "=", "sale.order"), ("res_id", "=", order.id)]
            )
        )
        self.assertTrue(proposal.exists(), "still to do")

    def test_proposal_uploaded_when_marking_done(self):
        lead = self._new_lead()
        lead.with_user(self.salesperson).respond_technical_proposal = True
        proposal = self._activities(lead, "technical_proposal")
        upload = self.env(user=self.engineer)["ir.attachment"].create(
            {
                "name": "proposal.pdf",
                "datas": base64.b64encode(b"%PDF"),
                "res_model": "mail.activity",
                "res_id": proposal.id,
            }
        )
        proposal.with_user(self.engineer).action_feedback(feedback="See attached", attachment_ids=upload.ids)
        self.assertEqual(lead.respond_proposal_attachment_ids, upload)

    def test_sales_admin_prepares_and_transmits_the_quote(self):
        lead = self._new_lead(partner_id=self.env["res.partner"].create({"name": "Acme"}).id)
        other_seller = new_test_user(self.env, "respond_other", groups="sales_team.group_sale_salesman")
        with self.assertRaises(AccessError):
            lead.with_user(other_seller).action_respond_request_quote()
        lead.with_user(self.salesperson).action_respond_request_quote()
        lead.with_user(self.salesperson).action_respond_request_quote()
        quote = self._activities(lead, "quote")
        self.assertEqual(len(quote), 1, "requested twice, planned once")
        self.assertEqual(quote.user_id, self.admin)
        self.assertIn("transmit it to the customer", quote.note)
        # the sales admin prepares the quotation and sends it: the activity is done
        order = self.env(user=self.admin)["sale.order"].create(
            {"partner_id": lead.partner_id.id, "opportunity_id": lead.id}
        )
        order.with_user(self.admin).action_quotation_sent()
        self.assertEqual(order.state, "sent")
        self.assertFalse(quote.exists())
        done = lead.message_ids.filtered(lambda m: order.name in (m.body or "") and "transmitted" in m.body)
        self.assertEqual(len(done), 1)
