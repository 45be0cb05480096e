# Copyright 2026 sales_cycle_process contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Each rep's forecasting bias: what they delivered against what they committed, week by week (the weekly
commits) and month by month (the monthly forecasts), its trend and a label a manager reads at a glance."""

import statistics
from collections import defaultdict
from datetime import datetime, timedelta

from odoo import api, fields, models

from ..tools.periods import add_months, day_start_utc, local_timezone, month_end, month_start, week_start
from .scp_forecast_measures import pct

# A trend moving the distance from the accuracy band by less than this many points a period is steady.
BIAS_TREND_STEADY = 1.0
# The colour of each label on the Monday screen.
BIAS_COLOURS = {"over": "danger", "under": "warning", "accurate": "success", "none": False}


class ScpForecastMeasures(models.AbstractModel):
    _inherit = "scp.forecast.measures"

    # --- the names a manager reads ------------------------------------------------------------------
    @api.model
    def _bias_label_names(self):
        return {
            "under": self.env._("Consistently under-committing"),
            "over": self.env._("Consistently over-committing"),
            "accurate": self.env._("Accurate"),
            "none": self.env._("Not enough history"),
        }

    @api.model
    def _bias_trend_names(self):
        return {
            "improving": self.env._("Improving"),
            "worsening": self.env._("Worsening"),
            "steady": self.env._("Steady"),
            "none": "",
        }

    # --- the periods and their ratios -------------------------------------------------------------
    @api.model
    def _bias_periods(self, kind, last, count):
        """The ``count`` periods (``week``: Mondays; ``month``: first days) up to ``last`` included, oldest
        first."""
        if kind == "week":
            last = week_start(last)
            return [last - timedelta(days=7 * offset) for offset in range(count - 1, -1, -1)]
        last = month_start(last)
        return [add_months(last, -offset) for offset in range(count - 1, -1, -1)]

    @api.model
    def _bias_last_period(self, kind, day):
        """The last period fully behind ``day`` (a week or a month whose actuals are all in): the week or
        the month before the one of ``day``."""
        if kind == "week":
            return week_start(day) - timedelta(days=7)
        return add_months(month_start(day), -1)

    @api.model
    def _bias_called(self, users, kind, periods):
        """What each rep called and booked in each period: ``{(user_id, period): (called, actual)}``.

        ``week``: the week's current commit (``commit_week``) against the week's actual, read by
        ``_accuracy_by_week`` (the accuracy the screen and the commit pack show). ``month``: the month's own
        line of the forecast submitted for that month (the call made at its start) against the month's
        bookings (``_monthly_bookings``: the one definition of an actual, ``_booking_sources``). One grouped
        query per measure for all the reps and periods."""
        if not periods or not users:
            return {}
        if kind == "week":
            return {
                key: (commit, actual)
                for key, (commit, actual, _percent) in self._accuracy_by_week(users, periods).items()
            }
        forecasts = {
            (user.id, submitted): amount
            for user, submitted, month, amount in self.env["scp.sales.forecast.line"]._read_group(
                [
                    ("user_id", "in", users.ids),
                    ("state", "=", "current"),
                    ("submitted_month", "in", periods),
                    ("month", "in", periods),
                ],
                ["user_id", "submitted_month:day", "month:day"],
                ["amount:sum"],
            )
            if submitted == month
        }
        actuals = self._monthly_bookings(users, periods[0], month_end(periods[-1]))
        return {
            (uid, month): (forecasts.get((uid, month), 0.0), actuals.get((uid, month), 0.0))
            for uid in users.ids
            for month in periods
        }

    @api.model
    def _monthly_bookings(self, users, date_from, date_to):
        """The actual of ``_actuals`` per salesperson and local month between two dates (``_daily_bookings``
        grouped by month in the database): ``{(user_id, first day of the month): amount}``."""
        start = day_start_utc(self.env, date_from)
        stop = day_start_utc(self.env, date_to + timedelta(days=1))
        # months grouped in the timezone of the bounds (the user's, else the company's)
        local = self.with_context(tz=local_timezone(self.env).zone)
        result = defaultdict(float)
        for model, domain, date_field, amount_field in self._booking_sources(start, stop):
            for user, month, amount in local.env[model]._read_group(
                [("user_id", "in", users.ids), *domain],
                ["user_id", f"{date_field}:month"],
                [f"{amount_field}:sum"],
            ):
                result[user.id, month_start(month.date() if isinstance(month, datetime) else month)] += amount
        return result

    @api.model
    def _bias_verdict(self, series, bands, least):
        """The bias of one series ``[(period, called, actual)]`` (oldest first) against the accuracy band
        ``bands`` (``_bands()``), with at least ``least`` periods called.

        A period counts when something was called (a commit or a forecast above 0); its ratio is actual /
        called in %. The typical ratio is the median of the counted periods: below the band the rep
        delivers less than they call (over-committing), above it more (under-committing), inside it
        accurate; "consistently", as the median means at least half the periods are on that side. The trend
        is the least-squares slope of the ratios (points per period), and whether the distance from the
        band shrinks (improving), grows (worsening) or moves less than ``BIAS_TREND_STEADY`` a period.

        Returns ``{periods: [(period, called, actual, ratio or False)], counted, ratio, label, slope,
        trend}``."""
        low, high = bands["accuracy_min"], bands["accuracy_max"]
        periods = [
            (period, called, actual, pct(actual, called) if called > 0 else False)
            for period, called, actual in series
        ]
        ratios = [ratio for *_rest, ratio in periods if ratio is not False]
        result = {
            "periods": periods,
            "counted": len(ratios),
            "ratio": statistics.median(ratios) if ratios else False,
            "label": "none",
            "slope": 0.0,
            "trend": "none",
        }
        if len(ratios) >= 2:
            result["slope"] = self._bias_slope(ratios)
            distance = self._bias_slope([max(low - ratio, ratio - high, 0.0) for ratio in ratios])
            result["trend"] = (
                "improving"
                if distance <= -BIAS_TREND_STEADY
                else "worsening"
                if distance >= BIAS_TREND_STEADY
                else "steady"
            )
        if ratios and len(ratios) >= least:
            typical = result["ratio"]
            result["label"] = "over" if typical < low else "under" if typical > high else "accurate"
        return result

    @api.model
    def _bias_slope(self, values):
        """The least-squares slope of ``values`` taken one period apart (per period)."""
        count = len(values)
        mean_x, mean_y = (count - 1) / 2, sum(values) / count
        spread = sum((x - mean_x) ** 2 for x in range(count))
        return sum((x - mean_x) * (y - mean_y) for x, y in enumerate(values)) / spread if spread else 0.0

    @api.model
    def _bias_settings(self, company, kind):
        """``(periods read, periods needed)`` of ``company``'s settings for ``kind``."""
        company = company.sudo()
        if kind == "week":
            return company.forecast_bias_weeks, company.forecast_bias_min_weeks
        return company.forecast_bias_months, company.forecast_bias_min_months

    @api.model
    def _bias(self, users, kind, last, companies=None):
        """Each rep's forecasting bias over the periods up to ``last`` (``kind`` ``week`` or ``month``), by
        the settings and bands of their company (``companies``: {user_id: company}, default each user's
        company): ``{user_id: _bias_verdict}``. The periods of all the reps are read at once, the longest
        history any of their companies asks for."""
        companies = companies or {user.id: user.company_id for user in users}
        periods, called = self._bias_history(users, kind, last, set(companies.values()))
        return {user.id: self._bias_of(called, user.ids, kind, periods, companies[user.id]) for user in users}

    @api.model
    def _bias_history(self, users, kind, last, companies):
        """The periods up to ``last`` that the longest setting of ``companies`` reads, and what ``users``
        called and booked in them (``_bias_called``)."""
        longest = max((self._bias_settings(company, kind)[0] for company in companies), default=0)
        periods = self._bias_periods(kind, last, longest) if longest else []
        return periods, self._bias_called(users, kind, periods)

    @api.model
    def _bias_of(self, called, user_ids, kind, periods, company):
        """The verdict of the reps ``user_ids`` together (their calls and actuals added up period by
        period) over the last periods ``company`` reads, by its bands."""
        count, least = self._bias_settings(company, kind)
        series = []
        for period in periods[-count:]:
            figures = [called.get((uid, period), (0.0, 0.0)) for uid in user_ids]
            series.append((period, sum(f[0] for f in figures), sum(f[1] for f in figures)))
        return self._bias_verdict(series, self._bands(company), least)

    @api.model
    def _bias_note(self, verdict, kind):
        """The sentence explaining a verdict to a manager (the screen's tooltip, the packs)."""
        names = self._bias_label_names()
        if not verdict["counted"]:
            return self.env._("No commit or forecast called in these periods: nothing to judge yet.")
        values = {
            "label": names[verdict["label"]],
            "ratio": round(verdict["ratio"]),
            "counted": verdict["counted"],
            "trend": self._bias_trend_names()[verdict["trend"]].lower(),
            "slope": verdict["slope"],
        }
        if kind == "week":
            note = self.env._(
                "%(label)s: in a typical week, delivered %(ratio)s %% of the commit, over %(counted)s weeks "
                "with a commit.",
                **values,
            )
            trend = self.env._("Trend: %(trend)s (%(slope)+.1f points a week).", **values)
        else:
            note = self.env._(
                "%(label)s: in a typical month, delivered %(ratio)s %% of the forecast, over %(counted)s "
                "months with a forecast.",
                **values,
            )
            trend = self.env._("Trend: %(trend)s (%(slope)+.1f points a month).", **values)
        if verdict["trend"] != "none":
            note = f"{note} {trend}"
        return note

    # --- the Monday screen ------------------------------------------------------------------------
    @api.model
    def _monday_columns(self):
        return [
            *super()._monday_columns(),
            # each rep's forecasting bias over the past weeks' commits (a team's: its members' sums)
            ("bias_label", self.env._("Forecasting Bias"), "char", "bias_colour"),
            ("bias_ratio", self.env._("Typical Actual / Commit %"), "percent", "bias_colour"),
            ("bias_weeks", self.env._("Bias: Weeks Counted"), "integer", False),
            ("bias_trend", self.env._("Bias Trend"), "char", False),
            ("bias_note", self.env._("Bias: Why"), "char", False),
        ]

    @api.model
    def _consolidate(self, teams, today=None):
        """The Monday rows with each rep's forecasting bias over the weeks before this one; a team's row
        judges the sums of its members' commits and actuals week by week; rows above the teams are
        blank."""
        rows = super()._consolidate(teams, today)
        today = today or fields.Date.context_today(self)
        last = self._bias_last_period("week", today)
        company_of = {team.id: team.company_id or self.env.company for team in teams}
        # a rep in teams of several companies is judged by the first team's company
        companies = {}
        for team in teams:
            for uid in team.member_ids.ids:
                companies.setdefault(uid, company_of[team.id])
        users = teams.member_ids
        periods, called = self._bias_history(users, "week", last, set(company_of.values()))
        labels, trends = self._bias_label_names(), self._bias_trend_names()
        verdicts = {}
        for row in rows:
            if row.get("is_team_total") and row.get("team_id"):
                team = teams.browse(row["team_id"])
                verdict = self._bias_of(called, team.member_ids.ids, "week", periods, company_of[team.id])
            elif row.get("user_id") and row.get("level", "rep") == "rep" and row["user_id"] in companies:
                uid = row["user_id"]
                if uid not in verdicts:
                    verdicts[uid] = self._bias_of(called, [uid], "week", periods, companies[uid])
                verdict = verdicts[uid]
            else:  # a region's or the company's row
                row.update(bias_label="", bias_ratio=False, bias_weeks=0, bias_trend="", bias_note="")
                row.update(bias_colour=False, bias_key=False, bias_slope=0.0, bias_history=[])
                continue
            row.update(
                bias_label=labels[verdict["label"]],
                bias_ratio=verdict["ratio"],
                bias_weeks=verdict["counted"],
                bias_trend=trends[verdict["trend"]],
                bias_note=self._bias_note(verdict, "week"),
                bias_colour=BIAS_COLOURS[verdict["label"]],
                bias_key=verdict["label"],
                bias_slope=verdict["slope"],
                bias_history=[ratio for _period, _called, _actual, ratio in verdict["periods"]],
            )
        return rows
