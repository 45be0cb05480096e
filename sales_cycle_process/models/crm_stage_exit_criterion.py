from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CrmStageExitCriterion(models.Model):
    """Something that must be true before a deal may leave a stage of the ladder."""

    _name = "crm.stage.exit.criterion"
    _description = "Stage Exit Criterion"
    _order = "stage_id, sequence, id"

    stage_id = fields.Many2one("crm.stage", string="Stage", ondelete="cascade", index=True)
    name = fields.Char(string="Criterion", required=True, translate=True)
    description = fields.Text(translate=True, help="How to tell the criterion is met.")
    required = fields.Boolean(
        default=True,
        help="Required criteria must be checked before a deal moves on (see the stage gate setting).",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)

    @api.constrains("stage_id")
    def _check_stage(self):
        for criterion in self:
            if not criterion.stage_id:
                raise ValidationError(
                    self.env._(
                        "The exit criterion “%(name)s” needs a stage: pick the stage it belongs to.",
                        name=criterion.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("stage_id") and not self.env.context.get("default_stage_id"):
                raise ValidationError(
                    self.env._(
                        "The exit criterion “%(name)s” needs a stage: pick the stage it belongs to.",
                        name=vals.get("name") or "",
                    )
                )
        criteria = super().create(vals_list)
        # open deals already in the stage get the new line on their checklist
        self.env["crm.lead"].sudo()._ladder_ensure_checks(stages=criteria.stage_id)
        return criteria
