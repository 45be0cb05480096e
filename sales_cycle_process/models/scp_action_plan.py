"""The monthly action plan between an account manager and their regional (team) manager (the deck: "制订每月
行动计划 (在客户经理与大区经理之间)"): actions with an owner and a due date, agreed at the month's call, each
owner's activity planned on agreement, reviewed at the next month's call.

Who does what, decided here whatever a client sends (the web client is not a security boundary):
- the salesperson (``user_id``) or their manager creates the plan and edits it while it is a draft;
- only the plan's manager (``manager_id``) or a sales administrator agrees and reviews it, never the plan's
  own salesperson; the state moves only through ``action_agree`` / ``action_review``;
- once agreed, the actions are fixed: only *Done* is ticked, by the item's owner, the salesperson or the
  manager; a reviewed plan is closed.
"""

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from ..tools.periods import add_months, month_start, sane_date

PLAN_STATES = [("draft", "Draft"), ("agreed", "Agreed"), ("reviewed", "Reviewed")]
# What only the server writes on a plan / an item (the actions below, in sudo)
PLAN_SYSTEM_FIELDS = {"state", "agreed_on", "agreed_by_id", "reviewed_on", "reviewed_by_id"}
ITEM_SYSTEM_FIELDS = {"activity_id", "done_on"}


class ScpActionPlan(models.Model):
    _name = "scp.action.plan"
    _description = "Monthly Action Plan"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "month desc, user_id, id desc"

    user_id = fields.Many2one(
        "res.users",
        string="Account Manager",
        required=True,
        index=True,
        default=lambda self: self.env.user,
        tracking=True,
        domain=[("share", "=", False)],
    )
    manager_id = fields.Many2one(
        "res.users",
        string="Manager",
        required=True,
        index=True,
        tracking=True,
        domain=[("share", "=", False)],
        help="The regional or team manager who agrees the plan and reviews it at next month's call: the "
        "leader of one of the account manager's sales teams, or a sales administrator.",
    )
    team_id = fields.Many2one("crm.team", string="Sales Team", index=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    month = fields.Date(
        required=True,
        index=True,
        default=lambda self: month_start(fields.Date.context_today(self)),
        help="The month the plan is for (stored as its first day).",
    )
    state = fields.Selection(PLAN_STATES, default="draft", required=True, readonly=True, tracking=True)
    note = fields.Html(string="Notes")
    item_ids = fields.One2many("scp.action.plan.item", "plan_id", string="Actions")
    item_count = fields.Integer(compute="_compute_progress", string="Actions Count")
    done_count = fields.Integer(compute="_compute_progress", string="Done")
    progress = fields.Float(compute="_compute_progress", string="Progress %")
    agreed_on = fields.Datetime(readonly=True, copy=False)
    agreed_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    reviewed_on = fields.Datetime(readonly=True, copy=False)
    reviewed_by_id = fields.Many2one("res.users", readonly=True, copy=False)

    _sql_constraints = [
        (
            "one_plan_per_month",
            "UNIQUE(company_id, user_id, month)",
            "An account manager has one action plan per month: open the existing one.",
        )
    ]

    @api.depends("user_id", "month")
    def _compute_display_name(self):
        for plan in self:
            plan.display_name = self.env._(
                "Action Plan %(user)s, %(month)s",
                user=plan.user_id.name or "",
                month=plan.month.strftime("%Y-%m") if plan.month else "",
            )

    @api.depends("item_ids.done")
    def _compute_progress(self):
        for plan in self:
            plan.item_count = len(plan.item_ids)
            plan.done_count = len(plan.item_ids.filtered("done"))
            plan.progress = plan.done_count / plan.item_count * 100.0 if plan.item_count else 0.0

    @api.onchange("user_id")
    def _onchange_user_id(self):
        team = self._plan_default_team(self.user_id)
        self.team_id = team
        if team.user_id and team.user_id != self.user_id:
            self.manager_id = team.user_id

    # --- who may do what ------------------------------------------------------------------------
    @api.model
    def _plan_default_team(self, user):
        """The account manager's first sales team (by sequence), if any."""
        if not user:
            return self.env["crm.team"]
        return (
            self.env["crm.team"].sudo().search([("member_ids", "in", user.ids)], limit=1).with_env(self.env)
        )

    @api.model
    def _plan_is_admin(self, user=None):
        return (user or self.env.user).has_group("sales_team.group_sale_manager")

    @api.model
    def _plan_check_team(self, user, team):
        """The plan's sales team, if any, is one of the account manager's."""
        if team and user not in team.sudo().member_ids and user != team.sudo().user_id:
            raise UserError(
                self.env._(
                    "%(user)s is not in the sales team %(team)s.", user=user.name, team=team.sudo().name
                )
            )

    @api.model
    def _plan_check_people(self, user, manager):
        """The plan is for an internal user, agreed by somebody else who leads one of their teams (or a
        sales administrator); the caller writes it for themselves, or is that manager or an administrator."""
        caller = self.env.user
        if not user or user.share:
            raise UserError(self.env._("Choose the account manager the action plan is for."))
        if not manager or manager.share:
            raise UserError(
                self.env._(
                    "%(user)s has no manager to agree the action plan with: choose the leader of their sales "
                    "team.",
                    user=user.name,
                )
            )
        if manager == user:
            raise UserError(
                self.env._(
                    "%(user)s cannot agree their own action plan: choose their manager.", user=user.name
                )
            )
        leaders = self.env["crm.team"].sudo().search([("member_ids", "in", user.ids)]).user_id
        if manager not in leaders and not self._plan_is_admin(manager):
            raise UserError(
                self.env._(
                    "%(manager)s does not lead a sales team of %(user)s: the plan is agreed with their "
                    "team's leader or a sales administrator.",
                    manager=manager.name,
                    user=user.name,
                )
            )
        if caller not in (user, manager) and caller not in leaders and not self._plan_is_admin():
            raise AccessError(
                self.env._(
                    "You write your own action plan only: %(user)s's is written by them or their manager.",
                    user=user.name,
                )
            )

    def _plan_check_manager(self, what):
        """Agreeing and reviewing belong to the plan's manager (or a sales administrator), never to the plan's
        own account manager."""
        if self.env.su:
            return
        caller = self.env.user
        for plan in self:
            if caller == plan.user_id or not (caller == plan.manager_id or self._plan_is_admin()):
                raise AccessError(
                    self.env._(
                        "Only the manager of %(user)s (%(manager)s) %(what)s this action plan.",
                        user=plan.user_id.name,
                        manager=plan.manager_id.name,
                        what=what,
                    )
                )

    # --- CRUD guards --------------------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                if PLAN_SYSTEM_FIELDS & set(vals):
                    raise UserError(
                        self.env._("A new action plan starts as a draft: agree it with your manager.")
                    )
                user = self.env["res.users"].browse(vals.get("user_id") or self.env.uid).exists()
                if not vals.get("manager_id") and user:
                    vals["manager_id"] = self._plan_default_team(user).user_id.id
                if not vals.get("team_id") and user:
                    vals["team_id"] = self._plan_default_team(user).id
                vals["month"] = month_start(
                    sane_date(
                        self.env,
                        vals.get("month") or fields.Date.context_today(self),
                        self.env._("The month"),
                    )
                )
                self._plan_check_people(user, self.env["res.users"].browse(vals.get("manager_id")).exists())
                self._plan_check_team(user, self.env["crm.team"].browse(vals.get("team_id")).exists())
                # no default_state (or other server field) from a client's context
                vals.update(dict.fromkeys(PLAN_SYSTEM_FIELDS, False), state="draft")
        else:
            for vals in vals_list:
                if vals.get("month"):
                    vals["month"] = month_start(fields.Date.to_date(vals["month"]))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            if PLAN_SYSTEM_FIELDS & set(vals):
                raise UserError(
                    self.env._("An action plan is agreed and reviewed with its buttons, by the manager.")
                )
            # what changes the plan itself; its items check themselves (ticking one of an agreed plan)
            changed = {
                name for name in vals if name != "item_ids" and not name.startswith(("message_", "activity_"))
            }
            if changed and self.filtered(lambda plan: plan.state != "draft"):
                raise UserError(
                    self.env._(
                        "An agreed action plan is fixed: tick its actions done, or plan them next month."
                    )
                )
            if "month" in vals:
                vals["month"] = month_start(sane_date(self.env, vals["month"], self.env._("The month")))
            if {"user_id", "manager_id", "team_id"} & set(vals):
                for plan in self:
                    user = self.env["res.users"].browse(vals.get("user_id", plan.user_id.id)).exists()
                    manager = (
                        self.env["res.users"].browse(vals.get("manager_id", plan.manager_id.id)).exists()
                    )
                    plan._plan_check_people(user, manager)
                    plan._plan_check_team(
                        user, self.env["crm.team"].browse(vals.get("team_id", plan.team_id.id))
                    )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_draft_only(self):
        if self.filtered(lambda plan: plan.state != "draft"):
            raise UserError(self.env._("An agreed action plan is the record of the call: it is not deleted."))

    def _plan_write_system(self, vals):
        """The server's own changes (state, dates): private, past the guard of write()."""
        return super(ScpActionPlan, self.sudo()).write(vals)  # pylint: disable=super-method-mismatch

    # --- the flow ------------------------------------------------------------------------------------
    def action_agree(self):
        """The manager agrees the draft plans: each open action's owner gets an activity due on its date, the
        manager an activity to review the plan at the start of next month (batched, idempotent)."""
        self._plan_check_manager(self.env._("agrees"))
        for plan in self:
            if plan.state != "draft":
                raise UserError(self.env._("%s is already agreed.", plan.display_name))
            if not plan.item_ids:
                raise UserError(self.env._("%s has no action yet: add the actions first.", plan.display_name))
        self._plan_write_system(
            {"state": "agreed", "agreed_on": fields.Datetime.now(), "agreed_by_id": self.env.uid}
        )
        self.item_ids._action_plan_schedule()
        self._action_plan_schedule_review()
        for plan in self:
            plan.sudo().message_post(
                body=self.env._(
                    "Action plan agreed by %(manager)s: %(count)s actions.",
                    manager=self.env.user.name,
                    count=len(plan.item_ids),
                )
            )
        return True

    def _action_plan_schedule_review(self):
        """The manager's *Action Plan Review* activity, due on the first day of the next month (the next
        month's call), once per plan and manager."""
        Activity = self.env["mail.activity"]
        activity_type = self.env.ref("sales_cycle_process.mail_activity_type_action_plan_review")
        return Activity._scp_create_activities(
            [
                Activity._scp_activity_vals(
                    plan,
                    activity_type,
                    plan.manager_id,
                    self.env._("Review the action plan of %s", plan.user_id.name),
                    add_months(plan.month, 1),
                )
                for plan in self
            ],
            notify=True,
            skip_open=("res_model_id", "res_id", "activity_type_id", "user_id"),
        )

    def action_review(self):
        """The next month's call: the manager marks the agreed plans reviewed; the chatter lists the actions
        done and not done, the review activity is marked done."""
        self._plan_check_manager(self.env._("reviews"))
        if self.filtered(lambda plan: plan.state != "agreed"):
            raise UserError(self.env._("Only an agreed action plan is reviewed."))
        review_type = self.env.ref("sales_cycle_process.mail_activity_type_action_plan_review")
        for plan in self:
            done = plan.item_ids.filtered("done")
            plan.sudo().message_post(
                body=Markup("<p>%s</p><p>%s</p><ul>%s</ul><p>%s</p><ul>%s</ul>")
                % (
                    self.env._("Action plan reviewed by %s.", self.env.user.name),
                    self.env._("Done (%(done)s of %(count)s):", done=len(done), count=len(plan.item_ids)),
                    done._action_plan_listing(),
                    self.env._("Not done:"),
                    (plan.item_ids - done)._action_plan_listing(),
                )
            )
        self._plan_write_system(
            {"state": "reviewed", "reviewed_on": fields.Datetime.now(), "reviewed_by_id": self.env.uid}
        )
        reviews = self.activity_ids.filtered(lambda activity: activity.activity_type_id == review_type)
        if reviews:
            reviews.sudo()._action_done(feedback=self.env._("Reviewed"))
        return True


class ScpActionPlanItem(models.Model):
    _name = "scp.action.plan.item"
    _description = "Action Plan Action"
    _order = "date_due, id"

    plan_id = fields.Many2one("scp.action.plan", required=True, ondelete="cascade", index=True)
    name = fields.Char(string="Action", required=True)
    owner_id = fields.Many2one(
        "res.users",
        string="Owner",
        required=True,
        default=lambda self: self.env.user,
        domain=[("share", "=", False)],
    )
    date_due = fields.Date(string="Due Date", required=True)
    done = fields.Boolean()
    done_on = fields.Date(readonly=True)
    activity_id = fields.Many2one("mail.activity", readonly=True, ondelete="set null", index="btree_not_null")
    user_id = fields.Many2one(related="plan_id.user_id", store=True, string="Account Manager")
    manager_id = fields.Many2one(related="plan_id.manager_id", store=True)
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    month = fields.Date(related="plan_id.month", store=True)
    state = fields.Selection(related="plan_id.state", store=True, string="Plan Status")

    def _action_plan_listing(self):
        """The actions as the items of an HTML list (names escaped), for the chatter."""
        if not self:
            return Markup("<li>%s</li>") % self.env._("none")
        return Markup().join(
            Markup("<li>%s (%s, %s)</li>") % (item.name, item.owner_id.name, item.date_due) for item in self
        )

    def _action_plan_check_draft(self, plans):
        """Actions are added, changed and removed while their plan is a draft, by who may edit the plan."""
        if plans.filtered(lambda plan: plan.state != "draft"):
            raise UserError(
                self.env._("An agreed action plan is fixed: tick its actions done, or plan them next month.")
            )
        plans.check_access("write")

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            if any(ITEM_SYSTEM_FIELDS & set(vals) for vals in vals_list):
                raise UserError(self.env._("The server plans the actions' activities."))
            self._action_plan_check_draft(
                self.env["scp.action.plan"]
                .browse({vals["plan_id"] for vals in vals_list if vals.get("plan_id")})
                .exists()
            )
            for vals in vals_list:
                # no default_activity_id from a client's context
                vals.update(
                    activity_id=False, done_on=fields.Date.context_today(self) if vals.get("done") else False
                )
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            if ITEM_SYSTEM_FIELDS & set(vals):
                raise UserError(self.env._("The server plans the actions' activities."))
            if set(vals) - {"done"}:
                self._action_plan_check_draft(self.plan_id)
                if "plan_id" in vals:
                    self._action_plan_check_draft(
                        self.env["scp.action.plan"].browse(vals["plan_id"]).exists()
                    )
            else:
                self._action_plan_check_tick()
        if "done" in vals:
            vals = {**vals, "done_on": fields.Date.context_today(self) if vals["done"] else False}
        res = super().write(vals)
        if vals.get("done"):
            # ticked: the owner's activity is done too
            activities = self.activity_id
            if activities:
                activities.sudo()._action_done(feedback=self.env._("Action done"))
        return res

    def _action_plan_check_tick(self):
        """Done is ticked by the action's owner, the plan's account manager or manager (or a sales
        administrator), on a plan that is not reviewed yet."""
        caller = self.env.user
        admin = self.env["scp.action.plan"]._plan_is_admin()
        for item in self:
            if item.plan_id.state == "reviewed":
                raise UserError(self.env._("%s is reviewed: it is closed.", item.plan_id.display_name))
            if not admin and caller not in (item.owner_id, item.plan_id.user_id, item.plan_id.manager_id):
                raise AccessError(
                    self.env._(
                        "Only the owner of “%(action)s” or the plan's people tick it done.", action=item.name
                    )
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_draft_only(self):
        if not self.env.su:
            self._action_plan_check_draft(self.plan_id)

    def _action_plan_schedule(self):
        """One *Action Plan Action* activity per open action for its owner, due on its date, on the plan
        (batched; an action that already has one gets no second)."""
        items = self.filtered(lambda item: not item.done and not item.activity_id)
        if not items:
            return self.env["mail.activity"]
        Activity = self.env["mail.activity"]
        activity_type = self.env.ref("sales_cycle_process.mail_activity_type_action_plan_item")
        activities = Activity._scp_create_activities(
            [
                Activity._scp_activity_vals(
                    item.plan_id, activity_type, item.owner_id, item.name, item.date_due
                )
                for item in items
            ],
            notify=True,
        )
        # one UPDATE for the links (each action its own activity)
        self.env.cr.execute(
            SQL(
                "UPDATE scp_action_plan_item AS item SET activity_id = link.activity_id "
                "FROM (VALUES %s) AS link(id, activity_id) WHERE item.id = link.id",
                SQL(", ").join(
                    SQL("(%s, %s)", item.id, activity.id)
                    for item, activity in zip(items, activities, strict=True)
                ),
            )
        )
        items.invalidate_recordset(["activity_id"])
        return activities

    @api.model
    def _action_plan_activities_done(self, activities):
        """Called when activities are marked done (models/mail_activity.py): the actions they stand for are
        ticked done."""
        items = self.sudo().search([("activity_id", "in", activities.ids), ("done", "=", False)])
        # the activity is being marked done: unlinked from the action first, so that it is not done twice
        items.write({"done": True, "activity_id": False})
