from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError


class CrmLeadStageForceWizard(models.TransientModel):
    """A sales manager moves a deal up although entry criteria are not met, with a reason for the chatter."""

    _name = "scp.stage.force.wizard"
    _description = "Force Deal Stage"

    lead_id = fields.Many2one("crm.lead", string="Deal", required=True, ondelete="cascade")
    stage_id = fields.Many2one(
        "crm.stage",
        string="Move To",
        required=True,
        domain="['|', ('team_id', '=', False), ('team_id', '=', team_id)]",
    )
    team_id = fields.Many2one(related="lead_id.team_id")
    missing = fields.Text(compute="_compute_missing", string="Missing Criteria")
    reason = fields.Text(required=True)

    @api.depends("lead_id", "stage_id")
    def _compute_missing(self):
        for wizard in self:
            names = []
            if wizard.lead_id and wizard.stage_id:
                names = wizard.lead_id._ladder_missing_for_move(wizard.stage_id).get(wizard.lead_id, [])
            wizard.missing = "\n".join(names)

    def action_apply(self):
        self.ensure_one()
        if not self.env.user.has_group("sales_team.group_sale_manager"):
            raise AccessError(
                self.env._("Only a sales manager can move a deal up without its entry criteria.")
            )
        if not (self.reason or "").strip():
            raise UserError(
                self.env._("Give the reason why the deal may move up without its entry criteria.")
            )
        # checked on the server, then a private method (RPC cannot call it) moves the deal
        self.lead_id._ladder_force_stage(self.stage_id, self.reason.strip())
        return {"type": "ir.actions.act_window_close"}
