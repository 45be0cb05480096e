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
}


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
