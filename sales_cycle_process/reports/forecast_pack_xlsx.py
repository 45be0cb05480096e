from odoo import models

from ..tools.periods import add_months


class ForecastPackXlsx(models.AbstractModel):
    """The monthly forecast tracking pack: 12 months x salespeople against targets, coverage, growth.

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
