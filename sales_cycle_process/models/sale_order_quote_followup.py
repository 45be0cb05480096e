import logging
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError

from ..tools.cron import commit_progress, single_run

_logger = logging.getLogger(__name__)

QUOTE_FOLLOWUP_BATCH = 500
QUOTE_FOLLOWUP_LOCK = "sales_cycle_process.quote_followups"
QUOTE_FOLLOWUP_TYPE = "sales_cycle_process.mail_activity_type_quote_followup"


class SaleOrder(models.Model):
    """The flowchart's "Follow-up phone call(s) or visit by SM (or via distributor)" after the quote:
    one open follow-up per sent quotation, on the company's rhythm, until the order is won or lost."""

    _inherit = "sale.order"

    quote_sent_date = fields.Date(
        string="Quotation Sent On",
        readonly=True,
        copy=False,
        help="The day the quotation was first sent to the customer: the follow-ups count from it.",
    )

    # --- the day the quotation was sent (server only) -------------------------------------------
    def write(self, vals):
        if not self.env.su and "quote_sent_date" in vals:
            raise AccessError(
                self.env._("The day a quotation was sent is recorded when it is sent, not typed in.")
            )
        unsent = self.browse()
        if vals.get("state") == "sent":
            unsent = self.filtered(lambda o: not o.quote_sent_date)
        res = super().write(vals)
        if unsent:
            unsent.sudo().write({"quote_sent_date": fields.Date.context_today(self)})
        return res

    def _get_under_validation_exceptions(self):
        # the server records the sending of a quotation under QPA validation (clients are refused above)
        return [*super()._get_under_validation_exceptions(), "quote_sent_date"]

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any("quote_sent_date" in vals for vals in vals_list):
            raise AccessError(
                self.env._("The day a quotation was sent is recorded when it is sent, not typed in.")
            )
        return super().create(vals_list)

    # --- won or lost: the follow-up ends ----------------------------------------------------------
    def _action_confirm(self):
        res = super()._action_confirm()
        self._quote_followup_close(self.env._("Order confirmed: the quotation follow-up is closed."))
        return res

    def _action_cancel(self):
        res = super()._action_cancel()
        self._quote_followup_close(self.env._("Quotation cancelled: its follow-up is closed."))
        return res

    def _quote_followup_activities(self):
        activity_type = self.env.ref(QUOTE_FOLLOWUP_TYPE, raise_if_not_found=False)
        if not activity_type or not self:
            return self.env["mail.activity"]
        return (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", self.ids),
                    ("activity_type_id", "=", activity_type.id),
                ]
            )
        )

    def _quote_followup_close(self, reason):
        """Remove the open follow-ups of these orders (won, cancelled or lost), saying why in their
        chatter. The caller has done what ends the follow-up (confirmed, cancelled, lost the deal): the
        removal and the note are the server's own."""
        activities = self._quote_followup_activities()
        if not activities:
            return
        orders = self.browse(activities.mapped("res_id")).sudo()
        activities.unlink()
        for order in orders:
            order.message_post(body=reason, subtype_xmlid="mail.mt_note")

    # --- planning ---------------------------------------------------------------------------------
    @api.model
    def _quote_followup_agenda(self):
        items = [
            self.env._("Review the proposal and the quotation"),
            self.env._("Verify the needs"),
            self.env._("Contact the buying influences"),
            self.env._("Confirm the timing"),
            self.env._("Differentiate our solution"),
            self.env._("Overcome the objections"),
        ]
        return Markup("<p><b>%s</b></p><ul>%s</ul>") % (
            self.env._("Agenda"),
            Markup().join(Markup("<li>%s</li>") % item for item in items),
        )

    def _quote_followup_summary(self):
        self.ensure_one()
        company = self.company_id.sudo()
        visit = 0 < company.quote_followup_visit_amount <= self.amount_untaxed_company
        end_user = self.end_user_partner_id
        if end_user and end_user != self.partner_id:
            if visit:
                return self.env._(
                    "Follow-up visit with %(distributor)s for %(end_user)s: quotation %(name)s",
                    distributor=self.partner_id.display_name,
                    end_user=end_user.display_name,
                    name=self.name,
                )
            return self.env._(
                "Follow-up call via %(distributor)s for %(end_user)s: quotation %(name)s",
                distributor=self.partner_id.display_name,
                end_user=end_user.display_name,
                name=self.name,
            )
        if visit:
            return self.env._(
                "Follow-up visit to %(customer)s: quotation %(name)s",
                customer=self.partner_id.display_name,
                name=self.name,
            )
        return self.env._(
            "Follow-up call to %(customer)s: quotation %(name)s",
            customer=self.partner_id.display_name,
            name=self.name,
        )

    def _quote_followup_due_dates(self, activity_type):
        """{order: the due date of its next follow-up}: the company's rhythm after the last follow-up
        done, or after the day the quotation was sent; never before today."""
        today = fields.Date.context_today(self)
        last_done = dict(
            self.env["mail.message"]
            .sudo()
            ._read_group(
                [
                    ("model", "=", self._name),
                    ("res_id", "in", self.ids),
                    ("mail_activity_type_id", "=", activity_type.id),
                ],
                ["res_id"],
                ["date:max"],
            )
        )
        due = {}
        for order in self:
            base = order.quote_sent_date or fields.Date.to_date(order.date_order) or today
            done = last_done.get(order.id)
            if done:
                base = max(base, done.date())
            due[order] = max(today, base + timedelta(days=order.company_id.sudo().quote_followup_days))
        return due

    def _quote_followup_plan(self, activity_type):
        """Plan the next follow-up of each of these sent quotations that has none open and whose deal is
        not lost; returns the activities created. One bad order is logged and left out."""
        orders = self.filtered(lambda o: not o.opportunity_id or o.opportunity_id.active)
        open_ids = set(orders._quote_followup_activities().mapped("res_id"))
        orders = orders.filtered(lambda o: o.id not in open_ids)
        if not orders:
            return self.env["mail.activity"]
        due = orders._quote_followup_due_dates(activity_type)
        Activity = self.env["mail.activity"]
        agenda = self._quote_followup_agenda()

        def log_failure(vals, error):
            _logger.warning(
                "Quotation follow-up could not be planned for %s",
                self.browse(vals["res_id"]).name,
                exc_info=error,
            )

        vals_list = []
        for order in orders:
            try:
                vals_list.append(
                    Activity._scp_activity_vals(
                        order,
                        activity_type,
                        order._after_sales_followup_user(),
                        order._quote_followup_summary(),
                        due[order],
                        note=agenda,
                    )
                )
            except Exception:  # one bad order must not stop the others
                _logger.warning("Quotation follow-up failed for %s", order.name, exc_info=True)
        return Activity._scp_create_activities(
            vals_list,
            skip_open=("res_model_id", "res_id", "activity_type_id"),
            on_error=log_failure,
        )

    @api.model
    @single_run(QUOTE_FOLLOWUP_LOCK)
    def _cron_quote_followups(self, batch_size=QUOTE_FOLLOWUP_BATCH):
        """Plan the follow-up call or visit of every sent quotation of the companies that follow up.

        Idempotent: a quotation with an open follow-up gets no other. Batched (by ascending id, each
        batch committed when run by the scheduler); one bad order is logged and left out.
        """
        activity_type = self.env.ref(QUOTE_FOLLOWUP_TYPE, raise_if_not_found=False)
        companies = self.env["res.company"].sudo().search([("quote_followup_days", ">", 0)])
        if not activity_type or not companies:
            return
        domain = [("state", "=", "sent"), ("company_id", "in", companies.ids)]
        last_id, done = 0, 0
        while True:
            orders = self.search([*domain, ("id", ">", last_id)], order="id", limit=batch_size)
            if not orders:
                break
            last_id = orders.ids[-1]
            try:
                with self.env.cr.savepoint():
                    done += len(orders._quote_followup_plan(activity_type))
            except Exception:  # a batch that fails as a whole waits for the next run
                _logger.warning("Quotation follow-ups failed for %s", orders.mapped("name"), exc_info=True)
            remaining = self.search_count([*domain, ("id", ">", last_id)])
            if not commit_progress(self.env, QUOTE_FOLLOWUP_LOCK, done, remaining):
                return
        self.env["ir.cron"]._notify_progress(done=done, remaining=0)
