# Copyright 2026 sales_cycle_process contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Issue #13, QPA: confirmation is decided from the order's facts and its reviews, on every path."""

import json

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, HttpCase, tagged

from .qpa_common import QpaCase

# what an RPC client could add to its call's context
CLIENT_CONTEXT = {
    "skip_validation_check": True,
    "skip_check_state_condition": True,
    "proforma": True,
    "tier_validation_defer_compute_can_review": True,
}


@tagged("post_install", "-at_install")
class TestTrustQpaConfirm(QpaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.write({"qpa_check_payment_terms": False, "qpa_check_pricelist": False})
        # the discount wizard's product exists (an administrator creates it the first time)
        cls.env.company.sale_discount_product_id = cls.env["product.product"].create(
            {"name": "QPA Discount", "type": "service", "list_price": 0.0, "taxes_id": False}
        )
        cls.product.taxes_id = False

    def _approved(self, **vals):
        order = self._quotation(**vals)
        order.with_user(self.salesperson).request_validation()
        order = self._decide(order, self.manager)
        self.assertEqual(order.qpa_state, "approved")
        return order

    def _as_client(self, order, user=None):
        return order.with_user(user or self.salesperson).with_context(**CLIENT_CONTEXT)

    # ------------------------------------------------------------------
    # 2. the decision fields are the server's
    # ------------------------------------------------------------------
    def test_client_cannot_write_the_decision_fields(self):
        order = self._quotation()
        forged = {
            "qpa_required": False,
            "qpa_needs_md": False,
            "qpa_state": "approved",
            "qpa_requested_discount": 0.0,
            "qpa_margin": 90.0,
            "qpa_margin_known": False,
            "qpa_amount_company": 1.0,
            "qpa_approved_discount": 15.0,
            "validation_status": "validated",
            "review_ids": [Command.clear()],
            "qpa_log_ids": [Command.clear()],
        }
        for field, value in forged.items():
            with self.subTest(field=field), self.assertRaisesRegex(AccessError, "set by the server"):
                self._as_client(order).write({field: value})
        with self.assertRaisesRegex(AccessError, "set by the server"):
            self.env["sale.order"].with_user(self.salesperson).create(
                {"partner_id": self.partner.id, "qpa_state": "approved", "qpa_required": False}
            )
        order.invalidate_recordset()
        self.assertTrue(order.qpa_required)
        self.assertEqual(order.qpa_state, "to_submit")
        # the quotation form still creates and saves quotations (it sends the empty list of reviews)
        with Form(self.env["sale.order"].with_user(self.salesperson)) as form:
            form.partner_id = self.partner
            with form.order_line.new() as line:
                line.product_id = self.product
        self.assertEqual(form.record.qpa_state, "not_needed")
        # the computes still work when the facts change
        order.order_line.with_user(self.salesperson).discount = 5.0
        self.assertFalse(order.qpa_required)
        self.assertEqual(order.qpa_state, "not_needed")
        # the submitted facts are the server's too: salespeople only read the QPA log
        order.order_line.with_user(self.salesperson).discount = 15.0
        order.with_user(self.salesperson).request_validation()
        log = order.qpa_log_ids
        self.assertTrue(log.fingerprint)
        with self.assertRaises(AccessError):
            log.with_user(self.salesperson).write({"state": "approved", "fingerprint": "x"})

    # ------------------------------------------------------------------
    # 1. every confirmation path decides from the facts
    # ------------------------------------------------------------------
    def test_confirm_decides_from_facts_not_from_stored_flags(self):
        order = self._quotation()
        # even with the stored flags forced (as if a client had written them), the facts decide
        order.sudo().write(
            {"qpa_required": False, "qpa_state": "not_needed", "validation_status": "validated"}
        )
        self.assertFalse(order.qpa_required)
        with self.assertRaisesRegex(ValidationError, "line discount of 15"):
            self._as_client(order).action_confirm()
        with self.assertRaisesRegex(ValidationError, "needs an approved quote price approval"):
            self._as_client(order).write({"state": "sale"})
        with self.assertRaises(ValidationError):
            order.with_user(self.salesperson)._action_confirm()
        self.assertFalse(order.with_user(self.salesperson)._has_to_be_signed())
        self.assertFalse(order.with_user(self.salesperson)._has_to_be_paid())
        self.assertEqual(order.state, "draft")
        # a quotation that needs no QPA confirms as in Odoo
        plain = self._quotation(discount=5.0)
        self._as_client(plain).action_confirm()
        self.assertEqual(plain.state, "sale")

    def test_client_context_keys_unlock_nothing(self):
        order = self._quotation()
        order.with_user(self.salesperson).request_validation()
        # under validation, the client's skip_validation_check changes no QPA field
        with self.assertRaises(AccessError):
            self._as_client(order).write({"qpa_state": "approved"})
        with self.assertRaises(ValidationError):
            self._as_client(order).action_confirm()
        with self.assertRaises(ValidationError):
            self._as_client(order).write({"state": "sale"})
        # tier validation's own check still applies: the client's key does not skip it
        with self.assertRaisesRegex(ValidationError, "not allowed to write those fields under validation"):
            self._as_client(order).write({"client_order_ref": "PO-1"})
        self.assertEqual((order.state, order.qpa_state), ("draft", "pending"))
        # a confirmed order does not get new reviews from a client's skip_check_state_condition
        confirmed = self._quotation(discount=5.0)
        confirmed.action_confirm()
        confirmed.order_line = [Command.create({"product_id": self.product.id, "discount": 20.0})]
        self.assertTrue(confirmed.qpa_required)
        self._as_client(confirmed).request_validation()
        # not even when server code runs the call in sudo with the client's context
        self._as_client(confirmed).sudo().request_validation()
        self.assertFalse(confirmed.review_ids)
        self.assertEqual(confirmed.qpa_state, "not_needed")

    def test_server_action_cannot_confirm(self):
        order = self._quotation()
        action = self.env["ir.actions.server"].create(
            {
                "name": "Confirm quotations",
                "model_id": self.env["ir.model"]._get_id("sale.order"),
                "state": "code",
                "code": "records.write({'state': 'sale'})",
            }
        )
        runner = action.with_user(self.salesperson).with_context(
            active_model="sale.order", active_ids=order.ids, active_id=order.id, **CLIENT_CONTEXT
        )
        with self.assertRaises(ValidationError):
            runner.run()
        action.code = "records.action_confirm()"
        with self.assertRaises(ValidationError):
            runner.run()
        self.assertEqual(order.state, "draft")

    def test_copy_of_an_approved_order_needs_its_own_approval(self):
        order = self._approved()
        copy = order.with_user(self.salesperson).copy()
        self.assertFalse(copy.review_ids)
        self.assertFalse(copy.sudo().qpa_log_ids)
        self.assertEqual(copy.qpa_state, "to_submit")
        with self.assertRaises(ValidationError):
            self._as_client(copy).action_confirm()
        order.with_user(self.salesperson).action_confirm()
        self.assertEqual(order.state, "sale")

    def test_payment_does_not_confirm_an_unapproved_quotation(self):
        provider = self.env["payment.provider"].create(
            {
                "name": "QPA Dummy Provider",
                "code": "none",
                "state": "test",
                "payment_method_ids": [Command.set(self.env.ref("payment.payment_method_unknown").ids)],
            }
        )
        order = self._quotation(require_payment=True, prepayment_percent=1.0)

        def pay(reference):
            return (
                self.env["payment.transaction"]
                .sudo()
                .create(
                    {
                        "provider_id": provider.id,
                        "payment_method_id": self.env.ref("payment.payment_method_unknown").id,
                        "reference": reference,
                        "amount": order.amount_total,
                        "currency_id": order.currency_id.id,
                        "partner_id": self.partner.id,
                        "operation": "online_redirect",
                        "sale_order_ids": [Command.set(order.ids)],
                        "state": "done",
                    }
                )
            )

        tx = pay("QPA-TX-1")
        self.assertFalse(tx._check_amount_and_confirm_order())
        self.assertEqual(order.state, "draft")
        self.assertIn("stays a quotation", order.message_ids[0].body)
        # once approved, the payment confirms as in Odoo
        order.with_user(self.salesperson).request_validation()
        order = self._decide(order, self.manager)
        self.assertEqual(pay("QPA-TX-2")._check_amount_and_confirm_order(), order)
        self.assertEqual(order.state, "sale")

    # ------------------------------------------------------------------
    # 3. an approval is bound to the approved facts
    # ------------------------------------------------------------------
    def test_changes_the_old_restart_missed_send_it_back(self):
        other = self.env["res.partner"].create({"name": "Other Customer"})
        # the quotations deliver to the customer's first delivery address: the second one is a change
        delivery = self.env["res.partner"].create(
            [
                {"name": name, "parent_id": self.partner.id, "type": "delivery"}
                for name in ("Main site", "Second site")
            ]
        )[1]
        packaging = self.env["product.packaging"].create(
            {"name": "Box of 10", "product_id": self.product.id, "qty": 10}
        )
        changes = [
            ("customer", lambda o: o.write({"partner_id": other.id})),
            ("delivery address", lambda o: o.write({"partner_shipping_id": delivery.id})),
            ("packaging", lambda o: o.order_line.write({"product_packaging_id": packaging.id})),
            ("formal contract", lambda o: o.write({"qpa_formal_contract": True})),
        ]
        for name, change in changes:
            with self.subTest(change=name):
                order = self._approved()
                change(order.with_user(self.salesperson).with_context(**CLIENT_CONTEXT))
                self.assertFalse(order.review_ids, name)
                self.assertEqual(order.qpa_state, "to_submit", name)
                with self.assertRaises(ValidationError):
                    self._as_client(order).action_confirm()

    def test_a_change_that_slips_past_the_restart_is_refused_at_confirmation(self):
        order = self._approved()
        line = order.order_line
        # a change the restart did not see (written under the ORM's hooks)
        self.env.cr.execute(
            "UPDATE sale_order_line SET discount = 40, price_subtotal = 600 WHERE id = %s", [line.id]
        )
        self.env.cr.execute("UPDATE sale_order SET amount_untaxed = 600 WHERE id = %s", [order.id])
        order.invalidate_recordset()
        line.invalidate_recordset()
        self.assertTrue(order.review_ids)
        self.assertEqual(set(order.review_ids.mapped("status")), {"approved"})
        with self.assertRaisesRegex(ValidationError, "line discount of 40"):
            self._as_client(order).action_confirm()
        self.assertFalse(order.with_user(self.salesperson)._has_to_be_signed())
        # the status shown is recomputed from the same facts
        self.env.add_to_compute(order._fields["qpa_state"], order)
        self.assertEqual(order.qpa_state, "to_submit")

    def test_unchanged_facts_keep_the_approval(self):
        order = self._approved()
        # writing the same values keeps it
        order.order_line.with_user(self.salesperson).write({"discount": 15.0, "price_unit": 1000.0})
        order.with_user(self.salesperson).write({"partner_id": self.partner.id})
        self.assertEqual(order.qpa_state, "approved")
        order.with_user(self.salesperson).action_confirm()
        self.assertEqual(order.state, "sale")

    # ------------------------------------------------------------------
    # 4. Odoo's discount wizard, typed prices, zero-cost lines
    # ------------------------------------------------------------------
    def _apply_discount(self, order, user, **vals):
        wizard = (
            self.env["sale.order.discount"]
            .with_user(user)
            .with_context(active_id=order.id)
            .create({"sale_order_id": order.id, **vals})
        )
        return wizard.action_apply_discount()

    def test_discount_wizard_global_discount_is_a_discount(self):
        order = self._quotation(discount=0.0)
        self.assertFalse(order.qpa_required)
        self.assertEqual(
            self._apply_discount(
                order, self.salesperson, discount_type="so_discount", discount_percentage=0.4
            ),
            True,
        )
        self.assertAlmostEqual(order.amount_untaxed, 600.0)
        self.assertAlmostEqual(order.qpa_requested_discount, 40.0)
        self.assertTrue(order.qpa_required)
        self.assertIn("line discount of 40.0 %", order.qpa_reasons)
        with self.assertRaises(ValidationError):
            self._as_client(order).action_confirm()

    def test_discount_wizard_fixed_amount_is_a_discount(self):
        order = self._quotation(discount=0.0)
        self._apply_discount(order, self.salesperson, discount_type="amount", discount_amount=400.0)
        self.assertAlmostEqual(order.amount_untaxed, 600.0)
        self.assertAlmostEqual(order.qpa_requested_discount, 40.0)
        self.assertIn("line discount of 40.0 %", order.qpa_reasons)

    def test_discount_wizard_on_an_approved_quotation_sends_it_back(self):
        order = self._approved()
        self._apply_discount(order, self.salesperson, discount_type="so_discount", discount_percentage=0.3)
        self.assertEqual(order.qpa_state, "to_submit")
        self.assertFalse(order.review_ids)
        order = self._approved()
        self._apply_discount(order, self.salesperson, discount_type="sol_discount", discount_percentage=0.4)
        self.assertEqual(order.qpa_state, "to_submit")
        with self.assertRaises(ValidationError):
            self._as_client(order).action_confirm()

    def test_typed_lower_unit_price_is_a_line_discount(self):
        order = self._quotation(discount=0.0, price=850.0)
        self.assertTrue(order.qpa_required)
        self.assertIn("line discount of 15.0 %", order.qpa_reasons)
        self.assertAlmostEqual(order.qpa_requested_discount, 15.0)
        with self.assertRaises(ValidationError):
            self._as_client(order).action_confirm()
        # a price above the proposed one is no discount
        order.order_line.price_unit = 1100.0
        self.assertFalse(order.qpa_required)

    def test_zero_cost_line_does_not_switch_the_margin_rule_off(self):
        self.env.company.qpa_margin_threshold = 20.0
        order = self._quotation(discount=0.0, price=700.0)
        self.assertAlmostEqual(order.qpa_margin, (700 - 600) / 700 * 100, places=2)
        self.assertTrue(order.qpa_required)
        service = self.env["product.product"].create(
            {"name": "Free set-up", "type": "service", "list_price": 0.0}
        )
        padding = self.env["product.product"].create(
            {"name": "Training", "type": "service", "list_price": 5000.0}
        )
        order.order_line = [
            Command.create({"product_id": service.id, "price_unit": 0.0}),
            Command.create({"product_id": padding.id, "price_unit": 5000.0}),
        ]
        # lines without a cost are left out: the margin of the machine stays what it is
        self.assertTrue(order.qpa_margin_known)
        self.assertAlmostEqual(order.qpa_margin, (700 - 600) / 700 * 100, places=2)
        self.assertIn("margin of 14.29 %", order.qpa_reasons)
        with self.assertRaises(ValidationError):
            self._as_client(order).action_confirm()

    # ------------------------------------------------------------------
    # 5. proforma and other context keys do not send an unapproved quotation as final
    # ------------------------------------------------------------------
    def test_proforma_is_sent_without_marking_the_quotation_sent(self):
        order = self._quotation()
        client = self._as_client(order)
        with self.assertRaisesRegex(UserError, "cannot be sent to the customer as final"):
            client.action_quotation_sent()
        with self.assertRaisesRegex(UserError, "cannot be sent to the customer as final"):
            client.write({"state": "sent"})
        with self.assertRaisesRegex(UserError, "cannot be sent to the customer as final"):
            client.with_context(mark_so_as_sent=True).message_post(body="Your quotation")
        with self.assertRaisesRegex(UserError, "cannot be sent to the customer as final"):
            order.with_user(self.salesperson).action_quotation_send()
        # the pro-forma e-mail itself goes, the order stays a draft
        action = order.with_user(self.salesperson).with_context(proforma=True).action_quotation_send()
        self.assertFalse(action["context"].get("mark_so_as_sent"))
        composer = Form(
            self.env["mail.compose.message"].with_user(self.salesperson).with_context(**action["context"])
        )
        composer.save().action_send_mail()
        self.assertEqual(order.state, "draft")
        self.assertIn(self.partner, order.message_ids[0].partner_ids)

    # ------------------------------------------------------------------
    # 6. everyday orders: pricelist and payment term rules are opt-in
    # ------------------------------------------------------------------
    def test_pricelist_and_payment_term_rules_are_opt_in(self):
        company = self.env.company
        own = self.env["product.pricelist"].create({"name": "Customer list"})
        pricelist = self.env["product.pricelist"].create({"name": "Company list"})
        term = self.env["account.payment.term"].create({"name": "45 days"})
        self.partner.property_product_pricelist = own
        order = self._quotation(discount=0.0, pricelist_id=pricelist.id, payment_term_id=term.id)
        self.assertEqual(order.pricelist_id, pricelist)
        self.assertFalse(order.qpa_required)
        self._as_client(order).action_confirm()
        self.assertEqual(order.state, "sale")
        settings = Form(self.env["res.config.settings"])
        settings.qpa_check_pricelist = True
        settings.qpa_check_payment_terms = True
        settings.save().execute()
        self.assertTrue(company.qpa_check_pricelist and company.qpa_check_payment_terms)
        order = self._quotation(discount=0.0, pricelist_id=pricelist.id, payment_term_id=term.id)
        self.assertIn("pricelist Company list", order.qpa_reasons)
        self.assertIn("payment terms 45 days", order.qpa_reasons)
        with self.assertRaises(ValidationError):
            self._as_client(order).action_confirm()
        # the customer's own pricelist and terms are standard
        self.partner.write({"property_product_pricelist": pricelist.id, "property_payment_term_id": term.id})
        self.assertEqual(order._qpa_reason_list(), [])
        self._as_client(order).action_confirm()
        self.assertEqual(order.state, "sale")

    def test_settings_are_bounded_with_a_sentence(self):
        company = self.env.company
        with self.assertRaisesRegex(ValidationError, "between 0 and 100"):
            company.qpa_discount_threshold = 120
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            company.qpa_total_discount_threshold = -1

    # ------------------------------------------------------------------
    # 7. a quotation with a QPA history is not deleted, with a sentence
    # ------------------------------------------------------------------
    def test_deleting_a_quotation_with_qpa_history_says_why(self):
        order = self._quotation()
        order.with_user(self.salesperson).request_validation()
        order.with_user(self.salesperson).action_cancel()
        with self.assertRaisesRegex(UserError, "cancel it instead of deleting it"):
            order.with_user(self.manager).unlink()
        with self.assertRaises(AccessError):
            order.with_user(self.salesperson).unlink()
        self.assertTrue(order.exists())
        # without a QPA history, deleting works as in Odoo
        plain = self._quotation(discount=0.0)
        plain.with_user(self.manager).unlink()
        self.assertFalse(plain.exists())


@tagged("post_install", "-at_install")
class TestTrustQpaPortal(HttpCase, QpaCase):
    def test_portal_accept_route_does_not_confirm_an_unapproved_quotation(self):
        order = self._quotation(require_signature=True, require_payment=False)
        # even with the stored flags forced, the facts decide
        order.sudo().write({"qpa_required": False, "qpa_state": "not_needed"})
        token = order.sudo()._portal_ensure_token()
        response = self.url_open(
            f"/my/orders/{order.id}/accept",
            data=json.dumps(
                {"params": {"access_token": token, "name": "Customer", "signature": "R0lGODlhAQABAAAAACw="}}
            ),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response.json()["result"], {"error": "The order is not in a state requiring customer signature."}
        )
        order.invalidate_recordset()
        self.assertEqual(order.state, "draft")
