# Copyright 2026 sales_cycle_process contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .qpa_common import QpaCase


@tagged("post_install", "-at_install")
class TestQpaApproval(QpaCase):
    def test_settings_refuse_bad_thresholds(self):
        for field, value in (
            ("qpa_discount_threshold", 120),
            ("qpa_total_discount_threshold", 101),
            ("qpa_margin_threshold", 150),
            ("qpa_md_amount_threshold", -1),
            ("qpa_amount_threshold", -5),
            ("qpa_margin_threshold", -1),
            ("qpa_reminder_days", -2),
        ):
            with self.subTest(field=field, value=value), self.assertRaises(ValidationError):
                self.env.company[field] = value
        settings = Form(self.env["res.config.settings"])
        settings.qpa_discount_threshold = 15
        settings.qpa_total_discount_threshold = 8
        settings.save().execute()
        self.assertEqual(self.env.company.qpa_discount_threshold, 15)
        self.assertEqual(self.env.company.qpa_total_discount_threshold, 8)
        settings = Form(self.env["res.config.settings"])
        settings.qpa_discount_threshold = 101
        with self.assertRaises(ValidationError):
            settings.save().execute()

    def test_reasons_in_words(self):
        order = self._quotation(discount=5.0)
        self.assertFalse(order.qpa_required)
        self.assertEqual(order.qpa_state, "not_needed")
        order.order_line.discount = 20
        self.assertTrue(order.qpa_required)
        self.assertIn("line discount of 20", order.qpa_reasons)
        self.assertEqual(order.qpa_state, "to_submit")
        self.assertEqual(order.qpa_levels, "Sales manager")
        order.qpa_non_standard_terms = True
        self.assertIn("non-standard terms", order.qpa_reasons)

    def test_total_discount_margin_and_amount_triggers(self):
        company = self.env.company
        # a lowered unit price counts as a discount off the list price
        order = self._quotation(discount=0.0, price=920.0)
        self.assertAlmostEqual(order.qpa_requested_discount, 8.0)
        self.assertFalse(order.qpa_required)
        company.qpa_total_discount_threshold = 5.0
        self.assertIn("total discount of 8.0 %", order.qpa_reasons)
        company.qpa_total_discount_threshold = 0.0
        self.assertAlmostEqual(order.qpa_margin, (920 - 600) / 920 * 100, places=2)
        company.qpa_margin_threshold = 40.0
        self.assertIn("margin of 34.78 % is below the 40.0 %", order.qpa_reasons)
        company.qpa_margin_threshold = 0.0
        # costs unknown: the margin rule stays quiet
        no_cost = self.env["product.product"].create({"name": "No cost", "list_price": 100.0})
        unknown = self._quotation(discount=0.0, price=10.0, order_line=[(0, 0, {"product_id": no_cost.id})])
        company.qpa_margin_threshold = 40.0
        self.assertFalse(unknown.qpa_margin_known)
        self.assertFalse(unknown.qpa_required)
        # a line without a cost beside one with a cost is left out of the margin: the rule holds
        padded = self._quotation(discount=0.0, price=920.0)
        padded.order_line = [(0, 0, {"product_id": no_cost.id})]
        self.assertTrue(padded.qpa_margin_known)
        self.assertIn("margin of 34.78 % is below the 40.0 %", padded.qpa_reasons)
        company.qpa_margin_threshold = 0.0
        company.qpa_amount_threshold = 900.0
        self.assertTrue(order.qpa_required)
        self.assertIn("untaxed amount of 920.0", order.qpa_reasons)

    def test_non_standard_payment_terms_and_pricelist(self):
        # both rules are opt-in (Settings): switched on here
        self.env.company.write({"qpa_check_payment_terms": True, "qpa_check_pricelist": True})
        order = self._quotation(discount=0.0)
        self.assertFalse(order.qpa_required)
        term = self.env["account.payment.term"].create({"name": "120 days net"})
        order.payment_term_id = term
        self.assertIn("payment terms 120 days net", order.qpa_reasons)
        self.env.company.qpa_standard_payment_term_ids = term
        self.assertFalse(order.qpa_required)
        pricelist = self.env["product.pricelist"].create({"name": "Dealer special"})
        order.pricelist_id = pricelist
        self.assertIn("pricelist Dealer special", order.qpa_reasons)
        self.partner.property_product_pricelist = pricelist
        # the stored decision does not depend on the customer's properties: recomputed here
        self.env.add_to_compute(order._fields["qpa_required"], order)
        self.assertFalse(order.qpa_required)

    def test_discount_above_threshold_blocks_confirmation_until_approved(self):
        order = self._quotation()
        self.assertEqual(order.qpa_state, "to_submit")
        with self.assertRaisesRegex(ValidationError, "needs an approved quote price approval"):
            order.action_confirm()
        self.assertEqual(order.state, "draft")
        order.with_user(self.salesperson).request_validation()
        self.assertEqual(order.qpa_state, "pending")
        self.assertFalse(order.qpa_needs_md)
        with self.assertRaises(ValidationError):
            order.action_confirm()
        order = self._decide(order, self.manager)
        self.assertEqual(order.qpa_state, "approved")
        self.assertAlmostEqual(order.qpa_approved_discount, 15.0)
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_price_change_after_approval_sends_it_back(self):
        order = self._quotation()
        order.with_user(self.salesperson).request_validation()
        order = self._decide(order, self.manager)
        self.assertEqual(order.qpa_state, "approved")
        order.order_line.with_user(self.salesperson).price_unit = 900
        self.assertEqual(order.qpa_state, "to_submit")
        with self.assertRaises(ValidationError):
            order.action_confirm()
        # through the quotation form (a line edited in the order): back again
        order.with_user(self.salesperson).request_validation()
        order = self._decide(order, self.manager)
        with Form(order.with_user(self.salesperson)) as form, form.order_line.edit(0) as line:
            line.price_unit = 800
        self.assertEqual(order.qpa_state, "to_submit")
        self.assertEqual(order.qpa_log_ids.mapped("state"), ["approved", "approved"])
        # adding a line sends it back too
        order.with_user(self.salesperson).request_validation()
        order = self._decide(order, self.manager)
        self.env["sale.order.line"].with_user(self.salesperson).create(
            {"order_id": order.id, "product_id": self.product.id, "price_unit": 1000.0}
        )
        self.assertEqual(order.qpa_state, "to_submit")

    def test_terms_change_after_approval_sends_it_back(self):
        self.env.company.qpa_check_payment_terms = True  # opt-in rule
        order = self._quotation()
        order.with_user(self.salesperson).request_validation()
        order = self._decide(order, self.manager)
        term = self.env["account.payment.term"].create({"name": "90 days net"})
        with Form(order.with_user(self.salesperson)) as form:
            form.payment_term_id = term
        self.assertEqual(order.qpa_state, "to_submit")
        self.assertIn("payment terms 90 days net", order.qpa_reasons)
        self.assertFalse(order.review_ids)
        # a pending QPA whose terms change goes back too; its log row says reset
        order.with_user(self.salesperson).request_validation()
        order.with_user(self.salesperson).qpa_formal_contract = True
        self.assertEqual(order.qpa_state, "to_submit")
        self.assertEqual(order.qpa_log_ids.sorted("id")[-1].state, "reset")

    def test_formal_contract_needs_managing_director(self):
        order = self._quotation(discount=0.0, qpa_formal_contract=True)
        self.assertTrue(order.qpa_required)
        self.assertTrue(order.qpa_needs_md)
        self.assertEqual(order.qpa_levels, "Sales manager, then managing director")
        order.with_user(self.salesperson).request_validation()
        self.assertEqual(len(order.review_ids), 2)
        order = self._decide(order, self.manager)
        self.assertEqual(order.qpa_state, "pending")
        with self.assertRaisesRegex(UserError, "waits for another approver"):
            order.with_user(self.manager).validate_tier()
        with self.assertRaises(ValidationError):
            order.action_confirm()
        order = self._decide(order, self.director)
        self.assertEqual(order.qpa_state, "approved")
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_md_amount_is_compared_in_company_currency(self):
        company_currency = self.env.company.currency_id
        other = self.env["res.currency"].search(
            [("id", "!=", company_currency.id), ("active", "in", (True, False))], limit=1
        )
        other.active = True
        self.env["res.currency.rate"].search([("currency_id", "in", (other | company_currency).ids)]).unlink()
        # 1 company currency = 10 other currency: 500,000 other currency is 50,000 company currency
        self.env["res.currency.rate"].create({"currency_id": other.id, "rate": 10.0, "name": "2000-01-01"})
        pricelist = self.env["product.pricelist"].create({"name": "Foreign", "currency_id": other.id})
        self.env.company.qpa_standard_pricelist_ids = pricelist
        order = self._quotation(price=500000.0, pricelist_id=pricelist.id)
        self.assertEqual(order.currency_id, other)
        self.assertTrue(order.qpa_required)
        self.assertAlmostEqual(order.qpa_amount_company, 42500.0)
        self.assertFalse(order.qpa_needs_md)
        order.order_line.price_unit = 1200000.0
        self.assertAlmostEqual(order.qpa_amount_company, 102000.0)
        self.assertTrue(order.qpa_needs_md)

    def test_large_amount_needs_managing_director(self):
        order = self._quotation(price=200000.0)
        self.assertTrue(order.qpa_needs_md)

    def test_salesperson_cannot_approve_even_own(self):
        order = self._quotation()
        order.with_user(self.salesperson).request_validation()
        with self.assertRaisesRegex(UserError, "their own QPA"):
            order.with_user(self.salesperson).validate_tier()
        with self.assertRaises(UserError):
            order.with_user(self.other_salesperson).validate_tier()
        # not even by writing the review directly
        with self.assertRaises(AccessError):
            order.review_ids.with_user(self.salesperson).write({"status": "approved"})
        self.assertEqual(order.qpa_state, "pending")

    def test_manager_cannot_approve_own_quotation_nor_above_level(self):
        order = self._quotation(user=self.manager)
        order.with_user(self.manager).request_validation()
        with self.assertRaisesRegex(UserError, "their own QPA"):
            order.with_user(self.manager).validate_tier()
        self.assertEqual(order.qpa_state, "pending")
        self.assertNotIn(self.manager, order.review_ids.reviewer_ids)
        # the director approves level 1 of a manager's own quotation
        order = self._decide(order, self.director)
        self.assertEqual(order.qpa_state, "approved")

    def test_rejection_with_comment(self):
        order = self._quotation()
        order.with_user(self.salesperson).request_validation()
        order = self._decide(order, self.manager, comment="Margin too thin, max 12 %.", reject=True)
        self.assertEqual(order.qpa_state, "rejected")
        self.assertEqual(order.review_ids.comment, "Margin too thin, max 12 %.")
        self.assertIn(
            f"rejected by {self.manager.name}: Margin too thin", "".join(order.message_ids.mapped("body"))
        )
        log = order.qpa_log_ids
        self.assertEqual(
            (log.state, log.approver_id, log.comment),
            ("rejected", self.manager, "Margin too thin, max 12 %."),
        )
        self.assertFalse(log.approved_discount)
        with self.assertRaises(ValidationError):
            order.action_confirm()
        # lowering the discount sends it back to be submitted again
        order.order_line.discount = 12
        self.assertEqual(order.qpa_state, "to_submit")

    def test_requested_discount_ignores_included_taxes_and_combo_shares(self):
        self.env.company.qpa_total_discount_threshold = 5.0
        # a price that includes taxes is not a discount off the (tax-included) list price
        tax = self.env["account.tax"].create(
            {"name": "VAT 20 % incl.", "amount": 20.0, "price_include_override": "tax_included"}
        )
        taxed = self.env["product.product"].create(
            {"name": "Taxed Machine", "list_price": 1200.0, "standard_price": 600.0, "taxes_id": tax.ids}
        )
        order = self.env["sale.order"].create(
            {"partner_id": self.partner.id, "order_line": [Command.create({"product_id": taxed.id})]}
        )
        self.assertEqual((order.order_line.price_unit, order.amount_untaxed), (1200.0, 1000.0))
        self.assertAlmostEqual(order.qpa_requested_discount, 0.0)
        self.assertFalse(order.qpa_required)
        order.order_line.discount = 8.0
        self.assertAlmostEqual(order.qpa_requested_discount, 8.0)
        self.assertIn("total discount of 8.0 %", order.qpa_reasons)
        # a combo sold at its list price: its items' shares of the price are not discounts
        items = self.env["product.product"].create(
            [{"name": "Filler", "list_price": 700.0}, {"name": "Capper", "list_price": 500.0}]
        )
        combos = self.env["product.combo"].create(
            [
                {"name": "Filling", "combo_item_ids": [Command.create({"product_id": items[0].id})]},
                {"name": "Capping", "combo_item_ids": [Command.create({"product_id": items[1].id})]},
            ]
        )
        line_product = self.env["product.product"].create(
            {"name": "Bottling Line", "type": "combo", "list_price": 1000.0, "combo_ids": combos.ids}
        )
        order = self.env["sale.order"].create(
            {
                "partner_id": self.partner.id,
                "order_line": [Command.create({"product_id": line_product.id, "price_unit": 0.0})],
            }
        )
        order.order_line = [
            Command.create(
                {
                    "product_id": product.id,
                    "price_unit": price,
                    "combo_item_id": combo.combo_item_ids.id,
                    "linked_line_id": order.order_line.id,
                }
            )
            for product, combo, price in zip(items, combos, (583.33, 416.67), strict=True)
        ]
        self.assertAlmostEqual(order.amount_untaxed, 1000.0)
        self.assertAlmostEqual(order.qpa_requested_discount, 0.0)
        self.assertFalse(order.qpa_required)

    def test_approvers_notified_with_activity_and_message(self):
        activity_type = self.env.ref("sales_cycle_process.mail_activity_type_qpa_approval")
        order = self._quotation(qpa_formal_contract=True)
        order.with_user(self.salesperson).request_validation()
        activities = order.activity_ids.filtered(lambda a: a.activity_type_id == activity_type)
        # level 1 waits for the sales manager; the director gets a to-do at their own level
        self.assertEqual(activities.user_id, self.manager)
        self.assertIn(self.manager.partner_id, order.message_partner_ids)
        self.assertTrue(
            order.message_ids.filtered(lambda m: "A record to be reviewed has been created" in (m.body or ""))
        )
        order = self._decide(order, self.manager)
        activities = order.activity_ids.filtered(lambda a: a.activity_type_id == activity_type)
        self.assertEqual(activities.user_id, self.director)
        order = self._decide(order, self.director)
        self.assertFalse(order.activity_ids.filtered(lambda a: a.activity_type_id == activity_type))
        # each approver's to-do is marked done in the chatter, in their name, not silently removed
        done = order.message_ids.filtered(lambda m: m.mail_activity_type_id == activity_type)
        self.assertEqual(done.author_id, self.manager.partner_id | self.director.partner_id)
        self.assertTrue(all("QPA approved" in (m.body or "") for m in done))

    def test_one_chatter_note_per_decision(self):
        activity_type = self.env.ref("sales_cycle_process.mail_activity_type_qpa_approval")
        order = self._quotation(qpa_formal_contract=True)
        chatter = order.with_user(self.env.user)

        def notes(step):
            """The chatter notes a step posts (the activities marked done and tracking aside)."""
            self.env.flush_all()
            last = max(chatter.message_ids.ids or [0])
            step()
            self.env.flush_all()
            chatter.invalidate_recordset(["message_ids"])
            posted = chatter.message_ids.filtered(
                lambda m: m.id > last and not m.mail_activity_type_id and not m.tracking_value_ids
            )
            self.assertEqual(len(posted), 1, posted.mapped("body"))
            return posted.body

        self.assertIn("A record to be reviewed", notes(order.with_user(self.salesperson).request_validation))
        self.assertIn("A review was accepted", notes(lambda: self._decide(order, self.manager)))
        self.assertIn("approved by", notes(lambda: self._decide(order, self.director, comment="Signed off.")))
        # a change of the approved facts restarts the QPA: one note, keeping the decisions it removes
        note = notes(lambda: order.order_line.write({"discount": 20}))
        self.assertIn("QPA restarted by", note)
        self.assertIn("Signed off.", note)
        order.with_user(self.salesperson).request_validation()
        self.assertIn("rejected by", notes(lambda: self._decide(order, self.manager, reject=True)))
        # a rejected QPA waits for nobody: the managing director's level is cancelled, without a to-do
        self.assertFalse(chatter.activity_ids.filtered(lambda a: a.activity_type_id == activity_type))
        self.assertIn("QPA restarted by", notes(order.with_user(self.salesperson).restart_validation))

    def test_sales_admin_prepares_and_salesperson_submits(self):
        order = self._quotation(qpa_justification=False)
        with Form(order.with_user(self.admin)) as form:
            form.qpa_competition = "Competitor X at -18 %"
            form.qpa_customer_budget = 800
        with self.assertRaisesRegex(UserError, "justification"):
            order.with_user(self.salesperson).request_validation()
        with Form(order.with_user(self.admin)) as form:
            form.qpa_justification = "Strategic account."
        with self.assertRaisesRegex(UserError, "Only the salesperson"):
            order.with_user(self.engineer).request_validation()
        with self.assertRaisesRegex(UserError, "Only the salesperson"):
            order.with_user(self.manager).request_validation()
        order.with_user(self.salesperson).request_validation()
        self.assertEqual(order.qpa_state, "pending")
        # a sales admin may also submit on the salesperson's behalf
        other = self._quotation()
        other.with_user(self.admin).request_validation()
        self.assertEqual(other.qpa_state, "pending")
        self.assertEqual(other.qpa_log_ids.requested_by_id, self.admin)

    def test_send_as_final_blocked_until_approved(self):
        order = self._quotation()
        with self.assertRaisesRegex(UserError, "cannot be sent to the customer as final"):
            order.with_user(self.salesperson).action_quotation_send()
        with self.assertRaisesRegex(UserError, "cannot be sent to the customer as final"):
            order.with_user(self.salesperson).action_quotation_sent()
        self.assertEqual(order.state, "draft")
        order.with_user(self.salesperson).request_validation()
        order = self._decide(order, self.manager)
        order.with_user(self.salesperson).action_quotation_send()
        order.with_user(self.salesperson).action_quotation_sent()
        self.assertEqual(order.state, "sent")

    def test_archived_individual_approver_falls_to_their_group(self):
        self.env.ref("sales_cycle_process.qpa_tier_sales_manager").active = False
        self.env.ref("sales_cycle_process.qpa_tier_managing_director").active = False
        leaver = self.manager.copy({"login": "qpa_leaver", "name": "Leaving Manager"})
        leaver.groups_id = self.env.ref("sales_team.group_sale_manager")
        self.env["tier.definition"].create(
            {
                "name": "QPA: named manager",
                "model_id": self.env["ir.model"]._get_id("sale.order"),
                "review_type": "individual",
                "reviewer_id": leaver.id,
                "definition_type": "domain",
                "definition_domain": "[('qpa_required', '=', True)]",
                "has_comment": True,
            }
        )
        order = self._quotation()
        order.with_user(self.salesperson).request_validation()
        self.assertEqual(order.review_ids.reviewer_ids, leaver)
        with self.assertRaises(UserError):
            order.with_user(self.manager).validate_tier()
        leaver.active = False
        self.assertIn(self.manager, order.review_ids.reviewer_ids)
        self.assertNotIn(leaver, order.review_ids.reviewer_ids)
        order = self._decide(order, self.manager)
        self.assertEqual(order.qpa_state, "approved")

    def test_opportunity_shows_qpa(self):
        lead = self.env["crm.lead"].create(
            {"name": "QPA deal", "type": "opportunity", "partner_id": self.partner.id}
        )
        order = self._quotation(opportunity_id=lead.id)
        self.assertFalse(lead.qpa_approved)
        self.assertEqual(lead.qpa_state, "to_submit")
        order.with_user(self.salesperson).request_validation()
        lead.invalidate_recordset(["qpa_state", "qpa_order_count"])
        self.assertEqual(lead.qpa_state, "pending")
        self.assertEqual(lead.qpa_order_count, 1)
        self._decide(order, self.manager)
        lead.invalidate_recordset(["qpa_approved", "qpa_state"])
        self.assertTrue(lead.qpa_approved)
        self.assertEqual(lead.qpa_state, "approved")
        self.assertTrue(lead.commit_discount_approved)
        bodies = "".join(lead.message_ids.mapped("body"))
        self.assertIn("QPA requested on", bodies)
        self.assertIn(f"approved by {self.manager.name}", bodies)
        action = lead.action_view_qpa_orders()
        self.assertEqual(self.env["sale.order"].search(action["domain"]), order)
