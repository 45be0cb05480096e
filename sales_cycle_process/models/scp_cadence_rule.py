import ast
import logging
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import split_every
from odoo.tools.mail import html_sanitize

from ..tools.cron import commit_batch, commit_progress, try_lock

_logger = logging.getLogger(__name__)

CADENCE_BATCH = 500
# The longest rhythm a rule may have (three years) and the longest planning ahead (a year).
MAX_INTERVAL = {"days": 1096, "weeks": 156, "months": 36}
MAX_LEAD_DAYS = 365

PARTNER_TIERS = [
    ("large", "Large distributors"),
    ("small", "Small distributors"),
    ("selected", "Selected customers"),
    ("any", "Any partner (tags / filter)"),
]


class ScpCadenceRule(models.Model):
    _name = "scp.cadence.rule"
    _description = "Cadence Rule"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    partner_tier = fields.Selection(PARTNER_TIERS, required=True, default="large")
    partner_category_ids = fields.Many2many(
        "res.partner.category",
        string="Partner Tags",
        help="When set, only partners with at least one of these tags follow the rule.",
    )
    partner_filter = fields.Char(
        default="[]",
        help="An extra filter on the partners that follow the rule (a domain on contacts).",
    )
    contact_kind = fields.Selection(
        [
            ("call", "Status-check call"),
            ("visit", "Sales-manager visit"),
            ("ae_visit", "Application-engineer visit"),
            ("training", "Technical training"),
        ],
        required=True,
        default="call",
    )
    interval_number = fields.Integer(string="Every", required=True, default=1)
    interval_type = fields.Selection(
        [("days", "Days"), ("weeks", "Weeks"), ("months", "Months")],
        string="Interval Unit",
        required=True,
        default="weeks",
    )
    lead_days = fields.Integer(
        default=7,
        help="The activity is planned this many days before its due date.",
    )
    responsible = fields.Selection(
        [
            ("salesperson", "Partner's salesperson"),
            ("team_manager", "Sales team's manager"),
            ("engineer", "Assigned application engineer"),
        ],
        required=True,
        default="salesperson",
    )
    engineer_user_id = fields.Many2one(
        "res.users",
        string="Application Engineer",
        domain=lambda self: [
            ("groups_id", "in", self.env.ref("sales_cycle_process.group_application_engineer").ids)
        ],
    )
    agenda = fields.Html(translate=True)
    activity_type_id = fields.Many2one("mail.activity.type", string="Activity Type")
    state_ids = fields.One2many("scp.cadence.state", "rule_id", string="Compliance")
    skipped_partner_ids = fields.Many2many(
        "res.partner",
        "scp_cadence_rule_skipped_partner_rel",
        "rule_id",
        "partner_id",
        string="Skipped Partners",
        readonly=True,
        help="Partners the last scheduled run could not plan: no responsible user could be found.",
    )

    @api.constrains("interval_number", "interval_type", "lead_days")
    def _check_interval(self):
        for rule in self:
            if rule.interval_number <= 0:
                raise ValidationError(
                    self.env._("The cadence '%s' must repeat at least every 1 day, week or month.", rule.name)
                )
            longest = MAX_INTERVAL.get(rule.interval_type, MAX_INTERVAL["days"])
            if rule.interval_number > longest:
                raise ValidationError(
                    self.env._(
                        "The cadence '%(rule)s' repeats too rarely: at most every %(days)s days, "
                        "%(weeks)s weeks or %(months)s months (three years).",
                        rule=rule.name,
                        **MAX_INTERVAL,
                    )
                )
            if rule.lead_days < 0:
                raise ValidationError(
                    self.env._("The cadence '%s' cannot plan its activities after their due date.", rule.name)
                )
            if rule.lead_days > MAX_LEAD_DAYS:
                raise ValidationError(
                    self.env._(
                        "The cadence '%(rule)s' cannot plan its activities more than %(days)s days ahead.",
                        rule=rule.name,
                        days=MAX_LEAD_DAYS,
                    )
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_history(self):
        """The compliance rows and the visit reports of a rule are its history: archive it instead."""
        used = self.env["scp.cadence.state"].sudo().search([("rule_id", "in", self.ids)], limit=1).rule_id
        if used:
            raise UserError(
                self.env._(
                    "The cadence rule '%s' already has a compliance history (contacts planned and done, "
                    "visit reports): archive it instead of deleting it.",
                    used[0].sudo().name,
                )
            )

    @api.constrains("partner_tier", "partner_category_ids", "partner_filter")
    def _check_partner_filter(self):
        for rule in self:
            try:
                rule.env["res.partner"].search_count(rule._partner_domain(), limit=1)
            except Exception as error:
                raise ValidationError(
                    self.env._(
                        "The partner filter of the cadence '%(rule)s' is not a valid filter on contacts: "
                        "%(error)s",
                        rule=rule.name,
                        error=error,
                    )
                ) from error
            if rule.partner_tier == "any" and not rule.partner_category_ids and rule._filter_domain() == []:
                raise ValidationError(
                    self.env._(
                        "The cadence '%s' would contact every partner: "
                        "choose a tier, tags or a partner filter.",
                        rule.name,
                    )
                )

    def _filter_domain(self):
        self.ensure_one()
        domain = ast.literal_eval((self.partner_filter or "[]").strip() or "[]")
        if not isinstance(domain, list):
            raise ValueError(self.env._("a filter is a list of conditions"))
        return domain

    @api.constrains("responsible", "engineer_user_id")
    def _check_engineer(self):
        for rule in self:
            if rule.responsible == "engineer" and not rule.engineer_user_id:
                raise ValidationError(
                    self.env._("Choose the application engineer who is responsible for '%s'.", rule.name)
                )

    def _interval(self):
        self.ensure_one()
        return relativedelta(**{self.interval_type: self.interval_number})

    def _partner_domain(self):
        self.ensure_one()
        if self.partner_tier == "selected":
            domain = [("selected_customer", "=", True)]
        elif self.partner_tier == "any":
            domain = []
        else:
            domain = [("distributor_tier", "=", self.partner_tier)]
        if self.partner_category_ids:
            domain = [*domain, ("category_id", "in", self.partner_category_ids.ids)]
        return [*domain, *self._filter_domain()]

    def _responsible_user(self, partner):
        """The user who owns this rule's contact with ``partner``, or an empty recordset."""
        self.ensure_one()
        if self.responsible == "engineer":
            user = self.engineer_user_id
        elif self.responsible == "team_manager":
            user = partner.user_id.sale_team_id.user_id
        else:
            user = partner.user_id
        return user if user and user.active else self.env["res.users"]

    def _activity_note(self):
        self.ensure_one()
        # the company's configurable checklist (scp.visit.prep.item), or the deck's three headings
        items = self.env["scp.visit.prep.item"]._checklist(self.env.company).mapped("name") or [
            self.env._(
                "Facts about our company: years in business, certifications, reference customers, "
                "size and revenue, success cases, awards"
            ),
            self.env._(
                "Your own preparation: listen first, the technical pitch, what you may concede without asking"
            ),
            self.env._("Cases to present"),
        ]
        # translated texts are escaped into the markup, never concatenated as raw HTML
        checklist = Markup("<p><b>%s</b></p><ul>%s</ul>") % (
            self.env._("Preparation"),
            Markup().join(Markup("<li>%s</li>") % item for item in items),
        )
        agenda = Markup()
        if self.agenda:
            agenda = Markup("<p><b>%s</b></p>") % self.env._("Agenda") + Markup(self.agenda)
        return html_sanitize(agenda + checklist)

    @api.model
    def _cron_schedule_cadences(self, batch_size=CADENCE_BATCH):
        """Plan the next due contact of every partner for every active rule.

        Idempotent: a partner and rule with an open activity gets nothing new; after downtime the
        single new activity is dated at the first missed due date. Safe with several workers: each
        rule is planned under its own lock. A scheduled run commits batch by batch: a run stopped by
        the time limit keeps what it planned, and the next run goes on from there.
        """
        rules = self.search([("active", "=", True)])
        for done, rule in enumerate(rules, start=1):
            try:
                rule._schedule(batch_size=batch_size)
            except Exception:  # one broken rule must not stop the others (its batches are savepoints)
                _logger.warning("Cadence rule %s could not be scheduled", rule.display_name, exc_info=True)
            commit_progress(self.env, None, done, len(rules) - done)

    def _schedule(self, batch_size=CADENCE_BATCH):
        """Plan the rule batch by batch of ``batch_size`` partners; each batch is a savepoint (a broken one
        is logged and the others go on) and, in a scheduled run, committed."""
        self.ensure_one()
        key = f"sales_cycle_process.cadence_rule.{self.id}"
        # first statement of the planning: a concurrent run of the same rule skips it
        if not try_lock(self.env, key):
            _logger.info("Cadence %s is being planned by another worker: skipped", self.display_name)
            return
        with self.env.cr.savepoint():
            partner_ids = self._partner_ids_to_plan()
        skipped = self.env["res.partner"].browse()
        for batch in split_every(batch_size, partner_ids):
            try:
                with self.env.cr.savepoint():
                    skipped |= self._schedule_partners(batch)
            except Exception:  # one broken batch must not stop the others
                _logger.warning(
                    "Cadence %s: partners %s to %s could not be planned",
                    self.display_name,
                    batch[0],
                    batch[-1],
                    exc_info=True,
                )
            if not commit_batch(self.env, key):
                _logger.info("Cadence %s is being planned by another worker: stopped", self.display_name)
                return
        with self.env.cr.savepoint():
            if self.skipped_partner_ids != skipped:
                self.skipped_partner_ids = skipped

    def _partner_ids_to_plan(self):
        """The ids of the active partners that follow the rule, in id order (the batches of a run)."""
        self.ensure_one()
        return (
            self.env["res.partner"]
            .with_context(active_test=True)
            .search(self._partner_domain(), order="id")
            .ids
        )

    def _schedule_partners(self, partner_ids):
        """Plan the rule's next due contact for the partners ``partner_ids`` (one batch of ``_schedule``, or
        one job of the optional queue_job glue): idempotent, a partner with an open activity gets nothing new.

        :returns: the partners of the batch that could not be planned (no responsible user, broken record)
        """
        self.ensure_one()
        today = fields.Date.context_today(self)
        horizon = today + timedelta(days=self.lead_days)
        Partner = self.env["res.partner"].with_context(active_test=True)
        State = self.env["scp.cadence.state"]
        activity_type = self.activity_type_id or self.env.ref("mail.mail_activity_data_todo")
        Activity = self.env["mail.activity"]
        note = self._activity_note()
        skipped = Partner.browse()
        partners = Partner.browse(partner_ids).exists()
        users = {}
        for partner in partners:
            user = self._responsible_user(partner)
            if user:
                users[partner.id] = user
            else:
                skipped |= partner
        if skipped:
            _logger.warning(
                "Cadence %s: no responsible user for partners %s, skipped", self.display_name, skipped.ids
            )
        states = State.search([("rule_id", "=", self.id), ("partner_id", "in", list(users))])
        known = set(states.partner_id.ids)
        states |= State.create(
            [
                {
                    "rule_id": self.id,
                    "partner_id": partner_id,
                    "next_due_date": today,
                    "user_id": user.id,
                    **State._planned_state_vals(),
                }
                for partner_id, user in users.items()
                if partner_id not in known
            ]
        )
        # the partner changed hands: its open activity follows the new responsible user
        handed_over = states.filtered(
            lambda s: s.activity_ids and s.activity_ids.user_id != users[s.partner_id.id]
        )
        for user, user_states in handed_over.grouped(lambda s: users[s.partner_id.id]).items():
            user_states.activity_ids.with_context(mail_activity_quick_update=True).user_id = user
            user_states.user_id = user
        todo = states.filtered(lambda s: not s.activity_ids and s.next_due_date <= horizon)
        # only the planning links an activity to a cadence (mail.activity refuses it from a client)
        failed = self._create_activities(
            [
                Activity._scp_activity_vals(
                    state.partner_id,
                    activity_type,
                    users[state.partner_id.id],
                    self.name,
                    state.next_due_date,
                    note=note,
                    cadence_state_id=state.id,
                )
                for state in todo
            ]
        )
        skipped |= failed
        todo = todo.filtered(lambda s: s.partner_id not in failed)
        moved = todo.filtered(lambda s: s.user_id != users[s.partner_id.id])
        for user, user_states in moved.grouped(lambda s: users[s.partner_id.id]).items():
            user_states.user_id = user
        # write the batch and drop its records from the ORM cache: memory stays that of one batch
        self.env.flush_all()
        for model in ("mail.activity", "mail.followers", "scp.cadence.state", "res.partner"):
            self.env[model].invalidate_model()
        return skipped

    def _create_activities(self, vals_list):
        """Create the activities in one batch; if the batch fails, one by one, skipping the broken partners.

        :returns: the partners whose activity could not be created
        """
        failed = self.env["res.partner"]

        def skip_partner(vals, error):
            nonlocal failed
            _logger.warning(
                "Cadence %s: partner %s could not be planned, skipped",
                self.display_name,
                vals["res_id"],
                exc_info=error,
            )
            failed |= failed.browse(vals["res_id"])

        self.env["mail.activity"]._scp_create_activities(vals_list, on_error=skip_partner)
        return failed


class ScpCadenceState(models.Model):
    _name = "scp.cadence.state"
    _description = "Cadence Compliance"
    _order = "next_due_date, id"
    _rec_name = "partner_id"

    partner_id = fields.Many2one("res.partner", required=True, ondelete="cascade", index=True)
    rule_id = fields.Many2one("scp.cadence.rule", required=True, ondelete="cascade", index=True)
    # precomputed: a compliance row is inserted whole, not inserted then updated (the planning creates
    # one per partner and rule: at 100,000 partners the follow-up UPDATEs were most of the run)
    partner_tier = fields.Selection(related="rule_id.partner_tier", store=True, precompute=True)
    contact_kind = fields.Selection(related="rule_id.contact_kind", store=True, precompute=True)
    user_id = fields.Many2one("res.users", string="Responsible", index=True)
    company_id = fields.Many2one(related="partner_id.company_id", store=True, index=True, precompute=True)
    last_contact_date = fields.Date(readonly=True)
    next_due_date = fields.Date(required=True)
    activity_ids = fields.One2many("mail.activity", "cadence_state_id", string="Open Activities")
    activity_id = fields.Many2one("mail.activity", compute="_compute_activity_id", string="Open Activity")
    overdue_days = fields.Integer(compute="_compute_overdue_days")

    _sql_constraints = [
        (
            "partner_rule_uniq",
            "unique(partner_id, rule_id)",
            "A partner follows each cadence rule only once.",
        )
    ]

    @api.depends("activity_ids")
    def _compute_activity_id(self):
        for state in self:
            state.activity_id = state.activity_ids[:1]

    @api.model
    def _planned_state_vals(self):
        """The values of a compliance row the planning creates, besides its rule, partner, due date and
        responsible: each part adds its stored figures' starting values (inserted with the row)."""
        return {}

    @api.depends("next_due_date")
    def _compute_overdue_days(self):
        today = fields.Date.context_today(self)
        for state in self:
            due = state.next_due_date
            state.overdue_days = (today - due).days if due and due < today else 0

    def _check_contact_written_by_server(self, vals_list):
        if not self.env.su and any("last_contact_date" in vals for vals in vals_list):
            raise AccessError(
                self.env._(
                    "The last contact of a cadence is recorded by marking its activity done, not typed in."
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        self._check_contact_written_by_server(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._check_contact_written_by_server([vals])
        return super().write(vals)

    def _mark_contacted(self, date):
        """Record a contact on ``date`` and move the next due date by the rule's interval."""
        for rule, states in self.sudo().grouped("rule_id").items():
            states.write({"last_contact_date": date, "next_due_date": date + rule._interval()})

    # --- the cadence's activities (dispatched by mail.activity) ---------------------------------
    @api.model
    def _cadence_refuse_activity_link(self):
        """A client links an activity to a cadence: refused (only the planning does, as superuser)."""
        raise AccessError(
            self.env._(
                "Cadence activities are planned by the cadence rules: an activity cannot be "
                "linked to a cadence by hand."
            )
        )

    @api.model
    def _cadence_counted(self, activities):
        """The ``activities`` whose completion counts as a contact for their cadence: planned on the
        cadence's partner, and done by the cadence's responsible user on their own activity, by a sales
        manager or by the server."""
        done_by = self.env.user
        privileged = self.env.su or done_by.has_group("sales_team.group_sale_manager")
        counted = activities.browse()
        for activity in activities.sudo().filtered("cadence_state_id"):
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

    @api.model
    def _cadence_activities_done(self, activities, feedback):
        """Cadence activities among ``activities`` are being marked done: a visit leaves a visit report,
        and each contact that counts moves its cadence's next due date."""
        counted = self._cadence_counted(activities)
        if not counted:
            return
        states = counted.cadence_state_id
        self.env["scp.visit.report"].sudo()._create_from_activities(counted, feedback)
        states._mark_contacted(fields.Date.context_today(self))
