from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError


class ScpVisitReport(models.Model):
    """The visit preparation checklist, ticked by the visitor on the visit report."""

    _inherit = "scp.visit.report"

    prep_item_ids = fields.Many2many(
        "scp.visit.prep.item",
        "scp_visit_report_prep_item_rel",
        "report_id",
        "item_id",
        string="Prepared",
        help="Tick what you prepared before the visit (the company's preparation checklist).",
    )
    prepared = fields.Boolean(
        string="Visit Prepared",
        compute="_compute_prepared",
        store=True,
        help="Every item of the company's preparation checklist was ticked.",
    )

    @api.depends("prep_item_ids", "company_id")
    def _compute_prepared(self):
        Item = self.env["scp.visit.prep.item"].sudo()
        checklists = {}
        for report in self:
            company = report.company_id or self.env.company
            if company not in checklists:
                checklists[company] = Item._checklist(company)
            checklist = checklists[company]
            report.prepared = bool(checklist) and not (checklist - report.prep_item_ids)

    def _check_prepared_by_server(self, vals_list):
        if not self.env.su and any("prepared" in vals for vals in vals_list):
            raise AccessError(
                self.env._("A visit is prepared when its checklist is ticked: it is not typed in.")
            )

    @api.model_create_multi
    def create(self, vals_list):
        self._check_prepared_by_server(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._check_prepared_by_server([vals])
        return super().write(vals)


class ScpCadenceState(models.Model):
    """The prepared visits of a cadence, in the compliance list, pivot and export."""

    _inherit = "scp.cadence.state"

    visit_report_ids = fields.One2many("scp.visit.report", "cadence_state_id", string="Visit Reports")
    visit_count = fields.Integer(
        string="Visits", compute="_compute_visit_counts", store=True, aggregator="sum"
    )
    prepared_visit_count = fields.Integer(
        string="Prepared Visits",
        compute="_compute_visit_counts",
        store=True,
        aggregator="sum",
        help="Visits whose report has every item of the preparation checklist ticked.",
    )

    @api.depends("visit_report_ids", "visit_report_ids.prepared")
    def _compute_visit_counts(self):
        counts = {
            (state.id, prepared): count
            for state, prepared, count in self.env["scp.visit.report"]
            .sudo()
            ._read_group(
                [("cadence_state_id", "in", self.ids)], ["cadence_state_id", "prepared"], ["__count"]
            )
        }
        for state in self:
            prepared = counts.get((state.id, True), 0)
            state.visit_count = prepared + counts.get((state.id, False), 0)
            state.prepared_visit_count = prepared

    @api.model
    def _planned_state_vals(self):
        # a new row has no visit report yet: no visit, inserted with the row rather than counted after
        return {**super()._planned_state_vals(), "visit_count": 0, "prepared_visit_count": 0}

    def _check_visit_counts_by_server(self, vals_list, new=False):
        """Only the server counts the visits; a new row may only start from none."""
        counts = ("visit_count", "prepared_visit_count")
        if not self.env.su and any(
            vals.get(fname) if new else fname in vals for vals in vals_list for fname in counts
        ):
            raise AccessError(
                self.env._("The visit figures of a cadence are counted from its visit reports.")
            )

    @api.model_create_multi
    def create(self, vals_list):
        self._check_visit_counts_by_server(vals_list, new=True)
        return super().create(vals_list)

    def write(self, vals):
        self._check_visit_counts_by_server([vals])
        return super().write(vals)

    # --- demo -------------------------------------------------------------------------------------
    @api.model
    def _prep_demo_visits(self, partners, rule):
        """Demo: the visit cadence of ``partners`` (ids) under ``rule`` (id) with two past visits each,
        one fully prepared, one half; idempotent (a cadence with ticked reports gets none again)."""
        rule = self.env["scp.cadence.rule"].browse(rule)
        partners = self.env["res.partner"].browse(partners)
        today = fields.Date.context_today(self)
        states = self.search([("rule_id", "=", rule.id), ("partner_id", "in", partners.ids)])
        missing = partners - states.partner_id
        states |= self.create(
            [
                {
                    "partner_id": partner.id,
                    "rule_id": rule.id,
                    "user_id": (rule._responsible_user(partner) or self.env.ref("base.user_admin")).id,
                    "next_due_date": today + rule._interval(),
                }
                for partner in missing
            ]
        )
        checklist = self.env["scp.visit.prep.item"]._checklist(self.env.company)
        Report = self.env["scp.visit.report"]
        vals_list = []
        for state in states.filtered(lambda s: not s.visit_report_ids.prep_item_ids):
            for months, items in ((6, checklist), (3, checklist[: len(checklist) // 2])):
                vals_list.append(
                    {
                        "name": rule.name,
                        "partner_id": state.partner_id.id,
                        "user_id": state.user_id.id,
                        "cadence_state_id": state.id,
                        "date": today - relativedelta(months=months),
                        "agenda_covered": rule.agenda,
                        "prep_item_ids": [Command.set(items.ids)],
                    }
                )
        Report.create(vals_list)
        last_visit = today - relativedelta(months=3)
        states.filtered(lambda s: not s.last_contact_date or s.last_contact_date < last_visit).sudo().write(
            {"last_contact_date": last_visit}
        )
        return states
