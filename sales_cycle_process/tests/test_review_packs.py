"""The review packs as a manager opens and prints them (issue #19), read from the workbook file itself: the
sheets and their order, the cover, the charts (xl/charts/chart*.xml: openpyxl drops charts on load), their
series' ranges and their axes' number formats, the bands' conditional formats from the Settings, the print
settings, and user text written as text."""

import io
import re
import zipfile
from datetime import date, datetime
from xml.etree import ElementTree

import openpyxl
from freezegun import freeze_time

from odoo.tests import Form, TransactionCase, new_test_user, tagged

from .commit_checklist_common import complete_commit_checklist
from .qpa_common import QpaCase

NS = {
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
}
RANGE = re.compile(
    r"^'?(?P<sheet>.+?)'?!\$?(?P<c1>[A-Z]+)\$?(?P<r1>\d+)(?::\$?(?P<c2>[A-Z]+)\$?(?P<r2>\d+))?$"
)


class Workbook:
    """An XLSX file read twice: openpyxl for the cells, the zip's XML for what openpyxl does not keep."""

    def __init__(self, content):
        self.book = openpyxl.load_workbook(io.BytesIO(content))
        self.zip = zipfile.ZipFile(io.BytesIO(content))
        self.names = self.book.sheetnames

    def xml(self, path):
        return ElementTree.fromstring(self.zip.read(path))

    def sheet_xml(self, name):
        # xlsxwriter names the sheets' files in the order of the sheets
        return self.xml(f"xl/worksheets/sheet{self.names.index(name) + 1}.xml")

    def sheet_text(self, name):
        return self.zip.read(f"xl/worksheets/sheet{self.names.index(name) + 1}.xml").decode()

    def charts(self):
        """{title: chart XML root} of every chart of the workbook."""
        result = {}
        for path in sorted(p for p in self.zip.namelist() if re.match(r"xl/charts/chart\d+\.xml$", p)):
            root = self.xml(path)
            title = root.find("c:chart/c:title", NS)
            text = "".join(t.text or "" for t in title.iter(f"{{{NS['a']}}}t")) if title is not None else ""
            result[text] = root
        return result

    def cells(self, reference):
        match = RANGE.match(reference)
        sheet = self.book[match["sheet"].replace("''", "'")]
        first = f"{match['c1']}{match['r1']}"
        last = f"{match['c2'] or match['c1']}{match['r2'] or match['r1']}"
        return [cell for row in sheet[first:last] for cell in row]

    def series(self, chart):
        """Each series of ``chart`` (combined charts included): (name cell value, categories, values)."""
        result = []
        for ser in chart.iter(f"{{{NS['c']}}}ser"):
            name = ser.find("c:tx/c:strRef/c:f", NS)
            cat = ser.find("c:cat/*/c:f", NS)
            val = ser.find("c:val/c:numRef/c:f", NS)
            result.append(
                (
                    self.cells(name.text)[0].value if name is not None else None,
                    [cell.value for cell in self.cells(cat.text)] if cat is not None else [],
                    [cell.value for cell in self.cells(val.text)],
                )
            )
        return result

    @staticmethod
    def axis_formats(chart):
        """{axis tag: [(number format, titled)]} of the chart's shown axes (dateAx, catAx, valAx)."""
        formats = {}
        for tag in ("dateAx", "catAx", "valAx"):
            for axis in chart.iter(f"{{{NS['c']}}}{tag}"):
                deleted = axis.find("c:delete", NS)
                if deleted is not None and deleted.get("val") == "1":
                    continue
                fmt = axis.find("c:numFmt", NS)
                title = axis.find("c:title", NS)
                formats.setdefault(tag, []).append(
                    (fmt.get("formatCode") if fmt is not None else None, title is not None)
                )
        return formats

    def rules(self, name):
        """The sheet's conditional formats: [(range, type, operator, [formulas])]."""
        root = self.sheet_xml(name)
        return [
            (
                cf.get("sqref"),
                rule.get("type"),
                rule.get("operator"),
                [f.text for f in rule.findall("m:formula", NS)],
            )
            for cf in root.findall("m:conditionalFormatting", NS)
            for rule in cf.findall("m:cfRule", NS)
        ]

    def print_titles(self):
        root = self.xml("xl/workbook.xml")
        return {
            (dn.get("localSheetId"), dn.text)
            for dn in root.iter(f"{{{NS['m']}}}definedName")
            if dn.get("name") == "_xlnm.Print_Titles"
        }

    def page(self, name):
        root = self.sheet_xml(name)
        setup = root.find("m:pageSetup", NS)
        fit = root.find("m:sheetPr/m:pageSetUpPr", NS)
        header = root.find("m:headerFooter/m:oddHeader", NS)
        footer = root.find("m:headerFooter/m:oddFooter", NS)
        return {
            "orientation": setup.get("orientation"),
            "fitToWidth": setup.get("fitToWidth", "1"),
            "fitToHeight": setup.get("fitToHeight"),
            "fitToPage": fit is not None and fit.get("fitToPage"),
            "header": header.text if header is not None else "",
            "footer": footer.text if footer is not None else "",
        }


@tagged("post_install", "-at_install")
class TestReviewPacks(TransactionCase):
    """Alice commits for three weeks (23 February, 2 and 9 March 2026) and forecasts February and March;
    Bob, in her team, never does. Alice's name starts with "=" (a formula, were it not written as text)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, mail_notrack=True))
        Stage = cls.env["crm.stage"]
        commit_stage = Stage.create({"name": "RP Commit", "probability": 90, "forecast_category": "commit"})
        upside_stage = Stage.create({"name": "RP Upside", "probability": 80, "forecast_category": "upside"})
        won_stage = Stage.create(
            {"name": "RP Won", "probability": 100, "forecast_category": "closed", "is_won": True}
        )
        cls.manager = new_test_user(cls.env, "rp_manager", groups="sales_team.group_sale_manager", tz="UTC")
        cls.alice = new_test_user(
            cls.env, "rp_alice", groups="sales_team.group_sale_salesman", tz="UTC", name="=1+2 Alice"
        )
        cls.bob = new_test_user(cls.env, "rp_bob", groups="sales_team.group_sale_salesman", tz="UTC")
        cls.team = cls.env["crm.team"].create(
            {
                "name": "RP Team",
                "user_id": cls.manager.id,
                "member_ids": [(6, 0, [cls.alice.id, cls.bob.id])],
            }
        )
        # Alice's stretched target: 22,000 a month from January 2026 to March 2027
        cls.env["scp.sales.target"].create(
            [
                {
                    "user_id": cls.alice.id,
                    "month": date(2026 + (month - 1) // 12, (month - 1) % 12 + 1, 1),
                    "base_amount": 20000,
                    "raise_factor": 1.1,
                }
                for month in range(1, 16)
            ]
        )
        partner = cls.env["res.partner"].create({"name": "RP Customer"})

        def lead(name, amount, deadline, stage):
            return cls.env["crm.lead"].create(
                {
                    "name": name,
                    "type": "opportunity",
                    "user_id": cls.alice.id,
                    "team_id": cls.team.id,
                    "partner_id": partner.id,
                    "expected_revenue": amount,
                    "date_deadline": deadline,
                    "stage_id": stage.id,
                    "probability": stage.probability,
                }
            )

        with freeze_time("2026-02-20 10:00:00"):
            cls.l1 = lead("RP Deal 1", 10000, "2026-03-05", commit_stage)
            cls.l2 = lead('=HYPERLINK("http://evil")', 5000, "2026-03-20", commit_stage)
            cls.l3 = lead("RP Deal 3", 8000, "2026-03-06", upside_stage)
            complete_commit_checklist(cls.env, cls.l1 | cls.l2)
            cls.commit_feb = cls._commit(cls.alice)
            cls.forecast_feb = cls._forecast(cls.alice)
        with freeze_time("2026-03-01 10:00:00"):
            cls.l4 = lead("RP Deal 4", 15400, "2026-04-20", upside_stage)
            cls.commit_w1 = cls._commit(cls.alice)
        with freeze_time("2026-03-04 10:00:00"):
            cls.l1.stage_id = won_stage  # 10,000 won in the week of 2 March
        with freeze_time("2026-03-08 10:00:00"):
            cls.commit_w2 = cls._commit(cls.alice)
            cls.forecast_mar = cls._forecast(cls.alice)
        cls.commits = cls.commit_feb | cls.commit_w1 | cls.commit_w2
        cls.forecasts = cls.forecast_feb | cls.forecast_mar

    @classmethod
    def _commit(cls, user):
        wizard = Form(cls.env["scp.commit.wizard"].with_user(user)).save()
        return cls.env["scp.sales.commit"].browse(wizard.action_submit()["res_id"])

    @classmethod
    def _forecast(cls, user):
        wizard = Form(cls.env["scp.forecast.wizard"].with_user(user)).save()
        return cls.env["scp.sales.forecast"].browse(wizard.action_submit()["res_id"])

    def _render(self, report, records):
        with freeze_time("2026-03-11 12:00:00"):
            content, kind = (
                self.env[f"report.sales_cycle_process.{report}"]
                .with_user(self.manager)
                .create_xlsx_report(records.ids, {})
            )
        self.assertEqual(kind, "xlsx")
        return Workbook(content)

    def assertSeriesHoldNumbers(self, book, chart):
        series = book.series(chart)
        self.assertTrue(series)
        for name, categories, values in series:
            with self.subTest(series=name):
                self.assertTrue(name)
                self.assertTrue(values)
                numbers = [value for value in values if value is not None]
                self.assertTrue(numbers, f"{name}: an empty range")
                self.assertTrue(all(isinstance(value, int | float) for value in numbers))
                self.assertEqual(len(categories), len(values))
        return series

    def assertPrintReady(self, book, title, period):
        company = self.env.company.name
        titles = book.print_titles()
        for index, name in enumerate(book.names):
            with self.subTest(sheet=name):
                page = book.page(name)
                self.assertEqual(page["orientation"], "landscape")
                self.assertEqual(page["fitToWidth"], "1")
                self.assertEqual(page["fitToHeight"], "0")
                self.assertEqual(page["fitToPage"], "1")
                self.assertIn(company, page["header"])
                self.assertIn(title, page["header"])
                self.assertIn(period, page["header"])
                self.assertIn("&P", page["footer"])
                self.assertIn("&N", page["footer"])
                if name != "Cover":
                    # the header row repeated on each printed page, frozen, with its filter buttons
                    self.assertTrue(
                        any(text.endswith("!$1:$1") and sheet == str(index) for sheet, text in titles), name
                    )
                    self.assertEqual(book.book[name].freeze_panes, "A2")
                    self.assertTrue(book.book[name].auto_filter.ref)

    # ------------------------------------------------------------------------------------------------------
    def test_commit_pack_cover_charts_bands_and_print(self):
        book = self._render("commit_pack_xlsx", self.commits)
        self.assertEqual(
            book.names,
            ["Cover", "Commit", "Checklist", "Trend", "Submission", "Waterfall", "Forecasting bias"],
        )
        # the cover: the period as dates, the team, the five headline figures with their bands
        cover = book.book["Cover"]
        self.assertEqual(cover["A1"].value, "Weekly Commit Pack")
        self.assertEqual(
            (cover["B2"].value, cover["C2"].value), (datetime(2026, 2, 23), datetime(2026, 3, 9))
        )
        self.assertEqual(cover["B2"].number_format, "yyyy-mm-dd")
        self.assertEqual(cover["B3"].value, "RP Team")
        self.assertIsInstance(cover["B5"].value, datetime)
        figures = {
            cover.cell(row, 1).value: (cover.cell(row, 2).value, cover.cell(row, 3).value)
            for row in range(8, 13)
        }
        # last week (2 March): committed 10,000 (deal 1), won 10,000: 100 %, inside 95-110 %
        self.assertAlmostEqual(figures["Last week's actual / commit"][0], 1.0)
        self.assertEqual(figures["Last week's actual / commit"][1], "Good")
        # Alice submitted, Bob did not: 50 %, off
        self.assertEqual(figures["Commit submission"], (0.5, "Off"))
        self.assertEqual(cover["B8"].number_format, "0.0%")
        texts = [cell.value for row in cover.iter_rows() for cell in row if isinstance(cell.value, str)]
        self.assertIn("=1+2 Alice", texts)  # who submitted
        self.assertIn(self.bob.name, texts)  # who did not
        self.assertTrue(any(text.startswith("Figures of the last week printed") for text in texts))
        self.assertIn("95 % to 110 %", texts)  # the legend of the accuracy band
        # user text written as text: no formula anywhere in the workbook
        for name in book.names:
            self.assertNotIn("<f>", book.sheet_text(name), name)
        commit = book.book["Commit"]
        self.assertEqual(commit["B2"].value, "=1+2 Alice")
        self.assertEqual(commit["B2"].data_type, "s")
        checklist = book.book["Checklist"]
        deals = {checklist.cell(row, 2).value for row in range(2, checklist.max_row + 1)}
        self.assertIn('=HYPERLINK("http://evil")', deals)
        # the accuracy column coloured by the Settings' band (ratios: 0.95 to 1.1, amber 0.85 to 1.2)
        rules = book.rules("Commit")
        self.assertIn(("J2:J4", "cellIs", "between", ["0.95", "1.1"]), rules)
        self.assertIn(("J2:J4", "cellIs", "between", ["0.85", "1.2"]), rules)
        # commit vs actual by week: dates on a date axis, money on the left, the ratio on the right
        charts = book.charts()
        trend = charts["Commit vs actual by week"]
        formats = book.axis_formats(trend)
        self.assertEqual(formats["dateAx"], [("yyyy-mm-dd", True)])
        self.assertEqual(sorted(formats["valAx"]), [("#,##0", True), ("0%", True)])
        series = self.assertSeriesHoldNumbers(book, trend)
        names = [name for name, _c, _v in series]
        self.assertEqual(
            names, ["Commit", "Actual", "Accuracy", "Accuracy: lowest good", "Accuracy: highest good"]
        )
        categories = series[0][1]
        self.assertEqual(categories[-1], datetime(2026, 3, 9))
        self.assertTrue(all(isinstance(week, datetime) for week in categories))
        self.assertEqual(set(series[3][2]), {0.95})
        self.assertEqual(set(series[4][2]), {1.1})
        by_week = dict(zip(categories, zip(series[0][2], series[1][2], strict=True), strict=True))
        self.assertEqual(by_week[datetime(2026, 3, 2)], (10000, 10000))
        # the waterfall of the last week: last week's commit, the steps, this week's (they add up)
        waterfall = charts["Commit waterfall, week of 2026-03-09"]
        steps = self.assertSeriesHoldNumbers(book, waterfall)
        self.assertEqual(book.axis_formats(waterfall)["valAx"], [("#,##0", True)])
        self.assertEqual(steps[0][1][0], "Last Week's Commit")
        self.assertEqual(steps[0][1][-1], "This Week's Commit")
        start, end = steps[1][2][0], steps[1][2][-1]
        self.assertEqual(start + sum(steps[2][2]) - sum(steps[3][2]), end)
        self.assertPrintReady(book, "Weekly Commit Pack", "2026-02-23 – 2026-03-09")

    def test_a_threshold_changed_in_the_settings_shows_in_the_pack(self):
        self.env.company.write({"forecast_band_accuracy_min": 97.0, "forecast_band_accuracy_max": 105.0})
        book = self._render("commit_pack_xlsx", self.commits)
        rules = book.rules("Commit")
        self.assertIn(("J2:J4", "cellIs", "between", ["0.97", "1.05"]), rules)
        self.assertNotIn(("J2:J4", "cellIs", "between", ["0.95", "1.1"]), rules)
        trend = book.book["Trend"]
        self.assertEqual((trend["E2"].value, trend["F2"].value), (0.97, 1.05))
        cover_texts = [c.value for row in book.book["Cover"].iter_rows() for c in row]
        self.assertIn("97 % to 105 %", cover_texts)

    def test_forecast_pack_cover_charts_bands_and_print(self):
        book = self._render("forecast_pack_xlsx", self.forecasts)
        self.assertEqual(
            book.names,
            [
                "Cover",
                "Forecast",
                "Measures",
                "Coverage",
                "Growth",
                "Target",
                "Submission",
                "Attainment",
                "Forecasting bias",
            ],
        )
        # the stretched target is read for every month that has one (22,000 a month)
        forecast = book.book["Forecast"]
        targets = [forecast.cell(row, 6).value for row in range(2, forecast.max_row + 1)]
        self.assertEqual(len(targets), 24)
        self.assertEqual(set(targets), {22000})
        self.assertEqual(forecast["B2"].number_format, "yyyy-mm")
        charts = book.charts()
        # coverage per salesperson and month: months on a date axis, one series per salesperson (its
        # name from the header), the Settings' 150 % line
        coverage = charts["Pipeline coverage per salesperson and month"]
        formats = book.axis_formats(coverage)
        self.assertEqual(formats["dateAx"][0], ("mmm yyyy", True))
        self.assertEqual(formats["valAx"][0], ("0%", True))
        series = self.assertSeriesHoldNumbers(book, coverage)
        self.assertEqual([name for name, _c, _v in series], ["=1+2 Alice", "Coverage: good from"])
        self.assertEqual(series[0][1], [datetime(2026, 2, 1), datetime(2026, 3, 1)])
        self.assertEqual(set(series[1][2]), {1.5})
        measures = book.book["Measures"]
        # March: 33,400 of pipeline against the 12 months' 264,000 of target
        self.assertAlmostEqual(series[0][2][1], measures["D3"].value / measures["E3"].value)
        self.assertEqual(measures["E3"].value, 264000)
        self.assertIn(("F2:F3", "cellIs", "greaterThanOrEqual", ["1.5"]), book.rules("Measures"))
        self.assertIn(("G2:H3", "cellIs", "greaterThanOrEqual", ["0.1"]), book.rules("Measures"))
        self.assertIn(("G2:H3", "cellIs", "greaterThanOrEqual", ["0.05"]), book.rules("Measures"))
        self.assertIn(("I2:I3", "cellIs", "greaterThanOrEqual", ["0.05"]), book.rules("Measures"))
        # growth month on month against the 5 % and 10 % lines
        growth = charts["Pipeline and commit growth, month on month"]
        self.assertEqual(book.axis_formats(growth)["valAx"][0], ("0%", True))
        series = self.assertSeriesHoldNumbers(book, growth)
        self.assertEqual(
            [name for name, _c, _v in series],
            ["Pipeline Growth", "Commit Growth", "Growth: at least", "Growth: good from"],
        )
        self.assertEqual((set(series[2][2]), set(series[3][2])), ({0.05}, {0.1}))
        sheet = book.book["Growth"]
        # six months up to March, the last printed one: a trend; February has no month before to compare
        # with (no January forecast): blank, not -100 %
        self.assertEqual(
            [sheet.cell(row, 1).value for row in range(2, 8)],
            [datetime(2025, month, 1) for month in (10, 11, 12)]
            + [datetime(2026, month, 1) for month in (1, 2, 3)],
        )
        self.assertIsNone(sheet["C6"].value)
        self.assertAlmostEqual(sheet["C7"].value, (sheet["B7"].value - sheet["B6"].value) / sheet["B6"].value)
        # forecast + upside against the stretched target, by month and by quarter
        by_month = charts["Forecast + upside vs stretched target, by month"]
        by_quarter = charts["Forecast + upside vs stretched target, by quarter"]
        self.assertEqual(book.axis_formats(by_month)["dateAx"][0], ("mmm yyyy", True))
        self.assertEqual(book.axis_formats(by_month)["valAx"][0], ("#,##0", True))
        self.assertEqual(book.axis_formats(by_quarter)["valAx"][0], ("#,##0", True))
        month_series = self.assertSeriesHoldNumbers(book, by_month)
        self.assertEqual(month_series[1][0], "Stretched Target (month)")
        self.assertEqual(month_series[1][2], [22000, 22000])
        quarter_series = self.assertSeriesHoldNumbers(book, by_quarter)
        self.assertEqual(quarter_series[0][1], ["2026 Q1"])
        self.assertEqual(quarter_series[1][2], [66000])
        # the cover: months as months, the five figures
        cover = book.book["Cover"]
        self.assertEqual((cover["B2"].value, cover["C2"].value), (datetime(2026, 2, 1), datetime(2026, 3, 1)))
        self.assertEqual(cover["B2"].number_format, "yyyy-mm")
        labels = [cover.cell(row, 1).value for row in range(8, 13)]
        self.assertEqual(
            labels,
            [
                "Pipeline coverage (12 months)",
                "Pipeline growth (month on month)",
                "Commit growth (month on month)",
                "Forecast + upside / stretched target (month)",
                "Forecast submission",
            ],
        )
        self.assertAlmostEqual(cover["B8"].value, measures["D3"].value / 264000)
        self.assertEqual(cover["B12"].value, 0.5)
        self.assertPrintReady(book, "Monthly Forecast Tracking Pack", "2026-02 – 2026-03")

    def test_forecast_pack_coverage_line_follows_the_settings(self):
        self.env.company.forecast_band_coverage_min = 200.0
        book = self._render("forecast_pack_xlsx", self.forecasts)
        self.assertIn(("F2:F3", "cellIs", "greaterThanOrEqual", ["2.0"]), book.rules("Measures"))
        coverage = book.charts()["Pipeline coverage per salesperson and month"]
        self.assertEqual(set(book.series(coverage)[1][2]), {2.0})

    def test_band_rules_are_the_monday_screens_colours(self):
        """The packs colour by ``_band_rules``, the screen by ``_colour``: the same colour for every value."""
        measures = self.env["scp.forecast.measures"]
        report = self.env["report.sales_cycle_process.commit_pack_xlsx"]
        for kind in ("accuracy", "coverage", "growth", "unfulfilled", "linear", "target"):
            for value in range(0, 301):
                with self.subTest(kind=kind, value=value):
                    self.assertEqual(
                        report._scp_band_colour(kind, float(value)), measures._colour(kind, float(value))
                    )


@tagged("post_install", "-at_install")
class TestReviewPacksDemo(TransactionCase):
    """The packs of the demo company, as its sales manager prints them: every chart holds numbers."""

    def test_demo_packs_have_no_empty_chart(self):
        admin = self.env.ref("base.user_admin")
        for report, model in (
            ("commit_pack_xlsx", "scp.sales.commit"),
            ("forecast_pack_xlsx", "scp.sales.forecast"),
        ):
            records = self.env[model].search([("state", "=", "current")])
            if not records:
                continue
            content, _kind = (
                self.env[f"report.sales_cycle_process.{report}"]
                .with_user(admin)
                .create_xlsx_report(records.ids, {})
            )
            book = Workbook(content)
            self.assertEqual(book.names[0], "Cover")
            for title, chart in book.charts().items():
                with self.subTest(report=report, chart=title):
                    for name, _categories, values in book.series(chart):
                        self.assertTrue(values, f"{title}: {name}")


@tagged("post_install", "-at_install")
class TestReviewExportsQpa(QpaCase):
    """The QPA log as a manager prints it for the review: print-ready, the customer's name as text, the
    amounts as money, the discounts and lead time as numbers, the request as a date."""

    def test_qpa_log_print_ready(self):
        self.partner.name = "=EVIL()"
        approved = self._quotation(discount=15.0)
        with freeze_time("2026-03-02 09:00:00"):
            approved.with_user(self.salesperson).request_validation()
        with freeze_time("2026-03-04 21:00:00"):
            self._decide(approved, self.manager, comment="-1+1 fine")
        content, _kind = (
            self.env["report.sales_cycle_process.qpa_log_xlsx"]
            .with_user(self.manager)
            .create_xlsx_report(approved.qpa_log_ids.ids, {})
        )
        book = Workbook(content)
        self.assertEqual(book.names, ["QPA Log"])
        sheet = book.book["QPA Log"]
        row = list(sheet[2])
        self.assertEqual((row[1].value, row[1].data_type), ("=EVIL()", "s"))
        self.assertEqual(row[3].value, datetime(2026, 3, 2, 9, 0))
        self.assertEqual(row[3].number_format, "yyyy-mm-dd hh:mm")
        self.assertEqual(row[4].number_format, "#,##0.00")
        self.assertEqual(row[5].value, 15.0)
        self.assertEqual((row[10].value, row[10].number_format), (2.5, "0.0"))
        self.assertEqual((row[11].value, row[11].data_type), ("-1+1 fine", "s"))
        self.assertNotIn("<f>", book.sheet_text("QPA Log"))
        page = book.page("QPA Log")
        self.assertEqual(
            (page["orientation"], page["fitToWidth"], page["fitToHeight"]), ("landscape", "1", "0")
        )
        self.assertIn("QPA Log", page["header"])
        self.assertIn("2026-03-02", page["header"])
        self.assertIn(self.env.company.name, page["header"])
        self.assertIn("&P", page["footer"])
        self.assertIn(("0", "'QPA Log'!$1:$1"), book.print_titles())
        self.assertEqual(sheet.freeze_panes, "A2")


@tagged("post_install", "-at_install")
class TestReviewExportsCadence(TransactionCase):
    """The cadence compliance export: per responsible, the share of their cadences not overdue, with its
    chart; the rows as before, print-ready."""

    def test_compliance_per_responsible(self):
        ann = new_test_user(self.env, "rp_ann", groups="sales_team.group_sale_salesman", name="@Ann")
        ben = new_test_user(self.env, "rp_ben", groups="sales_team.group_sale_salesman", name="Ben")
        partners = self.env["res.partner"].create(
            [{"name": f"RP Partner {i}", "user_id": (ann if i < 3 else ben).id} for i in range(4)]
        )
        rule = self.env["scp.cadence.rule"].create(
            {
                "name": "RP Monthly",
                "partner_tier": "any",
                "partner_filter": f"[('id', 'in', {partners.ids})]",
                "interval_number": 1,
                "interval_type": "months",
            }
        )
        with freeze_time("2026-03-02 09:00:00"):
            rule._schedule()
        states = rule.state_ids
        self.assertEqual(len(states), 4)
        # one of Ann's three cadences is due later: 2 overdue of 3; Ben's one overdue
        late = states.filtered(lambda s: s.partner_id == partners[0])
        late.sudo().next_due_date = date(2026, 6, 1)
        with freeze_time("2026-04-15 09:00:00"):
            content, _kind = self.env[
                "report.sales_cycle_process.cadence_compliance_xlsx"
            ].create_xlsx_report(states.ids, {})
        book = Workbook(content)
        self.assertEqual(book.names, ["Compliance", "By Responsible"])
        owners = book.book["By Responsible"]
        rows = [[cell.value for cell in row] for row in owners.iter_rows(min_row=2, max_col=5)]
        self.assertEqual(rows, [["@Ann", 3, 2, 1, 1 / 3], ["Ben", 1, 1, 0, 0.0]])
        self.assertEqual(owners["A2"].data_type, "s")
        self.assertEqual(owners["E2"].number_format, "0.0%")
        chart = book.charts()["Cadence compliance per responsible"]
        series = self.assertSeriesHoldNumbers(book, chart)
        self.assertEqual(series[0][1], ["@Ann", "Ben"])
        self.assertEqual(book.axis_formats(chart)["valAx"], [("0%", True)])
        compliance = book.book["Compliance"]
        self.assertEqual(compliance["F2"].number_format, "yyyy-mm-dd")
        self.assertIsInstance(compliance["F2"].value, datetime)
        for name in book.names:
            page = book.page(name)
            self.assertEqual((page["orientation"], page["fitToWidth"]), ("landscape", "1"))
            self.assertIn("Cadence Compliance", page["header"])

    assertSeriesHoldNumbers = TestReviewPacks.assertSeriesHoldNumbers
