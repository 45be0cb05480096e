from datetime import timedelta

from odoo import fields, models

from ..models.scp_forecast_measures import pct
from .xlsx_report_mixin import AXIS_FORMATS, CHART_SIZE


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
        # the bands of the commits' company (the first printed, else the current one)
        company = commits[:1].company_id or self.env.company
        weeks = sorted(set(commits.mapped("week_start")))
        self._scp_print_title(
            workbook,
            self.env._("Weekly Commit Pack"),
            " – ".join(dict.fromkeys(str(week) for week in weeks[:1] + weeks[-1:])),
            company,
        )
        cover = self._scp_cover_sheet(workbook)

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
        self._scp_band(workbook, sheet, (1, 9, len(commits), 9), "accuracy", company)

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

        self._scp_trend_sheet(workbook, users, weeks, company, fmt)
        # discipline: who has not submitted, per week and team
        self._scp_submission_sheet(workbook, commits, "commit")
        # the waterfall of each commit: last week's commit, the steps, this week's (they add up)
        self._scp_waterfall_sheet(workbook, commits, fmt)
        # each rep's forecasting bias, week by week
        self._scp_bias_sheet(workbook, commits, "week")
        self._scp_commit_cover(workbook, cover, commits, weeks, accuracy, company)

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
        # the chart: the last printed week, all its salespeople together, as a waterfall of stacked columns
        # (an invisible base under each step; last week's and this week's commit from the axis)
        last = max(commits.mapped("week_start")) if commits else None
        chart_rows = []
        if last:
            totals = dict.fromkeys((key for key, _label in steps), 0.0)
            for commit in commits.filtered(lambda c: c.week_start == last):
                for key in totals:
                    totals[key] += flows[commit.user_id.id, last][key]
            running = 0.0
            for key, label in steps:
                amount = totals[key]
                if key in ("start", "end"):
                    chart_rows.append((label, 0.0, amount, 0.0, 0.0))
                    running = amount
                else:
                    base = running if amount >= 0 else running + amount
                    chart_rows.append((label, base, 0.0, max(amount, 0.0), max(-amount, 0.0)))
                    running += amount
        if chart_rows:
            sheet.set_column(5, 5, 26)
            sheet.set_column(6, 9, 14)
            sheet.write_row(
                0,
                5,
                [
                    self.env._("Week of %(week)s: step", week=last),
                    self.env._("Base"),
                    self.env._("Commit"),
                    self.env._("Increase"),
                    self.env._("Decrease"),
                ],
                fmt["head"],
            )
        row = 0
        for commit in commits:
            flow = flows[commit.user_id.id, commit.week_start]
            for key, label in steps:
                row += 1
                sheet.write_datetime(row, 0, commit.week_start, fmt["date"])
                self._scp_text(sheet, row, 1, commit.user_id.name, blank=False)
                self._scp_text(sheet, row, 2, label, blank=False)
                sheet.write_number(row, 3, flow[key], fmt["money"])
                if row <= len(chart_rows):
                    step, *amounts = chart_rows[row - 1]
                    sheet.write_string(row, 5, step)
                    for col, amount in enumerate(amounts, start=6):
                        sheet.write_number(row, col, amount, fmt["money"])
        self._scp_autofilter(sheet, row, len(headers))
        if chart_rows:
            chart = workbook.add_chart({"type": "column", "subtype": "stacked"})
            chart.set_title(
                {
                    "name": self.env._("Commit waterfall, week of %(week)s", week=last),
                    "name_font": {"size": 12},
                }
            )
            rows = (1, len(chart_rows))
            for col, colour in ((6, None), (7, "#4472C4"), (8, "#70AD47"), (9, "#C00000")):
                fill = {"none": True} if colour is None else {"color": colour}
                self._scp_series(chart, sheet, rows, 5, col, fill=fill, gap=50)
            chart.set_x_axis({"name": self.env._("Step")})
            chart.set_y_axis(
                {
                    "name": self.env._("Amount"),
                    "num_format": AXIS_FORMATS["money"],
                    "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}},
                }
            )
            chart.set_legend({"position": "bottom", "delete_series": [0]})
            sheet.insert_chart("L2", chart, CHART_SIZE)

    def _scp_trend_sheet(self, workbook, users, weeks, company, fmt):
        """Commit against actual of the printed salespeople over the 8 weeks up to the last printed week,
        week by week, with the accuracy against the lines of the Settings' accuracy band: a line chart on a
        date axis, money on the left, the ratio on the right."""
        measures = self.env["scp.forecast.measures"]
        bands = measures._bands(company)
        headers = [
            self.env._("Week"),
            self.env._("Commit"),
            self.env._("Actual"),
            self.env._("Accuracy"),
            self.env._("Accuracy: lowest good"),
            self.env._("Accuracy: highest good"),
        ]
        trend = self._scp_sheet(workbook, self.env._("Trend"), headers, [(0, 5, 16)])
        last = weeks[-1] + timedelta(days=7) if weeks else None
        history = measures._accuracy_history(users, last) if last else []
        totals = {}
        for point in history:
            week = totals.setdefault(point["week"], [0.0, 0.0])
            week[0] += point["commit"]
            week[1] += point["actual"]
        trend_weeks = sorted(totals)
        for row, week in enumerate(trend_weeks, start=1):
            commit, actual = totals[week]
            trend.write_datetime(row, 0, week, fmt["date"])
            trend.write_number(row, 1, commit, fmt["money"])
            trend.write_number(row, 2, actual, fmt["money"])
            if commit:
                trend.write_number(row, 3, actual / commit, fmt["percent"])
            else:
                trend.write_blank(row, 3, None, fmt["percent"])
            trend.write_number(row, 4, bands["accuracy_min"] / 100.0, fmt["percent"])
            trend.write_number(row, 5, bands["accuracy_max"] / 100.0, fmt["percent"])
        count = len(trend_weeks)
        self._scp_autofilter(trend, count, len(headers))
        self._scp_band(workbook, trend, (1, 3, count, 3), "accuracy", company)
        self._scp_band_legend(workbook, trend, count + 2, ["accuracy"], company)
        chart = self._scp_chart(
            workbook,
            "line",
            self.env._("Commit vs actual by week"),
            (self.env._("Week"), "date"),
            (self.env._("Amount"), "money"),
            (self.env._("Accuracy (actual / commit)"), "percent"),
        )
        rows = (1, max(count, 1))
        for col in (1, 2):
            self._scp_series(chart, trend, rows, 0, col, marker={"type": "circle"})
        self._scp_series(chart, trend, rows, 0, 3, y2_axis=True, marker={"type": "diamond"})
        self._scp_band_line(chart, trend, rows, 0, 4, "success", y2_axis=True)
        self._scp_band_line(chart, trend, rows, 0, 5, "success", y2_axis=True)
        trend.insert_chart("H2", chart, CHART_SIZE)
        return trend

    def _scp_commit_cover(self, workbook, cover, commits, weeks, accuracy, company):
        """The cover: the last printed week of the printed salespeople, its five headline figures (last
        week's accuracy, this week against linear, the month and the quarter against the stretched target,
        the submission rate) and who submitted."""
        measures = self.env["scp.forecast.measures"]
        last = weeks[-1] if weeks else None
        figures, submission = [None] * 5, None
        if last:
            current = commits.filtered(lambda c: c.week_start == last)
            users, teams = current.user_id, current.team_id
            before = last - timedelta(days=7)
            called = sum(accuracy[uid, before][0] for uid in users.ids)
            actual = sum(accuracy[uid, before][1] for uid in users.ids)
            today = fields.Date.context_today(self)
            values = measures._target_attainment(users, teams, last, today)["users"]
            total = {
                key: sum(values[uid][key] for uid in users.ids)
                for key in (
                    "week_commit_upside",
                    "week_linear_share",
                    "month_forecast_upside",
                    "month_target",
                    "quarter_forecast_upside",
                    "quarter_target",
                )
            }
            figures[:4] = [
                pct(actual, called) if called else None,
                pct(total["week_commit_upside"], total["week_linear_share"])
                if total["week_linear_share"]
                else None,
                pct(total["month_forecast_upside"], total["month_target"]) if total["month_target"] else None,
                pct(total["quarter_forecast_upside"], total["quarter_target"])
                if total["quarter_target"]
                else None,
            ]
            figures[4], submission = self._scp_cover_submission(commits, "commit", last)
        labels = [
            (self.env._("Last week's actual / commit"), "accuracy"),
            (self.env._("This week's commit + upside / linear share"), "linear"),
            (self.env._("Forecast + upside / stretched target (month)"), "target"),
            (self.env._("Forecast + upside / stretched target (quarter)"), "target"),
            (self.env._("Commit submission"), "submission"),
        ]
        self._scp_cover(
            workbook,
            cover,
            {
                "title": self.env._("Weekly Commit Pack"),
                "period": (weeks[0], weeks[-1]) if weeks else (None, None),
                "period_format": "date",
                "teams": ", ".join(commits.team_id.sorted("name").mapped("name")),
                "company": company,
                "figures": [
                    (label, value, kind) for (label, kind), value in zip(labels, figures, strict=True)
                ],
                "submission": submission,
                "how": self.env._(
                    "Figures of the last week printed, for its salespeople. Green is good, amber to watch, "
                    "red off, by the bands of the Settings (below); the charts' dashed lines are the same "
                    "bands. "
                    "Sheets: Commit, Checklist (the deck's five items), Trend (commit vs actual by week), "
                    "Submission, Waterfall (what changed since last week), Forecasting bias."
                ),
            },
        )
