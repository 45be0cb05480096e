from odoo import api, fields, models

PHASES = [
    ("intake", "Lead intake"),
    ("selling", "Selling"),
    ("closing", "Closing"),
]
FORECAST_CATEGORIES = [
    ("omitted", "Omitted"),
    ("pipeline", "Pipeline"),
    ("upside", "Best case / Upside"),
    ("commit", "Commit"),
    ("closed", "Closed"),
]


class CrmStage(models.Model):
    """A rung of the playbook's probability ladder."""

    _inherit = "crm.stage"

    probability = fields.Float(
        help="Win probability of the deals in this stage, in percent (0-100). Leads of teams that use "
        "the stage ladder take this probability when they enter the stage.",
    )
    phase = fields.Selection(PHASES, help="Part of the sales cycle this stage belongs to.")
    forecast_category = fields.Selection(
        FORECAST_CATEGORIES,
        help="How deals in this stage count in the commit and the forecast.",
    )
    definition = fields.Html(
        translate=True,
        help="What must be true for a deal to be in this stage.",
    )

    @api.model
    def _forecast_category_for(self, probability):
        """The default forecast category of a probability, as the playbook sets it."""
        if probability >= 100:
            return "closed"
        if probability >= 90:
            return "commit"
        if probability >= 80:
            return "upside"
        if probability >= 25:
            return "pipeline"
        return "omitted"
