from odoo import api, fields, models


class ScpSnapshotWizardMixin(models.AbstractModel):
    """What the commit and forecast wizards share: for whom (the caller by default, in their team), and the
    snapshot opened once submitted. The wizard only proposes: ``_submit`` of the snapshot model checks
    everything again on the server."""

    _name = "scp.snapshot.wizard.mixin"
    _description = "Commit or Forecast Wizard"
    _inherit = ["scp.salesperson.mixin"]

    user_id = fields.Many2one(default=lambda self: self.env.user, readonly=False)
    team_id = fields.Many2one(compute="_compute_team_id", readonly=False, store=True)

    @api.depends("user_id")
    def _compute_team_id(self):
        """The salesperson's team."""
        for wizard in self:
            wizard.team_id = wizard.user_id.sale_team_id

    @api.model
    def _wizard_user(self, values):
        """The salesperson a new wizard is for, from its default values: the caller unless one is given."""
        user_id = values.get("user_id") or self.env.context.get("default_user_id")
        return self.env["res.users"].browse(user_id if isinstance(user_id, int) else self.env.uid)

    @api.model
    def _open_snapshot(self, snapshot):
        """The action showing the submitted ``snapshot``."""
        return {
            "type": "ir.actions.act_window",
            "res_model": snapshot._name,
            "res_id": snapshot.id,
            "view_mode": "form",
        }
