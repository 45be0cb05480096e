from odoo import api, fields, models

from ..models.scp_sales_forecast import FORECAST_MONTHS
from ..tools.money import sane_amount
from ..tools.periods import month_start, months_ahead, sane_date


class ScpForecastWizard(models.TransientModel):
    """The monthly forecast: 12 rolling months from the open deals, adjusted by hand, then submitted."""

    _name = "scp.forecast.wizard"
    _description = "Monthly Forecast Wizard"
    _inherit = ["scp.snapshot.wizard.mixin"]

    month = fields.Date(default=lambda self: month_start(fields.Date.context_today(self)), required=True)
    comment = fields.Text()
    line_ids = fields.One2many("scp.forecast.wizard.line", "wizard_id", string="Months")
    total = fields.Monetary(compute="_compute_total", string="12-Month Forecast")

    @api.depends("line_ids.amount")
    def _compute_total(self):
        for wizard in self:
            wizard.total = sum(wizard.line_ids.mapped("amount"))

    @api.model
    def _month_lines(self, user, first):
        return [{"month": month} for month in months_ahead(first, FORECAST_MONTHS)]

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if "line_ids" in fields_list and not values.get("line_ids"):
            user = self._wizard_user(values)
            first = sane_date(
                self.env,
                values.get("month") or month_start(fields.Date.context_today(self)),
                self.env._("The month of a forecast"),
            )
            values["line_ids"] = [fields.Command.create(line) for line in self._month_lines(user, first)]
        return values

    def action_submit(self):
        self.ensure_one()
        # the open deals of each month are computed again by _submit: only the adjustments come from here
        lines = [{"month": line.month, "adjustment": line.adjustment} for line in self.line_ids]
        forecast = self.env["scp.sales.forecast"]._submit(
            self.user_id, self.team_id, self.month, lines, self.comment
        )
        return self._open_snapshot(forecast)


class ScpForecastWizardLine(models.TransientModel):
    _name = "scp.forecast.wizard.line"
    _description = "Monthly Forecast Wizard Month"
    _order = "month"

    wizard_id = fields.Many2one("scp.forecast.wizard", required=True, ondelete="cascade")
    currency_id = fields.Many2one(related="wizard_id.currency_id")
    month = fields.Date(required=True)
    computed_amount = fields.Monetary(
        string="Open Deals",
        compute="_compute_computed_amount",
        help="The open deals' expected revenue in the company currency closing in the month (overdue ones "
        "in the first month).",
    )
    adjustment = fields.Monetary(help="Your correction to the open deals for the month, up or down.")
    amount = fields.Monetary(string="Forecast", compute="_compute_amount")

    @api.depends("month", "wizard_id.user_id", "wizard_id.month")
    def _compute_computed_amount(self):
        # From the deals the caller reads (no sudo): one grouped query per wizard.
        Forecast = self.env["scp.sales.forecast"]
        for wizard in self.wizard_id:
            lines = self.filtered(lambda line, wizard=wizard: line.wizard_id == wizard)
            pipeline = (
                Forecast._pipeline_by_month(wizard.user_id, wizard.month)
                if wizard.user_id and wizard.month
                else {}
            )
            for line in lines:
                line.computed_amount = pipeline.get((wizard.user_id.id, line.month), 0.0)
        (self - self.filtered("wizard_id")).computed_amount = 0.0

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_adjustment(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_adjustment(vals)
        return super().write(vals)

    @api.model
    def _check_adjustment(self, vals):
        """A number a client sends (JSON also carries Infinity and NaN): refused in a sentence."""
        if vals.get("adjustment"):
            sane_amount(self.env, vals["adjustment"], self.env._("An adjustment"))

    @api.depends("computed_amount", "adjustment")
    def _compute_amount(self):
        for line in self:
            line.amount = line.computed_amount + line.adjustment
