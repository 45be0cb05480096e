# Copyright 2026 sales_cycle_process contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from .sale_order_qpa import QPA_STATES

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
    qpa_log_count = fields.Integer(string="QPAs", compute="_compute_qpa_log_count")

    @api.depends("order_ids.qpa_state", "order_ids.state")
    def _compute_qpa_approved(self):
        for lead in self:
            states = set(lead.order_ids.filtered(lambda o: o.state in ("draft", "sent")).mapped("qpa_state"))
            lead.qpa_state = next((state for state in QPA_STATE_RANK if state in states), False)
            lead.qpa_approved = not states & {"to_submit", "pending", "rejected"}

    def _compute_qpa_log_count(self):
        counts = dict(
            self.env["scp.qpa.log"]._read_group(
                [("opportunity_id", "in", self.ids)], ["opportunity_id"], ["__count"]
            )
        )
        for lead in self:
            lead.qpa_log_count = counts.get(lead, 0)

    def action_view_qpa_log(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sales_cycle_process.action_qpa_log")
        action["domain"] = [("opportunity_id", "=", self.id)]
        action["context"] = {}
        return action
