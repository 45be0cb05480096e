# Copyright 2026 sales_cycle_process contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A deal's health: days in its stage, closing-date slips, days without contact, an overdue next step, and
whether it is stale (over one of its stage's limits). Computed by the server at each read, never stored, so a
client cannot set them; the filters search them through the same figures (``_health_figures``)."""

import operator as py_operator
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools.periods import day_start_utc, local_date

HEALTH_FIELDS = frozenset(
    {
        "health_days_in_stage",
        "health_slip_count",
        "health_days_without_contact",
        "health_last_contact",
        "health_next_step_overdue",
        "health_stale",
        "health_stale_reason",
    }
)
# message types that are a contact with the customer or a step of the salesperson: a note, an e-mail in
# or out; a done activity posts a message with its activity type. Tracking and system messages are not.
CONTACT_MESSAGE_TYPES = ("comment", "email", "email_outgoing")
OPERATORS = {
    "=": py_operator.eq,
    "!=": py_operator.ne,
    ">": py_operator.gt,
    ">=": py_operator.ge,
    "<": py_operator.lt,
    "<=": py_operator.le,
}


class CrmLead(models.Model):
    _inherit = "crm.lead"

    health_days_in_stage = fields.Integer(
        string="Days in Stage",
        compute="_compute_health",
        search="_search_health_days_in_stage",
        help="Calendar days since the deal entered its current stage.",
    )
    health_slip_count = fields.Integer(
        string="Closing Date Slips",
        compute="_compute_health",
        search="_search_health_slip_count",
        help="How often the expected closing was moved later, as the chatter shows.",
    )
    health_last_contact = fields.Datetime(
        string="Last Contact",
        compute="_compute_health",
        help="The last message, e-mail or done activity of the deal (its assignment, if none).",
    )
    health_days_without_contact = fields.Integer(
        string="Days Without Contact",
        compute="_compute_health",
        search="_search_health_days_without_contact",
        help="Calendar days since the last message, e-mail or done activity of the deal.",
    )
    health_next_step_overdue = fields.Boolean(
        string="Overdue Next Step",
        compute="_compute_health",
        search="_search_health_next_step_overdue",
        help="An open activity of the deal is past its deadline.",
    )
    health_stale = fields.Boolean(
        string="Stale",
        compute="_compute_health",
        search="_search_health_stale",
        help="The open deal is over one of the limits its stage sets (days in stage, slips, days without "
        "contact).",
    )
    health_stale_reason = fields.Char(string="Why Stale", compute="_compute_health")

    # ========================================================================================
    # The figures: one place
    # ========================================================================================
    def _health_today(self):
        """Today in the user's timezone (tools/periods.py): days are counted in calendar days."""
        return local_date(self.env, fields.Datetime.now())

    def _health_last_contacts(self):
        """``{lead id: datetime}``: the last message that is a contact (a note, an e-mail, a done activity;
        the system's own messages aside), else the deal's assignment, else its creation. One query."""
        if not self.ids:
            return {}
        self.env["mail.message"].flush_model(["model", "res_id", "date", "message_type", "author_id"])
        self.flush_recordset(["date_open"])
        self.env.cr.execute(
            """
            SELECT lead.id, COALESCE(MAX(msg.date), lead.date_open, lead.create_date)
              FROM crm_lead lead
         LEFT JOIN mail_message msg
                ON msg.model = 'crm.lead'
               AND msg.res_id = lead.id
               AND (msg.message_type IN %(types)s OR msg.mail_activity_type_id IS NOT NULL)
               AND msg.author_id IS DISTINCT FROM %(root)s
             WHERE lead.id = ANY(%(ids)s)
          GROUP BY lead.id
            """,
            {
                "ids": self.ids,
                "types": CONTACT_MESSAGE_TYPES,
                "root": self.env.ref("base.partner_root").id,
            },
        )
        return dict(self.env.cr.fetchall())

    def _health_is_open(self):
        """An open opportunity: active, not won. Only those can be stale."""
        self.ensure_one()
        return self.active and self.type == "opportunity" and not self.stage_id.is_won

    def _health_figures(self):
        """``{lead id: figures}`` for these deals (saved ones), in three queries whatever their number:
        days in stage, slips, last contact and days since, overdue next step, and the reasons it is stale
        (the limits of its stage it is over, in the user's language)."""
        leads = self.browse([lead_id for lead_id in self._origin.ids if isinstance(lead_id, int)])
        if not leads:
            return {}
        today = self._health_today()
        moves = leads._scp_closing_date_moves()
        contacts = leads._health_last_contacts()
        figures = {}
        for lead in leads:
            stage = lead.stage_id
            days_in_stage = (
                (today - local_date(self.env, lead.date_last_stage_update)).days
                if lead.date_last_stage_update
                else 0
            )
            slips = moves.get(lead.id, (0, 0))[0]
            last_contact = contacts.get(lead.id)
            days_without_contact = (today - local_date(self.env, last_contact)).days if last_contact else 0
            overdue_since = lead.activity_date_deadline
            overdue = bool(overdue_since and overdue_since < today)
            reasons = []
            if lead._health_is_open():
                limit = stage.health_max_days_in_stage
                if limit and days_in_stage > limit:
                    reasons.append(
                        self.env._(
                            "%(days)s days in %(stage)s (limit %(limit)s)",
                            days=days_in_stage,
                            stage=stage.name,
                            limit=limit,
                        )
                    )
                limit = stage.health_max_slips
                if limit and slips > limit:
                    reasons.append(
                        self.env._(
                            "closing date moved later %(slips)s times (limit %(limit)s)",
                            slips=slips,
                            limit=limit,
                        )
                    )
                limit = stage.health_max_days_without_contact
                if limit and days_without_contact > limit:
                    reasons.append(
                        self.env._(
                            "no contact for %(days)s days (limit %(limit)s)",
                            days=days_without_contact,
                            limit=limit,
                        )
                    )
            figures[lead.id] = {
                "days_in_stage": days_in_stage,
                "slips": slips,
                "last_contact": last_contact,
                "days_without_contact": days_without_contact,
                "overdue": overdue,
                "overdue_days": (today - overdue_since).days if overdue else 0,
                "reasons": reasons,
            }
        return figures

    @api.depends_context("tz")
    @api.depends("stage_id", "date_last_stage_update", "date_deadline", "activity_ids.date_deadline")
    def _compute_health(self):
        figures = self._health_figures()
        for lead in self:
            figure = figures.get(lead._origin.id) if isinstance(lead._origin.id, int) else None
            if not figure:
                lead.update(dict.fromkeys(HEALTH_FIELDS, False))
                continue
            lead.health_days_in_stage = figure["days_in_stage"]
            lead.health_slip_count = figure["slips"]
            lead.health_last_contact = figure["last_contact"]
            lead.health_days_without_contact = figure["days_without_contact"]
            lead.health_next_step_overdue = figure["overdue"]
            lead.health_stale = bool(figure["reasons"])
            lead.health_stale_reason = "; ".join(figure["reasons"]) or False

    # ========================================================================================
    # Searching them (the filters): through the same figures
    # ========================================================================================
    def _health_search(self, key, operator, value):
        """``[("id", "in", ids)]`` of the opportunities whose figure ``key`` compares to ``value``: the
        figures of the opportunities the caller sees, computed as on screen."""
        compare = OPERATORS.get(operator)
        if compare is None:
            raise UserError(self.env._("This deal health figure is searched with =, !=, <, <=, > or >=."))
        candidates = self.search([("type", "=", "opportunity")])
        figures = candidates._health_figures()
        if key == "stale":
            value = bool(value)
            ids = [lead_id for lead_id, figure in figures.items() if compare(bool(figure["reasons"]), value)]
        else:
            value = int(value or 0)
            ids = [lead_id for lead_id, figure in figures.items() if compare(figure[key], value)]
        return [("id", "in", ids)]

    def _search_health_days_in_stage(self, operator, value):
        # a comparison of days is one of the stage update date: the index of date_last_stage_update serves it
        if operator not in OPERATORS or isinstance(value, bool) or not isinstance(value, int | float):
            raise UserError(
                self.env._("Days in stage are searched with =, !=, <, <=, > or >= a number of days.")
            )
        days = int(value)
        today = self._health_today()

        def entered_before(n):  # days in stage >= n: entered before the start of (today - n + 1)
            return ("date_last_stage_update", "<", day_start_utc(self.env, today - timedelta(days=n - 1)))

        def entered_since(n):  # days in stage <= n
            return ("date_last_stage_update", ">=", day_start_utc(self.env, today - timedelta(days=n)))

        domains = {
            ">=": [entered_before(days)],
            ">": [entered_before(days + 1)],
            "<=": [entered_since(days)],
            "<": [entered_since(days - 1)],
            "=": [entered_before(days), entered_since(days)],
            "!=": ["|", entered_before(days + 1), entered_since(days - 1)],
        }
        return domains[operator]

    def _search_health_slip_count(self, operator, value):
        return self._health_search("slips", operator, value)

    def _search_health_days_without_contact(self, operator, value):
        return self._health_search("days_without_contact", operator, value)

    def _search_health_next_step_overdue(self, operator, value):
        if operator not in ("=", "!="):
            raise UserError(self.env._("An overdue next step is searched with = or !=."))
        overdue = [("activity_date_deadline", "<", self._health_today())]
        if (operator == "=") == bool(value):
            return overdue
        return ["!", *overdue]

    def _search_health_stale(self, operator, value):
        if operator not in ("=", "!="):
            raise UserError(self.env._("Stale deals are searched with = or !=."))
        return self._health_search("stale", operator, value)

    # ========================================================================================
    # What a client may send
    # ========================================================================================
    @api.model
    def _scp_server_fields(self):
        fields_messages = super()._scp_server_fields()
        message = self.env._(
            "A deal's health (days in stage, slips, days without contact, overdue next step, "
            "stale) is computed by the server from its history: it cannot be set."
        )
        fields_messages.update(dict.fromkeys(HEALTH_FIELDS, message))
        return fields_messages
