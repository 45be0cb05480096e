from odoo import api, models

# Odoo's four default stages the stage ladder renames (data/crm_stage_ladder_data.xml), with their ladder
# name in English. Their records belong to ``crm``: their names in other languages come from crm's
# translations (zh_CN: 新, 已确认, 提议, 赢得) and would stay so, whatever the ladder's translations say.
LADDER_RENAMED_STAGES = {
    "crm.stage_lead1": "Lead intake",
    "crm.stage_lead2": "Met with customer",
    "crm.stage_lead3": "Final proposal",
    "crm.stage_lead4": "Order received",
}


class CrmStage(models.Model):
    _inherit = "crm.stage"

    @api.model
    def _i18n_reset_ladder_stage_translations(self):
        """Forget the translations of Odoo's default stages the ladder renamed (name and definition), so that
        the translations loaded right after (i18n_extra/<lang>.po, at install or update) give them the deck's
        names: 导入期, not 新. A stage a company renamed since (its English name is no longer the ladder's) is
        left alone. Run once, at install (data/i18n_data.xml) and by the 18.0.4.0.0 migration."""
        stage_ids = []
        for xmlid, name in LADDER_RENAMED_STAGES.items():
            stage = self.env.ref(xmlid, raise_if_not_found=False)
            if stage and stage.with_context(lang="en_US").name == name:
                stage_ids.append(stage.id)
        if not stage_ids:
            return
        self.env["crm.stage"].flush_model(["name", "definition"])
        self.env.cr.execute(
            """
            UPDATE crm_stage
               SET name = jsonb_build_object('en_US', name->'en_US'),
                   definition = CASE WHEN definition IS NULL THEN NULL
                                     ELSE jsonb_build_object('en_US', definition->'en_US') END
             WHERE id IN %s
            """,
            [tuple(stage_ids)],
        )
        self.env["crm.stage"].invalidate_model(["name", "definition"])
