from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools.money import sane_amount
from ..tools.periods import month_start, months_ahead, months_last_day, sane_date

FORECAST_MONTHS = 12


class ScpSalesForecast(models.Model):
    """One salesperson's monthly 12-month forecast, as submitted: an immutable snapshot."""

    _name = "scp.sales.forecast"
    _description = "Monthly 12-Month Forecast"
    _inherit = ["scp.snapshot.mixin", "mail.thread"]
    _order = "month desc, user_id, id desc"
    _scp_current_index = "scp_sales_forecast_one_current"
    _scp_current_keys = ("user_id", "month")

    month = fields.Date(string="Submitted for", required=True, readonly=True, index=True)
    superseded_by_id = fields.Many2one("scp.sales.forecast")
    comment = fields.Text(readonly=True)
    line_ids = fields.One2many("scp.sales.forecast.line", "forecast_id", readonly=True)
    pipeline_total = fields.Monetary(readonly=True, help="Open deals' expected revenue over the 12 months.")
    total = fields.Monetary(string="12-Month Forecast", readonly=True)

    @api.depends("user_id", "month")
    def _compute_display_name(self):
        for forecast in self:
            forecast.display_name = self.env._(
                "Forecast %(user)s, %(month)s",
                user=forecast.user_id.name or "",
                month=forecast.month and forecast.month.strftime("%Y-%m"),
            )

    @api.model
    def _pipeline_by_month(self, users, first, months=FORECAST_MONTHS):
        """Open deals' expected revenue in the company currency (``expected_revenue_company``) per
        salesperson and month over ``months`` months, in one grouped query.

        Overdue deals count in the first month; deals without a closing date are left out.
        Returns {(user_id, month): amount}.
        """
        last = months_last_day(first, months)
        groups = self.env["crm.lead"]._read_group(
            [
                ("user_id", "in", users.ids),
                ("type", "=", "opportunity"),
                ("active", "=", True),
                ("stage_id.is_won", "=", False),
                ("date_deadline", "!=", False),
                ("date_deadline", "<=", last),
            ],
            ["user_id", "date_deadline:month"],
            ["expected_revenue_company:sum"],
        )
        result = {}
        for user, month, amount in groups:
            key = (user.id, max(month, first))
            result[key] = result.get(key, 0.0) + amount
        return result

    @api.model
    def _check_month(self, first):
        """The month forecast: the first day of the current month."""
        first = sane_date(self.env, first, self.env._("The month of a forecast"))
        today = fields.Date.context_today(self)
        if first != month_start(today):
            raise UserError(
                self.env._("The forecast for %s is closed: submit the forecast of the current month.", first)
            )
        return first

    @api.model
    def _submit(self, user, team, first, month_lines, comment=False):
        """Store a forecast snapshot. month_lines: dicts of month and adjustment (the salesperson's own
        correction); the open deals of each month are computed here, from the deals the caller reads, never
        taken from the wizard."""
        first = self._check_month(first)
        user, team = self._check_submitter(user, team)
        months = months_ahead(first, FORECAST_MONTHS)
        adjustments = dict.fromkeys(months, 0.0)
        seen = set()
        for line in month_lines:
            month = sane_date(self.env, line.get("month"), self.env._("The month of a forecast line"))
            if month not in adjustments or month in seen:
                raise ValidationError(
                    self.env._(
                        "A forecast has one line for each of the 12 months from %(first)s: %(month)s is not "
                        "one of them, or is there twice.",
                        first=first.strftime("%Y-%m"),
                        month=month,
                    )
                )
            seen.add(month)
            adjustments[month] = sane_amount(
                self.env,
                line.get("adjustment") or 0.0,
                self.env._("The adjustment of %s", month.strftime("%Y-%m")),
            )
        pipeline = self._pipeline_by_month(user, first)
        lines = []
        for month in months:
            computed = pipeline.get((user.id, month), 0.0)
            if computed + adjustments[month] < 0:
                raise ValidationError(
                    self.env._(
                        "The adjustment for %(month)s would bring the forecast below zero: it can take off "
                        "at most %(amount).2f, the month's open deals.",
                        month=month.strftime("%Y-%m"),
                        amount=computed,
                    )
                )
            lines.append(
                {
                    "month": month,
                    "computed_amount": computed,
                    "adjustment": adjustments[month],
                    "amount": computed + adjustments[month],
                }
            )
        vals = {
            **self._snapshot_vals(user, team),
            "month": first,
            "comment": comment if isinstance(comment, str) and comment else False,
            "line_ids": [fields.Command.create(line) for line in lines],
            "pipeline_total": sum(line["computed_amount"] for line in lines),
            "total": sum(line["amount"] for line in lines),
        }
        return self._store_snapshot(vals, [("user_id", "=", user.id), ("month", "=", first)])


class ScpSalesForecastLine(models.Model):
    _name = "scp.sales.forecast.line"
    _description = "Monthly Forecast Line"
    _inherit = ["scp.snapshot.line.mixin"]
    _order = "month"

    forecast_id = fields.Many2one(
        "scp.sales.forecast",
        string="Forecast Snapshot",
        required=True,
        ondelete="cascade",
        index=True,
        readonly=True,
    )
    user_id = fields.Many2one(related="forecast_id.user_id", store=True)
    team_id = fields.Many2one(related="forecast_id.team_id", store=True)
    submitted_month = fields.Date(related="forecast_id.month", store=True)
    state = fields.Selection(related="forecast_id.state", store=True)
    company_id = fields.Many2one(related="forecast_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="forecast_id.currency_id")
    month = fields.Date(required=True, readonly=True)
    computed_amount = fields.Monetary(string="Open Deals", readonly=True)
    adjustment = fields.Monetary(readonly=True)
    amount = fields.Monetary(string="Forecast", readonly=True)
