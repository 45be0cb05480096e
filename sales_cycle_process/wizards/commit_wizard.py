from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

from ..models.sales_commit import (
    COMMIT_CATEGORIES,
    commit_deadline,
    local_timezone,
    quarter_start,
    week_start,
)


class ScpCommitWizard(models.TransientModel):
    """The weekly commit: deals in the commit category, moved between commit and upside, then submitted."""

    _name = "scp.commit.wizard"
    _description = "Weekly Commit Wizard"
    _inherit = ["scp.salesperson.mixin"]

    user_id = fields.Many2one(default=lambda self: self.env.user, readonly=False)
    team_id = fields.Many2one(compute="_compute_team_id", readonly=False, store=True)
    week_start = fields.Date(string="Week of", default=lambda self: self._default_week_start(), required=True)
    line_ids = fields.One2many("scp.commit.wizard.line", "wizard_id", string="Deals")
    commit_week = fields.Monetary(compute="_compute_totals", string="Commit (week)")
    commit_month = fields.Monetary(compute="_compute_totals", string="Commit (month)")
    commit_quarter = fields.Monetary(compute="_compute_totals", string="Commit (quarter)")
    upside_week = fields.Monetary(compute="_compute_totals", string="Upside (week)")
    upside_month = fields.Monetary(compute="_compute_totals", string="Upside (month)")
    upside_quarter = fields.Monetary(compute="_compute_totals", string="Upside (quarter)")
    commit_total = fields.Monetary(compute="_compute_totals", string="Commit (all)")

    @api.model
    def _default_week_start(self):
        """The week being committed: this week until its Monday deadline, then the next one."""
        now = fields.Datetime.now()
        hour = float(
            self.env["ir.config_parameter"].sudo().get_param("sales_cycle_process.commit_deadline_hour", 12)
        )
        monday = week_start(local_timezone(self.env).fromutc(now).date())
        return monday if now <= commit_deadline(self.env, monday, hour) else monday + timedelta(days=7)

    @api.depends("line_ids.category", "line_ids.amount", "line_ids.date_deadline", "week_start")
    def _compute_totals(self):
        for wizard in self:
            lines = [
                {"category": line.category, "amount": line.amount, "date_deadline": line.date_deadline}
                for line in wizard.line_ids
            ]
            totals = self.env["scp.sales.commit"]._totals_from_lines(wizard.week_start, lines)
            wizard.update(totals)

    @api.model
    def _proposed_leads(self, user, monday):
        """Open deals of the salesperson in the commit or upside category closing by quarter end."""
        quarter_end = quarter_start(monday) + relativedelta(months=3, days=-1)
        return self.env["crm.lead"].search(
            [
                ("user_id", "=", user.id),
                ("type", "=", "opportunity"),
                ("stage_id.is_won", "=", False),
                ("forecast_category", "in", ["commit", "upside"]),
                "|",
                ("date_deadline", "=", False),
                ("date_deadline", "<=", quarter_end),
            ],
            order="date_deadline, id",
        )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if "line_ids" in fields_list and not values.get("line_ids"):
            user = self.env["res.users"].browse(values.get("user_id") or self.env.uid)
            monday = values.get("week_start") or self._default_week_start()
            values["line_ids"] = [
                fields.Command.create({"lead_id": lead.id, "category": lead.forecast_category})
                for lead in self._proposed_leads(user, fields.Date.to_date(monday))
            ]
        return values

    def action_submit(self):
        self.ensure_one()
        lines = [
            {
                "lead_id": line.lead_id.id,
                "amount": line.amount,
                "probability": line.probability,
                "date_deadline": line.date_deadline,
                "category": line.category,
                "config_final": line.lead_id.commit_config_final,
                "end_user_signed": line.lead_id.commit_end_user_signed,
                "integrator_signed": line.lead_id.commit_integrator_signed,
                "discount_approved": line.lead_id.commit_discount_approved,
                "partner_ready": line.lead_id.commit_partner_ready,
            }
            for line in self.line_ids
        ]
        commit = self.env["scp.sales.commit"]._submit(self.user_id, self.team_id, self.week_start, lines)
        return {
            "type": "ir.actions.act_window",
            "res_model": "scp.sales.commit",
            "res_id": commit.id,
            "view_mode": "form",
        }


class ScpCommitWizardLine(models.TransientModel):
    _name = "scp.commit.wizard.line"
    _description = "Weekly Commit Wizard Deal"

    wizard_id = fields.Many2one("scp.commit.wizard", required=True, ondelete="cascade")
    lead_id = fields.Many2one(
        "crm.lead",
        string="Deal",
        required=True,
        domain="[('type', '=', 'opportunity'), ('user_id', '=', parent.user_id)]",
    )
    category = fields.Selection(COMMIT_CATEGORIES, required=True, default="commit")
    currency_id = fields.Many2one(related="wizard_id.currency_id")
    amount = fields.Monetary(related="lead_id.expected_revenue")
    probability = fields.Float(related="lead_id.probability")
    date_deadline = fields.Date(related="lead_id.date_deadline")
    commit_config_final = fields.Boolean(related="lead_id.commit_config_final", readonly=False)
    commit_end_user_signed = fields.Boolean(related="lead_id.commit_end_user_signed", readonly=False)
    commit_integrator_signed = fields.Boolean(related="lead_id.commit_integrator_signed", readonly=False)
    commit_discount_approved = fields.Boolean(related="lead_id.commit_discount_approved")
    commit_partner_ready = fields.Boolean(related="lead_id.commit_partner_ready", readonly=False)
    commit_reliable = fields.Boolean(related="lead_id.commit_reliable")

    def action_to_upside(self):
        self.category = "upside"
        return True

    def action_to_commit(self):
        self.category = "commit"
        return True
