import functools
from collections import defaultdict
from datetime import date as date_type
from datetime import datetime, timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from ..tools.periods import (
    add_months,
    day_start_utc,
    local_timezone,
    month_end,
    month_start,
    months_ahead,
    quarter_end,
    quarter_start,
    sane_date,
    week_start,
)
from .res_company_forecast import BAND_KEYS
from .scp_sales_forecast import FORECAST_MONTHS

COLOURS = [("success", "Good"), ("warning", "Watch"), ("danger", "Off")]
# the amounts of the Monday rows a total row adds up (a team's, and above it a region's and the company's)
ROLLUP_SUMS = (
    "commit_week",
    "upside_week",
    "forecast_total",
    "last_commit",
    "last_actual",
    "pipeline",
    "target",
)


@functools.lru_cache(maxsize=512)
def week_days(monday):
    """The week of ``monday`` as ``((first day of a month, share of that month), ...)``: each of its 7
    days is 1/n of its month (n the days of the month)."""
    shares = defaultdict(float)
    for offset in range(7):
        day = monday + timedelta(days=offset)
        shares[month_start(day)] += 1 / month_end(day).day
    return tuple(shares.items())


def pct(part, whole):
    return part / whole * 100.0 if whole else 0.0


class ScpForecastMeasures(models.AbstractModel):
    """The measures managers judge commits and forecasts with, computed from snapshots and actuals."""

    _name = "scp.forecast.measures"
    _description = "Commit and Forecast Measures"

    @api.model
    def _bands(self, company=None):
        """The colour bands of ``company`` (else the current company), from its settings:
        {key: percent} for the keys of ``BAND_KEYS``."""
        company = (company or self.env.company).sudo()
        return {key: company[f"forecast_band_{key}"] for key in BAND_KEYS}

    @api.model
    def _colour(self, kind, value, company=None):
        bands = self._bands(company)
        if kind == "accuracy":
            if bands["accuracy_min"] <= value <= bands["accuracy_max"]:
                return "success"
            return (
                "warning" if bands["accuracy_min"] - 10 <= value <= bands["accuracy_max"] + 10 else "danger"
            )
        if kind == "coverage":
            if value >= bands["coverage_min"]:
                return "success"
            return "warning" if value >= 100 else "danger"
        if kind == "growth":
            if value >= bands["growth_good"]:
                return "success"
            return "warning" if value >= bands["growth_min"] else "danger"
        if kind == "unfulfilled":
            return "success" if value < bands["unfulfilled_max"] else "danger"
        if kind == "linear":
            if bands["linear_min"] <= value <= bands["linear_max"]:
                return "success"
            return "warning" if bands["linear_min"] - 10 <= value <= bands["linear_max"] + 10 else "danger"
        if kind == "target":
            if value >= bands["target_min"]:
                return "success"
            return "warning" if value >= bands["target_min"] - 10 else "danger"
        return False

    @api.model
    def _band_rules(self, kind, company=None):
        """The bands of ``_colour`` for ``kind`` as ranges, for the reports that colour cells themselves
        (the XLSX packs' conditional formats and legends): ``[(colour, low, high)]`` in percent, the first
        range holding a value giving its colour; ``low``/``high`` are inclusive, ``None`` when open.
        ``submission`` is the deck's 100 % submission. The same settings and margins as ``_colour``."""
        bands = self._bands(company)
        # amber within 10 points outside a good range, as in _colour
        margin = 10.0
        if kind in ("accuracy", "linear"):
            low, high = bands[f"{kind}_min"], bands[f"{kind}_max"]
            return [("success", low, high), ("warning", low - margin, high + margin), ("danger", None, None)]
        if kind == "coverage":
            return [
                ("success", bands["coverage_min"], None),
                ("warning", 100.0, None),
                ("danger", None, None),
            ]
        if kind == "growth":
            return [
                ("success", bands["growth_good"], None),
                ("warning", bands["growth_min"], None),
                ("danger", None, None),
            ]
        if kind == "unfulfilled":
            return [("danger", bands["unfulfilled_max"], None), ("success", None, None)]
        if kind == "target":
            low = bands["target_min"]
            return [("success", low, None), ("warning", low - margin, None), ("danger", None, None)]
        if kind == "submission":
            return [("success", 100.0, None), ("danger", None, None)]
        return []

    @api.model
    def _booking_sources(self, start, stop):
        """What a salesperson booked between two UTC datetimes, the one definition of an actual: won deals
        closed then, and confirmed orders without a deal dated then, in the company currency.
        ``[(model, domain, date field, amount field)]``."""
        return [
            (
                "crm.lead",
                [("stage_id.is_won", "=", True), ("date_closed", ">=", start), ("date_closed", "<", stop)],
                "date_closed",
                "expected_revenue_company",
            ),
            (
                "sale.order",
                [
                    ("state", "=", "sale"),
                    ("opportunity_id", "=", False),
                    ("date_order", ">=", start),
                    ("date_order", "<", stop),
                ],
                "date_order",
                "amount_untaxed_company",
            ),
        ]

    @api.model
    def _actuals(self, users, date_from, date_to):
        """Won deals (closed in the period) and confirmed orders without a deal: {user_id: amount}."""
        start = day_start_utc(self.env, date_from)
        stop = day_start_utc(self.env, date_to + timedelta(days=1))
        result = dict.fromkeys(users.ids, 0.0)
        for model, domain, _date_field, amount_field in self._booking_sources(start, stop):
            for user, amount in self.env[model]._read_group(
                [("user_id", "in", users.ids), *domain], ["user_id"], [f"{amount_field}:sum"]
            ):
                result[user.id] += amount
        return result

    @api.model
    def _weekly_bookings(self, users, date_from, date_to):
        """Bookings (won deals and confirmed orders without a deal) per salesperson and ISO week:
        {user_id: {monday: amount}}, every week of the period present, empty weeks at 0."""
        start = day_start_utc(self.env, date_from)
        stop = day_start_utc(self.env, date_to + timedelta(days=1))
        mondays, monday = [], week_start(date_from)
        while monday <= date_to:
            mondays.append(monday)
            monday += timedelta(days=7)
        result = {user_id: dict.fromkeys(mondays, 0.0) for user_id in users.ids}
        for model, domain, date_field, amount_field in self._booking_sources(start, stop):
            for user, day, amount in self.env[model]._read_group(
                [("user_id", "in", users.ids), *domain],
                ["user_id", f"{date_field}:day"],
                [f"{amount_field}:sum"],
            ):
                week = week_start(day.date() if isinstance(day, datetime) else day)
                if week in result[user.id]:
                    result[user.id][week] += amount
        return result

    @api.model
    def _linearity(self, users, date_from, date_to):
        """How evenly bookings spread over the weeks of the period, in percent: 100 when every week
        books the same, lower as bookings bunch up (100 × (1 - coefficient of variation), floored at 0).
        {user_id: percent}; 0 when nothing was booked."""
        result = {}
        for user_id, weeks in self._weekly_bookings(users, date_from, date_to).items():
            amounts = list(weeks.values())
            mean = sum(amounts) / len(amounts) if amounts else 0.0
            if not mean:
                result[user_id] = 0.0
                continue
            stdev = (sum((amount - mean) ** 2 for amount in amounts) / len(amounts)) ** 0.5
            result[user_id] = max(0.0, 100.0 * (1 - stdev / mean))
        return result

    @api.model
    def _velocity(self, users, date_from, date_to):
        """Sales velocity, revenue per day: open opportunities × win rate × average won deal ÷ average
        sales cycle in days, from the deals won and lost in the period. {user_id: amount per day}"""
        start = day_start_utc(self.env, date_from)
        stop = day_start_utc(self.env, date_to + timedelta(days=1))
        Lead = self.env["crm.lead"].with_context(active_test=False)
        won = Lead.search_read(
            [
                ("user_id", "in", users.ids),
                ("stage_id.is_won", "=", True),
                ("date_closed", ">=", start),
                ("date_closed", "<", stop),
            ],
            ["user_id", "expected_revenue_company", "create_date", "date_closed"],
        )
        lost = dict(
            Lead._read_group(
                [
                    ("user_id", "in", users.ids),
                    ("active", "=", False),
                    ("probability", "=", 0),
                    ("date_closed", ">=", start),
                    ("date_closed", "<", stop),
                ],
                ["user_id"],
                ["__count"],
            )
        )
        open_deals = dict(
            self.env["crm.lead"]._read_group(
                [("user_id", "in", users.ids), ("type", "=", "opportunity"), ("stage_id.is_won", "=", False)],
                ["user_id"],
                ["__count"],
            )
        )
        result = {}
        for user in users:
            deals = [deal for deal in won if deal["user_id"][0] == user.id]
            closed = len(deals) + lost.get(user, 0)
            if not deals:
                result[user.id] = 0.0
                continue
            win_rate = len(deals) / closed
            average = sum(deal["expected_revenue_company"] for deal in deals) / len(deals)
            cycle = sum(
                max((deal["date_closed"] - deal["create_date"]).total_seconds() / 86400, 1.0)
                for deal in deals
            ) / len(deals)
            result[user.id] = open_deals.get(user, 0) * win_rate * average / cycle
        return result

    @api.model
    def _current_commits(self, users, monday):
        commits = self.env["scp.sales.commit"].search(
            [("user_id", "in", users.ids), ("week_start", "=", monday), ("state", "=", "current")]
        )
        return {commit.user_id.id: commit for commit in commits}

    @api.model
    def _current_forecasts(self, users, first):
        forecasts = self.env["scp.sales.forecast"].search(
            [("user_id", "in", users.ids), ("month", "=", first), ("state", "=", "current")]
        )
        return {forecast.user_id.id: forecast for forecast in forecasts}

    @api.model
    def _accuracy(self, users, monday):
        """Last week's actual against last week's commit: {user_id: (commit, actual, percent)}."""
        last_monday = monday - timedelta(days=7)
        commits = self._current_commits(users, last_monday)
        actuals = self._actuals(users, last_monday, last_monday + timedelta(days=6))
        result = {}
        for user in users:
            commit = commits[user.id].commit_week if user.id in commits else 0.0
            result[user.id] = (commit, actuals[user.id], pct(actuals[user.id], commit))
        return result

    @api.model
    def _coverage(self, users, first):
        """Open pipeline over the 12 months against the stretched targets of the same months."""
        coverage = self._coverage_by_month(users, [first])
        return {uid: coverage[uid, first] for uid in users.ids}

    @api.model
    def _coverage_by_month(self, users, months):
        """_coverage for each of ``months`` (first days), in two grouped queries whatever their number:
        {(user_id, month): (pipeline, target, percent)}. A month's pipeline is every open deal closing
        before the end of its 12 months (overdue ones included), its target the sum of its 12 targets."""
        months = sorted(set(months))
        if not months:
            return {}
        span = (months[-1].year - months[0].year) * 12 + months[-1].month - months[0].month
        pipeline = self.env["scp.sales.forecast"]._pipeline_by_month(
            users, months[0], months=span + FORECAST_MONTHS
        )
        targets = self.env["scp.sales.target"]._target_amounts(
            users, months[0], add_months(months[-1], FORECAST_MONTHS - 1)
        )
        pipes, goals = defaultdict(list), defaultdict(dict)
        for (uid, month), amount in pipeline.items():
            pipes[uid].append((month, amount))
        for (uid, month), amount in targets.items():
            goals[uid][month] = amount
        windows = {first: months_ahead(first, FORECAST_MONTHS) for first in months}
        result = {}
        for uid in users.ids:
            user_pipes, user_goals = pipes[uid], goals[uid]
            for first, window in windows.items():
                pipe = sum(amount for month, amount in user_pipes if month <= window[-1])
                goal = sum(user_goals.get(month, 0.0) for month in window) if user_goals else 0.0
                result[uid, first] = (pipe, goal, pct(pipe, goal))
        return result

    @api.model
    def _accuracy_by_week(self, users, mondays):
        """Each salesperson's commit for each given week against the week's actual bookings, in three
        grouped queries whatever the number of weeks: {(user_id, monday): (commit, actual, percent)}."""
        mondays = sorted(set(mondays))
        if not mondays:
            return {}
        commits = {
            (user.id, week): amount
            for user, week, amount in self.env["scp.sales.commit"]._read_group(
                [("user_id", "in", users.ids), ("week_start", "in", mondays), ("state", "=", "current")],
                ["user_id", "week_start:day"],
                ["commit_week:sum"],
            )
        }
        # Local days: the same bounds as _actuals.
        bookings = self._weekly_bookings(users, mondays[0], mondays[-1] + timedelta(days=6))
        result = {}
        for uid in users.ids:
            for monday in mondays:
                commit, actual = commits.get((uid, monday), 0.0), bookings[uid].get(monday, 0.0)
                result[uid, monday] = (commit, actual, pct(actual, commit))
        return result

    @api.model
    def _forecast_tracking(self, forecasts):
        """Coverage, growth and last month's unfulfilled orders for each forecast's salesperson and month:
        {forecast_id: {pipeline, target, coverage, pipeline_growth, commit_growth, unfulfilled}}.
        Coverage and growth for all the months and salespeople in a few grouped queries; unfulfilled orders
        one query per month printed (its bounds are local days)."""
        users = forecasts.user_id
        months = set(forecasts.mapped("month"))
        coverage = self._coverage_by_month(users, months)
        growth = self._growth_by_month(users, months)
        unfulfilled = {
            first: self._unfulfilled(users, add_months(first, -1), first - timedelta(days=1))
            for first in months
        }
        result = {}
        for forecast in forecasts:
            key = (forecast.user_id.id, forecast.month)
            result[forecast.id] = {
                "pipeline": coverage[key][0],
                "target": coverage[key][1],
                "coverage": coverage[key][2],
                "pipeline_growth": growth[key]["pipeline"],
                "commit_growth": growth[key]["commit"],
                "unfulfilled": unfulfilled[forecast.month][forecast.user_id.id],
            }
        return result

    @api.model
    def _growth(self, users, first):
        """Pipeline (from the forecast snapshots) and commit (latest commit of the month) month on month."""
        growth = self._growth_by_month(users, [first])
        return {uid: growth[uid, first] for uid in users.ids}

    @api.model
    def _growth_by_month(self, users, months):
        """_growth for each of ``months`` (first days), in two queries whatever their number:
        {(user_id, month): {pipeline, commit}} in percent against the month before."""
        months = sorted(set(months))
        if not months:
            return {}
        amounts = self._growth_amounts_by_month(users, months)
        pipelines = {key: values.get("pipeline", 0.0) for key, values in amounts.items()}
        commits = {key: values.get("commit", 0.0) for key, values in amounts.items()}
        result = {}
        for uid in users.ids:
            for first in months:
                previous = add_months(first, -1)
                pipe_now, pipe_before = pipelines.get((uid, first), 0.0), pipelines.get((uid, previous), 0.0)
                commit_now, commit_before = commits.get((uid, first), 0.0), commits.get((uid, previous), 0.0)
                result[uid, first] = {
                    "pipeline": pct(pipe_now - pipe_before, pipe_before),
                    "commit": pct(commit_now - commit_before, commit_before),
                }
        return result

    @api.model
    def _growth_amounts_by_month(self, users, months):
        """The amounts ``_growth_by_month`` compares, for each of ``months`` and the month before:
        {(user_id, month): {"pipeline": the month's forecast pipeline, "commit": the latest commit of the
        month}}, each amount only where there is a snapshot, in two queries whatever the number of months."""
        months = sorted(set(months))
        if not months:
            return {}
        wanted = sorted(set(months) | {add_months(first, -1) for first in months})
        result = defaultdict(dict)
        for forecast in self.env["scp.sales.forecast"].search(
            [("user_id", "in", users.ids), ("month", "in", wanted), ("state", "=", "current")]
        ):
            result[forecast.user_id.id, forecast.month]["pipeline"] = forecast.pipeline_total
        # the latest commit of each month: the first met in descending weeks
        seen = set()
        for commit in self.env["scp.sales.commit"].search(
            [
                ("user_id", "in", users.ids),
                ("week_start", ">=", wanted[0]),
                ("week_start", "<", add_months(wanted[-1], 1)),
                ("state", "=", "current"),
            ],
            order="week_start desc",
        ):
            key = (commit.user_id.id, month_start(commit.week_start))
            if key not in seen:
                seen.add(key)
                result[key]["commit"] = commit.commit_total
        return dict(result)

    @api.model
    def _unfulfilled(self, users, date_from, date_to, today=None):
        """Confirmed orders of the period that are unfulfilled today, against all of them, in the company
        currency: {user_id: percent}. What counts is each order's company's setting
        (``forecast_unfulfilled_basis``): not delivered (a line of goods with less delivered than ordered),
        invoiced and unpaid past due (a posted customer invoice of the order with an amount still due after
        its due date), or either. Four queries whatever the number of orders."""
        today = today or fields.Date.context_today(self)
        start = day_start_utc(self.env, date_from)
        stop = day_start_utc(self.env, date_to + timedelta(days=1))
        orders = self.env["sale.order"].search_fetch(
            [
                ("user_id", "in", users.ids),
                ("state", "=", "sale"),
                ("date_order", ">=", start),
                ("date_order", "<", stop),
            ],
            ["user_id", "company_id", "amount_untaxed_company"],
        )
        bases = {company: company.sudo().forecast_unfulfilled_basis for company in orders.company_id}
        undelivered = self._orders_not_delivered(
            orders.filtered(lambda order: bases[order.company_id] in ("not_delivered", "both"))
        )
        unpaid = self._orders_unpaid_past_due(
            orders.filtered(lambda order: bases[order.company_id] in ("unpaid", "both")), today
        )
        totals = dict.fromkeys(users.ids, 0.0)
        open_ = dict.fromkeys(users.ids, 0.0)
        for order in orders:
            totals[order.user_id.id] += order.amount_untaxed_company
            if order.id in undelivered or order.id in unpaid:
                open_[order.user_id.id] += order.amount_untaxed_company
        return {uid: pct(open_[uid], totals[uid]) for uid in users.ids}

    @api.model
    def _orders_not_delivered(self, orders):
        """The ids of ``orders`` with a line of goods delivered less than ordered (``qty_delivered``, set by
        the deliveries with Inventory, by hand without it); sections, notes, down payments, services and
        combos are left out. One query."""
        if not orders:
            return set()
        self.env["sale.order.line"].flush_model(
            ["order_id", "display_type", "is_downpayment", "product_id", "product_uom_qty", "qty_delivered"]
        )
        self.env["product.template"].flush_model(["type"])
        rows = self.env.execute_query(
            SQL(
                """SELECT DISTINCT line.order_id FROM sale_order_line line
                     JOIN product_product product ON product.id = line.product_id
                     JOIN product_template template ON template.id = product.product_tmpl_id
                    WHERE line.order_id = ANY(%s) AND line.display_type IS NULL
                      AND line.is_downpayment IS NOT TRUE AND template.type = 'consu'
                      AND line.qty_delivered < line.product_uom_qty""",
                orders.ids,
            )
        )
        return {order_id for (order_id,) in rows}

    @api.model
    def _orders_unpaid_past_due(self, orders, today):
        """The ids of ``orders`` with a posted customer invoice still owing (``amount_residual > 0``) after
        its due date (``invoice_date_due`` before ``today``). One query."""
        if not orders:
            return set()
        self.env["account.move"].flush_model(["move_type", "state", "amount_residual", "invoice_date_due"])
        self.env["account.move.line"].flush_model(["move_id"])
        self.env["sale.order.line"].flush_model(["order_id", "invoice_lines"])
        rows = self.env.execute_query(
            SQL(
                """SELECT DISTINCT line.order_id FROM sale_order_line line
                     JOIN sale_order_line_invoice_rel rel ON rel.order_line_id = line.id
                     JOIN account_move_line invoice_line ON invoice_line.id = rel.invoice_line_id
                     JOIN account_move invoice ON invoice.id = invoice_line.move_id
                    WHERE line.order_id = ANY(%s) AND invoice.move_type = 'out_invoice'
                      AND invoice.state = 'posted' AND invoice.amount_residual > 0
                      AND invoice.invoice_date_due < %s""",
                orders.ids,
                today,
            )
        )
        return {order_id for (order_id,) in rows}

    @api.model
    def _waterfall(self, user, monday):
        """What entered, left, slipped, grew or shrank in the commit from last week to this week (see
        ``_waterfalls``)."""
        return self._waterfalls(user, [monday])[user.id, monday]

    @api.model
    def _waterfall_steps(self):
        """The waterfall's steps in order, ``(key, label)``: from last week's commit (``start``) to this
        week's (``end``), each step a signed amount; ``start`` + the steps = ``end``."""
        return [
            ("start", self.env._("Last Week's Commit")),
            ("entered", self.env._("Added")),
            ("won", self.env._("Won")),
            ("slipped_out", self.env._("Slipped Out")),
            ("dropped", self.env._("Dropped")),
            ("grew", self.env._("Amount Up")),
            ("shrank", self.env._("Amount Down")),
            ("end", self.env._("This Week's Commit")),
        ]

    @api.model
    def _waterfalls(self, users, mondays):
        """The commit waterfall of each salesperson of ``users`` for each Monday of ``mondays``, in a few
        queries whatever their number: ``{(user_id, monday): {start, entered, won, slipped_out, dropped,
        grew, shrank, end, left, slipped}}``.

        Last week's commit (``start``) and this week's (``end``): the commit deals of the two current
        commits. A deal only in this week's is *entered*; a deal only in last week's *left*, split into
        *won* (won since), *slipped_out* (its expected closing moved later between the two submissions:
        ``crm.lead._scp_closing_date_moves``) and *dropped* (the rest: lost, back to upside, deleted); a deal
        in both *grew* or *shrank* by the change of its committed amount. So ``start + entered + won +
        slipped_out + dropped + grew + shrank = end``, and ``left = won + slipped_out + dropped``.
        ``slipped``: the amount of the deals still committed whose committed closing date is later than
        last week's (not a step: they stay in the commit)."""
        mondays = sorted(set(mondays))
        weeks = sorted({day for monday in mondays for day in (monday, monday - timedelta(days=7))})
        keys = ("start", "entered", "won", "slipped_out", "dropped", "grew", "shrank", "end", "left")
        result = {
            (user.id, monday): dict.fromkeys((*keys, "slipped"), 0.0) for user in users for monday in mondays
        }
        if not users or not mondays:
            return result
        Line = self.env["scp.sales.commit.line"]
        lines = Line.search_fetch(
            [
                ("user_id", "in", users.ids),
                ("week_start", "in", weeks),
                ("state", "=", "current"),
                ("category", "=", "commit"),
            ],
            ["user_id", "week_start", "lead_id", "amount", "date_deadline", "commit_id"],
        )
        # a line whose deal was deleted is its own entry (it matches no line of the other week)
        by_week = defaultdict(dict)
        submitted = {}
        for line in lines:
            key = line.lead_id.id or f"line-{line.id}"
            by_week[line.user_id.id, line.week_start][key] = line
            submitted[line.user_id.id, line.week_start] = line.commit_id.submitted_on
        left_ids = {
            line.lead_id.id
            for (user_id, monday) in result
            for key, line in by_week[user_id, monday - timedelta(days=7)].items()
            if line.lead_id and key not in by_week[user_id, monday]
        }
        Lead = self.env["crm.lead"].with_context(active_test=False)
        won = set(Lead.search([("id", "in", list(left_ids)), ("stage_id.is_won", "=", True)]).ids)
        # slips between the earliest and the latest submission: narrowed per pair below
        moves = {}
        if left_ids:
            times = [time for time in submitted.values() if time]
            start = min(times) if times else None
            self.env.cr.execute(
                self.env["crm.lead"]._scp_closing_date_moves_query(
                    start, None, sorted(left_ids - won), per_message=True
                )
            )
            for lead_id, moment in self.env.cr.fetchall():
                moves.setdefault(lead_id, []).append(moment)
        for (user_id, monday), flow in result.items():
            now, before = by_week[user_id, monday], by_week[user_id, monday - timedelta(days=7)]
            since = submitted.get((user_id, monday - timedelta(days=7)))
            until = submitted.get((user_id, monday)) or fields.Datetime.now()
            flow["start"] = sum(line.amount for line in before.values())
            flow["end"] = sum(line.amount for line in now.values())
            for key, line in now.items():
                if key not in before:
                    flow["entered"] += line.amount
                    continue
                old = before[key]
                delta = line.amount - old.amount
                flow["grew" if delta > 0 else "shrank"] += delta
                if old.date_deadline and line.date_deadline and line.date_deadline > old.date_deadline:
                    flow["slipped"] += line.amount
            for key, line in before.items():
                if key in now:
                    continue
                lead_id = line.lead_id.id
                if lead_id in won:
                    step = "won"
                elif any(since <= moment < until for moment in moves.get(lead_id, ()) if since):
                    step = "slipped_out"
                else:
                    step = "dropped"
                flow[step] -= line.amount
                flow["left"] -= line.amount
        return result

    @api.model
    def _accuracy_history(self, users, monday, weeks=8):
        """Each salesperson's commit accuracy for the weeks before the given Monday, oldest first."""
        first = monday - timedelta(days=7 * weeks)
        weeks = [first + timedelta(days=7 * i) for i in range(weeks)]
        accuracy = self._accuracy_by_week(users, weeks)
        history = []
        for week in weeks:
            for user in users:
                commit, actual, percent = accuracy[user.id, week]
                history.append(
                    {
                        "user_id": user.id,
                        "week": week,
                        "commit": commit,
                        "actual": actual,
                        "accuracy": percent,
                    }
                )
        return history

    # 4. Will we reach the stretched target? -------------------------------------------------------------

    @api.model
    def _target_attainment(self, users, teams, monday, today, members=None):
        """The month and the quarter of the week of ``monday`` against their stretched targets, and this
        week against its linear share, for each salesperson and each team (its members among ``users``,
        or ``members``: {team_id: user ids}): {"users": {user_id: values}, "teams": {team_id: values}},
        values as ``_attainment_values``. Seven grouped queries whatever the number of salespeople.

        - Won to date: the actual (``_actuals``' bookings) from the first day of the period to ``today``
          (at most its last day).
        - Forecast + upside: what was booked in the period before ``monday`` + the week's commit and upside
          for the period (the current commit of the week: ``commit_month`` + ``upside_month``, or the
          quarter's); a deal won during the week is still in its commit, so the bookings stop at Monday.
        - A team's target for a month is the team's own, else the sum of its members'."""
        by_week = self._target_attainment_by_week(
            users, teams, [monday], today, {monday: members} if members else None
        )
        return by_week[monday]

    @api.model
    def _target_attainment_by_week(self, users, teams, mondays, today, members=None):
        """``_target_attainment`` for each of ``mondays`` in the same seven queries whatever their number:
        {monday: {"users": ..., "teams": ...}}; ``members``: {monday: {team_id: user ids}}."""
        mondays = sorted(set(mondays))
        months = sorted(
            {
                month
                for monday in mondays
                for month in (
                    *months_ahead(quarter_start(monday), 3),
                    month_start(monday + timedelta(days=6)),
                )
            }
        )
        Target = self.env["scp.sales.target"]
        targets = Target._target_amounts(users, months[0], months[-1])
        team_targets = {
            (team.id, month): amount
            for team, month, amount in Target._read_group(
                [
                    ("team_id", "in", teams.ids),
                    ("user_id", "=", False),
                    ("month", ">=", months[0]),
                    ("month", "<=", months[-1]),
                ],
                ["team_id", "month:month"],
                ["amount:sum"],
            )
        }
        last_day = max(max(min(today, quarter_end(monday)), monday - timedelta(days=1)) for monday in mondays)
        bookings = self._daily_bookings(users, quarter_start(mondays[0]), last_day)
        commits = {
            (commit.user_id.id, commit.week_start): commit
            for commit in self.env["scp.sales.commit"].search(
                [("user_id", "in", users.ids), ("week_start", "in", mondays), ("state", "=", "current")]
            )
        }
        figures = (
            "commit_week",
            "upside_week",
            "commit_month",
            "upside_month",
            "commit_quarter",
            "upside_quarter",
        )
        result = {}
        for monday in mondays:
            first, quarter, before = month_start(monday), quarter_start(monday), monday - timedelta(days=1)
            windows = {
                "month_won": (first, min(today, month_end(monday))),
                "quarter_won": (quarter, min(today, quarter_end(monday))),
                "month_booked": (first, before),
                "quarter_booked": (quarter, before),
            }
            amounts = {}
            for uid in users.ids:
                days, commit = bookings[uid], commits.get((uid, monday))
                amounts[uid] = {
                    **{
                        key: sum(amount for day, amount in days.items() if start <= day <= stop)
                        for key, (start, stop) in windows.items()
                    },
                    **{key: commit[key] if commit else 0.0 for key in figures},
                }
            # the months this week is measured against: its quarter's and its Sunday's
            week_months = sorted({*months_ahead(quarter, 3), month_start(monday + timedelta(days=6))})
            week = result[monday] = {
                "users": {
                    uid: self._attainment_values(
                        amounts[uid], {month: targets.get((uid, month), 0.0) for month in week_months}, monday
                    )
                    for uid in users.ids
                },
                "teams": {},
            }
            team_members = (members or {}).get(monday) or {}
            for team in teams:
                uids = [uid for uid in team_members.get(team.id, team.member_ids.ids) if uid in amounts]
                total = {key: sum(amounts[uid][key] for uid in uids) for key in (*windows, *figures)}
                goals = {
                    month: team_targets.get(
                        (team.id, month), sum(targets.get((uid, month), 0.0) for uid in uids)
                    )
                    for month in week_months
                }
                week["teams"][team.id] = self._attainment_values(total, goals, monday)
        return result

    @api.model
    def _daily_bookings(self, users, date_from, date_to):
        """The actual of ``_actuals`` (won deals closed, confirmed orders without a deal dated) per
        salesperson and local day between two dates, in two grouped queries: {user_id: {day: amount}}."""
        start = day_start_utc(self.env, date_from)
        stop = day_start_utc(self.env, date_to + timedelta(days=1))
        # days grouped in the timezone of the bounds (the user's, else the company's)
        local = self.with_context(tz=local_timezone(self.env).zone)
        result = {uid: defaultdict(float) for uid in users.ids}
        for model, domain, date_field, amount_field in self._booking_sources(start, stop):
            for user, day, amount in local.env[model]._read_group(
                [("user_id", "in", users.ids), *domain],
                ["user_id", f"{date_field}:day"],
                [f"{amount_field}:sum"],
            ):
                result[user.id][day.date() if isinstance(day, datetime) else day] += amount
        return result

    @api.model
    def _attainment_values(self, amounts, targets, monday):
        """From the amounts of ``_target_attainment`` and the stretched targets per month ({first day:
        amount}, the months of the quarter and of the week): won to date, target, attainment %, forecast +
        upside and its % of the target, for the month and the quarter; this week's commit + upside, the
        week's linear share of the targets (each day 1/n of its month's target, n the days of the month)
        and the first against the second in %."""
        first, quarter = month_start(monday), quarter_start(monday)
        month_target = targets.get(first, 0.0)
        quarter_target = sum(targets.get(month, 0.0) for month in months_ahead(quarter, 3))
        week_share = sum(targets.get(month, 0.0) * share for month, share in week_days(monday))
        month_upside = amounts["month_booked"] + amounts["commit_month"] + amounts["upside_month"]
        quarter_upside = amounts["quarter_booked"] + amounts["commit_quarter"] + amounts["upside_quarter"]
        week = amounts["commit_week"] + amounts["upside_week"]
        return {
            "month_won": amounts["month_won"],
            "month_target": month_target,
            "month_attainment": pct(amounts["month_won"], month_target),
            "month_forecast_upside": month_upside,
            "month_forecast_pct": pct(month_upside, month_target),
            "quarter_won": amounts["quarter_won"],
            "quarter_target": quarter_target,
            "quarter_attainment": pct(amounts["quarter_won"], quarter_target),
            "quarter_forecast_upside": quarter_upside,
            "quarter_forecast_pct": pct(quarter_upside, quarter_target),
            "week_commit_upside": week,
            "week_linear_share": week_share,
            "week_linear": pct(week, week_share),
        }

    @api.model
    def _attainment_colours(self, row, company):
        """The colours of a row's attainment measures (none where there is no target to judge by)."""
        judged = {
            "month_forecast_colour": ("target", "month_forecast_pct", "month_target"),
            "quarter_forecast_colour": ("target", "quarter_forecast_pct", "quarter_target"),
            "annual_forecast_colour": ("target", "forecast_target_pct", "target"),
            "week_linear_colour": ("linear", "week_linear", "week_linear_share"),
        }
        return {
            colour: self._colour(kind, row[key], company) if row[base] else False
            for colour, (kind, key, base) in judged.items()
        }

    @api.model
    def _monday_columns(self):
        """The Monday screen's columns, in order: ``(key of a row of _consolidate, label, kind, colour
        key or False)``; kind is ``monetary``, ``percent``, ``float``, ``integer``, ``boolean`` or ``char``.
        Each part of the forecast adds its own columns here, and the screen, the pack and the tests read
        this one list."""
        return [
            ("commit_submitted", self.env._("Commit Submitted"), "boolean", False),
            ("forecast_submitted", self.env._("Forecast Submitted"), "boolean", False),
            ("commit_week", self.env._("Commit (week)"), "monetary", False),
            ("upside_week", self.env._("Upside (week)"), "monetary", False),
            ("forecast_total", self.env._("12-Month Forecast"), "monetary", False),
            ("last_commit", self.env._("Last Week's Commit"), "monetary", False),
            ("last_actual", self.env._("Last Week's Actual"), "monetary", False),
            ("accuracy", self.env._("Accuracy %"), "percent", "accuracy_colour"),
            ("pipeline", self.env._("Pipeline"), "monetary", False),
            ("target", self.env._("Stretched Target"), "monetary", False),
            ("coverage", self.env._("Coverage %"), "percent", "coverage_colour"),
            ("pipeline_growth", self.env._("Pipeline Growth %"), "percent", "growth_colour"),
            ("commit_growth", self.env._("Commit Growth %"), "percent", False),
            ("unfulfilled", self.env._("Unfulfilled %"), "percent", "unfulfilled_colour"),
            ("linearity", self.env._("Linearity %"), "percent", False),
            ("velocity", self.env._("Velocity / Day"), "monetary", False),
            # the week's commit split by its checklist (stored on the commit at submission)
            ("commit_complete_week", self.env._("Commit Complete"), "monetary", False),
            ("commit_overridden_week", self.env._("Commit Overridden"), "monetary", False),
            # discipline: 100 % submission (a rep's row: 100 or 0; a team's: submitted / expected)
            ("commit_rate", self.env._("Commit Submission %"), "percent", "commit_rate_colour"),
            ("forecast_rate", self.env._("Forecast Submission %"), "percent", "forecast_rate_colour"),
            ("commit_missing", self.env._("Commit Not Submitted"), "char", False),
            ("forecast_missing", self.env._("Forecast Not Submitted"), "char", False),
            # 4. will we reach the stretched target (_target_attainment)
            ("week_commit_upside", self.env._("Commit + Upside (week)"), "monetary", False),
            ("week_linear_share", self.env._("Linear Share of Target (week)"), "monetary", False),
            ("week_linear", self.env._("Week vs Linear %"), "percent", "week_linear_colour"),
            ("month_won", self.env._("Won (month to date)"), "monetary", False),
            ("month_target", self.env._("Stretched Target (month)"), "monetary", False),
            ("month_attainment", self.env._("Attainment (month) %"), "percent", False),
            ("month_forecast_upside", self.env._("Forecast + Upside (month)"), "monetary", False),
            (
                "month_forecast_pct",
                self.env._("Forecast + Upside vs Target (month) %"),
                "percent",
                "month_forecast_colour",
            ),
            ("quarter_won", self.env._("Won (quarter to date)"), "monetary", False),
            ("quarter_target", self.env._("Stretched Target (quarter)"), "monetary", False),
            ("quarter_attainment", self.env._("Attainment (quarter) %"), "percent", False),
            ("quarter_forecast_upside", self.env._("Forecast + Upside (quarter)"), "monetary", False),
            (
                "quarter_forecast_pct",
                self.env._("Forecast + Upside vs Target (quarter) %"),
                "percent",
                "quarter_forecast_colour",
            ),
            (
                "forecast_target_pct",
                self.env._("12-Month Forecast vs Target %"),
                "percent",
                "annual_forecast_colour",
            ),
        ]

    @api.model
    def _consolidate(self, teams, today=None):
        """The Monday roll-up: one row per salesperson and one per team, with measures and colours."""
        today = today or fields.Date.context_today(self)
        monday, first = week_start(today), month_start(today)
        users = teams.member_ids
        commits = self._current_commits(users, monday)
        forecasts = self._current_forecasts(users, first)
        accuracy = self._accuracy(users, monday)
        coverage = self._coverage(users, first)
        growth = self._growth(users, first)
        previous_month = add_months(first, -1)
        unfulfilled = self._unfulfilled(users, previous_month, first - timedelta(days=1), today)
        # Linearity over the weeks of last month; velocity over the last quarter's closed deals.
        linearity = self._linearity(users, previous_month, first - timedelta(days=1))
        velocity = self._velocity(users, add_months(first, -3), first - timedelta(days=1))
        team_targets = self.env["scp.sales.target"]._team_target_amounts(
            teams, first, add_months(first, FORECAST_MONTHS - 1)
        )
        rows = []
        for team in teams:
            team_rows = []
            for user in team.member_ids:
                commit = commits.get(user.id)
                row = {
                    "team_id": team.id,
                    "user_id": user.id,
                    "commit_submitted": bool(commit),
                    "forecast_submitted": user.id in forecasts,
                    "commit_week": commit.commit_week if commit else 0.0,
                    "upside_week": commit.upside_week if commit else 0.0,
                    "forecast_total": forecasts[user.id].total if user.id in forecasts else 0.0,
                    "last_commit": accuracy[user.id][0],
                    "last_actual": accuracy[user.id][1],
                    "accuracy": accuracy[user.id][2],
                    "pipeline": coverage[user.id][0],
                    "target": coverage[user.id][1],
                    "coverage": coverage[user.id][2],
                    "pipeline_growth": growth[user.id]["pipeline"],
                    "commit_growth": growth[user.id]["commit"],
                    "unfulfilled": unfulfilled[user.id],
                    "linearity": linearity[user.id],
                    "velocity": velocity[user.id],
                    "commit_complete_week": commit.commit_complete_week if commit else 0.0,
                    "commit_overridden_week": commit.commit_overridden_week if commit else 0.0,
                }
                team_rows.append(row)
            total = {"team_id": team.id, "user_id": False, "is_team_total": True}
            for key in (*ROLLUP_SUMS, "commit_complete_week", "commit_overridden_week"):
                total[key] = sum(row[key] for row in team_rows)
            # A target set on the team itself wins over the sum of its salespeople's targets.
            total["target"] = team_targets.get(team.id, total["target"])
            total["commit_submitted"] = all(row["commit_submitted"] for row in team_rows)
            total["forecast_submitted"] = all(row["forecast_submitted"] for row in team_rows)
            total["accuracy"] = pct(total["last_actual"], total["last_commit"])
            total["coverage"] = pct(total["pipeline"], total["target"])
            rows.extend([*team_rows, total])
        for row in rows:
            # judged by the bands of the team's company, as its commits are (else the current company)
            company = teams.browse(row["team_id"]).company_id
            row["accuracy_colour"] = (
                self._colour("accuracy", row["accuracy"], company) if row["last_commit"] else False
            )
            row["coverage_colour"] = (
                self._colour("coverage", row["coverage"], company) if row["target"] else False
            )
            if "pipeline_growth" in row:
                row["growth_colour"] = self._colour("growth", row["pipeline_growth"], company)
                row["unfulfilled_colour"] = self._colour("unfulfilled", row["unfulfilled"], company)
        # 4. will we reach the stretched target: month, quarter, 12 months, this week against linear
        attainment = self._target_attainment(users, teams, monday, today)
        for row in rows:
            team_total = row.get("is_team_total")
            row.update(
                attainment["teams"][row["team_id"]] if team_total else attainment["users"][row["user_id"]]
            )
            row["forecast_target_pct"] = pct(row["forecast_total"], row["target"])
            row.update(self._attainment_colours(row, teams.browse(row["team_id"]).company_id))
        self._submission_rows(rows, teams, monday, first)
        return rows

    @api.model
    def _non_submitters(self, teams, monday=None, first=None):
        """Salespeople of the teams without a current commit for the week / forecast for the month."""
        users = teams.member_ids
        result = self.env["res.users"]
        if monday:
            result |= (
                users
                - self.env["scp.sales.commit"]
                .search(
                    [("user_id", "in", users.ids), ("week_start", "=", monday), ("state", "=", "current")]
                )
                .user_id
            )
        if first:
            result |= (
                users
                - self.env["scp.sales.forecast"]
                .search([("user_id", "in", users.ids), ("month", "=", first), ("state", "=", "current")])
                .user_id
            )
        return result

    # --- discipline: 100 % submission ---------------------------------------------------------------
    @api.model
    def _submission(self, teams, kind, periods):
        """Who had to submit a commit (``kind`` ``commit``, ``periods`` Mondays) or a forecast (``forecast``,
        first days of months) and who did not, per team and period, in one grouped query:
        ``{(team_id, period): {"expected": users, "missing": users, "submitted": int, "rate": percent}}``.

        Expected: the team's members (active memberships of active users) when the rate is read; a
        salesperson submitted when they have a current snapshot for the period (in any team). A team
        nobody is expected in is at 100 %."""
        Snapshot, period_field = (
            (self.env["scp.sales.commit"], "week_start")
            if kind == "commit"
            else (self.env["scp.sales.forecast"], "month")
        )
        periods = sorted(set(periods))
        users = teams.member_ids
        done = set()
        if periods and users:
            done = {
                (user.id, period)
                for user, period in Snapshot._read_group(
                    [("user_id", "in", users.ids), (period_field, "in", periods), ("state", "=", "current")],
                    ["user_id", f"{period_field}:day"],
                )
            }
        result = {}
        for team in teams:
            expected = team.member_ids
            for period in periods:
                missing = expected.filtered(lambda user, period=period: (user.id, period) not in done)
                submitted = len(expected) - len(missing)
                result[team.id, period] = {
                    "expected": expected,
                    "missing": missing,
                    "submitted": submitted,
                    "rate": pct(submitted, len(expected)) if expected else 100.0,
                }
        return result

    @api.model
    def _submission_rows(self, rows, teams, monday, first):
        """The submission columns of the Monday rows (``_consolidate``): a rep's rate is 100 or 0, a team's
        the share of its expected salespeople who submitted, with the names of those who did not; green at
        100 % only (the deck: 100 % submission, no exceptions)."""
        commits = self._submission(teams, "commit", [monday])
        forecasts = self._submission(teams, "forecast", [first])
        for row in rows:
            if row.get("is_team_total") and (row.get("team_id"), monday) in commits:
                commit, forecast = commits[row["team_id"], monday], forecasts[row["team_id"], first]
                row["commit_rate"], row["forecast_rate"] = commit["rate"], forecast["rate"]
                # the counts, for the roll-ups above the teams (forecast hierarchy)
                row["commit_expected"], row["commit_done"] = len(commit["expected"]), commit["submitted"]
                row["forecast_expected"], row["forecast_done"] = (
                    len(forecast["expected"]),
                    forecast["submitted"],
                )
                row["commit_missing"] = ", ".join(commit["missing"].mapped("name"))
                row["forecast_missing"] = ", ".join(forecast["missing"].mapped("name"))
            elif row.get("user_id") and not row.get("is_team_total"):
                row["commit_rate"] = 100.0 if row.get("commit_submitted") else 0.0
                row["forecast_rate"] = 100.0 if row.get("forecast_submitted") else 0.0
                row["commit_missing"] = row["forecast_missing"] = ""
            else:  # a roll-up above the teams (if any): left to its own part
                continue
            for key in ("commit_rate", "forecast_rate"):
                row[f"{key}_colour"] = "success" if row[key] >= 100.0 else "danger"
        return rows

    # --- the Monday screen (client action ``sales_cycle_process.monday_screen``) --------------------------
    @api.model
    @api.readonly  # served on the replica when one is configured (writes nothing)
    def get_monday_screen(self, date=None, team_ids=None):
        """The Monday consolidation as the live screen shows it, for the week of ``date`` (default today)
        and the sales teams ``team_ids`` (default: every team the caller may consolidate).

        Public (called over RPC by the screen), so it checks its caller: sales managers (and the managing
        director) consolidate every team they may read, a team leader the teams they lead (with the right to
        read their members' documents); anybody else gets an ``AccessError``, and so does a request naming a
        team the caller may not consolidate. Everything is read as the caller: record rules and the allowed
        companies apply, nothing is read in sudo.

        Returns ``{date, week_start, month, teams, team_ids, columns, rows}``: ``teams`` the teams to choose
        from (``[{id, name}]``), ``columns`` the list of ``_monday_columns`` (``[{key, label, kind,
        colour}]``), ``rows`` those of ``_consolidate`` with ``level`` (``rep``, ``team``, ``region``,
        ``company``), ``name``, ``currency_id`` and, on a salesperson's row, ``commit_id`` (their current
        commit of the week, to open it; ``False`` when none)."""
        teams = self._monday_screen_teams(team_ids)
        day = sane_date(self.env, date, self.env._("The day of the Monday consolidation")) if date else None
        day = day or fields.Date.context_today(self)
        monday = week_start(day)
        rows = self._consolidate(teams, day)
        if not self.env.user.has_group("sales_team.group_sale_manager"):
            # a team leader reads their teams, not the roll-ups above them nor their managers' calls
            rows = [row for row in rows if row.get("level", "rep") in ("rep", "team")]
        users = self.env["res.users"].browse(sorted({row["user_id"] for row in rows if row.get("user_id")}))
        commits = self._current_commits(users, monday)
        company_currency = self.env.company.currency_id
        screen_rows = []
        for row in rows:
            level = row.get("level") or (
                "team" if row.get("is_team_total") or not row.get("user_id") else "rep"
            )
            team = teams.browse(row["team_id"]) if row.get("team_id") else teams.browse()
            user = users.browse(row["user_id"]) if row.get("user_id") else users.browse()
            name = row.get("name") or {
                "rep": user.name,
                "team": team.name,
                "region": self.env["scp.sales.region"].browse(row.get("region_id") or []).name,
                "company": self.env["res.company"].browse(row.get("company_id") or []).name,
            }.get(level)
            screen_rows.append(
                {
                    **{key: self._monday_screen_value(value) for key, value in row.items()},
                    "level": level,
                    "name": name or "",
                    "currency_id": (team.company_id.currency_id or company_currency).id,
                    "commit_id": commits[user.id].id if level == "rep" and user.id in commits else False,
                }
            )
        return {
            "date": fields.Date.to_string(day),
            "week_start": fields.Date.to_string(monday),
            "month": fields.Date.to_string(month_start(day)),
            "teams": [{"id": team.id, "name": team.name} for team in self._monday_screen_teams()],
            "team_ids": teams.ids,
            "columns": [
                {"key": key, "label": label, "kind": kind, "colour": colour}
                for key, label, kind, colour in self._monday_columns()
            ],
            "rows": screen_rows,
        }

    @api.model
    def _monday_screen_teams(self, team_ids=None):
        """The sales teams the caller may consolidate, read as the caller (record rules, companies): every
        team they read for a sales manager, the teams they lead for a team leader who reads all documents.
        ``team_ids`` narrows them; naming any other team, or calling without the right, is an AccessError."""
        user = self.env.user
        refused = AccessError(
            self.env._(
                "The Monday consolidation is for sales managers and team leaders: "
                "you may not consolidate these sales teams."
            )
        )
        if user.share or not user.has_group("sales_team.group_sale_salesman"):
            raise refused
        Team = self.env["crm.team"]
        if user.has_group("sales_team.group_sale_manager"):
            # the teams of the companies the caller works in now (the record rules say the same)
            teams = Team.search([("company_id", "in", [*self.env.companies.ids, False])])
        elif user.has_group("sales_team.group_sale_salesman_all_leads"):
            teams = Team.search([("user_id", "=", user.id)])
        else:
            teams = Team  # a leader who reads only their own deals cannot consolidate the team's
        if not teams:
            raise refused
        if team_ids is None or team_ids is False:
            return teams
        if not isinstance(team_ids, list | tuple) or not all(
            isinstance(team_id, int) and not isinstance(team_id, bool) for team_id in team_ids
        ):
            raise UserError(self.env._("Choose the sales teams to consolidate from the list."))
        if not set(team_ids) <= set(teams.ids):
            raise refused
        return teams.filtered(lambda team: team.id in team_ids)

    @api.model
    def _monday_screen_value(self, value):
        """A value of a row of ``_consolidate`` as JSON: dates as strings, records as ids."""
        if isinstance(value, models.BaseModel):
            return value.id if len(value) == 1 else value.ids
        if isinstance(value, datetime):
            return fields.Datetime.to_string(value)
        if isinstance(value, date_type):
            return fields.Date.to_string(value)
        return value

    # --- the waterfall of a salesperson's row of the Monday screen --------------------------------------
    @api.model
    @api.readonly  # served on the replica when one is configured (writes nothing)
    def get_monday_waterfall(self, user_id, date=None):
        """The commit waterfall (``_waterfall``) of one salesperson of the Monday screen for the week of
        ``date`` (default today): ``{name, week_start, currency_id, steps: [{key, label, amount, total}]}``,
        ``total`` true for last week's and this week's commit, the steps between them adding up.

        Public (the screen calls it), so it checks its caller as ``get_monday_screen`` does: the salesperson
        must be a member of a team the caller may consolidate; otherwise an ``AccessError``."""
        teams = self._monday_screen_teams()
        if isinstance(user_id, bool) or not isinstance(user_id, int):
            raise UserError(self.env._("Choose a salesperson of the Monday consolidation."))
        user = (teams.member_ids | teams.user_id).filtered(lambda member: member.id == user_id)
        if not user:
            raise AccessError(
                self.env._("You may see the commit waterfall of the salespeople of your teams only.")
            )
        day = sane_date(self.env, date, self.env._("The day of the Monday consolidation")) if date else None
        monday = week_start(day or fields.Date.context_today(self))
        flow = self._waterfall(user, monday)
        return {
            "name": user.name,
            "week_start": fields.Date.to_string(monday),
            "currency_id": self.env.company.currency_id.id,
            "steps": [
                {"key": key, "label": label, "amount": flow[key], "total": key in ("start", "end")}
                for key, label in self._waterfall_steps()
            ],
        }
