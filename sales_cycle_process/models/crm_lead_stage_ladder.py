from odoo import fields, models

from .crm_stage import FORECAST_CATEGORIES, PHASES


class CrmLead(models.Model):
    _inherit = "crm.lead"

    stage_phase = fields.Selection(PHASES, related="stage_id.phase", store=True, string="Phase")
    forecast_category = fields.Selection(
        FORECAST_CATEGORIES, related="stage_id.forecast_category", store=True
    )
