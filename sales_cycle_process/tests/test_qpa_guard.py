# Copyright 2026 sales_cycle_process contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .qpa_common import QpaCase


@tagged("post_install", "-at_install")
class TestQpaGuard(QpaCase):
    """Every internal user may write tier.review (OCA's access rows): the QPA stays unbypassable."""

    def _md_order(self):
        order = self._quotation(discount=0.0, qpa_formal_contract=True)
        order.with_user(self.salesperson).request_validation()
        self.assertEqual(len(order.review_ids), 2)
        self.assertEqual(len(order.qpa_log_ids), 1, "two levels, one submission: one log row")
        return order

    def test_salesperson_cannot_forge_an_approved_review(self):
        order = self._quotation()
        definition = self.env["tier.definition"].search([("model", "=", "sale.order")], limit=1)
        Review = self.env["tier.review"].with_user(self.salesperson)
        with self.assertRaises(AccessError):
            Review.create(
                {
                    "model": "sale.order",
                    "res_id": order.id,
                    "definition_id": definition.id,
                    "status": "approved",
                    "done_by": self.salesperson.id,
                    "reviewed_date": fields.Datetime.now(),
                }
            )
        with self.assertRaises(AccessError):
            Review.create(
                {
                    "model": "sale.order",
                    "res_id": order.id,
                    "definition_id": definition.id,
                    "requested_by": self.manager.id,
                }
            )
        self.assertEqual(order.qpa_state, "to_submit")
        with self.assertRaises(ValidationError):
            order.action_confirm()

    def test_salesperson_cannot_delete_rewrite_or_cancel_levels(self):
        order = self._md_order()
        order = self._decide(order, self.manager)
        md_review = order.review_ids.filtered(lambda r: r.status != "approved")
        with self.assertRaises(UserError):
            md_review.with_user(self.salesperson).unlink()
        with self.assertRaises(AccessError):
            md_review.with_user(self.salesperson).write({"reviewer_ids": [(6, 0, self.salesperson.ids)]})
        with self.assertRaises(AccessError):
            md_review.with_user(self.salesperson).write({"status": "cancel"})
        with self.assertRaises(AccessError):
            md_review.with_user(self.salesperson).write({"status": "approved", "done_by": self.director.id})
        # a decided level stays decided
        with self.assertRaises(AccessError):
            order.review_ids[0].with_user(self.salesperson).write({"status": "pending"})
        order.invalidate_recordset()
        self.assertEqual(len(order.review_ids), 2)
        self.assertEqual(order.qpa_state, "pending")
        with self.assertRaises(ValidationError):
            order.action_confirm()

    def test_cancelled_level_is_not_an_approval(self):
        order = self._md_order()
        order = self._decide(order, self.manager)
        order.review_ids.filtered(lambda r: r.status != "approved").sudo().status = "cancel"
        self.assertEqual(order.qpa_state, "pending")
        with self.assertRaises(ValidationError):
            order.action_confirm()

    def test_engine_paths_still_work_for_users(self):
        # rejection cancels the waiting MD level as the manager
        order = self._md_order()
        order = self._decide(order, self.manager, reject=True)
        self.assertEqual(order.qpa_state, "rejected")
        self.assertEqual(set(order.review_ids.mapped("status")), {"rejected", "cancel"})
        # a price change resets the reviews as the salesperson
        order.order_line.with_user(self.salesperson).discount = 5
        self.assertFalse(order.review_ids)
        order.with_user(self.salesperson).request_validation()
        order.with_user(self.salesperson).restart_validation()
        self.assertFalse(order.review_ids)
        self.assertEqual(order.qpa_state, "to_submit")
        # cancelling and deleting a quotation with reviews
        order.with_user(self.salesperson).request_validation()
        order.with_user(self.salesperson).action_cancel()
        self.assertFalse(order.review_ids)
        order.with_user(self.salesperson).action_draft()
        order.with_user(self.salesperson).request_validation()
        # a quotation with a QPA history is cancelled, not deleted: the QPA log keeps it
        with self.assertRaisesRegex(UserError, "cancel it instead of deleting it"):
            order.with_user(self.manager).unlink()
        self.assertTrue(order.exists())
        self.assertEqual(len(order.qpa_log_ids), 4)
        self.assertTrue(order.review_ids)

    def test_portal_offers_no_sign_nor_pay_before_approval(self):
        order = self._quotation(require_signature=True, require_payment=True, prepayment_percent=1.0)
        self.assertFalse(order._has_to_be_signed())
        self.assertFalse(order._has_to_be_paid())
        order.with_user(self.salesperson).request_validation()
        self.assertFalse(order._has_to_be_signed())
        self.assertFalse(order._has_to_be_paid())
        order = self._decide(order, self.manager)
        self.assertTrue(order._has_to_be_signed())
        self.assertTrue(order._has_to_be_paid())

    def test_accountant_reads_the_order_qpa_fields(self):
        accountant = new_test_user(
            self.env, "qpa_accountant", groups="base.group_user,account.group_account_invoice"
        )
        order = self._quotation()
        order.with_user(self.salesperson).request_validation()
        order = self._decide(order, self.manager)
        # the web client reads the order with the fields of the form it gets
        arch = order.with_user(accountant).get_views([(False, "form")])["views"]["form"]["arch"]
        arch = arch.decode() if isinstance(arch, bytes) else arch
        self.assertNotIn("qpa_log_ids", arch)
        self.assertIn("qpa_approved_discount", arch)
        qpa_fields = [name for name in order._fields if name.startswith("qpa_") and name != "qpa_log_ids"]
        values = order.with_user(accountant).web_read({name: {} for name in qpa_fields})[0]
        self.assertEqual(values["qpa_state"], "approved")
        self.assertAlmostEqual(values["qpa_approved_discount"], 15.0)
        with self.assertRaises(AccessError):
            order.with_user(accountant).read(["qpa_log_ids"])
        # every field this addon puts on the order and partner forms reads for them (after-sales included)
        for record in (order, order.partner_id):
            record = record.with_user(accountant)
            form = record.get_views([(False, "form")])
            ours = {
                name: {}
                for name in form["models"][record._name]["fields"]
                if record._fields[name]._module == "sales_cycle_process"
                and record._fields[name].type not in ("one2many", "many2many", "many2one")
            }
            self.assertTrue(ours)
            self.assertEqual(record.web_read(ours)[0]["id"], record.id)

    def test_confirmed_order_is_past_the_qpa(self):
        order = self._quotation(discount=5.0)
        order.action_confirm()
        self.env["sale.order.line"].with_user(self.salesperson).create(
            {"order_id": order.id, "product_id": self.product.id, "discount": 20.0}
        )
        self.assertTrue(order.qpa_required)
        self.assertEqual(order.qpa_state, "not_needed")
        action = order.with_user(self.salesperson).action_quotation_send()
        self.assertEqual(action["res_model"], "mail.compose.message")

    def test_zero_threshold_switches_the_rule_off(self):
        company = self.env.company
        company.qpa_discount_threshold = 0.0
        order = self._quotation(discount=20.0)
        self.assertFalse(order.qpa_required)
        self.assertEqual(order.qpa_state, "not_needed")
        company.qpa_md_amount_threshold = 0.0
        order.qpa_non_standard_terms = True
        self.assertTrue(order.qpa_required)
        self.assertFalse(order.qpa_needs_md)
        self.assertEqual(order.qpa_levels, "Sales manager")

    def test_section_and_note_lines_keep_the_approval(self):
        order = self._quotation()
        order.with_user(self.salesperson).request_validation()
        order = self._decide(order, self.manager)
        Line = self.env["sale.order.line"].with_user(self.salesperson)
        section = Line.create({"order_id": order.id, "display_type": "line_section", "name": "Options"})
        note = Line.create({"order_id": order.id, "display_type": "line_note", "name": "Delivery in May"})
        self.assertEqual(order.qpa_state, "approved")
        (section | note).unlink()
        self.assertEqual(order.qpa_state, "approved")
        self.assertEqual(order.qpa_log_ids.mapped("state"), ["approved"])
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_cancelled_quotation_closes_its_pending_qpa(self):
        order = self._quotation()
        order.with_user(self.salesperson).request_validation()
        activity_type = self.env.ref("sales_cycle_process.mail_activity_type_qpa_approval")
        todos = order.activity_ids.filtered(lambda a: a.activity_type_id == activity_type)
        self.assertEqual(todos.user_id, self.manager)
        order.with_user(self.salesperson)._action_cancel()
        self.assertEqual(order.state, "cancel")
        self.assertEqual(order.qpa_log_ids.mapped("state"), ["reset"])
        self.assertFalse(order.activity_ids.filtered(lambda a: a.activity_type_id == activity_type))

    def test_salesperson_sees_only_own_log_rows(self):
        order = self._quotation()
        order.user_id = False
        order._qpa_log_submission()
        self.assertEqual(len(order.qpa_log_ids), 1)
        Log = self.env["scp.qpa.log"]
        self.assertFalse(Log.with_user(self.other_salesperson).search([("order_id", "=", order.id)]))
