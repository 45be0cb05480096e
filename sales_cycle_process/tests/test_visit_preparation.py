"""#18 item 5: the visit preparation checklist, ticked on the visit report, counted in the compliance."""

import io
from datetime import date

import openpyxl
from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import Form, TransactionCase, new_test_user, tagged

START = date(2026, 3, 2)


@tagged("post_install", "-at_install")
class TestVisitPreparation(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesperson = new_test_user(
            cls.env, "prep_sales", groups="sales_team.group_sale_salesman", tz="UTC"
        )
        cls.manager = new_test_user(cls.env, "prep_manager", groups="sales_team.group_sale_manager", tz="UTC")
        cls.team = cls.env["crm.team"].create(
            {"name": "Prep team", "user_id": cls.manager.id, "member_ids": [(6, 0, cls.salesperson.ids)]}
        )
        cls.large = cls.env["res.partner"].create(
            {"name": "Large Distributor", "distributor_tier": "large", "user_id": cls.salesperson.id}
        )
        cls.rule = cls.env.ref("sales_cycle_process.cadence_rule_visit_large")
        cls.Item = cls.env["scp.visit.prep.item"]
        cls.checklist = cls.Item._checklist(cls.env.company)

    def _visit_done(self, when):
        """The team manager's planned visit to the large distributor, marked done: its report."""
        with freeze_time(when):
            self.rule._schedule()
        activity = self.env["mail.activity"].search(
            [("cadence_state_id.rule_id", "=", self.rule.id), ("res_id", "=", self.large.id)]
        )
        self.assertEqual(len(activity), 1)
        state = activity.cadence_state_id
        with freeze_time(when):
            activity.with_user(self.manager).action_feedback(feedback="Reviewed the forecast.")
        return self.env["scp.visit.report"].search(
            [("partner_id", "=", self.large.id), ("cadence_state_id", "=", state.id)],
            order="id desc",
            limit=1,
        )

    def test_default_checklist_from_the_deck(self):
        self.assertEqual(
            self.checklist.mapped("name"),
            [
                "Company facts",
                "Reference customers and success cases",
                "Certifications and awards",
                "Listening",
                "Technical preparation",
                "Etiquette",
                "Limits of authority",
            ],
        )
        note = str(self.rule._activity_note())
        self.assertIn("Limits of authority", note, "the planned visit lists the checklist")

    def test_managers_edit_the_checklist_salespeople_read_it(self):
        with self.assertRaises(AccessError):
            self.Item.with_user(self.salesperson).create({"name": "Bring samples"})
        with self.assertRaises(AccessError):
            self.checklist[:1].with_user(self.salesperson).write({"name": "Anything"})
        self.assertEqual(len(self.Item.with_user(self.salesperson).search([])), len(self.checklist))
        with Form(self.Item.with_user(self.manager)) as item:
            item.name = "Bring samples"
        self.assertIn("Bring samples", self.Item._checklist(self.env.company).mapped("name"))
        self.checklist.filtered(lambda i: i.name == "Etiquette").with_user(self.manager).active = False
        self.assertNotIn("Etiquette", str(self.rule._activity_note()))

    def test_ticked_on_the_report_counted_in_the_compliance(self):
        first = self._visit_done(START)
        state = first.cadence_state_id
        # the visitor ticks the whole checklist on the report
        with Form(first.with_user(self.manager)) as report:
            for item in self.checklist:
                report.prep_item_ids.add(item)
        self.assertTrue(first.prepared)
        # the next visit: half the checklist
        with freeze_time(START):
            state.with_user(self.manager).next_due_date = START
        second = self._visit_done(START)
        self.assertNotEqual(first, second)
        with Form(second.with_user(self.manager)) as report:
            for item in self.checklist[:3]:
                report.prep_item_ids.add(item)
        self.assertFalse(second.prepared)
        self.env.invalidate_all()
        self.assertEqual((state.visit_count, state.prepared_visit_count), (2, 1))
        # ... in the compliance export
        content, _kind = self.env["report.sales_cycle_process.cadence_compliance_xlsx"].create_xlsx_report(
            state.ids, {}
        )
        sheet = openpyxl.load_workbook(io.BytesIO(content))["Compliance"]
        self.assertEqual((sheet["H1"].value, sheet["I1"].value), ("Visits", "Prepared Visits"))
        self.assertEqual((sheet["H2"].value, sheet["I2"].value), (2, 1))
        # ... and in the pivot's sums per responsible user
        groups = self.env["scp.cadence.state"]._read_group(
            [("id", "=", state.id)], ["user_id"], ["visit_count:sum", "prepared_visit_count:sum"]
        )
        self.assertEqual(groups, [(self.manager, 2, 1)])

    def test_nobody_types_the_figures(self):
        report = self._visit_done(START)
        with self.assertRaises(AccessError):
            report.with_user(self.manager).write({"prepared": True})
        with self.assertRaises(AccessError):
            report.cadence_state_id.with_user(self.manager).write({"prepared_visit_count": 5})
        with self.assertRaises(AccessError):
            self.env["scp.visit.report"].with_user(self.salesperson).create(
                {"name": "Visit", "partner_id": self.large.id, "prepared": True}
            )
        self.assertFalse(report.prepared)
