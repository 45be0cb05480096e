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
    commit_discount_approved = fields.Boolean(
        string="Special Discount Approved",
        compute="_compute_commit_discount_approved",
        help="From the deal's quotations: a quote price approval (QPA) was approved and none waits for one "
        "or was refused; a deal whose quotations need no QPA asks no special discount and counts as "
        "approved. A deal without a quotation does not.",
    )
    commit_partner_ready = fields.Boolean(string="Partner Ready to Order", tracking=True)
    commit_reliable = fields.Boolean(
        string="Reliable Commit",
        compute="_compute_commit_reliable",
        help="All five checklist items are true: the deal belongs in the commit.",
    )

    @api.depends(lambda self: self._qpa_discount_approved_depends())
    def _compute_commit_discount_approved(self):
        # the QPA part answers (the deal is read by the caller: a computed field is only read on
        # readable deals)
        for lead in self:
            lead.commit_discount_approved = lead._qpa_discount_approved()

    @api.depends(*CHECKLIST_FIELDS)
    def _compute_commit_reliable(self):
        for lead in self:
            lead.commit_reliable = all(lead[name] for name in CHECKLIST_FIELDS)

    def _merge_dependences(self, opportunities):
        """A merged deal's commit lines follow the surviving deal (``self``): last week's commit and this
        week's compare the same deal. The lines keep the name, amount and owner they recorded. Where the
        same commit already holds the surviving deal, the merged deal's line keeps its values and loses its
        link when the merged deal is deleted."""
        res = super()._merge_dependences(opportunities)
        self._merge_commit_lines(opportunities)
        return res

    def _merge_commit_lines(self, opportunities):
        self.ensure_one()
        Line = self.env["scp.sales.commit.line"].sudo()
        lines = Line.search([("lead_id", "in", (self | opportunities).ids)], order="id")
        taken = set(lines.filtered(lambda line: line.lead_id == self).commit_id.ids)
        moving = Line
        for line in lines.filtered(lambda line: line.lead_id != self):
            if line.commit_id.id not in taken:
                taken.add(line.commit_id.id)
                moving |= line
        if moving:
            moving._write_system({"lead_id": self.id})
