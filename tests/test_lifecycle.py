"""Install, upgrade and uninstall the addon in a throw-away database, as an administrator would.

These tests drive ``odoo-bin`` in subprocesses against the configuration that ``make test`` wrote,
so they exercise the real module loader: data files, demo split, ``noupdate`` records, uninstall hooks.
"""

import json
import os
import re
import subprocess
import sys
import uuid

import pytest

CONF = os.environ.get("SCP_TEST_CONF")
ODOO_SRC = os.environ.get("SCP_ODOO_SRC")
ADDON = "sales_cycle_process"

pytestmark = pytest.mark.skipif(not (CONF and ODOO_SRC), reason="run through `make test`")


def odoo(*args, stdin=None, command=()):
    cmd = [sys.executable, os.path.join(ODOO_SRC, "odoo-bin"), *command, "-c", CONF, *args]
    return subprocess.run(cmd, input=stdin, capture_output=True, text=True, timeout=900, check=False)


def shell(db, script):
    """Run ``script`` in ``odoo-bin shell``; it prints one JSON line prefixed with RESULT:."""
    res = odoo("-d", db, "--no-http", "--log-level=warn", stdin=script, command=("shell",))
    found = re.findall(r"^RESULT:(.*)$", res.stdout, re.M)
    assert found, f"shell printed no result:\n{res.stdout[-3000:]}\n{res.stderr[-3000:]}"
    return json.loads(found[-1])


def addon_problems(log):
    """Log lines at WARNING or above: stock Odoo installs CRM and Sales without any."""
    return [
        line for line in log.splitlines() if re.search(r"^[\d-]+ [\d:,]+ \d+ (WARNING|ERROR|CRITICAL) ", line)
    ]


@pytest.fixture(scope="module")
def nodemo_db():
    db = f"scp_lifecycle_{uuid.uuid4().hex[:8]}"
    res = odoo("-d", db, "-i", ADDON, "--without-demo=all", "--stop-after-init", "--log-level=info")
    assert res.returncode == 0, res.stderr[-3000:]
    yield db, res.stdout + res.stderr
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, odoo; odoo.tools.config.parse_config(['-c', sys.argv[1]]);"
            "from odoo.service import db; db.exp_drop(sys.argv[2])",
            CONF,
            db,
        ],
        capture_output=True,
        check=False,
        env={**os.environ, "PYTHONPATH": ODOO_SRC},
    )


def test_install_without_demo_is_clean(nodemo_db):
    db, log = nodemo_db
    assert not addon_problems(log), "\n".join(addon_problems(log))
    result = shell(
        db,
        f"""
mod = env['ir.module.module'].search([('name', '=', '{ADDON}')])
demo = env['ir.model.data'].search_count([('module', '=', '{ADDON}'), ('name', '=like', 'demo_%')])
print('RESULT:' + __import__('json').dumps({{'state': mod.state, 'demo': mod.demo, 'demo_records': demo}}))
""",
    )
    assert result == {"state": "installed", "demo": False, "demo_records": 0}


def test_upgrade_keeps_user_records_and_uninstall_leaves_crm_and_sales_working(nodemo_db):
    db, _log = nodemo_db
    created = shell(
        db,
        """
import json
partner = env['res.partner'].create({'name': 'Lifecycle Customer'})
lead = env['crm.lead'].create({'name': 'Lifecycle deal', 'type': 'opportunity', 'partner_id': partner.id,
                               'expected_revenue': 12345})
product = env['product.product'].create({'name': 'Lifecycle analyser', 'list_price': 100})
order = env['sale.order'].create({'partner_id': partner.id, 'opportunity_id': lead.id,
                                  'order_line': [(0, 0, {'product_id': product.id, 'product_uom_qty': 2})]})
group = env.ref('sales_cycle_process.group_sales_admin')
group.comment = 'Edited by the customer'
env.cr.commit()
print('RESULT:' + json.dumps({'lead': lead.id, 'order': order.id}))
""",
    )
    res = odoo("-d", db, "-u", ADDON, "--stop-after-init", "--log-level=info")
    assert res.returncode == 0, res.stderr[-3000:]
    assert not addon_problems(res.stdout + res.stderr)
    kept = shell(
        db,
        f"""
import json
lead = env['crm.lead'].browse({created["lead"]}).exists()
order = env['sale.order'].browse({created["order"]}).exists()
print('RESULT:' + json.dumps({{'lead': lead.name, 'order_total': order.amount_untaxed,
    'comment': env.ref('sales_cycle_process.group_sales_admin').comment}}))
""",
    )
    assert kept["lead"] == "Lifecycle deal"
    assert kept["order_total"] == 200
    # Groups are not noupdate: the module's definition wins, as in any Odoo module.
    assert kept["comment"]

    after = shell(
        db,
        f"""
import json
env['ir.module.module'].search([('name', '=', '{ADDON}')]).button_immediate_uninstall()
env.cr.commit()
env.invalidate_all()
state = env['ir.module.module'].search([('name', '=', '{ADDON}')]).state
out = {{'state': state}}
for model, rec_id, field, value in (('crm.lead', {created["lead"]}, 'name', 'Lifecycle deal, renamed'),
                                    ('sale.order', {created["order"]}, 'note', 'Saved after uninstall')):
    views = env[model].get_views([(False, 'form')])
    arch_fields = list(views['models'][model]['fields'])
    record = env[model].browse(rec_id)
    record.web_read({{f: {{}} for f in arch_fields if f in env[model]._fields and
                     env[model]._fields[f].type not in ('one2many', 'many2many')}})
    record.write({{field: value}})
    out[model] = str(record[field])
new_lead = env['crm.lead'].create({{'name': 'After uninstall', 'type': 'opportunity'}})
new_lead.stage_id = env['crm.stage'].search([], limit=1, order='sequence desc')
out['new_lead'] = bool(new_lead.id)
env.cr.commit()
print('RESULT:' + json.dumps(out))
""",
    )
    assert after["state"] == "uninstalled"
    assert after["crm.lead"] == "Lifecycle deal, renamed"
    assert "Saved after uninstall" in after["sale.order"]
    assert after["new_lead"]
