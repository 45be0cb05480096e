# Copyright 2026 sales_cycle_process contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    """The forecasting bias's history of the current company (fields, defaults and checks on
    ``res.company``)."""

    _inherit = "res.config.settings"  # pylint: disable=consider-merging-classes-inherited

    forecast_bias_weeks = fields.Integer(related="company_id.forecast_bias_weeks", readonly=False)
    forecast_bias_min_weeks = fields.Integer(related="company_id.forecast_bias_min_weeks", readonly=False)
    forecast_bias_months = fields.Integer(related="company_id.forecast_bias_months", readonly=False)
    forecast_bias_min_months = fields.Integer(related="company_id.forecast_bias_min_months", readonly=False)
