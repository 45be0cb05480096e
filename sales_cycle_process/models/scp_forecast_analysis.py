from odoo import fields, models, tools


class ScpForecastAnalysis(models.Model):
    """Forecast vs commit vs actual per period, for graph and pivot views (an SQL view)."""

    _name = "scp.forecast.analysis"
    _description = "Forecast vs Commit vs Actual"
    _auto = False
    _order = "date desc"

    kind = fields.Selection(
        [("forecast", "Forecast"), ("commit", "Commit"), ("actual", "Actual")], readonly=True
    )
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    date = fields.Date(readonly=True)
    amount = fields.Float(readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            f"""
            CREATE OR REPLACE VIEW {self._table} AS (
                SELECT row_number() OVER () AS id, u.* FROM (
                    -- the month's forecast as submitted in that month
                    SELECT 'forecast'::varchar AS kind, l.user_id, l.team_id, f.company_id,
                           l.month AS date, l.amount::float AS amount
                      FROM scp_sales_forecast_line l
                      JOIN scp_sales_forecast f ON f.id = l.forecast_id
                     WHERE l.state = 'current' AND l.submitted_month = l.month
                    UNION ALL
                    SELECT 'commit', c.user_id, c.team_id, c.company_id, c.week_start, c.commit_week::float
                      FROM scp_sales_commit c
                     WHERE c.state = 'current'
                    UNION ALL
                    -- won deals and orders in the company currency: the money rule (tools/money.py)
                    SELECT 'actual', l.user_id, l.team_id, l.company_id, l.date_closed::date,
                           l.expected_revenue_company::float
                      FROM crm_lead l
                      JOIN crm_stage s ON s.id = l.stage_id
                     WHERE s.is_won AND l.active AND l.date_closed IS NOT NULL
                    UNION ALL
                    SELECT 'actual', o.user_id, o.team_id, o.company_id, o.date_order::date,
                           o.amount_untaxed_company::float
                      FROM sale_order o
                     WHERE o.state = 'sale' AND o.opportunity_id IS NULL
                ) u
            )
            """
        )
