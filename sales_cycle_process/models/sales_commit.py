import logging
import math
from datetime import datetime, time, timedelta

import pytz
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

_logger = logging.getLogger(__name__)

COMMIT_CATEGORIES = [("commit", "Commit"), ("upside", "Upside")]
DEADLINE_HOUR_PARAM = "sales_cycle_process.commit_deadline_hour"
DEADLINE_HOUR_DEFAULT = 12
# Dates a commit, forecast or target may be for.
SANE_YEARS = (2000, 2100)


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


def commit_deadline_hour(env):
    """The Monday hour (0-23) a week's commit closes at: the setting, or 12 when the stored value is not an
    hour (a bad value is logged, never a traceback in the wizard)."""
    raw = env["ir.config_parameter"].sudo().get_param(DEADLINE_HOUR_PARAM, DEADLINE_HOUR_DEFAULT)
    try:
        hour = float(raw)
    except (TypeError, ValueError):
        hour = -1.0
    if not (0 <= hour <= 23 and hour == int(hour)):
        _logger.warning(
            "Setting %s: %r is not an hour from 0 to 23, %s is used",
            DEADLINE_HOUR_PARAM,
            raw,
            DEADLINE_HOUR_DEFAULT,
        )
        return DEADLINE_HOUR_DEFAULT
    return int(hour)


def sane_date(env, value, what):
    """``value`` as a date within SANE_YEARS, else a ValidationError naming ``what``."""
    try:
        day = fields.Date.to_date(value)
    except (TypeError, ValueError):
        day = None
    if not day or not SANE_YEARS[0] <= day.year <= SANE_YEARS[1]:
        raise ValidationError(
            env._(
                "%(what)s must be a date between the years %(first)s and %(last)s, not %(value)s.",
                what=what,
                first=SANE_YEARS[0],
                last=SANE_YEARS[1],
                value=value,
            )
        )
    return day


def sane_amount(env, value, what):
    """``value`` as a finite number, else a ValidationError naming ``what``."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValidationError(env._("%(what)s must be a number, not %(value)s.", what=what, value=value))
    return float(value)


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
    def _check_week(self, monday):
        """The week committed: a Monday, this week until its Monday deadline, or next week."""
        monday = sane_date(self.env, monday, self.env._("The week of a commit"))
        if monday.weekday():
            raise ValidationError(
                self.env._(
                    "A commit is for a week starting on a Monday: %(day)s is not a Monday.", day=monday
                )
            )
        now = fields.Datetime.now()
        deadline = commit_deadline(self.env, monday, commit_deadline_hour(self.env))
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
        this_monday = week_start(local_timezone(self.env).fromutc(now).date())
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
                "amount": lead.expected_revenue,
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
        monday = self._check_week(monday)
        user, team = self._check_submitter(user, team)
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
