# Copyright 2026 sales_cycle_process contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Other paths to a sale order's confirmation and prices, closed for the QPA."""

from odoo import models


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    def _check_amount_and_confirm_order(self):
        """A payment (portal, payment link) confirms a quotation only when its QPA allows it: the
        payment is kept, the order stays a quotation until the QPA is approved."""
        held = self.browse()
        for tx in self:
            quotation = tx.sale_order_ids.filtered(lambda so: so.state in ("draft", "sent"))
            if len(tx.sale_order_ids) == 1 and quotation and quotation._qpa_unapproved():
                held |= tx
                quotation.sudo().message_post(
                    body=self.env._(
                        "Payment %(reference)s received, but %(order)s stays a quotation: its quote price "
                        "approval (QPA) is not approved. Confirm it once the QPA is approved.",
                        reference=tx.reference,
                        order=quotation.name,
                    ),
                    subtype_xmlid="mail.mt_note",
                    partner_ids=quotation.user_id.partner_id.ids,
                )
        return super(PaymentTransaction, self - held)._check_amount_and_confirm_order()
