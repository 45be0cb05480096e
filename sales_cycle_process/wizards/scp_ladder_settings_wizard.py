from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError


class LadderSettingsWizard(models.TransientModel):
    """The stage ladder's settings, for sales managers.

    Odoo's Settings page is for administrators only; the playbook gives the stage gate and the engineering
    referral to the sales managers. This small form reads and writes the same company fields.
    """

    _name = "scp.ladder.settings.wizard"
    _description = "Stage Ladder Settings"

    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    ladder_gate_mode = fields.Selection(
        lambda self: self.env["res.company"]._fields["ladder_gate_mode"].selection,
        string="Stage Gate",
        required=True,
    )
    engineering_review_threshold = fields.Monetary(currency_field="currency_id")
    engineering_review_user_id = fields.Many2one("res.users", string="Engineering Reviewer")

    @api.constrains("engineering_review_threshold")
    def _check_engineering_review_threshold(self):
        for wizard in self:
            if wizard.engineering_review_threshold < 0:
                raise ValidationError(self.env._("The engineering review threshold cannot be below zero."))

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        company = self.env.company
        values.update(
            ladder_gate_mode=company.ladder_gate_mode,
            engineering_review_threshold=company.engineering_review_threshold,
            engineering_review_user_id=company.engineering_review_user_id.id,
        )
        return values

    def action_save(self):
        self.ensure_one()
        if not self.env.user.has_group("sales_team.group_sale_manager"):
            raise AccessError(self.env._("Only sales managers can change the stage ladder settings."))
        # Sales managers may not write companies in general: these three fields of their current company only.
        self.env.company.sudo().write(
            {
                "ladder_gate_mode": self.ladder_gate_mode,
                "engineering_review_threshold": self.engineering_review_threshold,
                "engineering_review_user_id": self.engineering_review_user_id.id,
            }
        )
        return {"type": "ir.actions.act_window_close"}
