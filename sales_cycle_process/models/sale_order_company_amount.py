from odoo import api, fields, models

from ..tools.money import order_company_amount


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

    @api.depends("amount_untaxed", "currency_id", "company_id", "date_order")
    def _compute_amount_untaxed_company(self):
        # the money rule (tools/money.py): the order's rate at its order date, Odoo's currency_rate
        for order in self:
            order.amount_untaxed_company = order_company_amount(order, order.amount_untaxed)
