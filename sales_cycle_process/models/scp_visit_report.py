from odoo import api, fields, models
from odoo.exceptions import AccessError


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
    # The visitor's team when the report was written: the team's leader reads the report (record rule).
    team_id = fields.Many2one(
        "crm.team",
        string="Sales Team",
        compute="_compute_team_id",
        store=True,
        readonly=True,
        index="btree_not_null",
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

    @api.depends("user_id")
    def _compute_team_id(self):
        for report in self:
            report.team_id = report.user_id.sale_team_id

    def _visit_report_privileged(self):
        return self.env.su or self.env.user.has_group("sales_team.group_sale_manager")

    @api.model_create_multi
    def create(self, vals_list):
        if not self._visit_report_privileged():
            for vals in vals_list:
                if vals.get("cadence_state_id"):
                    raise AccessError(
                        self.env._(
                            "A visit report is linked to a cadence by marking the visit done, not by hand."
                        )
                    )
                # a report is written in the caller's own name, and belongs to the caller's team
                vals["user_id"] = self.env.uid
                vals.pop("team_id", None)
        return super().create(vals_list)

    def write(self, vals):
        if not self._visit_report_privileged():
            if {"user_id", "team_id"} & set(vals):
                raise AccessError(
                    self.env._(
                        "Only a sales manager can hand a visit report over to another visitor or team."
                    )
                )
            if "cadence_state_id" in vals:
                raise AccessError(
                    self.env._(
                        "A visit report is linked to a cadence by marking the visit done, not by hand."
                    )
                )
        return super().write(vals)

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
