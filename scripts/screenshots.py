"""Screenshots of the playbook's key screens, taken from the demo database of `make run`.

Usage (after `make run` has created the demo database): `make screenshots`, or
`scripts/dev.sh screenshots [--db scp_demo] [--out sales_cycle_process/static/description]`.

Starts its own Odoo server on a free port of 127.0.0.1, logs in as admin, drives a headless
Chromium through its DevTools protocol (websocket-client) and saves one PNG per screen.
"""

import argparse
import base64
import http.cookiejar
import io
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import websocket
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
WIDTH, HEIGHT = 1366, 768
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
MODULE = "sales_cycle_process"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Odoo:
    """An Odoo server of its own, and a JSON-RPC session logged in as admin."""

    def __init__(self, conf, db, odoo_src):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = open(ROOT / ".dev" / "screenshots-odoo.log", "w")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                str(Path(odoo_src) / "odoo-bin"),
                "-c",
                conf,
                "-d",
                db,
                f"--db-filter=^{db}$",
                "--http-interface=127.0.0.1",
                f"--http-port={self.port}",
                "--workers=0",
                "--max-cron-threads=0",
                "--log-level=warn",
            ],
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.db = db

    def wait(self, timeout=120):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                sys.exit(f"Odoo stopped: see {self.log.name}")
            try:
                self.opener.open(self.base + "/web/login", timeout=5)
                return
            except OSError:
                time.sleep(1)
        sys.exit(f"Odoo did not answer on {self.base} within {timeout}s")

    def rpc(self, path, params):
        body = json.dumps({"jsonrpc": "2.0", "method": "call", "params": params}).encode()
        request = urllib.request.Request(self.base + path, body, {"Content-Type": "application/json"})
        reply = json.load(self.opener.open(request, timeout=60))
        if reply.get("error"):
            raise RuntimeError(reply["error"]["data"]["message"])
        return reply["result"]

    def login(self):
        self.rpc("/web/session/authenticate", {"db": self.db, "login": "admin", "password": "admin"})
        return next(cookie.value for cookie in self.jar if cookie.name == "session_id")

    def call(self, model, method, *args, **kwargs):
        return self.rpc(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def xmlid(self, name, module=MODULE):
        rows = self.call(
            "ir.model.data", "search_read", [("module", "=", module), ("name", "=", name)], ["res_id"]
        )
        return rows[0]["res_id"] if rows else False

    def stop(self):
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


class Chromium:
    """A headless Chromium driven through the DevTools protocol."""

    def __init__(self):
        binary = next((shutil.which(name) for name in CHROMIUM_NAMES if shutil.which(name)), None)
        if not binary:
            sys.exit("Chromium is not installed (apt-get install chromium)")
        self.profile = tempfile.mkdtemp(prefix="scp-shots-")
        self.proc = subprocess.Popen(
            [
                binary,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                "--no-first-run",
                "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0",
                f"--user-data-dir={self.profile}",
                f"--window-size={WIDTH},{HEIGHT}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        port_file = Path(self.profile) / "DevToolsActivePort"
        for _i in range(100):
            if port_file.exists() and port_file.read_text().strip():
                break
            time.sleep(0.2)
        port = port_file.read_text().split()[0]
        targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json", timeout=10))
        page = next(t for t in targets if t["type"] == "page")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60)
        self.next_id = 0
        self.send("Page.enable")
        self.send(
            "Emulation.setDeviceMetricsOverride",
            width=WIDTH,
            height=HEIGHT,
            deviceScaleFactor=1,
            mobile=False,
        )

    def send(self, method, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def js(self, expression):
        result = self.send("Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True)
        return result.get("result", {}).get("value")

    def wait_for(self, selector, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.js(f"!!document.querySelector({json.dumps(selector)})"):
                return True
            time.sleep(0.3)
        return False

    def click_text(self, selector, text):
        """Click the first element matching ``selector`` whose text contains ``text``."""
        return self.js(
            f"""(() => {{
                const el = [...document.querySelectorAll({json.dumps(selector)})]
                    .find((e) => e.textContent.includes({json.dumps(text)}));
                if (el) {{ el.click(); return true; }}
                return false;
            }})()"""
        )

    def settle(self):
        """Wait for Odoo's pending requests to end, then for the rendering."""
        for _i in range(50):
            if not self.js("!!document.querySelector('.o_loading_indicator, .o_blockUI')"):
                break
            time.sleep(0.2)
        time.sleep(1.0)

    def screenshot(self, path):
        data = self.send("Page.captureScreenshot", format="png")["data"]
        image = Image.open(io.BytesIO(base64.b64decode(data))).convert("RGB")
        image = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT)
        image.save(path, optimize=True)

    def stop(self):
        try:
            self.ws.close()
        finally:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
            shutil.rmtree(self.profile, ignore_errors=True)


def screens(odoo):
    """(file name, url, selector to wait for, actions: [(selector, text) to click])."""
    ref = odoo.xmlid
    quotation = ref("demo_qpa_quotation") or next(
        iter(
            odoo.call("sale.order", "search", [("state", "in", ["draft", "sent"])], limit=1, order="id desc")
        ),
        False,
    )
    return [
        # the pipeline of the demo's ladder team (crm's own demo teams keep their predictive probabilities)
        (
            "ladder_kanban.png",
            f"/odoo/{ref('demo_ladder_team')}/action-crm.crm_case_form_view_salesteams_opportunity",
            ".o_kanban_record",
            [],
        ),
        (
            "opportunity_qualification.png",
            f"/odoo/action-crm.crm_lead_action_pipeline/{ref('demo_ladder_lead_press_line')}",
            ".o_form_view .o_notebook",
            [(".o_notebook .nav-link", "Qualification")],
        ),
        (
            "opportunity_entry_criteria.png",
            f"/odoo/action-crm.crm_lead_action_pipeline/{ref('demo_playbook_lead_60')}",
            ".o_form_view .o_notebook",
            [(".o_notebook .nav-link", "Entry Criteria")],
        ),
        ("cadence_compliance.png", f"/odoo/action-{MODULE}.scp_cadence_state_action", ".o_data_row", []),
        (
            "visit_report.png",
            f"/odoo/action-{MODULE}.scp_visit_report_action/{ref('demo_playbook_visit_report_deco')}",
            ".o_form_view .o_form_sheet",
            [],
        ),
        (
            "quotation_qpa.png",
            f"/odoo/action-sale.action_quotations_with_onboarding/{quotation}",
            ".o_form_view .o_notebook",
            [(".o_notebook .nav-link", "QPA")],
        ),
        (
            "order_after_sales.png",
            f"/odoo/action-sale.action_orders/{ref('demo_playbook_order_shipped_60')}",
            ".o_form_view .o_notebook",
            [(".o_notebook .nav-link", "After-Sales")],
        ),
        (
            "weekly_commit.png",
            f"/odoo/action-{MODULE}.scp_sales_commit_action/{ref('demo_playbook_commit_3')}",
            ".o_form_view .o_data_row",
            [],
        ),
        (
            "monthly_forecast.png",
            f"/odoo/action-{MODULE}.scp_sales_forecast_action/{ref('demo_playbook_forecast_2')}",
            ".o_form_view .o_data_row",
            [],
        ),
        (
            "forecast_analysis.png",
            f"/odoo/action-{MODULE}.scp_forecast_analysis_action",
            ".o_graph_renderer canvas",
            [],
        ),
        (
            "monday_dashboard.png",
            f"/odoo/action-{MODULE}.scp_forecast_monday_screen_action",
            ".o_scp_monday_table tbody tr.o_scp_monday_row_team",
            [],
        ),
        (
            "monday_waterfall.png",
            f"/odoo/action-{MODULE}.scp_forecast_monday_screen_action",
            ".o_scp_monday_table .o_scp_monday_waterfall_button",
            [(".o_scp_monday_waterfall_button", "")],
        ),
        (
            "pipeline_inspection.png",
            f"/odoo/action-{MODULE}.scp_pipeline_inspection_action_default",
            ".o_list_view .o_group_name",
            [(".o_list_view .o_group_name", "Pushed Out"), (".o_list_view .o_group_name", "Amount Up")],
        ),
        (
            "ladder_calibration.png",
            f"/odoo/action-{MODULE}.scp_ladder_calibration_action",
            ".o_graph_renderer canvas",
            [],
        ),
        # the stale demo deals sit in crm's Sales team
        (
            "deal_health_kanban.png",
            f"/odoo/{ref('team_sales_department', 'sales_team')}"
            "/action-crm.crm_case_form_view_salesteams_opportunity",
            ".o_kanban_record",
            [],
        ),
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conf", default=str(ROOT / ".dev" / "odoo.conf"))
    parser.add_argument("--db", default=os.environ.get("DEMO_DB", "scp_demo"))
    parser.add_argument("--odoo-src", default=os.environ.get("ODOO_SRC", str(Path.home() / "odoo" / "18.0")))
    parser.add_argument("--out", default=str(ROOT / MODULE / "static" / "description"))
    parser.add_argument("--only", nargs="*", help="file names to take (default: all)")
    args = parser.parse_args()
    odoo = Odoo(args.conf, args.db, args.odoo_src)
    browser = None
    try:
        odoo.wait()
        session = odoo.login()
        browser = Chromium()
        browser.send("Network.enable")
        browser.send("Network.setCookie", name="session_id", value=session, domain="127.0.0.1", path="/")
        for name, url, selector, actions in screens(odoo):
            if args.only and name not in args.only:
                continue
            browser.send("Page.navigate", url=odoo.base + url)
            time.sleep(1)
            if not browser.wait_for(selector):
                print(f"SKIPPED {name}: {selector} did not appear at {url}", file=sys.stderr)
                continue
            browser.settle()
            for click_selector, text in actions:
                if not browser.click_text(click_selector, text):
                    print(f"NOTE {name}: nothing to click for {click_selector} {text!r}", file=sys.stderr)
                browser.settle()
            browser.js("document.activeElement && document.activeElement.blur()")
            path = Path(args.out) / name
            browser.screenshot(path)
            print(f"{path} ({path.stat().st_size // 1024} KB)")
    finally:
        if browser:
            browser.stop()
        odoo.stop()


if __name__ == "__main__":
    main()
