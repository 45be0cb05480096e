from odoo import fields, models


class CrmLead(models.Model):
    _inherit = "crm.lead"

    stage_phase = fields.Selection(related="stage_id.phase", store=True, string="Phase")
    forecast_category = fields.Selection(related="stage_id.forecast_category", store=True)
