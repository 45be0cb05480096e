import contextvars
import logging
from datetime import timedelta

from psycopg2 import errors as pg_errors

from odoo import api, fields, models, tools
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from ..tools.periods import (
    local_date,
    local_hour_utc,
    local_timezone,
    month_end,
    month_start,
    quarter_end,
    quarter_start,
    sane_date,
    week_start,
)

_logger = logging.getLogger(__name__)

COMMIT_CATEGORIES = [("commit", "Commit"), ("upside", "Upside")]
SNAPSHOT_STATES = [("current", "Current"), ("superseded", "Superseded")]
# How many snapshots (commit or forecast) this thread's own server code is creating right now: their lines
# are created inside that create() and nowhere else (no context key a client could send).
_CREATING_SNAPSHOTS = contextvars.ContextVar("scp_creating_snapshots", default=0)


def commit_deadline_hour(env, company=None):
    """The Monday hour (0-23, checked on the company) a week's commit closes at: the setting of
    ``company`` (the commit's), else of the current company."""
    return (company or env.company).sudo().commit_deadline_hour


class ScpSalespersonMixin(models.AbstractModel):
    """Whose commit or forecast it is: salesperson, team, company and its currency (snapshots and
    their wizards)."""

    _name = "scp.salesperson.mixin"
    _description = "Salesperson, Team and Company"

    user_id = fields.Many2one("res.users", string="Salesperson", required=True, readonly=True, index=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True, index=True)
    company_id = fields.Many2one(
        "res.company", default=lambda self: self.env.company, readonly=True, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")

    @api.depends("user_id")
    def _compute_team_id(self):
        """For the wizards: the salesperson's team."""
        for record in self:
            record.team_id = record.user_id.sale_team_id

    @api.model
    def _check_submitter(self, user, team):
        """Who a snapshot is for and in which team, decided on the server whatever the wizard sent.

        The caller submits for themselves, in a team they belong to (or lead). Somebody else's commit or
        forecast is submitted only by the leader of that salesperson's team or a sales administrator
        (``sales_team.group_sale_manager``), e.g. for a salesperson on holiday. Returns (user, team)."""
        caller = self.env.user
        user = user.exists() if user else user
        if not user or len(user) != 1 or user.share:
            raise UserError(self.env._("Choose the salesperson the commit or forecast is for."))
        if not team:
            raise UserError(
                self.env._(
                    "%(user)s is not in any sales team, so nobody would consolidate this commit or forecast. "
                    "Ask your manager to add you to a team first.",
                    user=user.name,
                )
            )
        team = team.exists()
        if len(team) != 1 or not team.has_access("read"):
            raise AccessError(self.env._("Choose one of your own sales teams."))
        if user not in team.member_ids and user != team.user_id:
            raise UserError(
                self.env._(
                    "%(user)s is not a member of the sales team %(team)s: a commit or forecast is "
                    "consolidated in its salesperson's own team.",
                    user=user.name,
                    team=team.name,
                )
            )
        if user != caller and not (
            self.env.su or team.user_id == caller or caller.has_group("sales_team.group_sale_manager")
        ):
            raise AccessError(
                self.env._(
                    "You can submit your own commit and forecast only: the leader of %(team)s submits for "
                    "%(user)s if needed.",
                    team=team.name,
                    user=user.name,
                )
            )
        return user, team


class ScpSnapshotMixin(models.AbstractModel):
    """A submitted snapshot: readable by its audience, writable by nobody.

    Only the submit flow (``_submit``, after its checks) creates snapshots, in sudo: no role has create
    rights on them. Their lines are created with them and never afterwards. What the server itself still
    changes (the supersede link, a merged deal) goes through the private ``_write_system``."""

    _name = "scp.snapshot.mixin"
    _description = "Immutable Snapshot"
    # True on the line models: lines are created only inside their snapshot's create()
    _scp_snapshot_line = False
    # The partial unique index: one current snapshot per salesperson and period
    _scp_current_index = None

    @api.model_create_multi
    def create(self, vals_list):
        if self._scp_snapshot_line:
            if not _CREATING_SNAPSHOTS.get():
                raise AccessError(
                    self.env._(
                        "The lines of a commit or forecast are recorded when it is submitted: a submitted "
                        "one gets no new line. Submit a new one instead."
                    )
                )
            return super().create(vals_list)
        token = _CREATING_SNAPSHOTS.set(_CREATING_SNAPSHOTS.get() + 1)
        try:
            return super().create(vals_list)
        finally:
            _CREATING_SNAPSHOTS.reset(token)

    def _check_snapshot_write(self, vals):
        forbidden = [
            name for name in vals if not name.startswith(("message_", "activity_", "website_message"))
        ]
        if forbidden:
            raise UserError(self.env._("A submitted snapshot cannot be changed: submit a new one instead."))

    def write(self, vals):
        self._check_snapshot_write(vals)
        return super().write(vals)

    def _write_system(self, vals):
        """The server's own changes to a snapshot (superseded by a new one, a deal merged into another):
        a private method, so no client can call it, and write() itself refuses every client."""
        # the write of the models after this mixin: past the refusal above, and only from here
        return super(ScpSnapshotMixin, self.sudo()).write(vals)  # pylint: disable=super-method-mismatch

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(
            self.env._("A submitted snapshot cannot be deleted: it is the record of what was said.")
        )

    def _create_current_index(self, columns):
        """One current snapshot per salesperson and period, also against two simultaneous submissions:
        a partial unique index (``_sql_constraints`` cannot say ``WHERE``). Older duplicates (from before
        the index) are superseded by the newest first, so that the index can be created."""
        cr, table = self.env.cr, self._table
        if tools.index_exists(cr, self._scp_current_index):
            return
        table_sql = SQL.identifier(table)
        keys = SQL(", ").join(SQL.identifier(column) for column in columns)
        cr.execute(
            SQL(
                """
                UPDATE %(table)s old SET state = 'superseded', superseded_by_id = newest.id
                  FROM (SELECT DISTINCT ON (%(keys)s) id, %(keys)s FROM %(table)s
                         WHERE state = 'current' ORDER BY %(keys)s, submitted_on DESC, id DESC) newest
                 WHERE old.state = 'current' AND old.id != newest.id AND %(same)s
                """,
                table=table_sql,
                keys=keys,
                same=SQL(" AND ").join(
                    SQL("%s = %s", SQL.identifier("old", column), SQL.identifier("newest", column))
                    for column in columns
                ),
            )
        )
        if cr.rowcount:
            _logger.warning("%s: %s duplicate current snapshots superseded by the newest", table, cr.rowcount)
        cr.execute(
            SQL(
                "CREATE UNIQUE INDEX %s ON %s (%s) WHERE state = 'current'",
                SQL.identifier(self._scp_current_index),
                table_sql,
                keys,
            )
        )

    @api.model
    def _store_snapshot(self, vals, key_domain):
        """Create the snapshot checked by ``_submit`` (in sudo: nobody has create rights) and supersede
        the current one of the same salesperson and period. Returns it in the caller's environment."""
        Snapshot = self.sudo()
        previous = Snapshot.search([*key_domain, ("state", "=", "current")])
        try:
            with self.env.cr.savepoint():
                if previous:
                    previous._write_system({"state": "superseded"})
                    previous.flush_recordset(["state"])
                snapshot = Snapshot.create(vals)
                snapshot.flush_recordset()
        except pg_errors.UniqueViolation as error:
            if error.diag.constraint_name != self._scp_current_index:
                raise
            raise UserError(
                self.env._(
                    "Another %(what)s for the same salesperson and period was submitted at the same moment. "
                    "Open it again and submit once more to replace it.",
                    what=self._description.lower(),
                )
            ) from None
        if previous:
            previous._write_system({"superseded_by_id": snapshot.id})
            snapshot.sudo().message_post(
                body=self.env._(
                    "This snapshot replaces the one submitted on %(date)s.", date=previous[0].submitted_on
                )
            )
        return snapshot.with_env(self.env)


class ScpSalesCommit(models.Model):
    """One salesperson's weekly commit, as submitted: an immutable snapshot."""

    _name = "scp.sales.commit"
    _description = "Weekly Commit"
    _inherit = ["scp.salesperson.mixin", "scp.snapshot.mixin", "mail.thread"]
    _order = "week_start desc, user_id, id desc"
    _rec_name = "display_name"
    _scp_current_index = "scp_sales_commit_one_current"

    week_start = fields.Date(string="Week of", required=True, readonly=True, index=True)
    submitted_on = fields.Datetime(readonly=True, default=fields.Datetime.now)
    submitted_by_id = fields.Many2one(
        "res.users",
        string="Submitted By",
        readonly=True,
        help="The salesperson, or the team leader for them.",
    )
    state = fields.Selection(SNAPSHOT_STATES, default="current", readonly=True, index=True)
    superseded_by_id = fields.Many2one("scp.sales.commit", readonly=True, string="Replaced by")
    line_ids = fields.One2many("scp.sales.commit.line", "commit_id", readonly=True)
    commit_week = fields.Monetary(string="Commit (week)", readonly=True)
    commit_month = fields.Monetary(string="Commit (month)", readonly=True)
    commit_quarter = fields.Monetary(string="Commit (quarter)", readonly=True)
    upside_week = fields.Monetary(string="Upside (week)", readonly=True)
    upside_month = fields.Monetary(string="Upside (month)", readonly=True)
    upside_quarter = fields.Monetary(string="Upside (quarter)", readonly=True)
    commit_total = fields.Monetary(string="Commit (all)", readonly=True, help="All committed deals.")

    def init(self):
        res = super().init()
        self._create_current_index(["user_id", "week_start"])
        return res

    @api.depends("user_id", "week_start", "state")
    def _compute_display_name(self):
        for commit in self:
            commit.display_name = self.env._(
                "Commit %(user)s, week of %(week)s", user=commit.user_id.name or "", week=commit.week_start
            )

    @api.model
    def _totals_from_lines(self, monday, lines):
        """Commit and upside of the week, month and quarter from line values."""
        periods = {
            "week": (monday, monday + timedelta(days=6)),
            "month": (month_start(monday), month_end(monday)),
            "quarter": (quarter_start(monday), quarter_end(monday)),
        }
        totals = {f"{cat}_{period}": 0.0 for cat in ("commit", "upside") for period in periods}
        totals["commit_total"] = sum(line["amount"] for line in lines if line["category"] == "commit")
        for line in lines:
            day = line.get("date_deadline")
            for period, (_start, end) in periods.items():
                # A deal without a close date, or overdue, counts in every period that is still open.
                if not day or day <= end:
                    totals[f"{line['category']}_{period}"] += line["amount"]
        return totals

    @api.model
    def _check_week(self, monday, company=None):
        """The week committed: a Monday, this week until its Monday deadline (of ``company``, the
        commit's), or next week."""
        monday = sane_date(self.env, monday, self.env._("The week of a commit"))
        if monday.weekday():
            raise ValidationError(
                self.env._(
                    "A commit is for a week starting on a Monday: %(day)s is not a Monday.", day=monday
                )
            )
        now = fields.Datetime.now()
        deadline = local_hour_utc(self.env, monday, commit_deadline_hour(self.env, company))
        if now > deadline:
            raise UserError(
                self.env._(
                    "The commit for the week of %(week)s closed on %(deadline)s: it can no longer be "
                    "submitted. Tell your manager.",
                    week=monday,
                    deadline=fields.Datetime.context_timestamp(
                        self.with_context(tz=local_timezone(self.env).zone), deadline
                    ).strftime("%Y-%m-%d %H:%M %Z"),
                )
            )
        this_monday = week_start(local_date(self.env, now))
        if monday > this_monday + timedelta(days=7):
            raise UserError(
                self.env._(
                    "The commit for the week of %(week)s is not open yet: commit this week (until its "
                    "Monday deadline) or next week.",
                    week=monday,
                )
            )
        return monday

    @api.model
    def _lines_from_deals(self, user, monday, lines):
        """The commit's lines, read by the server from the deals: the client only says which deals and in
        which category. Every deal must be one the caller can read and an open opportunity of ``user``."""
        categories = dict(COMMIT_CATEGORIES)
        wanted = {}
        for line in lines:
            lead_id, category = line.get("lead_id"), line.get("category")
            if isinstance(lead_id, bool) or not isinstance(lead_id, int) or category not in categories:
                raise ValidationError(
                    self.env._("Each line of a commit is a deal, in the commit or in the upside.")
                )
            if lead_id in wanted:
                raise ValidationError(self.env._("A deal can only appear once in a commit."))
            wanted[lead_id] = category
        leads = self.env["crm.lead"].with_context(active_test=False).browse(list(wanted))
        if len(leads.exists()) != len(leads):
            raise UserError(self.env._("A deal of this commit no longer exists: open the commit again."))
        if leads._filtered_access("read") != leads:
            raise AccessError(self.env._("A commit can only hold deals you can see."))
        strangers = leads.filtered(
            lambda lead: lead.user_id != user or lead.type != "opportunity" or not lead.active
        )
        if strangers:
            raise UserError(
                self.env._(
                    "%(deals)s: only the open opportunities of %(user)s can be in their commit.",
                    deals=", ".join(strangers.mapped("name")),
                    user=user.name,
                )
            )
        self._check_deals_not_committed_by_others(user, monday, leads)
        return [
            {
                "lead_id": lead.id,
                "lead_name": lead.name,
                "lead_user_id": lead.user_id.id,
                # the customer's name of a deal the caller reads: in sudo only for the partner's name
                "partner_name": lead.partner_id.sudo().display_name or lead.partner_name or False,
                "category": wanted[lead.id],
                "amount": lead.expected_revenue_company,
                "probability": lead.probability,
                "date_deadline": lead.date_deadline,
                "config_final": lead.commit_config_final,
                "end_user_signed": lead.commit_end_user_signed,
                "integrator_signed": lead.commit_integrator_signed,
                "discount_approved": lead.commit_discount_approved,
                "partner_ready": lead.commit_partner_ready,
            }
            for lead in leads
        ]

    @api.model
    def _check_deals_not_committed_by_others(self, user, monday, leads):
        """A deal is committed by one salesperson a week. The search is in sudo (the other commit is not the
        caller's); the message names the deal (the caller reads it) and the other salesperson only when the
        caller may read their commit."""
        clash = (
            self.env["scp.sales.commit.line"]
            .sudo()
            .search(
                [
                    ("lead_id", "in", leads.ids),
                    ("week_start", "=", monday),
                    ("state", "=", "current"),
                    ("user_id", "!=", user.id),
                ],
                limit=1,
            )
        )
        if not clash:
            return
        deal = leads.filtered(lambda lead: lead.id == clash.lead_id.id)
        other = clash.commit_id.with_env(self.env)
        if other.has_access("read"):
            message = self.env._(
                "The deal %(deal)s is already in the commit of %(user)s for this week: "
                "a deal can be committed by one salesperson only.",
                deal=deal.name,
                user=other.user_id.name,
            )
        else:
            message = self.env._(
                "The deal %(deal)s is already in another salesperson's commit for this week: "
                "a deal can be committed by one salesperson only.",
                deal=deal.name,
            )
        raise ValidationError(message)

    @api.model
    def _submit(self, user, team, monday, lines):
        """Store a commit snapshot; a re-submission replaces the current one and keeps it as history.

        ``lines``: dicts with ``lead_id`` and ``category``; everything else is read from the deals here.
        Checked on the server: the week, the deadline, who for and which team, the deals; the totals are
        computed from the lines."""
        user, team = self._check_submitter(user, team)
        monday = self._check_week(monday, team.company_id)
        line_vals = self._lines_from_deals(user, monday, lines)
        vals = {
            "user_id": user.id,
            "team_id": team.id,
            "company_id": (team.company_id or self.env.company).id,
            "week_start": monday,
            "submitted_by_id": self.env.uid,
            "line_ids": [fields.Command.create(line) for line in line_vals],
            **self._totals_from_lines(monday, line_vals),
        }
        return self._store_snapshot(vals, [("user_id", "=", user.id), ("week_start", "=", monday)])


class ScpSalesCommitLine(models.Model):
    """A deal as it was committed. Its name, owner, customer and amount are recorded at submission: the
    line keeps them when the deal is deleted (``lead_id`` becomes empty) or merged into another one
    (``lead_id`` follows the surviving deal)."""

    _name = "scp.sales.commit.line"
    _description = "Weekly Commit Line"
    _inherit = ["scp.snapshot.mixin"]
    _order = "category, date_deadline, id"
    _rec_name = "lead_name"
    _scp_snapshot_line = True

    commit_id = fields.Many2one(
        "scp.sales.commit", required=True, ondelete="cascade", index=True, readonly=True
    )
    user_id = fields.Many2one(related="commit_id.user_id", store=True)
    week_start = fields.Date(related="commit_id.week_start", store=True)
    state = fields.Selection(related="commit_id.state", store=True)
    company_id = fields.Many2one(related="commit_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="commit_id.currency_id")
    lead_id = fields.Many2one("crm.lead", string="Deal", ondelete="set null", readonly=True, index=True)
    lead_name = fields.Char(string="Deal Name", readonly=True, help="The deal's name when it was committed.")
    lead_user_id = fields.Many2one(
        "res.users", string="Deal Owner", ondelete="set null", readonly=True, help="When it was committed."
    )
    partner_name = fields.Char(
        string="Customer", readonly=True, help="The deal's customer when it was committed."
    )
    amount = fields.Monetary(readonly=True)
    probability = fields.Float(readonly=True)
    date_deadline = fields.Date(string="Expected Closing", readonly=True)
    category = fields.Selection(COMMIT_CATEGORIES, required=True, readonly=True)
    config_final = fields.Boolean(readonly=True)
    end_user_signed = fields.Boolean(readonly=True)
    integrator_signed = fields.Boolean(readonly=True)
    discount_approved = fields.Boolean(readonly=True)
    partner_ready = fields.Boolean(readonly=True)

    _sql_constraints = [
        ("lead_once", "UNIQUE(commit_id, lead_id)", "A deal can only appear once in a commit."),
    ]

    def init(self):
        res = super().init()
        # Lines recorded before the deal's name, owner and customer were stored on them.
        self.env.cr.execute(
            """
            UPDATE scp_sales_commit_line line
               SET lead_name = lead.name, lead_user_id = lead.user_id,
                   partner_name = COALESCE(partner.name, lead.partner_name)
              FROM crm_lead lead
              LEFT JOIN res_partner partner ON partner.id = lead.partner_id
             WHERE lead.id = line.lead_id AND line.lead_name IS NULL
            """
        )
        return res

    @api.model_create_multi
    def create(self, vals_list):
        # Lines recorded without the deal's name (the demo data): read it from the deal, as _submit does.
        # (Only while their snapshot is created: the mixin refuses every other line.)
        missing = [
            vals
            for vals in vals_list
            if _CREATING_SNAPSHOTS.get() and vals.get("lead_id") and not vals.get("lead_name")
        ]
        leads = (
            self.env["crm.lead"]
            .sudo()
            .with_context(active_test=False)
            .browse([vals["lead_id"] for vals in missing])
        )
        for vals, lead in zip(missing, leads, strict=True):
            vals.update(
                lead_name=lead.name,
                lead_user_id=lead.user_id.id,
                partner_name=lead.partner_id.display_name or lead.partner_name or False,
            )
        return super().create(vals_list)
