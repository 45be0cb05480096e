from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    """The response, AE and proposal steps of the current company (fields and defaults on ``res.company``)."""

    _inherit = "res.config.settings"  # pylint: disable=consider-merging-classes-inherited

    respond_source_ids = fields.Many2many(related="company_id.respond_source_ids", readonly=False)
    respond_response_days = fields.Integer(related="company_id.respond_response_days", readonly=False)
    respond_user_id = fields.Many2one(related="company_id.respond_user_id", readonly=False)
    respond_sm_visit_threshold = fields.Monetary(
        related="company_id.respond_sm_visit_threshold", readonly=False, currency_field="currency_id"
    )
