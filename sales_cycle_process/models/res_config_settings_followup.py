from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    """The quote follow-up and SF orders' settings of the current company (fields on ``res.company``)."""

    _inherit = "res.config.settings"

    quote_followup_days = fields.Integer(related="company_id.quote_followup_days", readonly=False)
    quote_followup_visit_amount = fields.Float(
        related="company_id.quote_followup_visit_amount", readonly=False
    )
    after_sales_portal_categ_ids = fields.Many2many(
        related="company_id.after_sales_portal_categ_ids", readonly=False
    )
