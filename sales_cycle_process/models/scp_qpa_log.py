# Copyright 2026 sales_cycle_process contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

QPA_LOG_STATES = [
    ("pending", "Pending"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
    ("reset", "Reset"),
]


class QpaLog(models.Model):
    _name = "scp.qpa.log"
    _description = "QPA Log"
    _order = "requested_date desc, id desc"
    _rec_name = "order_id"

    order_id = fields.Many2one(
        "sale.order", string="Quotation", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="order_id.company_id", store=True)
    currency_id = fields.Many2one(related="company_id.currency_id", string="Currency")
    user_id = fields.Many2one(related="order_id.user_id", string="Salesperson", store=True)
    partner_id = fields.Many2one(related="order_id.partner_id", string="Customer", store=True)
    opportunity_id = fields.Many2one(related="order_id.opportunity_id", string="Opportunity", store=True)
    requested_by_id = fields.Many2one("res.users", string="Submitted By", readonly=True)
    requested_date = fields.Datetime(string="Requested On", readonly=True)
    requested_discount = fields.Float(string="Requested Discount (%)", digits=(16, 2), readonly=True)
    approved_discount = fields.Float(string="Approved Discount (%)", digits=(16, 2), readonly=True)
    fingerprint = fields.Char(
        readonly=True,
        copy=False,
        help="A hash of the facts submitted for approval (amount, lines, customer, terms, level): "
        "the approval holds only while the quotation's facts give the same hash.",
    )
    amount_untaxed = fields.Monetary(string="Untaxed Amount", currency_field="currency_id", readonly=True)
    needs_md = fields.Boolean(string="Managing Director Level", readonly=True)
    reasons = fields.Text(string="Why a QPA Was Needed", readonly=True)
    justification = fields.Text(readonly=True)
    state = fields.Selection(QPA_LOG_STATES, default="pending", required=True, readonly=True, index=True)
    approver_id = fields.Many2one("res.users", string="Decided By", readonly=True)
    decided_date = fields.Datetime(string="Decided On", readonly=True)
    comment = fields.Char(readonly=True)
    lead_time_days = fields.Float(
        string="Lead Time (Days)",
        compute="_compute_lead_time_days",
        store=True,
        digits=(16, 1),
        aggregator="avg",
    )

    @api.depends("requested_date", "decided_date", "state")
    def _compute_lead_time_days(self):
        for log in self:
            if log.requested_date and log.decided_date and log.state in ("approved", "rejected"):
                log.lead_time_days = (log.decided_date - log.requested_date).total_seconds() / 86400
            else:
                log.lead_time_days = 0.0
