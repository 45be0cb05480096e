# Copyright 2026 sales_cycle_process contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    health_digest_enabled = fields.Boolean(
        string="Weekly Stale Deals Digest",
        default=True,
        help="Every Monday morning, each salesperson receives an e-mail listing their stale deals of this "
        "company, and each team leader their team's.",
    )
