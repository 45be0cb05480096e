from collections import defaultdict

from odoo import models
from odoo.tools import split_every

# Parent records (commits, forecasts) whose lines one SQL query reads (see _scp_children).
STREAM_BATCH = 500


class ScpXlsxReportMixin(models.AbstractModel):
    """What the playbook's XLSX reports share: the records printed, the workbook, the cell formats.

    User text is always text: the workbook does not turn strings into formulas or links.

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
        """The header, money, percent, date and month formats every playbook sheet uses."""
        return {
            "head": workbook.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1}),
            "money": workbook.add_format({"num_format": "#,##0.00"}),
            "percent": workbook.add_format({"num_format": "0.0%"}),
            "date": workbook.add_format({"num_format": "yyyy-mm-dd"}),
            "month": workbook.add_format({"num_format": "yyyy-mm"}),
        }

    def _scp_text(self, sheet, row, col, value, cell_format=None):
        """Write user text as text (never a formula or a link); an empty value leaves the cell blank."""
        if value:
            sheet.write_string(row, col, value, cell_format)
        else:
            sheet.write_blank(row, col, None, cell_format)

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
