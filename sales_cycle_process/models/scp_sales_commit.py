import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

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
from .crm_lead_commit import COMMIT_COUNTED, COMMIT_STATUSES

_logger = logging.getLogger(__name__)

COMMIT_CATEGORIES = [("commit", "Commit"), ("upside", "Upside")]


def commit_deadline_hour(env, company=None):
    """The Monday hour (0-23, checked on the company) a week's commit closes at: the setting of
    ``company`` (the commit's), else of the current company."""
    return (company or env.company).sudo().commit_deadline_hour


class ScpSalesCommit(models.Model):
    """One salesperson's weekly commit, as submitted: an immutable snapshot."""

    _name = "scp.sales.commit"
    _description = "Weekly Commit"
    _inherit = ["scp.snapshot.mixin", "mail.thread"]
    _order = "week_start desc, user_id, id desc"
    _rec_name = "display_name"
    _scp_current_index = "scp_sales_commit_one_current"
    _scp_current_keys = ("user_id", "week_start")

    week_start = fields.Date(string="Week of", required=True, readonly=True, index=True)
    superseded_by_id = fields.Many2one("scp.sales.commit")
    line_ids = fields.One2many("scp.sales.commit.line", "commit_id", readonly=True)
    commit_week = fields.Monetary(string="Commit (week)", readonly=True)
    commit_month = fields.Monetary(string="Commit (month)", readonly=True)
    commit_quarter = fields.Monetary(string="Commit (quarter)", readonly=True)
    upside_week = fields.Monetary(string="Upside (week)", readonly=True)
    upside_month = fields.Monetary(string="Upside (month)", readonly=True)
    upside_quarter = fields.Monetary(string="Upside (quarter)", readonly=True)
    commit_total = fields.Monetary(string="Commit (all)", readonly=True, help="All committed deals.")
    commit_complete_week = fields.Monetary(
        string="Commit Complete (week)",
        readonly=True,
        help="The week's commit of deals whose checklist was complete at submission.",
    )
    commit_overridden_week = fields.Monetary(
        string="Commit Overridden (week)",
        readonly=True,
        help="The week's commit of deals a manager counted as commit though their checklist was incomplete.",
    )

    @api.depends("user_id", "week_start", "state")
    def _compute_display_name(self):
        for commit in self:
            commit.display_name = self.env._(
                "Commit %(user)s, week of %(week)s", user=commit.user_id.name or "", week=commit.week_start
            )

    @api.model
    def _totals_from_lines(self, monday, lines):
        """Commit and upside of the week, month and quarter from line values; the week's commit split into
        complete and overridden (by the line's ``commit_status``)."""
        periods = {
            "week": (monday, monday + timedelta(days=6)),
            "month": (month_start(monday), month_end(monday)),
            "quarter": (quarter_start(monday), quarter_end(monday)),
        }
        totals = {f"{cat}_{period}": 0.0 for cat in ("commit", "upside") for period in periods}
        totals["commit_total"] = sum(line["amount"] for line in lines if line["category"] == "commit")
        totals["commit_complete_week"] = totals["commit_overridden_week"] = 0.0
        for line in lines:
            day = line.get("date_deadline")
            for period, (_start, end) in periods.items():
                # A deal without a close date, or overdue, counts in every period that is still open.
                if not day or day <= end:
                    totals[f"{line['category']}_{period}"] += line["amount"]
            status = line.get("commit_status")
            if (
                line["category"] == "commit"
                and status in COMMIT_COUNTED
                and (not day or day <= periods["week"][1])
            ):
                totals[f"commit_{status}_week"] += line["amount"]
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
        which category. Every deal must be one the caller can read and an open opportunity of ``user``.

        A deal the client puts in the commit is stored as commit only when the deal earns it
        (``crm.lead.commit_status``: its checklist complete from 90 %, or a manager's override); otherwise it
        is stored as upside, and the line keeps that the salesperson asked for commit."""
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
                **lead._commit_line_checklist_vals(wanted[lead.id]),
                "lead_id": lead.id,
                "lead_name": lead.name,
                "lead_user_id": lead.user_id.id,
                # the customer's name of a deal the caller reads: in sudo only for the partner's name
                "partner_name": lead.partner_id.sudo().display_name or lead.partner_name or False,
                "amount": lead.expected_revenue_company,
                "probability": lead.probability,
                "date_deadline": lead.date_deadline,
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
            **self._snapshot_vals(user, team),
            "week_start": monday,
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
    _inherit = ["scp.snapshot.line.mixin"]
    _order = "category, date_deadline, id"
    _rec_name = "lead_name"

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
    requested_commit = fields.Boolean(
        string="Put in Commit",
        readonly=True,
        help="The salesperson put the deal in the commit (it is upside when it did not earn it).",
    )
    checklist_complete = fields.Boolean(readonly=True, help="All five checklist items, at submission.")
    commit_status = fields.Selection(
        COMMIT_STATUSES,
        string="Checklist",
        readonly=True,
        help="How the deal counted at submission: complete, overridden by a manager, incomplete or "
        "below 90 %.",
    )
    overridden = fields.Boolean(readonly=True, help="A manager's override held on the deal at submission.")
    override_reason = fields.Text(readonly=True)
    override_user_id = fields.Many2one(
        "res.users", string="Overridden By", readonly=True, ondelete="set null"
    )
    override_date = fields.Datetime(string="Overridden On", readonly=True)
    checklist_summary = fields.Char(
        string="Checklist Note",
        compute="_compute_checklist_summary",
        help="Complete; overridden: the reason, by whom; or what kept the deal upside.",
    )

    _sql_constraints = [
        ("lead_once", "UNIQUE(commit_id, lead_id)", "A deal can only appear once in a commit."),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        # Lines recorded without the deal's name (the demo data): read it from the deal, as _submit does.
        # (Only while their snapshot is created: the mixin refuses every other line.)
        creating = self._creating_snapshot()
        missing = [
            vals for vals in vals_list if creating and vals.get("lead_id") and not vals.get("lead_name")
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

    @api.depends("commit_status", "override_reason", "override_user_id", "requested_commit")
    def _compute_checklist_summary(self):
        for line in self:
            line.checklist_summary = line._commit_checklist_note(
                line.commit_status, line.override_reason, line.override_user_id.name, line.requested_commit
            )

    @api.model
    def _commit_checklist_note(self, status, reason, user_name, requested):
        """The line's checklist in a sentence (the form and the pack): "Complete", "Overridden: <reason>
        (<who>)", or why a deal put in the commit was kept upside."""
        if status == "complete":
            return self.env._("Complete")
        if status == "overridden":
            return self.env._("Overridden: %(reason)s (%(user)s)", reason=reason or "", user=user_name or "")
        if not status:
            return False
        what = self.env._("Incomplete") if status == "incomplete" else self.env._("Below 90 %")
        return self.env._("%(what)s: kept upside", what=what) if requested else what
