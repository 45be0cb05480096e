# Copyright 2026 sales_cycle_process contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .cron_guard import single_run

_logger = logging.getLogger(__name__)

MD_GROUP = "sales_cycle_process.group_managing_director"
MANAGER_GROUP = "sales_team.group_sale_manager"
# what tier validation itself creates and writes on a QPA review as the acting user (no sudo)
QPA_REVIEW_CREATE_FIELDS = {"model", "res_id", "definition_id", "requested_by", "sequence", "status"}
QPA_REVIEW_WRITE_FIELDS = {
    "status",
    "done_by",
    "reviewed_date",
    "comment",
    "can_review",
    "qpa_escalated",
    "last_reminder_date",
}


class TierReview(models.Model):
    _inherit = "tier.review"

    qpa_escalated = fields.Boolean(
        string="QPA Escalated",
        copy=False,
        help="The waiting approval was already reminded and escalated.",
    )

    # ------------------------------------------------------------------
    # Reviewers: nobody approves their own QPA; an archived approver falls to their group
    # ------------------------------------------------------------------
    @api.model
    def _get_reviewer_fields(self):
        return [*super()._get_reviewer_fields(), "reviewer_id.active", "requested_by"]

    def _qpa_fallback_group(self, user):
        """The approving group of a reviewer who left: managing directors or sales managers."""
        md_group = self.env.ref(MD_GROUP)
        return md_group if md_group in user.groups_id else self.env.ref(MANAGER_GROUP)

    def _get_reviewers(self):
        reviewers = super()._get_reviewers()
        if self.model != "sale.order":
            return reviewers
        if self.reviewer_id and not self.reviewer_id.active:
            reviewers |= self._qpa_fallback_group(self.reviewer_id).users
        order = self.env["sale.order"].browse(self.res_id).exists()
        return reviewers.filtered("active") - order.user_id - self.requested_by

    # ------------------------------------------------------------------
    # Decisions go to the QPA log
    # ------------------------------------------------------------------
    # ------------------------------------------------------------------
    # Guard: every internal user may create/write/unlink tier.review (OCA's access rows), so a
    # QPA review changes only the way tier validation changes it
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                if vals.get("model") != "sale.order":
                    continue
                if (
                    set(vals) - QPA_REVIEW_CREATE_FIELDS
                    or vals.get("status", "waiting") != "waiting"
                    or vals.get("requested_by", self.env.uid) != self.env.uid
                ):
                    raise AccessError(
                        self.env._("A QPA review is created only by submitting the quotation for approval.")
                    )
        return super().create(vals_list)

    def _qpa_check_write(self, vals):
        qpa = self.filtered(lambda r: r.model == "sale.order")
        if not qpa or self.env.su:
            return
        if set(vals) - QPA_REVIEW_WRITE_FIELDS:
            raise AccessError(self.env._("The approvers and levels of a QPA cannot be changed by hand."))
        if "done_by" in vals and vals["done_by"] != self.env.uid:
            raise AccessError(self.env._("A QPA decision is always recorded in the name of who takes it."))
        status = vals.get("status")
        if not status:
            return
        if qpa.filtered(lambda r: r.status not in ("waiting", "pending")):
            raise AccessError(self.env._("A decided QPA level cannot be changed: restart the approval."))
        if status in ("approved", "rejected"):
            if vals.get("done_by") != self.env.uid:
                raise AccessError(
                    self.env._("A QPA decision is always recorded in the name of who takes it.")
                )
            if qpa.filtered(lambda r: self.env.user not in r.reviewer_ids):
                raise AccessError(self.env._("Only an approver of this QPA level can approve or reject it."))
        elif status == "cancel":
            # tier validation cancels the waiting levels only after a rejection
            rejected = (
                self.sudo()
                .search(
                    [
                        ("model", "=", "sale.order"),
                        ("res_id", "in", qpa.mapped("res_id")),
                        ("status", "=", "rejected"),
                    ]
                )
                .mapped("res_id")
            )
            if qpa.filtered(lambda r: r.res_id not in rejected):
                raise AccessError(self.env._("A QPA level cannot be cancelled by hand."))

    def write(self, vals):
        self._qpa_check_write(vals)
        res = super().write(vals)
        if vals.get("status") in ("approved", "rejected"):
            orders = self.env["sale.order"].browse(
                {review.res_id for review in self if review.model == "sale.order"}
            )
            orders.exists()._qpa_log_decisions()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_qpa_review(self):
        if not self.env.su and self.filtered(lambda r: r.model == "sale.order"):
            raise UserError(
                self.env._("A QPA review cannot be deleted: restart the approval of the quotation instead.")
            )

    # ------------------------------------------------------------------
    # Reminder and escalation
    # ------------------------------------------------------------------
    def _qpa_waiting_since(self, order):
        """A level waits from its request or from the approval of the level before it."""
        self.ensure_one()
        decided = order.review_ids.filtered(lambda r: r.status == "approved" and r.reviewed_date)
        return max([self.create_date, *decided.mapped("reviewed_date")])

    def _qpa_escalation_group(self, order, definitions):
        """The next level's group; at the top level (or without one), the managing directors.

        ``definitions``: the sale order tier definitions with a reviewer group, read once per run.
        """
        self.ensure_one()
        sequence = self.definition_id.sequence
        next_definition = definitions.filtered(
            lambda d: d.company_id in (order.company_id, d.company_id.browse()) and d.sequence < sequence
        ).sorted("sequence", reverse=True)[:1]
        return next_definition.reviewer_group_id or self.env.ref(MD_GROUP)

    @api.model
    @single_run("sales_cycle_process.qpa_reminder")
    def _cron_qpa_reminder(self):
        """Remind and escalate QPA reviews waiting longer than the set days, once per level."""
        now = fields.Datetime.now()
        reviews = self.search(
            [
                ("model", "=", "sale.order"),
                ("status", "in", ("waiting", "pending")),
                ("qpa_escalated", "=", False),
            ]
        )
        orders = self.env["sale.order"].browse(set(reviews.mapped("res_id"))).exists()
        orders = orders.filtered(lambda o: o.qpa_required and o.state in ("draft", "sent"))
        activity_type = self.env.ref("sales_cycle_process.mail_act_qpa_approval")
        Activity = self.env["mail.activity"]
        existing = Activity.search(
            [
                ("res_model", "=", "sale.order"),
                ("res_id", "in", orders.ids),
                ("activity_type_id", "=", activity_type.id),
            ]
        )
        model_id = self.env["ir.model"]._get_id("sale.order")
        definitions = self.env["tier.definition"].search(
            [("model", "=", "sale.order"), ("reviewer_group_id", "!=", False)]
        )
        for order in orders:
            for review in order._qpa_current_reviews() & reviews:
                days = order.company_id.qpa_reminder_days
                if review._qpa_waiting_since(order) > now - timedelta(days=days):
                    continue
                try:
                    with self.env.cr.savepoint():
                        group = review._qpa_escalation_group(order, definitions)
                        users = (review.reviewer_ids | group.users).filtered(
                            lambda u, o=order, r=review: u.active and u != o.user_id and u != r.requested_by
                        )
                        have = existing.filtered(lambda a, o=order: a.res_id == o.id).mapped("user_id")
                        Activity.create(
                            [
                                {
                                    "res_model_id": model_id,
                                    "res_id": order.id,
                                    "activity_type_id": activity_type.id,
                                    "user_id": user.id,
                                    "date_deadline": fields.Date.context_today(self),
                                    "summary": self.env._("QPA waiting for approval"),
                                    "note": self.env._("This QPA has waited more than %s days.", days),
                                }
                                for user in users - have
                            ]
                        )
                        order.message_post(
                            body=self.env._(
                                "QPA waiting more than %(days)s days: reminded the "
                                "approvers and escalated to %(group)s.",
                                days=days,
                                group=group.name,
                            ),
                            partner_ids=users.partner_id.ids,
                            subtype_xmlid="mail.mt_note",
                        )
                        review.qpa_escalated = True
                except Exception:  # pylint: disable=broad-except
                    _logger.warning("QPA reminder failed for %s", order.name, exc_info=True)
