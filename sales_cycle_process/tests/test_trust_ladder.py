"""Trust (issue #13), stage ladder part: nobody passes the stage gate, records an engineering review,
overrides a probability or forges a checklist line other than through the action made for it, by
the role allowed to, whatever values and context a client sends; deleting entry criteria keeps the
checklists' history; the ladder's settings are bounded."""

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.models import check_method_name
from odoo.tests import Form, HttpCase, new_test_user, tagged

from .ladder_common import LadderCase
from .rpc_common import JsonRpcAttackMixin

# context keys a client could send to try to skip the gate
CLIENT_CONTEXTS = [
    {"ladder_gate_skip": True},
    {"ladder_gate_force_reason": "Trust me"},
    {"install_mode": True},
    {"ladder_gate_skip": True, "ladder_gate_force_reason": "Trust me", "install_mode": True},
]


class TrustLadderCase(LadderCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.colleague = new_test_user(
            cls.env, "ladder_sp_bob", groups="sales_team.group_sale_salesman", name="Bob Seller"
        )
        cls.sales_admin = new_test_user(
            cls.env, "ladder_sadmin", groups="sales_cycle_process.group_sales_admin", name="Sam Admin"
        )

    def _walk_to(self, lead, stage_index):
        """Tick every stage's criteria and climb as the salesperson up to ``self.stages[stage_index]``."""
        for stage in self.stages[1 : stage_index + 1]:
            self._tick(lead, stage, self.salesperson)
            lead.with_user(self.salesperson).stage_id = stage


@tagged("post_install", "-at_install")
class TestTrustLadderGate(TrustLadderCase):
    def test_no_client_context_key_skips_the_gate(self):
        lead = self._new_lead()
        for user in (self.salesperson, self.engineer, self.sales_admin, self.manager):
            for context in CLIENT_CONTEXTS:
                with self.subTest(user=user.name, context=context):
                    with self.assertRaisesRegex(UserError, "Lead followed up"):
                        lead.with_user(user).with_context(**context).write({"stage_id": self.stages[1].id})
        self.assertEqual(lead.stage_id, self.stages[0], "nobody moved the deal up without its entry criteria")
        self.assertNotIn("Trust me", self._messages(lead))

    def test_forcing_a_stage_is_the_managers_wizard_checked_on_the_server(self):
        lead = self._new_lead()
        Wizard = self.env["scp.stage.force.wizard"]
        for user in (self.salesperson, self.engineer, self.sales_admin):
            with self.assertRaises(AccessError):
                Wizard.with_user(user).create(
                    {"lead_id": lead.id, "stage_id": self.stages[1].id, "reason": "x"}
                )
        # the private method behind the wizard cannot be called over RPC
        with self.assertRaises(AccessError):
            check_method_name("_ladder_force_stage")
        wizard = Wizard.with_user(self.manager).create(
            {"lead_id": lead.id, "stage_id": self.stages[1].id, "reason": "   "}
        )
        with self.assertRaisesRegex(UserError, "reason"):
            wizard.action_apply()
        # a wizard created by a manager cannot be applied by somebody else
        wizard.reason = "Signed letter of intent"
        with self.assertRaises(AccessError):
            wizard.with_user(self.salesperson).action_apply()
        self.assertEqual(lead.stage_id, self.stages[0])
        wizard.action_apply()
        self.assertEqual(lead.stage_id, self.stages[1])
        self.assertEqual(lead.probability, 25)
        chatter = self._messages(lead)
        self.assertIn("Signed letter of intent", chatter)
        self.assertIn("Lead followed up", chatter)
        forced = lead.message_ids.filtered(lambda m: "Signed letter of intent" in (m.body or ""))
        self.assertEqual(forced.author_id, self.manager.partner_id, "the manager is the author of the move")

    def test_clearing_the_stage_does_not_skip_the_gate(self):
        lead = self._new_lead()
        lead.with_user(self.salesperson).write({"stage_id": False})
        with self.assertRaisesRegex(UserError, "Met with customer: Lead produced"):
            lead.with_user(self.salesperson).write({"stage_id": self.stages[3].id})

    def test_creating_a_deal_in_a_later_stage_passes_the_same_gate(self):
        Lead = self.env["crm.lead"].with_user(self.salesperson)
        values = {
            "name": "Straight to the proposal",
            "type": "opportunity",
            "team_id": self.team.id,
            "user_id": self.salesperson.id,
        }
        with self.assertRaises(UserError) as err:
            Lead.create(dict(values, stage_id=self.stages[3].id))
        message = str(err.exception)
        for name in (
            "cannot be created in Final proposal: these entry criteria are not met:",
            "Met with customer: Lead produced",
            "Met with customer: Marketing funds confirmed",
            "Purchase intent: Demo or test completed",
            "Final proposal: Final solution completed",
        ):
            self.assertIn(name, message)
        self.assertNotIn("Proposal accepted:", message, "the stages above it are not asked")
        # the kanban's quick create in a column sends the stage in the context
        for context in [{"default_stage_id": self.stages[3].id}, *CLIENT_CONTEXTS]:
            with self.subTest(context=context), self.assertRaises(UserError):
                Lead.with_context(**context).create(dict(values, stage_id=self.stages[3].id))
        # managers too: forcing is the wizard's job
        with self.assertRaises(UserError):
            self.env["crm.lead"].with_user(self.manager).create(dict(values, stage_id=self.stages[3].id))
        self.assertFalse(self.env["crm.lead"].search([("name", "=", "Straight to the proposal")]))

        # created in the first stage: nothing is passed
        first = Lead.create(dict(values, stage_id=self.stages[0].id))
        self.assertEqual(first.stage_id, self.stages[0])

        # warn: created, with the missing criteria in the chatter
        self.company.ladder_gate_mode = "warn"
        warned = Lead.create(dict(values, stage_id=self.stages[3].id))
        self.assertEqual(warned.stage_id, self.stages[3])
        self.assertEqual(warned.probability, 60)
        self.assertIn("Created in", self._messages(warned))
        self.assertIn("Marketing funds confirmed", self._messages(warned))

        # data loading and the addon's own code run as superuser and pass
        self.company.ladder_gate_mode = "block"
        loaded = self.env["crm.lead"].sudo().create(dict(values, stage_id=self.stages[3].id))
        self.assertEqual(loaded.stage_id, self.stages[3])

    def test_odoo_won_button_is_a_forward_move_through_the_gate(self):
        # from 80 %, winning jumps 90 %: its entry criterion counts
        lead = self._new_lead(stage=self.stages[5])
        with self.assertRaisesRegex(UserError, "Negotiated: Commercial negotiation completed"):
            lead.with_user(self.salesperson).action_set_won()
        self.assertEqual(lead.stage_id, self.stages[5])
        self._tick(lead, self.stages[6], self.salesperson)
        lead.with_user(self.salesperson).action_set_won()
        self.assertEqual(lead.stage_id, self.stages[7])
        self.assertEqual(lead.probability, 100)

    def test_odoo_lost_restore_and_merge_still_work_for_the_salesperson(self):
        lead = self._new_lead(stage=self.stages[2])
        lead.with_user(self.salesperson).action_set_lost()
        self.assertFalse(lead.active)
        self.assertEqual(lead.probability, 0)
        lead.with_user(self.salesperson).toggle_active()
        self.assertTrue(lead.active)
        self.assertEqual(lead.probability, 50)
        # merging: the deal furthest up the ladder is kept, with its stage (no forward move)
        other = self._new_lead(stage=self.stages[1])
        merged = (lead | other).with_user(self.salesperson).merge_opportunity()
        self.assertEqual(merged, lead)
        self.assertEqual(merged.stage_id, self.stages[2])


@tagged("post_install", "-at_install")
class TestTrustLadderFields(TrustLadderCase):
    def test_engineering_review_fields_are_set_only_by_the_review(self):
        lead = self._new_lead(non_standard_requirements="Clean-room variant")
        self.assertEqual(lead.engineering_review_status, "pending")
        attacks = [
            {"engineering_review_done": True},
            {"engineering_review_requested": False},
            {"engineering_review_user_id": self.engineer.id},
            {"engineering_review_advice": "Fine"},
            {"engineering_review_status": "done"},
        ]
        for user in (self.salesperson, self.engineer, self.sales_admin, self.manager):
            for vals in attacks:
                with self.subTest(user=user.name, vals=vals):
                    with self.assertRaisesRegex(UserError, "Engineering review"):
                        lead.with_user(user).with_context(ladder_gate_skip=True).write(vals)
                    if any(vals.values()):
                        with self.assertRaisesRegex(UserError, "Engineering review"):
                            self._new_lead(user=user, **vals)
        self.assertEqual(lead.engineering_review_status, "pending")
        self.assertFalse(lead.engineering_review_user_id)
        # re-sending the current values (a client saving the whole record) changes nothing
        lead.with_user(self.salesperson).write({"engineering_review_done": False, "name": "Clean-room press"})
        self.assertEqual(lead.name, "Clean-room press")

    def test_probability_override_is_set_only_by_the_managers_wizard(self):
        lead = self._new_lead(stage=self.stages[1])
        for user in (self.salesperson, self.sales_admin, self.manager):
            for vals in ({"probability_override": True}, {"probability_override_reason": "Gut feeling"}):
                with self.subTest(user=user.name, vals=vals), self.assertRaisesRegex(UserError, "Override"):
                    lead.with_user(user).write(vals)
        with self.assertRaisesRegex(UserError, "Override"):
            self._new_lead(user=self.salesperson, probability_override=True, probability=90)
        with self.assertRaises(AccessError):
            self.env["scp.probability.override.wizard"].with_user(self.salesperson).create(
                {"lead_id": lead.id, "probability": 90, "reason": "x"}
            )
        wizard = (
            self.env["scp.probability.override.wizard"]
            .with_user(self.manager)
            .create({"lead_id": lead.id, "probability": 40, "reason": "Incumbent is bankrupt"})
        )
        wizard.action_apply()
        self.assertEqual((lead.probability, lead.probability_override), (40, True))
        self.assertEqual(lead.probability_override_reason, "Incumbent is bankrupt")
        # the salesperson cannot keep the override across a stage move
        self._tick(lead, self.stages[2], self.salesperson)
        with self.assertRaises(UserError):
            lead.with_user(self.salesperson).write(
                {"stage_id": self.stages[2].id, "probability_override": False, "probability": 40}
            )
        lead.with_user(self.salesperson).write({"stage_id": self.stages[2].id})
        self.assertEqual((lead.probability, lead.probability_override), (50, False))

    def test_probability_of_a_ladder_deal_is_its_stages(self):
        lead = self._new_lead(stage=self.stages[1])
        for user in (self.salesperson, self.engineer, self.sales_admin, self.manager):
            for vals in ({"probability": 90}, {"automated_probability": 90}, {"probability": "ninety"}):
                with self.subTest(user=user.name, vals=vals):
                    with self.assertRaisesRegex(UserError, "ladder|number"):
                        lead.with_user(user).with_context(ladder_gate_skip=True).write(vals)
        with self.assertRaisesRegex(UserError, "stage ladder team"):
            self._new_lead(user=self.salesperson, probability=90)
        with self.assertRaisesRegex(UserError, "stage ladder team"):
            self._new_lead(user=self.salesperson, automated_probability=90)
        self.assertEqual(lead.probability, 25)
        # what the ladder gives passes: the form's re-sent values, the stage's value on a move
        lead.with_user(self.salesperson).write({"probability": 25, "automated_probability": 25})
        self._tick(lead, self.stages[2], self.salesperson)
        lead.with_user(self.salesperson).write({"stage_id": self.stages[2].id, "automated_probability": 50})
        self.assertEqual(lead.probability, 50)
        created = self._new_lead(user=self.salesperson, probability=0, automated_probability=0)
        self.assertEqual(created.probability, 0)
        # a team on predictive scoring keeps stock Odoo: the salesperson types a probability
        scored = self._new_lead(user=self.salesperson, team=self.team_pls, probability=33)
        scored.with_user(self.salesperson).probability = 44
        self.assertEqual(scored.probability, 44)

    def test_checklist_line_stamps_are_the_servers(self):
        lead = self._new_lead()
        line = lead.criterion_check_ids[0]
        line.with_user(self.salesperson).write(
            {"is_done": True, "done_user_id": self.manager.id, "done_date": "2001-01-01 00:00:00"}
        )
        self.assertEqual(line.done_user_id, self.salesperson)
        self.assertGreater(line.done_date.year, 2001)
        stamped = line.done_date
        # the stamps alone are ignored; re-ticking a checked line keeps who checked it
        line.with_user(self.salesperson).write({"done_user_id": self.manager.id, "done_date": "2001-01-01"})
        self.env["scp.lead.criterion.check"].invalidate_model()
        self.assertEqual((line.done_user_id, line.done_date), (self.salesperson, stamped))
        line.with_user(self.sales_admin).write({"is_done": True, "note": "Seen the order"})
        self.assertEqual(line.done_user_id, self.salesperson)
        self.assertEqual(line.note, "Seen the order")
        # through the deal's form (one2many commands): the same
        other = lead.criterion_check_ids[1]
        lead.with_user(self.salesperson).write(
            {"criterion_check_ids": [(1, other.id, {"is_done": True, "done_user_id": self.manager.id})]}
        )
        self.assertEqual(other.done_user_id, self.salesperson)
        line.with_user(self.salesperson).is_done = False
        self.assertFalse(line.done_user_id or line.done_date)

    def test_lines_are_created_by_the_server_and_stay_with_their_deal(self):
        lead = self._new_lead()
        mine = self._new_lead()
        criterion = self.stages[2].entry_criterion_ids[0]
        for user in (self.salesperson, self.engineer, self.sales_admin):
            with self.subTest(user=user.name), self.assertRaises(AccessError):
                self.env["scp.lead.criterion.check"].with_user(user).create(
                    {"lead_id": lead.id, "criterion_id": criterion.id, "is_done": True}
                )
        # a manager's line is stamped by the server too (the server's own line for it goes first: one a deal)
        lead.criterion_check_ids.filtered(lambda c: c.criterion_id == criterion).unlink()
        created = (
            self.env["scp.lead.criterion.check"]
            .with_user(self.manager)
            .create(
                {
                    "lead_id": lead.id,
                    "criterion_id": criterion.id,
                    "is_done": True,
                    "done_user_id": self.salesperson.id,
                    "done_date": "2001-01-01",
                }
            )
        )
        self.assertEqual(created.done_user_id, self.manager)
        self.assertGreater(created.done_date.year, 2001)
        line = lead.criterion_check_ids.filtered(lambda c: c.stage_id == self.stages[1])[0]
        for vals in ({"lead_id": mine.id}, {"criterion_id": criterion.id}):
            for user in (self.salesperson, self.manager):
                with (
                    self.subTest(vals=vals, user=user.name),
                    self.assertRaisesRegex(UserError, "cannot be moved"),
                ):
                    line.with_user(user).write(vals)
        with self.assertRaisesRegex(UserError, "cannot be moved"):
            mine.with_user(self.salesperson).write({"criterion_check_ids": [(4, line.id)]})
        self.assertEqual(line.lead_id, lead)
        # a checked line is history: nobody deletes it (salespeople have no delete right at all)
        with self.assertRaises(AccessError):
            line.with_user(self.salesperson).unlink()
        line.with_user(self.salesperson).is_done = True
        with self.assertRaisesRegex(UserError, "history"):
            lead.with_user(self.manager).write({"criterion_check_ids": [(2, line.id)]})
        self.assertTrue(line.exists())

    def test_salesperson_cannot_tick_a_deal_they_cannot_edit(self):
        lead = self._new_lead(user=self.colleague)
        line = lead.criterion_check_ids[0]
        with self.assertRaises(AccessError):
            line.with_user(self.salesperson).write({"is_done": True})
        with self.assertRaises(AccessError):
            lead.with_user(self.salesperson).write({"criterion_check_ids": [(1, line.id, {"is_done": True})]})
        self.assertFalse(line.is_done)
        # an application engineer sees and edits every deal
        line.with_user(self.engineer).is_done = True
        self.assertEqual(line.done_user_id, self.engineer)


@tagged("post_install", "-at_install")
class TestTrustEngineeringReview(TrustLadderCase):
    def test_review_never_falls_back_to_the_salesperson(self):
        self.team.user_id = self.salesperson
        # the configured reviewer first
        self.company.engineering_review_user_id = self.engineer
        lead = self._new_lead(user=self.salesperson, non_standard_requirements="Clean-room variant")
        self.assertEqual(self._reviews(lead).user_id, self.engineer)
        # the configured reviewer is this deal's salesperson: an application engineer
        own = self._new_lead(user=self.engineer, expected_revenue=300000)
        self.assertTrue(self._reviews(own).user_id)
        self.assertNotEqual(self._reviews(own).user_id, self.engineer)
        self.assertTrue(
            self._reviews(own).user_id.has_group("sales_cycle_process.group_application_engineer")
        )
        # no reviewer configured, the salesperson leads the team, no application engineer: a sales manager
        self.company.engineering_review_user_id = False
        engineers = self.env["res.users"].search(
            [("groups_id", "in", self.env.ref("sales_cycle_process.group_application_engineer").id)]
        )
        engineers.active = False
        lead = self._new_lead(user=self.salesperson, expected_revenue=300000)
        reviewer = self._reviews(lead).user_id
        self.assertTrue(reviewer.has_group("sales_team.group_sale_manager"))
        self.assertNotEqual(reviewer, self.salesperson)
        # nobody else at all: no activity for the salesperson, the deal stays pending
        managers = self.env["res.users"].search(
            [
                ("groups_id", "in", self.env.ref("sales_team.group_sale_manager").id),
                ("id", "!=", self.env.uid),
            ]
        )
        managers.active = False
        lead = self._new_lead(user=self.salesperson, expected_revenue=300000)
        self.assertFalse(self._reviews(lead))
        self.assertEqual(lead.engineering_review_status, "pending")
        self.assertIn("engineering reviewer", self._messages(lead))

    def test_salesperson_cannot_complete_their_own_review_even_reassigned(self):
        self.company.engineering_review_user_id = self.engineer
        lead = self._new_lead(user=self.salesperson, non_standard_requirements="Clean-room variant")
        review = self._reviews(lead)
        self.assertEqual(review.user_id, self.engineer)
        with self.assertRaisesRegex(UserError, "own salesperson"):
            review.with_user(self.salesperson).write({"user_id": self.salesperson.id})
        with self.assertRaisesRegex(UserError, "own salesperson"):
            self.env["mail.activity"].with_user(self.salesperson).create(
                {
                    "res_model_id": self.env["ir.model"]._get_id("crm.lead"),
                    "res_id": lead.id,
                    "activity_type_id": self.review_type.id,
                    "user_id": self.salesperson.id,
                }
            )
        # even if it ends up assigned to them (an older database), they cannot complete it
        review.sudo().user_id = self.salesperson
        with self.assertRaisesRegex(AccessError, "salesperson"):
            review.with_user(self.salesperson).action_feedback(feedback="Looks fine to me")
        # a colleague who took it over, or the sales admin, cannot either
        review.sudo().user_id = self.colleague
        for user in (self.colleague, self.sales_admin):
            with self.subTest(user=user.name), self.assertRaises(AccessError):
                review.with_user(user).action_feedback(feedback="Looks fine to me")
        self.assertEqual(lead.engineering_review_status, "pending")
        review.with_user(self.engineer).action_feedback(feedback="Feasible with the class 7 enclosure")
        self.assertEqual(lead.engineering_review_status, "done")
        self.assertEqual(lead.engineering_review_user_id, self.engineer)

    def test_a_manager_does_not_review_their_own_deal(self):
        lead = self._new_lead(user=self.manager, non_standard_requirements="Clean-room variant")
        review = self._reviews(lead)
        self.assertNotEqual(review.user_id, self.manager)
        with self.assertRaises(AccessError):
            review.with_user(self.manager).action_feedback(feedback="My own deal is fine")
        review.with_user(self.engineer).action_feedback(feedback="Checked")
        self.assertEqual(lead.engineering_review_status, "done")


@tagged("post_install", "-at_install")
class TestTrustCriterionHistory(TrustLadderCase):
    def _stage_with_criterion(self, name="Site survey booked"):
        stage = self.env["crm.stage"].create({"name": "Survey", "probability": 15, "sequence": 15})
        criterion = self.env["scp.stage.criterion"].create({"stage_id": stage.id, "name": name})
        return stage, criterion

    def test_a_checked_criterion_is_archived_not_deleted_and_its_history_stays(self):
        stage, criterion = self._stage_with_criterion()
        # at Lead intake, the 25 % criteria met: moving up to 25 % jumps the new stage "Survey" (15 %)
        lead = self._new_lead()
        self._tick(lead, self.stages[1])
        line = lead.criterion_check_ids.filtered(lambda c: c.criterion_id == criterion)
        line.with_user(self.salesperson).is_done = True
        with self.assertRaisesRegex(UserError, "archive it instead"):
            criterion.with_user(self.manager).unlink()
        with self.assertRaisesRegex(UserError, "archive it instead"):
            stage.with_user(self.manager).write({"entry_criterion_ids": [(2, criterion.id)]})
        # archived: it no longer gates nor counts, the line keeps who checked it
        other = self.env["scp.stage.criterion"].create({"stage_id": stage.id, "name": "Drawing approved"})
        with self.assertRaisesRegex(UserError, "not met: Survey: Drawing approved."):
            lead.with_user(self.salesperson).stage_id = self.stages[1]
        other.with_user(self.manager).active = False
        lead.with_user(self.salesperson).stage_id = self.stages[1]
        self.assertEqual(
            lead.checklist_summary, "8/8", "7 at 25 %, 1 at Survey (the archived one no longer counts)"
        )
        history = lead.with_user(self.salesperson).criterion_check_ids.filtered(lambda c: c.stage_id == stage)
        self.assertEqual(history.mapped("criterion_id.name"), ["Site survey booked", "Drawing approved"])
        self.assertEqual(history[0].done_user_id, self.salesperson)
        # a criterion nobody checked goes, with its empty lines
        spare = self.env["scp.stage.criterion"].create({"stage_id": self.stages[1].id, "name": "Spare"})
        self.assertIn(spare, lead.criterion_check_ids.criterion_id)
        spare.with_user(self.manager).unlink()
        self.assertNotIn("Spare", lead.criterion_check_ids.mapped("criterion_id.name"))

    def test_a_checked_criterion_does_not_move_to_another_stage(self):
        stage, criterion = self._stage_with_criterion()
        lead = self._new_lead(stage=stage)
        lead.criterion_check_ids.filtered(lambda c: c.criterion_id == criterion).is_done = True
        with self.assertRaisesRegex(UserError, "Archive it"):
            criterion.with_user(self.manager).stage_id = self.stages[2]

    def test_deleting_a_stage_keeps_the_checklists_history(self):
        stage, criterion = self._stage_with_criterion()
        lead = self._new_lead(stage=stage)
        with self.assertRaisesRegex(UserError, "still holds 1 deals"):
            stage.with_user(self.manager).unlink()
        lead.criterion_check_ids.filtered(lambda c: c.criterion_id == criterion).is_done = True
        lead.stage_id = self.stages[1]
        with self.assertRaisesRegex(UserError, "Site survey booked"):
            stage.with_user(self.manager).unlink()
        self.assertTrue(criterion.exists())
        # a stage whose criteria nobody checked goes with them
        empty, empty_criterion = self._stage_with_criterion("Nobody ticks this")
        empty.with_user(self.manager).unlink()
        self.assertFalse(empty_criterion.exists())


@tagged("post_install", "-at_install")
class TestTrustLadderSettings(TrustLadderCase):
    def test_settings_are_bounded_with_clear_messages(self):
        Settings = self.env["scp.ladder.settings.wizard"].with_user(self.manager)
        with self.assertRaisesRegex(ValidationError, "cannot be below zero"):
            Settings.create({"ladder_gate_mode": "warn", "engineering_review_threshold": -5})
        portal = new_test_user(self.env, "ladder_portal", groups="base.group_portal")
        wizard = Settings.create({"ladder_gate_mode": "warn", "engineering_review_user_id": portal.id})
        with self.assertRaisesRegex(ValidationError, "internal user"):
            wizard.action_save()
        with self.assertRaisesRegex(ValidationError, "between 0 % and 100 %"):
            self.env["scp.probability.override.wizard"].with_user(self.manager).create(
                {"lead_id": self._new_lead().id, "probability": 120, "reason": "Sure thing"}
            )
        wizard = (
            self.env["scp.probability.override.wizard"]
            .with_user(self.manager)
            .create({"lead_id": self._new_lead().id, "probability": 20, "reason": " "})
        )
        with self.assertRaisesRegex(UserError, "reason"):
            wizard.action_apply()
        with self.assertRaisesRegex(ValidationError, "between 0 % and 100 %"):
            self.stages[1].with_user(self.manager).probability = 101
        with Form(self.env["scp.ladder.settings.wizard"].with_user(self.manager)) as form:
            form.engineering_review_threshold = 0
            form.engineering_review_user_id = self.engineer
        form.record.action_save()
        self.assertEqual(self.company.engineering_review_threshold, 0)
        self.assertEqual(self.company.engineering_review_user_id, self.engineer)


@tagged("post_install", "-at_install")
class TestTrustLadderRpc(JsonRpcAttackMixin, HttpCase):
    """The same attacks the way an RPC client sends them: /web/dataset/call_kw as the salesperson."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.ladder_gate_mode = "block"
        cls.salesperson = new_test_user(
            cls.env, "ladder_rpc_sp", password="ladder_rpc_pw", groups="sales_team.group_sale_salesman"
        )
        cls.team = cls.env["crm.team"].create({"name": "RPC Ladder Team", "probability_source": "ladder"})
        cls.intake = cls.env.ref("crm.stage_lead1")
        cls.proposal = cls.env.ref("crm.stage_lead3")
        cls.lead = cls.env["crm.lead"].create(
            {
                "name": "RPC press",
                "type": "opportunity",
                "team_id": cls.team.id,
                "user_id": cls.salesperson.id,
                "stage_id": cls.intake.id,
            }
        )

    def test_salesperson_attacks_over_json_rpc(self):
        self.authenticate("ladder_rpc_sp", "ladder_rpc_pw")
        skip = {"context": {"ladder_gate_skip": True, "ladder_gate_force_reason": "RPC"}}
        lead_ids = self.lead.ids
        attacks = [
            ("write", [lead_ids, {"stage_id": self.proposal.id}], skip, "UserError"),
            (
                "create",
                [{"name": "RPC jump", "team_id": self.team.id, "stage_id": self.proposal.id}],
                skip,
                "UserError",
            ),
            ("write", [lead_ids, {"engineering_review_done": True}], skip, "AccessError"),
            ("write", [lead_ids, {"probability": 95, "probability_override": True}], skip, "AccessError"),
            ("_ladder_force_stage", [lead_ids, self.proposal.id, "RPC"], {}, "AccessError"),
        ]
        for method, args, kwargs, error_class in attacks:
            with self.subTest(method=method, args=args):
                self._assert_refused(self._call_kw("crm.lead", method, args, kwargs), error_class)
        check = self.lead.criterion_check_ids[0]
        reply = self._call_kw(
            "scp.lead.criterion.check",
            "write",
            [check.ids, {"is_done": True, "done_user_id": self.env.ref("base.user_admin").id}],
        )
        self.assertIs(reply.get("result"), True)
        self.env.invalidate_all()
        self.assertEqual(self.lead.stage_id, self.intake)
        self.assertEqual(self.lead.probability, 0)
        self.assertFalse(self.lead.engineering_review_done or self.lead.probability_override)
        self.assertFalse(self.env["crm.lead"].search([("name", "=", "RPC jump")]))
        self.assertEqual(check.done_user_id, self.salesperson, "who checked it is the caller")
