import logging
from unittest.mock import patch

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .ladder_common import LADDER, LadderCase

_logger = logging.getLogger(__name__)


@tagged("post_install", "-at_install")
class TestLadderWalk(LadderCase):
    def test_lead_walks_the_ladder_and_probability_and_category_follow(self):
        with Form(
            self.env["crm.lead"].with_user(self.salesperson).with_context(default_type="opportunity")
        ) as form:
            form.name = "Press line for Acme"
            form.team_id = self.team
        lead = form.record
        self.assertEqual(lead.stage_id, self.stages[0])
        self.assertEqual(lead.probability, 0)
        self.assertEqual(lead.forecast_category, "omitted")
        self.assertEqual(lead.stage_phase, "intake")
        self.assertEqual(len(lead.criterion_check_ids), 14, "one line per entry criterion of the ladder")
        self.assertEqual(lead.checklist_summary, "", "Lead intake, where every deal starts, asks nothing")
        expected_summary = {25: "7/7", 50: "9/9", 60: "10/10", 70: "11/11", 80: "13/13", 90: "14/14"}
        for stage, (_xid, probability, category, phase) in zip(self.stages[1:], LADDER[1:], strict=True):
            # what must be true to be AT the stage is ticked before the deal moves up to it
            self._tick(lead, stage, self.salesperson)
            with Form(lead.with_user(self.salesperson)) as form:
                form.stage_id = stage
            self.assertEqual(lead.stage_id, stage)
            self.assertEqual(lead.probability, probability, stage.name)
            self.assertEqual(lead.forecast_category, category, stage.name)
            self.assertEqual(lead.stage_phase, phase, stage.name)
            self.assertEqual(lead.checklist_progress, 100, stage.name)
            if probability in expected_summary:
                self.assertEqual(lead.checklist_summary, expected_summary[probability], stage.name)
        self.assertTrue(lead.won_status == "won" if "won_status" in lead._fields else lead.probability == 100)

    def test_each_stage_holds_what_the_deck_says_is_true_at_it(self):
        """The deck's probability ladder: each stage's entry criteria and definition are what has been
        achieved when a deal is at it."""
        deck = {
            25: [
                "Lead produced",
                "Lead qualified",
                "Lead classified",
                "Lead followed up",
                "Expert seminar or demo held, or customer invited to visit our headquarters",
                "Decision process and decision makers confirmed",
                "Marketing funds confirmed",
            ],
            50: ["Signing date foreseeable", "Demo or test completed"],
            60: ["Final solution completed"],
            70: ["Solution passed by the customer's expert panel or accepted by the customer"],
            80: ["Customer's internal management has decided", "Customer has chosen us"],
            90: ["Commercial negotiation completed"],
        }
        for stage, (_xid, probability, *_rest) in zip(self.stages, LADDER, strict=True):
            with self.subTest(stage=stage.name):
                self.assertEqual(stage.entry_criterion_ids.mapped("name"), deck.get(probability, []))
                self.assertEqual(stage.entry_criterion_count, len(deck.get(probability, [])))
                self.assertIn(f"({probability} %)", stage.definition)
        self.assertIn("final solution is completed", self.stages[3].definition)
        self.assertIn("commercial negotiation is completed", self.stages[6].definition)
        self.assertIn("chosen us", self.stages[5].definition)

    def test_block_gate_names_missing_criteria_and_manager_forces_with_reason(self):
        lead = self._new_lead()
        with self.assertRaises(UserError) as err:
            with Form(lead.with_user(self.salesperson)) as form:
                form.stage_id = self.stages[1]
        message = str(err.exception)
        self.assertIn(
            "“Press line for Acme” cannot move up to Met with customer: these entry criteria are not met: "
            "Met with customer: Lead produced; Met with customer: Lead qualified;",
            message,
        )
        for name in ("Lead classified", "Lead followed up", "Marketing funds confirmed"):
            self.assertIn(name, message)
        self.assertEqual(lead.stage_id, self.stages[0])

        # one criterion ticked: only the six others are named
        lead.criterion_check_ids.filtered(lambda c: c.criterion_id.name == "Lead produced").with_user(
            self.salesperson
        ).is_done = True
        with self.assertRaises(UserError) as err:
            lead.with_user(self.salesperson).stage_id = self.stages[1]
        self.assertNotIn("Lead produced", str(err.exception))
        self.assertIn("Lead followed up", str(err.exception))
        # the stage, then the six criteria not met
        self.assertEqual(str(err.exception).count("Met with customer: "), 1 + 6)

        with self.assertRaises(AccessError):
            self.env["scp.stage.force.wizard"].with_user(self.salesperson).create(
                {"lead_id": lead.id, "stage_id": self.stages[1].id, "reason": "please"}
            )
        wizard_form = Form(
            self.env["scp.stage.force.wizard"].with_user(self.manager).with_context(default_lead_id=lead.id)
        )
        wizard_form.stage_id = self.stages[1]
        self.assertIn("Lead followed up", wizard_form.missing)
        wizard_form.reason = "Customer met at the trade show, intake paperwork follows"
        wizard_form.save().action_apply()
        self.assertEqual(lead.stage_id, self.stages[1])
        self.assertEqual(lead.probability, 25)
        chatter = self._messages(lead)
        self.assertIn("Customer met at the trade show", chatter)
        self.assertIn("Lead followed up", chatter)

    def test_a_deal_at_50_without_its_final_solution_completed_is_refused_at_60(self):
        lead = self._new_lead(stage=self.stages[2])
        self._tick_up_to(lead, self.stages[2])
        self.assertEqual((lead.probability, lead.checklist_progress), (50, 100))
        # the UI path: the status bar on the form
        with self.assertRaises(UserError) as err:
            with Form(lead.with_user(self.salesperson)) as form:
                form.stage_id = self.stages[3]
        self.assertEqual(
            str(err.exception).splitlines()[0],
            "“Press line for Acme” cannot move up to Final proposal: these entry criteria are not met: "
            "Final proposal: Final solution completed.",
        )
        # the RPC path: a salesperson's write
        with self.assertRaisesRegex(UserError, "Final proposal: Final solution completed"):
            lead.with_user(self.salesperson).write({"stage_id": self.stages[3].id})
        self.assertEqual((lead.stage_id, lead.probability), (self.stages[2], 50))
        self._tick(lead, self.stages[3], self.salesperson)
        lead.with_user(self.salesperson).write({"stage_id": self.stages[3].id})
        self.assertEqual(
            (lead.stage_id, lead.probability, lead.checklist_summary), (self.stages[3], 60, "10/10")
        )

    def test_jumping_rungs_needs_the_criteria_of_every_stage_jumped_and_of_the_target(self):
        lead = self._new_lead(stage=self.stages[1])
        self._tick_up_to(lead, self.stages[1])
        with self.assertRaises(UserError) as err:
            lead.with_user(self.salesperson).write({"stage_id": self.stages[4].id})
        message = str(err.exception)
        for name in (
            "Purchase intent: Signing date foreseeable",
            "Purchase intent: Demo or test completed",
            "Final proposal: Final solution completed",
            "Proposal accepted: Solution passed by the customer's expert panel or accepted by the customer",
        ):
            self.assertIn(name, message)
        self.assertNotIn("Met with customer:", message, "what it already is, is not asked again")
        self.assertNotIn("Chosen:", message, "nor what is above the target")
        # 50 % and 60 % done: the 70 % criterion alone is missing
        self._tick(lead, self.stages[2] | self.stages[3], self.salesperson)
        with self.assertRaises(UserError) as err:
            with Form(lead.with_user(self.salesperson)) as form:
                form.stage_id = self.stages[4]
        self.assertIn(
            "these entry criteria are not met: Proposal accepted: Solution passed", str(err.exception)
        )
        self.assertNotIn("Purchase intent", str(err.exception))
        self._tick(lead, self.stages[4], self.salesperson)
        with Form(lead.with_user(self.salesperson)) as form:
            form.stage_id = self.stages[4]
        self.assertEqual(
            (lead.stage_id, lead.probability, lead.checklist_summary), (self.stages[4], 70, "11/11")
        )

    def test_backward_moves_always_pass(self):
        lead = self._new_lead(stage=self.stages[4])
        self.assertEqual((lead.probability, lead.checklist_progress), (70, 0), "nothing ticked")
        with Form(lead.with_user(self.salesperson)) as form:
            form.stage_id = self.stages[2]
        self.assertEqual(lead.stage_id, self.stages[2])
        self.assertEqual(lead.probability, 50)
        lead.with_user(self.salesperson).stage_id = self.stages[1]
        self.assertEqual(lead.probability, 25)
        lead.with_user(self.salesperson).stage_id = self.stages[0]
        self.assertEqual(lead.probability, 0)
        # back up is a move up again: the criteria count
        with self.assertRaisesRegex(UserError, "Met with customer: Lead produced"):
            lead.with_user(self.salesperson).stage_id = self.stages[1]

    def test_warn_gate_lets_the_move_pass_with_a_chatter_note(self):
        self.company.ladder_gate_mode = "warn"
        lead = self._new_lead()
        lead.with_user(self.salesperson).stage_id = self.stages[1]
        self.assertEqual(lead.stage_id, self.stages[1])
        self.assertIn("Lead followed up", self._messages(lead))

    def test_off_gate_is_silent(self):
        self.company.ladder_gate_mode = "off"
        lead = self._new_lead()
        lead.with_user(self.salesperson).stage_id = self.stages[1]
        self.assertEqual(lead.stage_id, self.stages[1])
        self.assertNotIn("Lead followed up", self._messages(lead))

    def test_manager_overrides_probability_with_reason_in_chatter(self):
        lead = self._new_lead(stage=self.stages[1])
        with self.assertRaises(AccessError):
            self.env["scp.probability.override.wizard"].with_user(self.salesperson).create(
                {"lead_id": lead.id, "probability": 40, "reason": "x"}
            )
        action = lead.with_user(self.manager).action_ladder_open_probability_override()
        wizard_form = Form(
            self.env[action["res_model"]].with_user(self.manager).with_context(**action["context"])
        )
        self.assertEqual(wizard_form.probability, 25)
        wizard_form.probability = 40
        wizard_form.reason = "Incumbent vendor has gone bankrupt"
        wizard_form.save().action_apply()
        self.assertEqual(lead.probability, 40)
        self.assertTrue(lead.probability_override)
        self.assertIn("Incumbent vendor has gone bankrupt", self._messages(lead))
        # a stage change brings the ladder back
        self._tick(lead, self.stages[2], self.salesperson)
        lead.with_user(self.salesperson).stage_id = self.stages[2]
        self.assertEqual(lead.probability, 50)
        self.assertFalse(lead.probability_override)

    def test_probability_is_read_only_for_ladder_teams_on_the_form(self):
        lead = self._new_lead()
        form = Form(lead.with_user(self.salesperson))
        with self.assertRaises(AssertionError):
            form.probability = 33


@tagged("post_install", "-at_install")
class TestLadderPredictive(LadderCase):
    def test_team_on_predictive_scoring_behaves_as_stock_odoo(self):
        self.company.ladder_gate_mode = "off"
        self.assertEqual(self.env["crm.team"].new({"name": "x"}).probability_source, "predictive")
        lead = self._new_lead(team=self.team_pls)
        expected = lead._pls_get_naive_bayes_probabilities()
        self.assertAlmostEqual(lead.automated_probability, expected.get(lead.id, lead.automated_probability))
        self.assertEqual(lead.probability, lead.automated_probability)
        lead.stage_id = self.stages[2]
        expected = lead._pls_get_naive_bayes_probabilities()
        self.assertAlmostEqual(lead.automated_probability, expected[lead.id], 2)
        self.assertAlmostEqual(lead.probability, expected[lead.id], 2)
        # a salesperson types a probability: it sticks, as in stock Odoo
        with Form(lead.with_user(self.salesperson)) as form:
            form.probability = 33
        self.assertEqual(lead.probability, 33)
        self.assertFalse(lead.is_automated_probability)
        lead.stage_id = self.stages[3]
        self.assertEqual(lead.probability, 33)
        # stage probability changes do not touch it
        self.stages[3].with_user(self.manager).probability = 65
        self.assertEqual(lead.probability, 33)
        lead.action_set_automated_probability()
        self.assertEqual(lead.probability, lead.automated_probability)

    def test_the_ladders_own_rungs_show_on_ladder_teams_pipelines_only(self):
        """Odoo's four stages show on every pipeline; the four rungs the playbook adds only on a ladder
        team's (in the kanban columns and on the form's status bar), unless a deal sits in one."""
        added = {self.env.ref(xid) for xid, *_rest in LADDER if xid.startswith("sales_cycle_process.")}
        self.assertEqual({stage for stage in self.stages if stage.ladder_only}, added)
        Lead = self.env["crm.lead"].with_user(self.salesperson)
        domain = [("id", "=", 0), ("type", "=", "opportunity")]  # empty columns only

        def columns(team):
            groups = Lead.with_context(default_team_id=team.id).web_read_group(
                domain, ["stage_id"], ["stage_id"]
            )
            return {group["stage_id"][0] for group in groups["groups"]} & {stage.id for stage in self.stages}

        self.assertEqual(columns(self.team), {stage.id for stage in self.stages})
        self.assertEqual(columns(self.team_pls), {stage.id for stage in self.stages} - {s.id for s in added})
        # a scoring team's deal in a ladder rung keeps its column
        self.company.ladder_gate_mode = "off"
        lead = self._new_lead(team=self.team_pls)
        lead.stage_id = self.stages[5]
        groups = Lead.with_context(default_team_id=self.team_pls.id).web_read_group(
            [("id", "=", lead.id)], ["stage_id"], ["stage_id"]
        )
        self.assertIn(self.stages[5].id, {group["stage_id"][0] for group in groups["groups"]})
        self.assertNotIn(self.stages[6].id, {group["stage_id"][0] for group in groups["groups"]})
        # moving up on a scoring team checks the stages its pipeline shows: not the hidden 50 % rung's
        self.company.ladder_gate_mode = "block"
        lead.stage_id = self.stages[1]
        missing = lead._ladder_missing_for_move(self.stages[3])[lead]
        self.assertTrue(any(name.startswith(self.stages[3].name) for name in missing))
        self.assertFalse(any(name.startswith(self.stages[2].name) for name in missing), missing)
        ladder_lead = self._new_lead(stage=self.stages[0])
        ladder_lead.sudo().stage_id = self.stages[1]
        ladder_missing = ladder_lead._ladder_missing_for_move(self.stages[3])[ladder_lead]
        self.assertTrue(any(name.startswith(self.stages[2].name) for name in ladder_missing))
        # the status bar's stages: the same rule, evaluated by the web client on the deal's team
        arch = Lead.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn("('ladder_only', '=', probability_source == 'ladder')", arch)

    def test_nightly_predictive_scoring_leaves_ladder_leads_on_their_stage(self):
        self.env["ir.config_parameter"].sudo().set_param("crm.pls_start_date", "2000-01-01")
        lead = self._new_lead(stage=self.stages[2])
        scored = self._new_lead(team=self.team_pls, stage=self.stages[2])
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE crm_lead SET probability = 13, automated_probability = 13 WHERE id IN %s",
            [(lead.id, scored.id)],
        )
        self.env.invalidate_all()
        self.env["crm.lead"]._update_automated_probabilities()
        self.env.invalidate_all()
        self.assertEqual((lead.probability, lead.automated_probability), (50, 50))
        expected = scored._pls_get_naive_bayes_probabilities(batch_mode=True)[scored.id]
        self.assertAlmostEqual(scored.automated_probability, expected, 2)
        self.assertAlmostEqual(scored.probability, expected, 2, "the scoring team keeps Odoo's value")

    def test_switching_a_team_to_the_ladder_aligns_its_open_leads(self):
        self.company.ladder_gate_mode = "off"
        lead = self._new_lead(team=self.team_pls, stage=self.stages[2])
        self.team_pls.with_user(self.manager).probability_source = "ladder"
        self.assertEqual(lead.probability, 50)


@tagged("post_install", "-at_install")
class TestLadderBatch(LadderCase):
    def _bench(self, count):
        stage = self.env["crm.stage"].create({"name": f"Bench {count}", "probability": 30, "sequence": 999})
        leads = self.env["crm.lead"].create(
            [
                {"name": f"Deal {i}", "type": "opportunity", "team_id": self.team.id, "stage_id": stage.id}
                for i in range(count)
            ]
        )
        return stage, leads

    @staticmethod
    def _counting_write(lead_class, writes):
        original_write = lead_class.write

        def counting_write(records, vals):
            writes.append(len(records))
            return original_write(records, vals)

        return counting_write

    def test_stage_probability_change_updates_open_leads_in_one_batched_write(self):
        counts = {}
        for size in (4, 3, 30):  # the first run warms the caches up
            stage, leads = self._bench(size)
            other = self._new_lead(team=self.team_pls, stage=stage)
            other_probability = other.probability
            overridden = leads[0]
            overridden.write({"probability": 12, "probability_override": True})
            lost = leads[1]
            lost.action_set_lost()
            self.env.flush_all()
            self.env.invalidate_all()
            lead_class = type(self.env["crm.lead"])
            writes = []
            before = self.env.cr.sql_log_count
            with patch.object(lead_class, "write", self._counting_write(lead_class, writes)):
                stage.with_user(self.manager).probability = 35
                self.env.flush_all()
            counts[size] = self.env.cr.sql_log_count - before
            self.assertEqual(writes, [size - 2], "one write for all the open deals of the stage")
            self.assertEqual(set((leads - overridden - lost).mapped("probability")), {35})
            self.assertEqual(overridden.probability, 12)
            self.assertEqual(lost.probability, 0)
            self.assertEqual(other.probability, other_probability)
            self.assertEqual(stage.forecast_category, "pipeline")
        self.assertEqual(counts[3], counts[30], f"queries per size: {counts}")
        self.assertLessEqual(counts[30], 8, f"queries per size: {counts}")
        _logger.info("ladder batched stage probability write, queries per size: %s", counts)


@tagged("post_install", "-at_install")
class TestLadderReferral(LadderCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.engineering_review_user_id = cls.engineer
        cls.currency = cls.env["res.currency"].create(
            {"name": "ZLX", "symbol": "Ƶ", "rounding": 0.01, "active": True}
        )
        # 2 ZLX for 1 unit of the company currency: the threshold 250,000 is 500,000 ZLX
        cls.env["res.currency.rate"].create(
            {"name": "2020-01-01", "rate": 2.0, "currency_id": cls.currency.id, "company_id": cls.company.id}
        )

    def test_referral_fires_at_threshold_in_another_currency_once_and_lifts_when_done(self):
        lead = self._new_lead(revenue_currency_id=self.currency.id, expected_revenue=499999.0)
        self.assertFalse(self._reviews(lead))
        self.assertEqual(lead.engineering_review_status, "none")
        with Form(lead.with_user(self.salesperson)) as form:
            form.expected_revenue = 500000.0
        self.assertAlmostEqual(lead.expected_revenue_company, 250000.0, 2)
        review = self._reviews(lead)
        self.assertEqual(len(review), 1)
        self.assertEqual(review.user_id, self.engineer)
        self.assertEqual(lead.engineering_review_status, "pending")
        lead.write({"expected_revenue": 900000.0, "non_standard_requirements": "Stainless frame"})
        self.assertEqual(len(self._reviews(lead)), 1, "referred exactly once")

        # walk to 50 %: the review is not needed yet
        for stage in self.stages[1:3]:
            self._tick(lead, stage)
            lead.with_user(self.salesperson).stage_id = stage
        self._tick(lead, self.stages[3])
        with self.assertRaises(UserError) as err:
            lead.with_user(self.salesperson).stage_id = self.stages[3]
        self.assertIn("Engineering review", str(err.exception))

        with self.assertRaises(UserError):
            review.with_user(self.engineer).action_feedback(feedback="")
        review.with_user(self.engineer).action_feedback(feedback="Feasible with the 30 kN frame option")
        self.assertEqual(lead.engineering_review_status, "done")
        self.assertIn("30 kN frame", lead.engineering_review_advice)
        lead.with_user(self.salesperson).stage_id = self.stages[3]
        self.assertEqual(lead.probability, 60)
        lead.expected_revenue = 2000000.0
        self.assertFalse(self._reviews(lead), "a done review is not requested again")

    def test_non_standard_requirements_alone_refer_the_deal(self):
        lead = self._new_lead(expected_revenue=1000.0)
        self.assertFalse(self._reviews(lead))
        with Form(lead.with_user(self.salesperson)) as form:
            form.non_standard_requirements = "Needs a clean-room variant"
        self.assertEqual(len(self._reviews(lead)), 1)


@tagged("post_install", "-at_install")
class TestLadderRightsAndInput(LadderCase):
    def test_salesperson_cannot_edit_stages_criteria_or_settings_manager_can(self):
        stage = self.stages[1]
        with self.assertRaises(AccessError):
            stage.with_user(self.salesperson).probability = 30
        with self.assertRaises(AccessError):
            self.env["scp.stage.criterion"].with_user(self.salesperson).create(
                {"stage_id": stage.id, "name": "Sneaky"}
            )
        with self.assertRaises(AccessError):
            stage.entry_criterion_ids[0].with_user(self.salesperson).required = False
        with self.assertRaises(AccessError):
            self.env["res.config.settings"].with_user(self.salesperson).create({"ladder_gate_mode": "off"})
        with self.assertRaises(AccessError):
            self.team.with_user(self.salesperson).probability_source = "predictive"

        with Form(stage.with_user(self.manager)) as form:
            form.probability = 30
            with form.entry_criterion_ids.new() as line:
                line.name = "Site survey booked"
        self.assertEqual(stage.probability, 30)
        self.assertIn("Site survey booked", stage.entry_criterion_ids.mapped("name"))
        self.team.with_user(self.manager).probability_source = "predictive"

        # Sales managers change the ladder's settings from CRM > Configuration > Playbook.
        with self.assertRaises(AccessError):
            self.env["scp.ladder.settings.wizard"].with_user(self.salesperson).create(
                {"ladder_gate_mode": "off"}
            )
        wizard = Form(self.env["scp.ladder.settings.wizard"].with_user(self.manager))
        wizard.ladder_gate_mode = "block"
        wizard.engineering_review_threshold = 300000
        wizard.save().action_save()
        self.assertEqual(self.company.ladder_gate_mode, "block")
        self.assertEqual(self.company.engineering_review_threshold, 300000)
        wizard = Form(self.env["scp.ladder.settings.wizard"].with_user(self.manager))
        self.assertEqual(wizard.ladder_gate_mode, "block")
        wizard.engineering_review_threshold = -1
        with self.assertRaises(ValidationError):
            wizard.save().action_save()

        admin = new_test_user(
            self.env, "ladder_admin", groups="base.group_system,sales_team.group_sale_manager"
        )
        settings = Form(self.env["res.config.settings"].with_user(admin))
        settings.ladder_gate_mode = "off"
        settings.engineering_review_threshold = 100000
        settings.save().execute()
        self.assertEqual(self.company.ladder_gate_mode, "off")
        self.assertEqual(self.company.engineering_review_threshold, 100000)

    def test_salesperson_ticks_checks_on_own_deal(self):
        lead = self._new_lead(stage=self.stages[1])  # the salesperson's deal
        self.assertEqual((lead.checklist_progress, lead.checklist_summary), (0, "0/7"))
        checks = self._tick(lead, self.stages[1], self.salesperson)
        self.assertEqual((lead.checklist_progress, lead.checklist_summary), (100, "7/7"))
        self.assertEqual(checks.done_user_id, self.salesperson)

    def test_bad_input_is_refused_with_a_clear_sentence(self):
        with self.assertRaisesRegex(ValidationError, "between 0 % and 100 %"):
            self.env["crm.stage"].create({"name": "Too sure", "probability": 120})
        with self.assertRaisesRegex(ValidationError, "between 0 % and 100 %"):
            self.stages[1].probability = -5
        with self.assertRaisesRegex(ValidationError, "cannot be below zero"):
            self.company.engineering_review_threshold = -1
        with self.assertRaisesRegex(ValidationError, "needs a stage"):
            self.env["scp.stage.criterion"].create({"name": "Floating"})

    def test_concurrent_checklist_edits_lose_nothing(self):
        colleague = new_test_user(self.env, "ladder_sp2", groups="sales_team.group_sale_salesman_all_leads")
        lead = self._new_lead()
        first, second = lead.criterion_check_ids[:2]
        # both open the deal, then each ticks a different line
        mine = lead.with_user(self.salesperson).criterion_check_ids
        theirs = lead.with_user(colleague).criterion_check_ids
        mine.filtered(lambda c: c == first).write({"is_done": True, "note": "Called"})
        theirs.filtered(lambda c: c == second).write({"is_done": True})
        self.env.invalidate_all()
        self.assertTrue(first.is_done and second.is_done)
        self.assertEqual(first.note, "Called")
        self.assertEqual((first.done_user_id, second.done_user_id), (self.salesperson, colleague))


@tagged("post_install", "-at_install")
class TestLadderQualification(LadderCase):
    def test_qualification_completeness_shows_on_the_lead(self):
        buyer = self.env["res.partner"].create({"name": "Bea Buyer"})
        lead = self._new_lead()
        self.assertEqual(lead.qualification_completeness, 0)
        with Form(lead.with_user(self.salesperson)) as form:
            form.qualification_concern = "Scrap rate on the old presses"
            form.qualification_buying_process = "Plant manager proposes, board signs"
            form.qualification_application = "Deep drawing of steel sinks"
            form.budget_amount = 180000
            form.budget_confirmed = True
            form.decision_date = "2027-03-01"
            form.product_requirements = "400 t press, automation cell"
            with form.buying_influence_ids.new() as line:
                line.partner_id = buyer
                line.role = "economic"
        self.assertEqual(lead.qualification_completeness, 100)
        self.assertIn("Coach", lead.buying_role_missing)
        with Form(lead.with_user(self.salesperson)) as form:
            form.qualification_channel = "distributor"
            form.distributor_partner_id = buyer
        self.assertEqual(lead.qualification_completeness, 100)

    def test_lead_sources_are_playbook_channels(self):
        source = self.env.ref("sales_cycle_process.utm_source_ladder_trade_shows")
        medium = self.env.ref("sales_cycle_process.utm_medium_ladder_distributor")
        self._new_lead(source_id=source.id, medium_id=medium.id, expected_revenue=1000)
        groups = self.env["crm.lead"]._read_group(
            [("source_id", "=", source.id)], ["source_id", "stage_phase", "forecast_category"], ["__count"]
        )
        self.assertEqual(groups[0][:3], (source, "intake", "omitted"))
        self.assertEqual(
            len(self.env["utm.source"].search([("name", "in", ["Bingo cards", "Prior contact"])])), 2
        )


@tagged("post_install", "-at_install")
class TestLadderViews(LadderCase):
    def test_views_show_the_ladder_to_the_user(self):
        Lead = self.env["crm.lead"].with_user(self.salesperson)
        kanban = Lead.get_views([(False, "kanban")])["views"]["kanban"]["arch"]
        for fname in ("probability", "checklist_summary", "qualification_completeness"):
            self.assertIn(f'name="{fname}"', kanban)
        forecast_view = self.env.ref("crm.crm_lead_view_kanban_forecast")
        forecast = Lead.get_views([(forecast_view.id, "kanban")])["views"]["kanban"]["arch"]
        self.assertIn('name="prorated_revenue"', forecast)
        self.assertIn('name="checklist_summary"', forecast)
        form = Lead.get_views([(False, "form")])["views"]["form"]["arch"]
        for fname in ("criterion_check_ids", "buying_influence_ids", "engineering_review_status"):
            self.assertIn(f'name="{fname}"', form)
        self.assertNotIn("action_ladder_open_stage_force", form, "managers only")
        manager_form = self.env["crm.lead"].with_user(self.manager).get_views([(False, "form")])
        self.assertIn("action_ladder_open_stage_force", manager_form["views"]["form"]["arch"])
        stage_form = self.env["crm.stage"].get_views([(False, "form")])["views"]["form"]["arch"]
        for fname in ("probability", "phase", "forecast_category", "entry_criterion_ids"):
            self.assertIn(f'name="{fname}"', stage_form)
        settings = self.env["res.config.settings"].get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="ladder_gate_mode"', settings)
        self.assertIn('name="engineering_review_threshold"', settings)
        action = self.env.ref("sales_cycle_process.crm_lead_action_ladder_pipeline")
        groups = self.env["crm.lead"]._read_group(
            action and [("type", "=", "opportunity")],
            ["stage_phase", "forecast_category"],
            ["expected_revenue:sum"],
        )
        self.assertTrue(groups)

    def test_demo_ladder_team_has_qualified_deals(self):
        team = self.env.ref("sales_cycle_process.demo_ladder_team", raise_if_not_found=False)
        if not team:
            self.skipTest("demo data not installed")
        lead = self.env.ref("sales_cycle_process.demo_ladder_lead_clean_room")
        self.assertEqual(lead.probability, 50)
        self.assertEqual(lead.engineering_review_status, "pending")
        self.assertGreater(
            self.env.ref("sales_cycle_process.demo_ladder_lead_press_line").qualification_completeness, 50
        )

    def test_demo_opportunities_of_ladder_teams_show_their_stages_probability(self):
        """On the demo database, every opportunity of a team on the ladder shows its stage's probability
        (0 once lost, 100 won), unless a sales manager's override is recorded."""
        if not self.env.ref("sales_cycle_process.demo_ladder_team", raise_if_not_found=False):
            self.skipTest("demo data not installed")
        deals = (
            self.env["crm.lead"]
            .with_context(active_test=False)
            .search([("type", "=", "opportunity"), ("team_id.probability_source", "=", "ladder")])
        )
        self.assertGreaterEqual(len(deals), 9)
        wrong = [
            f"{deal.name}: {deal.probability} % at {deal.stage_id.name} ({deal.stage_id.probability} %)"
            for deal in deals
            if not deal.probability_override
            and deal.probability != self.env["crm.lead"]._ladder_probability_of(deal.stage_id, deal.active)
        ]
        self.assertFalse(wrong)
        figures = {
            "demo_playbook_lead_intake": 0,
            "demo_ladder_lead_press_line": 25,
            "demo_ladder_lead_clean_room": 50,
            "demo_playbook_lead_60": 60,
            "demo_playbook_lead_70": 70,
            "demo_ladder_lead_spare_press": 80,
            "demo_playbook_lead_90": 90,
            "demo_playbook_lead_won": 100,
        }
        for xmlid, probability in figures.items():
            self.assertEqual(self.env.ref(f"sales_cycle_process.{xmlid}").probability, probability, xmlid)

    def test_demo_deals_sit_where_their_ticked_criteria_put_them(self):
        """Every demo deal of the ladder team has met the entry criteria of its stage and of every stage
        below it; what it ticked above its stage is progress towards the next rung."""
        team = self.env.ref("sales_cycle_process.demo_ladder_team", raise_if_not_found=False)
        if not team:
            self.skipTest("demo data not installed")
        deals = self.env["crm.lead"].search([("team_id", "=", team.id), ("type", "=", "opportunity")])
        for deal in deals:
            with self.subTest(deal=deal.name):
                below = deal.criterion_check_ids.filtered("stage_reached")
                self.assertTrue(all(below.mapped("is_done")), deal.stage_id.name)
                self.assertEqual(deal.checklist_progress, 100 if below else 0)
                # the next rung up is refused or passed by its own criteria only
                above = self.env["crm.stage"].search(
                    [("sequence", ">", deal.stage_id.sequence), ("team_id", "=", False)], limit=1
                )
                if above and not above.is_won:
                    missing = deal._ladder_missing_for_move(above).get(deal, [])
                    self.assertTrue(
                        all(name.startswith(f"{above.name}: ") or "Engineering" in name for name in missing),
                        missing,
                    )
        press_line = self.env.ref("sales_cycle_process.demo_ladder_lead_press_line")
        self.assertEqual(press_line.checklist_summary, "7/7")
        self.assertEqual(
            press_line._ladder_missing_for_move(self.stages[2]),
            {press_line: ["Purchase intent: Demo or test completed"]},
        )
        coil = self.env.ref("sales_cycle_process.demo_playbook_lead_60")
        self.assertEqual(coil.checklist_summary, "10/10")
        self.assertFalse(coil._ladder_missing_for_move(self.stages[4]), "ready to move up to 70 %")


@tagged("post_install", "-at_install")
class TestLadderReviewRightsAndSync(LadderCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.engineering_review_user_id = cls.engineer

    def _reviewed_lead(self):
        lead = self._new_lead(non_standard_requirements="Needs a clean-room variant")
        review = self.env["mail.activity"].search(
            [
                ("res_model", "=", "crm.lead"),
                ("res_id", "=", lead.id),
                (
                    "activity_type_id",
                    "=",
                    self.env.ref("sales_cycle_process.mail_activity_type_engineering_review").id,
                ),
            ]
        )
        self.assertEqual(review.user_id, self.engineer)
        return lead, review

    def test_only_the_engineer_or_a_manager_lifts_the_engineering_review_gate(self):
        lead, review = self._reviewed_lead()
        with self.assertRaises(AccessError):
            review.with_user(self.salesperson).action_feedback(feedback="Looks fine to me")
        self.assertEqual(lead.engineering_review_status, "pending", "the salesperson cannot lift the gate")
        review.with_user(self.manager).action_feedback(feedback="Clean-room variant is standard now")
        self.assertEqual(lead.engineering_review_status, "done")
        self.assertEqual(lead.engineering_review_user_id, self.manager)

    def test_the_assigned_engineer_completes_the_review(self):
        lead, review = self._reviewed_lead()
        review.with_user(self.engineer).action_feedback(feedback="Feasible")
        self.assertEqual(lead.engineering_review_status, "done")

    def test_probability_sync_writes_only_the_deals_that_changed(self):
        stage = self.stages[1]
        leads = self._new_lead(stage=stage) | self._new_lead(stage=stage) | self._new_lead(stage=stage)
        self.assertEqual(leads.mapped("probability"), [25.0] * 3)
        self.env.flush_all()
        self.env.cr.execute("UPDATE crm_lead SET probability = 33 WHERE id = %s", [leads[2].id])
        self.env.invalidate_all()
        written = []
        original = type(leads).write

        def recording_write(records, vals):
            if "probability" in vals:
                written.extend(records.ids)
            return original(records, vals)

        with patch.object(type(leads), "write", recording_write):
            leads._ladder_sync_probabilities(reset_override=False)
        self.assertEqual(written, [leads[2].id], "the deals already on their stage's value are not rewritten")
        self.assertEqual(leads[2].probability, 25.0)
