from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    scp_pack_background_lines = fields.Integer(related="company_id.scp_pack_background_lines", readonly=False)
