# Copyright 2026 sales_cycle_process contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""18.0.2.0.0, before the update: one name per concept, and every record keeps its data.

- The addon's own models move to the ``scp.*`` namespace (``MODELS``): their tables, sequences, indexes
  and constraints are renamed, and every reference to the model name (``ir.model``, fields, XML ids,
  messages, followers, activities, attachments, filters, actions, views...) follows.
- "after-sales" is spelt ``after_sales`` everywhere: the columns ``aftersales_*`` of ``sale.order`` and
  ``product.template`` are renamed, with their fields and XML ids, the scheduled action's code, the mail
  templates and saved filters that name them.
- XML ids follow Odoo's pattern (``XMLIDS``: ``<model>_view_<type>``, ``<model>_action``,
  ``<model>_rule_<scope>``, ``mail_activity_type_<part>_<what>``), so the update finds each record under
  its new name: a company's edits to ``noupdate`` records (activity types, crons, templates) are kept.
- Inheriting views still in the database name the old fields; their architecture gets the new names so
  that validating the first views of the update does not fail (the update then loads them from the files).

Plain SQL: the registry of the new version is not loaded yet. Idempotent: a second run changes nothing.
"""

import logging
import re

_logger = logging.getLogger(__name__)

MODULE = "sales_cycle_process"

MODELS = {
    "sale.corrective.action": "scp.corrective.action",
    "crm.lead.buying.influence": "scp.buying.influence",
    "crm.lead.criterion.check": "scp.lead.criterion.check",
    "crm.stage.exit.criterion": "scp.stage.criterion",
    "crm.lead.probability.override.wizard": "scp.probability.override.wizard",
    "crm.lead.stage.force.wizard": "scp.stage.force.wizard",
}

# Tables whose columns spelt "aftersales" (fields of Odoo's models the addon extends)
OLD_WORD, NEW_WORD = "aftersales", "after_sales"

# XML ids (after the model and after_sales renames) -> Odoo's pattern
XMLIDS = {
    **{
        f"view_{m}_{t}": f"{m}_view_{t}"
        for m in (
            "scp_corrective_action",
            "scp_cadence_rule",
            "scp_cadence_state",
            "scp_qpa_log",
            "scp_visit_report",
        )
        for t in ("form", "kanban", "list", "pivot", "search", "graph")
    },
    "crm_case_tree_view_oppor_ladder": "crm_lead_view_list_ladder",
    "crm_stage_form_ladder": "crm_stage_view_form_ladder",
    "crm_stage_tree_ladder": "crm_stage_view_list_ladder",
    "product_template_form_view_after_sales": "product_template_view_form_after_sales",
    "view_crm_case_opportunities_filter_ladder": "crm_lead_view_search_ladder",
    "view_crm_lead_form_cadence": "crm_lead_view_form_cadence",
    "view_order_form_after_sales": "sale_order_view_form_after_sales",
    "view_order_form_qpa": "sale_order_view_form_qpa",
    "view_order_tree_after_sales": "sale_order_view_list_after_sales",
    "view_partner_form_after_sales": "res_partner_view_form_after_sales",
    "view_partner_form_cadence": "res_partner_view_form_cadence",
    "view_quotation_tree_qpa": "sale_order_view_list_quotation_qpa",
    "view_sales_order_filter_after_sales": "sale_order_view_search_after_sales",
    "view_sales_order_filter_qpa": "sale_order_view_search_qpa",
    "action_after_sales_orders": "sale_order_action_after_sales",
    "action_qpa_log": "scp_qpa_log_action",
    "action_scp_corrective_action": "scp_corrective_action_action",
    "action_scp_cadence_rule": "scp_cadence_rule_action",
    "action_scp_cadence_state": "scp_cadence_state_action",
    "action_scp_ladder_settings_wizard": "scp_ladder_settings_wizard_action",
    "action_scp_visit_report": "scp_visit_report_action",
    **{
        f"rule_{m}_{s}": f"{m}_rule_{s}"
        for m in (
            "scp_forecast_analysis",
            "scp_qpa_log",
            "scp_sales_commit",
            "scp_sales_commit_line",
            "scp_sales_forecast",
            "scp_sales_forecast_line",
            "scp_sales_target",
        )
        for s in ("all", "company", "own")
    },
    **{f"rule_corrective_action_{s}": f"scp_corrective_action_rule_{s}" for s in ("all", "company", "own")},
    "rule_tier_review_portal_none": "tier_review_rule_portal_none",
    "mail_act_qpa_approval": "mail_activity_type_qpa_approval",
    "mail_activity_after_sales_handover": "mail_activity_type_after_sales_handover",
    "mail_activity_after_sales_reminder": "mail_activity_type_after_sales_reminder",
    "mail_activity_after_sales_satisfaction": "mail_activity_type_after_sales_satisfaction",
}


def new_name(text):
    """The renames applied to one identifier or text, as they were applied to the source."""
    for old, new in MODELS.items():
        text = re.sub(re.escape(old) + r"\b", new, text)
        text = text.replace(old.replace(".", "_"), new.replace(".", "_"))
    text = text.replace(OLD_WORD, NEW_WORD)
    return XMLIDS.get(text, text)


def table_exists(cr, table):
    cr.execute("SELECT 1 FROM pg_class WHERE relname = %s AND relkind = 'r'", [table])
    return bool(cr.rowcount)


def column_exists(cr, table, column):
    cr.execute(
        "SELECT 1 FROM information_schema.columns WHERE table_name = %s AND column_name = %s", [table, column]
    )
    return bool(cr.rowcount)


def rename_tables(cr):
    for old, new in MODELS.items():
        old_t, new_t = old.replace(".", "_"), new.replace(".", "_")
        if not table_exists(cr, old_t) or table_exists(cr, new_t):
            continue
        _logger.info("table %s renamed to %s", old_t, new_t)
        cr.execute(f'ALTER TABLE "{old_t}" RENAME TO "{new_t}"')
        # its sequence, indexes and constraints carry the table's name
        prefix = old_t.replace("_", "\\_") + "%"
        cr.execute("SELECT relname FROM pg_class WHERE relkind IN ('S', 'i') AND relname LIKE %s", [prefix])
        for (name,) in cr.fetchall():
            kind = "SEQUENCE" if name.endswith("_seq") else "INDEX"
            cr.execute(f'ALTER {kind} "{name}" RENAME TO "{new_t + name[len(old_t) :]}"')
        cr.execute(
            "SELECT conname FROM pg_constraint"
            " WHERE conrelid = %s::regclass AND conname LIKE %s AND contype != 'p'",
            [new_t, prefix],
        )
        for (name,) in cr.fetchall():
            cr.execute(f'ALTER TABLE "{new_t}" RENAME CONSTRAINT "{name}" TO "{new_t + name[len(old_t) :]}"')
        cr.execute(
            "UPDATE ir_model_constraint SET name = %s || substr(name, %s) WHERE name LIKE %s",
            [new_t, len(old_t) + 1, old_t.replace("_", "\\_") + "\\_%"],
        )


def rename_model_references(cr):
    """Every text column of the database that holds a model name (res_model, model, ...)."""
    cr.execute(
        """
        SELECT c.table_name, c.column_name FROM information_schema.columns c
          JOIN information_schema.tables t ON t.table_name = c.table_name AND t.table_schema = c.table_schema
         WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
           AND c.data_type IN ('character varying', 'text')
           AND c.column_name IN ('model', 'res_model', 'model_name', 'relation', 'resource', 'model_id',
                                 'binding_model', 'src_model', 'parent_model', 'res_model_name')
        """
    )
    columns = cr.fetchall()
    for old, new in MODELS.items():
        for table, column in columns:
            cr.execute(f'UPDATE "{table}" SET "{column}" = %s WHERE "{column}" = %s', [new, old])


def rename_columns(cr):
    """Fields spelt with "aftersales" (on Odoo's models and the addon's own)."""
    cr.execute("SELECT id, model, name FROM ir_model_fields WHERE name LIKE %s", [f"%{OLD_WORD}%"])
    for field_id, model, name in cr.fetchall():
        new = name.replace(OLD_WORD, NEW_WORD)
        table = model.replace(".", "_")
        if column_exists(cr, table, name) and not column_exists(cr, table, new):
            _logger.info("column %s.%s renamed to %s", table, name, new)
            cr.execute(f'ALTER TABLE "{table}" RENAME COLUMN "{name}" TO "{new}"')
        cr.execute("SELECT 1 FROM ir_model_fields WHERE model = %s AND name = %s", [model, new])
        if cr.rowcount:
            cr.execute("DELETE FROM ir_model_fields WHERE id = %s", [field_id])  # a stale duplicate
        else:
            cr.execute("UPDATE ir_model_fields SET name = %s WHERE id = %s", [new, field_id])
    cr.execute(
        "SELECT indexname FROM pg_indexes WHERE schemaname = 'public' AND indexname LIKE %s",
        [f"%{OLD_WORD}%"],
    )
    for (name,) in cr.fetchall():
        cr.execute(f'ALTER INDEX "{name}" RENAME TO "{name.replace(OLD_WORD, NEW_WORD)}"')


def rename_xmlids(cr):
    cr.execute("SELECT id, name FROM ir_model_data WHERE module = %s", [MODULE])
    for data_id, name in cr.fetchall():
        new = new_name(name)
        if new == name:
            continue
        cr.execute("SELECT 1 FROM ir_model_data WHERE module = %s AND name = %s", [MODULE, new])
        if cr.rowcount:
            _logger.warning("XML id %s.%s already exists: %s left as it is", MODULE, new, name)
            continue
        cr.execute("UPDATE ir_model_data SET name = %s WHERE id = %s", [new, data_id])


def rename_in_texts(cr):
    """Code, templates, filters and inheriting views that name a renamed field, method or model."""
    replacements = [(OLD_WORD, NEW_WORD), *MODELS.items()]
    for old, new in replacements:
        # the scheduled actions' code (noupdate) and server actions
        cr.execute(
            "UPDATE ir_act_server SET code = replace(code, %s, %s) WHERE code LIKE %s", [old, new, f"%{old}%"]
        )
        # saved filters (users' favourites) and actions' domains and contexts
        for table, column in (("ir_filters", "domain"), ("ir_filters", "context"), ("ir_filters", "sort")):
            cr.execute(
                f'UPDATE "{table}" SET "{column}" = replace("{column}", %s, %s) WHERE "{column}" LIKE %s',
                [old, new, f"%{old}%"],
            )
        # translatable (jsonb) texts: the mail templates (noupdate) and the addon's inheriting views
        for table, column in (
            ("mail_template", "body_html"),
            ("mail_template", "subject"),
            ("ir_ui_view", "arch_db"),
        ):
            cr.execute(
                f"""UPDATE "{table}" SET "{column}" = replace("{column}"::text, %s, %s)::jsonb
                     WHERE "{column}"::text LIKE %s""",
                [old, new, f"%{old}%"],
            )


# Fields of the previous version that this one removes or renames beyond the rules above (the settings
# moved to the companies): an inheriting view of the previous version that names one is still in the
# database until its own file is loaded, and validating an earlier file's view against it fails. Their
# architecture is emptied; the update loads the current one from the files.
STALE_FIELDS = ["scp_commit_deadline_hour", "scp_band_"]


def empty_stale_views(cr):
    for field in STALE_FIELDS:
        cr.execute(
            """
            UPDATE ir_ui_view v
               SET arch_db = jsonb_build_object('en_US', '<data/>')
              FROM ir_model_data d
             WHERE d.model = 'ir.ui.view' AND d.res_id = v.id AND d.module = %s
               AND v.inherit_id IS NOT NULL AND v.arch_db::text LIKE %s
            """,
            [MODULE, f"%{field}%"],
        )


def migrate(cr, version):
    if not version:
        return
    empty_stale_views(cr)
    rename_tables(cr)
    rename_model_references(cr)
    rename_columns(cr)
    rename_xmlids(cr)
    rename_in_texts(cr)
