# Copyright 2026 sales_cycle_process contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from .sale_order_qpa_approval import QPA_STATES

# the state of an opportunity's QPAs is its worst open quotation's
QPA_STATE_RANK = ["rejected", "to_submit", "pending", "approved", "not_needed"]


class CrmLead(models.Model):
    _inherit = "crm.lead"  # pylint: disable=consider-merging-classes-inherited

    qpa_approved = fields.Boolean(
        string="QPA Approved",
        compute="_compute_qpa_approved",
        help="No open quotation of this opportunity waits for, or was refused, a quote price approval.",
    )
    qpa_state = fields.Selection(
        QPA_STATES,
        string="QPA Status",
        compute="_compute_qpa_approved",
        help="The quote price approval status of the open quotations that most needs attention.",
    )
    qpa_order_count = fields.Integer(
        string="QPAs",
        compute="_compute_qpa_approved",
        help="Quotations of this opportunity that need a quote price approval.",
    )

    @api.depends("order_ids.qpa_state", "order_ids.state")
    def _compute_qpa_approved(self):
        # from the quotations the form reads anyway: no query of its own
        for lead in self:
            with_qpa = lead.order_ids.filtered(lambda o: o.qpa_state and o.qpa_state != "not_needed")
            states = set(with_qpa.filtered(lambda o: o.state in ("draft", "sent")).mapped("qpa_state"))
            lead.qpa_state = next((state for state in QPA_STATE_RANK if state in states), False)
            lead.qpa_approved = not states & {"to_submit", "pending", "rejected"}
            lead.qpa_order_count = len(with_qpa)

    # --- what the QPA part answers for the other parts --------------------------------------------
    @api.model
    def _qpa_discount_approved_depends(self):
        """The fields ``_qpa_discount_approved`` reads, for a computed field that depends on it."""
        return ["order_ids.state", "order_ids.qpa_state"]

    def _qpa_discount_approved(self):
        """Whether the deal's special discount is approved (the commit checklist asks): a quote price
        approval of its quotations was approved and none waits for one or was refused; a deal whose
        quotations need no QPA asks no special discount and counts as approved; a deal without a
        quotation does not. Its quotations are read in sudo: the salesperson may not read a colleague's
        quotation of their deal."""
        self.ensure_one()
        orders = self.sudo().order_ids.filtered(lambda order: order.state != "cancel")
        asked = set(orders.mapped("qpa_state")) - {"not_needed", False}
        return bool(orders) and asked <= {"approved"}

    def action_view_qpa_orders(self):
        """The opportunity's quotations that need a QPA; each shows its QPA log in its QPA tab."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sale.action_quotations_with_onboarding")
        action["domain"] = [("opportunity_id", "=", self.id), ("qpa_state", "!=", "not_needed")]
        action["context"] = {"default_opportunity_id": self.id}
        return action
