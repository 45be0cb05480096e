from odoo import api, fields, models


class ScpForecastWizard(models.TransientModel):
    """The monthly forecast: 12 rolling months from the open deals, adjusted by hand, then submitted."""

    _name = "scp.forecast.wizard"
    _description = "Monthly Forecast Wizard"
    _inherit = ["scp.salesperson.mixin"]

    user_id = fields.Many2one(default=lambda self: self.env.user, readonly=False)
    team_id = fields.Many2one(compute="_compute_team_id", readonly=False, store=True)
    month = fields.Date(default=lambda self: fields.Date.context_today(self).replace(day=1), required=True)
    comment = fields.Text()
    line_ids = fields.One2many("scp.forecast.wizard.line", "wizard_id", string="Months")
    total = fields.Monetary(compute="_compute_total", string="12-Month Forecast")

    @api.depends("line_ids.amount")
    def _compute_total(self):
        for wizard in self:
            wizard.total = sum(wizard.line_ids.mapped("amount"))

    @api.model
    def _month_lines(self, user, first):
        forecast = self.env["scp.sales.forecast"]
        pipeline = forecast._pipeline_by_month(user, first)
        return [
            {"month": month, "computed_amount": pipeline.get((user.id, month), 0.0)}
            for month in forecast._months(first)
        ]

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if "line_ids" in fields_list and not values.get("line_ids"):
            user = self.env["res.users"].browse(values.get("user_id") or self.env.uid)
            first = fields.Date.to_date(values.get("month") or fields.Date.context_today(self).replace(day=1))
            values["line_ids"] = [fields.Command.create(line) for line in self._month_lines(user, first)]
        return values

    def action_submit(self):
        self.ensure_one()
        lines = [
            {"month": line.month, "computed_amount": line.computed_amount, "adjustment": line.adjustment}
            for line in self.line_ids
        ]
        forecast = self.env["scp.sales.forecast"]._submit(
            self.user_id, self.team_id, self.month, lines, self.comment
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "scp.sales.forecast",
            "res_id": forecast.id,
            "view_mode": "form",
        }


class ScpForecastWizardLine(models.TransientModel):
    _name = "scp.forecast.wizard.line"
    _description = "Monthly Forecast Wizard Month"
    _order = "month"

    wizard_id = fields.Many2one("scp.forecast.wizard", required=True, ondelete="cascade")
    currency_id = fields.Many2one(related="wizard_id.currency_id")
    month = fields.Date(required=True)
    computed_amount = fields.Monetary(string="Open Deals")
    adjustment = fields.Monetary(help="Your correction to the open deals for the month, up or down.")
    amount = fields.Monetary(string="Forecast", compute="_compute_amount")

    @api.depends("computed_amount", "adjustment")
    def _compute_amount(self):
        for line in self:
            line.amount = line.computed_amount + line.adjustment
