# Copyright 2026 sales_cycle_process contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Issue 13 (Trust), QPA reviews: who decides, what only the server does, portal, companies, uninstall,
and what an RPC client gets back. Each attack acts as the role, with the values a client could send."""

import xmlrpc.client

from odoo import Command, api, fields
from odoo.addons.base.controllers.rpc import dumps as xmlrpc_dumps
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged

from ..hooks import uninstall_hook
from .qpa_common import QpaCase


@tagged("post_install", "-at_install")
class TestTrustQpaReviews(QpaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager2 = new_test_user(cls.env, "qpa_manager2", groups="sales_team.group_sale_manager")

    def _submitted(self, user=None, **vals):
        order = self._quotation(user=user, **vals)
        order.with_user(user or self.salesperson).request_validation()
        self.assertEqual(order.qpa_state, "pending")
        return order.with_env(self.env)

    def _md_order(self):
        return self._submitted(discount=0.0, qpa_formal_contract=True)

    def _wizard(self, order, user, reviews, decision="validate", comment="OK for me."):
        """tier validation's comment wizard, filled by hand the way an RPC client can."""
        return (
            self.env["comment.wizard"]
            .with_user(user)
            .create(
                {
                    "res_model": "sale.order",
                    "res_id": order.id,
                    "review_ids": [Command.set(reviews.ids)],
                    "validate_reject": decision,
                    "comment": comment,
                }
            )
        )

    def _reassign(self, order, user):
        """The quotation changes hands after submission (whatever the path)."""
        self.env.cr.execute("UPDATE sale_order SET user_id = %s WHERE id = %s", (user.id, order.id))
        order.invalidate_recordset(["user_id"])

    def _assert_still_pending(self, order):
        order.invalidate_recordset()
        self.assertEqual(order.qpa_state, "pending")
        self.assertFalse(order.review_ids.filtered(lambda r: r.status == "approved"))

    # ------------------------------------------------------------------
    # 1. Nobody approves or rejects their own QPA, on any path
    # ------------------------------------------------------------------
    def test_own_qpa_is_refused_on_every_path(self):
        order = self._submitted()
        review = order.review_ids
        as_sales = order.with_user(self.salesperson)
        with self.assertRaisesRegex(UserError, "their own QPA"):
            as_sales.validate_tier()
        with self.assertRaisesRegex(UserError, "their own QPA"):
            as_sales.reject_tier()
        for decision in ("validate", "reject"):
            with self.assertRaises(AccessError):
                self._wizard(order, self.salesperson, review, decision).add_comment()
        with self.assertRaises(AccessError):
            review.with_user(self.salesperson).write(
                {"status": "approved", "done_by": self.salesperson.id, "reviewed_date": fields.Datetime.now()}
            )
        # _validate_tier reached any other way, also in sudo: the deciding user still owns the quotation
        with self.assertRaisesRegex(UserError, "their own QPA"):
            as_sales._validate_tier()
        with self.assertRaisesRegex(UserError, "their own QPA"):
            as_sales.sudo()._rejected_tier(review)
        # a decision recorded in the salesperson's name is refused even in sudo
        with self.assertRaises(AccessError):
            review.sudo().write({"status": "approved", "done_by": self.salesperson.id})
        self._assert_still_pending(order)
        # the approver still decides
        order = self._decide(order, self.manager)
        self.assertEqual(order.qpa_state, "approved")
        self.assertEqual(order.review_ids.qpa_salesperson_id, self.salesperson)

    def test_salesperson_at_submission_never_decides_after_a_reassignment(self):
        # a sales admin submits for manager 1, then the deal goes to another salesperson
        order = self._quotation(user=self.manager)
        order.with_user(self.admin).request_validation()
        self.assertEqual(order.review_ids.requested_by, self.admin)
        self.assertEqual(order.review_ids.qpa_salesperson_id, self.manager)
        self.assertNotIn(self.manager, order.review_ids.reviewer_ids)
        self._reassign(order, self.salesperson)
        with self.assertRaisesRegex(UserError, "their own QPA"):
            order.with_user(self.manager).validate_tier()
        with self.assertRaises(AccessError):
            self._wizard(order, self.manager, order.review_ids).add_comment()
        self._assert_still_pending(order)
        order = self._decide(order, self.manager2)
        self.assertEqual(order.qpa_state, "approved")

    def test_new_salesperson_who_is_a_manager_cannot_decide(self):
        # decided: a deal that became a manager's is their own deal, so its QPA goes to another manager
        order = self._submitted()
        self._reassign(order, self.manager)
        with self.assertRaisesRegex(UserError, "their own QPA"):
            order.with_user(self.manager).validate_tier()
        with self.assertRaisesRegex(UserError, "their own QPA"):
            order.with_user(self.manager).reject_tier()
        with self.assertRaises(AccessError):
            self._wizard(order, self.manager, order.review_ids).add_comment()
        with self.assertRaises(AccessError):
            order.review_ids.with_user(self.manager).write(
                {"status": "approved", "done_by": self.manager.id, "reviewed_date": fields.Datetime.now()}
            )
        self._assert_still_pending(order)
        order = self._decide(order, self.manager2)
        self.assertEqual(order.qpa_state, "approved")

    def test_comment_wizard_cannot_carry_another_quotations_levels(self):
        own = self._submitted(user=self.manager)
        other = self._submitted()
        # the manager opens the wizard on a quotation they approve, with the levels of their own
        with self.assertRaisesRegex(UserError, "another quotation"):
            self._wizard(other, self.manager, own.review_ids).add_comment()
        with self.assertRaisesRegex(UserError, "another quotation"):
            other.with_user(self.manager)._validate_tier(own.review_ids)
        self._assert_still_pending(own)

    # ------------------------------------------------------------------
    # 2. Reviews: only the server creates, restarts and decides them
    # ------------------------------------------------------------------
    def test_no_client_creates_a_qpa_review(self):
        order = self._quotation()
        definition = self.env.ref("sales_cycle_process.qpa_tier_sales_manager")
        vals = {"model": "sale.order", "res_id": order.id, "definition_id": definition.id, "sequence": 1}
        for user in (self.salesperson, self.admin, self.manager, self.director):
            with self.assertRaises(AccessError):
                self.env["tier.review"].with_user(user).create(dict(vals, requested_by=user.id))
        # nor through the order, nor by turning another model's review into a QPA review
        with self.assertRaises(AccessError):
            order.with_user(self.salesperson).write({"review_ids": [Command.create(vals)]})
        partner_review = (
            self.env["tier.review"]
            .with_user(self.salesperson)
            .create({"model": "res.partner", "res_id": self.partner.id})
        )
        with self.assertRaises(AccessError):
            partner_review.write({"model": "sale.order", "res_id": order.id, "status": "approved"})
        self.assertFalse(order.review_ids)
        self.assertEqual(order.qpa_state, "to_submit")
        # submitting creates them on the server, in the name of who submitted
        reviews = order.with_user(self.salesperson).request_validation()
        self.assertEqual(reviews, order.review_ids)
        self.assertEqual(reviews.requested_by, self.salesperson)
        self.assertEqual(reviews.qpa_salesperson_id, self.salesperson)
        self.assertFalse(reviews.env.su, "the caller gets the reviews in their own environment")

    def test_client_cannot_write_what_the_server_decides_on_the_order(self):
        order = self._submitted()
        for vals in (
            {"qpa_state": "approved"},
            {"qpa_required": False},
            {"validation_status": "validated"},
            {"review_ids": [Command.clear()]},
        ):
            with self.assertRaisesRegex(AccessError, "set by the server"):
                order.with_user(self.salesperson).write(vals)
        with self.assertRaisesRegex(AccessError, "set by the server"):
            self.env["sale.order"].with_user(self.salesperson).create(
                {"partner_id": self.partner.id, "qpa_state": "approved", "qpa_required": False}
            )
        self._assert_still_pending(order)

    def test_decided_level_is_frozen_for_everyone(self):
        order = self._md_order()
        order = self._decide(order, self.manager, comment="Level 1 fine.")
        decided = order.review_ids.filtered(lambda r: r.status == "approved")
        before = decided.read(["status", "done_by", "reviewed_date", "comment"])
        for user in (self.manager, self.director, self.salesperson):
            for vals in (
                {"comment": "Rewritten."},
                {"reviewed_date": "2020-01-01 00:00:00"},
                {"done_by": user.id},
                {"status": "pending"},
            ):
                with self.assertRaises(AccessError):
                    decided.with_user(user).write(vals)
        with self.assertRaises(AccessError):
            decided.sudo().write({"comment": "Rewritten in sudo."})
        # the comment wizard writes the comment first: refused on a decided level
        with self.assertRaises(AccessError):
            self._wizard(order, self.director, decided, comment="Rewritten.").add_comment()
        decided.invalidate_recordset()
        self.assertEqual(decided.read(["status", "done_by", "reviewed_date", "comment"]), before)

    def test_levels_are_decided_in_their_turn(self):
        order = self._md_order()
        md_level = order.review_ids.filtered(
            lambda r: r.definition_id.reviewer_group_id == self.director_group
        )
        # the director approves level 2 before level 1 through a hand-made wizard
        with self.assertRaisesRegex(AccessError, "level before it"):
            self._wizard(order, self.director, md_level).add_comment()
        with self.assertRaisesRegex(AccessError, "level before it"):
            md_level.with_user(self.director).write(
                {"status": "approved", "done_by": self.director.id, "reviewed_date": fields.Datetime.now()}
            )
        self._assert_still_pending(order)
        # a sales manager is not an approver of level 2
        order = self._decide(order, self.manager)
        with self.assertRaises(AccessError):
            self._wizard(order, self.manager, md_level).add_comment()
        order = self._decide(order, self.director)
        self.assertEqual(order.qpa_state, "approved")

    @property
    def director_group(self):
        return self.env.ref("sales_cycle_process.group_managing_director")

    def test_restart_checks_the_caller_and_keeps_the_history(self):
        order = self._submitted()
        # another user of the sales team (all quotations) cannot erase someone else's QPA
        with self.assertRaisesRegex(UserError, "Only the salesperson"):
            order.with_user(self.engineer).restart_validation()
        with self.assertRaises(AccessError):
            order.with_user(self.other_salesperson).restart_validation()
        self.assertTrue(order.review_ids)
        # the salesperson restarts a pending QPA of theirs: the log says so
        self.assertIs(order.with_user(self.salesperson).restart_validation(), True)
        self.assertFalse(order.review_ids)
        self.assertEqual(order.qpa_log_ids.mapped("state"), ["reset"])
        # an approved QPA: not by the salesperson nor a sales admin; a sales manager may, and the
        # chatter keeps who approved, when and why
        order.with_user(self.salesperson).request_validation()
        order = self._decide(order, self.manager, comment="Strategic, fine.")
        for user in (self.salesperson, self.admin):
            with self.assertRaisesRegex(UserError, "is approved"):
                order.with_user(user).restart_validation()
        self.assertEqual(order.qpa_state, "approved")
        order.with_user(self.manager2).restart_validation()
        self.assertEqual(order.qpa_state, "to_submit")
        note = order.message_ids.filtered(lambda m: "QPA restarted by" in (m.body or ""))[:1]
        self.assertIn(self.manager2.name, note.body)
        self.assertIn(f"Approved by {self.manager.name}", note.body)
        self.assertIn("Strategic, fine.", note.body)
        self.assertEqual(order.qpa_log_ids.sorted("id")[-1].state, "approved", "the log keeps the decision")

    def test_portal_reads_no_review(self):
        order = self._submitted()
        portal = new_test_user(self.env, "qpa_portal", groups="base.group_portal")
        public = self.env.ref("base.public_user")
        for user in (portal, public):
            Review = self.env["tier.review"].with_user(user)
            self.assertFalse(Review.search([]))
            with self.assertRaises(AccessError):
                Review.browse(order.review_ids.ids).read(["comment", "done_by", "status"])

    def test_tier_definitions_belong_to_their_company(self):
        ours = self.env.ref("sales_cycle_process.qpa_tier_sales_manager") | self.env.ref(
            "sales_cycle_process.qpa_tier_managing_director"
        )
        self.assertEqual(ours.company_id, self.env.ref("base.main_company"))
        company_b = self.env["res.company"].create({"name": "QPA Company B"})
        company_b.qpa_discount_threshold = 10.0
        user_b = new_test_user(
            self.env,
            "qpa_sales_b",
            groups="sales_team.group_sale_salesman",
            company_id=company_b.id,
            company_ids=[Command.set(company_b.ids)],
        )
        manager_b = new_test_user(
            self.env,
            "qpa_manager_b",
            groups="sales_team.group_sale_manager",
            company_id=company_b.id,
            company_ids=[Command.set(company_b.ids)],
        )
        # company B's users do not read company A's definitions
        Definition = self.env["tier.definition"].with_user(user_b)
        self.assertFalse(Definition.search([("model", "=", "sale.order")]))
        with self.assertRaises(AccessError):
            Definition.browse(ours.ids).read(["definition_domain"])
        # company A's definitions do not apply to company B's quotations: submitting says so
        order_b = (
            self.env["sale.order"]
            .with_user(user_b)
            .with_company(company_b)
            .create(
                {
                    "partner_id": self.partner.id,
                    "company_id": company_b.id,
                    "user_id": user_b.id,
                    "qpa_justification": "Local competitor.",
                    "order_line": [Command.create({"product_id": self.product.id, "discount": 20.0})],
                }
            )
        )
        self.assertTrue(order_b.qpa_required)
        with self.assertRaisesRegex(UserError, "No QPA approval level applies"):
            order_b.request_validation()
        self.assertFalse(order_b.sudo().review_ids)
        # company B gets its own level: only it applies, and company B's manager approves
        definition_b = ours[0].copy({"company_id": company_b.id, "name": "QPA company B"})
        order_b.invalidate_recordset(["need_validation"])  # a new request in real life
        order_b.request_validation()
        self.assertEqual(order_b.sudo().review_ids.definition_id, definition_b)
        order_a = self._submitted()
        self.assertNotIn(definition_b, order_a.review_ids.definition_id)
        self.assertFalse(self.env["tier.review"].with_user(user_b).search([("res_id", "=", order_a.id)]))
        order_b = self._decide(order_b.with_user(manager_b), manager_b)
        self.assertEqual(order_b.qpa_state, "approved")

    # ------------------------------------------------------------------
    # 3. Uninstalling leaves no order blocked by orphan reviews
    # ------------------------------------------------------------------
    def test_uninstall_hook_removes_the_qpa_reviews_and_definitions(self):
        pending = self._submitted()
        rejected = self._decide(self._submitted(), self.manager, reject=True)
        approved = self._decide(self._submitted(), self.manager)
        copied = self.env.ref("sales_cycle_process.qpa_tier_sales_manager").copy({"name": "QPA copy"})
        other = self.env["tier.definition"].create(
            {"name": "Big partners", "model_id": self.env["ir.model"]._get_id("res.partner")}
        )
        uninstall_hook(self.env)
        orders = pending | rejected | approved
        orders.invalidate_recordset()
        self.assertFalse(self.env["tier.review"].search([("model", "=", "sale.order")]))
        self.assertFalse(self.env["tier.definition"].search([("definition_domain", "ilike", "qpa_")]))
        self.assertFalse(copied.exists())
        self.assertTrue(other.exists(), "definitions of other models stay")
        # tier validation no longer holds any of them back
        self.assertEqual(set(orders.mapped("validation_status")), {"no"})
        self.assertFalse(any(orders.mapped("need_validation")))

    # ------------------------------------------------------------------
    # 4. External clients get the truth: every button returns what XML-RPC carries
    # ------------------------------------------------------------------
    def _rpc(self, user, model, method, ids, *args, **kwargs):
        """Call the method the way Odoo's RPC does (odoo.api.call_kw), then marshal the result with the
        XML-RPC endpoint's marshaller (odoo.addons.base.controllers.rpc.dumps: allow_none=False, no
        recordsets); return the result as the client reads it."""
        env = api.Environment(self.env.cr, user.id, {})
        result = api.call_kw(env[model], method, [ids, *args], kwargs)
        body = xmlrpc_dumps((result,))
        return xmlrpc.client.loads(body)[0][0]

    def test_rpc_clients_get_a_value_they_can_read(self):
        order = self._md_order()
        order.with_user(self.salesperson).restart_validation()
        self.assertIs(self._rpc(self.salesperson, "sale.order", "request_validation", order.ids), True)
        action = self._rpc(self.manager, "sale.order", "validate_tier", order.ids)
        self.assertEqual(action["res_model"], "comment.wizard")
        wizard = self.env["comment.wizard"].with_user(self.manager).with_context(**action["context"])
        wizard = wizard.create({"comment": "Fine."})
        self.assertIs(self._rpc(self.manager, "comment.wizard", "add_comment", wizard.ids), True)
        action = self._rpc(self.director, "sale.order", "reject_tier", order.ids)
        self.assertEqual(action["res_model"], "comment.wizard")
        self.assertIs(self._rpc(self.salesperson, "sale.order", "restart_validation", order.ids), True)
        # the buttons of the addon, all parts
        lead = self.env["crm.lead"].create(
            {"name": "QPA deal", "type": "opportunity", "user_id": self.manager.id}
        )
        order.opportunity_id = lead
        self.assertEqual(
            self._rpc(self.salesperson, "crm.lead", "action_view_qpa_orders", lead.ids)["res_model"],
            "sale.order",
        )
        for method in ("action_ladder_open_probability_override", "action_ladder_open_stage_force"):
            self.assertIn("res_model", self._rpc(self.manager, "crm.lead", method, lead.ids))
        self.assertIs(self._rpc(self.manager, "crm.lead", "action_set_automated_probability", lead.ids), True)
        corrective = self.env["scp.corrective.action"].create(
            {
                "name": "Fix the filler",
                "order_id": order.id,
                "owner_id": self.salesperson.id,
                "date_due": fields.Date.today(),
                # closing needs the outcome (#18): it is e-mailed to the customer
                "outcome": "<p>The filler was adjusted on site.</p>",
            }
        )
        for method in ("action_start", "action_done", "action_reopen", "action_cancel"):
            self.assertIs(self._rpc(self.manager, "scp.corrective.action", method, corrective.ids), True)
        self.assertIn(
            "domain", self._rpc(self.manager, "sale.order", "action_view_corrective_actions", order.ids)
        )
        self.assertIn(
            "domain",
            self._rpc(self.manager, "res.partner", "action_view_corrective_actions", self.partner.ids),
        )
        report = self._rpc(self.manager, "sale.order", "action_print_welcome_letter", order.ids)
        self.assertEqual(report["type"], "ir.actions.report")
        # the satisfaction call is recorded on confirmed orders
        confirmed = self._quotation(discount=0.0)
        confirmed.action_confirm()
        self.assertIs(self._rpc(self.manager, "sale.order", "action_satisfaction_ok", confirmed.ids), True)
        self.assertEqual(
            self._rpc(self.manager, "sale.order", "action_satisfaction_not_ok", confirmed.ids)["res_model"],
            "scp.corrective.action",
        )
        commit_line = self.env["scp.commit.wizard.line"].create(
            {"wizard_id": self.env["scp.commit.wizard"].create({}).id, "lead_id": lead.id}
        )
        for method in ("action_to_upside", "action_to_commit"):
            self.assertIs(self._rpc(self.manager, "scp.commit.wizard.line", method, commit_line.ids), True)


@tagged("post_install", "-at_install")
class TestQpaPortalPage(HttpCase):
    """The customer opens a quotation under QPA in the portal: the page renders, the reviews stay hidden."""

    def test_portal_page_renders_and_reviews_stay_hidden(self):
        self.env.company.qpa_discount_threshold = 10.0
        salesperson = new_test_user(self.env, "qpa_portal_sales", groups="sales_team.group_sale_salesman")
        portal = new_test_user(
            self.env, "qpa_portal_customer", password="qpa_portal_customer", groups="base.group_portal"
        )
        product = self.env["product.product"].create({"name": "Portal Machine", "list_price": 1000.0})
        order = (
            self.env["sale.order"]
            .with_user(salesperson)
            .create(
                {
                    "partner_id": portal.partner_id.id,
                    "user_id": salesperson.id,
                    "qpa_justification": "Key account.",
                    "order_line": [Command.create({"product_id": product.id, "discount": 20.0})],
                }
            )
        )
        order.with_user(salesperson).request_validation()
        self.assertEqual(order.qpa_state, "pending")
        self.authenticate("qpa_portal_customer", "qpa_portal_customer")
        response = self.url_open(f"/my/orders/{order.id}?access_token={order._portal_ensure_token()}")
        self.assertEqual(response.status_code, 200)
        self.assertIn(order.name, response.text)
        reviews = self.make_jsonrpc_request(
            "/web/dataset/call_kw/tier.review/search_read",
            {
                "model": "tier.review",
                "method": "search_read",
                "args": [[]],
                "kwargs": {"fields": ["comment", "status"]},
            },
        )
        self.assertEqual(reviews, [])
