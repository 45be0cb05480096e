# Copyright 2026 sales_cycle_process contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

QPA_STATES = [
    ("not_needed", "Not Needed"),
    ("to_submit", "To Submit"),
    ("pending", "Pending Approval"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
]

# line fields whose change after a request sends the QPA back to approval
QPA_LINE_PRICE_FIELDS = {"price_unit", "discount", "product_uom_qty", "product_id"}


class SaleOrder(models.Model):
    _inherit = "sale.order"

    qpa_non_standard_terms = fields.Boolean(
        string="Non-standard Terms",
        tracking=True,
        help="Tick when the quotation offers terms outside the standard ones: "
        "a quote price approval (QPA) is then needed.",
    )
    qpa_formal_contract = fields.Boolean(
        string="Customer Requires a Formal Contract",
        tracking=True,
        help="The managing director then negotiates and approves the QPA.",
    )
    qpa_justification = fields.Text(string="QPA Justification", tracking=True)
    qpa_competition = fields.Text(string="Competitive Situation")
    qpa_customer_budget = fields.Monetary(string="Customer Budget", currency_field="currency_id")
    qpa_reasons = fields.Text(
        string="Why a QPA Is Needed",
        compute="_compute_qpa_required",
        store=True,
    )
    qpa_required = fields.Boolean(
        string="QPA Required",
        compute="_compute_qpa_required",
        store=True,
    )
    qpa_needs_md = fields.Boolean(
        string="QPA Needs Managing Director",
        compute="_compute_qpa_needs_md",
        store=True,
    )
    qpa_state = fields.Selection(
        QPA_STATES,
        string="QPA Status",
        compute="_compute_qpa_state",
        store=True,
        tracking=True,
    )

    @api.depends(
        "order_line.discount",
        "order_line.display_type",
        "qpa_non_standard_terms",
        "qpa_formal_contract",
        "company_id.qpa_discount_threshold",
    )
    def _compute_qpa_required(self):
        for order in self:
            threshold = order.company_id.qpa_discount_threshold
            reasons = []
            over = order.order_line.filtered(
                lambda line, t=threshold: not line.display_type and line.discount > t
            )
            if over:
                reasons.append(
                    self.env._(
                        "A line discount of %(discount)s %% is above the %(threshold)s %% threshold.",
                        discount=max(over.mapped("discount")),
                        threshold=threshold,
                    )
                )
            if order.qpa_non_standard_terms:
                reasons.append(self.env._("The quotation has non-standard terms."))
            if order.qpa_formal_contract:
                reasons.append(
                    self.env._("The customer requires a formal contract: the managing director must approve.")
                )
            order.qpa_required = bool(reasons)
            order.qpa_reasons = "\n".join(reasons) or False

    @api.depends(
        "qpa_required",
        "qpa_formal_contract",
        "amount_untaxed",
        "company_id.qpa_md_amount_threshold",
    )
    def _compute_qpa_needs_md(self):
        for order in self:
            order.qpa_needs_md = order.qpa_required and (
                order.qpa_formal_contract or order.amount_untaxed >= order.company_id.qpa_md_amount_threshold
            )

    @api.depends("qpa_required", "review_ids", "review_ids.status")
    def _compute_qpa_state(self):
        for order in self:
            statuses = set(order.review_ids.mapped("status"))
            if not order.qpa_required:
                order.qpa_state = "not_needed"
            elif not statuses:
                order.qpa_state = "to_submit"
            elif statuses <= {"approved"}:
                order.qpa_state = "approved"
            elif "rejected" in statuses:
                order.qpa_state = "rejected"
            else:
                order.qpa_state = "pending"

    # ------------------------------------------------------------------
    # Nobody approves their own QPA
    # ------------------------------------------------------------------
    def _qpa_is_own(self, user):
        self.ensure_one()
        return user == self.user_id or user in self.review_ids.mapped("requested_by")

    def _get_sequences_to_approve(self, user):
        if self._qpa_is_own(user):
            return []
        return super()._get_sequences_to_approve(user)

    def _validate_tier(self, tiers=False):
        if self._qpa_is_own(self.env.user):
            return
        return super()._validate_tier(tiers=tiers)

    def validate_tier(self):
        self.ensure_one()
        if self._qpa_is_own(self.env.user):
            raise UserError(self.env._("Nobody can approve their own QPA."))
        if not self._get_sequences_to_approve(self.env.user):
            raise UserError(self.env._("You cannot approve this QPA: it waits for another approver."))
        return super().validate_tier()

    def reject_tier(self):
        self.ensure_one()
        if not self._get_sequences_to_approve(self.env.user):
            raise UserError(self.env._("You cannot reject this QPA: it waits for another approver."))
        return super().reject_tier()

    def _qpa_restart_after_price_change(self):
        """A change of prices or discounts sends the QPA back to approval."""
        orders = self.filtered(lambda o: o.review_ids and o.state in self._state_from).sudo()
        if orders:
            orders.restart_validation()


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"  # pylint: disable=consider-merging-classes-inherited

    def write(self, vals):
        res = super().write(vals)
        if QPA_LINE_PRICE_FIELDS & set(vals):
            self.order_id._qpa_restart_after_price_change()
        return res
