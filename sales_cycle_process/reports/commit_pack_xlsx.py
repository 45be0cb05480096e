from datetime import timedelta

from odoo import models


class CommitPackXlsx(models.AbstractModel):
    """The weekly commit pack: per salesperson commit, upside, last week's accuracy, the checklist."""

    _name = "report.sales_cycle_process.commit_pack_xlsx"
    _description = "Weekly Commit Pack (XLSX)"
    _inherit = "report.report_xlsx.abstract"

    def _get_objs_for_report(self, docids, data):
        if not docids:
            docids = (data or {}).get("context", {}).get("active_ids") or self.env.context.get(
                "active_ids", []
            )
        return self.env["scp.sales.commit"].browse(docids)

    def generate_xlsx_report(self, workbook, data, objs):
        commits = objs.sorted(lambda c: (c.week_start, c.user_id.name or ""))
        measures = self.env["scp.forecast.measures"]
        head = workbook.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1})
        money = workbook.add_format({"num_format": "#,##0.00"})
        percent = workbook.add_format({"num_format": "0.0%"})
        date = workbook.add_format({"num_format": "yyyy-mm-dd"})

        sheet = workbook.add_worksheet(self.env._("Commit"))
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
        ]
        sheet.write_row(0, 0, headers, head)
        for row, commit in enumerate(commits, start=1):
            last_commit, last_actual, accuracy = measures._accuracy(commit.user_id, commit.week_start)[
                commit.user_id.id
            ]
            sheet.write(row, 0, commit.week_start, date)
            sheet.write(row, 1, commit.user_id.name)
            sheet.write(row, 2, commit.team_id.name or "")
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
            sheet.write_number(row, 9, accuracy / 100.0, percent)
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, max(len(commits), 1), len(headers) - 1)
        sheet.set_column(0, 2, 18)
        sheet.set_column(3, 9, 16)

        checklist = workbook.add_worksheet(self.env._("Checklist"))
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
        ]
        checklist.write_row(0, 0, headers, head)
        row = 0
        yes, no = self.env._("Yes"), self.env._("No")
        for commit in commits:
            for line in commit.line_ids:
                row += 1
                checklist.write(row, 0, commit.user_id.name)
                checklist.write(row, 1, line.lead_id.name)
                checklist.write(row, 2, dict(line._fields["category"].selection)[line.category])
                checklist.write_number(row, 3, line.amount, money)
                checklist.write_number(row, 4, line.probability / 100.0, percent)
                checklist.write(row, 5, line.date_deadline or "", date)
                for col, flag in enumerate(
                    [
                        line.config_final,
                        line.end_user_signed,
                        line.integrator_signed,
                        line.discount_approved,
                        line.partner_ready,
                    ],
                    start=6,
                ):
                    checklist.write(row, col, yes if flag else no)
        checklist.freeze_panes(1, 0)
        checklist.autofilter(0, 0, max(row, 1), len(headers) - 1)
        checklist.set_column(0, 10, 16)

        trend = workbook.add_worksheet(self.env._("Trend"))
        trend.write_row(
            0,
            0,
            [self.env._("Week"), self.env._("Commit"), self.env._("Actual"), self.env._("Accuracy")],
            head,
        )
        users = commits.user_id
        last = max(commits.mapped("week_start")) + timedelta(days=7) if commits else None
        history = measures._accuracy_history(users, last) if last else []
        weeks = sorted({h["week"] for h in history})
        for row, week in enumerate(weeks, start=1):
            points = [h for h in history if h["week"] == week]
            commit, actual = sum(p["commit"] for p in points), sum(p["actual"] for p in points)
            trend.write(row, 0, week, date)
            trend.write_number(row, 1, commit, money)
            trend.write_number(row, 2, actual, money)
            trend.write_number(row, 3, actual / commit if commit else 0.0, percent)
        trend.freeze_panes(1, 0)
        trend.autofilter(0, 0, max(len(weeks), 1), 3)
        trend.set_column(0, 3, 16)
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
