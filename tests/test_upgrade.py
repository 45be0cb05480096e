"""An existing database upgraded to the current tree keeps its data and gets the fixed ``noupdate`` data.

``scripts/dev.sh test-upgrade`` (``make test-upgrade``, also part of ``make test``) drives it:

1. installs the addon as it was at ``UPGRADE_FROM`` (default: the last commit before the manifest got
   its current version) with demo data into a fresh database;
2. ``python tests/test_upgrade.py snapshot``: records which rows the addon's tables hold, the values of
   the columns users fill in that the addon adds to Odoo's tables, and the settings; with ``--age`` it
   first puts back the ``noupdate`` values an older database holds (``AGED`` below), so that the
   migration scripts have something to do even when the previous version already had the fix;
3. ``odoo-bin -u sales_cycle_process`` with the current tree (no WARNING/ERROR line allowed);
4. this module on the upgraded database (``SCP_UPGRADE_DB``, ``SCP_UPGRADE_BEFORE``): nothing was lost,
   and every ``noupdate`` record of ``data/*.xml`` holds what the XML file says, as on a fresh install.

A ``noupdate`` record changed in ``data/*.xml`` without a matching entry in a migration script fails
``test_noupdate_records_match_the_data_files``: add the fields to the next version's
``migrations/<version>/post-migrate.py`` (``NOUPDATE_VALUES``).
"""

import argparse
import ast
import configparser
import json
import os
import re
import sys
import unittest
from pathlib import Path

ADDON = "sales_cycle_process"
ADDON_DIR = Path(__file__).resolve().parent.parent / ADDON
UPGRADE_DB = os.environ.get("SCP_UPGRADE_DB")
BEFORE = os.environ.get("SCP_UPGRADE_BEFORE")

# What a database installed before a noupdate change holds: {xml id: {column: old value}} (SQL).
# 5c1f72c gave the QPA tier definitions a comment prefilled "Approved." (databases from before keep none).
# Each entry is put back only when the database comes from a version before the one that brought the fix
# (AGED_BEFORE): a database of that version already has it, and no migration script of it runs again.
AGED = {
    f"{ADDON}.qpa_tier_sales_manager": {"has_comment": False, "comment_approve_default": None},
    f"{ADDON}.qpa_tier_managing_director": {"has_comment": False, "comment_approve_default": None},
}
AGED_BEFORE = "18.0.1.1.0"

# Settings 18.0.2.0.0 moved from ir.config_parameter to every company: {old key: res.company field}
# (migrations/18.0.2.0.0/post-10-settings.py deletes the parameters).
MOVED_SETTINGS = {
    f"{ADDON}.aftersales_ack_on_confirm": "after_sales_ack_on_confirm",
    f"{ADDON}.aftersales_production_email": "after_sales_production_email",
    f"{ADDON}.aftersales_website_access_text": "after_sales_website_access_text",
    f"{ADDON}.aftersales_followup_days": "after_sales_followup_days",
    f"{ADDON}.aftersales_satisfaction_days": "after_sales_satisfaction_days",
    f"{ADDON}.aftersales_excepted_team_id": "after_sales_excepted_team_id",
    f"{ADDON}.aftersales_support_user_id": "after_sales_support_user_id",
    f"{ADDON}.commit_deadline_hour": "commit_deadline_hour",
    f"{ADDON}.band_accuracy_min": "forecast_band_accuracy_min",
    f"{ADDON}.band_accuracy_max": "forecast_band_accuracy_max",
    f"{ADDON}.band_coverage_min": "forecast_band_coverage_min",
    f"{ADDON}.band_growth_min": "forecast_band_growth_min",
    f"{ADDON}.band_growth_good": "forecast_band_growth_good",
    f"{ADDON}.band_unfulfilled_max": "forecast_band_unfulfilled_max",
}

# Rows a migration removes on purpose: {table: reason}. Empty: no version deletes data.
DELETED_ON_PURPOSE = {}

WIZARD_REMOVED = "18.0.3.0.0: the Monday consolidation is a live screen, no transient wizard (issue #14)"
# XML ids whose records a version removes on purpose: {xml id (old name): reason}. The XML ids of fields,
# selections and SQL constraints are Odoo's bookkeeping of the code (a removed field loses its own).
XMLIDS_REMOVED_ON_PURPOSE = {
    "demo_aftersales_param_production_email": "18.0.2.0.0: the setting is the company's (post-10-settings)",
    "demo_aftersales_param_access_text": "18.0.2.0.0: the setting is the company's (post-10-settings)",
    "access_sale_corrective_action_engineer": "18.0.2.0.0: a read-only row the salesman group overrode",
    "access_scp_visit_report_sales_admin": "18.0.2.0.0: a read-only row the salesman group overrode",
    "model_scp_forecast_consolidation": WIZARD_REMOVED,
    "model_scp_forecast_consolidation_line": WIZARD_REMOVED,
    "scp_forecast_consolidation_view_form": WIZARD_REMOVED,
    "scp_forecast_consolidation_action": WIZARD_REMOVED,
    "access_scp_forecast_consolidation_salesman": WIZARD_REMOVED,
    "access_scp_forecast_consolidation_engineer": WIZARD_REMOVED,
    "access_scp_forecast_consolidation_sales_admin": WIZARD_REMOVED,
    "access_scp_forecast_consolidation_manager": WIZARD_REMOVED,
    "access_scp_forecast_consolidation_director": WIZARD_REMOVED,
    "access_scp_forecast_consolidation_line_salesman": WIZARD_REMOVED,
    "access_scp_forecast_consolidation_line_engineer": WIZARD_REMOVED,
    "access_scp_forecast_consolidation_line_sales_admin": WIZARD_REMOVED,
    "access_scp_forecast_consolidation_line_manager": WIZARD_REMOVED,
    "access_scp_forecast_consolidation_line_director": WIZARD_REMOVED,
}
CODE_MODELS = ("ir.model.fields", "ir.model.fields.selection", "ir.model.constraint", "ir.model.inherit")


def renames():
    """The renames of 18.0.2.0.0 (models, tables, columns, XML ids) as its migration script applies them:
    ``new_name(old identifier)``; identity when the script is absent."""
    import importlib.util

    path = ADDON_DIR / "migrations" / "18.0.2.0.0" / "pre-10-names.py"
    if not path.exists():
        return lambda name: name
    spec = importlib.util.spec_from_file_location("scp_pre_10_names", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.new_name


new_name = renames()


def ladder_renames():
    """18.0.3.0.0's ladder renames (exit criteria became entry criteria: XML ids, fields) as its pre-migration
    script applies them; identity when the script is absent."""
    import importlib.util

    path = ADDON_DIR / "migrations" / "18.0.3.0.0" / "pre-10-ladder.py"
    if not path.exists():
        return lambda name: name
    spec = importlib.util.spec_from_file_location("scp_pre_10_ladder", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.new_name


new_name = (lambda first, then: lambda name: then(first(name)))(new_name, ladder_renames())

# Values of the addon's columns on Odoo's tables a version rewrites on purpose: {(table, column): reason}.
CHANGED_ON_PURPOSE = {
    (
        "crm_stage",
        "definition",
    ): "18.0.3.0.0: the shipped stages' definitions quote the deck (post-10-ladder)",
}


# --- step 2: the snapshot before the upgrade (plain SQL: the old code's models are not loaded) -------
def connect(conf, db):
    import psycopg2

    cfg = configparser.ConfigParser()
    cfg.read(conf)
    opt = cfg["options"]
    return psycopg2.connect(
        dbname=db,
        host=opt.get("db_host") or None,
        port=opt.get("db_port") or None,
        user=opt.get("db_user") or None,
        password=opt.get("db_password") or None,
    )


def addon_tables(cr):
    """Tables of the addon's own (stored) models, and Odoo's tables the addon's records live in."""
    cr.execute(
        """
        SELECT m.model FROM ir_model m
          JOIN ir_model_data d ON d.model = 'ir.model' AND d.res_id = m.id AND d.module = %s
         WHERE NOT m.transient
        """,
        [ADDON],
    )
    models = [row[0] for row in cr.fetchall()]
    tables = {model.replace(".", "_") for model in models}
    tables |= {"tier_review", "tier_definition", "crm_lead", "sale_order", "sale_order_line", "mail_activity"}
    cr.execute(
        "SELECT table_name FROM information_schema.tables"
        " WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name = ANY(%s)",
        [sorted(tables)],
    )
    return sorted(row[0] for row in cr.fetchall())


def user_columns(cr):
    """{table: [columns]}: stored fields the addon adds to other modules' models (the test step keeps
    those that are not computed, i.e. what users and the addon's actions wrote)."""
    cr.execute(
        """
        SELECT f.model, f.name FROM ir_model_fields f
          JOIN ir_model_data d ON d.model = 'ir.model.fields' AND d.res_id = f.id AND d.module = %s
          JOIN ir_model m ON m.model = f.model AND NOT m.transient
         WHERE f.store AND f.ttype NOT IN ('one2many', 'many2many', 'binary')
           AND EXISTS (SELECT 1 FROM ir_model_data o
                        WHERE o.model = 'ir.model' AND o.res_id = m.id AND o.module != %s)
        """,
        [ADDON, ADDON],
    )
    columns = {}
    for model, name in cr.fetchall():
        columns.setdefault(model.replace(".", "_"), []).append(name)
    return {table: sorted(cols) for table, cols in sorted(columns.items())}


def snapshot(cr):
    ids = {}
    for table in addon_tables(cr):
        cr.execute(f'SELECT id FROM "{table}" ORDER BY id')  # table names from the catalogue
        ids[table] = [row[0] for row in cr.fetchall()]
    values = {}
    for table, cols in user_columns(cr).items():
        select = ", ".join(f'"{col}"::text' for col in cols)
        cr.execute(f'SELECT id, {select} FROM "{table}" ORDER BY id')
        values[table] = {str(row[0]): dict(zip(cols, row[1:], strict=True)) for row in cr.fetchall()}
    cr.execute("SELECT key, value FROM ir_config_parameter WHERE key LIKE %s", [ADDON + ".%"])
    settings = dict(cr.fetchall())
    cr.execute("SELECT latest_version FROM ir_module_module WHERE name = %s", [ADDON])
    version = cr.fetchone()[0]
    cr.execute("SELECT name, model, res_id FROM ir_model_data WHERE module = %s", [ADDON])
    xmlids = {name: [model, res_id] for name, model, res_id in cr.fetchall()}
    mail = {}
    for table, column in (
        ("mail_message", "model"),
        ("mail_activity", "res_model"),
        ("mail_followers", "res_model"),
        ("ir_attachment", "res_model"),
    ):
        cr.execute(f'SELECT "{column}", count(*) FROM "{table}" WHERE "{column}" IS NOT NULL GROUP BY 1')
        mail[table] = dict(cr.fetchall())
    return {
        "version": version,
        "ids": ids,
        "values": values,
        "settings": settings,
        "xmlids": xmlids,
        "mail": mail,
        "ladder": ladder_snapshot(cr),
    }


LADDER_STAGES = [
    "crm.stage_lead1",
    "crm.stage_lead2",
    f"{ADDON}.stage_ladder_purchase_intent",
    "crm.stage_lead3",
    f"{ADDON}.stage_ladder_proposal_accepted",
    f"{ADDON}.stage_ladder_chosen",
    f"{ADDON}.stage_ladder_negotiated",
    "crm.stage_lead4",
]


def ladder_snapshot(cr):
    """The ladder's criteria (stage, name), the deals' checklist lines (who checked them and when) and the
    deals' stages, to follow them through 18.0.3.0.0 (exit criteria became entry criteria)."""
    cr.execute("SELECT 1 FROM pg_class WHERE relname = 'scp_stage_criterion' AND relkind = 'r'")
    if not cr.rowcount:
        return {}
    stages = {}
    for xmlid in LADDER_STAGES:
        module, name = xmlid.split(".")
        cr.execute("SELECT res_id FROM ir_model_data WHERE module = %s AND name = %s", [module, name])
        row = cr.fetchone()
        stages[xmlid] = row and row[0]
    cr.execute("SELECT id, stage_id, name->>'en_US' FROM scp_stage_criterion ORDER BY id")
    criteria = {str(row[0]): [row[1], row[2]] for row in cr.fetchall()}
    cr.execute(
        "SELECT id, lead_id, criterion_id, is_done, done_user_id, done_date::text"
        " FROM scp_lead_criterion_check ORDER BY id"
    )
    checks = {str(row[0]): list(row[1:]) for row in cr.fetchall()}
    cr.execute("SELECT id, stage_id, probability FROM crm_lead ORDER BY id")
    leads = {str(row[0]): [row[1], row[2]] for row in cr.fetchall()}
    return {"stages": stages, "criteria": criteria, "checks": checks, "leads": leads}


def version_key(version):
    return tuple(int(part) for part in version.split(".") if part.isdigit())


def age(cr):
    """Put back the values an older database holds for the records listed in ``AGED``."""
    cr.execute("SELECT latest_version FROM ir_module_module WHERE name = %s", [ADDON])
    installed = cr.fetchone()[0] or ""
    if version_key(installed) >= version_key(AGED_BEFORE):
        return
    for xmlid, columns in AGED.items():
        module, name = xmlid.split(".")
        cr.execute("SELECT model, res_id FROM ir_model_data WHERE module = %s AND name = %s", [module, name])
        row = cr.fetchone()
        if not row:
            continue
        table = row[0].replace(".", "_")
        assignments = ", ".join(f'"{col}" = %s' for col in columns)
        cr.execute(f'UPDATE "{table}" SET {assignments} WHERE id = %s', [*columns.values(), row[1]])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("step", choices=["snapshot"])
    parser.add_argument("--conf", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--age", action="store_true", help="put back older noupdate values first")
    args = parser.parse_args(argv)
    with connect(args.conf, args.db) as cnx, cnx.cursor() as cr:
        if args.age:
            age(cr)
        data = snapshot(cr)
    Path(args.out).write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
    counts = {table: len(ids) for table, ids in data["ids"].items()}
    print(f"snapshot of {args.db} (version {data['version']}): {json.dumps(counts, sort_keys=True)}")


# --- the noupdate records as data/*.xml defines them --------------------------------------------------
def noupdate_fields():
    """[(xml id, model, field, kind, expected)] for the literal fields of data/*.xml's noupdate records."""
    from lxml import etree

    found = []
    for path in sorted((ADDON_DIR / "data").glob("*.xml")):
        root = etree.parse(str(path)).getroot()
        for record in root.iter("record"):
            holder = record.getparent()
            noupdate = holder.get("noupdate", root.get("noupdate", "0"))
            if noupdate not in ("1", "True", "true"):
                continue
            xmlid = record.get("id")
            xmlid = xmlid if "." in xmlid else f"{ADDON}.{xmlid}"
            for field in record.iter("field"):
                name = field.get("name")
                if field.get("ref"):
                    ref = field.get("ref")
                    found.append(
                        (xmlid, record.get("model"), name, "ref", ref if "." in ref else f"{ADDON}.{ref}")
                    )
                elif field.get("eval") is not None:
                    try:
                        value = ast.literal_eval(field.get("eval"))
                    except (ValueError, SyntaxError):
                        continue  # ref(...), commands, expressions: not compared
                    found.append((xmlid, record.get("model"), name, "literal", value))
                elif field.get("type") in ("html", "xml"):
                    text = "".join(etree.tostring(child, encoding="unicode") for child in field)
                    found.append((xmlid, record.get("model"), name, "markup", (field.text or "") + text))
                elif field.get("type") is None and len(field) == 0:
                    found.append((xmlid, record.get("model"), name, "literal", field.text or ""))
    return found


def squash(markup):
    """Markup compared without tags' whitespace and attribute quoting differences."""
    text = re.sub(r"\s+", " ", str(markup or "")).replace("'", '"')
    return re.sub(r">\s+<", "><", text).strip()


# --- step 4: the checks on the upgraded database ---------------------------------------------------
if __name__ == "__main__":  # the snapshot step runs without Odoo's test framework
    TransactionCase = unittest.TestCase
else:
    from odoo.tests import TransactionCase


@unittest.skipUnless(UPGRADE_DB and BEFORE, "run by `make test-upgrade` on an upgraded database")
class TestUpgrade(TransactionCase):
    # Odoo sets these for test classes under odoo.addons only
    test_tags = {"standard", "at_install"}
    test_module = ADDON
    test_sequence = 0

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.before = json.loads(Path(BEFORE).read_text(encoding="utf-8"))
        cls.cr.execute("SELECT latest_version, state FROM ir_module_module WHERE name = %s", [ADDON])
        cls.module = cls.cr.fetchone()

    def test_module_is_at_the_manifest_version(self):
        manifest = ast.literal_eval((ADDON_DIR / "__manifest__.py").read_text(encoding="utf-8"))
        self.assertEqual(self.module, (manifest["version"], "installed"))
        if self.before["version"] == manifest["version"]:
            self.skipTest(
                "the upgrade started at the same version: no migration script ran (set UPGRADE_FROM)"
            )

    def test_the_demo_gave_the_upgrade_something_to_keep(self):
        ids = self.before["ids"]
        for table in (
            "scp_sales_commit",
            "scp_sales_commit_line",
            "scp_sales_forecast",
            "scp_sales_forecast_line",
            "scp_qpa_log",
            "tier_review",
            "scp_cadence_state",
            "scp_lead_criterion_check",
        ):
            # under its name before 18.0.2.0.0 when the database comes from an older version
            olds = [old for old in ids if new_name(old) == table]
            with self.subTest(table=table):
                self.assertTrue(any(ids.get(name) for name in olds), f"{table} was empty before the upgrade")

    def test_no_row_was_lost(self):
        after = snapshot(self.cr)
        for old_table, ids in self.before["ids"].items():
            if old_table in DELETED_ON_PURPOSE:
                continue
            table = new_name(old_table)
            with self.subTest(table=table):
                self.assertIn(table, after["ids"], f"table {table} (before: {old_table}) is gone")
                lost = sorted(set(ids) - set(after["ids"][table]))
                self.assertFalse(lost, f"{len(lost)} rows of {table} lost in the upgrade: {lost[:20]}")

    def test_what_users_entered_is_unchanged(self):
        after = snapshot(self.cr)
        for old_table, rows in self.before["values"].items():
            table = new_name(old_table)
            model = next((m for m in self.env.registry.values() if m._table == table), None)
            if model is None:
                continue
            # computed fields may be recomputed by a new version on purpose: compare the others
            data_cols = {
                name
                for name, field in model._fields.items()
                if field.store and not field.compute and not field.related
            }
            for rec_id, values in rows.items():
                now = after["values"].get(table, {}).get(rec_id)
                if now is None:
                    continue  # a lost row is test_no_row_was_lost's failure
                changed = {
                    new_name(col): (old, now.get(new_name(col)))
                    for col, old in values.items()
                    if new_name(col) in data_cols
                    and now.get(new_name(col), old) != old
                    and (table, new_name(col)) not in CHANGED_ON_PURPOSE
                }
                self.assertFalse(changed, f"{table} {rec_id}: values changed by the upgrade: {changed}")
        kept = {key: value for key, value in self.before["settings"].items() if key not in MOVED_SETTINGS}
        self.assertEqual(
            {key: after["settings"].get(key) for key in kept},
            kept,
            "settings changed by the upgrade (the moved ones: test_settings_moved_to_the_companies)",
        )

    def test_settings_moved_to_the_companies(self):
        """18.0.2.0.0: the values the old parameters held are every company's settings, and the
        parameters are gone."""
        if version_key(self.before["version"]) >= version_key("18.0.2.0.0"):
            self.skipTest(f"the database comes from {self.before['version']}: its settings had moved already")
        moved = {key: value for key, value in self.before["settings"].items() if key in MOVED_SETTINGS}
        self.assertTrue(moved, "the demo had no after-sales or forecast parameter before the upgrade")
        companies = self.env["res.company"].with_context(active_test=False).search([])
        for key, raw in moved.items():
            fname = MOVED_SETTINGS[key]
            field = companies._fields[fname]
            for company in companies:
                value = company[fname]
                if field.type == "many2one":
                    # an id is copied where the record fits the company (a team of another company is not)
                    if value:
                        self.assertEqual(value.id, int(raw), f"{company.name}: {fname}")
                    continue
                if field.type == "boolean":
                    expected = raw.strip().lower() in ("true", "1")
                elif field.type == "integer":
                    expected = int(float(raw))
                elif field.type == "float":
                    expected = float(raw)
                else:
                    expected = raw or False
                with self.subTest(company=company.name, setting=key):
                    self.assertEqual(value, expected, f"{company.name}: {fname}")
        self.cr.execute("SELECT key FROM ir_config_parameter WHERE key = ANY(%s)", [list(MOVED_SETTINGS)])
        self.assertFalse(self.cr.fetchall(), "the moved parameters are deleted")

    def test_records_keep_their_xml_ids(self):
        """Renamed models and XML ids (18.0.2.0.0): each record of the addon is found under its new XML id,
        with the same database id, so links, a company's edits to noupdate records and history stay."""
        after = snapshot(self.cr)["xmlids"]
        lost, moved = [], []
        for old, (model, res_id) in self.before.get("xmlids", {}).items():
            if old in XMLIDS_REMOVED_ON_PURPOSE or model in CODE_MODELS:
                continue
            now = after.get(new_name(old))
            if now is None:
                lost.append(f"{old} -> {new_name(old)}")
            elif now != [new_name(model), res_id]:
                moved.append(f"{old}: {model},{res_id} -> {now}")
        self.assertFalse(lost, "XML ids lost in the upgrade:\n" + "\n".join(sorted(lost)))
        self.assertFalse(moved, "records replaced in the upgrade:\n" + "\n".join(sorted(moved)))

    def test_history_follows_the_renamed_models(self):
        """Messages, activities, followers and attachments of the renamed models' records stay with them."""
        after = snapshot(self.cr)["mail"]
        for table, counts in self.before.get("mail", {}).items():
            for model, count in counts.items():
                if new_name(model) == model:
                    continue
                with self.subTest(table=table, model=model):
                    self.assertFalse(after[table].get(model), f"{table} still names the old model {model}")
                    self.assertEqual(after[table].get(new_name(model)), count, f"{table} of {model}")

    def test_renamed_code_still_runs(self):
        """The noupdate scheduled action and mail templates name the renamed methods and fields."""
        cron = self.env.ref(f"{ADDON}.ir_cron_after_sales_followups")
        self.assertNotIn("aftersales", cron.code)
        cron.method_direct_trigger()
        for template in self.env["mail.template"].search([("model", "in", ["sale.order"])]):
            self.assertNotIn("aftersales", template.body_html or "", template.name)
        order = self.env["sale.order"].search([("state", "=", "sale")], limit=1)
        template = self.env.ref(f"{ADDON}.mail_template_after_sales_welcome_soft_copy")
        self.assertTrue(template._render_field("body_html", order.ids)[order.id])

    def test_noupdate_records_match_the_data_files(self):
        wrong = []
        for xmlid, _model, name, kind, expected in noupdate_fields():
            record = self.env.ref(xmlid, raise_if_not_found=False)
            if not record or name not in record._fields:
                wrong.append(f"{xmlid}: missing (record or field {name})")
                continue
            value = record[name]
            field = record._fields[name]
            if kind == "ref":
                ok = value == self.env.ref(expected, raise_if_not_found=False)
            elif kind == "markup":
                ok = squash(value) == squash(expected)
            elif field.type in ("many2one",):
                ok = value.id == expected
            elif field.type in ("integer", "float", "monetary"):
                ok = value == (float(expected) if isinstance(expected, str) else expected)
            elif field.type == "boolean":
                ok = bool(value) == bool(expected)
            else:
                ok = (value or "") == (expected if expected is not None else "")
            if not ok:
                wrong.append(f"{xmlid}.{name}: database {value!r}, data file {expected!r}")
        self.assertFalse(
            wrong,
            "noupdate records that an update does not bring to what data/*.xml says (add them to the "
            "migration script's NOUPDATE_VALUES):\n" + "\n".join(wrong),
        )

    def test_ladder_criteria_are_entry_criteria_of_the_rung_the_deck_gives_them(self):
        """18.0.3.0.0 (post-10-ladder): each stage's criteria are what must be true to be AT it. The shipped
        criteria sit on the rung whose wording they are (the four intake ones of Lead intake, the first rung,
        now say what must be true to be met with the customer, at 25 %); a company's own criterion moves to
        the next rung up; every checklist line follows its criterion with who checked it and when; no
        criterion, line or deal is lost and no deal changes stage or probability."""
        if version_key(self.before["version"]) >= version_key("18.0.3.0.0"):
            self.skipTest(
                f"the database comes from {self.before['version']}: its criteria were entry criteria already"
            )
        before = self.before.get("ladder")
        if not before or not before.get("criteria"):
            self.skipTest("the database before the upgrade had no ladder criteria")
        stages = {xmlid: self.env.ref(xmlid, raise_if_not_found=False) for xmlid in LADDER_STAGES}
        stage_of = {stage.id: xmlid for xmlid, stage in stages.items() if stage}
        Criterion = self.env["scp.stage.criterion"].with_context(active_test=False)
        # the shipped criteria, found under their new XML ids, on the rung the deck gives them
        moved_up = {"01", "02", "03", "04"}
        for number in range(1, 15):
            old_id = before["criteria"].get(str(self.before["xmlids"][f"exit_criterion_{number:02d}"][1]))
            criterion = self.env.ref(f"{ADDON}.entry_criterion_{number:02d}")
            with self.subTest(criterion=criterion.name):
                self.assertEqual(
                    criterion.id, self.before["xmlids"][f"exit_criterion_{number:02d}"][1], "same record"
                )
                old_stage = stage_of[old_id[0]]
                expected = "crm.stage_lead2" if f"{number:02d}" in moved_up else old_stage
                self.assertEqual(stage_of[criterion.stage_id.id], expected)
        self.assertEqual(
            stages["crm.stage_lead2"].entry_criterion_ids.mapped("name"),
            [
                "Lead produced",
                "Lead qualified",
                "Lead classified",
                "Lead followed up",
                "Expert seminar or demo held, or customer invited to visit our headquarters",
                "Decision process and decision makers confirmed",
                "Marketing funds confirmed",
            ],
        )
        self.assertFalse(stages["crm.stage_lead1"].entry_criterion_ids, "the first rung asks nothing")
        self.assertEqual(
            stages["crm.stage_lead3"].entry_criterion_ids.mapped("name"), ["Final solution completed"]
        )
        self.assertEqual(
            stages[f"{ADDON}.stage_ladder_negotiated"].entry_criterion_ids.mapped("name"),
            ["Commercial negotiation completed"],
        )
        self.assertIn(
            "commercial negotiation is completed", stages[f"{ADDON}.stage_ladder_negotiated"].definition
        )
        # no criterion lost
        self.assertFalse(set(map(int, before["criteria"])) - set(Criterion.search([]).ids))
        # every line kept, with its deal, criterion, tick, checker and date, on its criterion's stage
        Check = self.env["scp.lead.criterion.check"]
        self.assertTrue(before["checks"])
        checks = Check.browse(list(map(int, before["checks"]))).exists()
        self.assertEqual(len(checks), len(before["checks"]), "no checklist line lost")
        ticked = 0
        for check in checks:
            lead_id, criterion_id, is_done, user_id, done_date = before["checks"][str(check.id)]
            self.assertEqual(
                (check.lead_id.id, check.criterion_id.id, check.is_done, check.done_user_id.id or None),
                (lead_id, criterion_id, bool(is_done), user_id),
                f"line {check.id}",
            )
            self.assertEqual(str(check.done_date) if check.done_date else None, done_date and done_date[:19])
            self.assertEqual(
                check.stage_id, check.criterion_id.stage_id, f"line {check.id} follows its criterion"
            )
            ticked += bool(is_done)
        self.assertTrue(ticked, "the demo had checked lines to keep")
        # the deals stay where they were, with their probability
        self.cr.execute("SELECT id, stage_id, probability FROM crm_lead ORDER BY id")
        now = {str(row[0]): [row[1], row[2]] for row in self.cr.fetchall()}
        self.assertEqual({key: now.get(key) for key in before["leads"]}, before["leads"])
        # open deals have a line for every entry criterion of their ladder: what they tick to move up
        lead = self.env.ref(f"{ADDON}.demo_ladder_lead_press_line", raise_if_not_found=False)
        if lead:
            self.assertEqual(
                set(lead.criterion_check_ids.criterion_id.ids),
                set(Criterion.with_context(active_test=True).search([]).ids),
            )

    def test_open_qpas_keep_their_decision(self):
        """Approvals are bound to the approved facts from 18.0.1.1.0 on: the QPAs approved or pending
        before the upgrade stay so (bound to the quotation as it stood), not sent back for approval."""
        before = {
            int(rec_id): values.get("qpa_state")
            for rec_id, values in self.before["values"].get("sale_order", {}).items()
            if values.get("qpa_state") in ("approved", "pending")
        }
        self.assertTrue(before, "the demo had no approved or pending QPA before the upgrade")
        orders = self.env["sale.order"].browse(list(before))
        self.assertEqual({order.id: order.qpa_state for order in orders}, before)
        approved = orders.filtered(lambda o: o.qpa_state == "approved")
        self.assertTrue(approved)
        for order in approved:
            self.assertFalse(order._qpa_unapproved(), f"{order.name} can be confirmed as before")

    def test_qpa_approvers_decide_with_a_prefilled_comment(self):
        for xmlid in AGED:
            definition = self.env.ref(xmlid)
            self.assertTrue(definition.has_comment, xmlid)
            self.assertEqual(definition.comment_approve_default, "Approved.", xmlid)

    def test_the_deals_company_amounts_were_filled(self):
        """18.0.2.0.0 stores the deals' company-currency amounts (the money rule, tools/money.py): filled in
        SQL by pre-20-money.py (deals in their company's currency) and with the ORM by post-20-money.py (the
        others), each equal to what the rule gives."""
        from odoo.addons.sales_cycle_process.tools.money import deal_company_amount

        self.cr.execute(
            "SELECT id, expected_revenue_company, prorated_revenue_company FROM crm_lead ORDER BY id"
        )
        stored = {row[0]: row[1:] for row in self.cr.fetchall()}
        self.assertTrue(stored)
        leads = self.env["crm.lead"].with_context(active_test=False).browse(list(stored))
        for lead in leads:
            amount, prorated = stored[lead.id]
            with self.subTest(lead=lead.id):
                self.assertIsNotNone(amount)
                self.assertIsNotNone(prorated)
                self.assertAlmostEqual(float(amount), deal_company_amount(lead), delta=0.01)
                expected = float(amount) * (lead.probability or 0) / 100
                self.assertAlmostEqual(float(prorated), expected, delta=0.01)


if __name__ == "__main__":
    sys.exit(main())
