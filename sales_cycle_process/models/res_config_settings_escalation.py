# Copyright 2026 sales_cycle_process contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    after_sales_escalation_director_days = fields.Integer(
        related="company_id.after_sales_escalation_director_days", readonly=False
    )
