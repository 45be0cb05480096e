# Copyright 2026 sales_cycle_process contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    qpa_discount_threshold = fields.Float(
        string="QPA Line Discount Threshold (%)",
        default=10.0,
        help="A quotation line with a discount above this percentage needs a quote price approval (QPA).",
    )
    qpa_total_discount_threshold = fields.Float(
        string="QPA Total Discount Threshold (%)",
        default=0.0,
        help="A quotation whose total discount off the list prices is above this percentage needs a QPA. "
        "0 switches the rule off.",
    )
    qpa_margin_threshold = fields.Float(
        string="QPA Minimum Margin (%)",
        default=0.0,
        help="A quotation whose margin over the products' costs is below this percentage needs a QPA "
        "(only when every product has a cost). 0 switches the rule off.",
    )
    qpa_amount_threshold = fields.Monetary(
        string="QPA Amount Threshold",
        currency_field="currency_id",
        default=0.0,
        help="A quotation above this untaxed amount (company currency) needs a QPA. 0 switches the rule off.",
    )
    qpa_md_amount_threshold = fields.Monetary(
        string="QPA Managing Director Amount",
        currency_field="currency_id",
        default=100000.0,
        help="QPAs on quotations from this untaxed amount (company currency) also need the managing "
        "director's approval.",
    )
    qpa_reminder_days = fields.Integer(
        string="QPA Reminder Days",
        default=3,
        help="Approvals waiting longer than this number of days remind the approver and escalate.",
    )
    qpa_check_payment_terms = fields.Boolean(
        string="QPA for Non-standard Payment Terms",
        default=False,
        help="A quotation whose payment terms are neither the customer's own nor one of the QPA standard "
        "payment terms needs a QPA. Off by default.",
    )
    qpa_check_pricelist = fields.Boolean(
        string="QPA for Non-standard Pricelists",
        default=False,
        help="A quotation whose pricelist is neither the customer's own nor one of the QPA standard "
        "pricelists needs a QPA. Off by default.",
    )
    qpa_standard_payment_term_ids = fields.Many2many(
        "account.payment.term",
        "res_company_qpa_payment_term_rel",
        "company_id",
        "payment_term_id",
        string="QPA Standard Payment Terms",
        help="Besides the customer's own payment terms, these payment terms need no QPA.",
    )
    qpa_standard_pricelist_ids = fields.Many2many(
        "product.pricelist",
        "res_company_qpa_pricelist_rel",
        "company_id",
        "pricelist_id",
        string="QPA Standard Pricelists",
        help="Besides the customer's own pricelist, these pricelists need no QPA.",
    )

    @api.constrains(
        "qpa_discount_threshold",
        "qpa_total_discount_threshold",
        "qpa_margin_threshold",
        "qpa_amount_threshold",
        "qpa_md_amount_threshold",
        "qpa_reminder_days",
    )
    def _check_qpa_thresholds(self):
        for company in self:
            if (
                min(
                    company.qpa_discount_threshold,
                    company.qpa_total_discount_threshold,
                    company.qpa_margin_threshold,
                    company.qpa_amount_threshold,
                    company.qpa_md_amount_threshold,
                    company.qpa_reminder_days,
                )
                < 0
            ):
                raise ValidationError(
                    self.env._(
                        "QPA thresholds, the minimum margin and the reminder days cannot be negative "
                        "(0 switches a rule off)."
                    )
                )
            if (
                max(
                    company.qpa_discount_threshold,
                    company.qpa_total_discount_threshold,
                    company.qpa_margin_threshold,
                )
                > 100
            ):
                raise ValidationError(
                    self.env._(
                        "A QPA discount threshold or minimum margin is a percentage between 0 and 100 %."
                    )
                )
