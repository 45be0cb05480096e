from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    """The after-sales settings of the current company (fields, defaults and checks on ``res.company``)."""

    _inherit = "res.config.settings"

    after_sales_ack_on_confirm = fields.Boolean(
        related="company_id.after_sales_ack_on_confirm", readonly=False
    )
    after_sales_production_email = fields.Char(
        related="company_id.after_sales_production_email", readonly=False
    )
    after_sales_website_access_text = fields.Char(
        related="company_id.after_sales_website_access_text", readonly=False
    )
    after_sales_followup_days = fields.Integer(related="company_id.after_sales_followup_days", readonly=False)
    after_sales_satisfaction_days = fields.Integer(
        related="company_id.after_sales_satisfaction_days", readonly=False
    )
    after_sales_excepted_team_id = fields.Many2one(
        related="company_id.after_sales_excepted_team_id", readonly=False
    )
    after_sales_support_user_id = fields.Many2one(
        related="company_id.after_sales_support_user_id", readonly=False
    )
