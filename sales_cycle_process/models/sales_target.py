from odoo import api, fields, models
from odoo.exceptions import ValidationError


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
    ]

    @api.depends("base_amount", "raise_factor")
    def _compute_amount(self):
        for target in self:
            target.amount = target.base_amount * target.raise_factor

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("month"):
                vals["month"] = fields.Date.to_date(vals["month"]).replace(day=1)
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("month"):
            vals["month"] = fields.Date.to_date(vals["month"]).replace(day=1)
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
