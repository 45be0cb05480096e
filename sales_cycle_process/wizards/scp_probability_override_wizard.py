from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError


class CrmLeadProbabilityOverrideWizard(models.TransientModel):
    """A sales manager sets a deal's probability by hand, with a reason for the chatter."""

    _name = "scp.probability.override.wizard"
    _description = "Override Deal Probability"

    lead_id = fields.Many2one("crm.lead", string="Deal", required=True, ondelete="cascade")
    stage_probability = fields.Float(related="lead_id.stage_id.probability", string="Stage Probability")
    probability = fields.Float(string="New Probability (%)", required=True)
    reason = fields.Text(required=True)

    @api.constrains("probability")
    def _check_probability(self):
        for wizard in self:
            if not 0 <= wizard.probability <= 100:
                raise ValidationError(self.env._("The probability must be between 0 % and 100 %."))

    def action_apply(self):
        self.ensure_one()
        if not self.env.user.has_group("sales_team.group_sale_manager"):
            raise AccessError(self.env._("Only a sales manager can override a deal's probability."))
        if not (self.reason or "").strip():
            raise UserError(
                self.env._("Give the reason why this deal's probability differs from its stage's.")
            )
        # checked on the server, then a private method (RPC cannot call it) sets the probability
        self.lead_id._ladder_override_probability(self.probability, self.reason.strip())
        return {"type": "ir.actions.act_window_close"}
