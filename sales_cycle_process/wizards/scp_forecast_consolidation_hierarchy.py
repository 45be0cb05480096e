from odoo import api, fields, models

from ..models.scp_forecast_adjustment import LEVELS
from ..models.scp_forecast_measures import COLOURS


class ScpForecastConsolidationLine(models.TransientModel):
    """The consolidation wizard stores every key of ``_consolidate``'s rows: the hierarchy's keys too; its
    list shows teams and salespeople, so the region and company rows are left to the live Monday screen.
    (A bridge for the wizard's rows only: it goes when the live Monday screen replaces the wizard.)"""

    _inherit = "scp.forecast.consolidation.line"

    level = fields.Selection(LEVELS)
    region_id = fields.Many2one("scp.sales.region", string="Region")
    company_id = fields.Many2one("res.company")
    manager_commit = fields.Monetary(string="Manager's Commit")
    manager_forecast = fields.Monetary(string="Manager's 12-Month Forecast")
    last_manager_commit = fields.Monetary(string="Last Week's Manager Call")
    manager_accuracy = fields.Float(string="Manager Accuracy %")
    manager_accuracy_colour = fields.Selection(COLOURS)
    manager_note = fields.Char(string="Manager's Note")

    @api.model_create_multi
    def create(self, vals_list):
        return super().create([vals for vals in vals_list if vals.get("level") not in ("region", "company")])
