"""Pipeline inspection: what changed in the pipeline between two dates, deal by deal, for the caller's scope.

``scp.pipeline.inspection`` is the period asked for (two dates); ``_scp_fill`` builds its rows,
``scp.pipeline.change``, in ONE set-based ``INSERT ... SELECT`` from Odoo's tracking values (stage, expected
revenue, expected closing through ``crm.lead._scp_closing_date_moves_query``), the deals' own dates (new,
won, lost) and the lines of the two current commits (into / out of the commit). Both are transient: each user
reads only the inspections they ran (a global record rule), and an inspection holds only the deals of the
people the caller may inspect (``_scp_inspected_users``), decided on the server.
"""

from datetime import datetime, time, timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from ..tools.periods import day_start_utc, week_start

CHANGE_KINDS = [
    ("new", "New in Pipeline"),
    ("won", "Won"),
    ("lost", "Lost"),
    ("pushed_out", "Pushed Out"),
    ("pulled_in", "Pulled In"),
    ("amount_up", "Amount Up"),
    ("amount_down", "Amount Down"),
    ("stage_up", "Stage Up"),
    ("stage_down", "Stage Down"),
    ("into_commit", "Into Commit"),
    ("out_of_commit", "Out of Commit"),
]


class ScpPipelineInspection(models.TransientModel):
    """A period of the pipeline inspection (default: since last Monday's commit, until today)."""

    _name = "scp.pipeline.inspection"
    _description = "Pipeline Inspection"

    date_from = fields.Date(string="From", required=True, default=lambda self: self._scp_default_from())
    date_to = fields.Date(string="To", required=True, default=fields.Date.context_today)
    change_ids = fields.One2many("scp.pipeline.change", "inspection_id", readonly=True)

    @api.model
    def _scp_default_from(self):
        """The week start of the latest commit the caller reads (submitted up to today), else this Monday."""
        today = fields.Date.context_today(self)
        latest = self.env["scp.sales.commit"].search_fetch(
            [("week_start", "<=", today), ("state", "=", "current")], ["week_start"], limit=1
        )
        return latest.week_start or week_start(today)

    @api.model
    def _scp_inspected_users(self):
        """Whose deals the caller inspects: ``None`` (everybody, in the allowed companies) for a sales
        manager; for a team leader who reads all documents, themselves and the members of the teams they
        lead; for a salesperson, themselves. Anybody else: AccessError."""
        user = self.env.user
        if user.share or not user.has_group("sales_team.group_sale_salesman"):
            raise AccessError(self.env._("The pipeline inspection is for the sales team."))
        if user.has_group("sales_team.group_sale_manager"):
            return None
        users = user
        if user.has_group("sales_team.group_sale_salesman_all_leads"):
            users |= self.env["crm.team"].search([("user_id", "=", user.id)]).member_ids
        return users

    def action_inspect(self):
        """Compute the changes of the period (as the server sees them) and open them."""
        self.ensure_one()
        self._scp_fill()
        return self._scp_changes_action()

    @api.model
    def _scp_open_default(self):
        """The menu's entry: an inspection of the default period, computed and opened."""
        return self.create({}).action_inspect()

    def _scp_changes_action(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_cycle_process.scp_pipeline_change_action"
        )
        action["domain"] = [("inspection_id", "=", self.id)]
        action["name"] = self.env._(
            "Pipeline Changes %(start)s – %(stop)s",
            start=fields.Date.to_string(self.date_from),
            stop=fields.Date.to_string(self.date_to),
        )
        return action

    def _scp_fill(self):
        """Replace the rows of this inspection by the changes of its period: one INSERT ... SELECT."""
        self.ensure_one()
        if self.date_to < self.date_from:
            raise UserError(self.env._("The inspection's period ends before it starts: swap the dates."))
        users = self._scp_inspected_users()
        self.change_ids.sudo().unlink()
        env = self.env
        start, stop = day_start_utc(env, self.date_from), day_start_utc(env, self.date_to + timedelta(days=1))
        field = env["ir.model.fields"]._get
        for model in ("crm.lead", "crm.stage", "crm.team", "mail.message", "mail.tracking.value"):
            env[model].flush_model()
        env["scp.sales.commit.line"].flush_model()
        companies = [*env.companies.ids]
        scope = SQL("TRUE") if users is None else SQL("l.user_id = ANY(%s)", users.ids)
        query = SQL(
            """
            WITH scope AS (
                SELECT l.id, l.user_id, l.team_id, l.company_id, l.stage_id, l.active,
                       l.date_closed, l.date_deadline, COALESCE(l.expected_revenue_company, 0) AS amount,
                       COALESCE(l.expected_revenue_company / NULLIF(l.expected_revenue, 0), 1) AS rate,
                       COALESCE(l.date_conversion, l.create_date) AS opened
                  FROM crm_lead l
                 WHERE l.type = 'opportunity'
                   AND (l.company_id IS NULL OR l.company_id = ANY(%(companies)s))
                   AND %(scope)s
            ),
            tracked AS (
                SELECT msg.res_id, tv.field_id, msg.date, tv.id,
                       tv.old_value_float, tv.new_value_float, tv.old_value_integer, tv.new_value_integer
                  FROM mail_tracking_value tv
                  JOIN mail_message msg ON msg.id = tv.mail_message_id
                 WHERE msg.model = 'crm.lead'
                   AND tv.field_id IN (%(amount_field)s, %(stage_field)s)
                   AND msg.date >= %(start)s AND msg.date < %(stop)s
            ),
            amounts AS (
                SELECT res_id, COUNT(*) AS moves,
                       (ARRAY_AGG(new_value_float ORDER BY date DESC, id DESC))[1]
                       - (ARRAY_AGG(old_value_float ORDER BY date, id))[1] AS delta
                  FROM tracked WHERE field_id = %(amount_field)s GROUP BY res_id
            ),
            stages AS (
                SELECT res_id, COUNT(*) AS moves,
                       (ARRAY_AGG(old_value_integer ORDER BY date, id))[1] AS stage_from,
                       (ARRAY_AGG(new_value_integer ORDER BY date DESC, id DESC))[1] AS stage_to
                  FROM tracked WHERE field_id = %(stage_field)s GROUP BY res_id
            ),
            moves (res_id, slips, pull_ins) AS (%(moves)s),
            weeks AS (
                SELECT c.user_id,
                       MAX(c.week_start) FILTER (WHERE c.week_start < %(date_from)s) AS week_from,
                       MAX(c.week_start) FILTER (WHERE c.week_start <= %(date_to)s) AS week_to
                  FROM scp_sales_commit c
                 WHERE c.state = 'current' AND c.user_id IN (SELECT user_id FROM scope)
              GROUP BY c.user_id
            ),
            committed AS (
                SELECT ln.lead_id, ln.amount, ln.week_start = w.week_from AS is_from,
                       ln.week_start = w.week_to AS is_to
                  FROM scp_sales_commit_line ln
                  JOIN weeks w ON w.user_id = ln.user_id AND ln.week_start IN (w.week_from, w.week_to)
                 WHERE ln.state = 'current' AND ln.category = 'commit' AND ln.lead_id IS NOT NULL
            ),
            commit_moves AS (
                SELECT lead_id, BOOL_OR(is_from) AS was_in, BOOL_OR(is_to) AS is_in,
                       MAX(amount) FILTER (WHERE is_from) AS amount_from,
                       MAX(amount) FILTER (WHERE is_to) AS amount_to
                  FROM committed GROUP BY lead_id
            ),
            changes AS (
                SELECT id AS lead_id, 'new' AS kind, 1 AS moves, 0.0 AS change,
                       NULL::int AS stage_from, NULL::int AS stage_to
                  FROM scope WHERE opened >= %(start)s AND opened < %(stop)s
                UNION ALL
                SELECT s.id, 'won', 1, 0.0, NULL, NULL
                  FROM scope s JOIN crm_stage st ON st.id = s.stage_id
                 WHERE s.active AND st.is_won AND s.date_closed >= %(start)s AND s.date_closed < %(stop)s
                UNION ALL
                SELECT id, 'lost', 1, 0.0, NULL, NULL
                  FROM scope
                 WHERE NOT active AND date_closed >= %(start)s AND date_closed < %(stop)s
                UNION ALL
                SELECT res_id, 'pushed_out', slips, 0.0, NULL, NULL FROM moves WHERE slips > 0
                UNION ALL
                SELECT res_id, 'pulled_in', pull_ins, 0.0, NULL, NULL FROM moves WHERE pull_ins > 0
                UNION ALL
                SELECT a.res_id, CASE WHEN a.delta > 0 THEN 'amount_up' ELSE 'amount_down' END, a.moves,
                       a.delta * s.rate, NULL, NULL
                  FROM amounts a JOIN scope s ON s.id = a.res_id
                 WHERE a.delta <> 0
                UNION ALL
                SELECT g.res_id,
                       CASE WHEN (b.sequence, b.id) > (a.sequence, a.id) THEN 'stage_up'
                            ELSE 'stage_down' END,
                       g.moves, 0.0, g.stage_from, g.stage_to
                  FROM stages g
                  JOIN crm_stage a ON a.id = g.stage_from
                  JOIN crm_stage b ON b.id = g.stage_to
                 WHERE g.stage_from <> g.stage_to
                UNION ALL
                SELECT lead_id, CASE WHEN is_in THEN 'into_commit' ELSE 'out_of_commit' END, 1,
                       CASE WHEN is_in THEN amount_to ELSE -amount_from END, NULL, NULL
                  FROM commit_moves WHERE is_in IS DISTINCT FROM was_in
            )
            INSERT INTO scp_pipeline_change (
                inspection_id, date_from, date_to, lead_id, user_id, team_id, region_id, company_id, kind,
                moves, amount, change, stage_from_id, stage_to_id, date_deadline,
                create_uid, create_date, write_uid, write_date)
            SELECT %(inspection)s, %(date_from)s, %(date_to)s, s.id, s.user_id, s.team_id, t.region_id,
                   s.company_id, c.kind, c.moves, s.amount, c.change, c.stage_from, c.stage_to,
                   s.date_deadline, %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s, NOW() AT TIME ZONE 'UTC'
              FROM changes c
              JOIN scope s ON s.id = c.lead_id
         LEFT JOIN crm_team t ON t.id = s.team_id
            """,
            companies=companies,
            scope=scope,
            amount_field=field("crm.lead", "expected_revenue").id,
            stage_field=field("crm.lead", "stage_id").id,
            start=start,
            stop=stop,
            moves=env["crm.lead"]._scp_closing_date_moves_query(start, stop),
            date_from=self.date_from,
            date_to=self.date_to,
            inspection=self.id,
            uid=env.uid,
        )
        # PostgreSQL's JIT would compile this large statement for seconds on each run (its row estimates
        # through the CTEs are high): off for this statement only, back to the session's setting after it
        env.cr.execute(SQL("SET LOCAL jit = off; %s; RESET jit", query))
        env["scp.pipeline.change"].invalidate_model()
        self.invalidate_recordset(["change_ids"])
        return True

    # --- demo ---------------------------------------------------------------------------------------------
    @api.model
    def _scp_demo_pipeline_history(self):
        """Demo data (``demo/forecast_inspection_demo.xml``): Marc Demo's deals' history, dated this Monday
        morning (UTC), before his commit of the week: one deal won, one lost, one pushed out twice, one
        pulled in, amounts up and down, stages up and down. Idempotent: does nothing once the history is
        there (the demo file is loaded again on each update)."""

        def ref(name):
            return self.env.ref(f"sales_cycle_process.{name}", raise_if_not_found=False)

        slipped = ref("demo_inspection_lead_slipped")
        if not slipped or slipped.message_ids.tracking_value_ids.filtered(
            lambda tracking: tracking.field_id.name == "date_deadline"
        ):
            return False
        Lead = self.env["crm.lead"].sudo().with_context(tracking_disable=False, mail_notrack=False)
        monday = week_start(fields.Date.context_today(self))
        today = fields.Date.context_today(self)
        info = Lead.fields_get(["date_deadline", "expected_revenue", "stage_id"])
        Tracking = self.env["mail.tracking.value"]
        messages = []

        def log(lead, hour, **changes):
            """A chatter note of the deal with these tracked changes ``field=(old, new)``, at ``hour``."""
            lead = Lead.browse(lead.id)
            message = lead._message_log(
                tracking_value_ids=[
                    Command.create(Tracking._create_tracking_values(old, new, name, info[name], lead))
                    for name, (old, new) in changes.items()
                ]
            )
            messages.append((message.id, datetime.combine(monday, time(hour))))

        stage = self.env.ref
        commit_lead = ref("demo_forecast_measures_lead_commit")
        log(slipped, 5, date_deadline=(monday - timedelta(days=1), today + timedelta(days=16)))
        log(slipped, 6, date_deadline=(today + timedelta(days=16), today + timedelta(days=30)))
        log(
            ref("demo_inspection_lead_up"),
            6,
            date_deadline=(today + timedelta(days=40), today + timedelta(days=20)),
        )
        log(ref("demo_inspection_lead_up"), 6, stage_id=(stage("crm.stage_lead1"), stage("crm.stage_lead2")))
        log(
            ref("demo_inspection_lead_down"), 6, stage_id=(stage("crm.stage_lead3"), stage("crm.stage_lead1"))
        )
        log(ref("demo_inspection_lead_down"), 7, expected_revenue=(9000.0, 6000.0))
        if commit_lead:
            log(commit_lead, 7, expected_revenue=(8000.0, 10000.0))
        # won and lost for real (as the data loading does: the superuser), dated this Monday morning too
        won, lost = (
            Lead.browse(ref("demo_inspection_lead_won").id),
            Lead.browse(ref("demo_inspection_lead_lost").id),
        )
        won.action_set_won()
        lost.action_set_lost()
        self.env.flush_all()
        self.env.cr.flush()  # the tracking of won and lost is written now (precommit)
        moment = datetime.combine(monday, time(7))
        self.env.cr.execute(
            "UPDATE crm_lead SET date_closed = %s WHERE id IN %s", [moment, (won.id, lost.id)]
        )
        self.env.cr.execute(
            "UPDATE mail_message SET date = %s WHERE model = 'crm.lead' AND res_id IN %s AND date > %s",
            [moment, (won.id, lost.id), moment],
        )
        for message_id, when in messages:
            self.env.cr.execute("UPDATE mail_message SET date = %s WHERE id = %s", [when, message_id])
        self.env.invalidate_all()
        return True


class ScpPipelineChange(models.TransientModel):
    """One change of one deal in an inspection's period: what kind, how often, by how much."""

    _name = "scp.pipeline.change"
    _description = "Pipeline Change"
    _order = "kind, user_id, id"
    _rec_name = "lead_id"
    # The table is made by init() without foreign keys: rows are written by one INSERT ... SELECT, and ten
    # foreign-key triggers per row would cost 4 times the query itself (make bench). The rows live as long
    # as a wizard's (the transient vacuum); a deal deleted meanwhile shows as a missing record.
    _auto = False
    _log_access = True

    def init(self):
        self.env.cr.execute(
            """
            CREATE TABLE IF NOT EXISTS scp_pipeline_change (
                id SERIAL PRIMARY KEY,
                inspection_id INTEGER NOT NULL,
                date_from DATE,
                date_to DATE,
                lead_id INTEGER,
                user_id INTEGER,
                team_id INTEGER,
                region_id INTEGER,
                company_id INTEGER,
                kind VARCHAR NOT NULL,
                moves INTEGER,
                amount NUMERIC,
                change NUMERIC,
                stage_from_id INTEGER,
                stage_to_id INTEGER,
                date_deadline DATE,
                create_uid INTEGER,
                create_date TIMESTAMP,
                write_uid INTEGER,
                write_date TIMESTAMP
            );
            CREATE INDEX IF NOT EXISTS scp_pipeline_change_inspection_id_index
                ON scp_pipeline_change (inspection_id);
            """
        )

    inspection_id = fields.Many2one("scp.pipeline.inspection", required=True, index=True)
    date_from = fields.Date(string="From", readonly=True)
    date_to = fields.Date(string="To", readonly=True)
    lead_id = fields.Many2one("crm.lead", string="Deal", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    region_id = fields.Many2one("scp.sales.region", string="Region", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    kind = fields.Selection(CHANGE_KINDS, string="Kind of Change", required=True, readonly=True)
    moves = fields.Integer(
        string="Times",
        readonly=True,
        aggregator="sum",
        help="How often it happened in the period (e.g. how many times the expected closing was pushed out).",
    )
    amount = fields.Monetary(
        string="Deal Amount",
        readonly=True,
        help="The deal's expected revenue today, in the company currency.",
    )
    change = fields.Monetary(
        readonly=True,
        help="Amount up/down: the change of the expected revenue over the period; into/out of commit: the "
        "committed amount added or taken out (company currency).",
    )
    stage_from_id = fields.Many2one("crm.stage", string="Stage Before", readonly=True)
    stage_to_id = fields.Many2one("crm.stage", string="Stage After", readonly=True)
    date_deadline = fields.Date(string="Expected Closing", readonly=True)
