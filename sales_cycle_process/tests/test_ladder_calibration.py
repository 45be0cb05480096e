import io

import openpyxl

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user

from .ladder_common import LadderCase


class TestLadderCalibration(LadderCase):
    """Ladder calibration: the deals that reached each stage, how they ended, the measured win rate with
    its 95 % Wilson interval beside the nominal probability, a suggestion a manager may apply."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.ladder_gate_mode = "warn"
        cls.leader = new_test_user(
            cls.env, "calib_lead", groups="sales_team.group_sale_salesman", name="Lea Leader"
        )
        cls.calib_team = cls.env["crm.team"].create(
            {"name": "Calibration Team", "use_opportunities": True, "user_id": cls.leader.id}
        )
        cls.other_team = cls.env["crm.team"].create(
            {"name": "Other Calibration Team", "use_opportunities": True}
        )
        cls.intent = cls.env.ref("sales_cycle_process.stage_ladder_purchase_intent")  # 50 %
        cls.met = cls.env.ref("crm.stage_lead2")  # 25 %
        cls.won_stage = cls.env.ref("crm.stage_lead4")
        cls.Calibration = cls.env["scp.ladder.calibration"]

    def _history(self, team, stage, won, lost, still_open=0, score=None):
        """Deals of ``team`` that reached ``stage`` (its highest): ``won`` won (they went on to the won
        stage), ``lost`` lost from it, ``still_open`` still in it (created by the server, as history)."""
        vals_list = []
        for outcome, count in (("won", won), ("lost", lost), ("open", still_open)):
            for index in range(count):
                at = self.won_stage if outcome == "won" else stage
                vals_list.append(
                    {
                        "name": f"History {outcome} {index}",
                        "type": "opportunity",
                        "team_id": team.id,
                        "stage_id": at.id,
                        "active": outcome != "lost",
                        "probability": 0 if outcome == "lost" else at.probability,
                        "ladder_reached_stage_id": at.id,
                        "ladder_close_stage_id": stage.id if outcome != "open" else False,
                        "ladder_close_nominal": stage.probability,
                        "ladder_close_score": score if outcome != "open" else False,
                    }
                )
        return self.env["crm.lead"].with_context(active_test=False).create(vals_list)

    def _stage_figures(self, team, stage):
        groups = self.Calibration.read_group(
            [("team_id", "=", team.id), ("stage_id", "=", stage.id)],
            [
                "reached_count:sum",
                "won_count:sum",
                "lost_count:sum",
                "open_count:sum",
                "win_rate",
                "wilson_low",
                "wilson_high",
                "significant",
                "suggested_probability",
                "nominal_probability",
            ],
            ["stage_id"],
        )
        self.assertEqual(len(groups), 1)
        return groups[0]

    # --- the highest stage reached ---------------------------------------------------------------------
    def test_reached_stage_follows_the_moves_and_closing_keeps_the_score(self):
        lead = self._new_lead(user=self.salesperson, team=self.calib_team, stage=self.met)
        self.assertEqual(lead.ladder_reached_stage_id, self.met)
        lead.with_user(self.salesperson).write({"stage_id": self.intent.id})
        lead.with_user(self.salesperson).write({"stage_id": self.met.id})  # back down: still reached 50 %
        self.assertEqual(lead.ladder_reached_stage_id, self.intent)
        score = lead.automated_probability
        lead.with_user(self.salesperson).action_set_lost()
        self.assertEqual(lead.ladder_reached_stage_id, self.intent)
        self.assertEqual(lead.ladder_close_stage_id, self.met)
        self.assertEqual(lead.ladder_close_nominal, 25.0)
        self.assertEqual(lead.ladder_close_score, score)
        self.assertEqual(lead.automated_probability, 0.0)  # what Odoo leaves: hence the stored score

    def test_reached_stage_cannot_be_written_by_a_client(self):
        lead = self._new_lead(user=self.salesperson, team=self.calib_team, stage=self.met)
        top = self.env.ref("sales_cycle_process.stage_ladder_negotiated")
        for fname, value in (
            ("ladder_reached_stage_id", top.id),
            ("ladder_close_score", 99.0),
            ("ladder_close_nominal", 99.0),
        ):
            with self.assertRaises(AccessError):
                lead.with_user(self.salesperson).write({fname: value})
            with self.assertRaises(AccessError):
                lead.with_user(self.manager).write({fname: value})
        with self.assertRaises(AccessError):
            self.env["crm.lead"].with_user(self.salesperson).create(
                {"name": "Forged", "type": "opportunity", "ladder_reached_stage_id": top.id}
            )
        self.assertEqual(lead.ladder_reached_stage_id, self.met)

    # --- the figures -----------------------------------------------------------------------------------
    def test_stage_won_3_times_out_of_10_shows_30_percent_with_its_interval(self):
        self._history(self.calib_team, self.intent, won=3, lost=7, still_open=2)
        group = self._stage_figures(self.calib_team, self.intent)
        self.assertEqual(group["reached_count"], 12)
        self.assertEqual((group["won_count"], group["lost_count"], group["open_count"]), (3, 7, 2))
        self.assertAlmostEqual(group["win_rate"], 30.0)
        self.assertAlmostEqual(group["wilson_low"], 10.78, places=2)
        self.assertAlmostEqual(group["wilson_high"], 60.32, places=2)
        self.assertEqual(group["nominal_probability"], 50.0)
        # 50 % lies inside [10.8 %, 60.3 %]: ten deals do not prove the ladder wrong
        self.assertFalse(group["significant"])
        self.assertFalse(group["suggested_probability"])
        # the stage below counts them too (reached means "was in it or beyond"), with the won deals
        below = self._stage_figures(self.calib_team, self.met)
        self.assertEqual((below["reached_count"], below["won_count"], below["lost_count"]), (12, 3, 7))
        # and a row reads the same figures
        row = self.Calibration.search(
            [("team_id", "=", self.calib_team.id), ("stage_id", "=", self.intent.id)]
        )
        self.assertEqual(len(row), 1)
        self.assertAlmostEqual(row.win_rate, 30.0)
        self.assertAlmostEqual(row.wilson_low, 10.78, places=2)

    def test_a_significant_difference_gets_a_suggestion(self):
        self._history(self.calib_team, self.intent, won=3, lost=27)
        group = self._stage_figures(self.calib_team, self.intent)
        self.assertAlmostEqual(group["win_rate"], 10.0)
        self.assertAlmostEqual(group["wilson_low"], 3.46, places=2)
        self.assertAlmostEqual(group["wilson_high"], 25.62, places=2)
        self.assertTrue(group["significant"])
        self.assertEqual(group["suggested_probability"], 10.0)

    def test_predictive_score_and_ladder_accuracy_on_the_same_deals(self):
        # the predictive score said 80 % for 2 won and 2 lost deals closed from 50 %
        self._history(self.calib_team, self.intent, won=2, lost=2, score=80.0)
        groups = self.Calibration.read_group(
            [("team_id", "=", self.calib_team.id)],
            ["scored_count:sum", "score_brier", "nominal_brier"],
            ["team_id"],
        )
        self.assertEqual(groups[0]["scored_count"], 4)
        # (0.2² × 2 + 0.8² × 2) / 4 = 0.34; the ladder's 50 %: 0.25, it predicts better
        self.assertAlmostEqual(groups[0]["score_brier"], 0.34)
        self.assertAlmostEqual(groups[0]["nominal_brier"], 0.25)

    # --- who applies it, who sees it -------------------------------------------------------------------
    def test_a_manager_applies_the_suggestion_a_salesperson_cannot(self):
        self._history(self.calib_team, self.intent, won=3, lost=27)
        rows = self.Calibration.search(
            [("team_id", "=", self.calib_team.id), ("stage_id", "=", self.intent.id)]
        )
        for user in (self.salesperson, self.leader):
            with self.assertRaises(AccessError):
                rows.with_user(user).action_apply_suggestion()
        self.assertEqual(self.intent.probability, 50.0)
        action = rows.with_user(self.manager).action_apply_suggestion()
        self.assertEqual(self.intent.probability, 10.0)
        self.assertIn("50 % → 10 %", action["params"]["message"])
        # nothing significant left: a second click says so and changes nothing
        rows = self.Calibration.search(
            [("team_id", "=", self.calib_team.id), ("stage_id", "=", self.intent.id)]
        )
        with self.assertRaises(UserError):
            rows.with_user(self.manager).action_apply_suggestion()
        self.assertEqual(self.intent.probability, 10.0)

    def test_not_significant_is_not_applied(self):
        self._history(self.calib_team, self.intent, won=3, lost=7)
        rows = self.Calibration.search(
            [("team_id", "=", self.calib_team.id), ("stage_id", "=", self.intent.id)]
        )
        with self.assertRaises(UserError):
            rows.with_user(self.manager).action_apply_suggestion()
        self.assertEqual(self.intent.probability, 50.0)

    def test_team_leader_sees_own_teams_salesperson_none_manager_all(self):
        self._history(self.calib_team, self.intent, won=1, lost=1)
        self._history(self.other_team, self.intent, won=1, lost=1)
        domain = [("team_id", "in", (self.calib_team | self.other_team).ids)]
        self.assertEqual(self.Calibration.with_user(self.leader).search(domain).team_id, self.calib_team)
        self.assertFalse(self.Calibration.with_user(self.salesperson).search(domain))
        self.assertEqual(
            self.Calibration.with_user(self.manager).search(domain).team_id, self.calib_team | self.other_team
        )
        self.assertFalse(
            self.Calibration.with_user(self.leader).read_group(
                [("team_id", "=", self.other_team.id)], ["won_count:sum"], ["team_id"]
            )
        )

    # --- the workbook ----------------------------------------------------------------------------------
    def test_xlsx_has_the_figures_and_the_chart(self):
        self._history(self.calib_team, self.intent, won=3, lost=7)
        rows = self.Calibration.search([("team_id", "=", self.calib_team.id)])
        content, _kind = (
            self.env["report.sales_cycle_process.ladder_calibration_xlsx"]
            .with_user(self.manager)
            .create_xlsx_report(rows.ids, {})
        )
        book = openpyxl.load_workbook(io.BytesIO(content))
        self.assertEqual(book.sheetnames, ["Calibration", "By Team"])
        sheet = book["Calibration"]
        self.assertEqual(sheet["G1"].value, "Measured")
        lines = {line[0].value: line for line in sheet.iter_rows(min_row=2) if line[0].value}
        intent = lines[self.intent.name]
        self.assertEqual([cell.value for cell in intent[1:6]], [0.5, 10, 3, 7, 0])
        self.assertAlmostEqual(intent[6].value, 0.3)
        self.assertAlmostEqual(intent[7].value, 0.1078, places=4)
        self.assertAlmostEqual(intent[8].value, 0.6032, places=4)
        self.assertIsNone(intent[9].value)  # not significant: no suggestion
        self.assertEqual(intent[6].number_format, "0.0%")
        self.assertTrue(sheet._charts)
        team_rows = [line for line in book["By Team"].iter_rows(min_row=2, values_only=True) if line[0]]
        self.assertIn(("Calibration Team", self.intent.name), {line[:2] for line in team_rows})
