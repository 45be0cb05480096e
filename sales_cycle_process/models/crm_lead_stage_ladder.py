import logging

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import html2plaintext

from .crm_lead_buying_influence import BUYING_ROLES

_logger = logging.getLogger(__name__)

# fields whose change may refer a deal to engineering
REFERRAL_TRIGGER_FIELDS = {"non_standard_requirements", "expected_revenue", "revenue_currency_id"}
# fields counted by the qualification completeness
QUALIFICATION_FIELDS = [
    "qualification_concern",
    "qualification_buying_process",
    "qualification_application",
    "budget_amount",
    "budget_confirmed",
    "decision_date",
    "buying_influence_ids",
    "product_requirements",
]


class CrmLead(models.Model):
    _inherit = "crm.lead"

    stage_phase = fields.Selection(related="stage_id.phase", store=True, string="Phase")
    forecast_category = fields.Selection(related="stage_id.forecast_category", store=True)

    # --- probability from the ladder --------------------------------------------------------
    probability_source = fields.Selection(related="team_id.probability_source")
    probability_override = fields.Boolean(
        string="Probability Overridden",
        copy=False,
        tracking=True,
        help="A sales manager set the probability by hand; it holds until the deal changes stage.",
    )
    probability_override_reason = fields.Char(copy=False, readonly=True)

    # --- exit criteria checklist ------------------------------------------------------------
    criterion_check_ids = fields.One2many(
        "crm.lead.criterion.check", "lead_id", string="Exit Criteria Checklist"
    )
    checklist_progress = fields.Integer(
        compute="_compute_checklist_progress",
        string="Checklist (%)",
        help="Share of the current stage's exit criteria that are checked.",
    )
    checklist_summary = fields.Char(compute="_compute_checklist_progress", string="Checklist")

    # --- qualification ----------------------------------------------------------------------
    qualification_channel = fields.Selection(
        [("direct", "Direct"), ("distributor", "Through a distributor")],
        string="Qualified",
        default="direct",
    )
    distributor_partner_id = fields.Many2one(
        "res.partner", string="Distributor", help="The distributor this deal came through."
    )
    qualification_concern = fields.Text(string="Concern", help="The prospect's problem or need.")
    qualification_buying_process = fields.Text(
        string="Buying Process", help="How the customer decides and buys: steps, committee, tender."
    )
    qualification_application = fields.Text(string="Application", help="What the equipment will do.")
    budget_amount = fields.Monetary(string="Budget", currency_field="revenue_currency_id")
    budget_confirmed = fields.Boolean()
    decision_date = fields.Date(help="When the customer expects to decide.")
    buying_influence_ids = fields.One2many("crm.lead.buying.influence", "lead_id", string="Buying Influences")
    product_requirements = fields.Text()
    non_standard_requirements = fields.Text(
        help="Anything the standard product does not cover: such deals are referred to engineering."
    )
    qualification_completeness = fields.Integer(
        compute="_compute_qualification_completeness",
        store=True,
        string="Qualification (%)",
        aggregator="avg",
    )
    buying_role_missing = fields.Char(compute="_compute_buying_role_missing")

    # --- engineering referral ---------------------------------------------------------------
    revenue_currency_id = fields.Many2one(
        "res.currency",
        string="Revenue Currency",
        default=lambda self: self.env.company.currency_id,
        help="Currency the customer's budget and expected revenue are quoted in.",
    )
    expected_revenue_company = fields.Monetary(
        compute="_compute_expected_revenue_company",
        currency_field="company_currency",
        string="Expected Revenue (Company Currency)",
    )
    engineering_review_requested = fields.Boolean(copy=False, readonly=True)
    engineering_review_done = fields.Boolean(copy=False, readonly=True)
    engineering_review_advice = fields.Text(copy=False, tracking=True)
    engineering_review_user_id = fields.Many2one("res.users", string="Reviewed By", copy=False, readonly=True)
    engineering_review_status = fields.Selection(
        [("none", "Not needed"), ("pending", "Pending"), ("done", "Done")],
        compute="_compute_engineering_review_status",
        store=True,
        string="Engineering Review",
    )

    # ========================================================================================
    # Computes
    # ========================================================================================
    @api.depends(lambda self: ["stage_id", "team_id", "probability_override", *self._pls_get_safe_fields()])
    def _compute_probabilities(self):
        """Leads of teams on the stage ladder take their stage's probability (unless a manager
        overrode it); the others keep Odoo's predictive lead scoring."""
        ladder = self.filtered(lambda lead: lead.team_id.probability_source == "ladder" and lead.stage_id)
        res = None
        if self - ladder:
            res = super(CrmLead, self - ladder)._compute_probabilities()
        for lead in ladder:
            stage_probability = 100.0 if lead.stage_id.is_won else lead.stage_id.probability
            lead.automated_probability = stage_probability
            if lead.active and not lead.probability_override:
                lead.probability = stage_probability
        return res

    @api.depends("stage_id", "criterion_check_ids.is_done", "criterion_check_ids.stage_id")
    def _compute_checklist_progress(self):
        for lead in self:
            checks = lead.criterion_check_ids.filtered(lambda c, lead=lead: c.stage_id == lead.stage_id)
            done = checks.filtered("is_done")
            lead.checklist_progress = round(100.0 * len(done) / len(checks)) if checks else 0
            lead.checklist_summary = f"{len(done)}/{len(checks)}" if checks else ""

    @api.depends(*QUALIFICATION_FIELDS, "qualification_channel", "distributor_partner_id")
    def _compute_qualification_completeness(self):
        for lead in self:
            filled = sum(1 for fname in QUALIFICATION_FIELDS if lead[fname])
            total = len(QUALIFICATION_FIELDS)
            if lead.qualification_channel == "distributor":
                total += 1
                filled += bool(lead.distributor_partner_id)
            lead.qualification_completeness = round(100.0 * filled / total)

    @api.depends("buying_influence_ids.role")
    def _compute_buying_role_missing(self):
        labels = dict(self.env["crm.lead.buying.influence"]._fields["role"]._description_selection(self.env))
        for lead in self:
            present = set(lead.buying_influence_ids.mapped("role"))
            lead.buying_role_missing = ", ".join(
                labels[role] for role, _label in BUYING_ROLES if role not in present
            )

    @api.depends("expected_revenue", "revenue_currency_id", "company_id", "create_date")
    def _compute_expected_revenue_company(self):
        for lead in self:
            lead.expected_revenue_company = lead._ladder_revenue_in_company_currency()

    @api.depends("engineering_review_requested", "engineering_review_done")
    def _compute_engineering_review_status(self):
        for lead in self:
            if lead.engineering_review_done:
                lead.engineering_review_status = "done"
            elif lead.engineering_review_requested:
                lead.engineering_review_status = "pending"
            else:
                lead.engineering_review_status = "none"

    # ========================================================================================
    # ORM
    # ========================================================================================
    @api.model_create_multi
    def create(self, vals_list):
        leads = super().create(vals_list)
        leads._ladder_ensure_checks()
        leads._ladder_check_engineering_referral()
        return leads

    def write(self, vals):
        new_stage = False
        movers = self.browse()
        if vals.get("stage_id"):
            new_stage = self.env["crm.stage"].browse(vals["stage_id"])
            movers = self.filtered(lambda lead: lead.stage_id != new_stage)
            if movers and "probability_override" not in vals:
                vals = dict(vals, probability_override=False, probability_override_reason=False)
            if movers and not self.env.context.get("ladder_gate_skip"):
                movers._ladder_apply_gate(new_stage)
        res = super().write(vals)
        if movers:
            movers._ladder_ensure_checks()
        if REFERRAL_TRIGGER_FIELDS & set(vals):
            self._ladder_check_engineering_referral()
        return res

    def action_set_automated_probability(self):
        ladder = self.filtered(lambda lead: lead.team_id.probability_source == "ladder")
        if ladder:
            ladder.write({"probability_override": False, "probability_override_reason": False})
        return super().action_set_automated_probability() or True

    # ========================================================================================
    # Stage ladder: probability
    # ========================================================================================
    @api.model
    def _ladder_open_domain(self):
        return [("active", "=", True), ("stage_id.is_won", "=", False)]

    @api.model
    def _ladder_follow_stage_probability(self, stages):
        """Open deals of ladder teams in ``stages`` take their stage's new probability (overridden
        ones keep theirs), in one batched write per stage."""
        stages = stages.filtered(lambda s: not s.is_won)
        if not stages:
            return
        leads = self.sudo().search(
            [
                ("stage_id", "in", stages.ids),
                ("team_id.probability_source", "=", "ladder"),
                ("probability_override", "=", False),
                *self._ladder_open_domain(),
            ]
        )
        leads._ladder_sync_probabilities(reset_override=False)

    def _ladder_sync_probabilities(self, reset_override=True):
        """Align these deals on their stage's probability, batched: one write per stage (plus one
        for the deals whose probability a manager overrode, which only get the stage's value as
        their automated probability unless ``reset_override``)."""
        for stage in self.stage_id:
            leads = self.filtered(lambda lead, stage=stage: lead.stage_id == stage)
            probability = 100.0 if stage.is_won else stage.probability
            vals = {"probability": probability, "automated_probability": probability}
            kept = self.browse()
            if reset_override:
                vals.update(probability_override=False, probability_override_reason=False)
            else:
                kept = leads.filtered("probability_override")
                leads -= kept
            # only the deals whose values change are written (the nightly sync touches few of them)
            leads = leads.filtered(
                lambda lead, vals=vals: any(lead[name] != value for name, value in vals.items())
            )
            kept = kept.filtered(
                lambda lead, probability=probability: lead.automated_probability != probability
            )
            if leads:
                leads.with_context(ladder_gate_skip=True).write(vals)
            if kept:
                kept.with_context(ladder_gate_skip=True).write({"automated_probability": probability})

    def _update_automated_probabilities(self):
        """Odoo's nightly predictive scoring rewrites probabilities in SQL: put the deals of ladder
        teams back on their stage's probability afterwards."""
        res = super()._update_automated_probabilities()
        self.sudo().search(
            [("team_id.probability_source", "=", "ladder"), *self._ladder_open_domain()]
        )._ladder_sync_probabilities(reset_override=False)
        return res

    # ========================================================================================
    # Stage ladder: exit criteria and the gate
    # ========================================================================================
    def _ladder_ensure_checks(self, stages=None):
        """Give every deal a checklist line for each exit criterion of its current stage (batched)."""
        leads = self
        if stages is not None:
            leads = self.search([("stage_id", "in", stages.ids), *self._ladder_open_domain()])
        leads = leads.filtered("stage_id")
        if not leads:
            return
        Check = self.env["crm.lead.criterion.check"].sudo()
        criteria = (
            self.env["crm.stage.exit.criterion"].sudo().search([("stage_id", "in", leads.stage_id.ids)])
        )
        if not criteria:
            return
        existing = {
            (check.lead_id.id, check.criterion_id.id)
            for check in Check.search([("lead_id", "in", leads.ids), ("criterion_id", "in", criteria.ids)])
        }
        Check.create(
            [
                {"lead_id": lead.id, "criterion_id": criterion.id}
                for lead in leads
                for criterion in criteria
                if criterion.stage_id == lead.stage_id and (lead.id, criterion.id) not in existing
            ]
        )

    @api.model
    def _ladder_stage_key(self, stage):
        return (stage.sequence, stage.id)

    def _ladder_missing_for_move(self, new_stage):
        """What is missing for each deal to move forward to ``new_stage``.

        :return: {lead: [names of unchecked required criteria, pending engineering review]};
                 backward moves and complete deals are not in the dict.
        """
        new_key = self._ladder_stage_key(new_stage)
        forward = self.filtered(
            lambda lead: lead.stage_id and self._ladder_stage_key(lead.stage_id) < new_key
        )
        if not forward:
            return {}
        stages = (
            self.env["crm.stage"]
            .sudo()
            .search(["|", ("team_id", "=", False), ("team_id", "in", forward.team_id.ids)])
        )
        criteria = (
            self.env["crm.stage.exit.criterion"]
            .sudo()
            .search([("required", "=", True), ("stage_id", "in", stages.ids)])
        )
        done = {
            (check.lead_id.id, check.criterion_id.id)
            for check in self.env["crm.lead.criterion.check"]
            .sudo()
            .search([("lead_id", "in", forward.ids), ("is_done", "=", True)])
        }
        pass_fifty = new_stage.is_won or new_stage.probability > 50
        missing = {}
        for lead in forward:
            old_key = self._ladder_stage_key(lead.stage_id)
            passed = stages.filtered(
                lambda s, lead=lead, old_key=old_key: old_key <= self._ladder_stage_key(s) < new_key
                and (not s.team_id or s.team_id == lead.team_id)
            )
            names = [
                f"{c.stage_id.name}: {c.name}"
                for c in criteria
                if c.stage_id in passed and (lead.id, c.id) not in done
            ]
            if pass_fifty and lead.engineering_review_status == "pending":
                names.append(self.env._("Engineering review: advice not recorded yet"))
            if names:
                missing[lead] = names
        return missing

    def _ladder_apply_gate(self, new_stage):
        missing = self._ladder_missing_for_move(new_stage)
        if not missing:
            return
        force_reason = self.env.context.get("ladder_gate_force_reason")
        blocked = []
        for lead, names in missing.items():
            mode = (lead.company_id or self.env.company).ladder_gate_mode
            # Criterion names and the reason are typed by users: Markup's % escapes them.
            bullets = Markup("<ul>%s</ul>") % Markup().join(Markup("<li>%s</li>") % name for name in names)
            if force_reason:
                lead.message_post(
                    body=Markup(
                        self.env._(
                            "Moved to %(stage)s although these exit criteria are missing:%(list)s"
                            "Reason: %(reason)s"
                        )
                    )
                    % {"stage": new_stage.name, "list": bullets, "reason": force_reason},
                )
            elif mode == "block":
                blocked.append(
                    self.env._(
                        "“%(lead)s” cannot move to %(stage)s, these exit criteria are missing: %(missing)s.",
                        lead=lead.name,
                        stage=new_stage.name,
                        missing="; ".join(names),
                    )
                )
            elif mode == "warn":
                lead.message_post(
                    body=Markup(
                        self.env._("Moved to %(stage)s although these exit criteria are missing:%(list)s")
                    )
                    % {"stage": new_stage.name, "list": bullets},
                )
        if blocked:
            raise UserError(
                "\n".join(blocked)
                + "\n"
                + self.env._("Check them on the deal, or ask a sales manager to force the move.")
            )

    @api.onchange("stage_id")
    def _onchange_stage_id_ladder_gate(self):
        origin = self._origin
        if not origin or not origin.stage_id or not self.stage_id:
            return None
        if (origin.company_id or self.env.company).ladder_gate_mode == "off":
            return None
        missing = origin._ladder_missing_for_move(self.stage_id)
        if not missing:
            return None
        return {
            "warning": {
                "title": self.env._("Exit criteria missing"),
                "message": "\n".join(missing[origin]),
            }
        }

    # ========================================================================================
    # Engineering referral
    # ========================================================================================
    def _ladder_revenue_in_company_currency(self):
        self.ensure_one()
        company = self.company_id or self.env.company
        currency = self.revenue_currency_id or company.currency_id
        if currency == company.currency_id:
            return self.expected_revenue
        date = (self.create_date or fields.Datetime.now()).date()
        return currency._convert(self.expected_revenue, company.currency_id, company, date)

    def _ladder_needs_engineering_review(self):
        self.ensure_one()
        if html2plaintext(self.non_standard_requirements or "").strip():
            return True
        company = self.company_id or self.env.company
        revenue = self._ladder_revenue_in_company_currency()
        return bool(revenue) and revenue >= company.engineering_review_threshold

    def _ladder_check_engineering_referral(self):
        """Schedule one "Engineering review" activity on each deal that needs one, once."""
        leads = self.filtered(
            lambda lead: lead.active
            and not lead.engineering_review_requested
            and lead._ladder_needs_engineering_review()
        )
        if not leads:
            return
        activity_type = self.env.ref("sales_cycle_process.mail_activity_type_engineering_review")
        model_id = self.env["ir.model"]._get_id("crm.lead")
        deadline = activity_type._get_date_deadline()
        vals_list = []
        for lead in leads:
            company = lead.company_id or self.env.company
            user = company.engineering_review_user_id or lead.team_id.user_id or lead.user_id or self.env.user
            currency = lead.revenue_currency_id or company.currency_id
            amount = f"{lead.expected_revenue:,.2f} {currency.name}"
            reason = (
                self.env._("Non-standard requirements: %(req)s", req=lead.non_standard_requirements)
                if html2plaintext(lead.non_standard_requirements or "").strip()
                else self.env._(
                    "Expected revenue %(amount)s reaches the engineering review threshold.",
                    amount=amount,
                )
            )
            vals_list.append(
                {
                    "res_model_id": model_id,
                    "res_id": lead.id,
                    "activity_type_id": activity_type.id,
                    "summary": activity_type.summary or activity_type.name,
                    "note": reason,
                    "user_id": user.id,
                    "date_deadline": deadline,
                }
            )
        self.env["mail.activity"].sudo().create(vals_list)
        leads.sudo().with_context(ladder_gate_skip=True).write({"engineering_review_requested": True})

    def action_ladder_open_probability_override(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Override Probability"),
            "res_model": "crm.lead.probability.override.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_lead_id": self.id, "default_probability": self.probability},
        }

    def action_ladder_open_stage_force(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Force Stage"),
            "res_model": "crm.lead.stage.force.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_lead_id": self.id},
        }
