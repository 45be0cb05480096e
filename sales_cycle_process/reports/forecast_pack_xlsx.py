from collections import defaultdict

from odoo import fields, models
from odoo.tools import groupby

from ..tools.periods import add_months, month_end, week_start


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
                    sheet.write_number(row, 6, amount / target if target else 0.0, percent)
        self._scp_autofilter(sheet, row, len(headers))
        chart = workbook.add_chart({"type": "column"})
        chart.add_series(
            {
                "name": self.env._("Forecast"),
                "categories": [sheet.name, 1, 1, max(row, 1), 1],
                "values": [sheet.name, 1, 4, max(row, 1), 4],
            }
        )
        chart.add_series(
            {
                "name": self.env._("Stretched Target"),
                "categories": [sheet.name, 1, 1, max(row, 1), 1],
                "values": [sheet.name, 1, 5, max(row, 1), 5],
            }
        )
        chart.set_title({"name": self.env._("Forecast vs target")})
        sheet.insert_chart("I2", chart)

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
                tracking.write_number(row, col, values[key] / 100.0, percent)
        self._scp_autofilter(tracking, len(forecasts), len(headers))
        coverage_chart = workbook.add_chart({"type": "bar"})
        coverage_chart.add_series(
            {
                "name": self.env._("Coverage"),
                "categories": [tracking.name, 1, 0, max(len(forecasts), 1), 0],
                "values": [tracking.name, 1, 5, max(len(forecasts), 1), 5],
            }
        )
        coverage_chart.set_title({"name": self.env._("Pipeline coverage")})
        tracking.insert_chart("K2", coverage_chart)
        # discipline: who has not submitted, per month and team
        self._scp_submission_sheet(workbook, forecasts, "forecast")
        self._scp_attainment_sheet(workbook, forecasts, tracked)
        # each rep's forecasting bias, month by month
        self._scp_bias_sheet(workbook, forecasts, "month")

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
                    continue
                row += 1
                own = [amount for first, amount in team_months[team.id].items() if month <= first <= last]
                annual_target = sum(own) if own else annual_target
                self._scp_text(sheet, row, 0, self.env._("Team total"), fmt["head"], blank=False)
                self._scp_text(sheet, row, 1, team.name, fmt["head"])
                self._scp_attainment_row(
                    sheet, row, month, week["teams"][team.id], keys, forecast_total, annual_target, fmt
                )
        self._scp_autofilter(sheet, row, len(headers))

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
