"""What a weekly commit and a monthly forecast share: whose snapshot it is, when and by whom it was submitted,
current or superseded, and that nobody changes it afterwards.

- ``scp.salesperson.mixin``: the salesperson, team, company and currency block (snapshots and their wizards),
  and who may submit for whom (``_check_submitter``).
- ``scp.snapshot.immutable.mixin``: a submitted record is writable by nobody and never deleted; the server's
  own changes go through the private ``_write_system``.
- ``scp.snapshot.mixin``: the snapshot itself (``scp.sales.commit``, ``scp.sales.forecast``): the submission
  fields, the supersede step, one current snapshot per salesperson and period.
- ``scp.snapshot.line.mixin``: a snapshot's lines, created with it and never afterwards.
"""

import contextvars
import logging

from psycopg2 import errors as pg_errors

from odoo import api, fields, models, tools
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

SNAPSHOT_STATES = [("current", "Current"), ("superseded", "Superseded")]
# How many snapshots (commit or forecast) this thread's own server code is creating right now: their lines
# are created inside that create() and nowhere else (no context key a client could send).
_CREATING_SNAPSHOTS = contextvars.ContextVar("scp_creating_snapshots", default=0)


class ScpSalespersonMixin(models.AbstractModel):
    """Whose commit or forecast it is: salesperson, team, company and its currency (snapshots and
    their wizards)."""

    _name = "scp.salesperson.mixin"
    _description = "Salesperson, Team and Company"

    user_id = fields.Many2one("res.users", string="Salesperson", required=True, readonly=True, index=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True, index=True)
    company_id = fields.Many2one(
        "res.company", default=lambda self: self.env.company, readonly=True, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")

    @api.model
    def _check_submitter(self, user, team):
        """Who a snapshot is for and in which team, decided on the server whatever the wizard sent.

        The caller submits for themselves, in a team they belong to (or lead). Somebody else's commit or
        forecast is submitted only by the leader of that salesperson's team or a sales administrator
        (``sales_team.group_sale_manager``), e.g. for a salesperson on holiday. Returns (user, team)."""
        caller = self.env.user
        user = user.exists() if user else user
        if not user or len(user) != 1 or user.share:
            raise UserError(self.env._("Choose the salesperson the commit or forecast is for."))
        if not team:
            raise UserError(
                self.env._(
                    "%(user)s is not in any sales team, so nobody would consolidate this commit or forecast. "
                    "Ask your manager to add you to a team first.",
                    user=user.name,
                )
            )
        team = team.exists()
        if len(team) != 1 or not team.has_access("read"):
            raise AccessError(self.env._("Choose one of your own sales teams."))
        if user not in team.member_ids and user != team.user_id:
            raise UserError(
                self.env._(
                    "%(user)s is not a member of the sales team %(team)s: a commit or forecast is "
                    "consolidated in its salesperson's own team.",
                    user=user.name,
                    team=team.name,
                )
            )
        if user != caller and not (
            self.env.su or team.user_id == caller or caller.has_group("sales_team.group_sale_manager")
        ):
            raise AccessError(
                self.env._(
                    "You can submit your own commit and forecast only: the leader of %(team)s submits for "
                    "%(user)s if needed.",
                    team=team.name,
                    user=user.name,
                )
            )
        return user, team


class ScpSnapshotImmutableMixin(models.AbstractModel):
    """A submitted record (a snapshot or one of its lines): readable by its audience, writable by nobody.

    Only the submit flow (``_submit``, after its checks) creates snapshots, in sudo: no role has create
    rights on them. What the server itself still changes (the supersede link, a merged deal) goes through
    the private ``_write_system``."""

    _name = "scp.snapshot.immutable.mixin"
    _description = "Immutable Snapshot Record"

    def _check_snapshot_write(self, vals):
        forbidden = [
            name for name in vals if not name.startswith(("message_", "activity_", "website_message"))
        ]
        if forbidden:
            raise UserError(self.env._("A submitted snapshot cannot be changed: submit a new one instead."))

    def write(self, vals):
        self._check_snapshot_write(vals)
        return super().write(vals)

    def _write_system(self, vals):
        """The server's own changes to a snapshot (superseded by a new one, a deal merged into another):
        a private method, so no client can call it, and write() itself refuses every client."""
        # the write of the models after this mixin: past the refusal above, and only from here
        return super(ScpSnapshotImmutableMixin, self.sudo()).write(vals)  # pylint: disable=super-method-mismatch

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(
            self.env._("A submitted snapshot cannot be deleted: it is the record of what was said.")
        )


class ScpSnapshotMixin(models.AbstractModel):
    """A submitted commit or forecast: who it is for, who submitted it when, current or superseded.

    Each model sets ``_scp_current_keys`` (the salesperson and period columns: one current snapshot per
    key) and ``_scp_current_index`` (the partial unique index saying so), and points ``superseded_by_id``
    at itself."""

    _name = "scp.snapshot.mixin"
    _description = "Immutable Snapshot"
    _inherit = ["scp.salesperson.mixin", "scp.snapshot.immutable.mixin"]

    # The partial unique index: one current snapshot per salesperson and period (its columns)
    _scp_current_index = None
    _scp_current_keys = ()

    submitted_on = fields.Datetime(readonly=True, default=fields.Datetime.now)
    submitted_by_id = fields.Many2one(
        "res.users",
        string="Submitted By",
        readonly=True,
        help="The salesperson, or the team leader for them.",
    )
    state = fields.Selection(SNAPSHOT_STATES, default="current", readonly=True, index=True)
    # each model redeclares the comodel: the snapshot of the same model that replaced this one
    superseded_by_id = fields.Many2one("scp.snapshot.mixin", readonly=True, string="Replaced by")

    def init(self):
        res = super().init()
        if self._scp_current_index:
            self._create_current_index(self._scp_current_keys)
        return res

    @api.model_create_multi
    def create(self, vals_list):
        token = _CREATING_SNAPSHOTS.set(_CREATING_SNAPSHOTS.get() + 1)
        try:
            return super().create(vals_list)
        finally:
            _CREATING_SNAPSHOTS.reset(token)

    def _create_current_index(self, columns):
        """One current snapshot per salesperson and period, also against two simultaneous submissions:
        a partial unique index (``_sql_constraints`` cannot say ``WHERE``). Older duplicates (from before
        the index) are superseded by the newest first, so that the index can be created."""
        cr, table = self.env.cr, self._table
        if tools.index_exists(cr, self._scp_current_index):
            return
        table_sql = SQL.identifier(table)
        keys = SQL(", ").join(SQL.identifier(column) for column in columns)
        cr.execute(
            SQL(
                """
                UPDATE %(table)s old SET state = 'superseded', superseded_by_id = newest.id
                  FROM (SELECT DISTINCT ON (%(keys)s) id, %(keys)s FROM %(table)s
                         WHERE state = 'current' ORDER BY %(keys)s, submitted_on DESC, id DESC) newest
                 WHERE old.state = 'current' AND old.id != newest.id AND %(same)s
                """,
                table=table_sql,
                keys=keys,
                same=SQL(" AND ").join(
                    SQL("%s = %s", SQL.identifier("old", column), SQL.identifier("newest", column))
                    for column in columns
                ),
            )
        )
        if cr.rowcount:
            _logger.warning("%s: %s duplicate current snapshots superseded by the newest", table, cr.rowcount)
        cr.execute(
            SQL(
                "CREATE UNIQUE INDEX %s ON %s (%s) WHERE state = 'current'",
                SQL.identifier(self._scp_current_index),
                table_sql,
                keys,
            )
        )

    @api.model
    def _snapshot_vals(self, user, team):
        """The values every snapshot records at submission, for ``user`` and ``team`` checked by
        ``_check_submitter``: whose it is, in which team and company, submitted by the caller."""
        return {
            "user_id": user.id,
            "team_id": team.id,
            "company_id": (team.company_id or self.env.company).id,
            "submitted_by_id": self.env.uid,
        }

    @api.model
    def _store_snapshot(self, vals, key_domain):
        """Create the snapshot checked by ``_submit`` (in sudo: nobody has create rights) and supersede
        the current one of the same salesperson and period. Returns it in the caller's environment."""
        Snapshot = self.sudo()
        previous = Snapshot.search([*key_domain, ("state", "=", "current")])
        try:
            with self.env.cr.savepoint():
                if previous:
                    previous._write_system({"state": "superseded"})
                    previous.flush_recordset(["state"])
                snapshot = Snapshot.create(vals)
                snapshot.flush_recordset()
        except pg_errors.UniqueViolation as error:
            if error.diag.constraint_name != self._scp_current_index:
                raise
            raise UserError(
                self.env._(
                    "Another %(what)s for the same salesperson and period was submitted at the same moment. "
                    "Open it again and submit once more to replace it.",
                    what=self._description.lower(),
                )
            ) from None
        if previous:
            previous._write_system({"superseded_by_id": snapshot.id})
            snapshot.sudo().message_post(
                body=self.env._(
                    "This snapshot replaces the one submitted on %(date)s.", date=previous[0].submitted_on
                )
            )
        return snapshot.with_env(self.env)


class ScpSnapshotLineMixin(models.AbstractModel):
    """A line of a snapshot: created inside its snapshot's create() and never afterwards, then immutable."""

    _name = "scp.snapshot.line.mixin"
    _description = "Immutable Snapshot Line"
    _inherit = ["scp.snapshot.immutable.mixin"]

    @api.model
    def _creating_snapshot(self):
        """Whether this thread's server code is creating a snapshot right now (its lines with it)."""
        return bool(_CREATING_SNAPSHOTS.get())

    @api.model_create_multi
    def create(self, vals_list):
        if not self._creating_snapshot():
            raise AccessError(
                self.env._(
                    "The lines of a commit or forecast are recorded when it is submitted: a submitted "
                    "one gets no new line. Submit a new one instead."
                )
            )
        return super().create(vals_list)
