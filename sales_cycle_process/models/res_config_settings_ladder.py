from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    ladder_gate_mode = fields.Selection(related="company_id.ladder_gate_mode", readonly=False)
    engineering_review_threshold = fields.Monetary(
        related="company_id.engineering_review_threshold", readonly=False, currency_field="currency_id"
    )
    engineering_review_user_id = fields.Many2one(
        related="company_id.engineering_review_user_id", readonly=False
    )
