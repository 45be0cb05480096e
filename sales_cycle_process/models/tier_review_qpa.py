# Copyright 2026 sales_cycle_process contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from datetime import timedelta

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools.cron import single_run

_logger = logging.getLogger(__name__)

MD_GROUP = "sales_cycle_process.group_managing_director"
MANAGER_GROUP = "sales_team.group_sale_manager"
OPEN_STATUSES = ("waiting", "pending")
# what a decision writes on a QPA review; none of it changes once the level is decided
QPA_DECISION_FIELDS = {"status", "done_by", "reviewed_date", "comment"}
# what tier validation writes on a QPA review as the acting user (no sudo): the decision and the
# stored "can review" flag it refreshes after each decision (see tier.validation._update_counter)
QPA_REVIEW_WRITE_FIELDS = QPA_DECISION_FIELDS | {"can_review"}


class TierReview(models.Model):
    _inherit = "tier.review"

    qpa_escalated = fields.Boolean(
        string="QPA Escalated",
        copy=False,
        help="The waiting approval was already reminded and escalated.",
    )
    qpa_salesperson_id = fields.Many2one(
        "res.users",
        string="Salesperson at Submission",
        readonly=True,
        copy=False,
        help="The quotation's salesperson when its QPA was submitted: they never decide on it, "
        "also after the quotation changes hands.",
    )

    # ------------------------------------------------------------------
    # Reviewers: nobody approves their own QPA; an archived approver falls to their group
    # ------------------------------------------------------------------
    @api.model
    def _get_reviewer_fields(self):
        return [*super()._get_reviewer_fields(), "reviewer_id.active", "requested_by", "qpa_salesperson_id"]

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
        return self._qpa_approvers(reviewers)

    # Who may decide on a QPA level is written here once: tier validation's reviewers
    # (``_get_reviewers``, stored in ``reviewer_ids``), the decision guards (``_qpa_check_write``,
    # ``sale.order._qpa_check_can_decide``/``_qpa_check_decision``), the approvers' activities and the
    # reminder all read ``_qpa_owners`` and ``_qpa_approvers``.
    def _qpa_owners(self):
        """Who never decides on these QPA levels: the quotation's salesperson now (read live: a
        deal may change hands after submission) and at submission, and whoever submitted it."""
        orders = self.env["sale.order"].sudo().browse({review.res_id for review in self}).exists()
        return orders.user_id | self.requested_by | self.qpa_salesperson_id

    def _qpa_approvers(self, candidates=None):
        """Who may decide on these QPA levels now: their reviewers (``candidates``, by default the
        stored ``reviewer_ids``), active, none of the owners (``_qpa_owners``)."""
        approvers = self.env["res.users"]
        for review in self:
            users = review.reviewer_ids if candidates is None else candidates
            approvers |= users.filtered("active") - review._qpa_owners()
        return approvers

    # ------------------------------------------------------------------
    # Guard: every internal user may create/write/unlink tier.review (OCA's access rows), so a
    # QPA review is created, restarted and decided only by the server
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        qpa_vals = [vals for vals in vals_list if vals.get("model") == "sale.order"]
        if qpa_vals and not self.env.su:
            raise AccessError(
                self.env._(
                    "A QPA review is created only by submitting the quotation for approval "
                    "(Request Validation)."
                )
            )
        if qpa_vals:
            # the salesperson at submission never decides, also after the quotation changes hands
            orders = self.env["sale.order"].sudo().browse({vals.get("res_id") for vals in qpa_vals})
            for vals in qpa_vals:
                if "qpa_salesperson_id" not in vals:
                    vals["qpa_salesperson_id"] = orders.browse(vals.get("res_id")).exists().user_id.id
        return super().create(vals_list)

    def _qpa_check_write(self, vals):
        if vals.get("model") == "sale.order" and not self.env.su:
            raise AccessError(
                self.env._(
                    "A QPA review is created only by submitting the quotation for approval "
                    "(Request Validation)."
                )
            )
        qpa = self.filtered(lambda r: r.model == "sale.order")
        if not qpa:
            return
        # a decided level is history: nobody rewrites who decided, when, what or why
        if QPA_DECISION_FIELDS & set(vals) and qpa.filtered(lambda r: r.status not in OPEN_STATUSES):
            raise AccessError(
                self.env._(
                    "A decided QPA level cannot be changed (decision, approver, date or comment): "
                    "restart the approval instead."
                )
            )
        status = vals.get("status")
        deciding = status in ("approved", "rejected") or {"done_by", "reviewed_date", "comment"} & set(vals)
        if not self.env.su:
            if set(vals) - QPA_REVIEW_WRITE_FIELDS:
                raise AccessError(self.env._("The approvers and levels of a QPA cannot be changed by hand."))
            if deciding:
                if vals.get("done_by", self.env.uid) != self.env.uid or (
                    status in ("approved", "rejected") and vals.get("done_by") != self.env.uid
                ):
                    raise AccessError(
                        self.env._("A QPA decision is always recorded in the name of who takes it.")
                    )
                if qpa.filtered(lambda r: self.env.user not in r._qpa_approvers()):
                    raise AccessError(
                        self.env._("Only an approver of this QPA level can approve, reject or comment on it.")
                    )
            elif status == "waiting":
                raise AccessError(self.env._("A QPA level cannot be put back to waiting by hand."))
            elif status == "cancel":
                # tier validation cancels the waiting levels only after a rejection
                if qpa.filtered(lambda r: r.res_id not in qpa._qpa_rejected_order_ids()):
                    raise AccessError(self.env._("A QPA level cannot be cancelled by hand."))
        if deciding:
            # also in sudo: whoever the decision is recorded for must not own the quotation
            user = self.env["res.users"].browse(vals.get("done_by") or self.env.uid)
            qpa._qpa_check_not_own(user)
            if status in ("approved", "rejected"):
                qpa._qpa_check_in_turn()

    def _qpa_rejected_order_ids(self):
        return set(
            self.sudo()
            .search(
                [
                    ("model", "=", "sale.order"),
                    ("res_id", "in", self.mapped("res_id")),
                    ("status", "=", "rejected"),
                ]
            )
            .mapped("res_id")
        )

    def _qpa_check_not_own(self, user):
        own = self.filtered(lambda r: user in r._qpa_owners())
        if own and user.id != SUPERUSER_ID:
            raise AccessError(
                self.env._(
                    "Nobody can approve or reject their own QPA: %(user)s is the salesperson or the "
                    "submitter of %(orders)s.",
                    user=user.name,
                    orders=", ".join(
                        self.env["sale.order"]
                        .sudo()
                        .browse(set(own.mapped("res_id")))
                        .exists()
                        .mapped("name")
                    ),
                )
            )

    def _qpa_check_in_turn(self):
        """Levels approved in sequence are decided in their turn: no open level before them."""
        ordered = self.filtered("approve_sequence")
        if not ordered:
            return
        before = self.sudo().search(
            [
                ("model", "=", "sale.order"),
                ("res_id", "in", ordered.mapped("res_id")),
                ("status", "in", OPEN_STATUSES),
                ("id", "not in", self.ids),
            ]
        )
        early = ordered.filtered(
            lambda r: before.filtered(lambda b, r=r: b.res_id == r.res_id and b.sequence < r.sequence)
        )
        if early:
            raise AccessError(self.env._("This QPA level waits for the level before it to be decided."))

    def write(self, vals):
        self._qpa_check_write(vals)
        res = super().write(vals)
        if vals.get("status") in ("approved", "rejected"):
            # every path to a decision writes it here: the quotation's one decision hook
            orders = self.env["sale.order"].browse(
                {review.res_id for review in self if review.model == "sale.order"}
            )
            orders.exists()._qpa_on_decision(vals["status"])
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
        activity_type = self.env.ref("sales_cycle_process.mail_activity_type_qpa_approval")
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
                        users = review._qpa_approvers(review.reviewer_ids | group.users)
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
