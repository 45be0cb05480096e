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


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    update_noupdate_records(env, NOUPDATE_VALUES, KEEP_IF_SET)
