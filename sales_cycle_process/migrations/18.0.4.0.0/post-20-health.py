# Copyright 2026 sales_cycle_process contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""18.0.4.0.0, after the update: the stages of the ladder get the deal health limits of
``data/crm_stage_health_data.xml`` (days in stage, slips, days without contact after which a deal is stale).

That file is ``noupdate``: an update leaves the existing stages as they are, so this script loads it once
more as a fresh install does. The fields are new in this version: no company has set them yet. A stage a
company deleted stays deleted (the records are ``forcecreate="False"``). Idempotent."""

import logging

from odoo import SUPERUSER_ID, api
from odoo.tools import convert_file

_logger = logging.getLogger(__name__)

MODULE = "sales_cycle_process"


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    convert_file(env, MODULE, "data/crm_stage_health_data.xml", {}, mode="init", noupdate=True, kind="data")
    _logger.info("Deal health: the ladder stages got their stale limits")
