from odoo import api, fields, models, tools
from odoo.exceptions import UserError, ValidationError


class CrmStageEntryCriterion(models.Model):
    """Something that must be true for a deal to be at a stage of the ladder (an entry criterion): a
    deal moving up to the stage, or past it, has it checked.

    A criterion that deals have checked keeps their history: it is archived (it no longer gates and
    no longer appears on new checklists), not deleted, and it stays in its stage.
    """

    _name = "scp.stage.criterion"
    _description = "Stage Entry Criterion"
    _order = "stage_id, sequence, id"

    stage_id = fields.Many2one("crm.stage", string="Stage", ondelete="cascade", index=True)
    name = fields.Char(string="Criterion", required=True, translate=True)
    description = fields.Text(translate=True, help="How to tell the criterion is met.")
    required = fields.Boolean(
        default=True,
        help="Required criteria must be checked before a deal moves up to this stage or past it (see the "
        "stage gate setting).",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)

    @api.constrains("stage_id")
    def _check_stage(self):
        for criterion in self:
            if not criterion.stage_id:
                raise ValidationError(
                    self.env._(
                        "The entry criterion “%(name)s” needs a stage: pick the stage it belongs to.",
                        name=criterion.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("stage_id") and not self.env.context.get("default_stage_id"):
                raise ValidationError(
                    self.env._(
                        "The entry criterion “%(name)s” needs a stage: pick the stage it belongs to.",
                        name=vals.get("name") or "",
                    )
                )
        criteria = super().create(vals_list)
        self.env.registry.clear_cache()  # _ladder_team_criteria_exist
        # open deals get the new line on their checklist
        self.env["crm.lead"].sudo()._ladder_ensure_checks(stages=criteria.stage_id)
        return criteria

    def write(self, vals):
        if "stage_id" in vals:
            moved = self.filtered(lambda criterion: criterion.stage_id.id != vals["stage_id"])
            checked = moved._checked_by_deals()
            if checked:
                raise UserError(
                    self.env._(
                        "The entry criterion “%(name)s” has been checked on deals of its stage: it cannot "
                        "move to another stage. Archive it and create it in the other stage.",
                        name=checked[0].name,
                    )
                )
        res = super().write(vals)
        if "stage_id" in vals:
            self.env.registry.clear_cache()  # _ladder_team_criteria_exist
        if vals.get("active") or vals.get("stage_id"):
            # unarchived or moved: the open deals get the line on their checklist
            self.env["crm.lead"].sudo()._ladder_ensure_checks(stages=self.stage_id)
        return res

    @api.model
    @tools.ormcache()
    def _ladder_team_criteria_exist(self):
        """Whether a stage of one sales team (not a shared one) has entry criteria: only then does a deal
        moving to another team see other criteria (cached: crm's lead assignment moves deals by the
        hundred, and most companies share their ladder's stages)."""
        return bool(
            self.sudo()
            .with_context(active_test=False)
            .search_count([("stage_id.team_id", "!=", False)], limit=1)
        )

    def _checked_by_deals(self):
        """The criteria of ``self`` that at least one deal has checked."""
        if not self:
            return self
        Check = self.env["scp.lead.criterion.check"].sudo()
        checked_ids = {
            criterion.id
            for (criterion,) in Check._read_group(
                [("criterion_id", "in", self.ids), ("is_done", "=", True)], ["criterion_id"]
            )
        }
        return self.filtered(lambda criterion: criterion.id in checked_ids)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_checked_by_deals(self):
        checked = self._checked_by_deals()
        if checked:
            raise UserError(
                self.env._(
                    "The entry criterion “%(name)s” has been checked on deals: archive it instead of "
                    "deleting it, so their checklists keep who checked it and when. An archived criterion no "
                    "longer gates any deal.",
                    name=checked[0].name,
                )
            )
