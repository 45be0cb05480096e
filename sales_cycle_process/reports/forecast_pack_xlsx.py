from dateutil.relativedelta import relativedelta

from odoo import models


class ForecastPackXlsx(models.AbstractModel):
    """The monthly forecast tracking pack: 12 months x salespeople against targets, coverage, growth."""

    _name = "report.sales_cycle_process.forecast_pack_xlsx"
    _description = "Monthly Forecast Tracking Pack (XLSX)"
    _inherit = "report.report_xlsx.abstract"

    def _get_objs_for_report(self, docids, data):
        if not docids:
            docids = (data or {}).get("context", {}).get("active_ids") or self.env.context.get(
                "active_ids", []
            )
        return self.env["scp.sales.forecast"].browse(docids)

    def generate_xlsx_report(self, workbook, data, objs):
        forecasts = objs.sorted(lambda f: (f.month, f.user_id.name or ""))
        measures = self.env["scp.forecast.measures"]
        head = workbook.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1})
        money = workbook.add_format({"num_format": "#,##0.00"})
        percent = workbook.add_format({"num_format": "0.0%"})
        date = workbook.add_format({"num_format": "yyyy-mm"})

        sheet = workbook.add_worksheet(self.env._("Forecast"))
        headers = [
            self.env._("Salesperson"),
            self.env._("Month"),
            self.env._("Open Deals"),
            self.env._("Adjustment"),
            self.env._("Forecast"),
            self.env._("Stretched Target"),
            self.env._("Forecast / Target"),
        ]
        sheet.write_row(0, 0, headers, head)
        row = 0
        for forecast in forecasts:
            first = forecast.month
            targets = self.env["scp.sales.target"]._target_amounts(
                forecast.user_id, first, first + relativedelta(months=11)
            )
            for line in forecast.line_ids:
                row += 1
                target = targets.get((forecast.user_id.id, line.month), 0.0)
                sheet.write(row, 0, forecast.user_id.name)
                sheet.write(row, 1, line.month, date)
                sheet.write_number(row, 2, line.computed_amount, money)
                sheet.write_number(row, 3, line.adjustment, money)
                sheet.write_number(row, 4, line.amount, money)
                sheet.write_number(row, 5, target, money)
                sheet.write_number(row, 6, line.amount / target if target else 0.0, percent)
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, max(row, 1), len(headers) - 1)
        sheet.set_column(0, 6, 16)
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

        tracking = workbook.add_worksheet(self.env._("Measures"))
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
        tracking.write_row(0, 0, headers, head)
        for row, forecast in enumerate(forecasts, start=1):
            user, first = forecast.user_id, forecast.month
            pipeline, target, coverage = measures._coverage(user, first)[user.id]
            growth = measures._growth(user, first)[user.id]
            previous = first - relativedelta(months=1)
            unfulfilled = measures._unfulfilled(user, previous, first - relativedelta(days=1))[user.id]
            tracking.write(row, 0, user.name)
            tracking.write(row, 1, first, date)
            tracking.write_number(row, 2, forecast.total, money)
            tracking.write_number(row, 3, pipeline, money)
            tracking.write_number(row, 4, target, money)
            for col, value in enumerate(
                [coverage, growth["pipeline"], growth["commit"], unfulfilled], start=5
            ):
                tracking.write_number(row, col, value / 100.0, percent)
        tracking.freeze_panes(1, 0)
        tracking.autofilter(0, 0, max(len(forecasts), 1), len(headers) - 1)
        tracking.set_column(0, 8, 16)
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
