from collections import defaultdict

from odoo import fields, models
from odoo.tools import split_every

# Parent records (commits, forecasts) whose lines one SQL query reads (see _scp_children), records one
# batch reads (see _scp_stream).
STREAM_BATCH = 500

# The named cell formats every playbook sheet picks from (see _scp_formats).
XLSX_FORMATS = {
    "head": {"bold": True, "bg_color": "#D9E1F2", "border": 1},
    "money": {"num_format": "#,##0.00"},
    # a ratio shown as a percentage (0.5 is 50.0%)
    "percent": {"num_format": "0.0%"},
    # a number that is already a percentage (the QPA discounts are stored in percent)
    "percent_number": {"num_format": "0.00"},
    "date": {"num_format": "yyyy-mm-dd"},
    "month": {"num_format": "yyyy-mm"},
    "datetime": {"num_format": "yyyy-mm-dd hh:mm"},
    "late": {"font_color": "#C00000", "bold": True},
    # a number of days to one decimal (the QPA's lead time)
    "days": {"num_format": "0.0"},
    # the review packs' cover sheet (see _scp_cover_sheet)
    "title": {"bold": True, "font_size": 16},
    "subtitle": {"bold": True, "font_size": 12},
    "label": {"bold": True},
    "note": {"italic": True, "font_color": "#595959", "text_wrap": True, "valign": "top"},
    # the bands' colours (the Monday screen's green, amber and red) in the legend cells
    "legend_success": {"bg_color": "#C6EFCE", "font_color": "#006100", "border": 1},
    "legend_warning": {"bg_color": "#FFEB9C", "font_color": "#9C5700", "border": 1},
    "legend_danger": {"bg_color": "#FFC7CE", "font_color": "#9C0006", "border": 1},
}
# The same colours as conditional formats (the cells of a band), by the colour keys of
# scp.forecast.measures._colour.
BAND_FORMATS = {
    "success": {"bg_color": "#C6EFCE", "font_color": "#006100"},
    "warning": {"bg_color": "#FFEB9C", "font_color": "#9C5700"},
    "danger": {"bg_color": "#FFC7CE", "font_color": "#9C0006"},
}
# The number formats of the charts' axes (a chart's axis does not read its cells' formats).
AXIS_FORMATS = {
    "money": "#,##0",
    "percent": "0%",
    "date": "yyyy-mm-dd",
    "month": "mmm yyyy",
    "number": "0",
}
# A chart's size on its sheet (pixels), and how many series of salespeople one chart shows at most.
CHART_SIZE = {"x_scale": 1.6, "y_scale": 1.4}
CHART_MAX_SERIES = 20


class ScpXlsxReportMixin(models.AbstractModel):
    """What the playbook's XLSX reports share: the records printed, the workbook, the cell formats (one
    dict of named formats per workbook), a sheet's header row, frozen panes, filter and column widths, the
    writing of user text and the reading of the records in batches.

    User text is always text: the workbook does not turn strings into formulas or links, and the reports
    write it with ``write_string`` (``_scp_text``).

    The workbook runs in xlsxwriter's ``constant_memory`` mode: each row goes to a temporary file as soon as
    the next one starts, so a report of 100,000 lines does not hold them in memory. Rows must therefore be
    written top to bottom, sheet by sheet.
    """

    _name = "scp.xlsx.report.mixin"
    _description = "Playbook XLSX Report"
    _inherit = "report.report_xlsx.abstract"

    # The model whose records the report prints, set by each report.
    _scp_model = None

    def _get_objs_for_report(self, docids, data):
        if not docids:
            docids = (data or {}).get("context", {}).get("active_ids") or self.env.context.get(
                "active_ids", []
            )
        return self.env[self._scp_model].browse(docids)

    def get_workbook_options(self):
        # User text (a deal, a partner, a comment starting with "=") is written as text, never as a
        # formula or a link, whichever write method a report uses.
        return {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}

    def _scp_formats(self, workbook):
        """The named cell formats of the playbook's sheets, built once per workbook (xlsxwriter keeps every
        format it is given: a report asks for this dict as often as it likes)."""
        formats = getattr(workbook, "scp_formats", None)
        if formats is None:
            formats = workbook.scp_formats = {
                name: workbook.add_format(properties) for name, properties in XLSX_FORMATS.items()
            }
        return formats

    def _scp_sheet(self, workbook, name, headers, widths=()):
        """A new sheet with its header row (frozen) and column widths: ``widths`` are
        ``(first_col, last_col, width)``. Close it with ``_scp_autofilter`` once its rows are written."""
        sheet = workbook.add_worksheet(name)
        sheet.write_row(0, 0, headers, self._scp_formats(workbook)["head"])
        sheet.freeze_panes(1, 0)
        for first, last, width in widths:
            sheet.set_column(first, last, width)
        self._scp_print_setup(workbook, sheet, header_rows=1)
        return sheet

    def _scp_autofilter(self, sheet, last_row, columns):
        """The filter buttons on the header row of ``columns`` columns, over the rows down to ``last_row``."""
        sheet.autofilter(0, 0, max(last_row, 1), columns - 1)

    def _scp_text(self, sheet, row, col, value, cell_format=None, blank=True):
        """Write user text as text (never a formula or a link). An empty value leaves the cell blank, or
        writes an empty text with ``blank=False``."""
        if value or not blank:
            sheet.write_string(row, col, value or "", cell_format)
        else:
            sheet.write_blank(row, col, None, cell_format)

    def _scp_stream(self, records, batch=STREAM_BATCH):
        """Each of ``records`` in their order, read ``batch`` at a time: a batch prefetches its own records
        and their related ones only, so a report reads neither one record per row nor all of them at once."""
        for start in range(0, len(records), batch):
            yield from records[start : start + batch].with_prefetch()

    def _scp_rows(self, model, domain, fnames, order=None):
        """The stored fields ``fnames`` of the records of ``model`` matching ``domain``, as tuples read in
        one SQL query, without loading the records into the ORM cache. Access rights and record rules apply
        as for a search: the query is the one ``_search`` builds."""
        records = self.env[model] if isinstance(model, str) else model
        query = records._search(domain, order=order)
        columns = [records._field_to_sql(records._table, fname, query) for fname in fnames]
        return self.env.execute_query(query.select(*columns))

    def _scp_children(self, parents, model, parent_field, fnames, order=None, batch=STREAM_BATCH):
        """The children of ``parents`` in ``model`` (linked by ``parent_field``), ``batch`` parents per SQL
        query: yields, for each batch, a list of ``(parent_id, rows)`` in the order of ``parents``, where
        rows are the ``fnames`` tuples of the parent's children sorted by ``order``."""
        for chunk in split_every(batch, parents.ids):
            children = defaultdict(list)
            for row in self._scp_rows(model, [(parent_field, "in", chunk)], [parent_field, *fnames], order):
                children[row[0]].append(row[1:])
            yield [(parent_id, children.pop(parent_id, [])) for parent_id in chunk]

    def _scp_submission_sheet(self, workbook, snapshots, kind):
        """The packs' *Submission* sheet (100 % submission): per period of the printed ``snapshots`` and team
        of their salespeople, the expected salespeople, how many submitted, the rate and the names missing
        (``scp.forecast.measures._submission``). For readers of every snapshot only (all-leads roles and
        managers): a salesperson, who reads their own snapshots only, gets no such sheet."""
        if not self.env.user.has_group("sales_team.group_sale_salesman_all_leads"):
            return None
        period_field = "week_start" if kind == "commit" else "month"
        fmt = self._scp_formats(workbook)
        headers = [
            self.env._("Week") if kind == "commit" else self.env._("Month"),
            self.env._("Team"),
            self.env._("Expected"),
            self.env._("Submitted"),
            self.env._("Submission Rate"),
            self.env._("Not Submitted"),
        ]
        sheet = self._scp_sheet(workbook, self.env._("Submission"), headers, [(0, 4, 16), (5, 5, 60)])
        teams = (snapshots.team_id | snapshots.user_id.crm_team_ids).sorted("name")
        periods = sorted(set(snapshots.mapped(period_field)))
        submission = self.env["scp.forecast.measures"]._submission(teams, kind, periods)
        row = 0
        for period in periods:
            for team in teams:
                values = submission[team.id, period]
                row += 1
                sheet.write_datetime(row, 0, period, fmt["date" if kind == "commit" else "month"])
                self._scp_text(sheet, row, 1, team.name, blank=False)
                sheet.write_number(row, 2, len(values["expected"]))
                sheet.write_number(row, 3, values["submitted"])
                sheet.write_number(row, 4, values["rate"] / 100.0, fmt["percent"])
                self._scp_text(sheet, row, 5, ", ".join(values["missing"].mapped("name")))
        self._scp_autofilter(sheet, row, len(headers))
        return sheet

    def _scp_bias_sheet(self, workbook, snapshots, kind):
        """The packs' *Forecasting bias* sheet: one row per salesperson of the printed ``snapshots``
        (commits, ``kind`` ``week``; forecasts, ``month``) with the label, the typical actual / call ratio,
        the periods counted, the trend and why, then the ratio of each period
        (``scp.forecast.measures._bias``, by the settings and bands of the snapshots' company). The periods
        end with the last printed one, or the last one fully behind today if that is earlier."""
        measures = self.env["scp.forecast.measures"]
        fmt = self._scp_formats(workbook)
        period_field = "week_start" if kind == "week" else "month"
        users = snapshots.user_id.sorted(lambda user: (user.name or "", user.id))
        companies = {snapshot.user_id.id: snapshot.company_id for snapshot in snapshots}
        today = fields.Date.context_today(self)
        last = min([*snapshots.mapped(period_field), measures._bias_last_period(kind, today)])
        verdicts = measures._bias(users, kind, last, companies) if users else {}
        longest = max((len(verdict["periods"]) for verdict in verdicts.values()), default=0)
        periods = measures._bias_periods(kind, last, longest) if longest else []
        labels, trends = measures._bias_label_names(), measures._bias_trend_names()
        headers = [
            self.env._("Salesperson"),
            self.env._("Forecasting Bias"),
            self.env._("Typical Actual / Commit")
            if kind == "week"
            else self.env._("Typical Actual / Forecast"),
            self.env._("Weeks Counted") if kind == "week" else self.env._("Months Counted"),
            self.env._("Trend"),
            self.env._("Trend (points a week)") if kind == "week" else self.env._("Trend (points a month)"),
            self.env._("Why"),
            *(period.strftime("%Y-%m-%d" if kind == "week" else "%Y-%m") for period in periods),
        ]
        sheet = self._scp_sheet(
            workbook,
            self.env._("Forecasting bias"),
            headers,
            [(0, 1, 28), (2, 5, 14), (6, 6, 60), (7, 7 + max(len(periods) - 1, 0), 11)],
        )
        for row, user in enumerate(users, start=1):
            verdict = verdicts[user.id]
            self._scp_text(sheet, row, 0, user.name, blank=False)
            self._scp_text(sheet, row, 1, labels[verdict["label"]], blank=False)
            if verdict["ratio"] is False:
                sheet.write_blank(row, 2, None, fmt["percent"])
            else:
                sheet.write_number(row, 2, verdict["ratio"] / 100.0, fmt["percent"])
            sheet.write_number(row, 3, verdict["counted"])
            self._scp_text(sheet, row, 4, trends[verdict["trend"]])
            sheet.write_number(row, 5, round(verdict["slope"], 2))
            self._scp_text(sheet, row, 6, measures._bias_note(verdict, kind))
            # the user's periods are the last of the sheet's (their company may read fewer)
            offset = 7 + len(periods) - len(verdict["periods"])
            for col, (_period, _called, _actual, ratio) in enumerate(verdict["periods"], start=offset):
                if ratio is False:
                    sheet.write_blank(row, col, None, fmt["percent"])
                else:
                    sheet.write_number(row, col, ratio / 100.0, fmt["percent"])
        self._scp_autofilter(sheet, len(users), len(headers))
        return sheet

    # --- review packs: print setup, bands, cover sheet, charts ---------------------------------------------

    def _scp_print_title(self, workbook, title, period, company=None):
        """What every sheet of the workbook prints in its page header: the company, the report's ``title``
        and its ``period`` (text). Call it before adding the sheets."""
        workbook.scp_print = {
            "company": (company or self.env.company).name or "",
            "title": title or "",
            "period": period or "",
        }

    @staticmethod
    def _scp_header_text(text, size=80):
        """User text in a page header or footer: ``&`` starts a header code, so a user's ``&`` is ``&&``;
        cut to ``size`` characters (a header holds 255 at most)."""
        return (text or "")[:size].replace("&", "&&")

    def _scp_print_setup(self, workbook, sheet, header_rows=1):
        """A sheet ready to print: landscape A4, one page wide (as many pages down as it needs), its first
        ``header_rows`` rows repeated on each page, the company, the title and the period in the page header,
        the sheet's name and the page numbers in the footer."""
        sheet.set_landscape()
        sheet.set_paper(9)  # A4
        sheet.fit_to_pages(1, 0)
        sheet.set_margins(left=0.4, right=0.4, top=0.75, bottom=0.6)
        if header_rows:
            sheet.repeat_rows(0, header_rows - 1)
        info = getattr(workbook, "scp_print", None) or {
            "company": self.env.company.name or "",
            "title": "",
            "period": "",
        }
        text = self._scp_header_text
        sheet.set_header(
            f"&L&B{text(info['company'])}&B&C{text(info['title'])}&R{text(info['period'])}", {"margin": 0.3}
        )
        sheet.set_footer(
            "&L&A&R" + self.env._("Page %(page)s of %(pages)s", page="&P", pages="&N"), {"margin": 0.3}
        )

    # bands: the Settings' thresholds (scp.forecast.measures._band_rules), coloured as on the Monday screen

    def _scp_band_names(self):
        return {
            "accuracy": self.env._("Accuracy (actual / commit)"),
            "linear": self.env._("Week's commit + upside / linear share"),
            "coverage": self.env._("Pipeline coverage (pipeline / stretched target)"),
            "growth": self.env._("Growth (month on month)"),
            "unfulfilled": self.env._("Unfulfilled orders"),
            "target": self.env._("Forecast + upside / stretched target"),
            "submission": self.env._("Submission rate"),
        }

    def _scp_colour_names(self):
        return {"success": self.env._("Good"), "warning": self.env._("Watch"), "danger": self.env._("Off")}

    def _scp_band_colour(self, kind, value, company=None):
        """The colour (``success``, ``warning``, ``danger``) of ``value`` (percent) in the bands of
        ``kind``."""
        for colour, low, high in self.env["scp.forecast.measures"]._band_rules(kind, company):
            if (low is None or value >= low) and (high is None or value <= high):
                return colour
        return False

    def _scp_band(self, workbook, sheet, cells, kind, company=None, divisor=100.0):
        """Colour the cells ``(first_row, first_col, last_row, last_col)`` by the bands of ``kind``:
        conditional formats whose thresholds are the company's settings (``_band_rules``; the cells hold
        ratios, 0.95 for 95 %, unless ``divisor`` says otherwise). A later change of a setting shows in the
        next pack printed."""
        first_row, first_col, last_row, last_col = cells
        if last_row < first_row:
            return
        formats = getattr(workbook, "scp_band_formats", None)
        if formats is None:
            formats = workbook.scp_band_formats = {
                colour: workbook.add_format(properties) for colour, properties in BAND_FORMATS.items()
            }
        for colour, low, high in self.env["scp.forecast.measures"]._band_rules(kind, company):
            if low is not None and high is not None:
                options = {
                    "type": "cell",
                    "criteria": "between",
                    "minimum": low / divisor,
                    "maximum": high / divisor,
                }
            elif low is not None:
                options = {"type": "cell", "criteria": ">=", "value": low / divisor}
            elif high is not None:
                options = {"type": "cell", "criteria": "<=", "value": high / divisor}
            else:
                options = {"type": "no_blanks"}
            options.update(format=formats[colour], stop_if_true=True)
            sheet.conditional_format(first_row, first_col, last_row, last_col, options)

    def _scp_band_range_text(self, low, high):
        def percent(value):
            return f"{value:g} %"

        if low is not None and high is not None:
            return self.env._("%(low)s to %(high)s", low=percent(low), high=percent(high))
        if low is not None:
            return self.env._("from %(low)s", low=percent(low))
        if high is not None:
            return self.env._("up to %(high)s", high=percent(high))
        return self.env._("otherwise")

    def _scp_band_legend(self, workbook, sheet, row, kinds, company=None, col=0):
        """The legend of the bands of ``kinds`` from ``row`` down: a title row, then per band its name and
        a cell in each colour saying its range (the first range holding a value gives its colour). Returns
        the next free row."""
        fmt = self._scp_formats(workbook)
        names, colours = self._scp_band_names(), self._scp_colour_names()
        self._scp_text(
            sheet,
            row,
            col,
            self.env._("Bands (Settings > CRM > Commit and Forecast)"),
            fmt["subtitle"],
        )
        row += 1
        sheet.write_string(row, col, self.env._("Measure"), fmt["head"])
        for offset, colour in enumerate(("success", "warning", "danger"), start=1):
            sheet.write_string(row, col + offset, colours[colour], fmt[f"legend_{colour}"])
        measures = self.env["scp.forecast.measures"]
        for kind in kinds:
            row += 1
            sheet.write_string(row, col, names[kind])
            rules = {colour: (low, high) for colour, low, high in measures._band_rules(kind, company)}
            for offset, colour in enumerate(("success", "warning", "danger"), start=1):
                if colour in rules:
                    sheet.write_string(
                        row, col + offset, self._scp_band_range_text(*rules[colour]), fmt[f"legend_{colour}"]
                    )
        return row + 1

    # the cover sheet

    def _scp_cover_sheet(self, workbook):
        """The pack's first sheet, its cover, filled by ``_scp_cover`` once the pack's figures are known
        (each sheet of a constant-memory workbook is written top to bottom, by itself)."""
        sheet = workbook.add_worksheet(self.env._("Cover"))
        sheet.set_column(0, 0, 44)
        sheet.set_column(1, 4, 22)
        self._scp_print_setup(workbook, sheet, header_rows=0)
        sheet.hide_gridlines(2)
        return sheet

    def _scp_cover(self, workbook, sheet, cover):
        """Write the cover: ``cover`` holds ``title``, ``period`` (first and last day, dates),
        ``period_format`` (a format name), ``teams`` (text), ``company``, ``figures`` [(label, percent or
        None, band kind)],
        ``submission`` (None for a reader who does not read every snapshot, else ``(period, rows)``, a row
        ``(team, submitted names, missing names)``) and ``how`` (how to read the pack)."""
        fmt = self._scp_formats(workbook)
        company = cover["company"]
        colours = self._scp_colour_names()
        self._scp_text(sheet, 0, 0, cover["title"], fmt["title"])
        first, last = cover["period"]
        period_format = fmt[cover.get("period_format", "date")]
        sheet.write_string(1, 0, self.env._("Period"), fmt["label"])
        if first:
            sheet.write_datetime(1, 1, first, period_format)
            sheet.write_datetime(1, 2, last, period_format)
        sheet.write_string(2, 0, self.env._("Team"), fmt["label"])
        self._scp_text(sheet, 2, 1, cover["teams"])
        sheet.write_string(3, 0, self.env._("Company"), fmt["label"])
        self._scp_text(sheet, 3, 1, company.name)
        sheet.write_string(4, 0, self.env._("Generated on"), fmt["label"])
        now = fields.Datetime.context_timestamp(self, fields.Datetime.now()).replace(tzinfo=None)
        sheet.write_datetime(4, 1, now, fmt["datetime"])
        row = 6
        sheet.write_row(
            row,
            0,
            [self.env._("Headline figure"), self.env._("Value"), self.env._("Band"), self.env._("Good")],
            fmt["head"],
        )
        measures = self.env["scp.forecast.measures"]
        first_figure = row + 1
        for label, value, kind in cover["figures"]:
            row += 1
            sheet.write_string(row, 0, label)
            if value is None:
                sheet.write_blank(row, 1, None, fmt["percent"])
                sheet.write_blank(row, 2, None)
            else:
                sheet.write_number(row, 1, value / 100.0, fmt["percent"])
                colour = self._scp_band_colour(kind, value, company)
                sheet.write_string(row, 2, colours.get(colour, ""), fmt.get(f"legend_{colour}"))
            good = next((rule for rule in measures._band_rules(kind, company) if rule[0] == "success"), None)
            if good:
                sheet.write_string(row, 3, self._scp_band_range_text(good[1], good[2]))
            self._scp_band(workbook, sheet, (row, 1, row, 1), kind, company)
        row += 2
        submission = cover.get("submission")
        if submission:
            period, rows = submission
            self._scp_text(sheet, row, 0, self.env._("Who submitted"), fmt["subtitle"])
            sheet.write_datetime(row, 1, period, period_format)
            row += 1
            sheet.write_row(
                row,
                0,
                [self.env._("Team"), self.env._("Submitted"), self.env._("Not Submitted")],
                fmt["head"],
            )
            for team, done, missing in rows:
                row += 1
                self._scp_text(sheet, row, 0, team, blank=False)
                self._scp_text(sheet, row, 1, done)
                self._scp_text(sheet, row, 2, missing, fmt["late"])
            row += 2
        kinds = list(dict.fromkeys(kind for _label, _value, kind in cover["figures"]))
        row = self._scp_band_legend(workbook, sheet, row, kinds, company)
        row += 1
        self._scp_text(sheet, row, 0, self.env._("How to read this"), fmt["subtitle"])
        # one paragraph across the cover's width (it prints on the cover's page, not beside it)
        sheet.set_row(row + 1, 64)
        sheet.merge_range(row + 1, 0, row + 1, 3, "", fmt["note"])
        self._scp_text(sheet, row + 1, 0, cover["how"], fmt["note"])
        return first_figure

    # charts: titled axes with number formats, categories saying who and when

    def _scp_chart(self, workbook, kind, title, x_axis, y_axis, y2_axis=None):
        """A chart of ``kind`` (column, line, bar) with its title, its axes ``(title, format name)`` (formats
        of ``AXIS_FORMATS``: a ``date`` or ``month`` x axis is a date axis) and its legend below."""
        chart = workbook.add_chart({"type": kind})
        chart.set_title({"name": title, "name_font": {"size": 12}})
        x_title, x_format = x_axis
        x_options = {"name": x_title}
        if x_format:
            x_options["num_format"] = AXIS_FORMATS[x_format]
        if x_format in ("date", "month"):
            x_options.update(date_axis=True, base_unit="months" if x_format == "month" else "days")
        chart.set_x_axis(x_options)
        y_title, y_format = y_axis
        chart.set_y_axis(
            {
                "name": y_title,
                "num_format": AXIS_FORMATS[y_format],
                "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}},
            }
        )
        if y2_axis:
            chart.set_y2_axis({"name": y2_axis[0], "num_format": AXIS_FORMATS[y2_axis[1]]})
        chart.set_legend({"position": "bottom"})
        return chart

    def _scp_series(self, chart, sheet, rows, category_col, value_col, **options):
        """A series of ``chart``: its name is the header of ``value_col`` (row 0 of ``sheet``), its
        categories and values the rows ``(first, last)`` of ``category_col`` and ``value_col``."""
        first, last = rows
        chart.add_series(
            {
                "name": [sheet.name, 0, value_col],
                "categories": [sheet.name, first, category_col, last, category_col],
                "values": [sheet.name, first, value_col, last, value_col],
                **options,
            }
        )

    def _scp_band_line(self, chart, sheet, rows, category_col, value_col, colour, y2_axis=False):
        """A band's threshold as a dashed line (a column holding the threshold on each row)."""
        self._scp_series(
            chart,
            sheet,
            rows,
            category_col,
            value_col,
            line={"color": BAND_FORMATS[colour]["font_color"], "dash_type": "dash", "width": 1.5},
            marker={"type": "none"},
            y2_axis=y2_axis,
        )

    def _scp_cover_submission(self, snapshots, kind, period):
        """The cover's submission for ``period`` (``kind`` ``commit``: a Monday; ``forecast``: a month):
        ``(rate in percent, (period, [(team, submitted names, missing names)]))`` over the teams of the
        printed ``snapshots`` (``scp.forecast.measures._submission``), or ``(None, None)`` for a reader who
        does not read every snapshot (a salesperson would see the others as missing)."""
        if not self.env.user.has_group("sales_team.group_sale_salesman_all_leads"):
            return None, None
        teams = (snapshots.team_id | snapshots.user_id.crm_team_ids).sorted("name")
        done = self.env["scp.forecast.measures"]._submission(teams, kind, [period])
        expected = sum(len(done[team.id, period]["expected"]) for team in teams)
        submitted = sum(done[team.id, period]["submitted"] for team in teams)
        rows = []
        for team in teams:
            values = done[team.id, period]
            rows.append(
                (
                    team.name,
                    ", ".join((values["expected"] - values["missing"]).mapped("name")),
                    ", ".join(values["missing"].mapped("name")),
                )
            )
        return (submitted / expected * 100.0 if expected else 100.0), (period, rows)
