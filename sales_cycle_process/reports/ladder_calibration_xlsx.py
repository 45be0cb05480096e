from odoo import models


class LadderCalibrationXlsx(models.AbstractModel):
    """The ladder calibration workbook: per stage (the printed rows added up) the deals that reached it,
    how they ended, the measured win rate with its 95 % Wilson interval beside the nominal probability, the
    suggestion and the Brier scores of the predictive score and of the ladder, with a column chart of
    measured against nominal per stage (the interval as error bars); per team and stage the same figures."""

    _name = "report.sales_cycle_process.ladder_calibration_xlsx"
    _description = "Ladder Calibration (XLSX)"
    _inherit = "scp.xlsx.report.mixin"
    _scp_model = "scp.ladder.calibration"

    def _calibration_headers(self):
        return [
            self.env._("Stage"),
            self.env._("Nominal"),
            self.env._("Reached"),
            self.env._("Won"),
            self.env._("Lost"),
            self.env._("Still Open"),
            self.env._("Measured"),
            self.env._("95% Low"),
            self.env._("95% High"),
            self.env._("Suggested"),
            self.env._("Closed & Scored"),
            self.env._("Predictive Score Brier"),
            self.env._("Ladder Brier"),
        ]

    def _calibration_row(self, sheet, row, col, stage, figures, fmt):
        percent = fmt["percent"]
        self._scp_text(sheet, row, col, stage.name, blank=False)
        sheet.write_number(row, col + 1, stage.probability / 100, percent)
        for offset, fname in enumerate(("reached_count", "won_count", "lost_count", "open_count"), start=2):
            sheet.write_number(row, col + offset, figures[fname])
        for offset, fname in enumerate(("win_rate", "wilson_low", "wilson_high", "suggested_probability"), 6):
            if figures[fname] is False:
                sheet.write_blank(row, col + offset, None, percent)
            else:
                sheet.write_number(row, col + offset, figures[fname] / 100, percent)
        sheet.write_number(row, col + 10, figures["scored_count"])
        for offset, fname in ((11, "score_brier"), (12, "nominal_brier")):
            if figures[fname] is False:
                sheet.write_blank(row, col + offset, None)
            else:
                sheet.write_number(row, col + offset, figures[fname])

    def generate_xlsx_report(self, workbook, data, objs):
        Calibration = self.env["scp.ladder.calibration"]
        fmt = self._scp_formats(workbook)
        headers = self._calibration_headers()
        by_stage = Calibration._calibration_by_stage([("id", "in", objs.ids)])
        name = self.env._("Calibration")
        sheet = self._scp_sheet(
            workbook, name, [*headers, self.env._("Below"), self.env._("Above")], [(0, 0, 24), (1, 14, 12)]
        )
        row = 0
        for row, (stage, figures) in enumerate(by_stage.items(), start=1):
            self._calibration_row(sheet, row, 0, stage, figures, fmt)
            # the interval as the chart's error bars: how far below and above the measured rate it reaches
            if figures["win_rate"] is not False:
                sheet.write_number(
                    row, 13, (figures["win_rate"] - figures["wilson_low"]) / 100, fmt["percent"]
                )
                sheet.write_number(
                    row, 14, (figures["wilson_high"] - figures["win_rate"]) / 100, fmt["percent"]
                )
        self._scp_autofilter(sheet, row, len(headers) + 2)
        if by_stage:
            chart = workbook.add_chart({"type": "column"})
            last = len(by_stage)
            quoted = "'" + name.replace("'", "''") + "'"
            chart.add_series(
                {
                    "name": self.env._("Measured win rate"),
                    "categories": [name, 1, 0, last, 0],
                    "values": [name, 1, 6, last, 6],
                    "y_error_bars": {
                        "type": "custom",
                        "minus_values": f"={quoted}!$N$2:$N${last + 1}",
                        "plus_values": f"={quoted}!$O$2:$O${last + 1}",
                    },
                }
            )
            chart.add_series(
                {
                    "name": self.env._("Nominal probability"),
                    "categories": [name, 1, 0, last, 0],
                    "values": [name, 1, 1, last, 1],
                }
            )
            chart.set_title({"name": self.env._("Measured win rate (95% interval) vs nominal, per stage")})
            chart.set_y_axis({"num_format": "0%", "min": 0, "max": 1})
            chart.set_size({"width": 760, "height": 380})
            sheet.insert_chart(last + 3, 0, chart)

        # per team: the same figures, a stage per row
        team_sheet = self._scp_sheet(
            workbook, self.env._("By Team"), [self.env._("Sales Team"), *headers], [(0, 1, 24), (2, 13, 12)]
        )
        row = 0
        by_team = Calibration._calibration_by_stage([("id", "in", objs.ids)], by_team=True)
        for row, ((team, stage), figures) in enumerate(by_team.items(), start=1):
            self._scp_text(team_sheet, row, 0, team.name or "", blank=False)
            self._calibration_row(team_sheet, row, 1, stage, figures, fmt)
        self._scp_autofilter(team_sheet, row, len(headers) + 1)
