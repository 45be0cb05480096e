# Copyright 2026 sales_cycle_process contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    qpa_discount_threshold = fields.Float(
        string="QPA Discount Threshold (%)",
        default=10.0,
        help="A quotation line with a discount above this percentage needs a quote price approval (QPA).",
    )
    qpa_md_amount_threshold = fields.Monetary(
        string="QPA Managing Director Amount",
        currency_field="currency_id",
        default=100000.0,
        help="QPAs on quotations from this untaxed amount also need the managing director's approval.",
    )
    qpa_reminder_days = fields.Integer(
        string="QPA Reminder Days",
        default=3,
        help="Approvals waiting longer than this number of days remind the approver.",
    )

    @api.constrains("qpa_discount_threshold", "qpa_md_amount_threshold", "qpa_reminder_days")
    def _check_qpa_thresholds(self):
        for company in self:
            if (
                company.qpa_discount_threshold < 0
                or company.qpa_md_amount_threshold < 0
                or company.qpa_reminder_days < 0
            ):
                raise ValidationError(self.env._("QPA thresholds and reminder days cannot be negative."))
            if company.qpa_discount_threshold > 100:
                raise ValidationError(self.env._("The QPA discount threshold cannot exceed 100 %."))
