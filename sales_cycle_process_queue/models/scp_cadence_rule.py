import logging

from psycopg2 import errors

from odoo import api, models
from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.job import identity_exact
from odoo.addons.sales_cycle_process.models.scp_cadence_rule import CADENCE_BATCH
from odoo.tools import SQL, split_every

_logger = logging.getLogger(__name__)

# A job that meets one of these lets its transaction go and runs again later (queue_job's retry pattern):
# two jobs planning the same partners, a deadlock, a compliance row created by a concurrent job.
RETRY_ERRORS = (
    errors.SerializationFailure,
    errors.DeadlockDetected,
    errors.LockNotAvailable,
    errors.UniqueViolation,
)


class ScpCadenceRule(models.Model):
    _inherit = "scp.cadence.rule"

    @api.model
    def _cron_schedule_cadences(self, batch_size=CADENCE_BATCH):
        """With queue_job: the scheduled action only splits the work, one job per rule and batch of
        ``batch_size`` partners on the channel ``root.scp_cadence``; the job runner spreads them over the
        job workers of every Odoo server. A batch still pending from an earlier run is not queued twice."""
        rules = self.search([("active", "=", True)])
        queued = 0
        for done, rule in enumerate(rules, start=1):
            try:
                with self.env.cr.savepoint():
                    partner_ids = rule._partner_ids_to_plan()
                    rule._scp_forget_skipped(partner_ids)
                    for batch in split_every(batch_size, partner_ids):
                        rule.with_delay(
                            identity_key=identity_exact,
                            max_retries=10,
                            description=self.env._(
                                "Cadence %(rule)s: partners %(first)s to %(last)s",
                                rule=rule.name,
                                first=batch[0],
                                last=batch[-1],
                            ),
                        )._scp_job_schedule_batch(list(batch))
                        queued += 1
            except Exception:  # one broken rule must not stop the others
                _logger.warning("Cadence rule %s could not be queued", rule.display_name, exc_info=True)
            self.env["ir.cron"]._notify_progress(done=done, remaining=len(rules) - done)
        _logger.info("Cadence planning: %s jobs queued for %s rules", queued, len(rules))

    def _scp_job_schedule_batch(self, partner_ids):
        """The job: plan the rule for the batch ``partner_ids``, as the scheduled run does (idempotent: a
        partner with an open activity gets nothing new, so a job run twice plans nothing twice).

        The batch's compliance rows are updated first: a second job on the same partners waits for this one,
        then fails with a serialization error and is retried (RetryableJobError), when it sees the activities
        planned here. The partners that left the rule since the job was queued are not planned."""
        self.ensure_one()
        if not self.active:
            return "archived rule: nothing planned"
        try:
            self.env.cr.execute(
                SQL(
                    "UPDATE scp_cadence_state SET write_date = (now() AT TIME ZONE 'UTC')"
                    " WHERE rule_id = %s AND partner_id = ANY(%s)",
                    self.id,
                    list(partner_ids),
                )
            )
            Partner = self.env["res.partner"].with_context(active_test=True)
            follow = Partner.search([("id", "in", list(partner_ids)), *self._partner_domain()]).ids
            skipped = self._schedule_partners(follow)
            self._scp_set_skipped(partner_ids, skipped.ids)
            self.env.flush_all()
        except RETRY_ERRORS as error:
            raise RetryableJobError(str(error), seconds=10) from error
        return f"{len(follow)} partners planned, {len(skipped)} skipped"

    # --- the rule's skipped partners, batch by batch -----------------------------------------------------
    # Each job writes the rows of its own partners in the relation, never the rule's row: jobs of one rule
    # running at once do not collide on it.
    def _scp_set_skipped(self, partner_ids, skipped_ids):
        self.ensure_one()
        table = self._fields["skipped_partner_ids"].relation
        self.env.cr.execute(
            SQL(
                "DELETE FROM %s WHERE rule_id = %s AND partner_id = ANY(%s) AND partner_id != ALL(%s)",
                SQL.identifier(table),
                self.id,
                list(partner_ids),
                list(skipped_ids),
            )
        )
        if skipped_ids:
            self.env.cr.execute(
                SQL(
                    "INSERT INTO %s (rule_id, partner_id) SELECT %s, unnest(%s::int[])"
                    " ON CONFLICT DO NOTHING",
                    SQL.identifier(table),
                    self.id,
                    list(skipped_ids),
                )
            )
        self.invalidate_recordset(["skipped_partner_ids"])

    def _scp_forget_skipped(self, partner_ids):
        """The partners that no longer follow the rule leave its skipped list (at each run)."""
        self.ensure_one()
        table = self._fields["skipped_partner_ids"].relation
        self.env.cr.execute(
            SQL(
                "DELETE FROM %s WHERE rule_id = %s AND partner_id != ALL(%s)",
                SQL.identifier(table),
                self.id,
                list(partner_ids),
            )
        )
        self.invalidate_recordset(["skipped_partner_ids"])
