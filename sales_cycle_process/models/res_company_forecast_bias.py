# Copyright 2026 sales_cycle_process contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

# The longest history the forecasting bias reads (weeks, months): a sane bound on the queries' span.
BIAS_MAX_PERIODS = 104


class ResCompany(models.Model):
    """How much history each rep's forecasting bias reads (``scp.forecast.measures._bias``); its
    thresholds are the accuracy band (``forecast_band_accuracy_min``/``max``)."""

    _inherit = "res.company"

    forecast_bias_weeks = fields.Integer(
        string="Forecasting Bias: Weeks",
        default=8,
        help="How many past weeks of commits against actuals each rep's forecasting bias reads.",
    )
    forecast_bias_min_weeks = fields.Integer(
        string="Forecasting Bias: At Least (weeks)",
        default=4,
        help="Below this many weeks with a commit, a rep's bias reads 'Not enough history'.",
    )
    forecast_bias_months = fields.Integer(
        string="Forecasting Bias: Months",
        default=6,
        help="How many past months of forecasts against actuals the monthly forecasting bias reads.",
    )
    forecast_bias_min_months = fields.Integer(
        string="Forecasting Bias: At Least (months)",
        default=3,
        help="Below this many months with a forecast, a rep's monthly bias reads 'Not enough history'.",
    )

    @api.constrains(
        "forecast_bias_weeks", "forecast_bias_min_weeks", "forecast_bias_months", "forecast_bias_min_months"
    )
    def _check_forecast_bias_periods(self):
        for company in self:
            for periods, least in (
                (company.forecast_bias_weeks, company.forecast_bias_min_weeks),
                (company.forecast_bias_months, company.forecast_bias_min_months),
            ):
                if not 1 <= least <= periods <= BIAS_MAX_PERIODS:
                    raise ValidationError(
                        self.env._(
                            "The forecasting bias reads from 1 up to %(max)s weeks or months, and needs at "
                            "least 1 of them, and no more than it reads.",
                            max=BIAS_MAX_PERIODS,
                        )
                    )
