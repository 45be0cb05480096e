import logging

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_compare, html2plaintext

from ..tools.money import deal_company_amount
from .scp_buying_influence import BUYING_ROLES

_logger = logging.getLogger(__name__)

# fields whose change may refer a deal to engineering
REFERRAL_TRIGGER_FIELDS = {"non_standard_requirements", "expected_revenue", "revenue_currency_id"}
# fields only the server sets: the engineering review (requested by the referral, recorded when an
# application engineer or a sales manager marks the review activity done) and a manager's override
REVIEW_FIELDS = {
    "engineering_review_requested",
    "engineering_review_done",
    "engineering_review_user_id",
    "engineering_review_advice",
    "engineering_review_status",
}
OVERRIDE_FIELDS = {"probability_override", "probability_override_reason"}
# the deal's amounts in the company currency: computed from its facts (tools/money.py), summed by the
# commit, the forecast and the measures and compared with the referral threshold
COMPANY_AMOUNT_FIELDS = {"expected_revenue_company", "prorated_revenue_company"}
# what a client never sets on a deal
SERVER_FIELDS = REVIEW_FIELDS | OVERRIDE_FIELDS | COMPANY_AMOUNT_FIELDS
# on stage ladder teams the probability is the stage's (or a manager's override)
LADDER_PROBABILITY_FIELDS = {"probability", "automated_probability"}
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

    # --- entry criteria checklist -----------------------------------------------------------
    criterion_check_ids = fields.One2many(
        "scp.lead.criterion.check", "lead_id", string="Entry Criteria Checklist"
    )
    checklist_progress = fields.Integer(
        compute="_compute_checklist_progress",
        string="Checklist (%)",
        help="Share of the entry criteria of the deal's stage and of the stages below it that are checked: "
        "100 % when the deal has achieved what its stage says.",
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
    buying_influence_ids = fields.One2many("scp.buying.influence", "lead_id", string="Buying Influences")
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
    # the money rule (tools/money.py): what the addon adds up and compares, whatever the deal's currency
    expected_revenue_company = fields.Monetary(
        compute="_compute_expected_revenue_company",
        store=True,
        currency_field="company_currency",
        string="Expected Revenue (Company Currency)",
        help="The expected revenue in the company currency, at the rate of the deal's creation date: "
        "what commits, forecasts, measures and the pipeline's totals add up.",
    )
    prorated_revenue_company = fields.Monetary(
        compute="_compute_prorated_revenue_company",
        store=True,
        currency_field="company_currency",
        string="Prorated Revenue (Company Currency)",
        help="The expected revenue in the company currency × the probability.",
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

    @api.depends(
        "stage_id",
        "stage_id.sequence",
        "criterion_check_ids.is_done",
        "criterion_check_ids.stage_id",
        "criterion_check_ids.stage_id.sequence",
        "criterion_check_ids.criterion_active",
    )
    def _compute_checklist_progress(self):
        for lead in self:
            # the lines of its stage and below (what must be true for the deal to be there); archived
            # criteria no longer count (their lines stay, as history)
            checks = lead.criterion_check_ids.filtered(
                lambda c, lead=lead: c.criterion_active and lead._ladder_has_reached(c.stage_id)
            )
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
        labels = dict(self.env["scp.buying.influence"]._fields["role"]._description_selection(self.env))
        for lead in self:
            present = set(lead.buying_influence_ids.mapped("role"))
            lead.buying_role_missing = ", ".join(
                labels[role] for role, _label in BUYING_ROLES if role not in present
            )

    @api.depends("expected_revenue", "revenue_currency_id", "company_id", "create_date")
    def _compute_expected_revenue_company(self):
        for lead in self:
            lead.expected_revenue_company = deal_company_amount(lead)

    @api.depends("expected_revenue_company", "probability")
    def _compute_prorated_revenue_company(self):
        # as Odoo's prorated_revenue, on the company amount
        for lead in self:
            lead.prorated_revenue_company = round(
                (lead.expected_revenue_company or 0.0) * (lead.probability or 0) / 100.0, 2
            )

    @api.depends("engineering_review_requested", "engineering_review_done")
    def _compute_engineering_review_status(self):
        for lead in self:
            if lead.engineering_review_done:
                lead.engineering_review_status = "done"
            elif lead.engineering_review_requested:
                lead.engineering_review_status = "pending"
            else:
                lead.engineering_review_status = "none"

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        """The pipeline's columns: Odoo's, and the ladder's own rungs (``crm.stage.ladder_only``) only
        on the pipeline of a team that uses the ladder (the team of the pipeline opened, else the
        user's). A column that holds a deal of the list always shows."""
        shown = super()._read_group_stage_ids(stages, domain)
        team_id = self.env.context.get("default_team_id")
        team = (
            self.env["crm.team"].browse(team_id) if isinstance(team_id, int) else self.env.user.sale_team_id
        )
        if team.exists().probability_source == "ladder":
            return shown
        return shown.filtered(lambda stage: not stage.ladder_only or stage in stages)

    # ========================================================================================
    # ORM
    # ========================================================================================
    @api.model_create_multi
    def create(self, vals_list):
        # The web client is not a security boundary: what a client sends is checked here. The
        # superuser (data loading, the addon's own code after it checked the caller) passes.
        trusted = self.env.su
        sent_probabilities = []
        if not trusted:
            self._scp_refuse_client_create(vals_list)
            sent_probabilities = [
                {fname: vals[fname] for fname in LADDER_PROBABILITY_FIELDS & set(vals)} for vals in vals_list
            ]
        leads = super().create(vals_list)
        leads._ladder_ensure_checks()
        leads._ladder_check_engineering_referral()
        if not trusted:
            leads._ladder_check_created_probability(sent_probabilities)
            # a deal created directly in a later stage passes the same gate as one moved there
            for stage, created in leads.filtered("stage_id").grouped("stage_id").items():
                created._ladder_apply_gate(stage, from_start=True)
        return leads

    def write(self, vals):
        trusted = self.env.su
        if not trusted:
            # the server's fields first (models/crm_lead_server_fields.py), before the logic below reads vals
            vals = self._scp_refuse_client_write(vals)
            self._ladder_check_client_write(vals)
        new_stage = False
        movers = self.browse()
        if vals.get("stage_id"):
            new_stage = self.env["crm.stage"].browse(vals["stage_id"])
            movers = self.filtered(lambda lead: lead.stage_id != new_stage)
            overridden = (
                movers.filtered("probability_override") if "probability_override" not in vals else None
            )
            if overridden:
                # a manager's override ends with the stage: the server's own write (a client never writes
                # these fields, models/crm_lead_server_fields.py)
                overridden.sudo().write({"probability_override": False, "probability_override_reason": False})
            # No context key skips the gate: only the superuser does, i.e. the addon's own code
            # (the manager's Force Stage wizard calls _ladder_force_stage after its check).
            if movers and not trusted:
                movers._ladder_apply_gate(new_stage)
        res = super().write(vals)
        if "team_id" in vals and self.env["scp.stage.criterion"]._ladder_team_criteria_exist():
            # a deal of another team may see other (team-specific) stages and their criteria
            self._ladder_ensure_checks()
        elif movers:
            movers._ladder_ensure_checks()
        if REFERRAL_TRIGGER_FIELDS & set(vals):
            self._ladder_check_engineering_referral()
        return res

    def action_set_automated_probability(self):
        # Back to the stage's probability: whoever may edit the deal may do it (moving the deal
        # to another stage does the same); the override flag itself is the server's to clear.
        overridden = self.filtered(
            lambda lead: lead.team_id.probability_source == "ladder" and lead.probability_override
        )
        if overridden:
            overridden.check_access("write")
            overridden.sudo().write({"probability_override": False, "probability_override_reason": False})
        # a value XML-RPC can carry (Odoo's method returns None)
        return super().action_set_automated_probability() or True

    # ========================================================================================
    # What a client may send
    # ========================================================================================
    def _ladder_protected_field_message(self, fname):
        if fname in COMPANY_AMOUNT_FIELDS:
            return self.env._(
                "A deal's amounts in the company currency are computed from its expected revenue, its "
                "revenue currency and its probability: change those instead."
            )
        if fname in REVIEW_FIELDS:
            return self.env._(
                "The engineering review of a deal is recorded by the server: it is requested when the deal "
                "needs one and done when an application engineer or a sales manager marks the "
                "“Engineering review” activity done with the advice."
            )
        return self.env._(
            "Only a sales manager overrides a deal's probability, with the “Override Probability” button "
            "and a reason."
        )

    @api.model
    def _scp_server_fields(self):
        fields_messages = super()._scp_server_fields()
        fields_messages.update(
            {fname: self._ladder_protected_field_message(fname) for fname in SERVER_FIELDS}
        )
        return fields_messages

    def _ladder_check_client_write(self, vals):
        """Refuse a probability other than the stage's on ladder teams, by any client (the engineering review,
        a manager's override and the company amounts are the server's fields: ``_scp_server_fields``)."""
        probability_fields = sorted(LADDER_PROBABILITY_FIELDS & set(vals))
        if not probability_fields:
            return
        sent = {fname: self._ladder_float(vals[fname]) for fname in probability_fields}
        Team = self.env["crm.team"]
        new_team = Team.browse(vals["team_id"]) if "team_id" in vals else None
        new_stage = self.env["crm.stage"].browse(vals["stage_id"]) if vals.get("stage_id") else None
        for lead in self:
            team = new_team if new_team is not None else lead.team_id
            stage = new_stage or lead.stage_id
            if team.probability_source != "ladder" or not stage:
                continue
            active = vals["active"] if "active" in vals else lead.active
            expected = self._ladder_probability_of(stage, active)
            # re-sending the current value is harmless while the deal stays where it is
            unchanged = stage == lead.stage_id and team == lead.team_id and bool(active) == lead.active
            for fname, value in sent.items():
                if float_compare(value, expected, precision_digits=2) and not (
                    unchanged and float_compare(value, lead[fname], precision_digits=2) == 0
                ):
                    raise UserError(lead._ladder_probability_message(stage, expected))

    @api.model
    def _ladder_float(self, value):
        try:
            return float(value or 0.0)
        except (TypeError, ValueError):
            raise UserError(
                self.env._("A probability is a number between 0 and 100, not “%(value)s”.", value=value)
            ) from None

    def _ladder_check_created_probability(self, sent_probabilities):
        """:param sent_probabilities: per created deal, the probability values the client sent"""
        for lead, sent in zip(self, sent_probabilities, strict=True):
            if not sent or lead.team_id.probability_source != "ladder" or not lead.stage_id:
                continue
            expected = self._ladder_probability_of(lead.stage_id, lead.active)
            for value in sent.values():
                if float_compare(self._ladder_float(value), expected, precision_digits=2):
                    raise UserError(lead._ladder_probability_message(lead.stage_id, expected))

    @api.model
    def _ladder_probability_of(self, stage, active=True):
        """The probability the ladder gives a deal in ``stage``: 0 once lost (archived), 100 when won."""
        if not active:
            return 0.0
        return 100.0 if stage.is_won else stage.probability

    def _ladder_probability_message(self, stage, expected):
        return self.env._(
            "The probability of “%(deal)s” is the probability of its stage %(stage)s (%(probability)s %%) "
            "on a stage ladder team: move the deal to another stage, or ask a sales manager to override "
            "its probability.",
            deal=self.name,
            stage=stage.name,
            probability=round(expected, 2),
        )

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
            # the server aligns them: as superuser, the only way past the probability guard
            if leads:
                leads.sudo().write(vals)
            if kept:
                kept.sudo().write({"automated_probability": probability})

    def _update_automated_probabilities(self):
        """Odoo's nightly predictive scoring rewrites probabilities in SQL: put the deals of ladder
        teams back on their stage's probability afterwards."""
        res = super()._update_automated_probabilities()
        self.sudo().search(
            [("team_id.probability_source", "=", "ladder"), *self._ladder_open_domain()]
        )._ladder_sync_probabilities(reset_override=False)
        return res

    # ========================================================================================
    # Stage ladder: entry criteria and the gate
    # ========================================================================================
    @api.model
    def _ladder_stage_key(self, stage):
        return (stage.sequence, stage.id)

    def _ladder_has_reached(self, stage):
        """Whether ``stage`` is this deal's stage or below it: its entry criteria say the deal is where
        it sits (those of the stages above are what it needs to move up)."""
        self.ensure_one()
        if not self.stage_id or not stage:
            return False
        return self._ladder_stage_key(stage) <= self._ladder_stage_key(self.stage_id)

    @api.model
    def _ladder_stages_for(self, teams):
        """The stages of the ladders of ``teams``: the shared ones and the teams' own."""
        return (
            self.env["crm.stage"].sudo().search(["|", ("team_id", "=", False), ("team_id", "in", teams.ids)])
        )

    def _ladder_ensure_checks(self, stages=None):
        """Give every deal a checklist line for each active entry criterion of every stage of its ladder
        (batched): the lines of its stage and below say it is where it sits, those above are what it
        ticks to move up (also several rungs at once).

        :param stages: the open deals that see these stages get their lines (a criterion was added)
        """
        leads = self
        if stages is not None:
            domain = self._ladder_open_domain()
            if all(stage.team_id for stage in stages):
                domain = [*domain, ("team_id", "in", stages.team_id.ids)]
            leads = self.search(domain)
        if not leads:
            return
        Check = self.env["scp.lead.criterion.check"].sudo()
        criteria = (
            self.env["scp.stage.criterion"]
            .sudo()
            .with_context(active_test=True)
            .search(["|", ("stage_id.team_id", "=", False), ("stage_id.team_id", "in", leads.team_id.ids)])
        )
        if not criteria:
            return
        existing = {
            (lead.id, criterion.id)
            for lead, criterion in Check._read_group(
                [("lead_id", "in", leads.ids), ("criterion_id", "in", criteria.ids)],
                ["lead_id", "criterion_id"],
            )
        }
        Check.create(
            [
                {"lead_id": lead.id, "criterion_id": criterion.id}
                for lead in leads
                for criterion in criteria
                if (not criterion.stage_id.team_id or criterion.stage_id.team_id == lead.team_id)
                and (lead.id, criterion.id) not in existing
            ]
        )

    def _ladder_missing_for_move(self, new_stage, from_start=False):
        """What is missing for each deal to move up to ``new_stage``: the unchecked required entry
        criteria of ``new_stage`` and of every stage of its ladder it jumps (above its current stage).

        The first rung is where every deal starts: a deal without a stage, and every deal when
        ``from_start`` (a deal created directly in ``new_stage``), starts there, so the entry criteria of
        every stage above the first one, up to ``new_stage`` included, count.

        :return: {lead: [names of unchecked required criteria, pending engineering review]};
                 backward moves and complete deals are not in the dict.
        """
        new_key = self._ladder_stage_key(new_stage)
        forward = self.filtered(
            lambda lead: from_start or not lead.stage_id or self._ladder_stage_key(lead.stage_id) < new_key
        )
        if not forward:
            return {}
        stages = self._ladder_stages_for(forward.team_id)
        # archived criteria no longer gate (whatever active_test a client puts in the context)
        criteria = (
            self.env["scp.stage.criterion"]
            .sudo()
            .with_context(active_test=True)
            .search([("required", "=", True), ("stage_id", "in", stages.ids)])
        )
        done = {
            (check.lead_id.id, check.criterion_id.id)
            for check in self.env["scp.lead.criterion.check"]
            .sudo()
            .search([("lead_id", "in", forward.ids), ("is_done", "=", True)])
        }
        pass_fifty = new_stage.is_won or new_stage.probability > 50
        missing = {}
        for lead in forward:
            # the stages the deal's pipeline shows: the ladder's own rungs on ladder teams only
            on_ladder = lead.team_id.probability_source == "ladder"
            ladder = stages.filtered(
                lambda s, lead=lead, on_ladder=on_ladder: (not s.team_id or s.team_id == lead.team_id)
                and (on_ladder or not s.ladder_only)
            )
            if from_start or not lead.stage_id:
                # below the first rung's key: the first rung itself gates nothing
                first = min(ladder, key=self._ladder_stage_key, default=new_stage)
                old_key = self._ladder_stage_key(first)
            else:
                old_key = self._ladder_stage_key(lead.stage_id)
            reached = ladder.filtered(
                lambda s, old_key=old_key: old_key < self._ladder_stage_key(s) <= new_key
            )
            if new_stage not in ladder and old_key < new_key:
                reached |= new_stage
            names = [
                f"{c.stage_id.name}: {c.name}"
                for c in criteria
                if c.stage_id in reached and (lead.id, c.id) not in done
            ]
            if pass_fifty and lead.engineering_review_status == "pending":
                names.append(self.env._("Engineering review: advice not recorded yet"))
            if names:
                missing[lead] = names
        return missing

    @api.model
    def _ladder_missing_bullets(self, names):
        # Criterion names are typed by users: Markup's % escapes them.
        return Markup("<ul>%s</ul>") % Markup().join(Markup("<li>%s</li>") % name for name in names)

    def _ladder_apply_gate(self, new_stage, from_start=False):
        """The stage gate, for users: refuse (block) or note (warn) a move up to ``new_stage``, or a
        creation in it (``from_start``), while required entry criteria of ``new_stage`` or of a stage
        jumped are not checked."""
        if all((lead.company_id or self.env.company).ladder_gate_mode == "off" for lead in self):
            return
        missing = self._ladder_missing_for_move(new_stage, from_start=from_start)
        if not missing:
            return
        blocked = []
        for lead, names in missing.items():
            mode = (lead.company_id or self.env.company).ladder_gate_mode
            if mode == "block":
                if from_start:
                    message = self.env._(
                        "“%(lead)s” cannot be created in %(stage)s: these entry criteria are not met: "
                        "%(missing)s.",
                        lead=lead.name,
                        stage=new_stage.name,
                        missing="; ".join(names),
                    )
                else:
                    message = self.env._(
                        "“%(lead)s” cannot move up to %(stage)s: these entry criteria are not met: "
                        "%(missing)s.",
                        lead=lead.name,
                        stage=new_stage.name,
                        missing="; ".join(names),
                    )
                blocked.append(message)
            elif mode == "warn":
                if from_start:
                    body = Markup(
                        self.env._("Created in %(stage)s although these entry criteria are not met:%(list)s")
                    )
                else:
                    body = Markup(
                        self.env._("Moved up to %(stage)s although these entry criteria are not met:%(list)s")
                    )
                # a logged note: it needs no sender address (a user without e-mail still moves the deal)
                lead._message_log(
                    body=body % {"stage": new_stage.name, "list": self._ladder_missing_bullets(names)}
                )
        if blocked:
            hint = (
                self.env._(
                    "Create the deal in the first stage and check them on the way, or ask a sales manager."
                )
                if from_start
                else self.env._("Check them on the deal, or ask a sales manager to force the move.")
            )
            raise UserError("\n".join(blocked) + "\n" + hint)

    def _ladder_force_stage(self, stage, reason):
        """A sales manager moves these deals to ``stage`` although entry criteria are not met.

        Private: RPC cannot call it. The caller (the Force Stage wizard) checked that the user is a
        sales manager; the missing criteria and the reason go to the chatter.
        """
        self.check_access("write")
        for lead, names in self._ladder_missing_for_move(stage).items():
            lead.message_post(
                body=Markup(
                    self.env._(
                        "Moved up to %(stage)s although these entry criteria are not met:%(list)s"
                        "Reason: %(reason)s"
                    )
                )
                % {"stage": stage.name, "list": self._ladder_missing_bullets(names), "reason": reason},
            )
        # as superuser: the gate was the manager's decision (the user stays the author of the changes)
        self.sudo().write({"stage_id": stage.id})
        return True

    def _ladder_override_probability(self, probability, reason):
        """A sales manager sets these deals' probability by hand, until they change stage.

        Private: RPC cannot call it. The caller (the Override Probability wizard) checked that the
        user is a sales manager.
        """
        self.check_access("write")
        for lead in self:
            old = lead.probability
            lead.sudo().write(
                {
                    "probability": probability,
                    "probability_override": True,
                    "probability_override_reason": reason,
                }
            )
            lead.message_post(
                body=self.env._(
                    "Probability overridden from %(old)s %% to %(new)s %%. Reason: %(reason)s",
                    old=round(old, 2),
                    new=round(probability, 2),
                    reason=reason,
                )
            )
        return True

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
                "title": self.env._("Entry criteria not met"),
                "message": "\n".join(missing[origin]),
                # a notification: the move goes on (warn) or save says why it cannot (block)
                "type": "notification",
            }
        }

    # ========================================================================================
    # Engineering referral
    # ========================================================================================
    def _ladder_needs_engineering_review(self):
        self.ensure_one()
        if html2plaintext(self.non_standard_requirements or "").strip():
            return True
        company = self.company_id or self.env.company
        revenue = self.expected_revenue_company
        return bool(revenue) and revenue >= company.engineering_review_threshold

    def _ladder_engineering_reviewers(self):
        """Who reviews each deal: never its salesperson. In this order, the first one who is not the
        deal's salesperson: the company's engineering reviewer, an application engineer of the deal's
        company, the sales team leader, a sales manager of the company.

        :return: {lead: res.users (possibly empty: nobody else to ask)}
        """
        Users = self.env["res.users"].sudo()
        engineers = Users.search(
            [
                ("groups_id", "in", self.env.ref("sales_cycle_process.group_application_engineer").id),
                ("share", "=", False),
            ]
        )
        managers = Users.search(
            [("groups_id", "in", self.env.ref("sales_team.group_sale_manager").id), ("share", "=", False)]
        )
        reviewers = {}
        for lead in self:
            company = lead.company_id or self.env.company
            candidates = [
                company.engineering_review_user_id,
                *engineers.filtered(lambda u, company=company: company in u.company_ids),
                lead.team_id.user_id,
                *managers.filtered(lambda u, company=company: company in u.company_ids),
            ]
            reviewers[lead] = next(
                (
                    user
                    for user in candidates
                    if user and user.active and not user.share and user != lead.user_id
                ),
                Users.browse(),
            )
        return reviewers

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
        Activity = self.env["mail.activity"]
        deadline = activity_type._get_date_deadline()
        reviewers = leads._ladder_engineering_reviewers()
        vals_list = []
        for lead in leads:
            company = lead.company_id or self.env.company
            user = reviewers[lead]
            if not user:
                # nobody but the salesperson to ask: the deal stays pending until a manager forces it
                lead.sudo().message_post(
                    body=self.env._(
                        "This deal needs an engineering review, but there is nobody other than its "
                        "salesperson to ask: set the engineering reviewer in the stage ladder settings."
                    )
                )
                continue
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
                Activity._scp_activity_vals(
                    lead,
                    activity_type,
                    user,
                    activity_type.summary or activity_type.name,
                    deadline,
                    note=reason,
                )
            )
        Activity._scp_create_activities(vals_list, notify=True)
        # as superuser: the review fields are the server's
        leads.sudo().write({"engineering_review_requested": True})

    # --- the engineering review activity (dispatched by mail.activity) --------------------------
    @api.model
    def _ladder_engineering_reviews(self, activities):
        """The engineering review activities of deals among ``activities``."""
        review_type = self.env.ref(
            "sales_cycle_process.mail_activity_type_engineering_review", raise_if_not_found=False
        )
        if not review_type:
            return activities.browse()
        return activities.filtered(lambda a: a.activity_type_id == review_type and a.res_model == "crm.lead")

    @api.model
    def _ladder_engineering_reviews_done(self, activities, feedback):
        """Engineering reviews among ``activities`` are being marked done: the reviewer's advice (the
        feedback, required) is recorded on the deal, which may then pass 50 %."""
        reviews = self._ladder_engineering_reviews(activities)
        if not reviews:
            return
        self._ladder_check_review_done_by(reviews)
        advice = html2plaintext(feedback or "").strip() if feedback else ""
        if not advice:
            raise UserError(
                self.env._(
                    "Write the engineering advice in the feedback before marking the engineering "
                    "review as done: the deal cannot pass 50 % without it."
                )
            )
        leads = self.sudo().browse(reviews.mapped("res_id")).exists()
        # as superuser: the review fields are the server's, set here after the reviewer check
        leads.write(
            {
                "engineering_review_advice": advice,
                "engineering_review_done": True,
                "engineering_review_user_id": self.env.uid,
            }
        )

    @api.model
    def _ladder_check_review_done_by(self, reviews):
        """Completing an engineering review lifts the 50 % gate: an application engineer, a sales
        manager, the company's engineering reviewer or the team leader may do it, never the deal's
        own salesperson, whoever the activity is assigned to."""
        if self.env.su:
            return
        user = self.env.user
        for lead in self.sudo().browse(set(reviews.mapped("res_id"))).exists():
            if lead.user_id == user:
                raise AccessError(
                    self.env._(
                        "You are the salesperson of “%(deal)s”: its engineering review is completed by an "
                        "application engineer or a sales manager, not by you.",
                        deal=lead.name,
                    )
                )
            if not lead._ladder_is_engineering_reviewer(user):
                raise AccessError(
                    self.env._(
                        "Only an application engineer, a sales manager or the engineering reviewer can "
                        "complete the engineering review of “%(deal)s”.",
                        deal=lead.name,
                    )
                )

    @api.model
    def _ladder_check_review_assignees(self, activities):
        """An engineering review among ``activities`` is never assigned to the deal's own salesperson."""
        reviews = self._ladder_engineering_reviews(activities)
        if not reviews:
            return
        leads = self.sudo().browse(set(reviews.mapped("res_id"))).exists()
        for activity in reviews:
            lead = leads.filtered(lambda lead, activity=activity: lead.id == activity.res_id)
            if lead.user_id and activity.user_id == lead.user_id:
                raise UserError(
                    self.env._(
                        "The engineering review of “%(deal)s” cannot be assigned to its own salesperson: "
                        "assign it to an application engineer.",
                        deal=lead.name,
                    )
                )

    def _ladder_is_engineering_reviewer(self, user):
        """Whether ``user`` may record the engineering review of this deal: an application engineer,
        a sales manager, the company's engineering reviewer or the team leader, never the deal's
        own salesperson (whoever the activity was assigned to)."""
        self.ensure_one()
        if user == self.user_id:
            return False
        company = self.company_id or self.env.company
        return (
            user.has_group("sales_cycle_process.group_application_engineer")
            or user.has_group("sales_team.group_sale_manager")
            or user == company.engineering_review_user_id
            or user == self.team_id.user_id
        )

    def action_ladder_open_probability_override(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Override Probability"),
            "res_model": "scp.probability.override.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_lead_id": self.id, "default_probability": self.probability},
        }

    def action_ladder_open_stage_force(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Force Stage"),
            "res_model": "scp.stage.force.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_lead_id": self.id},
        }
