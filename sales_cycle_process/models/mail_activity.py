import logging

from odoo import api, fields, models

_logger = logging.getLogger(__name__)


class MailActivity(models.Model):
    """The playbook's one extension of activities.

    - Planning (shared by every part): ``_scp_activity_vals`` and ``_scp_create_activities``.
    - Checks and completion: dispatched here to the part that owns the activity; each part's reaction
      lives in its own file (the ladder's engineering review on ``crm.lead``, the cadence's contacts on
      ``scp.cadence.state``).
    """

    _inherit = "mail.activity"

    # Set only by the cadence planning (as superuser): a client never links an activity to a cadence.
    cadence_state_id = fields.Many2one(
        "scp.cadence.state", ondelete="set null", index="btree_not_null", copy=False
    )

    # --- planning activities, shared by the parts ------------------------------------------------
    @api.model
    def _scp_activity_vals(self, record, activity_type, user, summary, deadline, **extra):
        """The values of an activity of ``activity_type`` for ``user`` on ``record``, due on ``deadline``;
        ``extra`` adds other fields (``note``, ...)."""
        record.ensure_one()
        return {
            "res_model_id": self.env["ir.model"]._get_id(record._name),
            "res_id": record.id,
            "activity_type_id": activity_type.id,
            "user_id": user.id,
            "summary": summary,
            "date_deadline": deadline,
            **extra,
        }

    @api.model
    def _scp_create_activities(self, vals_list, notify=False, skip_open=(), on_error=None):
        """Create the activities of ``vals_list`` as superuser, in one batch.

        :param notify: whether the assigned users get Odoo's "assigned to you" notification
        :param skip_open: field names, e.g. ``("res_model_id", "res_id", "activity_type_id", "user_id")``:
            an activity whose values for these fields match an open activity's is not created again
            (idempotent crons); dates as ``date`` objects
        :param on_error: for crons: called with ``(vals, error)`` for each activity that cannot be
            created; the batch is then retried one by one and the broken ones are left out. Without it,
            the error is raised (an interactive flow stops).
        :returns: the created activities
        """
        Activity = self.sudo()
        if not notify:
            Activity = Activity.with_context(mail_activity_quick_update=True)
        if skip_open and vals_list:
            vals_list = Activity._scp_without_open(vals_list, skip_open)
        if not vals_list:
            return Activity.browse()
        if on_error is None:
            return Activity.create(vals_list)
        try:  # one batch for everybody ...
            with self.env.cr.savepoint():
                return Activity.create(vals_list)
        except Exception:
            _logger.warning("A batch of %s activities failed: retrying one by one", len(vals_list))
        activities = Activity.browse()  # ... or, if one of them is broken, the others one by one
        for vals in vals_list:
            try:
                with self.env.cr.savepoint():
                    activities |= Activity.create([vals])
            except Exception as error:  # one broken record must not stop the others
                on_error(vals, error)
        return activities

    @api.model
    def _scp_without_open(self, vals_list, keys):
        """The values of ``vals_list`` that no open activity matches on ``keys``."""
        domain = [(key, "in", list({vals[key] for vals in vals_list})) for key in keys]
        existing = {
            tuple(
                activity[key].id if isinstance(activity[key], models.BaseModel) else activity[key]
                for key in keys
            )
            for activity in self.search(domain)
        }
        return [vals for vals in vals_list if tuple(vals[key] for key in keys) not in existing]

    # --- checks and completion, dispatched to the parts ------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and (
            self.env.context.get("default_cadence_state_id")
            or any(vals.get("cadence_state_id") for vals in vals_list)
        ):
            self.env["scp.cadence.state"]._cadence_refuse_activity_link()
        activities = super().create(vals_list)
        if not self.env.su:
            self.env["crm.lead"]._ladder_check_review_assignees(activities)
            # flowchart (#18, items 1-3): AE calls and visits are the sales manager's to request
            self.env["crm.lead"]._respond_check_ae_requests(activities)
        return activities

    def write(self, vals):
        if not self.env.su and "cadence_state_id" in vals:
            self.env["scp.cadence.state"]._cadence_refuse_activity_link()
        res = super().write(vals)
        # reassigning (not moving: merging deals moves their activities) is checked
        if not self.env.su and {"user_id", "activity_type_id"} & set(vals):
            self.env["crm.lead"]._ladder_check_review_assignees(self)
            # flowchart (#18, items 1-3): AE calls and visits are the sales manager's to request
            self.env["crm.lead"]._respond_check_ae_requests(self)
        return res

    def _action_done(self, feedback=False, attachment_ids=None):
        # before Odoo posts the feedback and removes the activities: each part reads its own ones
        self.env["crm.lead"]._ladder_engineering_reviews_done(self, feedback)
        self.env["scp.cadence.state"]._cadence_activities_done(self, feedback)
        self.env["scp.action.plan.item"]._action_plan_activities_done(self)
        # flowchart (#18, items 1-3): the AE's report, the technical proposal's document
        self.env["crm.lead"]._respond_activities_done(self, feedback, attachment_ids)
        return super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
