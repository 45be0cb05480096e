"""Reads on the replica (Odoo 18 ``db_replica_host``): the XLSX packs, the Monday screen and the analysis
views are served on a read-only cursor and write nothing on the way (issue #17)."""

import io
import json
import threading
from unittest.mock import patch
from urllib.parse import urlencode

import openpyxl
import psycopg2

from odoo import api
from odoo.addons.web.controllers.dataset import DataSet
from odoo.tests import HttpCase, TransactionCase, tagged

# The playbook's XLSX reports and the model of their records
XLSX_REPORTS = {
    "sales_cycle_process.commit_pack_xlsx": "scp.sales.commit",
    "sales_cycle_process.forecast_pack_xlsx": "scp.sales.forecast",
    "sales_cycle_process.cadence_compliance_xlsx": "scp.cadence.state",
    "sales_cycle_process.ladder_calibration_xlsx": "scp.ladder.calibration",
    "sales_cycle_process.qpa_log_xlsx": "scp.qpa.log",
}
# What the Monday screen and the analysis views (list, pivot, graph) call over /web/dataset/call_kw
READ_CALLS = [
    ("scp.forecast.measures", "get_monday_screen"),
    ("scp.forecast.measures", "get_monday_waterfall"),
    ("scp.forecast.analysis", "web_read_group"),
    ("scp.forecast.analysis", "web_search_read"),
    ("scp.ladder.calibration", "read_group"),
    ("scp.ladder.calibration", "web_read_group"),
    ("crm.lead", "web_read_group"),
    ("scp.sales.commit", "web_search_read"),
    ("scp.cadence.state", "read_group"),
]


@tagged("post_install", "-at_install")
class TestReplicaReads(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls.env.ref("base.user_admin")
        # registry.cursor(readonly=True) gives a read-only transaction, as a replica's would
        cls.registry.enter_test_mode(cls.cr)
        cls.addClassCleanup(cls.registry.leave_test_mode)

    def test_call_kw_routes_the_screen_and_the_views_to_the_replica(self):
        """Odoo decides per method: /web/dataset/call_kw reads on the replica when it is @api.readonly."""
        for model, method in READ_CALLS:
            self.assertTrue(self._served_readonly(model, method), f"{model}.{method} on the replica")
        # a method that writes stays on the primary
        self.assertFalse(self._served_readonly("scp.sales.commit", "write"))

    def _served_readonly(self, model, method):
        params = {"params": {"model": model, "method": method, "args": [], "kwargs": {}}}
        fake = type("Request", (), {"registry": self.registry, "get_json_data": lambda self: params})()
        with patch("odoo.addons.web.controllers.dataset.request", fake):
            return DataSet()._call_kw_readonly()

    def test_report_routes_are_readonly(self):
        """The playbook's XLSX downloads read on the replica; the other reports' downloads stay on the primary
        (some save their file as an attachment)."""
        # the routing map is built per database, as a request's thread does
        with patch.object(threading.current_thread(), "dbname", self.env.cr.dbname, create=True):
            routing = self.env["ir.http"].routing_map().bind("")
        for path in (
            "/report/xlsx/sales_cycle_process.commit_pack_xlsx/1",
            "/report/xlsx/sales_cycle_process.forecast_pack_xlsx",
            "/report/pdf/sales_cycle_process.welcome_letter/1",
        ):
            endpoint, _args = routing.match(path)
            self.assertIs(endpoint.routing["readonly"], True, path)
        endpoint, _args = routing.match("/report/download")
        decide = endpoint.routing["readonly"]
        self.assertTrue(callable(decide), "decided per request")
        for url, report_type, on_replica in (
            ("/report/xlsx/sales_cycle_process.commit_pack_xlsx/1,2", "xlsx", True),
            ("/report/xlsx/sales_cycle_process.forecast_pack_xlsx/3", "xlsx", True),
            ("/report/xlsx/sales_cycle_process.cadence_compliance_xlsx/4", "xlsx", True),
            ("/report/pdf/sales_cycle_process.welcome_letter/1", "qweb-pdf", False),
            ("/report/pdf/account.report_invoice/1", "qweb-pdf", False),
            ("/report/xlsx/other_module.report/1", "xlsx", False),
        ):
            values = {"data": json.dumps([url, report_type])}
            fake = type("Request", (), {"httprequest": type("HttpRequest", (), {"values": values})()})()
            with patch("odoo.addons.sales_cycle_process.controllers.report.request", fake):
                self.assertIs(decide(endpoint.func.__self__), on_replica, url)
        fake = type("Request", (), {"httprequest": type("HttpRequest", (), {"values": {"data": "{"}})()})()
        with patch("odoo.addons.sales_cycle_process.controllers.report.request", fake):
            self.assertFalse(decide(endpoint.func.__self__), "a malformed request stays on the primary")

    def test_packs_render_on_a_read_only_cursor(self):
        """Every XLSX report of the playbook opens on a read-only transaction: any INSERT/UPDATE/DELETE,
        sequence or lock on the way would raise ReadOnlySqlTransaction."""
        rendered = {}
        with self.registry.cursor(readonly=True) as cr:
            self.assertTrue(cr.readonly)
            env = api.Environment(cr, self.admin.id, {"lang": "en_US", "tz": "UTC"})
            for report_name, model in XLSX_REPORTS.items():
                docids = env[model].search([], limit=200).ids
                if not docids:
                    continue
                content, kind = env["ir.actions.report"]._render_xlsx(report_name, docids, data={})
                self.assertEqual(kind, "xlsx")
                rendered[report_name] = openpyxl.load_workbook(io.BytesIO(content)).sheetnames
            env["scp.forecast.measures"].get_monday_screen()
            env["scp.forecast.analysis"].web_read_group([], ["amount:sum"], ["kind"])
            # and the cursor really refuses a write
            with self.assertRaises(psycopg2.errors.ReadOnlySqlTransaction), cr.savepoint():
                cr.execute("UPDATE res_users SET write_date = now() WHERE id = %s", [self.admin.id])
        # the demo data gives both packs something to print
        self.assertIn("Commit", rendered["sales_cycle_process.commit_pack_xlsx"])
        self.assertIn("Forecast", rendered["sales_cycle_process.forecast_pack_xlsx"])


@tagged("post_install", "-at_install")
class TestReplicaDownload(HttpCase):
    """Through the real routes: no fall back to a read/write transaction (Odoo logs a warning when a read-only
    request writes and is retried on the primary)."""

    def test_pack_download_and_monday_screen_stay_read_only(self):
        self.authenticate("admin", "admin")
        commits = self.env["scp.sales.commit"].search([])
        url = f"/report/xlsx/sales_cycle_process.commit_pack_xlsx/{','.join(map(str, commits.ids))}"
        query = urlencode({"data": json.dumps([url, "xlsx"]), "context": "{}"})
        with self.assertNoLogs("odoo.http", level="WARNING"):
            response = self.url_open(f"/report/download?{query}", timeout=120)
            self.assertEqual(response.status_code, 200)
            self.assertIn("spreadsheetml", response.headers["Content-Type"])
            screen = self.make_jsonrpc_request(
                "/web/dataset/call_kw/scp.forecast.measures/get_monday_screen",
                {"model": "scp.forecast.measures", "method": "get_monday_screen", "args": [], "kwargs": {}},
            )
        self.assertIn("rows", screen)
