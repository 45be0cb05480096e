from odoo import api, fields, models

from ..models.scp_forecast_measures import COLOURS


class ScpForecastConsolidation(models.TransientModel):
    """The manager's Monday dashboard: team roll-ups, who has not submitted, the measures."""

    _name = "scp.forecast.consolidation"
    _description = "Commit and Forecast Consolidation"

    date = fields.Date(default=fields.Date.context_today, required=True)
    team_ids = fields.Many2many(
        "crm.team", string="Sales Teams", default=lambda self: self.env["crm.team"].search([])
    )
    line_ids = fields.One2many("scp.forecast.consolidation.line", "consolidation_id", readonly=True)

    @api.depends("date")
    def _compute_display_name(self):
        for consolidation in self:
            consolidation.display_name = self.env._(
                "Monday Consolidation of %(date)s",
                date=fields.Date.to_string(consolidation.date) if consolidation.date else "",
            )

    def action_refresh(self):
        self.ensure_one()
        rows = self.env["scp.forecast.measures"]._consolidate(self.team_ids, self.date)
        self.line_ids.unlink()
        self.env["scp.forecast.consolidation.line"].create(
            [{**row, "consolidation_id": self.id} for row in rows]
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "current",
        }


class ScpForecastConsolidationLine(models.TransientModel):
    _name = "scp.forecast.consolidation.line"
    _description = "Commit and Forecast Consolidation Row"
    _order = "team_id, is_team_total, user_id"

    consolidation_id = fields.Many2one("scp.forecast.consolidation", ondelete="cascade")
    team_id = fields.Many2one("crm.team")
    user_id = fields.Many2one("res.users", string="Salesperson")
    is_team_total = fields.Boolean(string="Team Total")
    currency_id = fields.Many2one("res.currency", default=lambda self: self.env.company.currency_id)
    commit_submitted = fields.Boolean()
    forecast_submitted = fields.Boolean()
    commit_week = fields.Monetary(string="Commit (week)")
    upside_week = fields.Monetary(string="Upside (week)")
    forecast_total = fields.Monetary(string="12-Month Forecast")
    last_commit = fields.Monetary(string="Last Week's Commit")
    last_actual = fields.Monetary(string="Last Week's Actual")
    accuracy = fields.Float(string="Accuracy %")
    accuracy_colour = fields.Selection(COLOURS)
    pipeline = fields.Monetary()
    target = fields.Monetary(string="Stretched Target")
    coverage = fields.Float(string="Coverage %")
    coverage_colour = fields.Selection(COLOURS)
    pipeline_growth = fields.Float(string="Pipeline Growth %")
    commit_growth = fields.Float(string="Commit Growth %")
    growth_colour = fields.Selection(COLOURS)
    unfulfilled = fields.Float(string="Unfulfilled %")
    linearity = fields.Float(
        string="Linearity %", help="How evenly last month's bookings spread over its weeks (100 = evenly)."
    )
    velocity = fields.Float(
        string="Velocity / Day",
        help="Open opportunities × win rate × average won deal ÷ average sales cycle (days), "
        "from the last three months' closed deals.",
    )
    unfulfilled_colour = fields.Selection(COLOURS)
    commit_complete_week = fields.Monetary(string="Commit Complete")
    commit_overridden_week = fields.Monetary(string="Commit Overridden")
