# Copyright 2026 sales_cycle_process contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from odoo import api, fields, models

from ..tools.cron import commit_progress, single_run
from ..tools.periods import local_date, week_start

_logger = logging.getLogger(__name__)

HEALTH_DIGEST_LOCK = "sales_cycle_process.health_digest"
HEALTH_DIGEST_BATCH = 50


class ScpHealthDigest(models.Model):
    """The weekly digest of stale deals, one row per user and week it was sent: the scheduler sends a user's
    digest once a week, however often it runs."""

    _name = "scp.health.digest"
    _description = "Stale Deals Digest Sent"
    _order = "week desc, id desc"
    _rec_name = "user_id"

    user_id = fields.Many2one("res.users", required=True, readonly=True, ondelete="cascade", index=True)
    week = fields.Date(required=True, readonly=True, help="The Monday of the week the digest was sent for.")
    own_count = fields.Integer(string="Own Stale Deals", readonly=True)
    team_count = fields.Integer(string="Team's Stale Deals", readonly=True)

    _sql_constraints = [
        ("user_week_unique", "unique(user_id, week)", "A user gets one stale deals digest a week."),
    ]

    # ========================================================================================
    # The weekly run
    # ========================================================================================
    @api.model
    @single_run(HEALTH_DIGEST_LOCK)
    def _cron_health_digest(self, today=None, batch_size=HEALTH_DIGEST_BATCH):
        """Each salesperson gets their stale deals, each team leader their teams' (one e-mail, both lists),
        of the companies whose digest is on. Once a week: a user who got this week's digest is skipped.
        Batched (each batch committed by the scheduler); a user whose digest fails is logged and retried by
        the next run, the others get theirs."""
        today = today or local_date(self.env, fields.Datetime.now())
        week = week_start(today)
        recipients = self._health_digest_recipients(week)
        users = self.env["res.users"].browse(sorted(recipients))
        done = 0
        for start in range(0, len(users), batch_size):
            batch = users[start : start + batch_size]
            sent = []
            for user in batch:
                own, teams = recipients[user.id]
                try:
                    with self.env.cr.savepoint():
                        self._health_digest_send(user, own, teams)
                except Exception:  # one bad digest must not cost the other users theirs
                    _logger.warning("Stale deals digest failed for user %s", user.login, exc_info=True)
                    continue
                sent.append(
                    {
                        "user_id": user.id,
                        "week": week,
                        "own_count": len(own),
                        "team_count": len(set().union(*(deals.ids for _team, deals in teams)))
                        if teams
                        else 0,
                    }
                )
            self.sudo().create(sent)
            done += len(batch)
            if not commit_progress(self.env, HEALTH_DIGEST_LOCK, done, len(users) - done):
                return
        self.env["ir.cron"]._notify_progress(done=done, remaining=0)

    @api.model
    def _health_digest_recipients(self, week):
        """``{user id: (own stale deals, [(team, its stale deals)])}``: the stale open deals of the companies
        whose digest is on, by salesperson and by team leader; users who got this week's digest, inactive
        or portal users and users without an e-mail address are left out."""
        companies = self.env["res.company"].sudo().search([("health_digest_enabled", "=", True)])
        if not companies:
            return {}
        Lead = self.env["crm.lead"].sudo()
        stale = Lead.search(
            [("type", "=", "opportunity"), ("company_id", "in", companies.ids), ("health_stale", "=", True)],
            order="user_id, id",
        )
        recipients = {}
        for user, deals in stale.filtered("user_id").grouped("user_id").items():
            recipients.setdefault(user.id, [Lead, []])[0] = deals
        for team, deals in stale.filtered("team_id.user_id").grouped("team_id").items():
            recipients.setdefault(team.user_id.id, [Lead, []])[1].append((team, deals))
        already = set(
            self.sudo().search([("week", "=", week), ("user_id", "in", list(recipients))]).user_id.ids
        )
        users = self.env["res.users"].sudo().browse(list(recipients))
        wanted = users.filtered(lambda u: u.active and not u.share and u.email and u.id not in already)
        for user in users - wanted:
            if user.id not in already:
                _logger.info("Stale deals digest: user %s has no e-mail address or is inactive", user.login)
        return {user.id: tuple(recipients[user.id]) for user in wanted}

    @api.model
    def _health_digest_rows(self, deals, lang):
        """The lines of a digest table: each deal's figures and its stage's limits, in ``lang``."""
        figures = deals._health_figures()
        base_url = deals[:1].get_base_url() if deals else ""
        rows = []
        for deal in deals.with_context(lang=lang):
            figure = figures[deal.id]
            stage = deal.stage_id
            rows.append(
                {
                    "name": deal.name,
                    "url": f"{base_url}/odoo/crm.lead/{deal.id}",
                    "partner": deal.partner_id.display_name or "",
                    "stage": stage.name,
                    "user": deal.user_id.name or "",
                    "days_in_stage": figure["days_in_stage"],
                    "max_days_in_stage": stage.health_max_days_in_stage,
                    "over_days_in_stage": bool(
                        stage.health_max_days_in_stage
                        and figure["days_in_stage"] > stage.health_max_days_in_stage
                    ),
                    "slips": figure["slips"],
                    "max_slips": stage.health_max_slips,
                    "over_slips": bool(stage.health_max_slips and figure["slips"] > stage.health_max_slips),
                    "days_without_contact": figure["days_without_contact"],
                    "max_days_without_contact": stage.health_max_days_without_contact,
                    "over_contact": bool(
                        stage.health_max_days_without_contact
                        and figure["days_without_contact"] > stage.health_max_days_without_contact
                    ),
                    "overdue_days": figure["overdue_days"],
                }
            )
        return rows

    @api.model
    def _health_digest_send(self, user, own, teams):
        """Queue ``user``'s digest (the mail scheduler sends it)."""
        lang = user.lang or self.env.lang
        digest = {
            "sections": [
                {"kind": "own", "team": "", "rows": self._health_digest_rows(own, lang)},
                *(
                    {
                        "kind": "team",
                        "team": team.with_context(lang=lang).name,
                        "rows": self._health_digest_rows(deals, lang),
                    }
                    for team, deals in teams
                ),
            ]
        }
        template = self.env.ref("sales_cycle_process.mail_template_health_digest")
        template.sudo().with_context(health_digest=digest).send_mail(
            user.id, email_layout_xmlid="mail.mail_notification_light"
        )
