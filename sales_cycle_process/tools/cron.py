"""Scheduled actions safe under Odoo's multi-process server (``--workers`` with cron workers).

Odoo already keeps two cron workers from running the same ``ir.cron`` at once (its row is locked
while it runs). These helpers also cover the methods called directly (a second "Run Manually", a
server action, a shell): a PostgreSQL advisory lock, held until the transaction ends, lets one
transaction run a job while a concurrent one skips it. No module-level state: the lock lives in
the database, so it holds across processes and machines.
"""

import functools
import logging

from odoo.modules import module

_logger = logging.getLogger(__name__)

# first key of our advisory locks ("scp" in ASCII), the second is a hash of the job's name
LOCK_NAMESPACE = 0x736370


def try_lock(env, key):
    """Take the transaction-level lock ``key``; False when another transaction holds it."""
    env.cr.execute("SELECT pg_try_advisory_xact_lock(%s, hashtext(%s))", [LOCK_NAMESPACE, key])
    return env.cr.fetchone()[0]


def single_run(key):
    """Decorate a scheduled method: a run that finds ``key`` taken skips, logging why."""

    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            if not try_lock(self.env, key):
                _logger.warning("%s is already running in another worker: this run is skipped", key)
                return None
            return method(self, *args, **kwargs)

        return wrapper

    return decorate


def commit_batch(env, key):
    """In a scheduled run (never in tests), commit the batch just done so a crash or a time-out keeps it,
    then take ``key`` again, if given. False: another worker took over the job in between, so this run
    should stop."""
    if not env.context.get("cron_id") or module.current_test:
        return True
    env.cr.commit()
    return try_lock(env, key) if key else True


def commit_progress(env, key, done, remaining):
    """Report a batch to the scheduler and commit it (``commit_batch``)."""
    env["ir.cron"]._notify_progress(done=done, remaining=remaining)
    return commit_batch(env, key)
