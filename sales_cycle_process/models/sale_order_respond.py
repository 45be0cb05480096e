from odoo import api, models


class SaleOrder(models.Model):
    """The quotation's side of the flowchart's "Proposal and quote" box: the opportunity's technical
    proposal is carried onto its quotations, and sending a quotation completes the sales admin's quote
    activity on the opportunity (``models/crm_lead_respond.py``)."""

    _inherit = "sale.order"

    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        orders._respond_carry_proposals()
        return orders

    def write(self, vals):
        to_send = self.filtered(lambda order: order.state == "draft") if vals.get("state") == "sent" else None
        res = super().write(vals)
        if to_send and to_send.opportunity_id:
            # the server completes the quote activity only of the deals the user may edit
            leads = (
                to_send.opportunity_id if self.env.su else to_send.opportunity_id._filtered_access("write")
            )
            leads._respond_quotes_transmitted(to_send.filtered(lambda order: order.opportunity_id in leads))
        return res

    def _respond_carry_proposals(self, attachments=None):
        """Copy the technical proposal of each quotation's opportunity (or only ``attachments``) onto
        the quotation, once: a document already there (same name and content) is not copied again.
        As superuser, after the user created the quotation or attached the proposal to the opportunity:
        the copies belong to the quotations (the sales admin sends them with the quote)."""
        orders = self.filtered(
            lambda order: order.state in ("draft", "sent")
            and order.opportunity_id.respond_proposal_attachment_ids
        )
        if not orders:
            return
        Attachment = self.env["ir.attachment"].sudo()
        existing = {
            (attachment.res_id, attachment.name, attachment.checksum)
            for attachment in Attachment.search(
                [("res_model", "=", "sale.order"), ("res_id", "in", orders.ids)]
            )
        }
        vals_list = []
        for order in orders:
            proposals = attachments or order.opportunity_id.respond_proposal_attachment_ids
            for proposal in proposals.sudo():
                key = (order.id, proposal.name, proposal.checksum)
                if key in existing:
                    continue
                existing.add(key)
                vals_list.append(
                    {
                        "name": proposal.name,
                        "raw": proposal.raw,
                        "mimetype": proposal.mimetype,
                        "res_model": "sale.order",
                        "res_id": order.id,
                        "description": self.env._("Technical proposal"),
                    }
                )
        if vals_list:
            Attachment.create(vals_list)
