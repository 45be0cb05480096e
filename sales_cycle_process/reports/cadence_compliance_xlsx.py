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
        date = fmt["date"]
        late = workbook.add_format({"font_color": "#C00000", "bold": True})
        sheet = workbook.add_worksheet(self.env._("Compliance"))
        headers = [
            self.env._("Partner"),
            self.env._("Tier"),
            self.env._("Cadence"),
            self.env._("Responsible"),
            self.env._("Last Contact"),
            self.env._("Next Due"),
            self.env._("Overdue Days"),
        ]
        sheet.write_row(0, 0, headers, fmt["head"])
        for row, state in enumerate(states, start=1):
            self._scp_text(sheet, row, 0, state.partner_id.display_name)
            self._scp_text(sheet, row, 1, tiers.get(state.partner_tier, ""))
            self._scp_text(sheet, row, 2, state.rule_id.name)
            self._scp_text(sheet, row, 3, state.user_id.name)
            if state.last_contact_date:
                sheet.write(row, 4, state.last_contact_date, date)
            sheet.write(row, 5, state.next_due_date, date)
            sheet.write(row, 6, state.overdue_days, late if state.next_due_date < today else None)
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, max(len(states), 1), len(headers) - 1)
        sheet.set_column(0, 3, 28)
        sheet.set_column(4, 6, 14)
