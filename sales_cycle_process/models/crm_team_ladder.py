from odoo import fields, models


class CrmTeam(models.Model):
    _inherit = "crm.team"

    probability_source = fields.Selection(
        [("predictive", "Predictive lead scoring"), ("ladder", "Stage ladder")],
        string="Probability Source",
        default="predictive",
        required=True,
        help="Stage ladder: a deal's probability is the probability of its stage. "
        "Predictive lead scoring: Odoo computes it from the won and lost deals (standard behaviour).",
    )

    def write(self, vals):
        res = super().write(vals)
        if vals.get("probability_source") == "ladder":
            leads = self.env["crm.lead"].search(
                [("team_id", "in", self.ids), ("active", "=", True), ("won_status", "=", "pending")]
            )
            leads._ladder_sync_probabilities(reset_override=False)
        return res
