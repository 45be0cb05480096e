"""What the ladder calibration needs to know of each deal, kept by the server (never by a client): the
highest rung of the ladder the deal ever reached, and, when it closed, the stage it closed from with the
ladder's probability and Odoo's predictive score at that moment (Odoo overwrites the score with 100 or 0 when
a deal is won or lost, so the score it had while open would otherwise be gone)."""

from odoo import api, fields, models

CALIBRATION_FIELDS = frozenset(
    {"ladder_reached_stage_id", "ladder_close_stage_id", "ladder_close_nominal", "ladder_close_score"}
)


class CrmLead(models.Model):
    _inherit = "crm.lead"

    ladder_reached_stage_id = fields.Many2one(
        "crm.stage",
        string="Highest Stage Reached",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The highest rung of the ladder this deal was ever in (kept by the server when the deal "
        "changes stage): the deal counts as having reached it and every stage below it.",
    )
    ladder_close_stage_id = fields.Many2one(
        "crm.stage",
        string="Closed From Stage",
        readonly=True,
        copy=False,
        help="The stage the deal was in when it was won or lost.",
    )
    ladder_close_nominal = fields.Float(
        string="Ladder Probability at Closing",
        readonly=True,
        copy=False,
        help="The probability of the deal's stage when it was won or lost (in percent).",
    )
    ladder_close_score = fields.Float(
        string="Predictive Score at Closing",
        readonly=True,
        copy=False,
        help="Odoo's predictive lead score of the deal just before it was won or lost (in percent); empty "
        "for deals closed before this was recorded.",
    )

    @api.model
    def _scp_server_fields(self):
        fields_messages = super()._scp_server_fields()
        message = self.env._(
            "The highest stage a deal reached and its figures at closing are recorded by the "
            "server when the deal moves; they cannot be set by hand."
        )
        fields_messages.update(dict.fromkeys(CALIBRATION_FIELDS, message))
        return fields_messages

    @api.model_create_multi
    def create(self, vals_list):
        leads = super().create(vals_list)
        leads._calibration_note_reached()
        return leads

    def write(self, vals):
        vals = self._scp_refuse_client_write(vals)
        closing = self._calibration_closing(vals)
        before = {lead.id: (lead.stage_id, lead.automated_probability) for lead in closing}
        res = super().write(vals)
        if vals.get("stage_id"):
            self._calibration_note_reached()
        if closing:
            # the figures the deal had while open, by batches of equal values (usually one per stage)
            groups = {}
            for lead in closing:
                stage, score = before[lead.id]
                groups.setdefault((stage, score), []).append(lead.id)
            for (stage, score), ids in groups.items():
                self.browse(ids).sudo().write(
                    {
                        "ladder_close_stage_id": stage.id,
                        "ladder_close_nominal": stage.probability,
                        "ladder_close_score": score,
                    }
                )
        return res

    def _calibration_closing(self, vals):
        """The deals of ``self`` that ``vals`` wins or loses and that are open now."""
        won = False
        if vals.get("stage_id"):
            won = self.env["crm.stage"].browse(vals["stage_id"]).is_won
        lost = "active" in vals and not vals["active"]
        if not (won or lost):
            return self.browse()
        return self.filtered(lambda lead: lead.active and lead.stage_id and not lead.stage_id.is_won)

    def _calibration_note_reached(self):
        """Raise the highest stage reached of these deals to their stage where it is higher (ladder order:
        the stages' sequence, as the gate orders them); one write per stage."""
        key = self._ladder_stage_key
        raised = self.filtered(
            lambda lead: lead.stage_id
            and (not lead.ladder_reached_stage_id or key(lead.stage_id) > key(lead.ladder_reached_stage_id))
        )
        for stage, leads in raised.grouped("stage_id").items():
            leads.sudo().write({"ladder_reached_stage_id": stage.id})
