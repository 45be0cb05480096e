from odoo import api, fields, models

CHECKLIST_FIELDS = [
    "commit_config_final",
    "commit_end_user_signed",
    "commit_integrator_signed",
    "commit_discount_approved",
    "commit_partner_ready",
]


class CrmLead(models.Model):
    """The reliability checklist of a committed deal (a deal counts as reliable commit from 90 %)."""

    _inherit = "crm.lead"  # pylint: disable=consider-merging-classes-inherited

    commit_config_final = fields.Boolean(string="Configurations Final", tracking=True)
    commit_end_user_signed = fields.Boolean(string="End-User Contract Signed", tracking=True)
    commit_integrator_signed = fields.Boolean(string="Integrator Contracts Signed", tracking=True)
    commit_discount_manual = fields.Boolean(
        string="Special Discount Approved (manual)",
        tracking=True,
        help="Tick when the special discount is approved and no quotation price approval tracks it.",
    )
    commit_discount_approved = fields.Boolean(
        string="Special Discount Approved",
        compute="_compute_commit_discount_approved",
        help="Read from the quotation price approval when there is one, otherwise from the manual tick.",
    )
    commit_partner_ready = fields.Boolean(string="Partner Ready to Order", tracking=True)
    commit_reliable = fields.Boolean(
        string="Reliable Commit",
        compute="_compute_commit_reliable",
        help="All five checklist items are true: the deal belongs in the commit.",
    )

    @api.depends(
        lambda self: ["commit_discount_manual"] + (["qpa_approved"] if "qpa_approved" in self._fields else [])
    )
    def _compute_commit_discount_approved(self):
        has_qpa = "qpa_approved" in self._fields
        for lead in self:
            lead.commit_discount_approved = lead.qpa_approved if has_qpa else lead.commit_discount_manual

    @api.depends(*CHECKLIST_FIELDS)
    def _compute_commit_reliable(self):
        for lead in self:
            lead.commit_reliable = all(lead[name] for name in CHECKLIST_FIELDS)
