import io
import re
import zipfile
from collections import defaultdict
from xml.etree import ElementTree

import openpyxl
from openpyxl.utils.cell import range_boundaries

from odoo import fields
from odoo.tests import TransactionCase, tagged

from ..tools.periods import month_start, week_start

CHART_NS = {"c": "http://schemas.openxmlformats.org/drawingml/2006/chart"}
# the amount columns a manager reads per salesperson: targets, commits, actuals (not the ratios, not the
# parts of a commit such as "Commit Overridden (week)", which are rightly 0 when nothing was overridden)
FIGURES = {
    "target": re.compile(r"target", re.IGNORECASE),
    "stretched target": re.compile(r"^stretched target", re.IGNORECASE),
    "commit": re.compile(r"^(last week's )?commit( \((week|month|quarter)\))?$", re.IGNORECASE),
    "actual": re.compile(r"actual", re.IGNORECASE),
}
RATIO = re.compile(r"/| vs |%|rate|accuracy|attainment|coverage|growth", re.IGNORECASE)


@tagged("post_install", "-at_install")
class TestReviewPacksDemo(TransactionCase):
    """The weekly commit pack and the monthly forecast pack of the demo company, as a sales manager
    downloads them (the report actions of views/forecast_views.xml) on first login: no chart is empty and
    every demo salesperson has a target, a stretched target, a commit and an actual.

    Checked from the .xlsx file itself, generically (any sheet, any chart, any series): the charts are read
    from ``xl/charts/chart*.xml`` (openpyxl drops them on load), the cells with openpyxl."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = cls.env.ref("sales_cycle_process.demo_user_sales_manager", raise_if_not_found=False)
        cls.company = cls.env.ref("base.main_company")
        # the demo salespeople: the members of the demo company's sales teams
        cls.salespeople = (
            cls.env["crm.team"]
            .search([("company_id", "in", [cls.company.id, False])])
            .member_ids.filtered(lambda user: cls.company in user.company_ids)
        )

    def setUp(self):
        super().setUp()
        if not self.env.ref("sales_cycle_process.demo_review_packs_commit_precise", raise_if_not_found=False):
            self.skipTest("installed without demo data")

    def _render(self, report, records):
        content, kind = (
            self.env["ir.actions.report"]
            .with_user(self.manager)
            ._render_xlsx(f"sales_cycle_process.{report}", records.ids, {})
        )
        self.assertEqual(kind, "xlsx")
        return content

    def _latest_commits(self):
        Commit = self.env["scp.sales.commit"].with_user(self.manager)
        domain = [("state", "=", "current"), ("company_id", "=", self.company.id)]
        latest = max(Commit.search(domain).mapped("week_start"))
        return Commit.search([*domain, ("week_start", "=", latest)])

    def _latest_forecasts(self):
        Forecast = self.env["scp.sales.forecast"].with_user(self.manager)
        domain = [("company_id", "=", self.company.id)]
        latest = max(Forecast.search(domain).mapped("month"))
        return Forecast.search([*domain, ("month", "=", latest)])

    # --- reading the workbook --------------------------------------------------------------------
    def _charts(self, content):
        """{chart file: [(series name, values reference or None, literal values)]}"""
        charts = {}
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            for name in sorted(archive.namelist()):
                if not re.fullmatch(r"xl/charts/chart\d+\.xml", name):
                    continue
                root = ElementTree.fromstring(archive.read(name))
                series = []
                for ser in root.iter(f"{{{CHART_NS['c']}}}ser"):
                    label = ser.findtext("c:tx//c:f", namespaces=CHART_NS) or ser.findtext(
                        "c:tx//c:v", namespaces=CHART_NS
                    )
                    values = ser.find("c:val", CHART_NS)
                    if values is None:
                        values = ser.find("c:yVal", CHART_NS)
                    self.assertIsNotNone(values, f"{name}: series {label} has no values")
                    ref = values.findtext(".//c:f", namespaces=CHART_NS)
                    literals = [float(v.text) for v in values.iterfind(".//c:numLit//c:v", CHART_NS)]
                    series.append((label, ref, literals))
                charts[name] = series
        return charts

    def _before_the_months_first_commit(self, book, label):
        """The month's forecast + upside comes from the weekly commits of the month: before the month's
        first Monday it has none yet and is rightly 0 (docs/forecast.md, demo figures of the packs)."""
        today = fields.Date.context_today(self.env["scp.sales.forecast"])
        if week_start(today) >= month_start(today) or not label or "!" not in label:
            return False
        sheet_name, cell = label.rsplit("!", 1)
        title = book[sheet_name.strip("'")][cell.replace("$", "")].value or ""
        return "(month)" in str(title) and "upside" in str(title).lower()

    def _range_numbers(self, book, ref):
        """The numbers of a chart's range such as ``'Forecast'!$E$2:$E$13`` (a formula cell counts as a
        figure: the workbook is never recalculated here)."""
        sheet_name, cells = ref.rsplit("!", 1)
        sheet = book[sheet_name.strip("'").replace("''", "'")]
        min_col, min_row, max_col, max_row = range_boundaries(cells.replace("$", ""))
        numbers = []
        for row in sheet.iter_rows(min_row, max_row, min_col, max_col, values_only=True):
            for value in row:
                if isinstance(value, str) and value.startswith("="):
                    numbers.append(float("nan"))
                elif isinstance(value, int | float) and not isinstance(value, bool):
                    numbers.append(value)
        return numbers

    def _figures_by_salesperson(self, book):
        """{figure: {header: {salesperson: [values]}}} of every sheet with a Salesperson column (its header
        row among the first ten rows)."""
        found = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
        for sheet in book.worksheets:
            if sheet.title == "Waterfall":
                continue  # its rows are the steps of each salesperson's waterfall, not their figures
            header_row = person_col = None
            for row in sheet.iter_rows(min_row=1, max_row=min(sheet.max_row, 10)):
                for cell in row:
                    if cell.value == "Salesperson":
                        header_row, person_col = cell.row, cell.column
                        break
                if header_row:
                    break
            if not header_row:
                continue
            headers = {
                cell.column: str(cell.value)
                for cell in sheet[header_row]
                if isinstance(cell.value, str) and not RATIO.search(cell.value)
            }
            for row in sheet.iter_rows(min_row=header_row + 1, values_only=True):
                person = row[person_col - 1]
                if not person:
                    continue
                for col, header in headers.items():
                    value = row[col - 1] if col - 1 < len(row) else None
                    for figure, pattern in FIGURES.items():
                        if pattern.search(header):
                            found[figure][f"{sheet.title}: {header}"][person].append(value)
        return found

    def _assert_pack(self, content):
        self.assertTrue(content.startswith(b"PK"))
        book = openpyxl.load_workbook(io.BytesIO(content))
        charts = self._charts(content)
        self.assertTrue(charts, "the pack has no chart")
        for chart, series in charts.items():
            self.assertTrue(series, f"{chart} has no series")
            for label, ref, literals in series:
                with self.subTest(chart=chart, series=label):
                    numbers = self._range_numbers(book, ref) if ref else literals
                    self.assertTrue(numbers, f"{chart}: series {label} ({ref}) holds no number")
                    if self._before_the_months_first_commit(book, label):
                        continue
                    self.assertTrue(
                        any(number != 0 for number in numbers),
                        f"{chart}: series {label} ({ref}) is all zeros",
                    )
        return book

    def _assert_every_salesperson(self, figures, names, wanted):
        for figure in wanted:
            with self.subTest(figure=figure):
                self.assertIn(figure, figures, f"no {figure} column for the salespeople")
                for column, people in figures[figure].items():
                    for name in names:
                        values = people.get(name)
                        self.assertTrue(values, f"{name} has no row in {column}")
                        self.assertTrue(
                            any(isinstance(v, int | float) and v > 0 for v in values),
                            f"{column} of {name} is 0 on every row: {values}",
                        )

    # --- the tests -------------------------------------------------------------------------------
    def test_demo_salespeople(self):
        """Mitchell Admin, Marc Demo and Paula Precise sell in the demo teams; each has a commit this
        week and a forecast this month."""
        logins = set(self.salespeople.mapped("login"))
        self.assertGreaterEqual(logins, {"admin", "demo", "precise"})
        self.assertEqual(self._latest_commits().user_id, self.salespeople)
        self.assertEqual(self._latest_forecasts().user_id, self.salespeople)

    def test_commit_pack_never_empty(self):
        commits = self._latest_commits()
        book = self._assert_pack(self._render("commit_pack_xlsx", commits))
        figures = self._figures_by_salesperson(book)
        self._assert_every_salesperson(figures, self.salespeople.mapped("name"), ["commit", "actual"])
        # the weeks before: commit against actual for several weeks, each with figures
        trend = [
            sheet
            for sheet in book.worksheets
            if any(cell.value == "Actual" for row in sheet.iter_rows(max_row=10) for cell in row)
        ]
        self.assertTrue(trend, "no sheet of commit vs actual by week")
        weeks = [
            row
            for row in trend[0].iter_rows(min_row=2, values_only=True)
            if any(isinstance(v, int | float) and v > 0 for v in row[1:3])
        ]
        self.assertGreaterEqual(len(weeks), 4)

    def test_forecast_pack_never_empty(self):
        forecasts = self._latest_forecasts()
        book = self._assert_pack(self._render("forecast_pack_xlsx", forecasts))
        figures = self._figures_by_salesperson(book)
        names = self.salespeople.mapped("name")
        self._assert_every_salesperson(figures, names, ["target", "stretched target"])
        # the "Stretched Target is 0 on every row": each month of each 12-month forecast has one
        for column, people in figures["stretched target"].items():
            if column.startswith("Forecast:"):
                for name in names:
                    self.assertTrue(all(people[name]), f"{column} of {name}: {people[name]}")
        # pipeline coverage: months and targets per rep
        tracked = self.env["scp.forecast.measures"].with_user(self.manager)._forecast_tracking(forecasts)
        for forecast in forecasts:
            with self.subTest(salesperson=forecast.user_id.name):
                values = tracked[forecast.id]
                self.assertGreater(values["pipeline"], 0)
                self.assertGreater(values["target"], 0)
                self.assertGreater(values["coverage"], 0)

    def test_commit_and_forecast_history(self):
        """Several weeks of commits with their actuals and several months of forecasts per salesperson."""
        Commit = self.env["scp.sales.commit"].with_user(self.manager)
        Forecast = self.env["scp.sales.forecast"].with_user(self.manager)
        latest = self._latest_commits()[:1].week_start
        mondays = sorted(set(Commit.search([("week_start", "<", latest)]).mapped("week_start")))[-4:]
        accuracy = (
            self.env["scp.forecast.measures"]
            .with_user(self.manager)
            ._accuracy_by_week(self.salespeople, mondays)
        )
        for user in self.salespeople:
            with self.subTest(salesperson=user.name):
                for monday in mondays:
                    commit, actual, _pct = accuracy[user.id, monday]
                    self.assertGreater(commit, 0, monday)
                    self.assertGreater(actual, 0, monday)
                self.assertGreaterEqual(Forecast.search_count([("user_id", "=", user.id)]), 2)
