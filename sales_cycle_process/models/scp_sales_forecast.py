from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

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
    deal_ids = fields.One2many(
        "scp.sales.forecast.deal",
        "forecast_id",
        string="Project List",
        readonly=True,
        help="The salesperson's open deals of the 12 months as they stood at submission.",
    )
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
            # the monthly project list, read from the deals like the months' amounts
            "deal_ids": [
                fields.Command.create(deal)
                for deal in self.env["scp.sales.forecast.deal"]._forecast_deal_vals(user, first)
            ],
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


class ScpSalesForecastDeal(models.Model):
    """The monthly project list: one open deal of a forecast's salesperson, as it stood at submission.

    Written by ``scp.sales.forecast._submit`` from the salesperson's open deals closing within the 12 months
    (overdue ones in the first month), immutable like the rest of the snapshot. A deal is a *key deal* when
    one of its lines reaches the company's ``forecast_key_deal_amount``: all its months are then shown."""

    _name = "scp.sales.forecast.deal"
    _description = "Monthly Project List Deal"
    _inherit = ["scp.snapshot.line.mixin"]
    _order = "submitted_month desc, amount desc, id"

    forecast_id = fields.Many2one(
        "scp.sales.forecast", string="Forecast Snapshot", required=True, ondelete="cascade", index=True
    )
    user_id = fields.Many2one(related="forecast_id.user_id", store=True)
    team_id = fields.Many2one(related="forecast_id.team_id", store=True)
    submitted_month = fields.Date(related="forecast_id.month", store=True, string="Forecast Month")
    state = fields.Selection(related="forecast_id.state", store=True)
    company_id = fields.Many2one(related="forecast_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="forecast_id.currency_id")
    lead_id = fields.Many2one("crm.lead", string="Deal", ondelete="set null", index="btree_not_null")
    lead_name = fields.Char(string="Deal Name")
    partner_name = fields.Char(string="Customer")
    amount = fields.Monetary(help="The deal's expected revenue in the company currency at submission.")
    stage_id = fields.Many2one("crm.stage", ondelete="set null")
    stage_name = fields.Char()
    probability = fields.Float()
    date_deadline = fields.Date(string="Expected Closing")
    closing_month = fields.Date(help="The forecast month the deal counts in (overdue deals: the first one).")
    key_deal = fields.Boolean(
        compute="_compute_key_deal",
        search="_search_key_deal",
        help="A deal with a line at or above the company's key deal amount (Settings).",
    )

    def _compute_key_deal(self):
        keys = set(self.search([("id", "in", self.ids), ("key_deal", "=", True)]).ids)
        for line in self:
            line.key_deal = line.id in keys

    def _search_key_deal(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Filter the key deals with “is set” or “is not set”."))
        threshold = self.env.company.forecast_key_deal_amount
        big = self._search([("amount", ">=", threshold)])
        # all the months of a deal one of whose lines reaches the amount (a deleted deal: its own lines)
        domain = [
            "|",
            ("lead_id", "in", big.subselect(SQL.identifier(big.table, "lead_id"))),
            "&",
            ("lead_id", "=", False),
            ("id", "in", big),
        ]
        return domain if (operator == "=") == value else ["!", *domain]

    @api.model
    def _forecast_deal_vals(self, user, first, months=FORECAST_MONTHS):
        """The project list of ``user`` for a forecast from ``first``: their open deals closing within the
        months (overdue ones in the first month), read as the caller, as values of lines."""
        last = months_last_day(first, months)
        leads = self.env["crm.lead"].search(
            [
                ("user_id", "=", user.id),
                ("type", "=", "opportunity"),
                ("active", "=", True),
                ("stage_id.is_won", "=", False),
                ("date_deadline", "!=", False),
                ("date_deadline", "<=", last),
            ],
            order="expected_revenue_company desc, id",
        )
        return [
            {
                "lead_id": lead.id,
                "lead_name": lead.name,
                "partner_name": lead.partner_id.display_name or lead.partner_name or False,
                "amount": lead.expected_revenue_company,
                "stage_id": lead.stage_id.id,
                "stage_name": lead.stage_id.name,
                "probability": lead.probability,
                "date_deadline": lead.date_deadline,
                "closing_month": max(month_start(lead.date_deadline), first),
            }
            for lead in leads
        ]
