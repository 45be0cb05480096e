# Copyright 2026 sales_cycle_process contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""18.0.5.0.0, after the update: the companies get the flowchart's response channels (bingo cards, e-mail,
phone calls, business cards, distributors' mailshots and cold calls) as a fresh install gives them.

``res.company.respond_source_ids`` is new in this version: an update does not apply a many2many's default
to the existing companies. The leads of these sources become customer responses (a filter); no activity is
planned for them (only new leads get one). Idempotent: a company that already has channels keeps them."""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    companies = env["res.company"]._respond_init_channels()
    if companies:
        _logger.info("Customer responses: %s companies got the response channels", len(companies))
