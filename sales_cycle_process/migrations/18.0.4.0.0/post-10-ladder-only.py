# Copyright 2026 sales_cycle_process contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""18.0.4.0.0: the four rungs the playbook adds to Odoo's stages are marked ``ladder_only`` (their records
are ``noupdate``): they show in the pipeline and on the status bar of ladder teams only."""

import logging

_logger = logging.getLogger(__name__)

LADDER_ONLY = (
    "stage_ladder_purchase_intent",
    "stage_ladder_proposal_accepted",
    "stage_ladder_chosen",
    "stage_ladder_negotiated",
)


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        UPDATE crm_stage SET ladder_only = TRUE
         WHERE id IN (SELECT res_id FROM ir_model_data
                       WHERE module = 'sales_cycle_process' AND model = 'crm.stage' AND name IN %s)
        """,
        (LADDER_ONLY,),
    )
    _logger.info("Upgrade: %s ladder rungs shown on ladder teams only", cr.rowcount)
