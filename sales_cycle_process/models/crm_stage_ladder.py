from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

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
        help="What has been achieved when a deal is at this stage, in the sales process's words.",
    )
    entry_criterion_ids = fields.One2many(
        "scp.stage.criterion",
        "stage_id",
        string="Entry Criteria",
        help="What must be true for a deal to be at this stage: a deal moving up to it (or past it) has "
        "them checked.",
    )
    entry_criterion_count = fields.Integer(compute="_compute_entry_criterion_count", string="Criteria")
    ladder_only = fields.Boolean(
        string="Stage Ladder Only",
        help="Shown only in the pipeline and on the status bar of teams that use the stage ladder: the "
        "rungs the playbook adds to Odoo's own stages. Teams with predictive lead scoring keep Odoo's "
        "four stages (a deal already in such a stage still shows it).",
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

    @api.depends("entry_criterion_ids")
    def _compute_entry_criterion_count(self):
        for stage in self:
            stage.entry_criterion_count = len(stage.entry_criterion_ids)

    @api.constrains("probability")
    def _check_probability_range(self):
        for stage in self:
            if not 0 <= stage.probability <= 100:
                raise ValidationError(
                    self.env._(
                        "The probability of stage “%(stage)s” must be between 0 %% and 100 %%.",
                        stage=stage.name,
                    )
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_ladder_history(self):
        """A stage goes with its entry criteria only when no deal has checked them, and only when it
        holds no deal (Odoo's database refuses that last case with a less readable message)."""
        Lead = self.env["crm.lead"].sudo().with_context(active_test=False)
        for stage in self:
            deals = Lead.search_count([("stage_id", "=", stage.id)])
            if deals:
                raise UserError(
                    self.env._(
                        "The stage “%(stage)s” still holds %(count)s deals (lost ones included): move them "
                        "to another stage before deleting it.",
                        stage=stage.name,
                        count=deals,
                    )
                )
        criteria = self.env["scp.stage.criterion"].sudo().with_context(active_test=False)
        checked = criteria.search([("stage_id", "in", self.ids)])._checked_by_deals()
        if checked:
            raise UserError(
                self.env._(
                    "The stage “%(stage)s” cannot be deleted: deals have checked its entry criterion "
                    "“%(criterion)s”, and their checklists keep who checked it and when. Keep the stage and "
                    "fold it, so that it no longer takes room in the pipeline.",
                    stage=checked[0].stage_id.name,
                    criterion=checked[0].name,
                )
            )

    @api.onchange("probability")
    def _onchange_probability_forecast_category(self):
        self.forecast_category = self._forecast_category_for(self.probability)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if "probability" in vals and not vals.get("forecast_category"):
                vals["forecast_category"] = self._forecast_category_for(vals["probability"] or 0.0)
        return super().create(vals_list)

    def write(self, vals):
        res = super().write(vals)
        if "team_id" in vals:
            self.env.registry.clear_cache()  # scp.stage.criterion._ladder_team_criteria_exist
        if "probability" in vals:
            self.env["crm.lead"]._ladder_follow_stage_probability(self)
        return res
