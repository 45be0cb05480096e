from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, new_test_user, tagged

from ..tools import money

# 2026-06-15 is a Monday: the week's commit is open until noon (UTC here).
TODAY = "2026-06-15 08:00:00"
JUNE = date(2026, 6, 1)


@tagged("post_install", "-at_install")
class TestMoneyRule(TransactionCase):
    """One rule for the company currency (tools/money.py): a deal's amount at the rate of its creation
    date, an order's at the rate of its order date, everywhere the addon adds up or compares amounts.

    The company is in USD. EUR is worth 1.25 USD from 2026-03-01 (0.8 EUR per USD) and 2 USD from
    2026-06-01 (0.5 EUR per USD). The deal, created on 2026-03-02, expects 100,000 EUR: 125,000 USD for
    every figure, although today's rate would make it 200,000 USD. The order, dated today, is 1,000 EUR:
    2,000 USD.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.usd = cls.env.ref("base.USD")
        cls.eur = cls.env.ref("base.EUR")
        assert cls.company.currency_id == cls.usd, "the test database's company is in USD"
        cls.eur.active = True
        cls.env["res.currency.rate"].search([("currency_id", "in", (cls.usd | cls.eur).ids)]).unlink()
        cls.env["res.currency.rate"].create(
            [
                {"name": day, "rate": rate, "currency_id": cls.eur.id, "company_id": cls.company.id}
                for day, rate in (("2026-03-01", 0.8), ("2026-06-01", 0.5))
            ]
        )
        cls.company.write(
            {"ladder_gate_mode": "off", "engineering_review_threshold": 150000.0, "qpa_amount_threshold": 0.0}
        )
        cls.user = new_test_user(
            cls.env, "money_rule_seller", groups="sales_team.group_sale_salesman", tz="UTC"
        )
        cls.team = cls.env["crm.team"].create({"name": "Money Team", "member_ids": [(6, 0, cls.user.ids)]})
        cls.stage = cls.env["crm.stage"].search([("is_won", "=", False)], limit=1)
        cls.lead = cls.env["crm.lead"].create(
            {
                "name": "Press line in EUR",
                "type": "opportunity",
                "user_id": cls.user.id,
                "team_id": cls.team.id,
                "stage_id": cls.stage.id,
                "revenue_currency_id": cls.eur.id,
                "expected_revenue": 0.0,
                "date_deadline": "2026-06-20",
            }
        )
        # the deal was created on 2026-03-02; its amount is then set in EUR
        cls.env.cr.execute(
            "UPDATE crm_lead SET create_date = '2026-03-02 10:00:00' WHERE id = %s", [cls.lead.id]
        )
        cls.lead.invalidate_recordset(["create_date"])
        cls.lead.expected_revenue = 100000.0
        # its commit checklist is not what this test is about: a manager counts it as commit
        cls.lead._commit_override("The money rule is tested here, not the checklist.")
        cls.partner = cls.env["res.partner"].create({"name": "Money Customer"})
        cls.product = cls.env["product.product"].create({"name": "Money Machine", "list_price": 1.0})
        cls.eur_pricelist = cls.env["product.pricelist"].create(
            {"name": "EUR prices", "currency_id": cls.eur.id}
        )
        # the customer's own pricelist: standard terms, no quote price approval for the pricelist
        cls.partner.property_product_pricelist = cls.eur_pricelist

    def _quotation(self):
        return self.env["sale.order"].create(
            {
                "partner_id": self.partner.id,
                "user_id": self.user.id,
                "pricelist_id": self.eur_pricelist.id,
                "order_line": [(0, 0, {"product_id": self.product.id, "price_unit": 1000, "tax_id": False})],
            }
        )

    def test_the_rule(self):
        self.assertAlmostEqual(money.deal_company_amount(self.lead), 125000.0, 2)
        with freeze_time(TODAY):
            order = self._quotation()
            self.assertEqual(order.currency_id, self.eur)
            self.assertAlmostEqual(money.order_company_amount(order, 1000.0), 2000.0, 2)
            self.assertAlmostEqual(money.order_currency_amount(order, 2000.0), 1000.0, 2)
            self.assertAlmostEqual(
                order.amount_untaxed / order.currency_rate, 2000.0, 2, "Odoo's own rate of the order"
            )

    def test_the_deal_counts_at_its_creation_rate_everywhere(self):
        lead = self.lead
        self.assertAlmostEqual(lead.expected_revenue_company, 125000.0, 2)
        self.assertAlmostEqual(lead.prorated_revenue_company, 125000.0 * lead.probability / 100, 2)

        # the engineering referral: 125,000 USD is below 150,000 (today's rate would make it 200,000)
        self.assertFalse(lead.engineering_review_requested)
        self.assertFalse(lead._ladder_needs_engineering_review())
        self.company.engineering_review_threshold = 125000.0
        self.assertTrue(lead._ladder_needs_engineering_review(), "the threshold is reached at 125,000")
        self.company.engineering_review_threshold = 150000.0

        with freeze_time(TODAY):
            # the commit wizard, the commit line and its totals
            wizard = (
                self.env["scp.commit.wizard"]
                .with_user(self.user)
                .create({"line_ids": [(0, 0, {"lead_id": lead.id, "category": "commit"})]})
            )
            self.assertAlmostEqual(wizard.line_ids.amount, 125000.0, 2)
            self.assertAlmostEqual(wizard.commit_week, 125000.0, 2)
            lines = [{"lead_id": lead.id, "category": "commit"}]
            Commit = self.env["scp.sales.commit"].with_user(self.user)
            commit = Commit._submit(self.user, self.team, date(2026, 6, 15), lines)
            self.assertAlmostEqual(commit.line_ids.amount, 125000.0, 2)
            for total in ("commit_week", "commit_month", "commit_quarter", "commit_total"):
                self.assertAlmostEqual(commit[total], 125000.0, 2, total)

            # the forecast's month
            Forecast = self.env["scp.sales.forecast"].with_user(self.user)
            pipeline = Forecast._pipeline_by_month(self.user, JUNE)
            self.assertAlmostEqual(pipeline[self.user.id, JUNE], 125000.0, 2)
            forecast = Forecast._submit(self.user, self.team, JUNE, [])
            june = forecast.line_ids.filtered(lambda line: line.month == JUNE)
            self.assertAlmostEqual(june.computed_amount, 125000.0, 2)
            self.assertAlmostEqual(forecast.pipeline_total, 125000.0, 2)

            # the measures: the open pipeline, then the deal won and an order without a deal
            measures = self.env["scp.forecast.measures"]
            self.assertAlmostEqual(measures._coverage(self.user, JUNE)[self.user.id][0], 125000.0, 2)
            lead.action_set_won()
            order = self._quotation()
            order.action_confirm()
            self.assertEqual(order.state, "sale")
            self.assertAlmostEqual(order.amount_untaxed_company, 2000.0, 2, "1,000 EUR at today's rate")
            actuals = measures._actuals(self.user, JUNE, date(2026, 6, 30))
            self.assertAlmostEqual(actuals[self.user.id], 127000.0, 2)
            bookings = measures._weekly_bookings(self.user, date(2026, 6, 15), date(2026, 6, 21))
            self.assertAlmostEqual(bookings[self.user.id][date(2026, 6, 15)], 127000.0, 2)

        # the analysis view
        self.env.flush_all()
        analysis = dict(
            self.env["scp.forecast.analysis"]._read_group(
                [("user_id", "=", self.user.id)], ["kind"], ["amount:sum"]
            )
        )
        self.assertAlmostEqual(analysis["forecast"], 125000.0, 2)
        self.assertAlmostEqual(analysis["commit"], 125000.0, 2)
        self.assertAlmostEqual(analysis["actual"], 127000.0, 2)

    def test_the_qpa_amount_threshold_reads_the_orders_figure(self):
        with freeze_time(TODAY):
            order = self._quotation()
            self.assertAlmostEqual(order.qpa_amount_company, 2000.0, 2)
            self.assertAlmostEqual(order.qpa_amount_company, order.amount_untaxed_company, 2)

            def amount_reasons():
                return [reason for reason in order._qpa_reason_list() if "untaxed amount" in reason]

            # 1,000 EUR is 2,000 USD today: above 1,500 USD (not at the deal's 1.25, not as 1,000)
            self.company.qpa_amount_threshold = 1500.0
            self.assertEqual(len(amount_reasons()), 1)
            self.company.qpa_amount_threshold = 2500.0
            self.assertFalse(amount_reasons())

    def test_no_client_writes_a_company_amount(self):
        """The company amounts are the server's: a salesperson writing them over RPC is refused, and what
        the commit and the referral read stays computed from the deal's facts."""
        lead = self.lead.with_user(self.user)
        figure = lead.expected_revenue_company
        for fname in ("expected_revenue_company", "prorated_revenue_company"):
            with self.subTest(field=fname), self.assertRaises(UserError):
                lead.write({fname: 10.0})
        with self.assertRaises(UserError):
            self.env["crm.lead"].with_user(self.user).create(
                {"name": "Forged", "user_id": self.user.id, "expected_revenue_company": 1e9}
            )
        lead.write({"expected_revenue_company": figure})  # re-sending the computed value is harmless
        self.assertEqual(lead.expected_revenue_company, figure)
        order = self._quotation().with_user(self.user)
        with self.assertRaises(AccessError):
            order.write({"amount_untaxed_company": 1.0})
