"""A deal's history, read from Odoo's own tracking: the one place that says when a deal's closing date
moved, shared by the pipeline inspection (pushed out, pulled in) and the deal health (slips)."""

from odoo import fields, models


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
        field = self.env["ir.model.fields"]._get("crm.lead", "date_deadline")
        query = """
            SELECT msg.res_id,
                   COUNT(*) FILTER (WHERE tv.new_value_datetime > tv.old_value_datetime),
                   COUNT(*) FILTER (WHERE tv.new_value_datetime < tv.old_value_datetime)
              FROM mail_tracking_value tv
              JOIN mail_message msg ON msg.id = tv.mail_message_id
             WHERE tv.field_id = %(field)s
               AND msg.model = 'crm.lead'
               AND msg.res_id = ANY(%(ids)s)
               AND tv.old_value_datetime IS NOT NULL
               AND tv.new_value_datetime IS NOT NULL
               AND (%(date_from)s::timestamp IS NULL OR msg.date >= %(date_from)s)
               AND (%(date_to)s::timestamp IS NULL OR msg.date < %(date_to)s)
          GROUP BY msg.res_id
        """
        self.env["mail.tracking.value"].flush_model()
        self.env["mail.message"].flush_model(["model", "res_id", "date"])
        self.env.cr.execute(
            query, {"field": field.id, "ids": self.ids, "date_from": date_from, "date_to": date_to}
        )
        return {lead_id: (slips, pull_ins) for lead_id, slips, pull_ins in self.env.cr.fetchall()}
