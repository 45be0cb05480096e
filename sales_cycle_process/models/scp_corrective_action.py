import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import is_html_empty

from ..tools.cron import commit_progress, single_run

_logger = logging.getLogger(__name__)

ESCALATION_LOCK = "sales_cycle_process.after_sales_escalation"
ESCALATION_BATCH = 500
ESCALATION_ACTIVITY_TYPE = "sales_cycle_process.mail_activity_type_after_sales_escalation"
CLOSED_TEMPLATE = "sales_cycle_process.mail_template_after_sales_corrective_closed"
# What the escalation and the closing record: written by the server only, never by a client.
ESCALATION_SERVER_FIELDS = frozenset(
    {"escalation_level", "escalated_manager_date", "escalated_director_date", "date_closed"}
)
OPEN_STATES = ("open", "in_progress")


class SaleCorrectiveAction(models.Model):
    _name = "scp.corrective.action"
    _description = "After-Sales Corrective Action"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_due, id desc"

    name = fields.Char(string="Subject", required=True, tracking=True)
    description = fields.Html()
    owner_id = fields.Many2one(
        "res.users",
        string="Owner",
        required=True,
        default=lambda self: self.env.user,
        tracking=True,
    )
    date_due = fields.Date(string="Due Date", required=True, tracking=True)
    state = fields.Selection(
        [
            ("open", "Open"),
            ("in_progress", "In Progress"),
            ("done", "Done"),
            ("cancelled", "Cancelled"),
        ],
        default="open",
        required=True,
        tracking=True,
    )
    order_id = fields.Many2one("sale.order", string="Sales Order", index=True, tracking=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        index=True,
        compute="_compute_partner_id",
        store=True,
        readonly=False,
        tracking=True,
    )
    company_id = fields.Many2one(
        "res.company",
        compute="_compute_company_id",
        store=True,
        readonly=False,
        default=lambda self: self.env.company,
    )
    salesperson_id = fields.Many2one(related="order_id.user_id", string="Salesperson", store=True)
    # --- escalation and closing (issue #18, item 8): written by the server only ------------------------
    escalation_level = fields.Selection(
        [("none", "Not Escalated"), ("manager", "Sales Manager"), ("director", "Managing Director")],
        string="Escalated To",
        default="none",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
        help="Not closed by its due date, the action goes to the sales manager, then (after the days set "
        "in Settings) to the managing director; once each.",
    )
    escalated_manager_date = fields.Date(string="Escalated to Sales Manager On", readonly=True, copy=False)
    escalated_director_date = fields.Date(
        string="Escalated to Managing Director On", readonly=True, copy=False
    )
    outcome = fields.Html(
        copy=False,
        tracking=True,
        help="What was done and the result: required to close the action, sent to the customer.",
    )
    date_closed = fields.Date(string="Closed On", readonly=True, copy=False, tracking=True)

    @api.depends("order_id")
    def _compute_partner_id(self):
        for action in self.filtered("order_id"):
            action.partner_id = action.order_id.after_sales_customer_id

    @api.depends("order_id")
    def _compute_company_id(self):
        for action in self.filtered("order_id"):
            action.company_id = action.order_id.company_id

    # --- server-managed fields --------------------------------------------------------------------
    def _corrective_check_server_fields(self, vals_list):
        if self.env.su:
            return
        forged = set().union(*(ESCALATION_SERVER_FIELDS & set(vals) for vals in vals_list))
        if forged:
            names = ", ".join(sorted(self._fields[fname]._description_string(self.env) for fname in forged))
            raise AccessError(
                self.env._(
                    "These steps are recorded by the escalation and the closing, not typed in: %s.", names
                )
            )
        if any(vals.get("state") == "done" for vals in vals_list):
            raise AccessError(
                self.env._(
                    "Close a corrective action with its Done button: it records the outcome and informs "
                    "the customer."
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        self._corrective_check_server_fields(vals_list)
        if not self.env.su:
            # an action without a company would escape the escalation: it takes the user's company
            vals_list = [
                {key: value for key, value in vals.items() if key != "company_id" or value}
                for vals in vals_list
            ]
        return super().create(vals_list)

    def write(self, vals):
        self._corrective_check_server_fields([vals])
        if not self.env.su and ("date_due" in vals or "company_id" in vals):
            self._corrective_check_due_date(vals)
        if vals.get("state") == "cancelled" and not self.env.su:
            self._corrective_check_cancel()
        return super().write(vals)

    def _corrective_check_due_date(self, vals):
        """The due date decides the escalation: once set, only a sales manager (or the managing director)
        moves it, or the action's company."""
        user = self.env.user
        if user.has_group("sales_team.group_sale_manager") or user.has_group(
            "sales_cycle_process.group_managing_director"
        ):
            return
        due = fields.Date.to_date(vals["date_due"]) if "date_due" in vals else None
        for action in self:
            moved = "date_due" in vals and action.date_due != due
            if moved or ("company_id" in vals and action.company_id.id != (vals["company_id"] or False)):
                raise AccessError(
                    self.env._(
                        "Only a sales manager moves the due date of a corrective action (it decides when "
                        "the action escalates): ask them. Action: %(name)s",
                        name=action.name,
                    )
                )

    def _corrective_check_cancel(self):
        """An escalated action is not dropped by its owner: the manager it went to decides."""
        if self.filtered(lambda a: a.escalation_level != "none") and not self.env.user.has_group(
            "sales_team.group_sale_manager"
        ):
            raise AccessError(
                self.env._("This corrective action was escalated: only a sales manager may cancel it.")
            )

    # --- buttons --------------------------------------------------------------------------------------
    def action_start(self):
        self.write({"state": "in_progress"})
        return True

    def action_done(self):
        """Close the actions: the outcome is required; it is recorded with the date and sent to the customer
        (or noted in the chatter when the customer has no e-mail); open escalations are withdrawn."""
        self.check_access("write")
        if self.filtered(lambda a: a.state not in OPEN_STATES):
            raise UserError(self.env._("Only an open or started corrective action can be closed."))
        missing = self.filtered(lambda a: is_html_empty(a.outcome))
        if missing:
            raise UserError(
                self.env._(
                    "Write the outcome before closing (what was done, and the result): %s.",
                    ", ".join(missing.mapped("name")),
                )
            )
        today = fields.Date.context_today(self)
        # state and date written by the server (a client cannot write them): after the access check above
        self.sudo().write({"state": "done", "date_closed": today})
        self._corrective_withdraw_escalations()
        self._corrective_inform_customer()
        return True

    def action_cancel(self):
        self.write({"state": "cancelled"})
        self._corrective_withdraw_escalations()
        return True

    def action_reopen(self):
        self.check_access("write")
        self.sudo().write({"state": "open", "date_closed": False})
        return True

    def _corrective_withdraw_escalations(self):
        activity_type = self.env.ref(ESCALATION_ACTIVITY_TYPE)
        self.env["mail.activity"].sudo().search(
            [
                ("res_model", "=", self._name),
                ("res_id", "in", self.ids),
                ("activity_type_id", "=", activity_type.id),
            ]
        ).unlink()

    def _corrective_inform_customer(self):
        template = self.env.ref(CLOSED_TEMPLATE)
        for action in self:
            if action.partner_id.email:
                action.message_post_with_source(template, subtype_xmlid="mail.mt_comment")
            else:
                action.message_post(
                    body=self.env._(
                        "The outcome was not e-mailed: %(partner)s has no e-mail address. "
                        "Tell the customer by phone.",
                        partner=action.partner_id.display_name or self.env._("the customer"),
                    )
                )

    # --- escalation (scheduled action) -----------------------------------------------------------------
    def _corrective_sales_managers(self):
        """Who is this action's sales manager: the leader of the order's sales team (else of the owner's),
        else the company's sales managers who are not managing directors."""
        self.ensure_one()
        team = self.order_id.team_id or self.owner_id.sale_team_id
        if team.user_id.active:
            return team.user_id
        return self._corrective_group_users("sales_team.group_sale_manager") - self._corrective_group_users(
            "sales_cycle_process.group_managing_director"
        )

    def _corrective_directors(self):
        """The managing directors (the group that approves formal contracts and the highest QPA level)."""
        self.ensure_one()
        return self._corrective_group_users("sales_cycle_process.group_managing_director")

    def _corrective_group_users(self, xmlid):
        company = self.company_id or self.env.company
        return (
            self.env.ref(xmlid)
            .sudo()
            .users.filtered(lambda u: u.active and not u.share and company in u.company_ids)
        )

    @api.model
    def _corrective_escalation_domain(self, level, company, today):
        """The open actions of ``company`` due for escalation to ``level`` (``manager``, ``director``)."""
        if level == "manager":
            return [
                ("company_id", "=", company.id),
                ("state", "in", OPEN_STATES),
                ("escalation_level", "=", "none"),
                ("date_due", "<", today),
            ]
        return [
            ("company_id", "=", company.id),
            ("state", "in", OPEN_STATES),
            ("escalation_level", "=", "manager"),
            (
                "escalated_manager_date",
                "<=",
                today - timedelta(days=company.after_sales_escalation_director_days),
            ),
        ]

    @api.model
    @single_run(ESCALATION_LOCK)
    def _cron_corrective_escalation(self, batch_size=ESCALATION_BATCH):
        """Escalate the corrective actions not closed by their due date: to the sales manager the day after
        the due date, then to the managing director the set days later; once each (the stored level).

        Batched: each batch is committed when run by the scheduler. An action that cannot be escalated (nobody
        to escalate to, an activity that fails) is logged and left for the next run; the others go on."""
        today = fields.Date.context_today(self)
        companies = (
            self.env["res.company"]
            .union(
                *(
                    company
                    for (company,) in self._read_group(
                        [("state", "in", OPEN_STATES), ("escalation_level", "!=", "director")], ["company_id"]
                    )
                )
            )
            .sudo()
        )
        steps = [(company, level) for level in ("manager", "director") for company in companies]
        failed, done = self.browse(), 0
        for company, level in steps:
            while True:
                actions = self.search(
                    [
                        *self._corrective_escalation_domain(level, company, today),
                        ("id", "not in", failed.ids),
                    ],
                    limit=batch_size,
                )
                if not actions:
                    break
                escalated = actions._corrective_escalate(level, today)
                failed |= actions - escalated
                done += len(escalated)
                remaining = sum(
                    self.search_count(
                        [
                            *self._corrective_escalation_domain(step_level, step_company, today),
                            ("id", "not in", failed.ids),
                        ]
                    )
                    for step_company, step_level in steps
                )
                if not commit_progress(self.env, ESCALATION_LOCK, done, remaining):
                    return
        self.env["ir.cron"]._notify_progress(done=done, remaining=0)

    def _corrective_escalate(self, level, today):
        """Escalate these actions to ``level``: an activity for each person escalated to, a message in the
        chatter, the level and date stored. Returns the actions escalated."""
        activity_type = self.env.ref(ESCALATION_ACTIVITY_TYPE)
        Activity = self.env["mail.activity"]
        vals_list, recipients = [], {}
        for action in self:
            users = (
                action._corrective_sales_managers() if level == "manager" else action._corrective_directors()
            )
            if not users:
                _logger.warning(
                    "Corrective action %s (id %s): nobody to escalate to (%s)", action.name, action.id, level
                )
                continue
            recipients[action.id] = users
            summary = self.env._(
                "Overdue corrective action: %(name)s (due %(due)s)", name=action.name, due=action.date_due
            )
            vals_list += [
                Activity._scp_activity_vals(action, activity_type, user, summary, today) for user in users
            ]

        def log_failure(vals, error):
            _logger.warning(
                "Escalation of corrective action %s failed for user %s",
                self.browse(vals["res_id"]).name,
                vals["user_id"],
                exc_info=error,
            )

        # an activity left by a run that failed half-way is not planned twice
        keys = ("res_model_id", "res_id", "activity_type_id", "user_id")
        Activity._scp_create_activities(vals_list, on_error=log_failure, skip_open=keys)
        created = {
            (a.res_id, a.user_id.id)
            for a in Activity.sudo().search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", self.ids),
                    ("activity_type_id", "=", activity_type.id),
                ]
            )
        }
        escalated = self.filtered(
            lambda a: a.id in recipients and all((a.id, u.id) in created for u in recipients[a.id])
        )
        if not escalated:
            return escalated
        date_field = "escalated_manager_date" if level == "manager" else "escalated_director_date"
        escalated.sudo().write({"escalation_level": level, date_field: today})
        names = {
            "manager": self.env._("the sales manager"),
            "director": self.env._("the managing director"),
        }
        escalated._message_log_batch(
            bodies={
                action.id: self.env._(
                    "Not closed by its due date (%(due)s): escalated to %(who)s, %(users)s.",
                    due=action.date_due,
                    who=names[level],
                    users=", ".join(recipients[action.id].mapped("name")),
                )
                for action in escalated
            }
        )
        return escalated
