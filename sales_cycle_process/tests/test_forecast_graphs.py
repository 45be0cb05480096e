# Copyright 2026 sales_cycle_process contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from lxml import etree

from odoo.tests import tagged

from .test_trust_snapshots import SnapshotCase


@tagged("post_install", "-at_install")
class TestGraphsSideBySide(SnapshotCase):
    """Graphs compare measures side by side: forecast, commit and actual are never stacked into one bar."""

    # bar graphs that stack on purpose: the parts of one whole (their sum means something)
    STACKED_ON_PURPOSE = {
        "sales_cycle_process.crm_lead_view_graph_ladder": "a category's pipeline split by ladder phase",
        "sales_cycle_process.scp_sales_forecast_line_view_graph": "a month's forecast split by salesperson",
    }

    def test_no_graph_stacks_forecast_commit_and_actual(self):
        views = self.env["ir.ui.view"].search([("type", "=", "graph")])
        ours = {view.xml_id: view for view in views if view.xml_id.startswith("sales_cycle_process.")}
        self.assertIn("sales_cycle_process.scp_forecast_analysis_view_graph", ours)
        for xml_id, view in ours.items():
            arch = self.env[view.model].get_view(view.id, "graph")["arch"]
            with self.subTest(view=xml_id):
                graph = etree.fromstring(arch)
                if graph.get("type", "bar") != "bar":
                    continue
                self.assertIn(graph.get("stacked"), ("0", "1", "True", "False"), "say whether it stacks")
                if graph.get("stacked") in ("1", "True"):
                    self.assertIn(xml_id, self.STACKED_ON_PURPOSE)
        analysis = self.env["scp.forecast.analysis"].get_view(
            self.env.ref("sales_cycle_process.scp_forecast_analysis_view_graph").id, "graph"
        )["arch"]
        self.assertIn('stacked="0"', analysis)

    def test_the_analysis_compares_the_three_measures_of_a_month(self):
        """What the graph draws for March 2026: Alice's commit of the week of 9 March (10,000) and her
        forecast for March (the press closing on 10 March, 10,000) are two bars, not one of 20,000."""
        self._commit(self.alice)
        self._forecast(self.alice)
        self.env.flush_all()
        groups = (
            self.env["scp.forecast.analysis"]
            .with_user(self.manager)
            ._read_group(
                [("user_id", "=", self.alice.id), ("date", ">=", "2026-03-01"), ("date", "<", "2026-04-01")],
                ["kind"],
                ["amount:sum"],
            )
        )
        self.assertEqual(dict(groups), {"commit": 10000, "forecast": 10000})
