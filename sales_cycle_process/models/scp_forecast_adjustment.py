"""A manager's call on the commit or the forecast of the level below, without touching what was submitted.

The forecast hierarchy is account manager (salesperson) → sales team (its team leader) → region (its
regional manager) → company (the managing director). An adjustment is the manager's number for one node of
it and one period: the week's commit, or one month of the month's 12-month forecast. ``amount`` is the
manager's call itself (not a delta); the submitted number it replaces at that node is recorded beside it
(``submitted_amount``) and the difference shown (``delta``).

Adjustments are snapshots (``scp.snapshot.mixin``): immutable once recorded, a new one for the same node and
period supersedes the current one and the history stays.
"""

import contextvars

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools.money import sane_amount
from ..tools.periods import month_start, months_ahead, sane_date, week_start
from .scp_sales_forecast import FORECAST_MONTHS

LEVELS = [
    ("rep", "Account Manager"),
    ("team", "Sales Team"),
    ("region", "Region"),
    ("company", "Company"),
]
KINDS = [("commit", "Weekly Commit"), ("forecast", "12-Month Forecast")]
# What a client sends when it records an adjustment; everything else is the server's.
CLIENT_FIELDS = {"level", "user_id", "team_id", "region_id", "company_id", "kind", "month", "amount", "note"}
# Set while this thread's own server code stores an adjustment (no context key a client could send).
_STORING = contextvars.ContextVar("scp_storing_adjustment", default=False)


class ScpForecastAdjustment(models.Model):
    _name = "scp.forecast.adjustment"
    _description = "Manager Adjustment"
    _inherit = ["scp.snapshot.mixin", "mail.thread"]
    _order = "period desc, month, level, id desc"
    _scp_current_index = "scp_forecast_adjustment_one_current"
    _scp_current_keys = ("node_key",)

    level = fields.Selection(LEVELS, required=True, default="rep", help="The level of the node adjusted.")
    # the node: the salesperson in a team, a team, a region, or the company
    user_id = fields.Many2one(string="Account Manager", required=False, readonly=False)
    team_id = fields.Many2one(readonly=False)
    region_id = fields.Many2one("scp.sales.region", string="Region", index=True)
    company_id = fields.Many2one(readonly=False, required=True)
    kind = fields.Selection(KINDS, required=True, default="commit", string="Adjusts")
    period = fields.Date(
        readonly=True,
        index=True,
        string="Week / Month of",
        help="The Monday of the week's commit, or the first day of the month whose forecast is adjusted: the "
        "current one, set by the server.",
    )
    month = fields.Date(
        string="Forecast Month", help="Which of the forecast's 12 months the call is for (forecast only)."
    )
    amount = fields.Monetary(string="Manager's Call", required=True)
    submitted_amount = fields.Monetary(
        string="Submitted", readonly=True, help="The sum of the salespeople's submissions at this node then."
    )
    delta = fields.Monetary(compute="_compute_delta", string="Adjustment")
    note = fields.Text(required=True, help="Why the manager's number differs from the submitted one.")
    node_key = fields.Char(readonly=True, index=True, copy=False)
    superseded_by_id = fields.Many2one("scp.forecast.adjustment")

    @api.depends("amount", "submitted_amount")
    def _compute_delta(self):
        for adjustment in self:
            adjustment.delta = adjustment.amount - adjustment.submitted_amount

    @api.depends("level", "user_id", "team_id", "region_id", "company_id", "kind", "period", "month")
    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for adjustment in self:
            node = (
                adjustment.user_id or adjustment.team_id or adjustment.region_id or adjustment.company_id
            ).display_name
            period = adjustment.month if adjustment.kind == "forecast" else adjustment.period
            adjustment.display_name = self.env._(
                "%(kind)s %(node)s, %(period)s",
                kind=kinds.get(adjustment.kind, ""),
                node=node or "",
                period=period and (period.strftime("%Y-%m") if adjustment.kind == "forecast" else period),
            )

    # --- recording -------------------------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        """Every adjustment goes through ``_adjust`` (its checks, its supersede step): a client's create is
        an adjustment request, its values checked; only ``_store_snapshot`` writes the record itself."""
        if _STORING.get():
            return super().create(vals_list)
        adjustments = self.browse()
        for vals in vals_list:
            adjustments |= self._adjust(vals)
        return adjustments

    @api.model
    def _record(self, model, value, what):
        """The one existing record of ``model`` a client named by its id, else a UserError."""
        if isinstance(value, bool) or not isinstance(value, int):
            raise UserError(self.env._("Choose the %s adjusted.", what))
        record = self.env[model].browse(value).exists()
        if not record:
            raise UserError(self.env._("The %s adjusted no longer exists.", what))
        return record

    @api.model
    def _adjust(self, vals):
        """Record a manager's call from a client's values: the node, its level and company, the period,
        the submitted number and the supersede step are decided here. Returns the new adjustment."""
        vals = dict(vals)
        su = self.env.su
        # the server's own code (demo data, tests) may name another period and the manager it records
        period = vals.pop("period", None) if su else None
        submitter = vals.pop("submitted_by_id", None) if su else None
        forbidden = set(vals) - CLIENT_FIELDS
        if forbidden:
            raise AccessError(
                self.env._(
                    "An adjustment records who, when, for which period and against which submission by "
                    "itself: %(fields)s cannot be sent.",
                    fields=", ".join(sorted(forbidden)),
                )
            )
        levels, kinds = dict(LEVELS), dict(KINDS)
        level, kind = vals.get("level"), vals.get("kind")
        if level not in levels or kind not in kinds:
            raise UserError(
                self.env._("Choose the level adjusted and whether it is the commit or the forecast.")
            )
        node = self._adjustment_node(level, vals)
        self._check_adjuster(level, node)
        period, month = self._adjustment_period(kind, period, vals.get("month"))
        amount = sane_amount(self.env, vals.get("amount") or 0.0, self.env._("The manager's call"))
        if amount < 0:
            raise ValidationError(self.env._("The manager's call cannot be below zero."))
        note = vals.get("note")
        if not isinstance(note, str) or not note.strip():
            raise UserError(self.env._("Say in the note why your number differs from the submitted one."))
        node_key = "{}:{}:{}:{}:{}".format(
            level,
            ",".join(str(node[name].id) for name in ("company_id", "region_id", "team_id", "user_id")),
            kind,
            period,
            month or "",
        )
        record_vals = {
            "level": level,
            **{name: node[name].id for name in ("user_id", "team_id", "region_id", "company_id")},
            "kind": kind,
            "period": period,
            "month": month,
            "amount": amount,
            "note": note.strip(),
            "node_key": node_key,
            "submitted_by_id": submitter or self.env.uid,
            "submitted_amount": self._submitted_amount(level, node, kind, period, month),
        }
        token = _STORING.set(True)
        try:
            return self._store_snapshot(record_vals, [("node_key", "=", node_key)])
        finally:
            _STORING.reset(token)

    @api.model
    def _adjustment_node(self, level, vals):
        """The node a client named, complete: {user_id, team_id, region_id, company_id} (records, empty
        where the level has none), each one the caller can read."""
        Users, Teams = self.env["res.users"], self.env["crm.team"]
        Regions = self.env["scp.sales.region"]
        node = {"user_id": Users, "team_id": Teams, "region_id": Regions, "company_id": self.env.company}
        if level in ("rep", "team"):
            team = self._record("crm.team", vals.get("team_id"), self.env._("sales team"))
            node.update(
                team_id=team, region_id=team.region_id, company_id=team.company_id or self.env.company
            )
            if level == "rep":
                user = self._record("res.users", vals.get("user_id"), self.env._("account manager"))
                if user not in team.member_ids:
                    raise UserError(
                        self.env._(
                            "%(user)s is not a member of the sales team %(team)s.",
                            user=user.name,
                            team=team.name,
                        )
                    )
                node["user_id"] = user
        elif level == "region":
            region = self._record("scp.sales.region", vals.get("region_id"), self.env._("region"))
            node.update(region_id=region, company_id=region.company_id)
        else:
            company = vals.get("company_id") or self.env.company.id
            node["company_id"] = self._record("res.company", company, self.env._("company"))
        if level != "rep" and vals.get("user_id"):
            raise UserError(self.env._("Only an account manager's adjustment names a salesperson."))
        if node["company_id"] not in self.env.user.company_ids and not self.env.su:
            raise AccessError(self.env._("You can only adjust the numbers of your own companies."))
        for name in ("team_id", "region_id"):
            if node[name] and not node[name].has_access("read"):
                raise AccessError(self.env._("You can only adjust the numbers you can see."))
        return node

    @api.model
    def _check_adjuster(self, level, node):
        """Who may make the call at which level, decided on the server: the team leader for the team's
        account managers and the team, the regional manager for the region's teams and the region, the
        managing director for the regions and the company. Everyone else is refused."""
        if self.env.su:
            return
        caller = self.env.user
        team, region = node["team_id"], node["region_id"]
        director = caller.has_group("sales_cycle_process.group_managing_director")
        allowed = {
            "rep": team.user_id == caller,
            "team": team.user_id == caller or (region and region.manager_id == caller),
            "region": region.manager_id == caller or director,
            "company": director,
        }[level]
        if not allowed:
            who = {
                "rep": self.env._("the leader of the salesperson's team"),
                "team": self.env._("the team's leader or its regional manager"),
                "region": self.env._("the regional manager or the managing director"),
                "company": self.env._("the managing director"),
            }[level]
            raise AccessError(self.env._("Only %s may adjust this number.", who))

    @api.model
    def _adjustment_period(self, kind, period, month):
        """The week (its Monday) or the month (its first day) adjusted: the current one (the server's own
        code may name another). A forecast's month is one of its 12. Returns (period, month)."""
        today = fields.Date.context_today(self)
        if period:
            period = sane_date(self.env, period, self.env._("The period of an adjustment"))
        else:
            period = today
        period = week_start(period) if kind == "commit" else month_start(period)
        if kind == "commit":
            if month:
                raise UserError(
                    self.env._("A commit is adjusted for its week: leave the forecast month empty.")
                )
            return period, False
        month = month_start(sane_date(self.env, month or period, self.env._("The month of an adjustment")))
        if month not in months_ahead(period, FORECAST_MONTHS):
            raise ValidationError(
                self.env._(
                    "The forecast of %(first)s covers the 12 months from %(first)s: %(month)s is not one "
                    "of them.",
                    first=period.strftime("%Y-%m"),
                    month=month.strftime("%Y-%m"),
                )
            )
        return period, month

    @api.model
    def _submitted_amount(self, level, node, kind, period, month):
        """What the salespeople submitted at this node for this period (current snapshots). Read in sudo
        after ``_check_adjuster``: a team leader adjusts numbers whose snapshots their role may not list."""
        if level == "rep":
            domain = [("team_id", "=", node["team_id"].id), ("user_id", "=", node["user_id"].id)]
        elif level == "team":
            domain = [("team_id", "=", node["team_id"].id)]
        elif level == "region":
            domain = [("team_id.region_id", "=", node["region_id"].id)]
        else:
            domain = [("company_id", "=", node["company_id"].id)]
        if kind == "commit":
            model, domain = "scp.sales.commit", [*domain, ("week_start", "=", period)]
            aggregate = "commit_week:sum"
        else:
            model, aggregate = "scp.sales.forecast.line", "amount:sum"
            domain = [*domain, ("submitted_month", "=", period), ("month", "=", month)]
        [(amount,)] = (
            self.env[model].sudo()._read_group([*domain, ("state", "=", "current")], [], [aggregate])
        )
        return amount or 0.0
