from datetime import timedelta

from odoo import models


class CommitPackXlsx(models.AbstractModel):
    """The weekly commit pack: per salesperson commit (complete and overridden), upside, last week's accuracy,
    the checklist of each deal (complete, or overridden: the reason and by whom).

    Set-based: the accuracy of every row comes from one grouped computation, and the checklist lines are read
    by SQL a batch of commits at a time (see scp.xlsx.report.mixin), so a pack of 100,000 lines neither
    queries per row nor fills the ORM cache.
    """

    _name = "report.sales_cycle_process.commit_pack_xlsx"
    _description = "Weekly Commit Pack (XLSX)"
    _inherit = "scp.xlsx.report.mixin"
    _scp_model = "scp.sales.commit"

    def generate_xlsx_report(self, workbook, data, objs):
        commits = objs.sorted(lambda c: (c.week_start, c.user_id.name or ""))
        users = commits.user_id
        measures = self.env["scp.forecast.measures"]
        fmt = self._scp_formats(workbook)
        money, percent, date = fmt["money"], fmt["percent"], fmt["date"]

        headers = [
            self.env._("Week"),
            self.env._("Salesperson"),
            self.env._("Team"),
            self.env._("Commit (week)"),
            self.env._("Upside (week)"),
            self.env._("Commit (month)"),
            self.env._("Commit (quarter)"),
            self.env._("Last Week's Commit"),
            self.env._("Last Week's Actual"),
            self.env._("Accuracy"),
            self.env._("Commit Complete (week)"),
            self.env._("Commit Overridden (week)"),
        ]
        sheet = self._scp_sheet(workbook, self.env._("Commit"), headers, [(0, 2, 18), (3, 11, 16)])
        accuracy = measures._accuracy_by_week(users, {c.week_start - timedelta(days=7) for c in commits})
        for row, commit in enumerate(self._scp_stream(commits), start=1):
            last_commit, last_actual, ratio = accuracy[
                commit.user_id.id, commit.week_start - timedelta(days=7)
            ]
            sheet.write_datetime(row, 0, commit.week_start, date)
            self._scp_text(sheet, row, 1, commit.user_id.name, blank=False)
            self._scp_text(sheet, row, 2, commit.team_id.name, blank=False)
            for col, value in enumerate(
                [
                    commit.commit_week,
                    commit.upside_week,
                    commit.commit_month,
                    commit.commit_quarter,
                    last_commit,
                    last_actual,
                ],
                start=3,
            ):
                sheet.write_number(row, col, value, money)
            sheet.write_number(row, 9, ratio / 100.0, percent)
            sheet.write_number(row, 10, commit.commit_complete_week, money)
            sheet.write_number(row, 11, commit.commit_overridden_week, money)
        self._scp_autofilter(sheet, len(commits), len(headers))

        headers = [
            self.env._("Salesperson"),
            self.env._("Deal"),
            self.env._("Category"),
            self.env._("Amount"),
            self.env._("Probability"),
            self.env._("Expected Closing"),
            self.env._("Configurations Final"),
            self.env._("End-User Contract"),
            self.env._("Integrator Contracts"),
            self.env._("Special Discount"),
            self.env._("Partner Ready"),
            self.env._("Checklist"),
        ]
        checklist = self._scp_sheet(workbook, self.env._("Checklist"), headers, [(0, 10, 16), (11, 11, 48)])
        Line = self.env["scp.sales.commit.line"]
        categories = dict(Line._fields["category"]._description_selection(self.env))
        yes, no = self.env._("Yes"), self.env._("No")
        user_names = {commit.id: commit.user_id.name or "" for commit in commits}
        flags = ["config_final", "end_user_signed", "integrator_signed", "discount_approved", "partner_ready"]
        # the deal's name as committed: also for a deal deleted since, or one the reader may not open
        notes = ["commit_status", "override_reason", "override_user_id", "requested_commit"]
        fnames = ["lead_name", "category", "amount", "probability", "date_deadline", *notes, *flags]
        row = 0
        for lines in self._scp_children(commits, Line, "commit_id", fnames, order=Line._order):
            # who overrode, by name: one read per batch of commits
            overriders = self.env["res.users"].browse({r[7] for _c, rows in lines for r in rows if r[7]})
            overrider_names = {user.id: user.name for user in overriders.with_context(active_test=False)}
            for commit_id, rows in lines:
                salesperson = user_names[commit_id]
                for lead_name, category, amount, probability, deadline, *rest in rows:
                    status, reason, overrider, requested, *checks = rest
                    row += 1
                    self._scp_text(checklist, row, 0, salesperson, blank=False)
                    self._scp_text(checklist, row, 1, lead_name, blank=False)
                    self._scp_text(checklist, row, 2, categories.get(category, ""), blank=False)
                    checklist.write_number(row, 3, amount or 0.0, money)
                    checklist.write_number(row, 4, (probability or 0.0) / 100.0, percent)
                    if deadline:
                        checklist.write_datetime(row, 5, deadline, date)
                    else:
                        checklist.write_blank(row, 5, None, date)
                    for col, flag in enumerate(checks, start=6):
                        checklist.write_string(row, col, yes if flag else no)
                    note = Line._commit_checklist_note(
                        status, reason, overrider_names.get(overrider), requested
                    )
                    self._scp_text(checklist, row, 11, note)
        self._scp_autofilter(checklist, row, len(headers))

        headers = [self.env._("Week"), self.env._("Commit"), self.env._("Actual"), self.env._("Accuracy")]
        trend = self._scp_sheet(workbook, self.env._("Trend"), headers, [(0, 3, 16)])
        last = max(commits.mapped("week_start")) + timedelta(days=7) if commits else None
        history = measures._accuracy_history(users, last) if last else []
        totals = {}
        for point in history:
            week = totals.setdefault(point["week"], [0.0, 0.0])
            week[0] += point["commit"]
            week[1] += point["actual"]
        weeks = sorted(totals)
        for row, week in enumerate(weeks, start=1):
            commit, actual = totals[week]
            trend.write_datetime(row, 0, week, date)
            trend.write_number(row, 1, commit, money)
            trend.write_number(row, 2, actual, money)
            trend.write_number(row, 3, actual / commit if commit else 0.0, percent)
        self._scp_autofilter(trend, len(weeks), len(headers))
        chart = workbook.add_chart({"type": "line"})
        for col, name in ((1, self.env._("Commit")), (2, self.env._("Actual"))):
            chart.add_series(
                {
                    "name": name,
                    "categories": [trend.name, 1, 0, max(len(weeks), 1), 0],
                    "values": [trend.name, 1, col, max(len(weeks), 1), col],
                }
            )
        chart.set_title({"name": self.env._("Commit vs actual")})
        trend.insert_chart("F2", chart)
        # discipline: who has not submitted, per week and team
        self._scp_submission_sheet(workbook, commits, "commit")
        # the waterfall of each commit: last week's commit, the steps, this week's (they add up)
        self._scp_waterfall_sheet(workbook, commits, fmt)
        # each rep's forecasting bias, week by week
        self._scp_bias_sheet(workbook, commits, "week")

    def _scp_waterfall_sheet(self, workbook, commits, fmt):
        """One row per commit and step of ``scp.forecast.measures._waterfall``, computed for all the
        pack's commits at once."""
        measures = self.env["scp.forecast.measures"]
        headers = [self.env._("Week"), self.env._("Salesperson"), self.env._("Step"), self.env._("Amount")]
        sheet = self._scp_sheet(
            workbook, self.env._("Waterfall"), headers, [(0, 1, 18), (2, 2, 24), (3, 3, 16)]
        )
        flows = measures._waterfalls(commits.user_id, commits.mapped("week_start"))
        steps = measures._waterfall_steps()
        row = 0
        for commit in commits:
            flow = flows[commit.user_id.id, commit.week_start]
            for key, label in steps:
                row += 1
                sheet.write_datetime(row, 0, commit.week_start, fmt["date"])
                self._scp_text(sheet, row, 1, commit.user_id.name, blank=False)
                self._scp_text(sheet, row, 2, label, blank=False)
                sheet.write_number(row, 3, flow[key], fmt["money"])
        self._scp_autofilter(sheet, row, len(headers))
