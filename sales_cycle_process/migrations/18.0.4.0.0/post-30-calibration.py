# Copyright 2026 sales_cycle_process contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""18.0.4.0.0, after the update: the ladder calibration needs the highest stage each existing deal ever
reached (``crm.lead.ladder_reached_stage_id``). It is the highest, in the ladder's order (the stages'
sequence, then id, as the gate orders them), of the deal's current stage and of every stage its tracked
``stage_id`` changes name (old and new values), in one set-based UPDATE. A deal moved before Odoo tracked
its stage counts from the stages it is known to have been in.

Deals closed before the upgrade keep no predictive score at closing (Odoo overwrote it with 100 or 0 when
they were won or lost): they count in the calibration, not in the comparison of the predictive score with the
ladder. For lost deals the stage they closed from is their stage, and is filled with its probability.
Idempotent: a second run computes the same values.
"""

import logging

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        SELECT id FROM ir_model_fields WHERE model = 'crm.lead' AND name = 'stage_id'
        """
    )
    row = cr.fetchone()
    field_id = row[0] if row else None
    cr.execute(
        """
        WITH visited AS (
            SELECT id AS lead_id, stage_id FROM crm_lead WHERE stage_id IS NOT NULL
            UNION ALL
            SELECT msg.res_id, tv.old_value_integer
              FROM mail_tracking_value tv JOIN mail_message msg ON msg.id = tv.mail_message_id
             WHERE tv.field_id = %(field)s AND msg.model = 'crm.lead' AND tv.old_value_integer > 0
            UNION ALL
            SELECT msg.res_id, tv.new_value_integer
              FROM mail_tracking_value tv JOIN mail_message msg ON msg.id = tv.mail_message_id
             WHERE tv.field_id = %(field)s AND msg.model = 'crm.lead' AND tv.new_value_integer > 0
        ), highest AS (
            SELECT DISTINCT ON (v.lead_id) v.lead_id, s.id AS stage_id
              FROM visited v JOIN crm_stage s ON s.id = v.stage_id
             ORDER BY v.lead_id, s.sequence DESC, s.id DESC
        )
        UPDATE crm_lead l SET ladder_reached_stage_id = h.stage_id
          FROM highest h
         WHERE l.id = h.lead_id AND l.ladder_reached_stage_id IS DISTINCT FROM h.stage_id
        """,
        {"field": field_id},
    )
    reached = cr.rowcount
    cr.execute(
        """
        UPDATE crm_lead l SET ladder_close_stage_id = l.stage_id, ladder_close_nominal = s.probability
          FROM crm_stage s
         WHERE s.id = l.stage_id AND NOT l.active AND l.probability = 0 AND l.ladder_close_stage_id IS NULL
        """
    )
    _logger.info(
        "Ladder calibration: highest stage reached set on %s deals, closing stage on %s lost deals",
        reached,
        cr.rowcount,
    )
