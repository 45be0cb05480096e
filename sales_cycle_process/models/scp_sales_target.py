import logging

from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError
from odoo.osv import expression

from ..tools.money import sane_amount
from ..tools.periods import month_start, sane_date

_logger = logging.getLogger(__name__)


class ScpSalesTarget(models.Model):
    """A stretched monthly target: a base target raised by a factor, per salesperson or per team."""

    _name = "scp.sales.target"
    _description = "Stretched Sales Target"
    _inherit = ["mail.thread"]
    _order = "month desc, team_id, user_id"

    month = fields.Date(required=True, tracking=True, help="First day of the month the target is for.")
    user_id = fields.Many2one("res.users", string="Salesperson", index=True, tracking=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", index=True, tracking=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company, required=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    base_amount = fields.Monetary(string="Base Target", required=True, tracking=True)
    raise_factor = fields.Float(
        default=1.1, required=True, tracking=True, help="The stretch: 1.1 raises the base target by 10 %."
    )
    amount = fields.Monetary(
        string="Stretched Target", compute="_compute_amount", store=True, help="Base target x raise factor."
    )

    _sql_constraints = [
        ("raise_factor_positive", "CHECK(raise_factor > 0)", "The raise factor must be positive."),
        ("base_amount_not_negative", "CHECK(base_amount >= 0)", "A target cannot be negative."),
        # one target per salesperson and month (team targets, without a salesperson: see init)
        ("user_month_unique", "UNIQUE(company_id, user_id, month)", "A salesperson has one target a month."),
    ]

    def init(self):
        res = super().init()
        # One team target per team and month; a partial index (``_sql_constraints`` cannot say WHERE), only
        # if no duplicates exist yet (they are reported by the Python check when edited).
        cr = self.env.cr
        if not tools.index_exists(cr, "scp_sales_target_team_month_unique"):
            cr.execute(
                """SELECT 1 FROM scp_sales_target WHERE user_id IS NULL
                    GROUP BY company_id, team_id, month HAVING count(*) > 1 LIMIT 1"""
            )
            if cr.rowcount:
                _logger.warning("scp_sales_target: duplicate team targets, the unique index is not created")
            else:
                cr.execute(
                    """CREATE UNIQUE INDEX scp_sales_target_team_month_unique ON scp_sales_target
                       (company_id, team_id, month) WHERE user_id IS NULL"""
                )
        return res

    @api.depends("base_amount", "raise_factor")
    def _compute_amount(self):
        for target in self:
            target.amount = target.base_amount * target.raise_factor

    @api.model
    def _clean_vals(self, vals):
        """Bounded input, refused in a sentence before the database sees it: the month (its first day, a sane
        year), a base target not negative, a raise factor above 0."""
        vals = dict(vals)
        if "month" in vals:
            month = sane_date(self.env, vals["month"], self.env._("The month of a target"))
            vals["month"] = month_start(month)
        if (
            "base_amount" in vals
            and sane_amount(self.env, vals["base_amount"] or 0.0, self.env._("A target")) < 0
        ):
            raise ValidationError(self.env._("A target cannot be negative."))
        if (
            "raise_factor" in vals
            and not sane_amount(self.env, vals["raise_factor"] or 0.0, self.env._("The raise factor")) > 0
        ):
            raise ValidationError(
                self.env._("The raise factor must be above 0: 1.1 raises the base target by 10 %.")
            )
        return vals

    @api.model
    def _target_key(self, vals, record=None):
        """What a target is unique by: company, month and its salesperson (or, without one, its team)."""

        def value(name):
            if name in vals:
                return vals[name] or False
            if record:
                return record[name].id if name.endswith("_id") else record[name]
            return self.env.company.id if name == "company_id" else False

        user = value("user_id")
        return (value("company_id"), value("month"), user, False if user else value("team_id"))

    @api.model
    def _check_unique_targets(self, keys, exclude_ids=()):
        """One target per salesperson (or team) and month, in a sentence: before the database's unique index
        would refuse it. One search for all of them."""
        if len(set(keys)) != len(keys):
            raise ValidationError(
                self.env._("A salesperson or a team has one target a month: the same one is there twice.")
            )
        domains = [
            [
                ("company_id", "=", company),
                ("month", "=", month),
                *([("user_id", "=", user)] if user else [("user_id", "=", False), ("team_id", "=", team)]),
            ]
            for company, month, user, team in keys
            if month and (user or team)
        ]
        if not domains:
            return
        clash = self.sudo().search([("id", "not in", list(exclude_ids)), *expression.OR(domains)], limit=1)
        if clash:
            raise ValidationError(
                self.env._(
                    "%(owner)s already has a target for %(month)s: change that one instead of adding "
                    "another.",
                    owner=clash.user_id.name or clash.team_id.name,
                    month=clash.month.strftime("%Y-%m"),
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [self._clean_vals(vals) for vals in vals_list]
        self._check_unique_targets([self._target_key(vals) for vals in vals_list])
        return super().create(vals_list)

    def write(self, vals):
        vals = self._clean_vals(vals)
        if {"company_id", "month", "user_id", "team_id"} & set(vals):
            self._check_unique_targets([self._target_key(vals, target) for target in self], self.ids)
        return super().write(vals)

    @api.constrains("user_id", "team_id")
    def _check_owner(self):
        for target in self:
            if not target.user_id and not target.team_id:
                raise ValidationError(
                    self.env._("A target is for a salesperson or for a sales team: choose one.")
                )

    @api.model
    def _target_amounts(self, users, date_from, date_to):
        """Stretched targets of salespeople between two dates: {(user_id, month): amount}."""
        groups = self._read_group(
            [("user_id", "in", users.ids), ("month", ">=", date_from), ("month", "<=", date_to)],
            ["user_id", "month:month"],
            ["amount:sum"],
        )
        return {(user.id, month): amount for user, month, amount in groups}

    @api.model
    def _team_target_amounts(self, teams, date_from, date_to):
        """Stretched targets set on the teams themselves between two dates: {team_id: amount}."""
        groups = self._read_group(
            [
                ("team_id", "in", teams.ids),
                ("user_id", "=", False),
                ("month", ">=", date_from),
                ("month", "<=", date_to),
            ],
            ["team_id"],
            ["amount:sum"],
        )
        return {team.id: amount for team, amount in groups}
