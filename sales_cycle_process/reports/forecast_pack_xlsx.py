from collections import defaultdict

from odoo import fields, models
from odoo.tools import groupby

from ..models.scp_forecast_measures import pct
from ..tools.periods import add_months, month_end, quarter_start, week_start
from .xlsx_report_mixin import CHART_MAX_SERIES, CHART_SIZE

# the Growth sheet shows at least this many months up to the last printed one: a trend, not one point
GROWTH_MONTHS = 6


class ForecastPackXlsx(models.AbstractModel):
    """The monthly forecast tracking pack: 12 months x salespeople against targets, coverage, growth, and
    the month, quarter and 12 months against their stretched targets per salesperson and team (Attainment).

    Set-based: the targets come from one grouped query, the measures month by month for all the salespeople
    (scp.forecast.measures._forecast_tracking), the forecast lines by SQL a batch of forecasts at a time.
    """

    _name = "report.sales_cycle_process.forecast_pack_xlsx"
    _description = "Monthly Forecast Tracking Pack (XLSX)"
    _inherit = "scp.xlsx.report.mixin"
    _scp_model = "scp.sales.forecast"

    def generate_xlsx_report(self, workbook, data, objs):
        forecasts = objs.sorted(lambda f: (f.month, f.user_id.name or ""))
        measures = self.env["scp.forecast.measures"]
        fmt = self._scp_formats(workbook)
        money, percent, date = fmt["money"], fmt["percent"], fmt["month"]
        # the bands of the forecasts' company (the first printed, else the current one)
        company = forecasts[:1].company_id or self.env.company
        months = sorted(set(forecasts.mapped("month")))
        self._scp_print_title(
            workbook,
            self.env._("Monthly Forecast Tracking Pack"),
            " – ".join(dict.fromkeys(month.strftime("%Y-%m") for month in months[:1] + months[-1:])),
            company,
        )
        cover = self._scp_cover_sheet(workbook)

        headers = [
            self.env._("Salesperson"),
            self.env._("Month"),
            self.env._("Open Deals"),
            self.env._("Adjustment"),
            self.env._("Forecast"),
            self.env._("Stretched Target"),
            self.env._("Forecast / Target"),
        ]
        sheet = self._scp_sheet(workbook, self.env._("Forecast"), headers, [(0, 6, 16)])
        targets = (
            self.env["scp.sales.target"]._target_amounts(
                forecasts.user_id,
                min(forecasts.mapped("month")),
                add_months(max(forecasts.mapped("month")), 11),
            )
            if forecasts
            else {}
        )
        users = {forecast.id: (forecast.user_id.id, forecast.user_id.name or "") for forecast in forecasts}
        Line = self.env["scp.sales.forecast.line"]
        fnames = ["month", "computed_amount", "adjustment", "amount"]
        row = 0
        for lines in self._scp_children(forecasts, Line, "forecast_id", fnames, order=Line._order):
            for forecast_id, rows in lines:
                user_id, salesperson = users[forecast_id]
                for month, computed, adjustment, amount in rows:
                    row += 1
                    target = targets.get((user_id, month), 0.0)
                    self._scp_text(sheet, row, 0, salesperson, blank=False)
                    sheet.write_datetime(row, 1, month, date)
                    sheet.write_number(row, 2, computed or 0.0, money)
                    sheet.write_number(row, 3, adjustment or 0.0, money)
                    sheet.write_number(row, 4, amount or 0.0, money)
                    sheet.write_number(row, 5, target, money)
                    if target:
                        sheet.write_number(row, 6, (amount or 0.0) / target, percent)
                    else:
                        sheet.write_blank(row, 6, None, percent)
        self._scp_autofilter(sheet, row, len(headers))
        self._scp_band(workbook, sheet, (1, 6, row, 6), "target", company)
        headers = [
            self.env._("Salesperson"),
            self.env._("Month"),
            self.env._("12-Month Forecast"),
            self.env._("Pipeline"),
            self.env._("12-Month Target"),
            self.env._("Coverage"),
            self.env._("Pipeline Growth"),
            self.env._("Commit Growth"),
            self.env._("Unfulfilled Orders"),
        ]
        tracking = self._scp_sheet(workbook, self.env._("Measures"), headers, [(0, 8, 16)])
        tracked = measures._forecast_tracking(forecasts)
        for row, forecast in enumerate(self._scp_stream(forecasts), start=1):
            values = tracked[forecast.id]
            self._scp_text(tracking, row, 0, forecast.user_id.name, blank=False)
            tracking.write_datetime(row, 1, forecast.month, date)
            tracking.write_number(row, 2, forecast.total, money)
            tracking.write_number(row, 3, values["pipeline"], money)
            tracking.write_number(row, 4, values["target"], money)
            for col, key in enumerate(
                ["coverage", "pipeline_growth", "commit_growth", "unfulfilled"], start=5
            ):
                if key == "coverage" and not values["target"]:
                    # no stretched target, no coverage to judge
                    tracking.write_blank(row, col, None, percent)
                else:
                    tracking.write_number(row, col, values[key] / 100.0, percent)
        self._scp_autofilter(tracking, len(forecasts), len(headers))
        count = len(forecasts)
        self._scp_band(workbook, tracking, (1, 5, count, 5), "coverage", company)
        self._scp_band(workbook, tracking, (1, 6, count, 7), "growth", company)
        self._scp_band(workbook, tracking, (1, 8, count, 8), "unfulfilled", company)
        self._scp_coverage_sheet(workbook, forecasts, tracked, months, company, fmt)
        growth = self._scp_growth_sheet(workbook, forecasts.user_id, months, company, fmt)
        target_sheet = self._scp_sheet(
            workbook,
            self.env._("Target"),
            [
                self.env._("Month"),
                self.env._("Forecast + Upside (month)"),
                self.env._("Stretched Target (month)"),
                self.env._("Forecast + Upside vs Target (month)"),
            ],
            [(0, 0, 16), (1, 3, 20)],
        )
        # discipline: who has not submitted, per month and team
        self._scp_submission_sheet(workbook, forecasts, "forecast")
        attained = self._scp_attainment_sheet(workbook, forecasts, tracked)
        # each rep's forecasting bias, month by month
        self._scp_bias_sheet(workbook, forecasts, "month")
        self._scp_target_sheet(workbook, target_sheet, attained, company, fmt)
        self._scp_forecast_cover(workbook, cover, forecasts, months, tracked, growth, attained, company)

    def _scp_attainment_sheet(self, workbook, forecasts, tracked):
        """Will we reach the stretched target? Per forecast's month, salesperson and team (a total row after
        each team): won to date, forecast + upside against the target of the month and of the quarter, the
        12-month forecast against the 12 months' targets. The week of a month is its last Monday up to
        today (its commit); measures of ``scp.forecast.measures._target_attainment_by_week``, one set of
        grouped queries for all the months printed."""
        fmt = self._scp_formats(workbook)
        headers = [
            self.env._("Salesperson"),
            self.env._("Sales Team"),
            self.env._("Month"),
            self.env._("Won (month to date)"),
            self.env._("Stretched Target (month)"),
            self.env._("Attainment (month)"),
            self.env._("Forecast + Upside (month)"),
            self.env._("Forecast + Upside vs Target (month)"),
            self.env._("Won (quarter to date)"),
            self.env._("Stretched Target (quarter)"),
            self.env._("Attainment (quarter)"),
            self.env._("Forecast + Upside (quarter)"),
            self.env._("Forecast + Upside vs Target (quarter)"),
            self.env._("12-Month Forecast"),
            self.env._("12-Month Target"),
            self.env._("12-Month Forecast vs Target"),
        ]
        sheet = self._scp_sheet(workbook, self.env._("Attainment"), headers, [(0, 1, 20), (2, 15, 16)])
        measures = self.env["scp.forecast.measures"]
        Target = self.env["scp.sales.target"]
        today = fields.Date.context_today(self)
        keys = [
            "month_won",
            "month_target",
            "month_attainment",
            "month_forecast_upside",
            "month_forecast_pct",
        ]
        keys += [key.replace("month_", "quarter_") for key in keys]
        ordered = forecasts.sorted(
            lambda f: (f.month, f.team_id.name or "", f.team_id.id, f.user_id.name or "")
        )
        by_month = list(groupby(ordered, key=lambda f: f.month))
        # the week of a month: its last Monday up to today (a month starting later in a week than today's
        # Monday has no commit of its own yet)
        mondays = {month: max(week_start(min(today, month_end(month))), month) for month, _f in by_month}
        members = {monday: defaultdict(list) for monday in mondays.values()}
        for month, month_forecasts in by_month:
            for forecast in month_forecasts:
                members[mondays[month]][forecast.team_id.id].append(forecast.user_id.id)
        values = measures._target_attainment_by_week(
            forecasts.user_id, forecasts.team_id, list(mondays.values()), today, members
        )
        # the teams' own targets of each month's 12 months (they win over the members', as on the screen)
        team_months = defaultdict(dict)
        if by_month:
            for team, month, amount in Target._read_group(
                [
                    ("team_id", "in", forecasts.team_id.ids),
                    ("user_id", "=", False),
                    ("month", ">=", by_month[0][0]),
                    ("month", "<=", add_months(by_month[-1][0], 11)),
                ],
                ["team_id", "month:month"],
                ["amount:sum"],
            ):
                team_months[team.id][month] = amount
        row = 0
        # the printed salespeople's month and quarter against the stretched target, for the Target sheet:
        # the teams' totals (their own targets where set) and the salespeople without a team
        summed = ("month_forecast_upside", "month_target", "quarter_forecast_upside", "quarter_target")
        attained = {month: dict.fromkeys(summed, 0.0) for month, _f in by_month}
        for month, month_forecasts in by_month:
            week = values[mondays[month]]
            last = add_months(month, 11)
            for team, team_forecasts in groupby(month_forecasts, key=lambda f: f.team_id):
                forecast_total = annual_target = 0.0
                for forecast in team_forecasts:
                    row += 1
                    annual = tracked[forecast.id]["target"]
                    forecast_total += forecast.total
                    annual_target += annual
                    self._scp_text(sheet, row, 0, forecast.user_id.name, blank=False)
                    self._scp_text(sheet, row, 1, team.name)
                    self._scp_attainment_row(
                        sheet,
                        row,
                        month,
                        week["users"][forecast.user_id.id],
                        keys,
                        forecast.total,
                        annual,
                        fmt,
                    )
                if not team:
                    for forecast in team_forecasts:
                        for key in summed:
                            attained[month][key] += week["users"][forecast.user_id.id][key]
                    continue
                for key in summed:
                    attained[month][key] += week["teams"][team.id][key]
                row += 1
                own = [amount for first, amount in team_months[team.id].items() if month <= first <= last]
                annual_target = sum(own) if own else annual_target
                self._scp_text(sheet, row, 0, self.env._("Team total"), fmt["head"], blank=False)
                self._scp_text(sheet, row, 1, team.name, fmt["head"])
                self._scp_attainment_row(
                    sheet, row, month, week["teams"][team.id], keys, forecast_total, annual_target, fmt
                )
        self._scp_autofilter(sheet, row, len(headers))
        company = forecasts[:1].company_id or self.env.company
        for col in (7, 12, 15):
            self._scp_band(workbook, sheet, (1, col, row, col), "target", company)
        return attained

    def _scp_attainment_row(self, sheet, row, month, values, keys, forecast_total, annual_target, fmt):
        sheet.write_datetime(row, 2, month, fmt["month"])
        for col, key in enumerate(keys, start=3):
            if key.endswith(("_attainment", "_pct")):
                sheet.write_number(row, col, values[key] / 100.0, fmt["percent"])
            else:
                sheet.write_number(row, col, values[key], fmt["money"])
        sheet.write_number(row, 13, forecast_total, fmt["money"])
        sheet.write_number(row, 14, annual_target, fmt["money"])
        sheet.write_number(row, 15, forecast_total / annual_target if annual_target else 0.0, fmt["percent"])

    # --- the review pack's charts: coverage, growth, target -----------------------------------------------

    def _scp_coverage_sheet(self, workbook, forecasts, tracked, months, company, fmt):
        """Pipeline coverage per salesperson (a column each) and month (a row each), against the line of
        the Settings' coverage band: a column chart whose categories are the months (a date axis) and whose
        series are the salespeople (the first ``CHART_MAX_SERIES`` in the chart, all in the table)."""
        users = forecasts.user_id.sorted(lambda user: (user.name or "", user.id))
        good = self.env["scp.forecast.measures"]._bands(company)["coverage_min"]
        headers = [
            self.env._("Month"),
            *(user.name or "" for user in users),
            self.env._("Coverage: good from"),
        ]
        sheet = self._scp_sheet(
            workbook, self.env._("Coverage"), headers, [(0, 0, 12), (1, len(users) + 1, 16)]
        )
        coverage = {(forecast.user_id.id, forecast.month): tracked[forecast.id] for forecast in forecasts}
        line = len(users) + 1
        for row, month in enumerate(months, start=1):
            sheet.write_datetime(row, 0, month, fmt["month"])
            for col, user in enumerate(users, start=1):
                values = coverage.get((user.id, month))
                if values and values["target"]:
                    sheet.write_number(row, col, values["coverage"] / 100.0, fmt["percent"])
                else:
                    sheet.write_blank(row, col, None, fmt["percent"])
            sheet.write_number(row, line, good / 100.0, fmt["percent"])
        count = len(months)
        self._scp_autofilter(sheet, count, len(headers))
        self._scp_band(workbook, sheet, (1, 1, count, max(len(users), 1)), "coverage", company)
        self._scp_band_legend(workbook, sheet, count + 2, ["coverage"], company)
        chart = self._scp_chart(
            workbook,
            "column",
            self.env._("Pipeline coverage per salesperson and month"),
            (self.env._("Month"), "month"),
            (self.env._("Pipeline / stretched target (12 months)"), "percent"),
        )
        rows = (1, max(count, 1))
        for col in range(1, min(len(users), CHART_MAX_SERIES) + 1):
            self._scp_series(chart, sheet, rows, 0, col)
        lines = workbook.add_chart({"type": "line"})
        self._scp_band_line(lines, sheet, rows, 0, line, "success")
        chart.combine(lines)
        sheet.insert_chart(count + 8, 0, chart, CHART_SIZE)
        return sheet

    def _scp_growth_sheet(self, workbook, users, months, company, fmt):
        """Month-on-month growth (the printed months and the months before them, six at least) of the
        printed salespeople's pipeline (their forecasts' pipeline) and
        commit (the latest commit of each month), all together, against the lines of the Settings' growth
        band (at least, good from). Returns ``{month: (pipeline growth, commit growth)}`` in percent
        (``None`` without both months to compare)."""
        bands = self.env["scp.forecast.measures"]._bands(company)
        # the printed months and, before them, enough months for a trend: at least the last six
        if months:
            months = sorted(set(months) | {add_months(max(months), -back) for back in range(GROWTH_MONTHS)})
        amounts = self.env["scp.forecast.measures"]._growth_amounts_by_month(users, months)
        headers = [
            self.env._("Month"),
            self.env._("Pipeline"),
            self.env._("Pipeline Growth"),
            self.env._("Commit"),
            self.env._("Commit Growth"),
            self.env._("Growth: at least"),
            self.env._("Growth: good from"),
        ]
        sheet = self._scp_sheet(workbook, self.env._("Growth"), headers, [(0, 0, 12), (1, 6, 16)])

        def total(month, key):
            """The month's amount of the salespeople, None when none of them has a snapshot for it yet
            (this month's first commit is not in: no growth, rather than -100 %)."""
            found = [amounts[uid, month][key] for uid in users.ids if key in amounts.get((uid, month), {})]
            return sum(found) if found else None

        result = {}
        for row, month in enumerate(months, start=1):
            sheet.write_datetime(row, 0, month, fmt["month"])
            growth = []
            for col, key in ((1, "pipeline"), (3, "commit")):
                now, before = total(month, key), total(add_months(month, -1), key)
                if now is None:
                    sheet.write_blank(row, col, None, fmt["money"])
                else:
                    sheet.write_number(row, col, now, fmt["money"])
                if now is not None and before:
                    growth.append(pct(now - before, before))
                    sheet.write_number(row, col + 1, growth[-1] / 100.0, fmt["percent"])
                else:
                    growth.append(None)
                    sheet.write_blank(row, col + 1, None, fmt["percent"])
            sheet.write_number(row, 5, bands["growth_min"] / 100.0, fmt["percent"])
            sheet.write_number(row, 6, bands["growth_good"] / 100.0, fmt["percent"])
            result[month] = tuple(growth)
        count = len(months)
        self._scp_autofilter(sheet, count, len(headers))
        self._scp_band(workbook, sheet, (1, 2, count, 2), "growth", company)
        self._scp_band(workbook, sheet, (1, 4, count, 4), "growth", company)
        self._scp_band_legend(workbook, sheet, count + 2, ["growth"], company)
        chart = self._scp_chart(
            workbook,
            "column",
            self.env._("Pipeline and commit growth, month on month"),
            (self.env._("Month"), "month"),
            (self.env._("Growth against the month before"), "percent"),
        )
        rows = (1, max(count, 1))
        self._scp_series(chart, sheet, rows, 0, 2)
        self._scp_series(chart, sheet, rows, 0, 4)
        lines = workbook.add_chart({"type": "line"})
        self._scp_band_line(lines, sheet, rows, 0, 5, "warning")
        self._scp_band_line(lines, sheet, rows, 0, 6, "success")
        chart.combine(lines)
        sheet.insert_chart(count + 7, 0, chart, CHART_SIZE)
        return result

    def _scp_target_sheet(self, workbook, sheet, attained, company, fmt):
        """Forecast + upside against the stretched target of the printed salespeople and teams (the
        Attainment sheet's team totals), by month, then by quarter (each quarter as of its last printed
        month), each with its chart: columns for forecast + upside, a line for the target."""
        months = sorted(attained)
        for row, month in enumerate(months, start=1):
            values = attained[month]
            sheet.write_datetime(row, 0, month, fmt["month"])
            sheet.write_number(row, 1, values["month_forecast_upside"], fmt["money"])
            sheet.write_number(row, 2, values["month_target"], fmt["money"])
            if values["month_target"]:
                sheet.write_number(
                    row, 3, values["month_forecast_upside"] / values["month_target"], fmt["percent"]
                )
            else:
                sheet.write_blank(row, 3, None, fmt["percent"])
        count = len(months)
        self._scp_autofilter(sheet, count, 4)
        self._scp_band(workbook, sheet, (1, 3, count, 3), "target", company)
        # the quarters, each as of its last printed month
        quarters = {quarter_start(month): attained[month] for month in months}
        top = count + 2
        sheet.write_row(
            top,
            0,
            [
                self.env._("Quarter"),
                self.env._("Forecast + Upside (quarter)"),
                self.env._("Stretched Target (quarter)"),
                self.env._("Forecast + Upside vs Target (quarter)"),
            ],
            fmt["head"],
        )
        for row, (quarter, values) in enumerate(sorted(quarters.items()), start=top + 1):
            sheet.write_string(row, 0, f"{quarter.year} Q{(quarter.month - 1) // 3 + 1}")
            sheet.write_number(row, 1, values["quarter_forecast_upside"], fmt["money"])
            sheet.write_number(row, 2, values["quarter_target"], fmt["money"])
            if values["quarter_target"]:
                sheet.write_number(
                    row, 3, values["quarter_forecast_upside"] / values["quarter_target"], fmt["percent"]
                )
            else:
                sheet.write_blank(row, 3, None, fmt["percent"])
        bottom = top + len(quarters)
        self._scp_band(workbook, sheet, (top + 1, 3, bottom, 3), "target", company)
        legend = self._scp_band_legend(workbook, sheet, bottom + 2, ["target"], company)
        for title, axis, rows, category_format in (
            (
                self.env._("Forecast + upside vs stretched target, by month"),
                self.env._("Month"),
                (1, max(count, 1)),
                "month",
            ),
            (
                self.env._("Forecast + upside vs stretched target, by quarter"),
                self.env._("Quarter"),
                (top + 1, max(bottom, top + 1)),
                None,
            ),
        ):
            chart = self._scp_chart(
                workbook, "column", title, (axis, category_format), (self.env._("Amount"), "money")
            )
            chart.add_series(
                {
                    "name": [sheet.name, rows[0] - 1, 1],
                    "categories": [sheet.name, rows[0], 0, rows[1], 0],
                    "values": [sheet.name, rows[0], 1, rows[1], 1],
                }
            )
            target = workbook.add_chart({"type": "line"})
            target.add_series(
                {
                    "name": [sheet.name, rows[0] - 1, 2],
                    "categories": [sheet.name, rows[0], 0, rows[1], 0],
                    "values": [sheet.name, rows[0], 2, rows[1], 2],
                    "line": {"color": "#C00000", "width": 2},
                    "marker": {"type": "square"},
                }
            )
            chart.combine(target)
            sheet.insert_chart(legend + 1, 0 if category_format else 6, chart, CHART_SIZE)

    def _scp_forecast_cover(self, workbook, cover, forecasts, months, tracked, growth, attained, company):
        """The cover: the last printed month of the printed salespeople, its five headline figures
        (coverage, pipeline and commit growth, forecast + upside against the month's stretched target, the
        submission rate) and who submitted."""
        last = months[-1] if months else None
        figures, submission = [None] * 5, None
        if last:
            current = forecasts.filtered(lambda f: f.month == last)
            pipeline = sum(tracked[forecast.id]["pipeline"] for forecast in current)
            target = sum(tracked[forecast.id]["target"] for forecast in current)
            values = attained.get(last) or {}
            figures[:4] = [
                pct(pipeline, target) if target else None,
                growth[last][0],
                growth[last][1],
                pct(values["month_forecast_upside"], values["month_target"])
                if values.get("month_target")
                else None,
            ]
            figures[4], submission = self._scp_cover_submission(forecasts, "forecast", last)
        labels = [
            (self.env._("Pipeline coverage (12 months)"), "coverage"),
            (self.env._("Pipeline growth (month on month)"), "growth"),
            (self.env._("Commit growth (month on month)"), "growth"),
            (self.env._("Forecast + upside / stretched target (month)"), "target"),
            (self.env._("Forecast submission"), "submission"),
        ]
        self._scp_cover(
            workbook,
            cover,
            {
                "title": self.env._("Monthly Forecast Tracking Pack"),
                "period": (months[0], months[-1]) if months else (None, None),
                "period_format": "month",
                "teams": ", ".join(forecasts.team_id.sorted("name").mapped("name")),
                "company": company,
                "figures": [
                    (label, value, kind) for (label, kind), value in zip(labels, figures, strict=True)
                ],
                "submission": submission,
                "how": self.env._(
                    "Figures of the last month printed, for its salespeople. Green is good, amber to watch, "
                    "red off, by the bands of the Settings (below); the charts' dashed lines are the same "
                    "bands. Sheets: Forecast (12 months against the stretched targets), Measures, Coverage, "
                    "Growth, Target (month and quarter), Submission, Attainment, Forecasting bias."
                ),
            },
        )
