from odoo import api, fields, models


class ScpVisitReport(models.Model):
    _name = "scp.visit.report"
    _description = "Visit Report"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"

    name = fields.Char(required=True, tracking=True)
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    partner_id = fields.Many2one("res.partner", required=True, index=True, ondelete="cascade", tracking=True)
    user_id = fields.Many2one(
        "res.users", string="Visitor", default=lambda self: self.env.user, index=True, tracking=True
    )
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company, index=True)
    cadence_state_id = fields.Many2one("scp.cadence.state", string="Cadence", ondelete="set null")
    contact_kind = fields.Selection(related="cadence_state_id.contact_kind", store=True)
    lead_id = fields.Many2one(
        "crm.lead",
        string="Opportunity",
        index="btree_not_null",
        help="For a joint customer visit: the opportunity the visit was about.",
    )
    attendee_ids = fields.Many2many("res.partner", string="Attendees")
    agenda_covered = fields.Html(string="Agenda Items Covered")
    significant_items = fields.Html()
    follow_ups = fields.Html(string="Follow-ups")

    @api.model
    def _create_from_activities(self, activities, feedback=False):
        """One report per done visit activity of a cadence (calls leave no report)."""
        visits = activities.filtered(
            lambda a: a.cadence_state_id.contact_kind in ("visit", "ae_visit", "training")
        )
        return self.create(
            [
                {
                    "name": activity.summary or activity.cadence_state_id.rule_id.name,
                    "partner_id": activity.cadence_state_id.partner_id.id,
                    "user_id": self.env.uid,
                    "cadence_state_id": activity.cadence_state_id.id,
                    "agenda_covered": activity.cadence_state_id.rule_id.agenda,
                    "significant_items": feedback or False,
                }
                for activity in visits
            ]
        )
