"""Money: the one rule that brings an amount to the company currency.

**An amount in a document's currency is brought to the company currency with Odoo's rate at the
document's date**, rounded to the company currency:

- a deal (``crm.lead``): its expected revenue, in its *Revenue Currency* (``revenue_currency_id``), at
  the deal's creation date; stored as ``crm.lead.expected_revenue_company``;
- an order (``sale.order``): its amounts, in the order's currency, at its order date — the rate Odoo
  stores as ``sale.order.currency_rate``; the untaxed amount is stored as
  ``sale.order.amount_untaxed_company``.

Every figure the addon adds up or compares (the engineering referral threshold, commits, forecasts,
measures, the analysis view, the pipeline's sums, the QPA thresholds) uses these amounts, never a
deal's or order's own currency amount. The rate is the one in force on the document's date (Odoo's
``res.currency._convert``: the latest rate on or before it, per company); a rate entered later for an
earlier date does not change an amount already stored.
"""

import math

from odoo import fields
from odoo.exceptions import ValidationError


def convert(amount, from_currency, to_currency, company, day):
    """``amount`` from one currency to another with ``company``'s rate of ``day`` (a date or a datetime;
    empty: today), rounded to ``to_currency``."""
    if not from_currency or not to_currency or from_currency == to_currency:
        return amount or 0.0
    day = fields.Date.to_date(day) or fields.Date.today()
    return from_currency._convert(amount or 0.0, to_currency, company, day)


def deal_company_amount(lead):
    """A deal's expected revenue (in its revenue currency) in the company currency, at the deal's
    creation date (now for a deal being created)."""
    company = lead.company_id or lead.env.company
    currency = lead.revenue_currency_id or company.currency_id
    day = lead.create_date or fields.Datetime.now()
    return convert(lead.expected_revenue, currency, company.currency_id, company, day)


def order_company_amount(order, amount):
    """An amount in ``order``'s currency in the company currency, at the order date (Odoo's
    ``sale.order.currency_rate``)."""
    company = order.company_id or order.env.company
    day = order.date_order or fields.Datetime.now()
    return convert(amount, order.currency_id, company.currency_id, company, day)


def order_currency_amount(order, amount):
    """An amount in the company currency in ``order``'s currency, at the order date: the way back of
    ``order_company_amount``."""
    company = order.company_id or order.env.company
    day = order.date_order or fields.Datetime.now()
    return convert(amount, company.currency_id, order.currency_id, company, day)


def sane_amount(env, value, what):
    """``value`` as a finite number, else a ValidationError naming ``what``."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValidationError(env._("%(what)s must be a number, not %(value)s.", what=what, value=value))
    return float(value)
