import logging

from freezegun import freeze_time

from odoo.tests import TransactionCase, new_test_user, tagged

_logger = logging.getLogger(__name__)


@tagged("post_install", "-at_install")
class TestForecastQueries(TransactionCase):
    """The 12-month forecast groups the deals in SQL: its query count does not grow with the deals."""

    def _queries_for(self, deals):
        user = new_test_user(self.env, f"fc_q{deals}", groups="sales_team.group_sale_salesman", tz="UTC")
        team = self.env["crm.team"].create({"name": f"FC Q{deals}", "member_ids": [(6, 0, user.ids)]})
        stage = self.env["crm.stage"].create({"name": f"FC Q{deals}", "forecast_category": "pipeline"})
        self.env["crm.lead"].create(
            [
                {
                    "name": f"Q deal {i}",
                    "type": "opportunity",
                    "user_id": user.id,
                    "team_id": team.id,
                    "stage_id": stage.id,
                    "expected_revenue": 1000,
                    "date_deadline": f"2026-{3 + i % 10:02d}-15",
                }
                for i in range(deals)
            ]
        )
        self.env.flush_all()
        self.env.invalidate_all()
        wizard_env = self.env(user=user)
        before = self.env.cr.sql_log_count
        wizard = wizard_env["scp.forecast.wizard"].create({})
        forecast = wizard_env["scp.sales.forecast"].browse(wizard.action_submit()["res_id"])
        self.env.flush_all()
        count = self.env.cr.sql_log_count - before
        return count, forecast

    def test_query_count_constant_in_deals(self):
        with freeze_time("2026-03-08 10:00:00"):
            small, forecast_small = self._queries_for(3)
            large, forecast_large = self._queries_for(60)
        # 3 deals: March, April, May; 60 deals: 6 per month from March to December.
        self.assertEqual(forecast_small.pipeline_total, 3000)
        self.assertEqual(forecast_large.pipeline_total, 60000)
        self.assertEqual(forecast_large.line_ids[0].amount, 6000)
        self.assertEqual(small, large, f"3 deals: {small} queries, 60 deals: {large} queries")
        _logger.info("Forecast wizard + submission: %s queries for 3 deals, %s for 60", small, large)
