from markupsafe import Markup

from odoo import api, models

# The packs that may be built in the background: report -> (line model, field of the printed snapshot)
PACK_LINES = {
    "sales_cycle_process.commit_pack_xlsx": ("scp.sales.commit.line", "commit_id"),
    "sales_cycle_process.forecast_pack_xlsx": ("scp.sales.forecast.line", "forecast_id"),
}
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _scp_pack_lines(self, docids):
        """How many deals the pack of the snapshots ``docids`` lists, as the caller reads them (record rules
        apply); None for a report that is not a pack."""
        self.ensure_one()
        if self.report_name not in PACK_LINES:
            return None
        model, parent = PACK_LINES[self.report_name]
        return self.env[model].search_count([(parent, "in", list(docids))])

    def _scp_pack_in_background(self, docids):
        """Whether the pack of ``docids`` is large enough, by the company's setting, to be built as a job."""
        self.ensure_one()
        threshold = self.env.company.scp_pack_background_lines
        lines = self._scp_pack_lines(docids)
        return bool(threshold) and lines is not None and lines >= threshold

    def _scp_queue_pack(self, docids, data=None):
        """Queue the job that builds the pack of ``docids`` for the current user (channel root.scp_pack)."""
        self.ensure_one()
        return self.with_delay(
            description=self.env._("%(report)s for %(user)s", report=self.name, user=self.env.user.name),
        )._scp_job_build_pack(list(docids), data or {})

    def _scp_job_build_pack(self, docids, data):
        """The job: build the pack as the user who asked for it (their access rights and record rules), keep
        it as an attachment only they can open (no document: only its creator reads it), and tell them: a
        message in their inbox with the link, and a notification in their open browser tabs."""
        self.ensure_one()
        content, _kind = self._render_xlsx(self.report_name, docids, data=data)
        attachment = self.env["ir.attachment"].create(
            {"name": f"{self.name}.xlsx", "raw": content, "mimetype": XLSX_MIMETYPE}
        )
        user = self.env.user
        url = f"/web/content/{attachment.id}?download=true"
        # the job runs as its requester: they are notified although they are the "current user"
        self.env["mail.thread"].message_notify(
            partner_ids=user.partner_id.ids,
            notify_author=True,
            author_id=self.env.ref("base.partner_root").id,
            subject=self.env._("%s is ready", self.name),
            body=Markup('<p>%s</p><p><a href="%s">%s</a></p>')
            % (self.env._("Your %s has been built in the background.", self.name), url, attachment.name),
        )
        user._bus_send(
            "simple_notification",
            {
                "type": "success",
                "sticky": True,
                "title": self.env._("%s is ready", self.name),
                "message": self.env._("Download it from the message in your inbox."),
            },
        )
        return f"attachment {attachment.id}, {len(content)} bytes"

    @api.model
    def _scp_pack_queued_message(self, report, lines):
        return self.env._(
            "%(report)s lists %(lines)s deals: it is being built in the background. You will find it in your "
            "inbox (Discuss) in a few minutes.",
            report=report.name,
            lines=lines,
        )
