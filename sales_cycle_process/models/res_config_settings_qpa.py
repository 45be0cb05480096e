# Copyright 2026 sales_cycle_process contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    qpa_discount_threshold = fields.Float(related="company_id.qpa_discount_threshold", readonly=False)
    qpa_total_discount_threshold = fields.Float(
        related="company_id.qpa_total_discount_threshold", readonly=False
    )
    qpa_margin_threshold = fields.Float(related="company_id.qpa_margin_threshold", readonly=False)
    qpa_amount_threshold = fields.Monetary(related="company_id.qpa_amount_threshold", readonly=False)
    qpa_md_amount_threshold = fields.Monetary(related="company_id.qpa_md_amount_threshold", readonly=False)
    qpa_reminder_days = fields.Integer(related="company_id.qpa_reminder_days", readonly=False)
    qpa_check_payment_terms = fields.Boolean(related="company_id.qpa_check_payment_terms", readonly=False)
    qpa_check_pricelist = fields.Boolean(related="company_id.qpa_check_pricelist", readonly=False)
    qpa_standard_payment_term_ids = fields.Many2many(
        related="company_id.qpa_standard_payment_term_ids", readonly=False
    )
    qpa_standard_pricelist_ids = fields.Many2many(
        related="company_id.qpa_standard_pricelist_ids", readonly=False
    )
