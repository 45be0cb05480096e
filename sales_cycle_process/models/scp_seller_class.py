# Copyright 2026 sales_cycle_process contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Seller classes (issue #18, item 9; the deck's culture page): each quarter, every salesperson's A/B/C/D
class suggested to the managers from measurable goals, with the figures behind it; a manager confirms it
or overrides it with a reason; the salesperson then sees their own."""

import logging
from datetime import datetime, time, timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools.periods import add_months, quarter_end, quarter_start, week_start
from .scp_forecast_measures import pct

_logger = logging.getLogger(__name__)

CLASSES = [("A", "A"), ("B", "B"), ("C", "C"), ("D", "D")]
ORDER = "ABCD"
MANAGER_GROUP = "sales_team.group_sale_manager"
# What a manager types: the rest is the server's (figures, suggestion, confirmation).
MANAGER_FIELDS = frozenset({"override_class", "override_reason"})


class ScpSellerClass(models.Model):
    _name = "scp.seller.class"
    _description = "Seller Class (quarterly)"
    _inherit = ["mail.thread"]
    _order = "quarter desc, final_class, user_id"
    _rec_name = "user_id"

    user_id = fields.Many2one("res.users", string="Salesperson", required=True, readonly=True, index=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True, index=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    quarter = fields.Date(
        string="Quarter Start", required=True, readonly=True, index=True, help="First day of the quarter."
    )
    quarter_name = fields.Char(string="Quarter", compute="_compute_quarter_name")
    # --- the figures behind the class (server) -----------------------------------------------------
    target_amount = fields.Monetary(string="Target", readonly=True)
    actual_amount = fields.Monetary(string="Actual", readonly=True)
    attainment = fields.Float(string="Attainment %", readonly=True, digits=(16, 1))
    commit_ratio = fields.Float(
        string="Typical Actual / Commit %",
        readonly=True,
        digits=(16, 1),
        help="The forecasting bias at the quarter's end: in a typical week, the actual against the commit.",
    )
    commit_label = fields.Selection(
        [
            ("accurate", "Accurate"),
            ("over", "Over-committing"),
            ("under", "Under-committing"),
            ("none", "Not enough history"),
        ],
        string="Commit Accuracy",
        readonly=True,
    )
    commit_submission_rate = fields.Float(string="Commits Submitted %", readonly=True, digits=(16, 1))
    forecast_submission_rate = fields.Float(string="Forecasts Submitted %", readonly=True, digits=(16, 1))
    suggested_class = fields.Selection(CLASSES, readonly=True, tracking=True)
    figures_note = fields.Text(string="Why", readonly=True)
    # --- the manager's decision --------------------------------------------------------------------
    override_class = fields.Selection(
        CLASSES, string="Manager's Class", tracking=True, help="Leave empty to confirm the suggestion."
    )
    override_reason = fields.Char(tracking=True, help="Required when the manager's class differs.")
    final_class = fields.Selection(CLASSES, string="Class", readonly=True, tracking=True, index=True)
    state = fields.Selection(
        [("suggested", "Suggested"), ("confirmed", "Confirmed")],
        default="suggested",
        required=True,
        readonly=True,
        tracking=True,
    )
    confirmed_by_id = fields.Many2one("res.users", string="Confirmed By", readonly=True)
    confirmed_on = fields.Date(readonly=True)

    _sql_constraints = [
        (
            "user_quarter_unique",
            "UNIQUE(company_id, user_id, quarter)",
            "One class per salesperson and quarter.",
        )
    ]

    @api.depends("quarter")
    def _compute_quarter_name(self):
        for record in self:
            quarter = record.quarter
            record.quarter_name = f"Q{(quarter.month - 1) // 3 + 1} {quarter.year}" if quarter else False

    # --- guards: figures and decisions are the server's ------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise AccessError(
                self.env._("Seller classes are suggested by the server, from the quarter's figures.")
            )
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            forged = set(vals) - MANAGER_FIELDS
            if forged:
                raise AccessError(
                    self.env._(
                        "A seller class's figures, suggestion and confirmation are the server's: %s.",
                        ", ".join(sorted(forged)),
                    )
                )
            self._seller_class_check_manager()
            if self.filtered(lambda r: r.state == "confirmed"):
                raise UserError(self.env._("This class is confirmed: it can no longer be changed."))
        return super().write(vals)

    def _seller_class_check_manager(self):
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(self.env._("Only sales managers classify salespeople."))

    # --- the manager's buttons -------------------------------------------------------------------------
    def action_confirm(self):
        """Confirm the classes: the manager's class when given (with its reason), else the suggestion."""
        self._seller_class_check_manager()
        self.check_access("write")
        for record in self:
            if record.state == "confirmed":
                raise UserError(self.env._("The class of %s is already confirmed.", record.user_id.name))
            if record.user_id == self.env.user and not self.env.user.has_group(
                "sales_cycle_process.group_managing_director"
            ):
                raise AccessError(self.env._("Your own class is confirmed by your manager."))
            overridden = record.override_class and record.override_class != record.suggested_class
            if overridden and not (record.override_reason or "").strip():
                raise UserError(
                    self.env._(
                        "Give the reason for class %(manager)s instead of the suggested %(suggested)s for "
                        "%(user)s.",
                        manager=record.override_class,
                        suggested=record.suggested_class,
                        user=record.user_id.name,
                    )
                )
        today = fields.Date.context_today(self)
        for record in self:
            record.sudo().write(
                {
                    "final_class": record.override_class or record.suggested_class,
                    "state": "confirmed",
                    "confirmed_by_id": self.env.user.id,
                    "confirmed_on": today,
                }
            )
        return True

    @api.model
    def action_suggest_last_quarter(self):
        """Suggest (again) the classes of the last complete quarter for the caller's company's teams; the
        confirmed ones stay as they are. For sales managers."""
        self._seller_class_check_manager()
        today = fields.Date.context_today(self)
        self.sudo()._seller_class_suggest(add_months(quarter_start(today), -3), self.env.company)
        action = self.env["ir.actions.act_window"]._for_xml_id("sales_cycle_process.scp_seller_class_action")
        action["context"] = {"search_default_group_quarter": 1}
        return action

    @api.model
    def _cron_seller_class_suggest(self):
        """Every company's suggestions for the last complete quarter (idempotent: updated, confirmed kept)."""
        today = fields.Date.context_today(self)
        # the companies of the sales teams (a team of every company counts for the current one)
        companies = self.env["res.company"].union(
            *(
                company or self.env.company
                for (company,) in self.env["crm.team"].sudo()._read_group([], ["company_id"])
            )
        )
        for company in companies:
            try:
                with self.env.cr.savepoint():
                    self.sudo()._seller_class_suggest(add_months(quarter_start(today), -3), company)
            except Exception:  # one company's failure must not stop the others
                _logger.warning("Seller classes of %s failed", company.name, exc_info=True)

    # --- the suggestion --------------------------------------------------------------------------------
    @api.model
    def _seller_class_suggest(self, quarter, company):
        """Create or update the suggested classes of ``company``'s salespeople (its sales teams' members)
        for the quarter starting ``quarter``; returns the records. Figures from the forecast measures."""
        teams = self.env["crm.team"].search([("company_id", "in", [company.id, False])])
        users = teams.member_ids
        if not users:
            return self.browse()
        figures = self._seller_class_figures(users, teams, quarter, company)
        existing = self.search(
            [("company_id", "=", company.id), ("quarter", "=", quarter), ("user_id", "in", users.ids)]
        )
        by_user = {record.user_id.id: record for record in existing}
        team_of = {}
        for team in teams:
            for user in team.member_ids:
                team_of.setdefault(user.id, team.id)
        to_create = []
        for user in users:
            vals = {**figures[user.id], "team_id": team_of.get(user.id)}
            record = by_user.get(user.id)
            if record and record.state == "confirmed":
                continue
            if record:
                record.write(vals)
            else:
                to_create.append({**vals, "user_id": user.id, "company_id": company.id, "quarter": quarter})
        self.create(to_create)
        return self.search(
            [("company_id", "=", company.id), ("quarter", "=", quarter), ("user_id", "in", users.ids)]
        )

    @api.model
    def _seller_class_figures(self, users, teams, quarter, company):
        """``{user_id: values}``: attainment (targets and ``_actuals``), commit accuracy (``_bias`` at the
        quarter's last week), submission (``_submission`` of the quarter's Mondays and months), the class
        they give by ``company``'s thresholds and the sentence explaining it."""
        Measures = self.env["scp.forecast.measures"]
        last_day = quarter_end(quarter)
        targets = {}
        for (uid, _month), amount in (
            self.env["scp.sales.target"]._target_amounts(users, quarter, last_day).items()
        ):
            targets[uid] = targets.get(uid, 0.0) + amount
        actuals = Measures._actuals(users, quarter, last_day)
        last_monday = week_start(last_day)
        bias = Measures._bias(users, "week", last_monday, {user.id: company for user in users})
        first_monday = week_start(quarter) + (timedelta(days=7) if quarter.weekday() else timedelta())
        mondays = [
            first_monday + timedelta(days=7 * i) for i in range((last_monday - first_monday).days // 7 + 1)
        ]
        months = [add_months(quarter, i) for i in range(3)]
        rates = {
            kind: self._seller_class_rates(Measures._submission(teams, kind, periods))
            for kind, periods in (("commit", mondays), ("forecast", months))
        }
        result = {}
        for user in users:
            target, actual = targets.get(user.id, 0.0), actuals.get(user.id, 0.0)
            verdict = bias[user.id]
            values = {
                "target_amount": target,
                "actual_amount": actual,
                "attainment": pct(actual, target),
                "commit_ratio": verdict["ratio"] or 0.0,
                "commit_label": verdict["label"],
                "commit_submission_rate": rates["commit"].get(user.id, (100.0, 0, 0))[0],
                "forecast_submission_rate": rates["forecast"].get(user.id, (100.0, 0, 0))[0],
            }
            values["suggested_class"], values["figures_note"] = self._seller_class_of(
                values, rates, user, company
            )
            result[user.id] = values
        return result

    @api.model
    def _seller_class_rates(self, submission):
        """Per salesperson, from ``_submission``'s rows: ``{user_id: (rate, submitted, expected)}``, each
        period counted once (a salesperson in two teams submits once)."""
        expected, missing = {}, {}
        for (_team_id, period), row in submission.items():
            for user in row["expected"]:
                expected.setdefault(user.id, set()).add(period)
            for user in row["missing"]:
                missing.setdefault(user.id, set()).add(period)
        return {
            uid: (
                pct(len(periods) - len(missing.get(uid, ())), len(periods)),
                len(periods) - len(missing.get(uid, ())),
                len(periods),
            )
            for uid, periods in expected.items()
        }

    @api.model
    def _seller_class_of(self, values, rates, user, company):
        """The class and its explanation: the attainment gives the class (A, B, C at the thresholds set,
        else D); each discipline goal missed (commits accurate, every commit and forecast submitted at the
        submission goal) lowers it by one, down to D."""
        company = company.sudo()
        attainment = values["attainment"]
        thresholds = [
            ("A", company.seller_class_a_attainment),
            ("B", company.seller_class_b_attainment),
            ("C", company.seller_class_c_attainment),
        ]
        base = next((name for name, threshold in thresholds if attainment >= threshold), "D")
        lines = [
            self.env._(
                "Attainment %(attainment).0f %% (actual %(actual).0f of target %(target).0f): %(base)s.",
                attainment=attainment,
                actual=values["actual_amount"],
                target=values["target_amount"],
                base=base,
            )
        ]
        if not values["target_amount"]:
            lines.append(self.env._("No target set for the quarter."))
        missed = 0
        label = values["commit_label"]
        if label in ("over", "under"):
            missed += 1
            lines.append(
                self.env._(
                    "Commits not accurate (typical actual / commit %(ratio).0f %%): one class lower.",
                    ratio=values["commit_ratio"],
                )
            )
        elif label == "accurate":
            lines.append(
                self.env._(
                    "Commits accurate (typical actual / commit %(ratio).0f %%).", ratio=values["commit_ratio"]
                )
            )
        else:
            lines.append(self.env._("Commit accuracy: not enough history, not counted."))
        goal = company.seller_class_submission_goal
        for kind, name in (("commit", self.env._("commits")), ("forecast", self.env._("forecasts"))):
            rate, submitted, expected = rates[kind].get(user.id, (100.0, 0, 0))
            text = self.env._(
                "%(submitted)s of %(expected)s %(name)s submitted (%(rate).0f %%, goal %(goal).0f %%)",
                submitted=submitted,
                expected=expected,
                name=name,
                rate=rate,
                goal=goal,
            )
            if rate < goal:
                missed += 1
                lines.append(self.env._("%s: one class lower.", text))
            else:
                lines.append(f"{text}.")
        final = ORDER[min(ORDER.index(base) + missed, 3)]
        lines.append(self.env._("Suggested class: %s.", final))
        return final, "\n".join(lines)

    # --- Odoo's gamification: the playbook's goals computed on our figures ------------------------------
    @api.model
    def _gamification_commit_accuracy(self, goal):
        """A goal's value for "Commit Accuracy" (``gamification.goal.definition`` in python mode): 100 minus
        the distance of the typical actual / commit % from 100 (``_bias`` over the weeks up to the goal's
        end, or the last full week), 0 without a commit counted."""
        today = fields.Date.context_today(self)
        Measures = self.env["scp.forecast.measures"]
        last = Measures._bias_last_period("week", min(goal.end_date or today, today) + timedelta(days=7))
        verdict = Measures._bias(goal.user_id, "week", last)[goal.user_id.id]
        if not verdict["counted"]:
            return 0.0
        return max(0.0, 100.0 - abs(100.0 - verdict["ratio"]))

    # --- demo data ------------------------------------------------------------------------------------
    @api.model
    def _demo_seller_class_history(self, plans, product_xmlid, partner_xmlid):
        """Demo data only (``demo/flowchart_seller_class_demo.xml``): the last complete quarter of reps,
        skipping what the other demo files already hold for them (idempotent). ``plans``: ``[(user xmlid, team
        xmlid, monthly base target, weekly commit, weekly booking or 0, commits skipped at the start)]``;
        the bookings are confirmed orders without a deal of ``product_xmlid`` (as many as the booking needs,
        at its list price) to ``partner_xmlid`` on each week's Tuesday, the forecasts one line of the
        month's target."""
        today = fields.Date.context_today(self)
        quarter = add_months(quarter_start(today), -3)
        months = [add_months(quarter, i) for i in range(3)]
        first_monday = quarter + timedelta(days=(7 - quarter.weekday()) % 7)
        mondays = [first_monday + timedelta(weeks=i) for i in range(14)]
        mondays = [monday for monday in mondays if monday <= quarter_end(quarter)]
        ref = self.env.ref
        product, partner = ref(product_xmlid), ref(partner_xmlid)
        Target, Commit, Forecast = (
            self.env[m] for m in ("scp.sales.target", "scp.sales.commit", "scp.sales.forecast")
        )
        users = self.env["res.users"].union(*(ref(plan[0]) for plan in plans))
        have_targets = set(Target._target_amounts(users, months[0], months[-1]))
        have_commits = {
            (c.user_id.id, c.week_start)
            for c in Commit.search(
                [("user_id", "in", users.ids), ("week_start", "in", mondays), ("state", "=", "current")]
            )
        }
        have_forecasts = {
            (f.user_id.id, f.month)
            for f in Forecast.search(
                [("user_id", "in", users.ids), ("month", "in", months), ("state", "=", "current")]
            )
        }
        targets, commits, forecasts, orders = [], [], [], []
        for user_xmlid, team_xmlid, base, commit, booking, skipped in plans:
            user, team = ref(user_xmlid), ref(team_xmlid)
            for month in months:
                if (user.id, month) not in have_targets:
                    targets.append(
                        {
                            "user_id": user.id,
                            "team_id": team.id,
                            "month": month,
                            "base_amount": base,
                            "raise_factor": 1.1,
                        }
                    )
                if (user.id, month) not in have_forecasts:
                    forecasts.append(
                        {
                            "user_id": user.id,
                            "team_id": team.id,
                            "month": month,
                            "submitted_on": datetime.combine(month, time(8)),
                            "total": base * 1.1,
                            "line_ids": [Command.create({"month": month, "amount": base * 1.1})],
                        }
                    )
            for index, monday in enumerate(mondays):
                if index >= skipped and (user.id, monday) not in have_commits:
                    commits.append(
                        {
                            "user_id": user.id,
                            "team_id": team.id,
                            "week_start": monday,
                            "submitted_on": datetime.combine(monday, time(8)),
                            "commit_week": commit,
                            "commit_month": commit * 4,
                            "commit_quarter": commit * len(mondays),
                            "commit_total": commit * len(mondays),
                        }
                    )
                if booking:
                    orders.append(
                        {
                            "partner_id": partner.id,
                            "user_id": user.id,
                            "team_id": team.id,
                            "date_order": datetime.combine(monday + timedelta(days=1), time(10)),
                            "order_line": [
                                Command.create(
                                    {
                                        "product_id": product.id,
                                        "product_uom_qty": booking / product.list_price,
                                        "tax_id": False,
                                    }
                                )
                            ],
                        }
                    )
        Target.create(targets)
        Commit.create(commits)
        Forecast.create(forecasts)
        sale_orders = self.env["sale.order"].create(orders)
        dates = sale_orders.mapped("date_order")
        sale_orders.action_confirm()  # confirming dates an order today: give each its Tuesday back
        for order, when in zip(sale_orders, dates, strict=True):
            order.date_order = when
