from odoo import fields, models


class CrmTeam(models.Model):
    _inherit = "crm.team"

    probability_source = fields.Selection(
        [("predictive", "Predictive lead scoring"), ("ladder", "Stage ladder")],
        default="predictive",
        required=True,
        help="Stage ladder: a deal's probability is the probability of its stage. "
        "Predictive lead scoring: Odoo computes it from the won and lost deals (standard behaviour).",
    )

    def write(self, vals):
        res = super().write(vals)
        if vals.get("probability_source") == "ladder":
            Lead = self.env["crm.lead"].sudo()
            leads = Lead.search([("team_id", "in", self.ids), *Lead._ladder_open_domain()])
            leads._ladder_sync_probabilities(reset_override=False)
        return res
