from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ScpSalesRegion(models.Model):
    """A region of the forecast hierarchy (account manager → sales team → region → company): its sales
    teams, and the regional manager who defends its number on Monday and adjusts its teams' calls."""

    _name = "scp.sales.region"
    _description = "Sales Region"
    _order = "sequence, name, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    manager_id = fields.Many2one(
        "res.users",
        string="Regional Manager",
        domain=[("share", "=", False)],
        index=True,
        help="Adjusts the commit and the 12-month forecast of the region's teams and of the region.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    team_ids = fields.One2many("crm.team", "region_id", string="Sales Teams")
    team_count = fields.Integer(compute="_compute_team_count")

    _sql_constraints = [
        ("name_company_unique", "UNIQUE(name, company_id)", "A region's name is unique in its company."),
    ]

    @api.depends("team_ids")
    def _compute_team_count(self):
        counts = dict(
            self.env["crm.team"]._read_group([("region_id", "in", self.ids)], ["region_id"], ["__count"])
        )
        for region in self:
            region.team_count = counts.get(region, 0)

    @api.constrains("company_id")
    def _check_teams_company(self):
        for region in self:
            strangers = region.team_ids.filtered(
                lambda team, region=region: team.company_id and team.company_id != region.company_id
            )
            if strangers:
                raise ValidationError(
                    self.env._(
                        "The sales teams %(teams)s belong to another company than the region %(region)s.",
                        teams=", ".join(strangers.mapped("name")),
                        region=region.name,
                    )
                )
