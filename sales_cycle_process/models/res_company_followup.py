from odoo import api, fields, models
from odoo.exceptions import ValidationError

# The longest rhythm of the follow-up after a quote (a quarter).
MAX_QUOTE_FOLLOWUP_DAYS = 90


class ResCompany(models.Model):
    """Settings of the flowchart's follow-up after the quote and of the SF orders' portal access."""

    _inherit = "res.company"

    quote_followup_days = fields.Integer(
        string="Follow Up Quotations Every (days)",
        default=7,
        help="A sent quotation gets a follow-up call or visit this many days after it was sent, then this "
        "many days after each follow-up done, until the order is won or lost. 0: no follow-up planned.",
    )
    quote_followup_visit_amount = fields.Float(
        string="Visit Instead of a Call From",
        default=0.0,
        help="Quotations of at least this untaxed amount (company currency) get a visit by the salesperson "
        "instead of a call. 0: always a call.",
    )
    after_sales_portal_categ_ids = fields.Many2many(
        "product.category",
        "res_company_after_sales_portal_categ_rel",
        "company_id",
        "categ_id",
        string="SF Product Families",
        help="Confirming an order with a product of these categories (or their sub-categories) grants the "
        "end user a portal login and hands it to Customer Support.",
    )

    @api.constrains("quote_followup_days", "quote_followup_visit_amount")
    def _check_quote_followup(self):
        for company in self:
            if not 0 <= company.quote_followup_days <= MAX_QUOTE_FOLLOWUP_DAYS:
                raise ValidationError(
                    self.env._(
                        "Quotations are followed up every 1 to %(max)s days (0: no follow-up).",
                        max=MAX_QUOTE_FOLLOWUP_DAYS,
                    )
                )
            if company.quote_followup_visit_amount < 0:
                raise ValidationError(
                    self.env._("The amount from which a visit is planned cannot be negative.")
                )
