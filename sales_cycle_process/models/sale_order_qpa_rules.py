# Copyright 2026 sales_cycle_process contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The QPA's rules and figures: why a quotation needs a quote price approval, at which levels,
and the fingerprint of the facts an approval holds for (the approval flow is in
sale_order_qpa_approval.py)."""

import hashlib
import json

from odoo import api, fields, models

from ..tools.money import order_company_amount, order_currency_amount

# line fields of the approved facts (see _qpa_fingerprint): a change sends the QPA back to approval
QPA_LINE_PRICE_FIELDS = {
    "price_unit",
    "discount",
    "product_uom_qty",
    "product_uom",
    "product_id",
    "product_packaging_id",
    "product_packaging_qty",
    "display_type",
    "order_id",
}
# order fields of the approved facts (see _qpa_fingerprint): a change sends the QPA back to approval
QPA_ORDER_TERM_FIELDS = {
    "payment_term_id",
    "pricelist_id",
    "currency_id",
    "partner_id",
    "partner_invoice_id",
    "partner_shipping_id",
    "company_id",
    "qpa_non_standard_terms",
    "qpa_formal_contract",
}
# what the rules deciding whether a QPA is needed read (see _qpa_reason_list)
QPA_RULE_DEPENDS = (
    "order_line.discount",
    "order_line.display_type",
    "order_line.price_unit",
    "order_line.price_subtotal",
    "qpa_requested_discount",
    "qpa_margin",
    "qpa_margin_known",
    "qpa_amount_company",
    "qpa_non_standard_terms",
    "qpa_formal_contract",
    "payment_term_id",
    "pricelist_id",
    "partner_id",
    "company_id.qpa_discount_threshold",
    "company_id.qpa_total_discount_threshold",
    "company_id.qpa_margin_threshold",
    "company_id.qpa_amount_threshold",
    "company_id.qpa_md_amount_threshold",
    "company_id.qpa_check_payment_terms",
    "company_id.qpa_check_pricelist",
    "company_id.qpa_standard_payment_term_ids",
    "company_id.qpa_standard_pricelist_ids",
)
# what the approved facts read (see _qpa_fingerprint)
QPA_FINGERPRINT_DEPENDS = (
    "amount_untaxed",
    "currency_id",
    "partner_id",
    "partner_invoice_id",
    "partner_shipping_id",
    "pricelist_id",
    "payment_term_id",
    "company_id",
    "qpa_formal_contract",
    "qpa_non_standard_terms",
    "qpa_needs_md",
    "order_line.product_id",
    "order_line.product_uom_qty",
    "order_line.product_uom",
    "order_line.product_packaging_id",
    "order_line.product_packaging_qty",
    "order_line.price_unit",
    "order_line.discount",
    "order_line.display_type",
)


class SaleOrder(models.Model):
    _inherit = "sale.order"

    qpa_non_standard_terms = fields.Boolean(
        string="Non-standard Terms",
        tracking=True,
        help="Tick when the quotation offers terms outside the standard ones: "
        "a quote price approval (QPA) is then needed.",
    )
    qpa_formal_contract = fields.Boolean(
        string="Customer Requires a Formal Contract",
        tracking=True,
        help="The managing director then negotiates and approves the QPA.",
    )
    qpa_requested_discount = fields.Float(
        string="Requested Discount (%)",
        compute="_compute_qpa_figures",
        store=True,
        digits=(16, 2),
        help="Total discount of the quotation off the products' list prices.",
    )
    qpa_margin = fields.Float(
        string="Margin (%)",
        compute="_compute_qpa_figures",
        store=True,
        digits=(16, 2),
        help="Margin of the untaxed amount over the products' costs, when every product has a cost.",
    )
    qpa_margin_known = fields.Boolean(string="Costs Known", compute="_compute_qpa_figures", store=True)
    qpa_amount_company = fields.Monetary(
        string="Untaxed Amount (Company Currency)",
        compute="_compute_qpa_figures",
        store=True,
        currency_field="company_currency_id",
    )
    # not stored: the reasons read in the language of whoever reads them
    qpa_reasons = fields.Text(string="Why a QPA Is Needed", compute="_compute_qpa_reasons")
    qpa_required = fields.Boolean(
        string="QPA Required",
        compute="_compute_qpa_required",
        store=True,
    )
    qpa_needs_md = fields.Boolean(
        string="QPA Needs Managing Director",
        compute="_compute_qpa_required",
        store=True,
    )
    qpa_levels = fields.Char(string="Approval Levels", compute="_compute_qpa_levels")

    # ------------------------------------------------------------------
    # When a QPA is needed
    # ------------------------------------------------------------------
    def _qpa_to_company_currency(self, amount):
        self.ensure_one()
        return order_company_amount(self, amount)

    def _qpa_line_reference_price(self, line):
        """The unit price Odoo itself proposes for the line (its pricelist's price before any
        discount, in the unit price's own tax terms), computed now: a lower typed price is a discount.
        Pricelists are managers' data: a salesperson cannot create one to lower this reference."""
        self.ensure_one()
        if not line.product_id or not line.product_uom or line.combo_item_id or line.product_type == "combo":
            return line.price_unit
        line = line.with_company(line.company_id or self.company_id or self.env.company)
        price = line._get_display_price()
        taxes = line.product_id.taxes_id._filter_taxes_by_company(line.company_id)
        return line.product_id._get_tax_included_unit_price_from_price(
            price, product_taxes=taxes, fiscal_position=self.fiscal_position_id
        )

    def _qpa_list_price(self, line):
        """The product's list price in the line's unit and the order's currency (total discount rule)."""
        self.ensure_one()
        product = line.product_id
        if not product or not product.lst_price or line.combo_item_id:
            return line.price_unit
        list_price = product.uom_id._compute_price(product.lst_price, line.product_uom)
        return order_currency_amount(self, list_price)

    def _qpa_figures(self):
        """The figures the QPA rules read, computed from the order's lines now.

        - Lines with a negative amount (Odoo's discount wizard: global discount, fixed amount; any
          negative line) are an order-wide discount: they lower every product line's price by the
          same share, in the total discount, in each line's discount and in the margin.
        - A line's discount is its effective one: its own discount, a unit price typed below the
          price Odoo proposes, and the order-wide share together.
        - The margin is computed over the lines whose product has a cost; lines without a cost
          (services, free items) are left out, so they neither raise the margin nor switch the
          rule off.
        """
        self.ensure_one()
        company = self.company_id or self.env.company
        # a combo's own line carries no price: its items do, at a share of the combo's price
        lines = self.order_line.filtered(
            lambda item: not item.display_type and item.product_type != "combo" and not item.is_downpayment
        )
        negative = lines.filtered(lambda item: item.price_subtotal < 0)
        positive = lines - negative
        positive_net = sum(positive.mapped("price_subtotal"))
        negative_net = -sum(negative.mapped("price_subtotal"))
        share = min(negative_net / positive_net, 1.0) if positive_net > 0 else 0.0
        gross = offered = cost = costed_net = 0.0
        line_discount = own_discount = 0.0
        costed = False
        for line in positive:
            qty = line.product_uom_qty
            net_unit = line.price_unit * (1 - (line.discount or 0.0) / 100)
            # list price and offered price in the unit price's own terms (taxes included or not),
            # so that a tax-included price is not mistaken for a discount
            gross += max(self._qpa_list_price(line), line.price_unit) * qty
            offered += net_unit * qty
            reference = max(self._qpa_line_reference_price(line), line.price_unit)
            if reference > 0 and qty:
                effective = (1 - net_unit * (1 - share) / reference) * 100
                line_discount = max(line_discount, effective)
                own_discount = max(own_discount, line.discount or 0.0)
            product = line.product_id
            unit_cost = product.with_company(company).standard_price if product else 0.0
            if unit_cost > 0:
                costed = True
                cost += unit_cost * line.product_uom._compute_quantity(qty, product.uom_id)
                costed_net += line.price_subtotal * (1 - share)
        for line in negative:
            offered += line.price_unit * (1 - (line.discount or 0.0) / 100) * line.product_uom_qty
        net = sum(lines.mapped("price_subtotal"))
        amount_company = self._qpa_to_company_currency(net)
        margin = 0.0
        if costed:
            revenue = self._qpa_to_company_currency(costed_net)
            margin = (revenue - cost) / revenue * 100 if revenue > 0 else -100.0
        return {
            "amount_company": amount_company,
            "requested_discount": max((gross - offered) / gross * 100, 0.0) if gross > 0 else 0.0,
            "margin_known": costed,
            "margin": margin,
            "line_discount": line_discount,
            "line_discount_own": own_discount,
            "order_discount": share * 100,
        }

    @api.depends(
        "order_line.price_subtotal",
        "order_line.price_unit",
        "order_line.discount",
        "order_line.product_uom_qty",
        "order_line.product_uom",
        "order_line.product_id",
        "order_line.display_type",
        "order_line.combo_item_id",
        "currency_id",
        "company_id",
        "date_order",
    )
    def _compute_qpa_figures(self):
        for order in self:
            figures = order._qpa_figures()
            order.qpa_amount_company = figures["amount_company"]
            order.qpa_requested_discount = figures["requested_discount"]
            order.qpa_margin_known = figures["margin_known"]
            order.qpa_margin = figures["margin"]

    def _qpa_standard_terms(self):
        """Payment terms and pricelist are standard when their rule is off (Settings), empty, the
        customer's own, or in the company's allowed sets."""
        self.ensure_one()
        company = self.company_id or self.env.company
        partner = self.partner_id.with_company(company)
        term_ok = (
            not company.qpa_check_payment_terms
            or not self.payment_term_id
            or self.payment_term_id == partner.property_payment_term_id
            or self.payment_term_id in company.qpa_standard_payment_term_ids
        )
        pricelist_ok = (
            not company.qpa_check_pricelist
            or not self.pricelist_id
            or self.pricelist_id == partner.property_product_pricelist
            or self.pricelist_id in company.qpa_standard_pricelist_ids
        )
        return term_ok, pricelist_ok

    def _qpa_reason_list(self, figures=None):
        """Why the quotation needs a QPA, one sentence per rule it breaks (empty: no QPA).

        Decided from the order's facts now (``_qpa_figures``), never from the stored figures."""
        self.ensure_one()
        figures = figures or self._qpa_figures()
        company = self.company_id or self.env.company
        currency = company.currency_id
        reasons = []
        threshold = company.qpa_discount_threshold
        line_discount = figures["line_discount"]
        if threshold and float(f"{line_discount:.6f}") > threshold:
            if float(f"{line_discount - figures['line_discount_own']:.6f}") <= 0:
                reasons.append(
                    self.env._(
                        "A line discount of %(discount)s %% is above the %(threshold)s %% threshold.",
                        discount=round(line_discount, 2),
                        threshold=threshold,
                    )
                )
            else:
                reasons.append(
                    self.env._(
                        "A line discount of %(discount)s %% (its own discount, a unit price below the "
                        "proposed price and the order's discount lines together) is above the "
                        "%(threshold)s %% threshold.",
                        discount=round(line_discount, 2),
                        threshold=threshold,
                    )
                )
        total = company.qpa_total_discount_threshold
        requested = figures["requested_discount"]
        if total and float(f"{requested:.6f}") > total:
            reasons.append(
                self.env._(
                    "The total discount of %(discount)s %% off list prices is above the "
                    "%(threshold)s %% threshold.",
                    discount=round(requested, 2),
                    threshold=total,
                )
            )
        margin = company.qpa_margin_threshold
        if margin and figures["margin_known"] and float(f"{figures['margin']:.6f}") < margin:
            reasons.append(
                self.env._(
                    "The margin of %(margin)s %% is below the %(threshold)s %% minimum.",
                    margin=round(figures["margin"], 2),
                    threshold=margin,
                )
            )
        amount = company.qpa_amount_threshold
        if amount and currency.compare_amounts(figures["amount_company"], amount) > 0:
            reasons.append(
                self.env._(
                    "The untaxed amount of %(amount)s %(currency)s is above the %(threshold)s "
                    "%(currency)s threshold.",
                    amount=currency.round(figures["amount_company"]),
                    threshold=amount,
                    currency=currency.name,
                )
            )
        term_ok, pricelist_ok = self._qpa_standard_terms()
        if not term_ok:
            reasons.append(
                self.env._(
                    "The payment terms %(terms)s are not the customer's standard ones.",
                    terms=self.payment_term_id.display_name,
                )
            )
        if not pricelist_ok:
            reasons.append(
                self.env._(
                    "The pricelist %(pricelist)s is not the customer's standard one.",
                    pricelist=self.pricelist_id.display_name,
                )
            )
        if self.qpa_non_standard_terms:
            reasons.append(self.env._("The quotation has non-standard terms."))
        if self.qpa_formal_contract:
            reasons.append(
                self.env._("The customer requires a formal contract: the managing director must approve.")
            )
        return reasons

    def _qpa_decide_needs(self):
        """(QPA needed, managing director level needed), from the order's facts now."""
        self.ensure_one()
        company = self.company_id or self.env.company
        figures = self._qpa_figures()
        required = bool(self._qpa_reason_list(figures))
        md_amount = company.qpa_md_amount_threshold
        needs_md = required and bool(
            self.qpa_formal_contract
            or (md_amount and company.currency_id.compare_amounts(figures["amount_company"], md_amount) >= 0)
        )
        return required, needs_md

    @api.depends(*QPA_RULE_DEPENDS)
    def _compute_qpa_required(self):
        for order in self:
            order.qpa_required, order.qpa_needs_md = order._qpa_decide_needs()

    @api.depends(*QPA_RULE_DEPENDS)
    def _compute_qpa_reasons(self):
        for order in self:
            order.qpa_reasons = "\n".join(order._qpa_reason_list()) or False

    @api.depends("qpa_required", "qpa_needs_md")
    def _compute_qpa_levels(self):
        for order in self:
            if not order.qpa_required:
                order.qpa_levels = False
            elif order.qpa_needs_md:
                order.qpa_levels = self.env._("Sales manager, then managing director")
            else:
                order.qpa_levels = self.env._("Sales manager")

    # ------------------------------------------------------------------
    # What was approved: the fingerprint of the facts
    # ------------------------------------------------------------------
    def _qpa_fingerprint(self):
        """A hash of the facts a QPA approves: amount, currency, customer (and its invoice and
        delivery addresses), pricelist, payment terms, the two ticks, the managing director level and
        each product line's product, quantity, unit, packaging, unit price and discount."""
        self.ensure_one()
        currency = self.currency_id or self.company_id.currency_id

        def number(value):
            return f"{value or 0.0:.6f}"

        lines = sorted(
            [
                line.product_id.id,
                number(line.product_uom_qty),
                line.product_uom.id,
                line.product_packaging_id.id,
                number(line.product_packaging_qty),
                number(line.price_unit),
                number(line.discount),
            ]
            for line in self.order_line
            if not line.display_type and not line.is_downpayment
        )
        facts = {
            "company": self.company_id.id,
            "amount_untaxed": number(
                currency.round(self.amount_untaxed) if currency else self.amount_untaxed
            ),
            "currency": currency.id,
            "partner": self.partner_id.id,
            "partner_invoice": self.partner_invoice_id.id,
            "partner_shipping": self.partner_shipping_id.id,
            "pricelist": self.pricelist_id.id,
            "payment_term": self.payment_term_id.id,
            "formal_contract": bool(self.qpa_formal_contract),
            "non_standard_terms": bool(self.qpa_non_standard_terms),
            "managing_director": self._qpa_decide_needs()[1],
            "lines": lines,
        }
        return hashlib.sha256(json.dumps(facts, sort_keys=True).encode()).hexdigest()
