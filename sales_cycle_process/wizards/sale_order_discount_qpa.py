# Copyright 2026 sales_cycle_process contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class SaleOrderDiscount(models.TransientModel):
    _inherit = "sale.order.discount"

    def action_apply_discount(self):
        # the new lines or discounts send an approved QPA back (see sale.order.line); an RPC
        # client gets a value XML-RPC can carry
        res = super().action_apply_discount()
        return True if res is None else res
