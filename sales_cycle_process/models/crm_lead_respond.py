"""The flowchart's steps between a customer's response and the quote, on the lead (issue #18, items 1-3).

- Customer responses: a lead created from one of the company's response channels gets a "Respond to
  customer" activity for the sales admin, due after the company's response time, and the sales manager is
  advised by a "Customer response logged" activity; overdue responses are a filter.
- AE calls and visits requested by the sales manager (``wizards/scp_ae_request_wizard.py``), the report
  required when marking them done; the SM visit the ladder suggests for big or strategic deals.
- Proposal and quote: the technical proposal with Engineering (an engineering activity, the document
  carried onto the quotations, ``models/sale_order_respond.py``) and the sales admin's quote activity.
"""

from datetime import timedelta

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import html2plaintext

# computed by the server from the deal's facts: a client never sets them
RESPOND_SERVER_FIELDS = {"respond_channel", "respond_sm_visit_suggested"}
# the activity types of this part, by their short name
RESPOND_TYPES = {
    "customer": "sales_cycle_process.mail_activity_type_respond_customer",
    "advise": "sales_cycle_process.mail_activity_type_respond_advise",
    "ae_call": "sales_cycle_process.mail_activity_type_respond_ae_call",
    "ae_visit": "sales_cycle_process.mail_activity_type_respond_ae_visit",
    "sm_visit": "sales_cycle_process.mail_activity_type_respond_sm_visit",
    "proposal": "sales_cycle_process.mail_activity_type_respond_technical_proposal",
    "quote": "sales_cycle_process.mail_activity_type_respond_quote",
}
OPEN_KEYS = ("res_model_id", "res_id", "activity_type_id")


class CrmLead(models.Model):
    _inherit = "crm.lead"

    # --- 1. customer responses ----------------------------------------------------------------
    respond_channel = fields.Boolean(
        string="Customer Response",
        compute="_compute_respond_channel",
        store=True,
        help="The lead came in through one of the company's response channels (Settings: Response "
        "Channels): the sales admin responds to it and the sales manager is advised.",
    )
    respond_overdue = fields.Boolean(
        string="Response Overdue",
        compute="_compute_respond_overdue",
        search="_search_respond_overdue",
        help="The “Respond to customer” activity is past its due date.",
    )
    respond_product_tmpl_ids = fields.Many2many(
        "product.template",
        "scp_respond_lead_product_rel",
        "lead_id",
        "product_tmpl_id",
        string="Products of Interest",
        help="The products the customer asked about: Send Literature attaches their documents.",
    )

    # --- 2. AE requested by the SM, the SM visit suggested by the ladder -----------------------
    respond_strategic = fields.Boolean(
        string="Strategic",
        tracking=True,
        copy=False,
        help="A sales manager or the team leader flags the deal as strategic: the ladder suggests a "
        "sales manager's visit whatever the amount.",
    )
    respond_sm_visit_suggested = fields.Boolean(
        string="SM Visit Suggested",
        compute="_compute_respond_sm_visit_suggested",
        store=True,
        help="An open opportunity whose expected revenue (company currency) reaches the company's SM "
        "visit threshold, or flagged strategic: the sales manager may visit the customer.",
    )
    respond_sm_visit_reason = fields.Char(
        string="Why an SM Visit", compute="_compute_respond_sm_visit_reason"
    )

    # --- 3. proposal and quote ------------------------------------------------------------------
    respond_technical_proposal = fields.Boolean(
        string="Technical Proposal with Engineering",
        tracking=True,
        copy=False,
        help="The customer needs a technical proposal prepared with Engineering: an engineer gets a "
        "“Technical proposal” activity; the proposal attached here is carried onto the quotations.",
    )
    respond_proposal_attachment_ids = fields.Many2many(
        "ir.attachment",
        "scp_respond_lead_proposal_rel",
        "lead_id",
        "attachment_id",
        string="Technical Proposal",
        copy=False,
        help="The technical proposal document(s): copied onto the opportunity's quotations.",
    )

    # ========================================================================================
    # Computes
    # ========================================================================================
    @api.depends("source_id", "company_id.respond_source_ids")
    def _compute_respond_channel(self):
        for lead in self:
            company = lead.company_id or self.env.company
            lead.respond_channel = bool(lead.source_id) and lead.source_id in company.respond_source_ids

    def _compute_respond_overdue(self):
        saved = self.filtered("id")
        overdue = (
            self.search([("id", "in", saved.ids), ("respond_overdue", "=", True)]) if saved else self.browse()
        )
        for lead in self:
            lead.respond_overdue = lead in overdue

    def _search_respond_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Filter the overdue responses with “is set” or “is not set”."))
        domain = [
            (
                "activity_ids",
                "any",
                [
                    ("activity_type_id", "=", self._respond_type("customer").id),
                    ("date_deadline", "<", fields.Date.context_today(self)),
                ],
            )
        ]
        if (operator == "=") != value:
            domain = ["!", *domain]
        return domain

    @api.depends(
        "type",
        "active",
        "stage_id.is_won",
        "respond_strategic",
        "expected_revenue_company",
        "company_id.respond_sm_visit_threshold",
    )
    def _compute_respond_sm_visit_suggested(self):
        for lead in self:
            lead.respond_sm_visit_suggested = bool(lead._respond_sm_visit_reasons())

    @api.depends("respond_sm_visit_suggested")
    def _compute_respond_sm_visit_reason(self):
        for lead in self:
            lead.respond_sm_visit_reason = ", ".join(lead._respond_sm_visit_reasons())

    def _respond_sm_visit_reasons(self):
        """Why the ladder suggests a sales manager's visit: an open opportunity flagged strategic, or whose
        expected revenue in the company currency reaches the company's threshold."""
        self.ensure_one()
        company = self.company_id or self.env.company
        threshold = company.respond_sm_visit_threshold
        reasons = []
        if self.type == "opportunity" and self.active and not self.stage_id.is_won:
            if self.respond_strategic:
                reasons.append(self.env._("strategic deal"))
            if threshold and self.expected_revenue_company >= threshold:
                reasons.append(
                    self.env._(
                        "expected revenue %(amount)s reaches %(threshold)s",
                        amount=company.currency_id.format(self.expected_revenue_company),
                        threshold=company.currency_id.format(threshold),
                    )
                )
        return reasons

    # ========================================================================================
    # ORM
    # ========================================================================================
    @api.model
    def _scp_server_fields(self):
        fields_messages = super()._scp_server_fields()
        message = self.env._(
            "Whether a lead is a customer response and whether a sales manager's visit is suggested are "
            "decided by the server from the lead's source, amount and Strategic flag: change those instead."
        )
        fields_messages.update(dict.fromkeys(RESPOND_SERVER_FIELDS, message))
        return fields_messages

    @api.model_create_multi
    def create(self, vals_list):
        leads = super().create(vals_list)
        if not self.env.su:
            leads.filtered("respond_strategic")._respond_check_manager(
                self.env._("Only a sales manager or the team leader can flag a deal as strategic.")
            )
        if not self.env.su:
            self._respond_check_readable(leads.respond_proposal_attachment_ids)
        leads._respond_plan_responses()
        leads.filtered("respond_technical_proposal")._respond_plan_technical_proposals()
        return leads

    def write(self, vals):
        if not self.env.su:
            # computed from the facts (models/crm_lead_server_fields.py): refused or dropped first
            vals = self._scp_refuse_client_write(vals)
            if "respond_strategic" in vals:
                self.filtered(
                    lambda lead: lead.respond_strategic != bool(vals["respond_strategic"])
                )._respond_check_manager(
                    self.env._("Only a sales manager or the team leader can flag a deal as strategic.")
                )
        carry = "respond_proposal_attachment_ids" in vals
        proposals_before = {lead: lead.respond_proposal_attachment_ids for lead in self} if carry else {}
        requested = (
            self.filtered(lambda lead: not lead.respond_technical_proposal)
            if vals.get("respond_technical_proposal")
            else self.browse()
        )
        res = super().write(vals)
        requested._respond_plan_technical_proposals()
        if carry:
            for lead, before in proposals_before.items():
                added = lead.respond_proposal_attachment_ids - before
                if added:
                    # the server copies them onto the quotations: only documents the user may read
                    self._respond_check_readable(added)
                    lead.order_ids._respond_carry_proposals(added)
        return res

    def _respond_check_readable(self, attachments):
        """A client links only documents it may read itself (Odoo does not check the ids linked into a
        many2many): the proposal is copied onto the quotations by the server."""
        if attachments and not self.env.su:
            attachments.with_env(self.env).check("read")

    # ========================================================================================
    # Who
    # ========================================================================================
    def _respond_type(self, name):
        return self.env.ref(RESPOND_TYPES[name])

    def _respond_is_manager(self, user):
        """Whether ``user`` is this deal's sales manager: a sales manager, or its team's leader."""
        self.ensure_one()
        return user.has_group("sales_team.group_sale_manager") or user == self.team_id.user_id

    def _respond_check_manager(self, message):
        if self.env.su:
            return
        for lead in self:
            if not lead._respond_is_manager(self.env.user):
                raise AccessError(message + "\n" + self.env._("Deal: %(deal)s", deal=lead.name))

    def _respond_sales_admins(self):
        """The responding sales admin of each deal's company (one search for the whole batch): the
        company's setting, else an active sales admin of the company; empty when there is none.

        :return: {company: res.users}
        """
        companies = self.mapped("company_id") | self.env.company
        Users = self.env["res.users"].sudo()
        admins = Users.search(
            [
                ("groups_id", "in", self.env.ref("sales_cycle_process.group_sales_admin").id),
                ("share", "=", False),
            ],
            order="id",
        )
        return {
            company: company.respond_user_id
            or next((user for user in admins if company in user.company_ids), Users)
            for company in companies
        }

    def _respond_sales_managers(self):
        """The sales manager advised of each deal: its team's leader, else a sales manager of its
        company (one search for the whole batch).

        :return: {lead: res.users (possibly empty)}
        """
        Users = self.env["res.users"].sudo()
        managers = Users.search(
            [("groups_id", "in", self.env.ref("sales_team.group_sale_manager").id), ("share", "=", False)],
            order="id",
        )
        result = {}
        for lead in self:
            company = lead.company_id or self.env.company
            result[lead] = lead.team_id.user_id or next(
                (user for user in managers if company in user.company_ids), Users
            )
        return result

    # ========================================================================================
    # 1. Customer responses
    # ========================================================================================
    def _respond_plan_responses(self):
        """Each new lead from a response channel: "Respond to customer" for the sales admin, due after
        the company's response time, and "Customer response logged" for the sales manager (unless the
        manager logged it). Batched: two searches of users and one ``create`` for the whole import."""
        leads = self.filtered(lambda lead: lead.active and lead.respond_channel)
        if not leads:
            return
        Activity = self.env["mail.activity"]
        respond_type, advise_type = self._respond_type("customer"), self._respond_type("advise")
        admins = leads._respond_sales_admins()
        managers = leads._respond_sales_managers()
        today = fields.Date.context_today(self)
        vals_list = []
        for lead in leads:
            company = lead.company_id or self.env.company
            deadline = today + timedelta(days=company.respond_response_days)
            admin = admins.get(company) or lead.user_id or self.env.user
            vals_list.append(
                Activity._scp_activity_vals(
                    lead, respond_type, admin, respond_type.summary, deadline, note=respond_type.default_note
                )
            )
            manager = managers[lead]
            if manager and manager != self.env.user:
                note = self.env._(
                    "A customer response came in through %(channel)s; %(admin)s responds by %(date)s. "
                    "Qualify the prospect (directly or through the distributor).",
                    channel=lead.source_id.name,
                    admin=admin.name,
                    date=deadline,
                )
                vals_list.append(
                    Activity._scp_activity_vals(
                        lead,
                        advise_type,
                        manager,
                        advise_type.summary,
                        deadline,
                        note=Markup("<p>%s</p>") % note,
                    )
                )
        # new leads have no activity yet: one batch, no search for open ones
        Activity._scp_create_activities(vals_list)

    def action_respond_send_literature(self):
        """The mail composer on the lead, with the documents of its products of interest attached."""
        self.ensure_one()
        self.check_access("write")
        documents = self.env["product.document"].search(
            [
                ("res_model", "=", "product.template"),
                ("res_id", "in", self.respond_product_tmpl_ids.ids),
            ]
        )
        # copies for the composer: sending links them to the lead's message, the products keep theirs
        attachments = self.env["ir.attachment"]
        for document in documents:
            attachments |= document.ir_attachment_id.copy({"res_model": "mail.compose.message", "res_id": 0})
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Send Literature"),
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_model": "crm.lead",
                "default_res_ids": self.ids,
                "default_composition_mode": "comment",
                "default_subject": self.env._("Documentation: %(deal)s", deal=self.name),
                "default_partner_ids": self.partner_id.ids,
                "default_attachment_ids": attachments.ids,
            },
        }

    # ========================================================================================
    # 2. AE calls and visits, the SM visit
    # ========================================================================================
    def action_respond_request_ae(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Request an Application Engineer"),
            "res_model": "scp.ae.request.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_lead_id": self.id},
        }

    def _respond_request_ae(self, kind, engineer, deadline, agenda, summary=False):
        """Plan the AE's call or visit ``kind`` on this deal (the wizard calls it after its checks are
        repeated here: the sales manager or team leader asks an application engineer)."""
        self.ensure_one()
        self._respond_check_manager(
            self.env._("Only a sales manager or the team leader can request an application engineer.")
        )
        self._respond_check_engineer(engineer)
        activity_type = self._respond_type("ae_call" if kind == "call" else "ae_visit")
        vals = self.env["mail.activity"]._scp_activity_vals(
            self,
            activity_type,
            engineer,
            summary or activity_type.summary,
            deadline,
            note=agenda or activity_type.default_note,
            request_partner_id=self.env.user.partner_id.id,
        )
        return self.env["mail.activity"]._scp_create_activities([vals], notify=True)

    def _respond_check_engineer(self, engineer):
        self.ensure_one()
        company = self.company_id or self.env.company
        if (
            not engineer
            or engineer.share
            or not engineer.active
            or company not in engineer.company_ids
            or not engineer.has_group("sales_cycle_process.group_application_engineer")
        ):
            raise UserError(
                self.env._(
                    "%(user)s is not an application engineer of %(company)s: choose one of them.",
                    user=engineer.name or "?",
                    company=company.name,
                )
            )

    @api.model
    def _respond_ae_activities(self, activities):
        types = self._respond_type("ae_call") | self._respond_type("ae_visit")
        return activities.filtered(lambda a: a.res_model == "crm.lead" and a.activity_type_id in types)

    @api.model
    def _respond_check_ae_requests(self, activities):
        """AE calls and visits among ``activities``, created or re-typed by a client: requested by the
        deal's sales manager or team leader, for an application engineer (called by mail.activity)."""
        requests = self._respond_ae_activities(activities)
        if not requests or self.env.su:
            return
        leads = self.browse(set(requests.mapped("res_id"))).exists()
        leads._respond_check_manager(
            self.env._("Only a sales manager or the team leader can request an application engineer.")
        )
        for activity in requests:
            leads.filtered(lambda lead, a=activity: lead.id == a.res_id)._respond_check_engineer(
                activity.user_id
            )

    @api.model
    def _respond_activities_done(self, activities, feedback, attachment_ids=None):
        """This part's activities among ``activities`` are being marked done (called by mail.activity
        before Odoo posts the feedback): an AE's report is required and advises the requester; a
        technical proposal needs its document."""
        ae_done = self._respond_ae_activities(activities)
        proposals = activities.filtered(
            lambda a: a.res_model == "crm.lead" and a.activity_type_id == self._respond_type("proposal")
        )
        if not (ae_done or proposals):
            return
        if not self.env.su:
            user = self.env.user
            may = user.has_group("sales_team.group_sale_manager") or user.has_group(
                "sales_cycle_process.group_application_engineer"
            )
            for activity in ae_done | proposals:
                if activity.user_id != user and not may:
                    raise AccessError(
                        self.env._(
                            "Only the engineer it is assigned to, an application engineer or a sales manager "
                            "marks “%(activity)s” done.",
                            activity=activity.summary or activity.activity_type_id.name,
                        )
                    )
        report = html2plaintext(feedback or "").strip() if feedback else ""
        if ae_done and not report:
            raise UserError(
                self.env._(
                    "Write a short report of the call or visit in the feedback before marking it done: "
                    "it goes on the opportunity and to the sales manager who requested it."
                )
            )
        leads = self.sudo().browse(set(activities.mapped("res_id"))).exists()
        for activity in ae_done:
            lead = leads.filtered(lambda lead, a=activity: lead.id == a.res_id)
            requester = activity.request_partner_id or activity.create_uid.partner_id
            body = Markup("<p><b>%s</b></p><p>%s</p>") % (
                self.env._(
                    "%(kind)s report by %(engineer)s",
                    kind=activity.activity_type_id.name,
                    engineer=self.env.user.name,
                ),
                Markup("<br/>").join(escape(line) for line in report.splitlines()),
            )
            # as superuser after Odoo checked that the user may mark the activity done
            lead.message_post(
                body=body,
                message_type="comment",
                subtype_xmlid="mail.mt_note",
                partner_ids=requester.ids,
                author_id=self.env.user.partner_id.id,
            )
        attachments = self.env["ir.attachment"].browse(attachment_ids or [])
        self._respond_check_readable(attachments)
        for activity in proposals:
            lead = leads.filtered(lambda lead, a=activity: lead.id == a.res_id)
            if attachments:
                # the documents uploaded with "Done" become the proposal (and go onto the quotations)
                lead.write(
                    {"respond_proposal_attachment_ids": [fields.Command.link(a.id) for a in attachments]}
                )
            elif not lead.respond_proposal_attachment_ids:
                raise UserError(
                    self.env._(
                        "Attach the technical proposal of “%(deal)s” (Response and Proposal tab, or "
                        "upload it with the activity) before marking the activity done.",
                        deal=lead.name,
                    )
                )

    # ========================================================================================
    # 3. Proposal and quote
    # ========================================================================================
    def _respond_plan_technical_proposals(self):
        """A "Technical proposal" activity for an engineer (the engineering reviewers' order: never the
        deal's salesperson) on each deal that needs one, once."""
        leads = self.filtered(lambda lead: lead.active and lead.respond_technical_proposal)
        if not leads:
            return
        activity_type = self._respond_type("proposal")
        deadline = activity_type._get_date_deadline()
        engineers = leads._ladder_engineering_reviewers()
        Activity = self.env["mail.activity"]
        vals_list = []
        for lead in leads:
            if not engineers[lead]:
                lead.sudo().message_post(
                    body=self.env._(
                        "This deal needs a technical proposal with Engineering, but there is nobody other "
                        "than its salesperson to ask: set the engineering reviewer in the settings."
                    )
                )
                continue
            vals_list.append(
                Activity._scp_activity_vals(
                    lead,
                    activity_type,
                    engineers[lead],
                    activity_type.summary,
                    deadline,
                    note=activity_type.default_note,
                )
            )
        Activity._scp_create_activities(vals_list, notify=True, skip_open=OPEN_KEYS)

    def action_respond_request_quote(self):
        """The sales manager (the deal's salesperson, team leader or a sales manager) asks the sales admin
        to prepare, review and transmit the quote: one open activity per deal."""
        self.check_access("write")
        user = self.env.user
        for lead in self:
            if not self.env.su and lead.user_id != user and not lead._respond_is_manager(user):
                raise AccessError(
                    self.env._(
                        "Only the deal's salesperson, its team leader or a sales manager can request the "
                        "quote of “%(deal)s”.",
                        deal=lead.name,
                    )
                )
        activity_type = self._respond_type("quote")
        admins = self._respond_sales_admins()
        Activity = self.env["mail.activity"]
        vals_list = []
        for lead in self:
            admin = admins.get(lead.company_id or self.env.company) or lead.user_id or user
            note = activity_type.default_note
            if lead.respond_technical_proposal:
                note += Markup("<p>%s</p>") % self.env._(
                    "A technical proposal with Engineering goes with this quote: it is attached to the "
                    "quotation once Engineering has attached it to the opportunity."
                )
            vals_list.append(
                Activity._scp_activity_vals(
                    lead,
                    activity_type,
                    admin,
                    activity_type.summary,
                    activity_type._get_date_deadline(),
                    note=note,
                    request_partner_id=user.partner_id.id,
                )
            )
        Activity._scp_create_activities(vals_list, notify=True, skip_open=OPEN_KEYS)
        return True

    def _respond_quotes_transmitted(self, orders):
        """Quotations ``orders`` of these deals were sent to the customer: the sales admin's open quote
        activities of the deals are done."""
        activities = (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "crm.lead"),
                    ("res_id", "in", self.ids),
                    ("activity_type_id", "=", self._respond_type("quote").id),
                ]
            )
        )
        for activity in activities:
            sent = orders.filtered(lambda order, a=activity: order.opportunity_id.id == a.res_id)
            activity.action_feedback(
                feedback=self.env._(
                    "Quotation %(orders)s transmitted to the customer.", orders=", ".join(sent.mapped("name"))
                )
            )
