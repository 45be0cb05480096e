from odoo import api, models


class ReportWelcomeLetter(models.AbstractModel):
    _name = "report.sales_cycle_process.report_welcome_letter"
    _description = "Welcome Letter"

    @api.model
    def _get_report_values(self, docids, data=None):
        orders = self.env["sale.order"].browse(docids)
        orders._check_welcome_letter_allowed()
        return {
            "doc_ids": docids,
            "doc_model": "sale.order",
            "docs": orders,
            "data": data,
        }
