from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError

from ..models.crm_lead_commit import (
    CHECKLIST_FIELDS,
    COMMIT_COUNTED,
    COMMIT_STATUSES,
    commit_at_rung,
    commit_status,
)
from ..models.scp_sales_commit import COMMIT_CATEGORIES, commit_deadline_hour
from ..tools.periods import local_date, local_hour_utc, quarter_end, sane_date, week_start


class ScpCommitWizard(models.TransientModel):
    """The weekly commit: deals in the commit category, moved between commit and upside, then submitted."""

    _name = "scp.commit.wizard"
    _description = "Weekly Commit Wizard"
    _inherit = ["scp.snapshot.wizard.mixin"]

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
        hour = commit_deadline_hour(self.env)
        monday = week_start(local_date(self.env, now))
        return monday if now <= local_hour_utc(self.env, monday, hour) else monday + timedelta(days=7)

    @api.depends(
        "line_ids.counts_as",
        "line_ids.commit_status",
        "line_ids.amount",
        "line_ids.date_deadline",
        "week_start",
    )
    def _compute_totals(self):
        # what the server will store: a deal counts as commit only when it earns it (see counts_as)
        for wizard in self:
            lines = [
                {
                    "category": line.counts_as,
                    "commit_status": line.commit_status,
                    "amount": line.amount,
                    "date_deadline": line.date_deadline,
                }
                for line in wizard.line_ids
            ]
            totals = self.env["scp.sales.commit"]._totals_from_lines(wizard.week_start, lines)
            wizard.update({name: value for name, value in totals.items() if name in self._fields})

    @api.model
    def _proposed_leads(self, user, monday):
        """Open deals of the salesperson in the commit or upside category closing by quarter end, among
        the deals the caller reads (no sudo)."""
        last = quarter_end(monday)
        return self.env["crm.lead"].search(
            [
                ("user_id", "=", user.id),
                ("type", "=", "opportunity"),
                ("stage_id.is_won", "=", False),
                ("forecast_category", "in", ["commit", "upside"]),
                "|",
                ("date_deadline", "=", False),
                ("date_deadline", "<=", last),
            ],
            order="date_deadline, id",
        )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if "line_ids" in fields_list and not values.get("line_ids"):
            user = self._wizard_user(values)
            monday = values.get("week_start") or self._default_week_start()
            values["line_ids"] = [
                fields.Command.create({"lead_id": lead.id, "category": lead.forecast_category})
                for lead in self._proposed_leads(
                    user, week_start(sane_date(self.env, monday, self.env._("The week of a commit")))
                )
            ]
        return values

    def action_submit(self):
        """Submit: the server reads the deals and checks the week, the team and who it is for (``_submit``);
        from the wizard it takes only which deals, in which category."""
        self.ensure_one()
        lines = [
            {"lead_id": line.lead_id.id, "category": line.category} for line in self.line_ids if line.lead_id
        ]
        commit = self.env["scp.sales.commit"]._submit(self.user_id, self.team_id, self.week_start, lines)
        return self._open_snapshot(commit)


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
    # Read and written as the caller (not in sudo, as related fields are by default): a line shows only a
    # deal the caller may read, and ticks only what the caller may write on it.
    amount = fields.Monetary(related="lead_id.expected_revenue_company", compute_sudo=False)
    probability = fields.Float(related="lead_id.probability", compute_sudo=False)
    forecast_category = fields.Selection(related="lead_id.forecast_category", compute_sudo=False)
    date_deadline = fields.Date(related="lead_id.date_deadline", compute_sudo=False)
    commit_config_final = fields.Boolean(
        related="lead_id.commit_config_final", readonly=False, compute_sudo=False
    )
    commit_end_user_signed = fields.Boolean(
        related="lead_id.commit_end_user_signed", readonly=False, compute_sudo=False
    )
    commit_integrator_signed = fields.Boolean(
        related="lead_id.commit_integrator_signed", readonly=False, compute_sudo=False
    )
    commit_discount_approved = fields.Boolean(related="lead_id.commit_discount_approved", compute_sudo=False)
    commit_partner_ready = fields.Boolean(
        related="lead_id.commit_partner_ready", readonly=False, compute_sudo=False
    )
    commit_reliable = fields.Boolean(related="lead_id.commit_reliable", compute_sudo=False)
    commit_override = fields.Boolean(related="lead_id.commit_override", compute_sudo=False)
    commit_status = fields.Selection(
        COMMIT_STATUSES, string="Checklist", compute="_compute_counts_as", compute_sudo=False
    )
    counts_as = fields.Selection(
        COMMIT_CATEGORIES,
        string="Counts as",
        compute="_compute_counts_as",
        compute_sudo=False,
        help="Where the deal will be stored on submission: in the commit only when its checklist is complete "
        "from 90 %, or a manager overrode; otherwise in the upside.",
    )
    counts_as_reason = fields.Char(string="Why", compute="_compute_counts_as", compute_sudo=False)

    @api.depends("category", "probability", "forecast_category", "commit_override", *CHECKLIST_FIELDS)
    def _compute_counts_as(self):
        # the deal's rule (crm_lead_commit.commit_status) on the values the form shows, ticks included
        for line in self:
            checks = {name: line[name] for name in CHECKLIST_FIELDS}
            status = (
                commit_status(
                    commit_at_rung(line.forecast_category, line.probability),
                    all(checks.values()),
                    line.commit_override,
                )
                if line.lead_id
                else False
            )
            line.commit_status = status
            earns = status in COMMIT_COUNTED
            line.counts_as = "commit" if line.category == "commit" and earns else "upside"
            line.counts_as_reason = (
                line.lead_id._commit_missing_text(status, line.probability, checks)
                if line.category == "commit" and not earns
                else False
            )

    @api.model_create_multi
    def create(self, vals_list):
        self._check_leads_readable([vals.get("lead_id") for vals in vals_list])
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("lead_id"):
            self._check_leads_readable([vals["lead_id"]])
        return super().write(vals)

    @api.model
    def _check_leads_readable(self, lead_ids):
        leads = self.env["crm.lead"].browse({lead_id for lead_id in lead_ids if lead_id}).exists()
        if leads._filtered_access("read") != leads:
            raise AccessError(self.env._("A commit can only hold deals you can see."))

    def action_to_upside(self):
        self.category = "upside"
        return True

    def action_to_commit(self):
        self.category = "commit"
        return True
