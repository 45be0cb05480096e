# Copyright 2026 sales_cycle_process contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""18.0.3.0.0, before the update: the ladder's criteria are entry criteria (what must be true for a deal to
be AT a stage), no longer exit criteria; one name for the concept.

- XML ids ``exit_criterion_NN`` become ``entry_criterion_NN`` (same records, same database ids), so the update
  finds the shipped criteria under their new names and keeps a company's edits to them.
- The fields ``crm.stage.exit_criterion_ids`` / ``exit_criterion_count`` become ``entry_criterion_ids`` /
  ``entry_criterion_count`` in place (``ir.model.fields`` and its XML ids, so saved filters, views and
  exports keep working); neither has a column (a one2many and a non-stored count). The views and saved
  filters still in the database that name them get the new names, so that validating the first views of
  the update does not fail.

The criteria and the deals' checks move to the stage they now belong to in ``post-10-ladder.py``.
Plain SQL: the registry of the new version is not loaded yet. Idempotent: a second run changes nothing.
"""

import logging
import re

_logger = logging.getLogger(__name__)

MODULE = "sales_cycle_process"
FIELDS = {"exit_criterion_ids": "entry_criterion_ids", "exit_criterion_count": "entry_criterion_count"}


def new_name(text):
    """The renames of this script applied to one identifier or text (XML ids, field names)."""
    text = re.sub(r"\bexit_criterion_(\d+)\b", r"entry_criterion_\1", text)
    for old, new in FIELDS.items():
        text = text.replace(old, new)
    return text


def rename_xmlids(cr):
    cr.execute(
        """
        UPDATE ir_model_data d SET name = 'entry_criterion_' || substr(d.name, length('exit_criterion_') + 1)
         WHERE d.module = %s AND d.name ~ '^exit_criterion_[0-9]+$'
           AND NOT EXISTS (
               SELECT 1 FROM ir_model_data n
                WHERE n.module = d.module
                  AND n.name = 'entry_criterion_' || substr(d.name, length('exit_criterion_') + 1))
        """,
        [MODULE],
    )
    _logger.info("%s criteria XML ids renamed exit_criterion_* -> entry_criterion_*", cr.rowcount)


def rename_fields(cr):
    for old, new in FIELDS.items():
        cr.execute(
            "SELECT id FROM ir_model_fields WHERE model = 'crm.stage' AND name = %s",
            [new],
        )
        if cr.rowcount:
            continue
        cr.execute(
            "UPDATE ir_model_fields SET name = %s WHERE model = 'crm.stage' AND name = %s RETURNING id",
            [new, old],
        )
        if not cr.rowcount:
            continue
        cr.execute(
            "UPDATE ir_model_data SET name = %s"
            " WHERE module = %s AND model = 'ir.model.fields' AND name = %s",
            [f"field_crm_stage__{new}", MODULE, f"field_crm_stage__{old}"],
        )
        _logger.info("field crm.stage.%s renamed to %s", old, new)
    # what the database still holds that names them: views' architecture, saved filters, actions' context
    for table, column in (
        ("ir_ui_view", "arch_db"),
        ("ir_filters", "domain"),
        ("ir_filters", "context"),
        ("ir_act_window", "context"),
    ):
        for old, new in FIELDS.items():
            cr.execute(
                f'UPDATE "{table}" SET "{column}" = replace("{column}"::text, %s, %s)::'
                f"{'jsonb' if (table, column) == ('ir_ui_view', 'arch_db') else 'text'}"
                f' WHERE "{column}"::text LIKE %s',
                [old, new, f"%{old}%"],
            )


def migrate(cr, version):
    if not version:
        return
    rename_xmlids(cr)
    rename_fields(cr)
