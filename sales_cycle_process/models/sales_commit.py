from datetime import datetime, time, timedelta

import pytz
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

COMMIT_CATEGORIES = [("commit", "Commit"), ("upside", "Upside")]
SNAPSHOT_STATES = [("current", "Current"), ("superseded", "Superseded")]
# Fields the system may still set on a snapshot: the supersede flag, and the chatter.
SUPERSEDE_FIELDS = {"state", "superseded_by_id"}


def week_start(day):
    return day - timedelta(days=day.weekday())


def quarter_start(day):
    return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)


def local_timezone(env):
    """The timezone deadlines and periods are meant in: the user's, else the company's, else UTC."""
    name = env.context.get("tz") or env.user.tz or env.company.partner_id.tz
    return pytz.timezone(name) if name in pytz.all_timezones_set else pytz.utc


def local_to_utc(env, moment):
    """A naive local datetime as the naive UTC datetime Odoo stores."""
    return local_timezone(env).localize(moment).astimezone(pytz.utc).replace(tzinfo=None)


def day_start_utc(env, day):
    """The UTC instant a local calendar day starts: the bound for Datetime fields of that day."""
    return local_to_utc(env, datetime.combine(day, time.min))


def commit_deadline(env, monday, hour):
    """A week's commit closes on its Monday at the given local hour (the managers' Monday call),
    returned in UTC like ``fields.Datetime.now()``."""
    hours, minutes = int(hour), min(59, round((hour % 1) * 60))
    return local_to_utc(env, datetime.combine(monday, time(hours, minutes)))


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


class ScpSnapshotMixin(models.AbstractModel):
    """A submitted snapshot: readable by its audience, writable by nobody."""

    _name = "scp.snapshot.mixin"
    _description = "Immutable Snapshot"

    def _check_snapshot_write(self, vals):
        allowed = set(SUPERSEDE_FIELDS) if self.env.context.get("scp_supersede") else set()
        forbidden = [
            name
            for name in vals
            if name not in allowed and not name.startswith(("message_", "activity_", "website_message"))
        ]
        if forbidden:
            raise UserError(self.env._("A submitted snapshot cannot be changed: submit a new one instead."))

    def write(self, vals):
        self._check_snapshot_write(vals)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(
            self.env._("A submitted snapshot cannot be deleted: it is the record of what was said.")
        )


class ScpSalesCommit(models.Model):
    """One salesperson's weekly commit, as submitted: an immutable snapshot."""

    _name = "scp.sales.commit"
    _description = "Weekly Commit"
    _inherit = ["scp.salesperson.mixin", "scp.snapshot.mixin", "mail.thread"]
    _order = "week_start desc, user_id, id desc"
    _rec_name = "display_name"

    week_start = fields.Date(string="Week of", required=True, readonly=True, index=True)
    submitted_on = fields.Datetime(readonly=True, default=fields.Datetime.now)
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
            "month": (monday.replace(day=1), monday.replace(day=1) + relativedelta(months=1, days=-1)),
            "quarter": (quarter_start(monday), quarter_start(monday) + relativedelta(months=3, days=-1)),
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
    def _submit(self, user, team, monday, lines):
        """Store a commit snapshot; a re-submission replaces the current one and keeps it as history."""
        params = self.env["ir.config_parameter"].sudo()
        hour = float(params.get_param("sales_cycle_process.commit_deadline_hour", 12))
        deadline = commit_deadline(self.env, monday, hour)
        if fields.Datetime.now() > deadline:
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
        if not team:
            raise UserError(
                self.env._(
                    "%(user)s is not in any sales team, so nobody would consolidate this commit. "
                    "Ask your manager to add you to a team first.",
                    user=user.name,
                )
            )
        previous = self.search(
            [("user_id", "=", user.id), ("week_start", "=", monday), ("state", "=", "current")]
        )
        lead_ids = [line["lead_id"] for line in lines]
        if len(set(lead_ids)) != len(lead_ids):
            raise ValidationError(self.env._("A deal can only appear once in a commit."))
        clash = (
            self.env["scp.sales.commit.line"]
            .sudo()
            .search(
                [
                    ("lead_id", "in", lead_ids),
                    ("commit_id.week_start", "=", monday),
                    ("commit_id.state", "=", "current"),
                    ("commit_id.user_id", "!=", user.id),
                ],
                limit=1,
            )
        )
        if clash:
            raise ValidationError(
                self.env._(
                    "The deal %(deal)s is already in the commit of %(user)s for this week: "
                    "a deal can be committed by one salesperson only.",
                    deal=clash.lead_id.name,
                    user=clash.commit_id.user_id.name,
                )
            )
        vals = {
            "user_id": user.id,
            "team_id": team.id,
            "week_start": monday,
            "line_ids": [fields.Command.create(line) for line in lines],
            **self._totals_from_lines(monday, lines),
        }
        commit = self.create(vals)
        if previous:
            previous.sudo().with_context(scp_supersede=True).write(
                {"state": "superseded", "superseded_by_id": commit.id}
            )
            commit.sudo().message_post(
                body=self.env._("This commit replaces the one submitted on %s.", previous[0].submitted_on)
            )
        return commit


class ScpSalesCommitLine(models.Model):
    _name = "scp.sales.commit.line"
    _description = "Weekly Commit Line"
    _inherit = ["scp.snapshot.mixin"]
    _order = "category, date_deadline, id"

    commit_id = fields.Many2one(
        "scp.sales.commit", required=True, ondelete="cascade", index=True, readonly=True
    )
    user_id = fields.Many2one(related="commit_id.user_id", store=True)
    week_start = fields.Date(related="commit_id.week_start", store=True)
    state = fields.Selection(related="commit_id.state", store=True)
    company_id = fields.Many2one(related="commit_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="commit_id.currency_id")
    lead_id = fields.Many2one("crm.lead", string="Deal", required=True, readonly=True, index=True)
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
