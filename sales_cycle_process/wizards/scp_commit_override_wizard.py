from odoo import fields, models


class ScpCommitOverrideWizard(models.TransientModel):
    """A manager counts a deal as commit though its checklist is incomplete, with a reason (kept on the
    deal, in its chatter and in the commit lines submitted while it holds)."""

    _name = "scp.commit.override.wizard"
    _description = "Override Commit Checklist"

    lead_id = fields.Many2one("crm.lead", string="Deal", required=True, ondelete="cascade")
    commit_status = fields.Selection(related="lead_id.commit_status", compute_sudo=False)
    commit_missing = fields.Char(related="lead_id.commit_missing", compute_sudo=False)
    reason = fields.Text(required=True)

    def action_apply(self):
        self.ensure_one()
        # checked on the server (who, which deal, a reason), then the server writes the override
        self.lead_id._commit_override(self.reason)
        return {"type": "ir.actions.act_window_close"}
