import logging
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models

from ..tools.cron import single_run
from ..tools.periods import month_end, month_start, week_start

_logger = logging.getLogger(__name__)


class ScpForecastReminder(models.AbstractModel):
    """Reminders of the rituals: weekend commit, month-end forecast, Monday summary to managers."""

    _name = "scp.forecast.reminder"
    _description = "Commit and Forecast Reminders"

    @api.model
    @single_run("sales_cycle_process.forecast_reminders")
    def _cron_send_reminders(self, today=None):
        today = today or fields.Date.context_today(self)
        teams = self.env["crm.team"].search([("member_ids", "!=", False)])
        # each reminder runs in a savepoint of its own: one that fails is logged, the others are sent
        if today.weekday() in (5, 6):  # Saturday, Sunday: the commit for next week
            self._run_step("commit reminders", self._remind_commit, teams, today)
        if (month_end(today) - today).days < 3:
            self._run_step("forecast reminders", self._remind_forecast, teams, today)
        if today.weekday() == 0:
            self._run_step("manager summary", self._manager_summary, teams, today)

    @api.model
    def _run_step(self, name, method, *args):
        try:
            with self.env.cr.savepoint():
                return method(*args)
        except Exception:  # one broken step must not stop the others
            _logger.warning("Playbook reminders: the %s failed", name, exc_info=True)
            return None

    @api.model
    def _remind_commit(self, teams, today):
        monday = week_start(today) + timedelta(days=7)
        users = self.env["scp.forecast.measures"]._non_submitters(teams, monday=monday)
        return self._remind(
            users,
            "sales_cycle_process.mail_activity_type_commit_reminder",
            monday,
            self.env._("Submit your commit for the week of %s", monday),
        )

    @api.model
    def _remind_forecast(self, teams, today):
        first = month_start(today)
        users = self.env["scp.forecast.measures"]._non_submitters(teams, first=first)
        return self._remind(
            users,
            "sales_cycle_process.mail_activity_type_forecast_reminder",
            month_end(today),
            self.env._("Submit your 12-month forecast for %s", first.strftime("%Y-%m")),
        )

    @api.model
    def _remind(self, users, type_xmlid, deadline, summary, notes=None):
        """One activity per user on their partner, unless the same reminder already exists."""
        activity_type = self.env.ref(type_xmlid)
        Activity = self.env["mail.activity"]

        def skip_user(vals, error):
            _logger.warning("Reminder for user %s skipped: %s", vals["user_id"], error)

        return Activity._scp_create_activities(
            [
                Activity._scp_activity_vals(
                    user.partner_id,
                    activity_type,
                    user,
                    summary,
                    deadline,
                    note=(notes or {}).get(user.id),
                )
                for user in users
            ],
            notify=True,
            # the same reminder: same type, user and deadline (on the user's partner)
            skip_open=("res_model_id", "activity_type_id", "user_id", "date_deadline"),
            on_error=skip_user,
        )

    @api.model
    def _manager_summary(self, teams, today):
        monday = week_start(today)
        measures = self.env["scp.forecast.measures"]
        rows = measures._consolidate(teams, today)
        notes = {}
        managers = self.env["res.users"]
        for team in teams.filtered("user_id"):
            try:
                with self.env.cr.savepoint():
                    text = self._manager_summary_text(team, rows, monday)
            except Exception:  # one broken team must not cost the other managers their summary
                _logger.warning("Manager summary failed for team %s", team.display_name, exc_info=True)
                continue
            # names are escaped into the note's markup
            notes[team.user_id.id] = notes.get(team.user_id.id, Markup()) + Markup("<p>%s</p>") % text
            managers |= team.user_id
        return self._remind(
            managers,
            "sales_cycle_process.mail_activity_type_manager_summary",
            today,
            self.env._("Monday commit consolidation"),
            notes,
        )

    @api.model
    def _manager_summary_text(self, team, rows, monday):
        """The team's line of the manager's Monday activity: the week's totals, then who has not submitted
        this week's commit and this month's forecast, with the submission rates (read from the team's row
        of ``_consolidate``: expected salespeople are the team's members)."""
        total = next(row for row in rows if row["team_id"] == team.id and row.get("is_team_total"))
        members = [row for row in rows if row["team_id"] == team.id and not row.get("is_team_total")]
        nobody = self.env._("nobody")
        return self.env._(
            "%(team)s: commit %(commit).2f, upside %(upside).2f, last week's accuracy %(accuracy).0f %%. "
            "Commit submission %(commit_rate).1f %% (%(commit_done)s of %(expected)s). "
            "Not submitted: %(missing)s. "
            "Forecast submission for %(month)s %(forecast_rate).1f %% (%(forecast_done)s of %(expected)s), "
            "not submitted: %(forecast_missing)s.",
            team=team.name,
            commit=total["commit_week"],
            upside=total["upside_week"],
            accuracy=total["accuracy"],
            commit_rate=total["commit_rate"],
            commit_done=sum(1 for row in members if row["commit_submitted"]),
            expected=len(members),
            missing=total["commit_missing"] or nobody,
            month=month_start(monday).strftime("%Y-%m"),
            forecast_rate=total["forecast_rate"],
            forecast_done=sum(1 for row in members if row["forecast_submitted"]),
            forecast_missing=total["forecast_missing"] or nobody,
        )
