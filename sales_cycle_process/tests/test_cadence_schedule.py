import io
import logging
from datetime import date
from unittest.mock import patch

import openpyxl
from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, TransactionCase, new_test_user, tagged

_logger = logging.getLogger(__name__)

LOGGER = "odoo.addons.sales_cycle_process.models.scp_cadence_rule"
START = date(2026, 3, 2)


@tagged("post_install", "-at_install")
class TestCadenceSchedule(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesperson = new_test_user(
            cls.env, "cad_sales", groups="sales_team.group_sale_salesman", tz="UTC"
        )
        cls.other_salesperson = new_test_user(
            cls.env, "cad_sales2", groups="sales_team.group_sale_salesman", tz="UTC"
        )
        cls.manager = new_test_user(cls.env, "cad_manager", groups="sales_team.group_sale_manager", tz="UTC")
        cls.team = cls.env["crm.team"].create(
            {
                "name": "Cadence team",
                "user_id": cls.manager.id,
                "member_ids": [(6, 0, (cls.salesperson | cls.other_salesperson).ids)],
            }
        )
        Partner = cls.env["res.partner"]
        cls.large = Partner.create(
            {"name": "Large Distributor", "distributor_tier": "large", "user_id": cls.salesperson.id}
        )
        cls.small = Partner.create(
            {"name": "Small Distributor", "distributor_tier": "small", "user_id": cls.salesperson.id}
        )
        cls.selected = Partner.create(
            {"name": "Selected Customer", "selected_customer": True, "user_id": cls.salesperson.id}
        )
        cls.Rule = cls.env["scp.cadence.rule"]
        cls.State = cls.env["scp.cadence.state"]
        cls.rules = {
            xmlid: cls.env.ref(f"sales_cycle_process.{xmlid}")
            for xmlid in (
                "cadence_rule_call_large",
                "cadence_rule_call_small",
                "cadence_rule_call_selected",
                "cadence_rule_visit_large",
                "cadence_rule_visit_small",
                "cadence_rule_ae_large",
            )
        }

    def _run(self, when):
        with freeze_time(when):
            self.Rule._cron_schedule_cadences()
        self.env.invalidate_all()

    def _activities(self, partners=None, rule=None):
        domain = [("cadence_state_id", "!=", False)]
        if partners is not None:
            domain.append(("res_id", "in", partners.ids))
            domain.append(("res_model", "=", "res.partner"))
        if rule is not None:
            domain.append(("cadence_state_id.rule_id", "=", rule.id))
        return self.env["mail.activity"].search(domain)

    def _state(self, partner, rule):
        return self.State.search([("partner_id", "=", partner.id), ("rule_id", "=", rule.id)])

    def _done(self, activity, when, user):
        with freeze_time(when):
            activity.with_user(user).action_feedback(feedback="Talked about the forecast.")
        self.env.invalidate_all()

    def test_six_rhythms(self):
        """Each default rule plans the right contact, for the right person, on the right dates."""
        expected = {
            # rule: (partner, responsible user, interval)
            "cadence_rule_call_large": (self.large, self.salesperson, relativedelta(weeks=1)),
            "cadence_rule_call_small": (self.small, self.salesperson, relativedelta(months=1)),
            "cadence_rule_call_selected": (self.selected, self.salesperson, relativedelta(months=3)),
            "cadence_rule_visit_large": (self.large, self.manager, relativedelta(months=3)),
            "cadence_rule_visit_small": (self.small, self.manager, relativedelta(months=6)),
            "cadence_rule_ae_large": (self.large, self.manager, relativedelta(months=3)),
        }
        self._run(START)
        partners = self.large | self.small | self.selected
        self.assertEqual(len(self._activities(partners)), 6, "6 rhythms, one activity each")
        for xmlid, (partner, user, interval) in expected.items():
            rule = self.rules[xmlid]
            with self.subTest(rule=xmlid):
                activity = self._activities(partner, rule)
                self.assertEqual(len(activity), 1)
                self.assertEqual(activity.user_id, user)
                self.assertEqual(activity.date_deadline, START)
                self.assertEqual(activity.summary, rule.name)
                self.assertIn("Preparation", str(activity.note))
                self.assertEqual(activity.activity_type_id, rule.activity_type_id)
                # done: the next contact is due one interval after the day it was done
                self._done(activity, START, user)
                state = self._state(partner, rule)
                self.assertEqual(state.last_contact_date, START)
                self.assertEqual(state.next_due_date, START + interval)
                self.assertFalse(state.activity_id)
                # nothing is planned before the lead time ...
                due = START + interval
                self._run(due - relativedelta(days=rule.lead_days + 1))
                self.assertFalse(self._activities(partner, rule))
                # ... then exactly one activity, due on the cadence date
                self._run(due - relativedelta(days=rule.lead_days))
                activity = self._activities(partner, rule)
                self.assertEqual(len(activity), 1)
                self.assertEqual(activity.date_deadline, due)
                self.assertEqual(activity.user_id, user)

    def test_twice_creates_nothing_new(self):
        self._run(START)
        first = self._activities()
        self.assertTrue(first)
        states = self.State.search_count([])
        self._run(START)
        self._run(START + relativedelta(days=1))
        self.assertEqual(self._activities(), first, "a second run creates no second open activity")
        self.assertEqual(self.State.search_count([]), states)

    def test_downtime_one_activity_per_partner_and_rule(self):
        partners = self.large | self.small | self.selected
        self._run(START)
        for activity in self._activities(partners):
            self._done(activity, START, activity.user_id)
        self.assertFalse(self._activities(partners))
        # the scheduler was down for seven months: the weekly call missed about 30 dates
        down_until = START + relativedelta(months=7)
        self._run(down_until)
        activities = self._activities(partners)
        self.assertEqual(len(activities), 6, "one activity per partner and rule, never a flood")
        self.assertEqual(len(activities.cadence_state_id), 6)
        first_missed = {
            "cadence_rule_call_large": START + relativedelta(weeks=1),
            "cadence_rule_call_small": START + relativedelta(months=1),
            "cadence_rule_call_selected": START + relativedelta(months=3),
            "cadence_rule_visit_large": START + relativedelta(months=3),
            "cadence_rule_visit_small": START + relativedelta(months=6),
            "cadence_rule_ae_large": START + relativedelta(months=3),
        }
        for xmlid, deadline in first_missed.items():
            activity = activities.filtered(lambda a, r=self.rules[xmlid]: a.cadence_state_id.rule_id == r)
            self.assertEqual(activity.date_deadline, deadline, f"{xmlid}: dated at the first missed date")
        weekly_state = self._state(self.large, self.rules["cadence_rule_call_large"])
        with freeze_time(down_until):
            weekly_state.invalidate_recordset(["overdue_days"])
            self.assertEqual(
                weekly_state.overdue_days, (down_until - first_missed["cadence_rule_call_large"]).days
            )
        self._run(down_until + relativedelta(days=1))
        self.assertEqual(self._activities(partners), activities)

    def test_broken_partner_skipped_and_logged(self):
        broken = self.env["res.partner"].create({"name": "No Salesperson Ltd", "distributor_tier": "large"})
        with self.assertLogs(LOGGER, level="WARNING") as logs:
            self._run(START)
        self.assertTrue(any(str(broken.id) in line for line in logs.output))
        self.assertFalse(self._activities(broken))
        self.assertIn(broken, self.rules["cadence_rule_call_large"].skipped_partner_ids)
        self.assertEqual(len(self._activities(self.large)), 3, "the good partner is still planned")
        # the salesperson is assigned: the next run plans the partner and clears the skipped list
        broken.user_id = self.salesperson
        self._run(START)
        self.assertEqual(len(self._activities(broken)), 3)
        self.assertNotIn(broken, self.rules["cadence_rule_call_large"].skipped_partner_ids)

    def test_failing_partner_skipped(self):
        """An error while planning one partner's activity skips that partner only."""
        broken = self.env["res.partner"].create(
            {"name": "Broken Data Ltd", "distributor_tier": "large", "user_id": self.salesperson.id}
        )
        Activity = self.env.registry["mail.activity"]
        create = Activity.create

        def flaky_create(records, vals_list):
            vals_list = vals_list if isinstance(vals_list, list) else [vals_list]
            if any(vals.get("res_id") == broken.id and vals.get("cadence_state_id") for vals in vals_list):
                raise ValueError("broken partner data")
            return create(records, vals_list)

        with patch.object(Activity, "create", flaky_create), self.assertLogs(LOGGER, level="WARNING") as logs:
            self._run(START)
        self.assertTrue(any(f"partner {broken.id} could not be planned" in line for line in logs.output))
        self.assertFalse(self._activities(broken))
        self.assertEqual(len(self._activities(self.large)), 3, "the other partners are planned")
        self.assertIn(broken, self.rules["cadence_rule_call_large"].skipped_partner_ids)
        self._run(START)
        self.assertEqual(len(self._activities(broken)), 3, "planned once the data is fixed")

    def test_new_salesperson_takes_over(self):
        self._run(START)
        call = self._activities(self.small, self.rules["cadence_rule_call_small"])
        self.assertEqual(call.user_id, self.salesperson)
        self.small.user_id = self.other_salesperson
        self._run(START + relativedelta(days=1))
        self.assertEqual(self._activities(self.small, self.rules["cadence_rule_call_small"]), call)
        self.assertEqual(call.user_id, self.other_salesperson, "the open call follows the new salesperson")
        self.assertEqual(call.cadence_state_id.user_id, self.other_salesperson)

    def test_overdue_and_roles(self):
        other = self.env["res.partner"].create(
            {"name": "Other's distributor", "distributor_tier": "small", "user_id": self.other_salesperson.id}
        )
        self._run(START)
        with freeze_time(START + relativedelta(days=10)):
            state = self._state(self.large, self.rules["cadence_rule_call_large"])
            state.invalidate_recordset(["overdue_days"])
            self.assertEqual(state.overdue_days, 10)
        mine = self.State.with_user(self.salesperson).search([])
        self.assertTrue(mine)
        self.assertEqual(mine.user_id, self.salesperson, "salespeople see their own cadences")
        self.assertNotIn(other, mine.partner_id)
        self.assertIn(other, self.State.with_user(self.manager).search([]).partner_id)

    def test_rule_form_by_manager(self):
        """A sales manager configures a rule in the form; a zero interval is refused."""
        form = Form(self.Rule.with_user(self.manager))
        form.name = "Fortnightly call"
        form.partner_tier = "small"
        form.interval_number = 2
        form.interval_type = "weeks"
        rule = form.save()
        self.assertEqual(rule._interval(), relativedelta(weeks=2))
        edit = Form(rule)
        edit.interval_number = 0
        with self.assertRaises(ValidationError):
            edit.save()
        with self.assertRaises(AccessError):
            self.Rule.with_user(self.salesperson).create({"name": "Mine", "partner_tier": "large"})

    def test_bad_interval(self):
        with self.assertRaises(ValidationError):
            self.Rule.create({"name": "Never", "partner_tier": "large", "interval_number": 0})
        with self.assertRaises(ValidationError):
            self.Rule.create({"name": "No engineer", "partner_tier": "large", "responsible": "engineer"})

    def test_rule_by_tags_and_filter(self):
        tag = self.env["res.partner.category"].create({"name": "Key account"})
        key = self.env["res.partner"].create(
            {"name": "Key Customer", "category_id": [(6, 0, tag.ids)], "user_id": self.salesperson.id}
        )
        other = self.env["res.partner"].create(
            {"name": "Ordinary Customer", "city": "Lyon", "user_id": self.salesperson.id}
        )
        by_tag = self.Rule.create(
            {"name": "Key accounts", "partner_tier": "any", "partner_category_ids": [(6, 0, tag.ids)]}
        )
        by_filter = self.Rule.create(
            {"name": "Lyon", "partner_tier": "any", "partner_filter": "[('city', '=', 'Lyon')]"}
        )
        self._run("2026-03-02 08:00:00")
        self.assertEqual(self._activities(rule=by_tag).mapped("res_id"), key.ids)
        self.assertEqual(self._activities(rule=by_filter).mapped("res_id"), other.ids)
        with self.assertRaisesRegex(ValidationError, "not a valid filter"):
            self.Rule.create(
                {"name": "Broken", "partner_tier": "large", "partner_filter": "[('nope', '=', 1)]"}
            )
        with self.assertRaisesRegex(ValidationError, "every partner"):
            self.Rule.create({"name": "Everyone", "partner_tier": "any"})

    def _queries_for(self, count, tier_rule):
        self.env["res.partner"].create(
            [
                {"name": f"Dist {count}-{i}", "distributor_tier": "large", "user_id": self.salesperson.id}
                for i in range(count)
            ]
        )
        rule = tier_rule.copy({"name": f"Copy {count}"})
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        with freeze_time(START):
            rule._schedule()
            self.env.flush_all()
        queries = self.env.cr.sql_log_count - before
        return queries, rule

    def test_query_count_constant(self):
        weekly = self.rules["cadence_rule_call_large"]
        self._queries_for(1, weekly)  # warm-up
        small, rule_small = self._queries_for(4, weekly)
        large, rule_large = self._queries_for(40, weekly)
        # demo data may add large distributors: compare the two runs
        self.assertEqual(len(rule_large.state_ids) - len(rule_small.state_ids), 40)
        self.assertEqual(len(self._activities(rule=rule_large)), len(rule_large.state_ids))
        sizes = len(rule_small.state_ids), len(rule_large.state_ids)
        _logger.info(
            "Cadence scheduling: %s queries for %s partners, %s for %s", small, sizes[0], large, sizes[1]
        )
        self.assertEqual(small, large, f"{sizes[0]} partners: {small} queries, {sizes[1]} partners: {large}")

    def test_compliance_rows_are_inserted_whole_not_updated_after(self):
        """At 100,000 partners the UPDATE following each INSERT of the compliance rows was most of the
        planning's time: the rows are inserted with their tier, kind, company and visit figures."""
        rule = self.rules["cadence_rule_call_large"].copy({"name": "Inserted whole"})
        self.env.flush_all()
        statements = []
        execute = type(self.env.cr).execute

        def recording(cr, query, params=None, log_exceptions=True):
            statements.append(str(query))
            return execute(cr, query, params, log_exceptions)

        with freeze_time(START), patch.object(type(self.env.cr), "execute", recording):
            rule._schedule()
            self.env.flush_all()
        state = rule.state_ids.filtered(lambda s: s.partner_id == self.large)
        self.assertEqual(
            (state.partner_tier, state.contact_kind, state.company_id, state.visit_count),
            ("large", "call", self.large.company_id, 0),
        )
        self.assertTrue(any('INSERT INTO "scp_cadence_state"' in query for query in statements))
        self.assertFalse([query for query in statements if 'UPDATE "scp_cadence_state"' in query])

    def test_one_broken_batch_does_not_stop_the_rule(self):
        rule = self.rules["cadence_rule_call_large"]
        Rule = type(rule)
        schedule_partners = Rule._schedule_partners

        def broken_for_small(rule, partner_ids):
            if self.large.id in partner_ids:
                raise ValueError("broken batch")
            return schedule_partners(rule, partner_ids)

        other = self.env["res.partner"].create(
            {"name": "Other Large", "distributor_tier": "large", "user_id": self.salesperson.id}
        )
        with (
            freeze_time(START),
            patch.object(Rule, "_schedule_partners", broken_for_small),
            self.assertLogs(LOGGER, level="WARNING") as logs,
        ):
            rule._schedule(batch_size=1)
        self.assertIn("could not be planned", logs.output[0])
        self.assertTrue(self._activities(other, rule), "the next batch was planned")
        self.assertFalse(self._activities(self.large, rule))

    def test_compliance_xlsx(self):
        self._run(START)
        states = self.State.search([("partner_id", "in", (self.large | self.small | self.selected).ids)])
        self.assertEqual(len(states), 6)
        with freeze_time(START + relativedelta(days=5)):
            content, kind = self.env["report.sales_cycle_process.cadence_compliance_xlsx"].create_xlsx_report(
                states.ids, {}
            )
        self.assertEqual(kind, "xlsx")
        book = openpyxl.load_workbook(io.BytesIO(content))
        sheet = book["Compliance"]
        self.assertEqual(sheet["A1"].value, "Partner")
        self.assertEqual(sheet.max_row, 1 + 6)
        partners = {sheet.cell(row, 1).value for row in range(2, 8)}
        self.assertEqual(partners, {"Large Distributor", "Small Distributor", "Selected Customer"})
        self.assertEqual({sheet.cell(row, 7).value for row in range(2, 8)}, {5})
        self.assertEqual(sheet.cell(2, 6).value.date(), START)
        self.assertEqual(sheet.freeze_panes, "A2")

    def test_visit_done_records_report(self):
        self._run(START)
        rule = self.rules["cadence_rule_visit_large"]
        activity = self._activities(self.large, rule)
        self._done(activity, START + relativedelta(days=2), self.manager)
        report = self.env["scp.visit.report"].search([("partner_id", "=", self.large.id)])
        self.assertEqual(len(report), 1, "a visit done records one report")
        self.assertEqual(report.date, START + relativedelta(days=2))
        self.assertEqual(report.user_id, self.manager)
        self.assertIn("Talked about the forecast", str(report.significant_items))
        self.assertIn("Review the forecast", str(report.agenda_covered))
        self.assertEqual(self.large.visit_report_ids, report)
        state = self._state(self.large, rule)
        self.assertEqual(state.next_due_date, START + relativedelta(days=2, months=3))
        # a status-check call leaves no report
        call = self._activities(self.large, self.rules["cadence_rule_call_large"])
        self._done(call, START, self.salesperson)
        self.assertEqual(self.large.visit_report_ids, report)
