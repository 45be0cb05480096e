# Copyright 2026 sales_cycle_process contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""18.0.2.0.0, before the update: the deals' company-currency amounts, pre-filled in SQL.

``crm.lead.expected_revenue_company`` (and ``prorated_revenue_company``) became stored computed fields
(the money rule, ``tools/money.py``). Left to the update, Odoo would compute them deal by deal in Python
for every deal of the database. Most deals are quoted in their company's currency, where the rule is the
identity: their columns are filled here in one ``UPDATE`` each. The deals in another currency (and those
without a company) stay empty here; ``post-20-money.py`` computes them with the ORM, through the one rule.
Since the columns exist before the update, Odoo does not recompute them. Plain SQL: the registry of the
new version is not loaded yet.
"""

from odoo.tools import SQL


def _column_exists(cr, table, column):
    cr.execute(
        "SELECT 1 FROM information_schema.columns WHERE table_name = %s AND column_name = %s",
        [table, column],
    )
    return bool(cr.rowcount)


def migrate(cr, version):
    if not version or _column_exists(cr, "crm_lead", "expected_revenue_company"):
        return
    cr.execute(
        """
        ALTER TABLE crm_lead ADD COLUMN expected_revenue_company numeric,
                             ADD COLUMN prorated_revenue_company numeric
        """
    )
    # deals quoted in their company's currency (every deal, before deals had a revenue currency)
    if _column_exists(cr, "crm_lead", "revenue_currency_id"):
        same_currency = "l.revenue_currency_id IS NULL OR l.revenue_currency_id = c.currency_id"
    else:
        same_currency = "TRUE"
    # the prorated amount as Odoo's prorated_revenue: rounded to 2 digits, then to the currency's rounding
    cr.execute(
        SQL(
            """
            UPDATE crm_lead l
               SET expected_revenue_company = COALESCE(l.expected_revenue, 0),
                   prorated_revenue_company = ROUND(
                       ROUND(COALESCE(l.expected_revenue, 0) * COALESCE(l.probability, 0)::numeric / 100, 2)
                       / cur.rounding::numeric
                   ) * cur.rounding::numeric
              FROM res_company c
              JOIN res_currency cur ON cur.id = c.currency_id
             WHERE c.id = l.company_id AND (%s)
            """,
            SQL(same_currency),
        )
    )
