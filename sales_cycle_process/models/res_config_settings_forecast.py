from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    """The commit deadline and the colour bands of the current company (fields, defaults and checks on
    ``res.company``)."""

    _inherit = "res.config.settings"  # pylint: disable=consider-merging-classes-inherited

    commit_deadline_hour = fields.Integer(related="company_id.commit_deadline_hour", readonly=False)
    forecast_band_accuracy_min = fields.Float(related="company_id.forecast_band_accuracy_min", readonly=False)
    forecast_band_accuracy_max = fields.Float(related="company_id.forecast_band_accuracy_max", readonly=False)
    forecast_band_coverage_min = fields.Float(related="company_id.forecast_band_coverage_min", readonly=False)
    forecast_band_growth_min = fields.Float(related="company_id.forecast_band_growth_min", readonly=False)
    forecast_band_growth_good = fields.Float(related="company_id.forecast_band_growth_good", readonly=False)
    forecast_band_unfulfilled_max = fields.Float(
        related="company_id.forecast_band_unfulfilled_max", readonly=False
    )
    forecast_key_deal_amount = fields.Monetary(related="company_id.forecast_key_deal_amount", readonly=False)
    forecast_band_linear_min = fields.Float(related="company_id.forecast_band_linear_min", readonly=False)
    forecast_band_linear_max = fields.Float(related="company_id.forecast_band_linear_max", readonly=False)
    forecast_band_target_min = fields.Float(related="company_id.forecast_band_target_min", readonly=False)
    forecast_unfulfilled_basis = fields.Selection(
        related="company_id.forecast_unfulfilled_basis", readonly=False
    )
