import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError

_logger = logging.getLogger(__name__)


class MailActivity(models.Model):
    _inherit = "mail.activity"  # pylint: disable=consider-merging-classes-inherited

    # Set only by the cadence planning (as superuser): a client never links an activity to a cadence.
    cadence_state_id = fields.Many2one(
        "scp.cadence.state", ondelete="set null", index="btree_not_null", copy=False
    )

    def _cadence_check_link(self):
        if not self.env.su:
            raise AccessError(
                self.env._(
                    "Cadence activities are planned by the cadence rules: an activity cannot be "
                    "linked to a cadence by hand."
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        if self.env.context.get("default_cadence_state_id") or any(
            vals.get("cadence_state_id") for vals in vals_list
        ):
            self._cadence_check_link()
        return super().create(vals_list)

    def write(self, vals):
        if "cadence_state_id" in vals:
            self._cadence_check_link()
        return super().write(vals)

    def _cadence_counted(self):
        """The activities whose completion counts as a contact for their cadence: planned on the
        cadence's partner, and done by the cadence's responsible user on their own activity, by a sales
        manager or by the server."""
        done_by = self.env.user
        privileged = self.env.su or done_by.has_group("sales_team.group_sale_manager")
        counted = self.browse()
        for activity in self.sudo().filtered("cadence_state_id"):
            state = activity.cadence_state_id
            on_partner = activity.res_model == "res.partner" and activity.res_id == state.partner_id.id
            by_owner = activity.user_id == state.user_id == done_by
            if on_partner and (privileged or by_owner):
                counted |= activity
            else:
                _logger.info(
                    "Activity %s done by user %s does not count for cadence %s (partner %s, user %s)",
                    activity.id,
                    done_by.id,
                    state.id,
                    state.partner_id.id,
                    state.user_id.id,
                )
        return counted

    def _action_done(self, feedback=False, attachment_ids=None):
        counted = self._cadence_counted()
        states = counted.cadence_state_id
        if counted:
            self.env["scp.visit.report"].sudo()._create_from_activities(counted, feedback)
        result = super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
        if states:
            states._mark_contacted(fields.Date.context_today(self))
        return result
