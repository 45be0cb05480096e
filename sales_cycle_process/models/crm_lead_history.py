"""A deal's history, read from Odoo's own tracking: the one place that says when a deal's closing date
moved, shared by the pipeline inspection (pushed out, pulled in) and the deal health (slips)."""

from odoo import api, fields, models
from odoo.tools import SQL


class CrmLead(models.Model):
    _inherit = "crm.lead"

    # Odoo does not track the expected closing; the playbook's "no surprises" needs each move of it.
    date_deadline = fields.Date(tracking=True)

    def _scp_closing_date_moves(self, date_from=None, date_to=None):
        """``{lead id: (slips, pull_ins)}`` for these deals: how often the expected closing was moved later
        (a slip) and earlier (a pull-in), from the tracking values of ``date_deadline`` logged between
        ``date_from`` and ``date_to`` (datetimes in UTC, both optional). A date set where there was none,
        or cleared, is neither. One query, whatever the number of deals; deals without a move are absent."""
        if not self.ids:
            return {}
        self.env.cr.execute(self._scp_closing_date_moves_query(date_from, date_to, self.ids))
        return {lead_id: (slips, pull_ins) for lead_id, slips, pull_ins in self.env.cr.fetchall()}

    @api.model
    def _scp_closing_date_moves_query(self, date_from=None, date_to=None, lead_ids=None, per_message=False):
        """The one definition of a slip and a pull-in, as SQL returning ``(res_id, slips, pull_ins)`` per
        deal with a move between ``date_from`` and ``date_to`` (UTC, optional), for the deals ``lead_ids``
        (all deals when ``None``): ``_scp_closing_date_moves`` runs it for a recordset, the pipeline
        inspection joins it to its deals in one set-based query. ``per_message``: one row
        ``(res_id, date)`` per slip instead (the commit waterfall places each slip between two commits)."""
        field = self.env["ir.model.fields"]._get("crm.lead", "date_deadline")
        self.env["mail.tracking.value"].flush_model()
        self.env["mail.message"].flush_model(["model", "res_id", "date"])
        return SQL(
            """
            SELECT %(columns)s
              FROM mail_tracking_value tv
              JOIN mail_message msg ON msg.id = tv.mail_message_id
             WHERE tv.field_id = %(field)s
               AND msg.model = 'crm.lead'
               AND %(leads)s
               AND tv.old_value_datetime IS NOT NULL
               AND tv.new_value_datetime IS NOT NULL
               AND tv.new_value_datetime <> tv.old_value_datetime
               AND (%(date_from)s::timestamp IS NULL OR msg.date >= %(date_from)s)
               AND (%(date_to)s::timestamp IS NULL OR msg.date < %(date_to)s)
           %(group)s
            """,
            columns=SQL("msg.res_id, msg.date")
            if per_message
            else SQL(
                "msg.res_id,"
                " COUNT(*) FILTER (WHERE tv.new_value_datetime > tv.old_value_datetime),"
                " COUNT(*) FILTER (WHERE tv.new_value_datetime < tv.old_value_datetime)"
            ),
            group=SQL("AND tv.new_value_datetime > tv.old_value_datetime")
            if per_message
            else SQL("GROUP BY msg.res_id"),
            field=field.id,
            leads=SQL("msg.res_id = ANY(%s)", list(lead_ids)) if lead_ids is not None else SQL("TRUE"),
            date_from=date_from,
            date_to=date_to,
        )
