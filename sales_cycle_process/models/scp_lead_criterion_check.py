from odoo import api, fields, models
from odoo.exceptions import UserError

# who checked a line and when: always the server's (the user who changes "Done", now)
STAMP_FIELDS = ("done_user_id", "done_date")


class CrmLeadCriterionCheck(models.Model):
    """One line of a deal's entry-criteria checklist: one record per deal and criterion, so two people
    ticking two different lines at the same time never overwrite each other.

    The server creates the lines (one per entry criterion of every stage of the deal's ladder: those
    of its stage and below say it is where it sits, those above are what it needs to move up); users
    tick them on deals they may edit. A line stays with its deal and criterion, and keeps who checked it
    and when, also when its criterion is archived.
    """

    _name = "scp.lead.criterion.check"
    _description = "Deal Entry Criterion Check"
    _order = "stage_sequence, stage_id, sequence, id"
    _rec_name = "criterion_id"

    lead_id = fields.Many2one("crm.lead", string="Deal", required=True, ondelete="cascade", index=True)
    criterion_id = fields.Many2one(
        "scp.stage.criterion", string="Criterion", required=True, ondelete="cascade", index=True
    )
    criterion_active = fields.Boolean(related="criterion_id.active", string="Criterion Active")
    stage_id = fields.Many2one(related="criterion_id.stage_id", store=True, string="Stage")
    stage_sequence = fields.Integer(related="criterion_id.stage_id.sequence", string="Stage Sequence")
    sequence = fields.Integer(related="criterion_id.sequence", store=True)
    description = fields.Text(related="criterion_id.description")
    required = fields.Boolean(related="criterion_id.required")
    stage_reached = fields.Boolean(
        compute="_compute_stage_reached",
        help="The criterion's stage is the deal's stage or below it: it must be true for the deal to be "
        "there.",
    )
    is_done = fields.Boolean(string="Done")
    done_user_id = fields.Many2one("res.users", string="Checked By", readonly=True)
    done_date = fields.Datetime(string="Checked On", readonly=True)
    note = fields.Char()
    company_id = fields.Many2one(related="lead_id.company_id")

    _sql_constraints = [
        (
            "lead_criterion_unique",
            "unique(lead_id, criterion_id)",
            "A deal has one checklist line per entry criterion.",
        ),
    ]

    @api.depends("lead_id.stage_id", "lead_id.stage_id.sequence", "stage_id", "stage_id.sequence")
    def _compute_stage_reached(self):
        for check in self:
            check.stage_reached = bool(check.lead_id) and check.lead_id._ladder_has_reached(check.stage_id)

    @api.model
    def _stamp(self, done):
        return {
            "done_user_id": self.env.uid if done else False,
            "done_date": fields.Datetime.now() if done else False,
        }

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [
            {
                **{key: value for key, value in vals.items() if key not in STAMP_FIELDS},
                **self._stamp(vals.get("is_done")),
            }
            for vals in vals_list
        ]
        if not self.env.su:
            # a line is checked on a deal the user may edit
            self.env["crm.lead"].browse(
                {vals["lead_id"] for vals in vals_list if vals.get("lead_id")}
            ).check_access("write")
        return super().create(vals_list)

    def write(self, vals):
        vals = {key: value for key, value in vals.items() if key not in STAMP_FIELDS}
        for fname in ("lead_id", "criterion_id"):
            if fname in vals and any(check[fname].id != vals[fname] for check in self):
                raise UserError(
                    self.env._(
                        "A checklist line belongs to its deal and its entry criterion: it cannot be moved to "
                        "another one."
                    )
                )
        if not self.env.su:
            # ticking a line or writing its note is editing the deal
            self.lead_id.check_access("write")
        if "is_done" not in vals:
            return super().write(vals)
        done = bool(vals["is_done"])
        # only the lines whose "Done" changes get a new checker and date
        changing = self.filtered(lambda check: check.is_done != done)
        if changing:
            super(CrmLeadCriterionCheck, changing).write({**vals, **self._stamp(done)})
        if self - changing:
            super(CrmLeadCriterionCheck, self - changing).write(vals)
        return True

    @api.ondelete(at_uninstall=False)
    def _unlink_except_checked(self):
        # a checked line goes only with its deal (or, unchecked, with its criterion)
        if any(self.mapped("is_done")):
            raise UserError(
                self.env._(
                    "A checked line of a deal's entry-criteria checklist is part of its history: it cannot "
                    "be deleted. Uncheck it if it is not done."
                )
            )
