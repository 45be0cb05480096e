# Copyright 2026 sales_cycle_process contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""18.0.1.1.0: bring ``noupdate`` data of databases installed before this version up to date.

A module update does not rewrite ``noupdate="1"`` records (tier definitions, mail templates, crons,
activity types): a database keeps what its first install loaded. This script writes the fields this
version relies on, record by record, with the ORM. It is idempotent: a field is written only where
it still differs, so running it twice (or on a fresh install's data) changes nothing. Records a user
deleted stay deleted; fields listed in ``KEEP_IF_SET`` keep a value the user typed.
"""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)

# {xml id: {field: value}}: the noupdate records whose content changed after their first release.
NOUPDATE_VALUES = {
    # QPA approvers decide with a comment (tier validation's comment wizard), prefilled "Approved.".
    "sales_cycle_process.qpa_tier_sales_manager": {
        "has_comment": True,
        "comment_approve_default": "Approved.",
    },
    "sales_cycle_process.qpa_tier_managing_director": {
        "has_comment": True,
        "comment_approve_default": "Approved.",
    },
}

# Texts a company may have rewritten: written only where empty.
KEEP_IF_SET = {"comment_approve_default"}


def update_noupdate_records(env, values_by_xmlid, keep_if_set=()):
    """Write ``values_by_xmlid`` on the records that still differ; return {xml id: written fields}."""
    done = {}
    for xmlid, values in values_by_xmlid.items():
        record = env.ref(xmlid, raise_if_not_found=False)
        if not record:
            _logger.info("Upgrade: %s no longer exists, left as it is", xmlid)
            continue
        todo = {
            name: value
            for name, value in values.items()
            if record[name] != value and not (name in keep_if_set and record[name])
        }
        if todo:
            record.write(todo)
            done[xmlid] = sorted(todo)
            _logger.info("Upgrade: %s: %s updated", xmlid, ", ".join(sorted(todo)))
    return done


def fill_new_fields(env):
    """The facts this version records from now on, filled for what older versions did (idempotent)."""
    cr = env.cr
    # after-sales: a distributor check done before was e-mailed when the customer had an address
    cr.execute(
        """
        UPDATE sale_order so SET after_sales_check_sent = TRUE
          FROM res_partner p
         WHERE so.partner_id = p.id AND so.after_sales_check_done
           AND so.after_sales_check_sent IS NOT TRUE AND COALESCE(p.email, '') != ''
        """
    )
    # QPA reviews: the salesperson at submission (who may never decide), the order's salesperson then
    cr.execute(
        """
        UPDATE tier_review r SET qpa_salesperson_id = so.user_id
          FROM sale_order so
         WHERE r.model = 'sale.order' AND r.res_id = so.id AND r.qpa_salesperson_id IS NULL
        """
    )
    # QPA approvals are bound to the approved facts: the open QPAs of quotations keep their approval
    # (or their pending request) for the quotation as it stands at the upgrade
    orders = env["sale.order"].search([("state", "in", ("draft", "sent")), ("qpa_log_ids", "!=", False)])
    unbound = [
        (order, log)
        for order in orders
        for log in [order._qpa_last_log()]
        if log.state in ("approved", "pending") and not log.fingerprint
    ]
    for order, log in unbound:
        log.fingerprint = order._qpa_fingerprint()
    if unbound:
        bound = env["sale.order"].browse([order.id for order, _log in unbound])
        env.add_to_compute(bound._fields["qpa_state"], bound)
        bound.flush_recordset(["qpa_state"])
        _logger.info("Upgrade: %s open QPAs bound to their quotations' current facts", len(unbound))
    # the pricelist and payment-term rules became opt-in: a company that listed its standard ones
    # relied on them and keeps them on
    companies = env["res.company"].search([])
    companies.filtered("qpa_standard_pricelist_ids").filtered(lambda c: not c.qpa_check_pricelist).write(
        {"qpa_check_pricelist": True}
    )
    companies.filtered("qpa_standard_payment_term_ids").filtered(
        lambda c: not c.qpa_check_payment_terms
    ).write({"qpa_check_payment_terms": True})


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    update_noupdate_records(env, NOUPDATE_VALUES, KEEP_IF_SET)
    fill_new_fields(env)
