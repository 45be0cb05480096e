from odoo.addons.sales_cycle_process.controllers.report import ScpReportController
from odoo.exceptions import UserError
from odoo.http import request, route


class ScpQueueReportController(ScpReportController):
    @route()
    def report_routes(self, reportname, docids=None, converter=None, **data):
        """A commit or forecast pack above the company's size is queued as a job instead of being built
        while the browser waits. The job is written through a read/write cursor of its own: this route
        reads on the replica when one is configured."""
        if converter == "xlsx" and docids:
            report = request.env["ir.actions.report"]._get_report_from_name(reportname)
            ids = [int(i) for i in docids.split(",")]
            if report and report._scp_pack_in_background(ids):
                lines = report._scp_pack_lines(ids)
                with request.env.registry.cursor() as cr:
                    report.with_env(report.env(cr=cr))._scp_queue_pack(ids)
                # report_download shows the message to the user (a warning, not a download)
                raise UserError(report._scp_pack_queued_message(report, lines))
        return super().report_routes(reportname, docids=docids, converter=converter, **data)
