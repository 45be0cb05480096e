from collections import defaultdict
from datetime import date as date_type
from datetime import datetime, timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools.periods import add_months, day_start_utc, month_start, months_ahead, sane_date, week_start
from .res_company_forecast import BAND_KEYS
from .scp_sales_forecast import FORECAST_MONTHS

COLOURS = [("success", "Good"), ("warning", "Watch"), ("danger", "Off")]


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
        return False

    @api.model
    def _actuals(self, users, date_from, date_to):
        """Won deals (closed in the period) and confirmed orders without a deal: {user_id: amount}."""
        start = day_start_utc(self.env, date_from)
        stop = day_start_utc(self.env, date_to + timedelta(days=1))
        result = dict.fromkeys(users.ids, 0.0)
        for user, amount in self.env["crm.lead"]._read_group(
            [
                ("user_id", "in", users.ids),
                ("stage_id.is_won", "=", True),
                ("date_closed", ">=", start),
                ("date_closed", "<", stop),
            ],
            ["user_id"],
            ["expected_revenue_company:sum"],
        ):
            result[user.id] += amount
        for user, amount in self.env["sale.order"]._read_group(
            [
                ("user_id", "in", users.ids),
                ("state", "=", "sale"),
                ("opportunity_id", "=", False),
                ("date_order", ">=", start),
                ("date_order", "<", stop),
            ],
            ["user_id"],
            ["amount_untaxed_company:sum"],
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
        groups = [
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
        for model, domain, date_field, amount_field in groups:
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
        wanted = sorted(set(months) | {add_months(first, -1) for first in months})
        pipelines = {
            (forecast.user_id.id, forecast.month): forecast.pipeline_total
            for forecast in self.env["scp.sales.forecast"].search(
                [("user_id", "in", users.ids), ("month", "in", wanted), ("state", "=", "current")]
            )
        }
        # the latest commit of each month: the first met in descending weeks
        commits = {}
        for commit in self.env["scp.sales.commit"].search(
            [
                ("user_id", "in", users.ids),
                ("week_start", ">=", wanted[0]),
                ("week_start", "<", add_months(wanted[-1], 1)),
                ("state", "=", "current"),
            ],
            order="week_start desc",
        ):
            commits.setdefault((commit.user_id.id, month_start(commit.week_start)), commit.commit_total)
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
    def _unfulfilled(self, users, date_from, date_to):
        """Confirmed orders of the period not fully invoiced, against all of them: {user_id: percent}."""
        start = day_start_utc(self.env, date_from)
        stop = day_start_utc(self.env, date_to + timedelta(days=1))
        totals = dict.fromkeys(users.ids, 0.0)
        open_ = dict.fromkeys(users.ids, 0.0)
        for user, status, amount in self.env["sale.order"]._read_group(
            [
                ("user_id", "in", users.ids),
                ("state", "=", "sale"),
                ("date_order", ">=", start),
                ("date_order", "<", stop),
            ],
            ["user_id", "invoice_status"],
            ["amount_untaxed_company:sum"],
        ):
            totals[user.id] += amount
            if status != "invoiced":
                open_[user.id] += amount
        return {uid: pct(open_[uid], totals[uid]) for uid in users.ids}

    @api.model
    def _waterfall(self, user, monday):
        """What entered, left, slipped, grew or shrank in the commit from last week to this week."""
        commits = self.env["scp.sales.commit"].search(
            [
                ("user_id", "=", user.id),
                ("week_start", "in", [monday, monday - timedelta(days=7)]),
                ("state", "=", "current"),
            ]
        )
        # a line whose deal was deleted is its own entry (it matches no line of the other week)
        now = {
            line.lead_id.id or f"line-{line.id}": line
            for c in commits
            if c.week_start == monday
            for line in c.line_ids
            if line.category == "commit"
        }
        before = {
            line.lead_id.id or f"line-{line.id}": line
            for c in commits
            if c.week_start != monday
            for line in c.line_ids
            if line.category == "commit"
        }
        result = {
            "start": sum(line.amount for line in before.values()),
            "entered": 0.0,
            "left": 0.0,
            "slipped": 0.0,
            "grew": 0.0,
            "shrank": 0.0,
        }
        for lead_id, line in now.items():
            if lead_id not in before:
                result["entered"] += line.amount
                continue
            old = before[lead_id]
            delta = line.amount - old.amount
            if delta > 0:
                result["grew"] += delta
            elif delta < 0:
                result["shrank"] += delta
            if old.date_deadline and line.date_deadline and line.date_deadline > old.date_deadline:
                result["slipped"] += line.amount
        for lead_id, line in before.items():
            if lead_id not in now:
                result["left"] -= line.amount
        result["end"] = sum(line.amount for line in now.values())
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
        unfulfilled = self._unfulfilled(users, previous_month, first - timedelta(days=1))
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
            for key in (
                "commit_week",
                "upside_week",
                "forecast_total",
                "last_commit",
                "last_actual",
                "pipeline",
                "target",
                "commit_complete_week",
                "commit_overridden_week",
            ):
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
