"""Ladder calibration: for each rung of the ladder, per team and creation month, the deals that reached it
and how they ended, the measured win rate with its 95 % Wilson score interval beside the stage's nominal
probability, and the accuracy of Odoo's predictive score against the ladder's on the deals that closed.

A SQL view over ``crm.lead``: a deal reached a stage when its highest stage reached
(``crm.lead.ladder_reached_stage_id``, kept by the server) is that stage or above it in the ladder order, so
the view is one GROUP BY of the deals by highest stage reached, spread over the stages below. The view holds
only counts and sums, which add up; the rates and intervals are computed from them in Python
(``calibration_figures``), for a row as for a group of rows (``read_group``), so a team's or a quarter's
figures are those of its deals, not an average of monthly rates.
"""

import logging
import math

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

Z_95 = 1.959963984540054  # the normal quantile of a two-sided 95 % interval

# the view's additive columns, and what is computed from them
COUNT_FIELDS = (
    "reached_count",
    "won_count",
    "lost_count",
    "open_count",
    "scored_count",
    "score_sq_error",
    "nominal_sq_error",
)
DERIVED_FIELDS = (
    "win_rate",
    "wilson_low",
    "wilson_high",
    "significant",
    "suggested_probability",
    "score_brier",
    "nominal_brier",
)


def wilson_interval(won, closed, z=Z_95):
    """The Wilson score interval of a proportion ``won`` / ``closed``, as (low, high) ratios (0-1);
    (0.0, 1.0) without sample."""
    if not closed:
        return 0.0, 1.0
    p = won / closed
    denominator = 1 + z * z / closed
    centre = (p + z * z / (2 * closed)) / denominator
    half = z * math.sqrt(p * (1 - p) / closed + z * z / (4 * closed * closed)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def calibration_figures(won, lost, nominal, scored=0, score_sq_error=0.0, nominal_sq_error=0.0):
    """The calibration of one stage from its counts: measured win rate (won / (won + lost)), its 95 %
    Wilson interval and, when the nominal probability lies outside it, the suggested probability (the
    measured rate, rounded to the percent); the Brier scores of the predictive score and of the ladder's
    probability over the ``scored`` closed deals. Percentages (0-100); False where there is no sample."""
    closed = won + lost
    figures = dict.fromkeys(DERIVED_FIELDS, False)
    if closed:
        low, high = wilson_interval(won, closed)
        rate = 100.0 * won / closed
        significant = not (100.0 * low <= nominal <= 100.0 * high)
        figures.update(
            win_rate=rate,
            wilson_low=100.0 * low,
            wilson_high=100.0 * high,
            significant=significant,
            suggested_probability=float(round(rate)) if significant else False,
        )
    if scored:
        figures.update(score_brier=score_sq_error / scored, nominal_brier=nominal_sq_error / scored)
    return figures


class ScpLadderCalibration(models.Model):
    _name = "scp.ladder.calibration"
    _description = "Ladder Calibration"
    _auto = False
    _order = "stage_sequence, stage_id, team_id, create_month desc"
    _rec_name = "stage_id"

    stage_id = fields.Many2one("crm.stage", string="Stage", readonly=True)
    stage_sequence = fields.Integer(readonly=True, aggregator=None)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    create_month = fields.Date(string="Created", readonly=True, help="The month the deals were created in.")
    nominal_probability = fields.Float(
        string="Nominal (%)", readonly=True, aggregator="avg", help="The stage's probability on the ladder."
    )
    reached_count = fields.Integer(
        string="Reached", readonly=True, help="Deals that were ever at this stage or above."
    )
    won_count = fields.Integer(string="Won", readonly=True)
    lost_count = fields.Integer(string="Lost", readonly=True)
    open_count = fields.Integer(string="Still Open", readonly=True)
    scored_count = fields.Integer(
        string="Closed & Scored",
        readonly=True,
        help="Deals closed from this stage whose predictive score at closing is known.",
    )
    score_sq_error = fields.Float(readonly=True, aggregator="sum")
    nominal_sq_error = fields.Float(readonly=True, aggregator="sum")
    # computed from the counts (see _fetch_query and read_group): the view gives NULL
    win_rate = fields.Float(string="Measured (%)", readonly=True, aggregator="avg")
    wilson_low = fields.Float(string="95% Low (%)", readonly=True, aggregator="avg")
    wilson_high = fields.Float(string="95% High (%)", readonly=True, aggregator="avg")
    significant = fields.Boolean(
        string="Off the Ladder",
        readonly=True,
        aggregator="bool_or",
        help="The nominal probability lies outside the 95 % interval of the measured win rate.",
    )
    suggested_probability = fields.Float(string="Suggested (%)", readonly=True, aggregator="avg")
    score_brier = fields.Float(
        string="Predictive Score Brier",
        readonly=True,
        aggregator="avg",
        help="Mean squared error of Odoo's predictive score at closing against the outcome (0 is perfect, "
        "lower is better).",
    )
    nominal_brier = fields.Float(
        string="Ladder Brier",
        readonly=True,
        aggregator="avg",
        help="Mean squared error of the ladder's probability at closing against the outcome, on the same "
        "deals.",
    )

    @property
    def _table_query(self):
        return SQL(
            """
            WITH deal AS (
                -- one scan of the deals: grouped by team, month, highest stage reached and closing stage
                SELECT l.team_id, l.company_id, date_trunc('month', l.create_date)::date AS create_month,
                       l.ladder_reached_stage_id AS top_id, l.ladder_close_stage_id AS close_id,
                       count(*) FILTER (WHERE l.active AND cur.is_won) AS won,
                       count(*) FILTER (WHERE NOT l.active AND l.probability = 0) AS lost,
                       count(*) FILTER (WHERE l.active AND cur.is_won IS NOT TRUE) AS open,
                       count(*) FILTER (WHERE closed.scored) AS scored,
                       sum(power(l.ladder_close_score / 100.0 - closed.won, 2)) FILTER (WHERE closed.scored)
                           AS score_sq,
                       sum(power(l.ladder_close_nominal / 100.0 - closed.won, 2)) FILTER (WHERE closed.scored)
                           AS nominal_sq
                  FROM crm_lead l
                  LEFT JOIN crm_stage cur ON cur.id = l.stage_id
                 CROSS JOIN LATERAL (
                     -- a deal closed won or lost whose predictive score at closing is known
                     SELECT l.ladder_close_score IS NOT NULL
                            AND (l.active AND cur.is_won IS TRUE OR NOT l.active AND l.probability = 0)
                            AS scored,
                            (l.active AND cur.is_won IS TRUE)::int AS won
                 ) closed
                 WHERE l.type = 'opportunity' AND l.ladder_reached_stage_id IS NOT NULL
                 GROUP BY 1, 2, 3, 4, 5
            ), reached AS (
                SELECT s.id AS stage_id, d.team_id, d.company_id, d.create_month,
                       sum(d.won + d.lost + d.open) AS reached, sum(d.won) AS won, sum(d.lost) AS lost,
                       sum(d.open) AS open, 0 AS scored, 0.0 AS score_sq, 0.0 AS nominal_sq
                  FROM deal d
                  JOIN crm_stage top ON top.id = d.top_id
                  JOIN crm_stage s ON (s.sequence, s.id) <= (top.sequence, top.id) AND s.is_won IS NOT TRUE
                                  AND (s.team_id IS NULL OR s.team_id = d.team_id)
                 WHERE d.won + d.lost + d.open > 0
                 GROUP BY s.id, d.team_id, d.company_id, d.create_month
            ), scored AS (
                SELECT d.close_id AS stage_id, d.team_id, d.company_id, d.create_month,
                       0 AS reached, 0 AS won, 0 AS lost, 0 AS open, sum(d.scored) AS scored,
                       sum(d.score_sq) AS score_sq, sum(d.nominal_sq) AS nominal_sq
                  FROM deal d
                 WHERE d.close_id IS NOT NULL AND d.scored > 0
                 GROUP BY d.close_id, d.team_id, d.company_id, d.create_month
            )
            SELECT (u.stage_id::bigint << 40)
                   + (coalesce(u.team_id, 524288 + u.company_id)::bigint << 20)
                   + (extract(year FROM u.create_month) * 12
                      + extract(month FROM u.create_month))::bigint AS id,
                   u.stage_id, s.sequence AS stage_sequence, u.team_id, u.company_id, u.create_month,
                   s.probability AS nominal_probability,
                   sum(u.reached)::int AS reached_count, sum(u.won)::int AS won_count,
                   sum(u.lost)::int AS lost_count, sum(u.open)::int AS open_count,
                   sum(u.scored)::int AS scored_count, sum(u.score_sq) AS score_sq_error,
                   sum(u.nominal_sq) AS nominal_sq_error,
                   NULL::float AS win_rate, NULL::float AS wilson_low, NULL::float AS wilson_high,
                   NULL::boolean AS significant, NULL::float AS suggested_probability,
                   NULL::float AS score_brier, NULL::float AS nominal_brier
              FROM (SELECT * FROM reached UNION ALL SELECT * FROM scored) u
              JOIN crm_stage s ON s.id = u.stage_id
             GROUP BY u.stage_id, s.sequence, s.probability, u.team_id, u.company_id, u.create_month
            """
        )

    # ----------------------------------------------------------------------------------------------
    # the figures computed from the counts, for rows and for groups
    # ----------------------------------------------------------------------------------------------
    def _fetch_query(self, query, fields):
        fetched = super()._fetch_query(query, fields)
        if any(field.name in DERIVED_FIELDS for field in fields):
            cache = self.env.cache
            for record in fetched:
                figures = calibration_figures(
                    record.won_count,
                    record.lost_count,
                    record.nominal_probability,
                    record.scored_count,
                    record.score_sq_error,
                    record.nominal_sq_error,
                )
                for fname, value in figures.items():
                    cache.set(record, self._fields[fname], value)
        return fetched

    @api.model
    def read_group(self, domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True):
        names = {spec.split(":")[0].split("(")[0] for spec in fields}
        wanted = names & set(DERIVED_FIELDS)
        if not wanted:
            return super().read_group(domain, fields, groupby, offset, limit, orderby, lazy)
        specs = [spec for spec in fields if spec.split(":")[0] not in DERIVED_FIELDS]
        specs += [f"{fname}:sum" for fname in COUNT_FIELDS if fname not in names]
        if "nominal_probability" not in names:
            specs.append("nominal_probability:avg")
        groups = super().read_group(domain, specs, groupby, offset, limit, orderby, lazy)
        for group in groups:
            figures = calibration_figures(
                group.get("won_count") or 0,
                group.get("lost_count") or 0,
                group.get("nominal_probability") or 0.0,
                group.get("scored_count") or 0,
                group.get("score_sq_error") or 0.0,
                group.get("nominal_sq_error") or 0.0,
            )
            group.update({fname: figures[fname] for fname in wanted})
        return groups

    @api.model
    def _calibration_by_stage(self, domain, by_team=False):
        """``{stage: figures}`` over the rows matching ``domain`` (the caller's record rules apply), or
        ``{(team, stage): figures}`` with ``by_team``: the counts added up per stage, then the figures; one
        query."""
        groupby = ["team_id", "stage_id"] if by_team else ["stage_id"]
        rows = self._read_group(domain, groupby, [f"{fname}:sum" for fname in COUNT_FIELDS])
        result = {}
        for row in rows:
            keys, counts = row[: len(groupby)], row[len(groupby) :]
            stage = keys[-1]
            values = dict(zip(COUNT_FIELDS, counts, strict=True))
            values.update(
                calibration_figures(
                    values["won_count"],
                    values["lost_count"],
                    stage.probability,
                    values["scored_count"],
                    values["score_sq_error"] or 0.0,
                    values["nominal_sq_error"] or 0.0,
                )
            )
            result[tuple(keys) if by_team else stage] = values

        def order(item):
            key = item[0]
            stage = key[-1] if by_team else key
            team = (key[0].name or "") if by_team else ""
            return (team, stage.sequence, stage.id)

        return dict(sorted(result.items(), key=order))

    # ----------------------------------------------------------------------------------------------
    # a manager applies a suggestion
    # ----------------------------------------------------------------------------------------------
    def action_apply_suggestion(self):
        """Set each stage of the selected rows to the win rate measured over these rows, where it differs
        significantly from the stage's probability. Sales managers only; nothing else changes the ladder."""
        if not self.env.user.has_group("sales_team.group_sale_manager"):
            raise AccessError(self.env._("Only a sales manager changes the probabilities of the ladder."))
        by_stage = self._calibration_by_stage([("id", "in", self.ids)])
        applied = []
        for stage, figures in by_stage.items():
            if not figures["significant"]:
                continue
            old = stage.probability
            stage.write({"probability": figures["suggested_probability"]})
            applied.append(
                self.env._(
                    "%(stage)s: %(old)s %% → %(new)s %% (won %(won)s of %(closed)s)",
                    stage=stage.name,
                    old=round(old),
                    new=round(figures["suggested_probability"]),
                    won=figures["won_count"],
                    closed=figures["won_count"] + figures["lost_count"],
                )
            )
            _logger.info(
                "Ladder calibration: %s set stage %s (%s) from %s %% to %s %% (won %s, lost %s)",
                self.env.user.login,
                stage.name,
                stage.id,
                old,
                figures["suggested_probability"],
                figures["won_count"],
                figures["lost_count"],
            )
        if not applied:
            raise UserError(
                self.env._(
                    "No stage of the selected rows differs significantly from its measured win rate: "
                    "the ladder stays as it is."
                )
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Ladder probabilities updated"),
                "message": "; ".join(applied),
                "type": "success",
                "sticky": False,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    # ----------------------------------------------------------------------------------------------
    # demo: a year of closed deals per team, so that the report has figures on first login
    # ----------------------------------------------------------------------------------------------
    @api.model
    def _calibration_demo_history(self, team_xmlids):
        """Closed (and a few open) deals created over the past twelve months for each team, with the
        highest stage each reached and their figures at closing. Idempotent: does nothing when the deals
        exist."""
        Lead = self.env["crm.lead"].sudo().with_context(active_test=False, tracking_disable=True)
        if Lead.search_count([("name", "=like", "Past deal %")], limit=1):
            return
        ref = self.env.ref
        ladder = [
            ref("crm.stage_lead1"),
            ref("crm.stage_lead2"),
            ref("sales_cycle_process.stage_ladder_purchase_intent"),
            ref("crm.stage_lead3"),
            ref("sales_cycle_process.stage_ladder_proposal_accepted"),
            ref("sales_cycle_process.stage_ladder_chosen"),
            ref("sales_cycle_process.stage_ladder_negotiated"),
        ]
        won_stage = ref("crm.stage_lead4")
        # (highest rung reached, outcome, how many): fewer deals past "Purchase intent" than the ladder says
        fates = [
            (7, "won", 12),
            (0, "lost", 10),
            (1, "lost", 14),
            (2, "lost", 14),
            (3, "lost", 5),
            (4, "lost", 4),
            (5, "lost", 3),
            (6, "lost", 1),
            (1, "open", 3),
            (3, "open", 2),
        ]
        vals_list, dates = [], []
        today = fields.Date.context_today(self)
        number = 0
        for team_number, xmlid in enumerate(team_xmlids):
            team = ref(xmlid, raise_if_not_found=False)
            if not team:
                continue
            for highest, outcome, count in fates:
                # each team a little different
                for index in range(count + (team_number if outcome == "lost" and highest == 1 else 0)):
                    number += 1
                    closed_from = ladder[6] if outcome == "won" else ladder[highest]
                    score = (55 + index * 7 % 40) if outcome == "won" else (10 + index * 13 % 60)
                    stage = won_stage if outcome == "won" else ladder[highest]
                    vals_list.append(
                        {
                            "name": f"Past deal {number:03d} ({team.name})",
                            "type": "opportunity",
                            "team_id": team.id,
                            "user_id": team.user_id.id or self.env.ref("base.user_admin").id,
                            "stage_id": stage.id,
                            "expected_revenue": 20000 + (number * 3700) % 90000,
                            "active": outcome != "lost",
                            "probability": 0 if outcome == "lost" else stage.probability,
                            "ladder_reached_stage_id": stage.id,
                            "ladder_close_stage_id": closed_from.id if outcome != "open" else False,
                            "ladder_close_nominal": closed_from.probability if outcome != "open" else 0.0,
                            "ladder_close_score": score if outcome != "open" else 0.0,
                        }
                    )
                    # created 3 to 12 months ago, closed 20 days later: the history ends before the
                    # weeks the demo's commits, bookings and bias read
                    months = 3 + number % 10
                    dates.append((today - relativedelta(months=months, days=number % 25), outcome != "open"))
        leads = Lead.create(vals_list)
        # they met the entry criteria of every stage they are in, as a deal moved there by the gate has
        leads.criterion_check_ids.filtered("stage_reached").write({"is_done": True})
        self.env.flush_all()
        # the past: created months ago, closed three weeks later
        self.env.cr.execute(
            """
            UPDATE crm_lead l
               SET create_date = v.created, date_open = v.created,
                   date_closed = CASE WHEN v.closed THEN v.created + interval '20 days' END
              FROM unnest(%s::int[], %s::timestamp[], %s::bool[]) AS v(id, created, closed)
             WHERE l.id = v.id
            """,
            (leads.ids, [created for created, _closed in dates], [closed for _created, closed in dates]),
        )
        leads.invalidate_recordset()
