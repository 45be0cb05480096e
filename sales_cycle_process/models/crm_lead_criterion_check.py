from odoo import api, fields, models


class CrmLeadCriterionCheck(models.Model):
    """One line of a deal's exit-criteria checklist: one record per deal and criterion, so two people
    ticking two different lines at the same time never overwrite each other."""

    _name = "crm.lead.criterion.check"
    _description = "Deal Exit Criterion Check"
    _order = "stage_sequence, stage_id, sequence, id"
    _rec_name = "criterion_id"

    lead_id = fields.Many2one("crm.lead", string="Deal", required=True, ondelete="cascade", index=True)
    criterion_id = fields.Many2one(
        "crm.stage.exit.criterion", string="Criterion", required=True, ondelete="cascade", index=True
    )
    stage_id = fields.Many2one(related="criterion_id.stage_id", store=True, string="Stage")
    stage_sequence = fields.Integer(related="criterion_id.stage_id.sequence", string="Stage Sequence")
    sequence = fields.Integer(related="criterion_id.sequence", store=True)
    description = fields.Text(related="criterion_id.description")
    required = fields.Boolean(related="criterion_id.required")
    is_done = fields.Boolean(string="Done")
    done_user_id = fields.Many2one("res.users", string="Checked By", readonly=True)
    done_date = fields.Datetime(string="Checked On", readonly=True)
    note = fields.Char()
    company_id = fields.Many2one(related="lead_id.company_id")

    _sql_constraints = [
        (
            "lead_criterion_unique",
            "unique(lead_id, criterion_id)",
            "A deal has one checklist line per exit criterion.",
        ),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("is_done"):
                vals.setdefault("done_user_id", self.env.uid)
                vals.setdefault("done_date", fields.Datetime.now())
        return super().create(vals_list)

    def write(self, vals):
        if "is_done" in vals:
            vals = dict(
                vals,
                done_user_id=self.env.uid if vals["is_done"] else False,
                done_date=fields.Datetime.now() if vals["is_done"] else False,
            )
        return super().write(vals)
