import json

from odoo.addons.report_xlsx.controllers.main import ReportController
from odoo.http import request, route

# The playbook's XLSX reports read and write nothing (tests/test_scale_replica.py builds each of them on a
# read-only cursor): their download is served on the replica when one is configured (Odoo 18's
# db_replica_host). Odoo keeps /report/download on the primary for the other reports, some of which save
# their file as an attachment.
READONLY_DOWNLOADS = "/report/xlsx/sales_cycle_process."


class ScpReportController(ReportController):
    def _scp_download_readonly(self):
        """Whether the download asked for is one of the playbook's XLSX reports (read on the replica)."""
        try:
            url, report_type = json.loads(request.httprequest.values.get("data") or "[]")[:2]
        except (TypeError, ValueError):
            return False
        return report_type == "xlsx" and isinstance(url, str) and url.startswith(READONLY_DOWNLOADS)

    @route(readonly=_scp_download_readonly)
    def report_download(self, data, context=None, token=None, readonly=True):
        return super().report_download(data, context=context, token=token, readonly=readonly)
