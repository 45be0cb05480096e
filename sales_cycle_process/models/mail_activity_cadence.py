from odoo import fields, models


class MailActivity(models.Model):
    _inherit = "mail.activity"  # pylint: disable=consider-merging-classes-inherited

    cadence_state_id = fields.Many2one("scp.cadence.state", ondelete="set null", index="btree_not_null")

    def _action_done(self, feedback=False, attachment_ids=None):
        states = self.cadence_state_id.sudo()
        if states:
            self.env["scp.visit.report"].sudo()._create_from_activities(self.sudo(), feedback)
        result = super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
        if states:
            states._mark_contacted(fields.Date.context_today(self))
        return result
