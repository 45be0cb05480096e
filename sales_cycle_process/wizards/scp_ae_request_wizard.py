from odoo import api, fields, models


class ScpAeRequestWizard(models.TransientModel):
    """The sales manager requests an application engineer's call or visit on an opportunity: an activity
    for the engineer with the flowchart's agenda (the activity type's note, editable here)."""

    _name = "scp.ae.request.wizard"
    _description = "Request an Application Engineer"

    lead_id = fields.Many2one("crm.lead", string="Opportunity", required=True, ondelete="cascade")
    kind = fields.Selection(
        [("call", "Call: technical and open issues"), ("visit", "Visit: qualify the customer technically")],
        string="Request",
        required=True,
        default="call",
    )
    engineer_id = fields.Many2one(
        "res.users",
        string="Application Engineer",
        required=True,
        domain=lambda self: [
            ("groups_id", "in", self.env.ref("sales_cycle_process.group_application_engineer").id),
            ("share", "=", False),
            ("company_ids", "in", self.env.company.id),
        ],
    )
    activity_type_id = fields.Many2one("mail.activity.type", compute="_compute_activity_type_id")
    summary = fields.Char(compute="_compute_agenda", store=True, readonly=False)
    agenda = fields.Html(compute="_compute_agenda", store=True, readonly=False)
    date_deadline = fields.Date(string="Due Date", compute="_compute_agenda", store=True, readonly=False)

    @api.depends("kind")
    def _compute_activity_type_id(self):
        for wizard in self:
            wizard.activity_type_id = self.env["crm.lead"]._respond_type(
                "ae_call" if wizard.kind == "call" else "ae_visit"
            )

    @api.depends("kind")
    def _compute_agenda(self):
        for wizard in self:
            activity_type = wizard.activity_type_id
            wizard.summary = activity_type.summary
            wizard.agenda = activity_type.default_note
            wizard.date_deadline = activity_type._get_date_deadline()

    def action_request(self):
        self.ensure_one()
        # the deal's method checks the requester and the engineer again: a client may call it directly
        self.lead_id._respond_request_ae(
            self.kind, self.engineer_id, self.date_deadline, self.agenda, self.summary
        )
        return {"type": "ir.actions.act_window_close"}
