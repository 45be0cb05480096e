from odoo import fields, models


class CadenceComplianceXlsx(models.AbstractModel):
    """Cadence compliance for review meetings: one row per partner and rule, overdue first."""

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
        for row, state in enumerate(self._scp_stream(states), start=1):
            self._scp_text(sheet, row, 0, state.partner_id.display_name)
            self._scp_text(sheet, row, 1, tiers.get(state.partner_tier, ""))
            self._scp_text(sheet, row, 2, state.rule_id.name)
            self._scp_text(sheet, row, 3, state.user_id.name)
            if state.last_contact_date:
                sheet.write(row, 4, state.last_contact_date, date)
            sheet.write(row, 5, state.next_due_date, date)
            sheet.write(row, 6, state.overdue_days, late if state.next_due_date < today else None)
            sheet.write(row, 7, state.visit_count)
            sheet.write(row, 8, state.prepared_visit_count)
        self._scp_autofilter(sheet, len(states), len(headers))
