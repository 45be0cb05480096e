# Copyright 2026 sales_cycle_process contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    qpa_discount_threshold = fields.Float(related="company_id.qpa_discount_threshold", readonly=False)
    qpa_md_amount_threshold = fields.Monetary(related="company_id.qpa_md_amount_threshold", readonly=False)
    qpa_reminder_days = fields.Integer(related="company_id.qpa_reminder_days", readonly=False)
