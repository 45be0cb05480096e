# Copyright 2026 sales_cycle_process contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""18.0.1.1.0, before the update: no stale view stops the update of an existing database.

An update loads the view files in manifest order and validates each view together with every view
that inherits from the same form. A view of the previous version that names a field this version
removed (``crm_lead_view_form_commit`` names ``commit_discount_manual``) is still in the database until
its own file is loaded, so validating an earlier file's view fails with "Field ... does not exist" and
the update stops. Their architecture is emptied here; the update loads the current one from the files.
Plain SQL: the registry of the new version is not loaded yet.
"""

# Fields the previous version's inheriting views name and this version no longer has.
REMOVED_FIELDS = ["commit_discount_manual"]


def migrate(cr, version):
    if not version:
        return
    for field in REMOVED_FIELDS:
        cr.execute(
            """
            UPDATE ir_ui_view v
               SET arch_db = jsonb_build_object('en_US', '<data/>')
              FROM ir_model_data d
             WHERE d.model = 'ir.ui.view' AND d.res_id = v.id AND d.module = 'sales_cycle_process'
               AND v.inherit_id IS NOT NULL AND v.arch_db::text LIKE %s
            """,
            [f"%{field}%"],
        )
