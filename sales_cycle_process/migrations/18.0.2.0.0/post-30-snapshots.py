# Copyright 2026 sales_cycle_process contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""18.0.2.0.0: the commit lines recorded before a line stored its deal's name, owner and customer get them
from the deal (a one-off back-fill that ``scp.sales.commit.line.init()`` ran on every module load before).

Idempotent: only lines still without a deal name and still linked to a deal are written. The partial
unique indexes (one current commit or forecast per salesperson and period) stay in the snapshot models'
``init()``: they are created once, where missing.
"""

import logging

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        UPDATE scp_sales_commit_line line
           SET lead_name = lead.name, lead_user_id = lead.user_id,
               partner_name = COALESCE(partner.name, lead.partner_name)
          FROM crm_lead lead
          LEFT JOIN res_partner partner ON partner.id = lead.partner_id
         WHERE lead.id = line.lead_id AND line.lead_name IS NULL
        """
    )
    if cr.rowcount:
        _logger.info("Upgrade: %s commit lines got their deal's name, owner and customer", cr.rowcount)
