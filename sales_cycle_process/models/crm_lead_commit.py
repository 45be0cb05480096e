from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

CHECKLIST_FIELDS = [
    "commit_config_final",
    "commit_end_user_signed",
    "commit_integrator_signed",
    "commit_discount_approved",
    "commit_partner_ready",
]
# The deck asks the commit's reliability "from 90 %" (commercial negotiation completed): a deal below this
# rung (neither its stage is a commit stage nor its probability 90 % or more) is upside, whatever its
# checklist, unless a manager overrides.
COMMIT_RUNG = 90.0
COMMIT_STAGE_CATEGORIES = ("commit", "closed")
# A manager's override of an incomplete checklist: written by the server only (the Override Commit
# Checklist wizard, its removal), never by a client.
COMMIT_OVERRIDE_FIELDS = frozenset(
    {"commit_override", "commit_override_reason", "commit_override_user_id", "commit_override_date"}
)
# How a deal put in the commit counts: commit when complete or overridden, upside otherwise.
COMMIT_STATUSES = [
    ("complete", "Checklist complete"),
    ("overridden", "Overridden by a manager"),
    ("incomplete", "Checklist incomplete"),
    ("below", "Below 90 %"),
]
COMMIT_COUNTED = ("complete", "overridden")


def commit_at_rung(forecast_category, probability):
    """Whether a deal is on the commit rung: its stage is a commit stage (the ladder's 90 %), or its
    probability is 90 % or more (a predictive team's deal, a manager's probability override)."""
    return forecast_category in COMMIT_STAGE_CATEGORIES or (probability or 0.0) >= COMMIT_RUNG


def commit_status(at_rung, complete, overridden):
    """How a deal put in the commit counts, from its facts: ``complete`` on the commit rung with the five
    checklist items, else ``overridden`` when a manager overrode, else ``below`` under the rung, else
    ``incomplete``. The one rule: the deal's form, the commit wizard and the submission all call it."""
    if at_rung and complete:
        return "complete"
    if overridden:
        return "overridden"
    if not at_rung:
        return "below"
    return "incomplete"


class CrmLead(models.Model):
    """The reliability checklist of a committed deal (a deal counts as reliable commit from 90 %), and a
    manager's override of an incomplete one."""

    _inherit = "crm.lead"  # pylint: disable=consider-merging-classes-inherited

    commit_config_final = fields.Boolean(string="Configurations Final", tracking=True)
    commit_end_user_signed = fields.Boolean(string="End-User Contract Signed", tracking=True)
    commit_integrator_signed = fields.Boolean(string="Integrator Contracts Signed", tracking=True)
    commit_discount_approved = fields.Boolean(
        string="Special Discount Approved",
        compute="_compute_commit_discount_approved",
        help="From the deal's quotations: a quote price approval (QPA) was approved and none waits for one "
        "or was refused; a deal whose quotations need no QPA asks no special discount and counts as "
        "approved. A deal without a quotation does not.",
    )
    commit_partner_ready = fields.Boolean(string="Partner Ready to Order", tracking=True)
    commit_reliable = fields.Boolean(
        string="Reliable Commit",
        compute="_compute_commit_reliable",
        help="All five checklist items are true: the deal belongs in the commit.",
    )
    commit_override = fields.Boolean(
        string="Checklist Overridden",
        copy=False,
        readonly=True,
        help="A manager (the team leader, a sales manager, the managing director) decided that this deal "
        "counts as commit though its checklist is incomplete (or it is below 90 %). It holds until a "
        "manager removes it or the deal changes stage.",
    )
    commit_override_reason = fields.Text(string="Override Reason", copy=False, readonly=True)
    commit_override_user_id = fields.Many2one(
        "res.users", string="Overridden By", copy=False, readonly=True, ondelete="set null"
    )
    commit_override_date = fields.Datetime(string="Overridden On", copy=False, readonly=True)
    commit_status = fields.Selection(
        COMMIT_STATUSES,
        string="In the Commit",
        compute="_compute_commit_status",
        help="How the deal counts when the salesperson puts it in the weekly commit: commit when its "
        "checklist is complete from 90 %, or a manager overrode; upside otherwise.",
    )
    commit_missing = fields.Char(
        string="Why Upside",
        compute="_compute_commit_status",
        help="What keeps the deal out of the commit.",
    )

    commit_can_override = fields.Boolean(
        compute="_compute_commit_can_override",
        help="The current user may override this deal's commit checklist (the deal's team leader, a sales "
        "manager, the managing director): shows the buttons; the server checks again.",
    )

    @api.depends_context("uid")
    @api.depends("team_id.user_id")
    def _compute_commit_can_override(self):
        manager = self.env.user.has_group("sales_team.group_sale_manager")
        for lead in self:
            lead.commit_can_override = manager or (lead.team_id and lead.team_id.user_id == self.env.user)

    @api.depends(lambda self: self._qpa_discount_approved_depends())
    def _compute_commit_discount_approved(self):
        # the QPA part answers (the deal is read by the caller: a computed field is only read on
        # readable deals)
        for lead in self:
            lead.commit_discount_approved = lead._qpa_discount_approved()

    @api.depends(*CHECKLIST_FIELDS)
    def _compute_commit_reliable(self):
        for lead in self:
            lead.commit_reliable = all(lead[name] for name in CHECKLIST_FIELDS)

    @api.depends(*CHECKLIST_FIELDS, "probability", "forecast_category", "commit_override")
    def _compute_commit_status(self):
        for lead in self:
            at_rung = commit_at_rung(lead.forecast_category, lead.probability)
            lead.commit_status = commit_status(at_rung, lead.commit_reliable, lead.commit_override)
            lead.commit_missing = lead._commit_missing_text(
                lead.commit_status, lead.probability, lead._commit_checks()
            )

    @api.model
    def _commit_missing_text(self, status, probability, checks):
        """Why a deal put in the commit is upside, in the user's words (``status`` from ``commit_status``,
        ``checks`` its five checklist values by field name); empty when it counts as commit."""
        if status in COMMIT_COUNTED or not status:
            return False
        if status == "below":
            return self.env._(
                "At %(probability)s %%: a deal counts as commit from the 90 %% stage (commercial "
                "negotiation completed), or with a manager's override.",
                probability=round(probability or 0.0, 2),
            )
        missing = ", ".join(
            self._fields[name]._description_string(self.env) for name in CHECKLIST_FIELDS if not checks[name]
        )
        return self.env._("Checklist incomplete: %(missing)s.", missing=missing)

    def _commit_checks(self):
        """The deal's five checklist values, by field name."""
        self.ensure_one()
        return {name: self[name] for name in CHECKLIST_FIELDS}

    def _commit_line_checklist_vals(self, requested):
        """What a commit line records of this deal's checklist when the salesperson puts it in the
        ``requested`` category (``commit`` or ``upside``): the category it is stored in (commit only when the
        deal earns it), the five items, complete or not, and the override that held."""
        self.ensure_one()
        status = self.commit_status
        return {
            "category": "commit" if requested == "commit" and status in COMMIT_COUNTED else "upside",
            "requested_commit": requested == "commit",
            "config_final": self.commit_config_final,
            "end_user_signed": self.commit_end_user_signed,
            "integrator_signed": self.commit_integrator_signed,
            "discount_approved": self.commit_discount_approved,
            "partner_ready": self.commit_partner_ready,
            "checklist_complete": self.commit_reliable,
            "commit_status": status,
            "overridden": self.commit_override,
            "override_reason": self.commit_override_reason or False,
            "override_user_id": self.commit_override_user_id.id,
            "override_date": self.commit_override_date,
        }

    # --- the override: a manager's decision, written by the server only ----------------------------
    @api.model
    def _scp_server_fields(self):
        fields_messages = super()._scp_server_fields()
        fields_messages.update(dict.fromkeys(COMMIT_OVERRIDE_FIELDS, self._commit_override_refusal()))
        return fields_messages

    def write(self, vals):
        # the server's fields first (models/crm_lead_server_fields.py): the override is cleared below
        # when the deal changes stage, whatever a client re-sends
        vals = self._scp_refuse_client_write(vals)
        movers = self.browse()
        if vals.get("stage_id") and not COMMIT_OVERRIDE_FIELDS & set(vals):
            movers = self.filtered(lambda lead: lead.commit_override and lead.stage_id.id != vals["stage_id"])
        res = super().write(vals)
        if movers:
            movers._commit_clear_override(
                self.env._("The deal changed stage: its checklist decides again whether it is commit.")
            )
        return res

    def _commit_override_refusal(self):
        return self.env._(
            "Only a manager (the team leader, a sales manager or the managing director) overrides a deal's "
            "commit checklist, with the “Override Checklist” button and a reason."
        )

    def _commit_check_overrider(self):
        """Raise unless the caller may override (or remove the override of) the commit checklist of every
        deal of ``self``: the leader of the deal's sales team, a sales manager
        (``sales_team.group_sale_manager``) or the managing director (who is one)."""
        self.check_access("read")
        user = self.env.user
        if self.env.su or user.has_group("sales_team.group_sale_manager"):
            return
        others = self.filtered(lambda lead: not lead.team_id or lead.team_id.user_id != user)
        if others:
            raise AccessError(
                self.env._(
                    "%(deals)s: only the leader of the deal's sales team or a sales manager overrides its "
                    "commit checklist.",
                    deals=", ".join(others.mapped("name")),
                )
            )

    def _commit_override(self, reason):
        """A manager counts these deals as commit though their checklist is incomplete. Private: the
        wizard calls it; it checks the caller and the reason itself."""
        self._commit_check_overrider()
        reason = (reason or "").strip()
        if not reason:
            raise UserError(
                self.env._(
                    "Give the reason why this deal counts as commit though its checklist is incomplete."
                )
            )
        closed = self.filtered(
            lambda lead: lead.type != "opportunity" or not lead.active or lead.stage_id.is_won
        )
        if closed:
            raise UserError(
                self.env._(
                    "%(deals)s: only an open opportunity's commit checklist is overridden.",
                    deals=", ".join(closed.mapped("name")),
                )
            )
        self.sudo().write(
            {
                "commit_override": True,
                "commit_override_reason": reason,
                "commit_override_user_id": self.env.uid,
                "commit_override_date": fields.Datetime.now(),
            }
        )
        for lead in self:
            # in sudo (the team leader may not write the deal), as the caller: the author is the manager
            lead.sudo().message_post(
                body=self.env._(
                    "Commit checklist overridden by %(user)s: the deal counts as commit (%(missing)s). "
                    "Reason: %(reason)s",
                    user=self.env.user.name,
                    missing=lead._commit_missing_text(
                        commit_status(
                            commit_at_rung(lead.forecast_category, lead.probability),
                            lead.commit_reliable,
                            False,
                        ),
                        lead.probability,
                        lead._commit_checks(),
                    )
                    or self.env._("checklist complete"),
                    reason=reason,
                )
            )
        return True

    def _commit_clear_override(self, why):
        """Remove the override of these deals, with ``why`` in their chatter (server code only)."""
        overridden = self.filtered("commit_override")
        if not overridden:
            return True
        overridden.sudo().write(
            {
                "commit_override": False,
                "commit_override_reason": False,
                "commit_override_user_id": False,
                "commit_override_date": False,
            }
        )
        for lead in overridden:
            lead.sudo().message_post(body=self.env._("Commit checklist override removed. %(why)s", why=why))
        return True

    def action_commit_open_override(self):
        """The Override Checklist wizard (for managers: the wizard checks again when applied)."""
        self.ensure_one()
        self._commit_check_overrider()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Override Commit Checklist"),
            "res_model": "scp.commit.override.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_lead_id": self.id},
        }

    def action_commit_remove_override(self):
        """A manager removes the override: the checklist decides again."""
        self._commit_check_overrider()
        self._commit_clear_override(self.env._("Removed by %(user)s.", user=self.env.user.name))
        return True

    def _merge_dependences(self, opportunities):
        """A merged deal's commit lines follow the surviving deal (``self``): last week's commit and this
        week's compare the same deal. The lines keep the name, amount and owner they recorded. Where the
        same commit already holds the surviving deal, the merged deal's line keeps its values and loses its
        link when the merged deal is deleted."""
        res = super()._merge_dependences(opportunities)
        self._merge_commit_lines(opportunities)
        return res

    def _merge_commit_lines(self, opportunities):
        self.ensure_one()
        Line = self.env["scp.sales.commit.line"].sudo()
        lines = Line.search([("lead_id", "in", (self | opportunities).ids)], order="id")
        taken = set(lines.filtered(lambda line: line.lead_id == self).commit_id.ids)
        moving = Line
        for line in lines.filtered(lambda line: line.lead_id != self):
            if line.commit_id.id not in taken:
                taken.add(line.commit_id.id)
                moving |= line
        if moving:
            moving._write_system({"lead_id": self.id})
