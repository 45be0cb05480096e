# Copyright 2026 sales_cycle_process contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The QPA's approval flow on OCA tier validation: the state, the client-write guard, the
confirmation and sending checks, who submits and decides, one hook per decision (request,
approval, rejection, restart), the log and the approvers' activities. Why a QPA is needed and
the facts it approves: sale_order_qpa_rules.py."""

from datetime import timedelta

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_datetime

from .sale_order_qpa_rules import QPA_FINGERPRINT_DEPENDS, QPA_LINE_PRICE_FIELDS, QPA_ORDER_TERM_FIELDS

QPA_STATES = [
    ("not_needed", "Not Needed"),
    ("to_submit", "To Submit"),
    ("pending", "Pending Approval"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
]

# what the server decides: no client writes them (see write and create)
QPA_PROTECTED_FIELDS = {
    "amount_untaxed_company",  # what actuals and the analysis add up (tools/money.py)
    "qpa_required",
    "qpa_needs_md",
    "qpa_state",
    "qpa_requested_discount",
    "qpa_margin",
    "qpa_margin_known",
    "qpa_amount_company",
    "qpa_approved_discount",
    "qpa_reasons",
    "qpa_levels",
    "qpa_log_ids",
    "validation_status",
    "validated",
    "rejected",
    "need_validation",
    "review_ids",
    "reviewer_ids",
    "can_review",
}
# context keys of tier validation that skip one of its checks: never honoured on sale orders (a client
# may send any context, also into the server's sudo calls; the addon itself never sets them)
QPA_UNTRUSTED_CONTEXT_KEYS = ("skip_validation_check", "skip_check_state_condition")
QPA_ACTIVITY_TYPE = "sales_cycle_process.mail_activity_type_qpa_approval"


class SaleOrder(models.Model):
    _inherit = "sale.order"

    qpa_justification = fields.Text(string="QPA Justification", tracking=True)
    qpa_competition = fields.Text(string="Competitive Situation")
    qpa_customer_budget = fields.Monetary(string="Customer Budget", currency_field="currency_id")
    qpa_state = fields.Selection(
        QPA_STATES,
        string="QPA Status",
        compute="_compute_qpa_state",
        store=True,
        tracking=True,
    )
    # the log is the sales team's: others reading the order (accounting, warehouse) do not see it
    qpa_log_ids = fields.One2many(
        "scp.qpa.log", "order_id", string="QPA Log", groups="sales_team.group_sale_salesman"
    )
    qpa_approved_discount = fields.Float(
        string="Approved Discount (%)",
        compute="_compute_qpa_approved_discount",
        compute_sudo=True,
        digits=(16, 2),
    )

    # ------------------------------------------------------------------
    # The QPA's state: approved only for the facts that were approved
    # ------------------------------------------------------------------
    @api.depends(
        "qpa_required",
        "state",
        "review_ids",
        "review_ids.status",
        "qpa_log_ids.state",
        "qpa_log_ids.fingerprint",
        *QPA_FINGERPRINT_DEPENDS,
    )
    def _compute_qpa_state(self):
        for order in self:
            statuses = set(order.sudo().review_ids.mapped("status"))
            # a confirmed or cancelled order without reviews is past the QPA
            if not order.qpa_required or (not statuses and order.state not in self._state_from):
                order.qpa_state = "not_needed"
            elif not statuses:
                order.qpa_state = "to_submit"
            elif "rejected" in statuses:
                order.qpa_state = "rejected"
            elif statuses == {"approved"}:
                # as tier validation's validation_status: every level approved, none cancelled;
                # and the approval holds only for the facts that were approved
                order.qpa_state = "approved" if order._qpa_approval_valid() else "to_submit"
            else:
                order.qpa_state = "pending"

    @api.depends("qpa_log_ids.state", "qpa_log_ids.approved_discount")
    def _compute_qpa_approved_discount(self):
        for order in self:
            approved = order.qpa_log_ids.filtered(lambda log: log.state == "approved").sorted("id")[-1:]
            order.qpa_approved_discount = approved.approved_discount

    def _qpa_last_log(self):
        self.ensure_one()
        # by id of the saved row (the form's onchange works on new records of the same rows)
        return self.sudo().qpa_log_ids.sorted(lambda log: log._origin.id or 0)[-1:]

    def _qpa_approval_valid(self):
        """The QPA is approved for the order as it is now: every review of the last submission
        approved, its log row approved, and the facts unchanged since the submission."""
        self.ensure_one()
        order = self.sudo()
        reviews = order.review_ids
        if not reviews or any(review.status != "approved" for review in reviews):
            return False
        log = order._qpa_last_log()
        return bool(
            log
            and log.state == "approved"
            and log.fingerprint
            and log.fingerprint == order._qpa_fingerprint()
        )

    # ------------------------------------------------------------------
    # Blocking: confirm, send as final
    # ------------------------------------------------------------------
    def _qpa_unapproved(self, states=None):
        """Quotations (draft or sent) that need a QPA by their facts now and have no valid approval."""
        states = states or self._state_from
        return self.filtered(
            lambda o: o.state in states and o._qpa_reason_list() and not o._qpa_approval_valid()
        )

    def _qpa_check_confirm(self, states=None):
        # the stored decision follows the facts now (tier validation reads it when the state is written)
        for name in ("qpa_required", "qpa_needs_md"):
            self.env.add_to_compute(self._fields[name], self)
        blocked = self._qpa_unapproved(states=states)
        if blocked:
            raise ValidationError(
                self.env._(
                    "%(orders)s needs an approved quote price approval (QPA) before it can be confirmed:\n"
                    "%(reasons)s",
                    orders=", ".join(blocked.mapped("name")),
                    reasons="\n".join("\n".join(order._qpa_reason_list()) for order in blocked),
                )
            )

    def _has_to_be_signed(self):
        # the portal offers neither Sign nor Pay before the QPA is approved (both confirm the order)
        return not self._qpa_unapproved() and super()._has_to_be_signed()

    def _has_to_be_paid(self):
        return not self._qpa_unapproved() and super()._has_to_be_paid()

    def action_confirm(self):
        self._qpa_check_confirm()
        return super().action_confirm()

    def _action_confirm(self):
        # reached with the orders already in state sale: decided again from their facts
        self._qpa_check_confirm(states=[*self._state_from, *self._state_to])
        return super()._action_confirm()

    def _qpa_check_can_send(self):
        # no context key (proforma...) skips it: a pro-forma is sent without marking the order sent
        blocked = self._qpa_unapproved()
        if blocked:
            raise UserError(
                self.env._(
                    "%(orders)s cannot be sent to the customer as final before its quote price approval "
                    "(QPA) is approved. Use Preview or Print to share a draft proposal.\n%(reasons)s",
                    orders=", ".join(blocked.mapped("name")),
                    reasons="\n".join("\n".join(order._qpa_reason_list()) for order in blocked),
                )
            )

    def action_quotation_send(self):
        if self.env.context.get("proforma") and self._qpa_unapproved():
            # a pro-forma of an unapproved quotation: the e-mail goes, the order stays a draft
            # (marking it sent is refused in write whatever the context says)
            action = super().action_quotation_send()
            if isinstance(action, dict) and isinstance(action.get("context"), dict):
                action["context"]["mark_so_as_sent"] = False
            return action
        self._qpa_check_can_send()
        return super().action_quotation_send()

    # ------------------------------------------------------------------
    # The client-write guard: what the server decides, a client never writes
    # ------------------------------------------------------------------
    def _qpa_check_client_vals(self, vals_list):
        """Clients never write what the server decides (QPA figures, status, reviews)."""
        if self.env.su:
            return
        # a form saving a new quotation sends its (empty) list of reviews: nothing is written then
        forged = {
            name
            for vals in vals_list
            for name in QPA_PROTECTED_FIELDS & set(vals)
            if vals[name] or self._fields[name].type not in ("one2many", "many2many")
        }
        if forged:
            raise AccessError(
                self.env._(
                    "%(fields)s of a quotation are set by the server from its QPA reviews and its facts, "
                    "not by hand.",
                    fields=", ".join(sorted(self._fields[name].string for name in forged)),
                )
            )

    def _qpa_trusted_context(self):
        """Without tier validation's check-skipping context keys (see QPA_UNTRUSTED_CONTEXT_KEYS)."""
        if not any(self.env.context.get(key) for key in QPA_UNTRUSTED_CONTEXT_KEYS):
            return self
        return self.with_context(**dict.fromkeys(QPA_UNTRUSTED_CONTEXT_KEYS, False))

    def _check_state_from_condition(self):
        return super(SaleOrder, self._qpa_trusted_context())._check_state_from_condition()

    @api.model_create_multi
    def create(self, vals_list):
        self._qpa_check_client_vals(vals_list)
        return super(SaleOrder, self._qpa_trusted_context()).create(vals_list)

    def write(self, vals):
        self._qpa_check_client_vals([vals])
        orders = self._qpa_trusted_context()
        state = vals.get("state")
        if state == "sent":
            orders.filtered(lambda o: o.state == "draft")._qpa_check_can_send()
        elif state in self._state_to:
            # every path that confirms (a client's write, server actions, ...) writes the state
            orders.filtered(lambda o: o.state in self._state_from)._qpa_check_confirm()
        watched = orders.browse()
        if (QPA_ORDER_TERM_FIELDS | {"order_line"}) & set(vals):
            watched = orders.filtered(lambda o: o.state in self._state_from and o.sudo().review_ids)
        res = super(SaleOrder, orders).write(vals)
        watched._qpa_restart_after_price_change()
        return res

    def _get_under_validation_exceptions(self):
        # terms and lines stay editable: changing them resets the QPA (see write); an approved
        # quotation may be marked as sent (confirming still needs the validation, see action_confirm)
        return [*super()._get_under_validation_exceptions(), *QPA_ORDER_TERM_FIELDS, "order_line", "state"]

    def _get_all_validation_exceptions(self):
        return [*super()._get_all_validation_exceptions(), *QPA_ORDER_TERM_FIELDS, "order_line"]

    def _qpa_restart_after_price_change(self):
        """A change of the approved facts (prices, discounts, quantities, packaging, customer,
        terms...) sends the QPA back to approval: the facts no longer match the submitted ones."""
        orders = self.filtered(lambda o: o.state in self._state_from).sudo().filtered("review_ids")
        changed = orders.filtered(lambda o: o._qpa_last_log().fingerprint != o._qpa_fingerprint())
        if changed:
            changed.restart_validation()

    # ------------------------------------------------------------------
    # Who submits, decides and restarts (nobody decides on their own QPA: tier.review._qpa_owners),
    # and one hook per decision: request_validation (submission), _qpa_on_decision (approval,
    # rejection), restart_validation (restart by hand, or a change of the approved facts)
    # ------------------------------------------------------------------
    # an RPC client gets True; Python callers (tier validation itself) get the created reviews
    @api.returns("tier.review", lambda value: True)
    def request_validation(self):
        """The one hook of a submission: checks who submits, creates the reviews in sudo (OCA posts
        the chatter note), files the log row and gives the first level's approvers their activity."""
        qpa_orders = self.filtered("qpa_required")
        qpa_orders._qpa_check_can_submit()
        # the caller's right was checked: the server creates the reviews (clients cannot, see
        # tier.review create); requested_by stays the caller
        reviews = super(SaleOrder, self.sudo()).request_validation()
        # the first level waits for its approvers now ("pending"): tier validation does it only when the
        # submitter can review, and its comment wizard keeps the comment of a pending level only
        reviews._compute_can_review()
        reviews = reviews.with_env(self.env)
        unset = qpa_orders.filtered(lambda o: o.state in self._state_from and not o.sudo().review_ids)
        if unset:
            raise UserError(
                self.env._(
                    "No QPA approval level applies to %(orders)s of %(companies)s: an administrator adds "
                    "the QPA tier definitions of that company (Settings > Technical > Tier Definitions).",
                    orders=", ".join(unset.mapped("name")),
                    companies=", ".join(unset.company_id.mapped("name")),
                )
            )
        # one review per level: an order with two levels appears twice in res_id
        submitted_ids = set(reviews.mapped("res_id"))
        submitted = self.filtered(lambda o: o.id in submitted_ids and o.qpa_required)
        if submitted:
            submitted._qpa_log_submission()
            submitted._qpa_sync_activities()
        return reviews

    def _qpa_check_can_submit(self):
        """The salesperson submits their QPA, a sales admin any (on the salesperson's behalf), with
        write access and a justification."""
        if self and not self.env.su:
            self.check_access("write")
            user = self.env.user
            if not user.has_group("sales_cycle_process.group_sales_admin"):
                foreign = self.filtered(lambda o: o.user_id != user)
                if foreign:
                    raise UserError(
                        self.env._(
                            "Only the salesperson of %(orders)s, or a sales admin on their behalf, "
                            "can submit its QPA.",
                            orders=", ".join(foreign.mapped("name")),
                        )
                    )
        missing = self.filtered(lambda o: not (o.qpa_justification or "").strip())
        if missing:
            raise UserError(
                self.env._(
                    "Write the QPA justification of %(orders)s before submitting it.",
                    orders=", ".join(missing.mapped("name")),
                )
            )

    def _qpa_is_own(self, user):
        """The user is an owner of the QPA and never decides on it (the rule: tier.review._qpa_owners)."""
        self.ensure_one()
        return user in self.sudo().review_ids._qpa_owners()

    def _qpa_check_can_decide(self):
        self.ensure_one()
        if not self.review_ids:
            return
        if self._qpa_is_own(self.env.user):
            raise UserError(self.env._("Nobody can approve or reject their own QPA."))
        if not self._get_sequences_to_approve(self.env.user):
            raise UserError(
                self.env._(
                    "You cannot decide on this QPA: it waits for another approver. %(next)s",
                    next=self.next_review or "",
                )
            )

    def _qpa_check_decision(self, tiers):
        """Every path to a decision (buttons, comment wizard, tier validation's own calls): the reviews
        are this quotation's and the deciding user does not own it. Returns the reviews in the caller's
        environment (reviews handed over in sudo would skip the review guard)."""
        self.ensure_one()
        if tiers:
            tiers = tiers.with_env(self.env)
            if tiers.filtered(lambda r: (r.model, r.res_id) != (self._name, self.id)):
                raise UserError(self.env._("These QPA levels belong to another quotation."))
        reviews = tiers or self.review_ids
        if (
            self.env.uid != SUPERUSER_ID
            and reviews.filtered(lambda r: r.status in ("waiting", "pending"))
            and self._qpa_is_own(self.env.user)
        ):
            raise UserError(self.env._("Nobody can approve or reject their own QPA."))
        return tiers

    def validate_tier(self):
        self.ensure_one()
        self._qpa_check_can_decide()
        # the comment wizard's action, or True for an RPC client (tier validation returns None)
        return super().validate_tier() or True

    def reject_tier(self):
        self.ensure_one()
        self._qpa_check_can_decide()
        return super().reject_tier() or True

    # the decision itself is handled in _qpa_on_decision, called by tier.review.write
    def _validate_tier(self, tiers=False):
        return super()._validate_tier(tiers=self._qpa_check_decision(tiers))

    def _rejected_tier(self, tiers=False):
        return super()._rejected_tier(tiers=self._qpa_check_decision(tiers))

    def _qpa_on_decision(self, status):
        """The one hook of an approval or a rejection (``status``), whatever path decided: Validate or
        Reject and the comment wizard (tier validation's ``_validate_tier``/``_rejected_tier``) or an
        approver writing the review. Called by ``tier.review.write`` once the decision is written:
        files the log row and posts the chatter note when every level is decided
        (``_qpa_log_decisions``; tier validation's own note is posted only for a level approved
        before the next one, see docs/qpa.md), and moves the approvers' activities (the decider's own is
        marked done)."""
        self._qpa_log_decisions()
        decision = self.env._("QPA approved") if status == "approved" else self.env._("QPA rejected")
        self._qpa_sync_activities(decision=decision)

    # tier validation notes a decision to the next level's approvers; the decision that completes the
    # QPA has the QPA's own note (_qpa_log_decisions: outcome, who, comment, notifying the salesperson
    # and the submitter), so that the chatter shows one note per decision whatever the definitions say
    def _notify_accepted_reviews(self):
        if self.review_ids and all(review.status == "approved" for review in self.review_ids):
            return None
        return super()._notify_accepted_reviews()

    def _notify_rejected_review(self):
        # a rejection completes the QPA: its note is the QPA's own
        return None

    def _qpa_check_can_restart(self):
        """The salesperson or submitter restarts their QPA, a sales admin any; an approved QPA only a
        sales manager (it goes back for approval by itself when the quotation changes)."""
        user = self.env.user
        self.check_access("write")
        if user.has_group("sales_team.group_sale_manager"):
            return
        if not user.has_group("sales_cycle_process.group_sales_admin"):
            foreign = self.filtered(
                lambda o: user != o.user_id and user not in o.sudo().review_ids.requested_by
            )
            if foreign:
                raise UserError(
                    self.env._(
                        "Only the salesperson of %(orders)s, a sales admin or a sales manager can restart "
                        "its QPA.",
                        orders=", ".join(foreign.mapped("name")),
                    )
                )
        approved = self.filtered(lambda o: set(o.sudo().review_ids.mapped("status")) == {"approved"})
        if approved:
            raise UserError(
                self.env._(
                    "The QPA of %(orders)s is approved: it goes back for approval by itself when the "
                    "quotation changes. Only a sales manager can restart an approved QPA.",
                    orders=", ".join(approved.mapped("name")),
                )
            )

    def _qpa_decisions_summary(self):
        """Per order, the decisions of its reviews in one line each: who decided what, when and why."""
        summary = {}
        for review in self.sudo().review_ids.filtered(lambda r: r.status in ("approved", "rejected")):
            summary.setdefault(review.res_id, []).append(
                self.env._(
                    "%(level)s: %(status)s by %(user)s on %(date)s (%(comment)s)",
                    level=review.name,
                    status=review.display_status,
                    user=review.done_by.name or "-",
                    date=format_datetime(self.env, review.reviewed_date) if review.reviewed_date else "-",
                    comment=review.comment or "-",
                )
            )
        return summary

    def restart_validation(self):
        """The one hook of a restart: by hand (Restart Validation) or because the approved facts
        changed (``_qpa_restart_after_price_change``). Checks who restarts, erases the reviews, marks
        the pending log row *Reset*, posts one chatter note with the decisions removed and removes the
        approvers' activities."""
        qpa = self.filtered(lambda o: o.state in self._state_from and o.sudo().review_ids)
        if qpa and not self.env.su:
            qpa._qpa_check_can_restart()
        open_logs = self.sudo().qpa_log_ids.filtered(lambda log: log.state == "pending")
        removed = qpa._qpa_decisions_summary()
        # QPA reviews are deleted only through this reset (see tier.review unlink)
        super(SaleOrder, self.sudo()).restart_validation()
        if open_logs:
            open_logs.write({"state": "reset", "decided_date": fields.Datetime.now()})
        # one chatter note per restart, in place of tier validation's (see _notify_restarted_review):
        # it keeps the decisions the restart removes
        for order in qpa:
            if order.id in removed:
                body = self.env._(
                    "QPA restarted by %(user)s. Decisions removed: %(decisions)s",
                    user=self.env.user.name,
                    decisions="; ".join(removed[order.id]),
                )
            else:
                body = self.env._("QPA restarted by %(user)s.", user=self.env.user.name)
            order.sudo().message_post(body=body, subtype_xmlid=self._get_restarted_notification_subtype())
        self._qpa_sync_activities()
        # an RPC client gets a value it can read (tier validation returns None)
        return True

    def _notify_restarted_review(self):
        # restart_validation posts the restart's one note (tier validation subscribed the approvers
        # to its subtype): tier validation's own "The review has been reset" would be a second one
        return None

    def _tier_validation_check_write_remove_reviews(self, vals):
        # cancelling or resetting to draft removes the reviews (see tier.review unlink)
        return super(SaleOrder, self.sudo())._tier_validation_check_write_remove_reviews(vals)

    def _check_unlink_qpa_history(self):
        filed = self.sudo().filtered("qpa_log_ids")
        if filed:
            raise UserError(
                self.env._(
                    "%(orders)s went through a quote price approval (QPA): cancel it instead of deleting "
                    "it, so that the QPA log keeps its history.",
                    orders=", ".join(filed.mapped("name")),
                )
            )

    def unlink(self):
        self.check_access("unlink")
        # checked here, not in an @api.ondelete: tier validation deletes the reviews before those run
        self._check_unlink_qpa_history()
        self.sudo().review_ids.unlink()
        return super().unlink()

    def _action_cancel(self):
        open_logs = self.sudo().qpa_log_ids.filtered(lambda log: log.state == "pending")
        res = super()._action_cancel()
        # a cancelled quotation closes its pending QPA and the approvers' to-dos
        if open_logs:
            open_logs.write({"state": "reset", "decided_date": fields.Datetime.now()})
        self._qpa_sync_activities()
        return res

    def _qpa_current_reviews(self):
        """Open reviews of the level the QPA waits for (tier validation approves by sequence); none
        once a level is rejected (tier validation then cancels the levels after it)."""
        self.ensure_one()
        open_reviews = self.review_ids.filtered(lambda r: r.status in ("waiting", "pending"))
        if "rejected" in self.review_ids.mapped("status"):
            return open_reviews.browse()
        if not open_reviews:
            return open_reviews
        first = min(open_reviews.mapped("sequence"))
        return open_reviews.filtered(lambda r: r.sequence == first)

    def _qpa_sync_activities(self, decision=None):
        """Each approver of the level the QPA waits for has one QPA activity; others have none.

        ``decision``: the current user just approved or rejected; their own QPA to-do is marked done
        with that feedback (it stays in the chatter) instead of being removed.
        """
        activity_type = self.env.ref(QPA_ACTIVITY_TYPE)
        md_group = self.env.ref("sales_cycle_process.group_managing_director")
        Activity = self.env["mail.activity"].sudo()
        existing = Activity.search(
            [
                ("res_model", "=", self._name),
                ("res_id", "in", self.ids),
                ("activity_type_id", "=", activity_type.id),
            ]
        )
        to_create, to_remove = [], Activity
        today = fields.Date.context_today(self)
        for order in self:
            approvers = self.env["res.users"]
            if order.state in self._state_from:
                current = order._qpa_current_reviews()
                approvers = current._qpa_approvers()
                # managing directors are sales managers too: below their level, they get a to-do
                # only when the reminder escalates to them
                if md_group not in current.reviewer_group_id and approvers - md_group.users:
                    approvers -= md_group.users
            mine = existing.filtered(lambda a, o=order: a.res_id == o.id)
            to_remove |= mine.filtered(lambda a, u=approvers: a.user_id not in u)
            days = (order.company_id or self.env.company).qpa_reminder_days
            to_create += [
                Activity._scp_activity_vals(
                    order,
                    activity_type,
                    user,
                    self.env._("Approve or reject the QPA"),
                    today + timedelta(days=days),
                    note=order.qpa_reasons,
                )
                for user in approvers - mine.mapped("user_id")
            ]
        if decision:
            done = to_remove.filtered(lambda a: a.user_id == self.env.user)
            if done:
                done.action_feedback(feedback=decision)
            to_remove -= done
        to_remove.unlink()
        if to_create:
            Activity._scp_create_activities(to_create, notify=True)

    # ------------------------------------------------------------------
    # QPA log and opportunity
    # ------------------------------------------------------------------
    def _qpa_log_submission(self):
        now = fields.Datetime.now()
        self.env["scp.qpa.log"].sudo().create(
            [
                {
                    "order_id": order.id,
                    "requested_by_id": self.env.user.id,
                    "requested_date": now,
                    "requested_discount": order.qpa_requested_discount,
                    "fingerprint": order._qpa_fingerprint(),
                    "amount_untaxed": order.qpa_amount_company,
                    "needs_md": order.qpa_needs_md,
                    "reasons": order.qpa_reasons,
                    "justification": order.qpa_justification,
                }
                for order in self
            ]
        )
        for order in self.filtered("opportunity_id"):
            order.opportunity_id.sudo().message_post(
                body=self.env._(
                    "QPA requested on %(order)s by %(user)s.", order=order.name, user=self.env.user.name
                ),
                subtype_xmlid="mail.mt_note",
            )

    def _qpa_log_decisions(self):
        """File the outcome of pending QPAs whose reviews are all decided."""
        logs = self.sudo().qpa_log_ids.filtered(lambda log: log.state == "pending")
        for log in logs:
            order = log.order_id
            reviews = order.review_ids
            rejected = reviews.filtered(lambda r: r.status == "rejected")[:1]
            if rejected:
                vals = {
                    "state": "rejected",
                    "approver_id": rejected.done_by.id,
                    "decided_date": rejected.reviewed_date or fields.Datetime.now(),
                    "comment": rejected.comment,
                }
                message = self.env._(
                    "QPA on %(order)s rejected by %(user)s: %(comment)s",
                    order=order.name,
                    user=rejected.done_by.name,
                    comment=rejected.comment or "-",
                )
            elif reviews and all(r.status == "approved" for r in reviews):
                last = reviews.sorted(lambda r: (r.reviewed_date or fields.Datetime.now(), r.sequence))[-1]
                vals = {
                    "state": "approved",
                    "approved_discount": order.qpa_requested_discount,
                    "approver_id": last.done_by.id,
                    "decided_date": last.reviewed_date or fields.Datetime.now(),
                    "comment": last.comment,
                }
                message = self.env._(
                    "QPA on %(order)s approved by %(user)s: %(comment)s",
                    order=order.name,
                    user=last.done_by.name,
                    comment=last.comment or "-",
                )
            else:
                continue
            log.write(vals)
            # an internal note that notifies the salesperson and whoever submitted
            order.sudo().message_post(
                body=message,
                subtype_xmlid="mail.mt_note",
                partner_ids=(order.user_id | log.requested_by_id).partner_id.ids,
            )
            if order.opportunity_id:
                order.opportunity_id.sudo().message_post(body=message, subtype_xmlid="mail.mt_note")


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"  # pylint: disable=consider-merging-classes-inherited

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        # sections and notes carry no price: adding one keeps the QPA
        lines.filtered(lambda line: not line.display_type).order_id._qpa_restart_after_price_change()
        return lines

    def write(self, vals):
        if not QPA_LINE_PRICE_FIELDS & set(vals):
            return super().write(vals)
        orders = self.order_id
        res = super().write(vals)
        # a restart only when the approved facts changed (see _qpa_restart_after_price_change)
        (orders | self.order_id)._qpa_restart_after_price_change()
        return res

    def unlink(self):
        orders = self.filtered(lambda line: not line.display_type).order_id
        res = super().unlink()
        orders.exists()._qpa_restart_after_price_change()
        return res
