# Copyright 2026 sales_cycle_process contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    seller_class_a_attainment = fields.Float(related="company_id.seller_class_a_attainment", readonly=False)
    seller_class_b_attainment = fields.Float(related="company_id.seller_class_b_attainment", readonly=False)
    seller_class_c_attainment = fields.Float(related="company_id.seller_class_c_attainment", readonly=False)
    seller_class_submission_goal = fields.Float(
        related="company_id.seller_class_submission_goal", readonly=False
    )
