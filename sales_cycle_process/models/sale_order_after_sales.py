import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools.cron import commit_progress, single_run

_logger = logging.getLogger(__name__)

CRON_BATCH = 500
AFTER_SALES_LOCK = "sales_cycle_process.after_sales_followups"
# What the after-sales flow records on an order: set by the server only, never by a client.
AFTER_SALES_SERVER_FIELDS = frozenset(
    {
        "after_sales_ack_sent",
        "welcome_letter_sent",
        "after_sales_check_done",
        "after_sales_check_sent",
        "after_sales_satisfaction_planned",
        "after_sales_support_handover",
        "satisfaction_state",
    }
)


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # --- who ----------------------------------------------------------------------------------
    end_user_partner_id = fields.Many2one(
        "res.partner",
        string="End-User Customer",
        tracking=True,
        help="Who uses the equipment, when the order comes through a distributor (the order's customer).",
    )
    after_sales_customer_id = fields.Many2one(
        "res.partner",
        string="After-Sales Customer",
        compute="_compute_after_sales_customer_id",
        store=True,
        help="The end user when known, otherwise the ordering customer.",
    )
    # --- contract and kind ----------------------------------------------------------------------
    is_contract = fields.Boolean(string="Contract", tracking=True)
    contract_start_date = fields.Date(tracking=True)
    after_sales_order_type = fields.Selection(
        [
            ("standard", "Standard (letter printed and boxed)"),
            ("production", "Production (soft copy to Production)"),
            ("support", "Support-managed"),
        ],
        string="After-Sales Type",
        default="standard",
        required=True,
        tracking=True,
    )
    welcome_letter_mode = fields.Selection(
        [("print", "Print and box with the product"), ("soft_copy", "Soft copy to Production")],
        compute="_compute_welcome_letter_mode",
        store=True,
        readonly=False,
        string="Welcome Letter",
    )
    # --- welcome letter -------------------------------------------------------------------------
    welcome_access_text = fields.Text(
        string="Website Access (this order)",
        help="Replaces the website access information of the settings on this order's letter.",
    )
    welcome_system_info = fields.Text(
        string="System-Specific Information",
        help="Printed on the welcome letter; when empty, the products' information is used.",
    )
    welcome_letter_access_text = fields.Text(compute="_compute_welcome_letter_texts")
    welcome_letter_system_info = fields.Text(compute="_compute_welcome_letter_texts")
    welcome_letter_sent = fields.Boolean(string="Soft Copy Sent", readonly=True, copy=False)
    after_sales_ack_sent = fields.Boolean(string="Acknowledged", readonly=True, copy=False)
    # --- follow-ups -----------------------------------------------------------------------------
    shipment_date = fields.Date(tracking=True, copy=False)
    after_sales_check_done = fields.Boolean(string="Distributor Check Done", readonly=True, copy=False)
    after_sales_check_sent = fields.Boolean(
        string="Distributor Check E-mailed",
        readonly=True,
        copy=False,
        help="Not set when the customer has no e-mail address: the chatter says so, the salesperson calls.",
    )
    after_sales_satisfaction_planned = fields.Boolean(
        string="Satisfaction Call Planned", readonly=True, copy=False
    )
    after_sales_support_handover = fields.Boolean(
        string="Support Handover Planned", readonly=True, copy=False
    )
    satisfaction_state = fields.Selection(
        [("ok", "Operating OK"), ("not_ok", "Not OK")],
        string="Satisfaction",
        readonly=True,
        copy=False,
        tracking=True,
    )
    # Accountants and stock users open orders too: the corrective actions are the sales roles' only.
    corrective_action_ids = fields.One2many(
        "scp.corrective.action",
        "order_id",
        string="Corrective Actions",
        groups="sales_team.group_sale_salesman",
    )
    corrective_action_count = fields.Integer(
        compute="_compute_corrective_action_count", groups="sales_team.group_sale_salesman"
    )

    @api.depends("end_user_partner_id", "partner_id")
    def _compute_after_sales_customer_id(self):
        for order in self:
            order.after_sales_customer_id = order.end_user_partner_id or order.partner_id

    @api.depends("after_sales_order_type")
    def _compute_welcome_letter_mode(self):
        for order in self:
            order.welcome_letter_mode = (
                "soft_copy" if order.after_sales_order_type == "production" else "print"
            )

    @api.depends(
        "welcome_access_text",
        "welcome_system_info",
        "order_line.product_id.after_sales_system_info",
        "company_id.after_sales_website_access_text",
    )
    def _compute_welcome_letter_texts(self):
        for order in self:
            order.welcome_letter_access_text = (
                order.welcome_access_text or order.company_id.after_sales_website_access_text or ""
            )
            infos = order.order_line.product_id.product_tmpl_id.mapped("after_sales_system_info")
            order.welcome_letter_system_info = order.welcome_system_info or "\n\n".join(
                info for info in infos if info
            )

    def _compute_corrective_action_count(self):
        counts = dict(
            self.env["scp.corrective.action"]._read_group(
                [("order_id", "in", self.ids)], ["order_id"], ["__count"]
            )
        )
        for order in self:
            order.corrective_action_count = counts.get(order._origin, 0)

    # --- server-managed flags -------------------------------------------------------------------
    def _after_sales_check_server_fields(self, vals_list):
        if self.env.su:
            return
        forged = set().union(*(AFTER_SALES_SERVER_FIELDS & set(vals) for vals in vals_list))
        if forged:
            names = ", ".join(sorted(self._fields[fname]._description_string(self.env) for fname in forged))
            raise AccessError(
                self.env._(
                    "These after-sales steps are recorded by the follow-up itself, not typed in: %s.", names
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        self._after_sales_check_server_fields(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._after_sales_check_server_fields([vals])
        return super().write(vals)

    def _after_sales_followup_user(self):
        """Who gets this order's follow-ups: the salesperson, or the sales team's leader when the
        salesperson is archived or missing, or the user running the step, or the administrator."""
        self.ensure_one()
        for user in (self.user_id, self.team_id.user_id, self.env.user):
            if user and user.active:
                return user
        return self.env.ref("base.user_admin", raise_if_not_found=False) or self.env.user

    def _after_sales_without_email(self):
        """The orders whose ordering customer (who gets the acknowledgment and the check) has no e-mail."""
        return self.filtered(lambda o: not o.partner_id.email)

    def _after_sales_note_no_email(self, what):
        for order in self:
            order.message_post(
                body=self.env._(
                    "%(what)s was not e-mailed: %(partner)s has no e-mail address. "
                    "Add one to the contact, or contact them by phone.",
                    what=what,
                    partner=order.partner_id.display_name,
                ),
                subtype_xmlid="mail.mt_note",
            )

    # --- confirmation ---------------------------------------------------------------------------
    def _action_confirm(self):
        res = super()._action_confirm()
        # each order follows the after-sales settings of its own company
        self.filtered("company_id.after_sales_ack_on_confirm")._after_sales_send_acknowledgment()
        self.filtered(lambda o: o.after_sales_order_type == "support")._after_sales_plan_handover()
        return res

    def _after_sales_send_acknowledgment(self):
        template = self.env.ref(
            "sales_cycle_process.mail_template_after_sales_acknowledgment", raise_if_not_found=False
        )
        if not template:
            return
        todo = self.filtered(lambda o: not o.after_sales_ack_sent)
        no_email = todo._after_sales_without_email()
        no_email._after_sales_note_no_email(self.env._("The order acknowledgment"))
        sent = todo - no_email
        for order in sent:
            order.message_post_with_source(template, subtype_xmlid="mail.mt_comment")
        sent.sudo().after_sales_ack_sent = True

    def _after_sales_plan_handover(self):
        orders = self.filtered(lambda o: not o.after_sales_support_handover)
        if not orders:
            return
        # the support user of each order's company, if set and active
        without = orders.filtered(lambda o: not o.company_id.sudo().after_sales_support_user_id.active)
        for order in without:
            order.message_post(
                body=self.env._(
                    "No Customer Support user is set in the Sales settings: "
                    "hand the website login over by hand."
                )
            )
        orders -= without
        if not orders:
            return
        activity_type = self.env.ref("sales_cycle_process.mail_activity_type_after_sales_handover")
        Activity = self.env["mail.activity"]
        Activity._scp_create_activities(
            [
                Activity._scp_activity_vals(
                    order,
                    activity_type,
                    order.company_id.sudo().after_sales_support_user_id,
                    self.env._("Send the website login to %s", order.after_sales_customer_id.display_name),
                    fields.Date.context_today(self),
                )
                for order in orders
            ]
        )
        orders.sudo().after_sales_support_handover = True

    # --- welcome letter -------------------------------------------------------------------------
    def _check_welcome_letter_allowed(self):
        cancelled = self.filtered(lambda o: o.state == "cancel")
        if cancelled:
            raise UserError(
                self.env._(
                    "No welcome letter for a cancelled order: %s.",
                    ", ".join(cancelled.mapped("name")),
                )
            )

    def action_print_welcome_letter(self):
        self._check_welcome_letter_allowed()
        return self.env.ref("sales_cycle_process.action_report_welcome_letter").report_action(self, data={})

    def action_send_welcome_letter_soft_copy(self):
        if not (
            self.env.user.has_group("sales_cycle_process.group_sales_admin")
            or self.env.user.has_group("sales_team.group_sale_manager")
        ):
            raise AccessError(
                self.env._("Only a sales admin or a sales manager sends welcome letters to Production.")
            )
        self._check_welcome_letter_allowed()
        if not all(self.mapped("company_id.after_sales_production_email")):
            raise UserError(
                self.env._(
                    "Set the Production address in Sales settings (After-Sales) "
                    "before sending a soft copy of the welcome letter."
                )
            )
        template = self.env.ref("sales_cycle_process.mail_template_after_sales_welcome_soft_copy")
        report = self.env.ref("sales_cycle_process.action_report_welcome_letter")
        for order in self:
            address = order.company_id.after_sales_production_email
            pdf, _type = report._render_qweb_pdf(report.report_name, res_ids=order.ids)
            attachment = self.env["ir.attachment"].create(
                {
                    "name": self.env._("Welcome letter %s.pdf", order.name),
                    "raw": pdf,
                    "res_model": "sale.order",
                    "res_id": order.id,
                    "mimetype": "application/pdf",
                }
            )
            template.send_mail(
                order.id,
                email_values={"email_to": address, "attachment_ids": [attachment.id]},
            )
            order.message_post(
                body=self.env._("Soft copy of the welcome letter sent to Production (%s).", address),
                attachment_ids=attachment.ids,
            )
        self.sudo().welcome_letter_sent = True
        return True

    # --- satisfaction outcome -------------------------------------------------------------------
    def _after_sales_satisfaction_activities(self):
        activity_type = self.env.ref("sales_cycle_process.mail_activity_type_after_sales_satisfaction")
        return self.activity_ids.filtered(lambda a: a.activity_type_id == activity_type)

    def _check_satisfaction_allowed(self):
        self.check_access("write")
        unconfirmed = self.filtered(lambda o: o.state != "sale")
        if unconfirmed:
            raise UserError(
                self.env._(
                    "The customer's satisfaction is recorded on confirmed orders only: %s.",
                    ", ".join(unconfirmed.mapped("name")),
                )
            )

    def action_satisfaction_ok(self):
        self._check_satisfaction_allowed()
        for order in self:
            order._after_sales_satisfaction_activities().action_feedback(
                feedback=self.env._("Equipment operating OK: pleased to be of service.")
            )
        self.sudo().satisfaction_state = "ok"
        return True

    def action_satisfaction_not_ok(self):
        self._check_satisfaction_allowed()
        self._after_sales_satisfaction_activities().action_feedback(
            feedback=self.env._("Equipment not operating OK: corrective action started.")
        )
        self.sudo().satisfaction_state = "not_ok"
        today = fields.Date.context_today(self)
        actions = self.env["scp.corrective.action"].create(
            [
                {
                    "name": self.env._("Corrective action for %s", order.name),
                    "order_id": order.id,
                    "owner_id": order._after_sales_followup_user().id,
                    "date_due": today + timedelta(days=14),
                    "description": self.env._("The customer reports the equipment is not operating OK."),
                }
                for order in self
            ]
        )
        if len(actions) == 1:
            return {
                "type": "ir.actions.act_window",
                "res_model": "scp.corrective.action",
                "res_id": actions.id,
                "view_mode": "form",
                "target": "current",
            }
        return True

    def action_view_corrective_actions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_cycle_process.scp_corrective_action_action"
        )
        action["domain"] = [("order_id", "=", self.id)]
        action["context"] = {"default_order_id": self.id}
        return action

    # --- scheduled follow-ups -------------------------------------------------------------------
    @api.model
    def _after_sales_followup_domain(self, flag, days, company):
        """The orders of ``company`` whose step (``flag``) is due ``days`` after shipment, outside the
        company's excepted team."""
        today = fields.Date.context_today(self)
        domain = [
            ("company_id", "=", company.id),
            ("state", "=", "sale"),
            ("shipment_date", "!=", False),
            ("shipment_date", "<=", today - timedelta(days=days)),
            (flag, "=", False),
        ]
        excepted_team = company.after_sales_excepted_team_id
        if excepted_team:
            domain.append(("team_id", "!=", excepted_team.id))
        return domain

    @api.model
    @single_run(AFTER_SALES_LOCK)
    def _cron_after_sales_followups(self, batch_size=CRON_BATCH):
        """Distributor check at shipment + N days, satisfaction call at shipment + M days.

        Idempotent: each step sets its flag on the order, so a second run finds nothing to do.
        Batched: each batch is committed when run by the scheduler. An order that fails is logged
        and left out for the rest of the run (it is retried by the next day's run), so the run
        ends and the other orders are processed. Each company's orders follow its own settings
        (days, excepted team).
        """
        # the companies with shipped orders whose follow-ups are not all done, and their settings
        companies = (
            self.env["res.company"]
            .union(
                *(
                    company
                    for (company,) in self._read_group(
                        [
                            ("state", "=", "sale"),
                            ("shipment_date", "!=", False),
                            "|",
                            ("after_sales_check_done", "=", False),
                            ("after_sales_satisfaction_planned", "=", False),
                        ],
                        ["company_id"],
                    )
                )
            )
            .sudo()
        )
        steps = [
            *(
                (
                    company,
                    "after_sales_check_done",
                    company.after_sales_followup_days,
                    "_after_sales_distributor_check",
                )
                for company in companies
            ),
            *(
                (
                    company,
                    "after_sales_satisfaction_planned",
                    company.after_sales_satisfaction_days,
                    "_after_sales_plan_satisfaction_call",
                )
                for company in companies
            ),
        ]
        failed, done = self.browse(), 0
        for company, flag, days, method in steps:
            while True:
                domain = [
                    *self._after_sales_followup_domain(flag, days, company),
                    ("id", "not in", failed.ids),
                ]
                orders = self.search(domain, limit=batch_size)
                if not orders:
                    break
                try:
                    with self.env.cr.savepoint():
                        processed = getattr(orders, method)()
                except Exception:  # a step that fails as a whole: its batch waits for the next run
                    _logger.warning(
                        "After-sales %s failed for %s", method, orders.mapped("name"), exc_info=True
                    )
                    processed = self.browse()
                failed |= orders - processed
                done += len(processed)
                remaining = sum(
                    self.search_count(
                        [
                            *self._after_sales_followup_domain(step_flag, step_days, step_company),
                            ("id", "not in", failed.ids),
                        ]
                    )
                    for step_company, step_flag, step_days, _method in steps
                )
                if not commit_progress(self.env, AFTER_SALES_LOCK, done, remaining):
                    return
        self.env["ir.cron"]._notify_progress(done=done, remaining=0)

    def _after_sales_distributor_check(self):
        """Post the distributor check and plan its reminder; returns the orders done.

        A customer without an e-mail address gets no mail: the chatter says so, the reminder to call is
        planned and the step is done, but the check is not marked e-mailed."""
        if not self:
            return self
        template = self.env.ref("sales_cycle_process.mail_template_after_sales_distributor_check")
        activity_type = self.env.ref("sales_cycle_process.mail_activity_type_after_sales_reminder")
        today = fields.Date.context_today(self)
        no_email = self._after_sales_without_email()
        Activity = self.env["mail.activity"]
        done = self.browse()
        # one savepoint per order, for its mail and its reminder together: an order that fails is
        # logged and rolled back (no mail without its reminder), the others go on
        for order in self:
            try:
                with self.env.cr.savepoint():
                    if order in no_email:
                        order._after_sales_note_no_email(self.env._("The distributor check"))
                    else:
                        order.message_post_with_source(template, subtype_xmlid="mail.mt_comment")
                    Activity._scp_create_activities(
                        [
                            Activity._scp_activity_vals(
                                order,
                                activity_type,
                                order._after_sales_followup_user(),
                                self.env._(
                                    "Contact %s: has everything been received in good order?",
                                    order.after_sales_customer_id.display_name,
                                ),
                                today,
                            )
                        ]
                    )
            except Exception:  # one bad order must not stop the run
                _logger.warning("After-sales distributor check failed for %s", order.name, exc_info=True)
                continue
            done |= order
        done.sudo().write({"after_sales_check_done": True})
        (done - no_email).sudo().write({"after_sales_check_sent": True})
        return done

    def _after_sales_plan_satisfaction_call(self):
        """Plan the satisfaction calls (due 90 days after shipment); returns the orders done. An order
        whose call cannot be planned is logged and left out (the next run retries it)."""
        if not self:
            return self
        activity_type = self.env.ref("sales_cycle_process.mail_activity_type_after_sales_satisfaction")
        today = fields.Date.context_today(self)
        Activity = self.env["mail.activity"]

        def log_failure(vals, error):
            _logger.warning(
                "After-sales follow-up failed for %s", self.browse(vals["res_id"]).name, exc_info=error
            )

        activities = Activity._scp_create_activities(
            [
                Activity._scp_activity_vals(
                    order,
                    activity_type,
                    order._after_sales_followup_user(),
                    self.env._(
                        "Satisfaction call: is the equipment of %s operating OK?",
                        order.after_sales_customer_id.display_name,
                    ),
                    max(today, order.shipment_date + timedelta(days=90)),
                )
                for order in self
            ],
            on_error=log_failure,
        )
        done = self.browse(activities.mapped("res_id"))
        done.sudo().after_sales_satisfaction_planned = True
        return done
