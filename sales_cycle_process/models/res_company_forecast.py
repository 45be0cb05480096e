# Copyright 2026 sales_cycle_process contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import math

from odoo import api, fields, models
from odoo.exceptions import ValidationError

# The colour bands of the commit and forecast measures: the keys of ``scp.forecast.measures._bands()``,
# each a company field ``forecast_band_<key>``.
BAND_KEYS = (
    "accuracy_min",
    "accuracy_max",
    "coverage_min",
    "growth_min",
    "growth_good",
    "unfulfilled_max",
    # 4. will we reach the stretched target: this week's commit + upside against its linear share, and
    # forecast + upside against the stretched target (month, quarter, 12 months)
    "linear_min",
    "linear_max",
    "target_min",
)
# A band is a percentage from 0 up to this.
BAND_MAX = 1000.0
# What makes an order unfulfilled (scp.forecast.measures._unfulfilled).
UNFULFILLED_BASES = [
    ("not_delivered", "Confirmed orders not delivered"),
    ("unpaid", "Invoiced and unpaid past due"),
    ("both", "Not delivered, or invoiced and unpaid past due"),
]


class ResCompany(models.Model):
    _inherit = "res.company"

    commit_deadline_hour = fields.Integer(
        string="Commit Deadline (Monday, hour)",
        default=12,
        help="A week's commit closes on its Monday at this hour (0 to 23), in the salesperson's timezone.",
    )
    # the seed's bands, in percent
    forecast_band_accuracy_min = fields.Float(string="Accuracy: lowest good %", default=95.0)
    forecast_band_accuracy_max = fields.Float(string="Accuracy: highest good %", default=110.0)
    forecast_band_coverage_min = fields.Float(string="Pipeline coverage: good from %", default=150.0)
    forecast_band_growth_min = fields.Float(string="Growth: at least %", default=5.0)
    forecast_band_growth_good = fields.Float(string="Growth: good from %", default=10.0)
    forecast_band_unfulfilled_max = fields.Float(string="Unfulfilled orders: below %", default=5.0)
    forecast_band_linear_min = fields.Float(string="Week against linear: lowest good %", default=95.0)
    forecast_band_linear_max = fields.Float(string="Week against linear: highest good %", default=100.0)
    forecast_band_target_min = fields.Float(
        string="Forecast + upside against target: good from %", default=100.0
    )
    forecast_unfulfilled_basis = fields.Selection(
        UNFULFILLED_BASES,
        string="Unfulfilled orders",
        default="both",
        required=True,
        help="Which confirmed orders count as unfulfilled: not fully delivered (goods), with a posted "
        "customer invoice still unpaid after its due date, or either.",
    )

    @api.constrains("commit_deadline_hour")
    def _check_commit_deadline_hour(self):
        for company in self:
            if not 0 <= company.commit_deadline_hour <= 23:
                raise ValidationError(self.env._("The commit deadline is an hour of Monday, from 0 to 23."))

    @api.constrains(*(f"forecast_band_{key}" for key in BAND_KEYS))
    def _check_forecast_bands(self):
        for company in self:
            bands = [company[f"forecast_band_{key}"] for key in BAND_KEYS]
            if any(not math.isfinite(value) or not 0 <= value <= BAND_MAX for value in bands):
                raise ValidationError(
                    self.env._(
                        "The commit and forecast bands are percentages from 0 to %(max)s: none is negative.",
                        max=int(BAND_MAX),
                    )
                )
            if company.forecast_band_accuracy_min > company.forecast_band_accuracy_max:
                raise ValidationError(
                    self.env._("The accuracy band goes from its lowest good % up to its highest good %.")
                )
            if company.forecast_band_growth_min > company.forecast_band_growth_good:
                raise ValidationError(self.env._("Growth is good from at least its minimum %."))
            if company.forecast_band_linear_min > company.forecast_band_linear_max:
                raise ValidationError(
                    self.env._(
                        "The band of this week's commit and upside against its linear share goes from its "
                        "lowest good % up to its highest good %."
                    )
                )

    # the monthly project list's key deals (docs/forecast.md, Discipline)
    forecast_key_deal_amount = fields.Monetary(
        string="Key Deal From",
        currency_field="currency_id",
        default=50000.0,
        help="A deal of the monthly project list is a key deal when it reaches this amount (company "
        "currency) in one of the forecasts: managers follow its progress month to month.",
    )

    @api.constrains("forecast_key_deal_amount")
    def _check_forecast_key_deal_amount(self):
        for company in self:
            if not math.isfinite(company.forecast_key_deal_amount) or company.forecast_key_deal_amount < 0:
                raise ValidationError(self.env._("The key deal amount is an amount: it is not negative."))
