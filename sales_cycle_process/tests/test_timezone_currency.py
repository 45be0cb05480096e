from datetime import date

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import Form, TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestTimezoneCurrency(TransactionCase):
    """Deadlines and periods are in the salesperson's local time; actuals in the company currency.

    2026-03-09 is a Monday; a week's commit closes on its Monday at 12:00 local time.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.tokyo = new_test_user(
            cls.env, "tz_tokyo", groups="sales_team.group_sale_salesman", tz="Asia/Tokyo"
        )
        cls.la = new_test_user(
            cls.env, "tz_la", groups="sales_team.group_sale_salesman", tz="America/Los_Angeles"
        )
        cls.team = cls.env["crm.team"].create(
            {"name": "TZ Team", "member_ids": [(6, 0, [cls.tokyo.id, cls.la.id])]}
        )
        cls.env.company.commit_deadline_hour = 12
        cls.partner = cls.env["res.partner"].create({"name": "TZ Customer"})
        cls.product = cls.env["product.product"].create({"name": "TZ Machine", "list_price": 1.0})
        cls.zlx = cls.env["res.currency"].create({"name": "ZLT", "symbol": "Ƶ", "rounding": 0.01})
        cls.env["res.currency.rate"].create(
            {"name": "2020-01-01", "rate": 2.0, "currency_id": cls.zlx.id, "company_id": cls.env.company.id}
        )
        cls.zlx_pricelist = cls.env["product.pricelist"].create(
            {"name": "ZLT prices", "currency_id": cls.zlx.id}
        )

    def _submit(self, user):
        return self.env["scp.sales.commit"].with_user(user)._submit(user, self.team, date(2026, 3, 9), [])

    def test_commit_deadline_is_noon_in_the_salespersons_timezone(self):
        # 05:00 UTC is 14:00 in Tokyo: the Monday call is over there.
        with freeze_time("2026-03-09 05:00:00"), self.assertRaises(UserError) as err:
            self._submit(self.tokyo)
        self.assertIn("2026-03-09 12:00", str(err.exception), "the deadline is shown in local time")
        with freeze_time("2026-03-09 02:00:00"):
            self.assertTrue(self._submit(self.tokyo), "11:00 in Tokyo: still open")
        # 13:00 UTC is 06:00 in Los Angeles: still open there.
        with freeze_time("2026-03-09 13:00:00"):
            self.assertTrue(self._submit(self.la))
        with freeze_time("2026-03-09 19:30:00"), self.assertRaises(UserError):
            self._submit(self.la)

    def test_commit_wizard_proposes_the_week_still_open_locally(self):
        with freeze_time("2026-03-09 04:00:00"):  # Monday 13:00 in Tokyo, 21:00 on Sunday in LA
            tokyo = Form(self.env["scp.commit.wizard"].with_user(self.tokyo)).save()
            la = Form(self.env["scp.commit.wizard"].with_user(self.la)).save()
        self.assertEqual(tokyo.week_start, date(2026, 3, 16), "Tokyo's Monday deadline has passed")
        self.assertEqual(la.week_start, date(2026, 3, 9))

    def _order(self, user, pricelist=None):
        if pricelist:  # the customer's own pricelist: a standard one, no quote price approval needed
            self.partner.property_product_pricelist = pricelist
        order = self.env["sale.order"].create(
            {
                "partner_id": self.partner.id,
                "user_id": user.id,
                "pricelist_id": (pricelist or self.env["product.pricelist"]).id,
                "order_line": [(0, 0, {"product_id": self.product.id, "price_unit": 1000, "tax_id": False})],
            }
        )
        order.action_confirm()
        return order

    def test_actuals_count_in_the_local_month(self):
        # 20:00 UTC on 31 March is already 1 April, 05:00, in Tokyo.
        with freeze_time("2026-03-31 20:00:00"):
            self._order(self.tokyo)
        measures = self.env["scp.forecast.measures"].with_user(self.tokyo)
        march = measures._actuals(self.tokyo, date(2026, 3, 1), date(2026, 3, 31))
        april = measures._actuals(self.tokyo, date(2026, 4, 1), date(2026, 4, 30))
        self.assertEqual((march[self.tokyo.id], april[self.tokyo.id]), (0.0, 1000.0))

    def test_actuals_and_analysis_in_the_company_currency(self):
        with freeze_time("2026-03-10 10:00:00"):
            order = self._order(self.la, self.zlx_pricelist)
        self.assertEqual(order.currency_id, self.zlx)
        self.assertEqual(order.amount_untaxed, 1000.0)
        actuals = self.env["scp.forecast.measures"]._actuals(self.la, date(2026, 3, 1), date(2026, 3, 31))
        self.assertAlmostEqual(actuals[self.la.id], 500.0, 2, "1,000 ZLT at 2 ZLT per unit is 500")
        self.env.flush_all()
        groups = self.env["scp.forecast.analysis"]._read_group(
            [("user_id", "=", self.la.id), ("kind", "=", "actual")], ["company_id"], ["amount:sum"]
        )
        self.assertEqual(len(groups), 1)
        self.assertEqual(groups[0][0], self.env.company)
        self.assertAlmostEqual(groups[0][1], 500.0, 2)
