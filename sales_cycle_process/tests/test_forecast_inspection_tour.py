# Copyright 2026 sales_cycle_process contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import fields
from odoo.tests import new_test_user, tagged

from ..tools.periods import week_start
from .tour_common import TourCase


@tagged("post_install", "-at_install")
class TestPipelineInspectionTour(TourCase):
    """In the browser: a sales manager opens the pipeline inspection, then a salesperson's commit
    waterfall."""

    def setUp(self):
        super().setUp()
        self.manager = new_test_user(
            self.env,
            "scp_tour_inspect",
            groups="sales_team.group_sale_manager",
            name="Iris Inspector",
            tz="UTC",
        )
        self.rep = new_test_user(
            self.env,
            "scp_tour_inspect_rep",
            groups="sales_team.group_sale_salesman",
            name="Ivy Inspect",
            tz="UTC",
        )
        self.team = self.env["crm.team"].create(
            {"name": "Tour Inspection Team", "user_id": self.manager.id, "member_ids": [(6, 0, self.rep.ids)]}
        )
        today = fields.Date.today()
        monday = week_start(today)
        Lead = self.env["crm.lead"]

        def deal(name, amount):
            return Lead.create(
                {
                    "name": name,
                    "type": "opportunity",
                    "user_id": self.rep.id,
                    "team_id": self.team.id,
                    "expected_revenue": amount,
                    "date_deadline": today + timedelta(days=3),
                }
            )

        slipping, staying = deal("Tour: slipping press", 7000), deal("Tour: staying press", 12000)
        Commit = self.env["scp.sales.commit"].sudo()

        def commit(week, lines, submitted=None):
            total = sum(amount for _lead, amount in lines)
            vals = {
                **Commit._snapshot_vals(self.rep, self.team),
                "week_start": week,
                "commit_week": total,
                "commit_total": total,
                "line_ids": [
                    fields.Command.create(
                        {"lead_id": lead.id, "category": "commit", "amount": amount, "date_deadline": today}
                    )
                    for lead, amount in lines
                ],
            }
            if submitted:
                vals["submitted_on"] = submitted
            return Commit._store_snapshot(vals, [("user_id", "=", self.rep.id), ("week_start", "=", week)])

        last_monday = monday - timedelta(days=7)
        commit(last_monday, [(slipping, 7000), (staying, 12000)], submitted=f"{last_monday} 08:00:00")
        # pushed out twice since last week's commit (tracked in the chatter), then this week's commit
        slipping.date_deadline = today + timedelta(days=20)
        self.env.cr.flush()
        slipping.date_deadline = today + timedelta(days=40)
        self.env.cr.flush()
        self.env.cr.execute(
            "UPDATE mail_message SET date = %s WHERE model = 'crm.lead' AND res_id = %s",
            [fields.Datetime.to_string(fields.Datetime.now() - timedelta(minutes=5)), slipping.id],
        )
        commit(monday, [(staying, 12000)])

    def test_pipeline_inspection_tour(self):
        flow = self.env["scp.forecast.measures"]._waterfall(self.rep, week_start(fields.Date.today()))
        self.assertEqual((flow["start"], flow["slipped_out"], flow["end"]), (19000, -7000, 12000))
        self.start_tour("/odoo/crm", "scp_pipeline_inspection_tour", login=self.manager.login)
