# Copyright 2026 sales_cycle_process contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models
from odoo.exceptions import UserError


class CommentWizard(models.TransientModel):
    _inherit = "comment.wizard"

    def add_comment(self):
        self.ensure_one()
        foreign = self.review_ids.filtered(
            lambda r: r.model == "sale.order" and (r.model, r.res_id) != (self.res_model, self.res_id)
        )
        if foreign:
            raise UserError(self.env._("These QPA levels belong to another quotation."))
        super().add_comment()
        # an RPC client gets a value it can read (tier validation returns None)
        return True
