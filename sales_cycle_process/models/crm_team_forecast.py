from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CrmTeam(models.Model):
    """A sales team's place in the forecast hierarchy: the region it rolls up to."""

    _inherit = "crm.team"

    region_id = fields.Many2one(
        "scp.sales.region",
        string="Region",
        index=True,
        ondelete="restrict",
        help="The region the team's commit and forecast roll up to (then to the company); its regional "
        "manager may adjust the team's call.",
    )

    @api.constrains("region_id", "company_id")
    def _check_region_company(self):
        for team in self:
            if team.region_id and team.company_id and team.region_id.company_id != team.company_id:
                raise ValidationError(
                    self.env._(
                        "The sales team %(team)s (company %(company)s) cannot belong to the region "
                        "%(region)s of another company.",
                        team=team.name,
                        company=team.company_id.name,
                        region=team.region_id.name,
                    )
                )
