from collections import defaultdict

from odoo import fields, models

from .xlsx_report_mixin import CHART_SIZE


class CadenceComplianceXlsx(models.AbstractModel):
    """Cadence compliance for review meetings: one row per partner and rule, overdue first; then the
    compliance of each responsible (the share of their partners' cadences not overdue) with its chart."""

    _name = "report.sales_cycle_process.cadence_compliance_xlsx"
    _description = "Cadence Compliance (XLSX)"
    _inherit = "scp.xlsx.report.mixin"
    _scp_model = "scp.cadence.state"

    def generate_xlsx_report(self, workbook, data, objs):
        today = fields.Date.context_today(self)
        states = objs.sorted(lambda s: (-s.overdue_days, s.user_id.name or "", s.partner_id.name or ""))
        tiers = dict(self.env["scp.cadence.rule"]._fields["partner_tier"]._description_selection(self.env))
        fmt = self._scp_formats(workbook)
        date, late = fmt["date"], fmt["late"]
        self._scp_print_title(workbook, self.env._("Cadence Compliance"), str(today))
        headers = [
            self.env._("Partner"),
            self.env._("Tier"),
            self.env._("Cadence"),
            self.env._("Responsible"),
            self.env._("Last Contact"),
            self.env._("Next Due"),
            self.env._("Overdue Days"),
            self.env._("Visits"),
            self.env._("Prepared Visits"),
        ]
        sheet = self._scp_sheet(workbook, self.env._("Compliance"), headers, [(0, 3, 28), (4, 8, 14)])
        # per responsible: [cadences, overdue]
        owners = defaultdict(lambda: [0, 0])
        for row, state in enumerate(self._scp_stream(states), start=1):
            self._scp_text(sheet, row, 0, state.partner_id.display_name)
            self._scp_text(sheet, row, 1, tiers.get(state.partner_tier, ""))
            self._scp_text(sheet, row, 2, state.rule_id.name)
            self._scp_text(sheet, row, 3, state.user_id.name)
            if state.last_contact_date:
                sheet.write_datetime(row, 4, state.last_contact_date, date)
            else:
                sheet.write_blank(row, 4, None, date)
            overdue = bool(state.next_due_date and state.next_due_date < today)
            if state.next_due_date:
                sheet.write_datetime(row, 5, state.next_due_date, date)
            else:
                sheet.write_blank(row, 5, None, date)
            sheet.write_number(row, 6, state.overdue_days, late if overdue else None)
            sheet.write_number(row, 7, state.visit_count)
            sheet.write_number(row, 8, state.prepared_visit_count)
            counts = owners[state.user_id.name or self.env._("(nobody)")]
            counts[0] += 1
            counts[1] += overdue
        self._scp_autofilter(sheet, len(states), len(headers))
        self._scp_owner_sheet(workbook, owners, fmt)

    def _scp_owner_sheet(self, workbook, owners, fmt):
        """The compliance of each responsible: cadences, overdue, on time and the share on time, with a bar
        chart of that share per responsible."""
        headers = [
            self.env._("Responsible"),
            self.env._("Cadences"),
            self.env._("Overdue"),
            self.env._("On Time"),
            self.env._("Compliance"),
        ]
        sheet = self._scp_sheet(workbook, self.env._("By Responsible"), headers, [(0, 0, 28), (1, 4, 14)])
        names = sorted(owners)
        for row, name in enumerate(names, start=1):
            total, overdue = owners[name]
            self._scp_text(sheet, row, 0, name, blank=False)
            sheet.write_number(row, 1, total)
            sheet.write_number(row, 2, overdue, fmt["late"] if overdue else None)
            sheet.write_number(row, 3, total - overdue)
            sheet.write_number(row, 4, (total - overdue) / total if total else 1.0, fmt["percent"])
        count = len(names)
        self._scp_autofilter(sheet, count, len(headers))
        if count:
            sheet.conditional_format(
                1, 4, count, 4, {"type": "data_bar", "bar_color": "#70AD47", "bar_solid": True}
            )
        chart = self._scp_chart(
            workbook,
            "column",
            self.env._("Cadence compliance per responsible"),
            (self.env._("Responsible"), None),
            (self.env._("Cadences on time"), "percent"),
        )
        self._scp_series(chart, sheet, (1, max(count, 1)), 0, 4, data_labels={"value": True})
        chart.set_y_axis({"name": self.env._("Cadences on time"), "num_format": "0%", "min": 0, "max": 1})
        chart.set_legend({"none": True})
        sheet.insert_chart("G2", chart, CHART_SIZE)
