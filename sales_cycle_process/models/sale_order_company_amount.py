from odoo import api, fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"  # pylint: disable=consider-merging-classes-inherited

    company_currency_id = fields.Many2one(related="company_id.currency_id", string="Company Currency")
    amount_untaxed_company = fields.Monetary(
        string="Untaxed Amount (company currency)",
        compute="_compute_amount_untaxed_company",
        store=True,
        currency_field="company_currency_id",
        help="The untaxed amount at the order's rate, in the company currency: what actuals add up.",
    )

    @api.depends("amount_untaxed", "currency_rate")
    def _compute_amount_untaxed_company(self):
        # as Odoo's sales analysis does: the order's amount divided by its rate to the company currency
        for order in self:
            order.amount_untaxed_company = order.amount_untaxed / (order.currency_rate or 1.0)
