# Copyright 2026 sales_cycle_process contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class QpaLogXlsx(models.AbstractModel):
    """QPA log: one row per submitted QPA, requested versus approved discount, approver, lead time."""

    _name = "report.sales_cycle_process.qpa_log_xlsx"
    _description = "QPA Log (XLSX)"
    _inherit = "scp.xlsx.report.mixin"
    _scp_model = "scp.qpa.log"

    def generate_xlsx_report(self, workbook, data, objs):
        states = dict(objs._fields["state"]._description_selection(self.env))
        fmt = self._scp_formats(workbook)
        money, when = fmt["money"], fmt["datetime"]
        percent = fmt["percent_number"]  # discounts are stored in percent
        headers = [
            self.env._("Quotation"),
            self.env._("Customer"),
            self.env._("Salesperson"),
            self.env._("Requested On"),
            self.env._("Untaxed Amount"),
            self.env._("Requested Discount (%)"),
            self.env._("Approved Discount (%)"),
            self.env._("Status"),
            self.env._("Decided By"),
            self.env._("Decided On"),
            self.env._("Lead Time (Days)"),
            self.env._("Comment"),
        ]
        logs = objs.sorted(lambda log: (log.requested_date or fields.Datetime.now(), log.id))
        requested = [log.requested_date.date() for log in logs if log.requested_date]
        self._scp_print_title(
            workbook,
            self.env._("QPA Log"),
            " – ".join(dict.fromkeys(str(day) for day in requested[:1] + requested[-1:])),
        )
        sheet = self._scp_sheet(
            workbook, self.env._("QPA Log"), headers, [(0, 2, 22), (3, 10, 16), (11, 11, 40)]
        )
        for row, log in enumerate(self._scp_stream(logs), start=1):
            self._scp_text(sheet, row, 0, log.order_id.name)
            self._scp_text(sheet, row, 1, log.partner_id.display_name)
            self._scp_text(sheet, row, 2, log.user_id.name)
            if log.requested_date:
                sheet.write_datetime(row, 3, log.requested_date, when)
            sheet.write_number(row, 4, log.amount_untaxed, money)
            sheet.write_number(row, 5, log.requested_discount, percent)
            if log.state == "approved":
                sheet.write_number(row, 6, log.approved_discount, percent)
            self._scp_text(sheet, row, 7, states.get(log.state, ""))
            self._scp_text(sheet, row, 8, log.approver_id.name)
            if log.decided_date:
                sheet.write_datetime(row, 9, log.decided_date, when)
            if log.state in ("approved", "rejected"):
                sheet.write_number(row, 10, round(log.lead_time_days, 1), fmt["days"])
            self._scp_text(sheet, row, 11, log.comment)
        self._scp_autofilter(sheet, len(logs), len(headers))
