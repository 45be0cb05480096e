from odoo import fields, models


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
