from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    scp_pack_background_lines = fields.Integer(
        string="Packs Built in the Background From",
        default=20000,
        help="A weekly commit or monthly forecast pack listing at least this many deals is built as a "
        "background job and delivered in your inbox, instead of holding the download. 0: never.",
    )

    @api.constrains("scp_pack_background_lines")
    def _check_scp_pack_background_lines(self):
        if any(company.scp_pack_background_lines < 0 for company in self):
            raise ValidationError(
                self.env._(
                    "The number of deals from which a pack is built in the background cannot be negative."
                )
            )
