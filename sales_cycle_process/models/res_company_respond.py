from odoo import Command, api, fields, models
from odoo.exceptions import ValidationError

# the flowchart's response channels ("Customer Responses" and "Distributors with mailshot / cold call")
RESPOND_SOURCE_XMLIDS = (
    "sales_cycle_process.utm_source_ladder_bingo_cards",
    "sales_cycle_process.utm_source_ladder_email",
    "sales_cycle_process.utm_source_ladder_phone_calls",
    "sales_cycle_process.utm_source_ladder_business_cards",
    "sales_cycle_process.utm_source_ladder_distributor_mailshots_cold_calls",
)


class ResCompany(models.Model):
    """Settings of the flowchart's response, AE and proposal steps (shown in Settings by
    ``models/res_config_settings_respond.py``)."""

    _inherit = "res.company"  # pylint: disable=consider-merging-classes-inherited

    def _default_respond_source_ids(self):
        sources = self.env["utm.source"]
        for xmlid in RESPOND_SOURCE_XMLIDS:
            sources |= self.env.ref(xmlid, raise_if_not_found=False) or sources
        return sources

    respond_source_ids = fields.Many2many(
        "utm.source",
        "scp_respond_company_source_rel",
        "company_id",
        "source_id",
        string="Response Channels",
        default=lambda self: self._default_respond_source_ids(),
        help="A lead created with one of these sources is a customer response: the sales admin gets a "
        "“Respond to customer” activity and the sales manager is advised.",
    )
    respond_response_days = fields.Integer(
        string="Response Time (Days)",
        default=2,
        help="Days the sales admin has to respond to a customer response (0: the same day).",
    )
    respond_user_id = fields.Many2one(
        "res.users",
        string="Responding Sales Admin",
        help="Receives the “Respond to customer” and “Prepare quote” activities. Empty: a sales admin of "
        "the company, else the deal's salesperson.",
    )
    respond_sm_visit_threshold = fields.Monetary(
        currency_field="currency_id",
        string="SM Visit Threshold",
        default=100000.0,
        help="The ladder suggests a sales manager's visit for open opportunities whose expected revenue "
        "(in the company currency) reaches this amount, and for strategic ones (0: strategic ones only).",
    )

    @api.model
    def _respond_init_channels(self):
        """Give the companies without response channels the default ones (a many2many's default is not
        applied to the companies that exist when the addon is installed or upgraded). Idempotent."""
        companies = self.with_context(active_test=False).search([("respond_source_ids", "=", False)])
        sources = self._default_respond_source_ids()
        if companies and sources:
            companies.write({"respond_source_ids": [Command.set(sources.ids)]})
        return companies

    @api.constrains("respond_response_days", "respond_sm_visit_threshold")
    def _check_respond_figures(self):
        for company in self:
            if company.respond_response_days < 0:
                raise ValidationError(self.env._("The response time cannot be below zero days."))
            if company.respond_sm_visit_threshold < 0:
                raise ValidationError(self.env._("The SM visit threshold cannot be below zero."))

    @api.constrains("respond_user_id")
    def _check_respond_user(self):
        for company in self:
            user = company.respond_user_id
            if user and (user.share or company not in user.company_ids):
                raise ValidationError(
                    self.env._(
                        "The responding sales admin %(user)s must be an internal user of %(company)s.",
                        user=user.name,
                        company=company.name,
                    )
                )
