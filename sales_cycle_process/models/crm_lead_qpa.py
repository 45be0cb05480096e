# Copyright 2026 sales_cycle_process contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class CrmLead(models.Model):
    _inherit = "crm.lead"  # pylint: disable=consider-merging-classes-inherited

    qpa_approved = fields.Boolean(
        string="QPA Approved",
        compute="_compute_qpa_approved",
        help="No open quotation of this opportunity waits for, or was refused, a quote price approval.",
    )

    @api.depends("order_ids.qpa_state", "order_ids.state")
    def _compute_qpa_approved(self):
        for lead in self:
            lead.qpa_approved = not lead.order_ids.filtered(
                lambda o: o.state in ("draft", "sent") and o.qpa_state in ("to_submit", "pending", "rejected")
            )
