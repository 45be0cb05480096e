# Copyright 2026 sales_cycle_process contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import fields
from odoo.tests import new_test_user, tagged

from .tour_common import TourCase


@tagged("post_install", "-at_install")
class TestNoSurprisesTour(TourCase):
    """In the browser: a sales manager reads the ladder calibration, then filters their stale deals."""

    def setUp(self):
        super().setUp()
        self.manager = new_test_user(
            self.env, "scp_tour_calib", groups="sales_team.group_sale_manager", name="Cal Ibrate", tz="UTC"
        )
        self.team = self.env["crm.team"].create(
            {"name": "Tour Calibration Team", "user_id": self.manager.id, "probability_source": "ladder"}
        )
        intent = self.env.ref("sales_cycle_process.stage_ladder_purchase_intent")
        Lead = self.env["crm.lead"]  # the superuser sets the history up, past the gate
        vals = {"type": "opportunity", "user_id": self.manager.id, "team_id": self.team.id}
        self.sleepy = Lead.create({**vals, "name": "Tour: sleepy press", "stage_id": intent.id})
        self.busy = Lead.create({**vals, "name": "Tour: busy press", "stage_id": intent.id})
        # 400 days in the stage: over any stage's limit; the busy deal just arrived
        self.sleepy.date_last_stage_update = fields.Datetime.now() - timedelta(days=400)

    def test_ladder_calibration_and_stale_deals_tour(self):
        self.assertTrue(self.sleepy.health_stale)
        self.assertFalse(self.busy.health_stale)
        self.start_tour(
            "/odoo/action-sales_cycle_process.scp_ladder_calibration_action",
            "scp_ladder_calibration_tour",
            login=self.manager.login,
        )
        self.start_tour(
            "/odoo/action-crm.crm_lead_action_pipeline", "scp_stale_deals_tour", login=self.manager.login
        )
