from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"  # pylint: disable=consider-merging-classes-inherited

    scp_commit_deadline_hour = fields.Integer(
        string="Commit Deadline (Monday, hour)",
        config_parameter="sales_cycle_process.commit_deadline_hour",
        default=12,
    )
    scp_band_accuracy_min = fields.Float(
        string="Accuracy: lowest good %",
        config_parameter="sales_cycle_process.band_accuracy_min",
        default=95.0,
    )
    scp_band_accuracy_max = fields.Float(
        string="Accuracy: highest good %",
        config_parameter="sales_cycle_process.band_accuracy_max",
        default=110.0,
    )
    scp_band_coverage_min = fields.Float(
        string="Pipeline coverage: good from %",
        config_parameter="sales_cycle_process.band_coverage_min",
        default=150.0,
    )
    scp_band_growth_min = fields.Float(
        string="Growth: at least %", config_parameter="sales_cycle_process.band_growth_min", default=5.0
    )
    scp_band_growth_good = fields.Float(
        string="Growth: good from %", config_parameter="sales_cycle_process.band_growth_good", default=10.0
    )
    scp_band_unfulfilled_max = fields.Float(
        string="Unfulfilled orders: below %",
        config_parameter="sales_cycle_process.band_unfulfilled_max",
        default=5.0,
    )

    @api.constrains("scp_commit_deadline_hour")
    def _check_scp_commit_deadline_hour(self):
        for settings in self:
            if not 0 <= settings.scp_commit_deadline_hour <= 23:
                raise ValidationError(self.env._("The commit deadline is an hour of Monday, from 0 to 23."))

    @api.constrains(
        "scp_band_accuracy_min",
        "scp_band_accuracy_max",
        "scp_band_coverage_min",
        "scp_band_growth_min",
        "scp_band_growth_good",
        "scp_band_unfulfilled_max",
    )
    def _check_scp_bands(self):
        for settings in self:
            bands = [settings[name] for name in self._fields if name.startswith("scp_band_")]
            if any(value < 0 for value in bands):
                raise ValidationError(
                    self.env._("The commit and forecast bands are percentages: none is negative.")
                )
            if settings.scp_band_accuracy_min > settings.scp_band_accuracy_max:
                raise ValidationError(
                    self.env._("The accuracy band goes from its lowest good % up to its highest good %.")
                )
            if settings.scp_band_growth_min > settings.scp_band_growth_good:
                raise ValidationError(self.env._("Growth is good from at least its minimum %."))
