# Copyright 2026 sales_cycle_process contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""18.0.2.0.0, after the update: the company-currency amounts of the deals ``pre-20-money.py`` left empty.

Deals quoted in another currency than their company's (or without a company) are converted with the ORM,
through the one money rule (``tools/money.py``: Odoo's rate at the deal's creation date), 1,000 at a time.
"""

import logging

from odoo import SUPERUSER_ID, api
from odoo.tools import split_every

_logger = logging.getLogger(__name__)

FIELDS = ["expected_revenue_company", "prorated_revenue_company"]


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    cr.execute("SELECT id FROM crm_lead WHERE expected_revenue_company IS NULL ORDER BY id")
    ids = [row[0] for row in cr.fetchall()]
    Lead = env["crm.lead"].with_context(active_test=False)
    for batch in split_every(1000, ids):
        leads = Lead.browse(batch)
        for fname in FIELDS:
            env.add_to_compute(Lead._fields[fname], leads)
        leads.flush_recordset(FIELDS)
        env.invalidate_all()
    if ids:
        _logger.info("crm_lead: company-currency amounts computed for %s deals in another currency", len(ids))
