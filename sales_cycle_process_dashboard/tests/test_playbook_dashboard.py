# Copyright 2026 sales_cycle_process contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json

from odoo.tests import TransactionCase, new_test_user, tagged

# the playbook's measures the dashboard shows: {model: the fields it must read}
EXPECTED = {
    "scp.forecast.analysis": {"date", "kind", "amount", "team_id", "user_id"},
    "crm.lead": {"type", "stage_id", "expected_revenue_company", "team_id", "user_id"},
    "scp.sales.commit": {"week_start", "commit_week", "state", "team_id", "user_id"},
}


@tagged("post_install", "-at_install")
class TestPlaybookDashboard(TransactionCase):
    """Dashboards > Sales > Sales Playbook: shipped with the addon, reading fields that exist."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dashboard = cls.env.ref("sales_cycle_process_dashboard.spreadsheet_dashboard_playbook")
        cls.data = json.loads(cls.dashboard.spreadsheet_data)
        cls.charts = [
            figure["data"]
            for sheet in cls.data["sheets"]
            for figure in sheet["figures"]
            if figure["tag"] == "chart" and figure["data"]["type"].startswith("odoo_")
        ]

    def _field_path(self, model, path):
        """The field at the end of ``path`` (``stage_id.is_won``) on ``model``, or fail naming it."""
        records = self.env[model]
        field = None
        for name in path.split("."):
            self.assertIn(name, records._fields, f"{model}: no field {path}")
            field = records._fields[name]
            if field.relational:
                records = self.env[field.comodel_name]
        return field

    def _domain_paths(self, domain):
        return [leaf[0] for leaf in domain if isinstance(leaf, list | tuple) and len(leaf) == 3]

    def test_the_dashboard_is_shipped_for_sales_managers(self):
        self.assertEqual(self.dashboard.name, "Sales Playbook")
        self.assertTrue(self.dashboard.is_published)
        self.assertEqual(
            self.dashboard.dashboard_group_id,
            self.env.ref("spreadsheet_dashboard.spreadsheet_dashboard_group_sales"),
        )
        self.assertEqual(self.dashboard.group_ids, self.env.ref("sales_team.group_sale_manager"))
        manager = new_test_user(self.env, "dash_manager", groups="sales_team.group_sale_manager")
        salesperson = new_test_user(self.env, "dash_sales", groups="sales_team.group_sale_salesman")
        Dashboard = self.env["spreadsheet.dashboard"]
        self.assertIn(self.dashboard, Dashboard.with_user(manager).search([]))
        self.assertNotIn(self.dashboard, Dashboard.with_user(salesperson).search([]))
        snapshot = self.dashboard.with_user(manager).get_readonly_dashboard()["snapshot"]
        self.assertEqual(snapshot["sheets"][0]["name"], "Playbook")

    def test_the_charts_and_the_pivot_read_fields_that_exist(self):
        read = {}
        self.assertEqual(len(self.charts), 3)
        for chart in self.charts:
            meta = chart["metaData"]
            model = meta["resModel"]
            names = [meta["measure"], *(group.split(":")[0] for group in meta["groupBy"])]
            names += self._domain_paths(chart["searchParams"]["domain"])
            names += [matching["chain"] for matching in chart["fieldMatching"].values()]
            for name in names:
                self._field_path(model, name)
            self.assertEqual(meta["groupBy"], chart["searchParams"]["groupBy"])
            read.setdefault(model, set()).update(name.split(".")[0] for name in names)
        (pivot,) = self.data["pivots"].values()
        names = [row["fieldName"] for row in pivot["rows"] + pivot["columns"]]
        names += [measure["fieldName"] for measure in pivot["measures"]]
        names += [matching["chain"] for matching in pivot["fieldMatching"].values()]
        for name in names:
            self._field_path(pivot["model"], name)
        read.setdefault(pivot["model"], set()).update(names)
        self.assertEqual(read, EXPECTED)
        self.assertEqual(
            [
                cell["content"]
                for cell in self.data["sheets"][0]["cells"].values()
                if "PIVOT" in cell["content"]
            ],
            ["=PIVOT(1,50,FALSE)"],
        )

    def test_filters_and_menus_name_what_exists(self):
        filters = {flt["id"]: flt for flt in self.data["globalFilters"]}
        self.assertEqual(
            sorted((flt["label"], flt.get("modelName")) for flt in filters.values()),
            [("Period", None), ("Sales Team", "crm.team"), ("Salesperson", "res.users")],
        )
        for matchings in [chart["fieldMatching"] for chart in self.charts] + [
            pivot["fieldMatching"] for pivot in self.data["pivots"].values()
        ]:
            self.assertLessEqual(set(matchings), set(filters))
        for figure_id, menu in self.data["chartOdooMenusReferences"].items():
            self.assertTrue(self.env.ref(menu, raise_if_not_found=False), f"{figure_id}: no menu {menu}")

    def test_forecast_commit_and_actual_are_side_by_side(self):
        (chart,) = [
            chart for chart in self.charts if chart["metaData"]["resModel"] == "scp.forecast.analysis"
        ]
        self.assertEqual(chart["type"], "odoo_bar")
        self.assertEqual(chart["metaData"]["groupBy"], ["date:month", "kind"])
        self.assertIs(chart["stacked"], False)

    def test_each_chart_query_runs_for_a_manager(self):
        """The queries the charts send, as a sales manager: the demo's forecast, commit and actual figures."""
        manager = new_test_user(self.env, "dash_reader", groups="sales_team.group_sale_manager")
        for chart in self.charts:
            meta = chart["metaData"]
            Model = self.env[meta["resModel"]].with_user(manager)
            groups = Model.read_group(
                chart["searchParams"]["domain"], [f"{meta['measure']}:sum"], meta["groupBy"], lazy=False
            )
            expected = {
                "scp.forecast.analysis": Model.search(chart["searchParams"]["domain"]),
                "crm.lead": Model.search(chart["searchParams"]["domain"]),
                "scp.sales.commit": Model.search(chart["searchParams"]["domain"]),
            }[meta["resModel"]]
            total = sum(expected.mapped(meta["measure"]))
            self.assertAlmostEqual(sum(group[meta["measure"]] for group in groups), total, places=2)
        analysis = self.env["scp.forecast.analysis"].with_user(manager)
        kinds = {group["kind"] for group in analysis.read_group([], ["amount:sum"], ["kind"], lazy=False)}
        self.assertEqual(kinds, {"forecast", "commit", "actual"}, "the demo data shows all three")
