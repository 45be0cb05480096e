"""The forecast hierarchy on the Monday screen: account manager → sales team → region → company.

For each node and period two numbers are kept and rolled up: what the salespeople **submitted** (the sum of
their current snapshots) and the **manager's call** (the node's current adjustment if there is one, else the
sum of its children's calls). Both are measured against the actuals separately.
"""

from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models

from ..tools.periods import month_start, months_ahead, week_start
from .scp_forecast_measures import ROLLUP_SUMS, pct
from .scp_sales_forecast import FORECAST_MONTHS


class ScpForecastMeasures(models.AbstractModel):
    _inherit = "scp.forecast.measures"

    @api.model
    def _hierarchy_rollup(self, teams, monday, first):
        """Submitted numbers and managers' calls of ``teams``, their account managers, their regions and
        companies, in a constant number of grouped queries whatever the number of teams, people and deals.

        Nodes: ``("rep", team_id, user_id)``, ``("team", team_id)``, ``("region", region_id)``,
        ``("company", company_id)``; a region or company counts the given teams of it. For each node:
        ``commit`` and ``last_commit`` (this and last week's commit, ``(submitted, call)``), ``forecast``
        ({month: (submitted, call)} for the 12 months from ``first``), ``forecast_total`` (their sums),
        ``actual`` (last week's bookings of its account managers, ``_actuals``), ``accuracy`` (last week's
        submitted commit against the actual) and ``manager_accuracy`` (last week's call against it), and
        the notes of its current commit and forecast adjustments."""
        last_monday = monday - timedelta(days=7)
        months = months_ahead(first, FORECAST_MONTHS)
        slots = [("commit", monday), ("commit", last_monday), *(("forecast", month) for month in months)]
        teams.fetch(["region_id", "company_id"])
        teams.region_id.fetch(["company_id"])
        region_of = {team.id: team.region_id.id for team in teams}
        # a team rolls up to its region's company, else its own, else the current one
        company_of = {
            team.id: (team.region_id.company_id or team.company_id or self.env.company).id for team in teams
        }
        # the teams' members (active memberships), without building each team's member records
        members = defaultdict(set)
        for team, user_ids in self.env["crm.team.member"]._read_group(
            [("crm_team_id", "in", teams.ids)], ["crm_team_id"], ["user_id:array_agg"]
        ):
            members[team.id].update(user_ids)

        # One group per salesperson and team, its weeks (months) and amounts side by side: both arrays are
        # aggregated from the same rows in the same pass, so they pair up.
        submitted_of = defaultdict(lambda: defaultdict(float))  # slot -> {(team_id, user_id): amount}
        for kind, model, domain, aggregates in (
            (
                "commit",
                "scp.sales.commit",
                [("week_start", "in", [monday, last_monday])],
                ["week_start:array_agg", "commit_week:array_agg"],
            ),
            (
                "forecast",
                "scp.sales.forecast.line",
                [("submitted_month", "=", first)],
                ["month:array_agg", "amount:array_agg"],
            ),
        ):
            for team, user, days, amounts in self.env[model]._read_group(
                [("team_id", "in", teams.ids), ("state", "=", "current"), *domain],
                ["team_id", "user_id"],
                aggregates,
            ):
                key = (team.id, user.id)
                for day, amount in zip(days, amounts, strict=True):
                    submitted_of[kind, day][key] += amount or 0.0

        calls, notes = {}, {}  # (node, slot) -> amount / node -> {kind: note}
        companies = set(company_of.values())
        adjustments = self.env["scp.forecast.adjustment"].search_fetch(
            [
                ("state", "=", "current"),
                "|",
                "&",
                ("kind", "=", "commit"),
                ("period", "in", [monday, last_monday]),
                "&",
                ("kind", "=", "forecast"),
                ("period", "=", first),
                "|",
                "|",
                ("team_id", "in", teams.ids),
                "&",
                ("level", "=", "region"),
                ("region_id", "in", teams.region_id.ids),
                "&",
                ("level", "=", "company"),
                ("company_id", "in", list(companies)),
            ],
            [
                "level",
                "user_id",
                "team_id",
                "region_id",
                "company_id",
                "kind",
                "period",
                "month",
                "amount",
                "note",
            ],
        )
        for adjustment in adjustments:
            node = {
                "rep": ("rep", adjustment.team_id.id, adjustment.user_id.id),
                "team": ("team", adjustment.team_id.id),
                "region": ("region", adjustment.region_id.id),
                "company": ("company", adjustment.company_id.id),
            }[adjustment.level]
            slot = (adjustment.kind, adjustment.month if adjustment.kind == "forecast" else adjustment.period)
            calls[node, slot] = adjustment.amount
            if slot[1] in (monday, first):
                notes.setdefault(node, {})[adjustment.kind] = adjustment.note

        # the tree: account managers of each team (members, submitters, adjusted ones), teams, regions
        reps = defaultdict(set)
        for team_id, users in members.items():
            reps[team_id] |= users
        for slot_submitted in submitted_of.values():
            for team_id, user_id in slot_submitted:
                reps[team_id].add(user_id)
        for node, _slot in calls:
            if node[0] == "rep" and node[1] in reps:
                reps[node[1]].add(node[2])
        parents = {}
        for team in teams:
            parents["team", team.id] = (
                ("region", region_of[team.id]) if region_of[team.id] else ("company", company_of[team.id])
            )
            for user_id in reps[team.id]:
                parents["rep", team.id, user_id] = ("team", team.id)
        for region in teams.region_id:
            parents["region", region.id] = ("company", region.company_id.id)
        depth = {"rep": 0, "team": 1, "region": 2, "company": 3}
        nodes = sorted(set(parents) | set(parents.values()), key=lambda node: depth[node[0]])

        # children before their parents: each node adds its numbers to its parent's
        index = {node: position for position, node in enumerate(nodes)}
        parent_of = [index.get(parents.get(node)) for node in nodes]
        rep_keys = [node[1:] if node[0] == "rep" else None for node in nodes]
        calls_of = defaultdict(dict)  # slot -> {node position: the manager's call}
        for (node, slot), amount in calls.items():
            if node in index:
                calls_of[slot][index[node]] = amount
        figures = [{} for _node in nodes]
        for slot in slots:
            slot_submitted, slot_calls = submitted_of[slot], calls_of[slot]
            sub, call = [0.0] * len(nodes), [0.0] * len(nodes)
            for position, parent in enumerate(parent_of):
                if rep_keys[position]:
                    sub[position] = call[position] = slot_submitted.get(rep_keys[position], 0.0)
                if position in slot_calls:
                    call[position] = slot_calls[position]
                figures[position][slot] = (sub[position], call[position])
                if parent is not None:
                    sub[parent] += sub[position]
                    if parent not in slot_calls:
                        call[parent] += call[position]

        actuals = self._actuals(
            self.env["res.users"].browse(sorted(set().union(*members.values()))),
            last_monday,
            last_monday + timedelta(days=6),
        )
        actual = defaultdict(float)
        for node in nodes:
            if node[0] == "rep":
                actual[node] = actuals.get(node[2], 0.0) if node[2] in members.get(node[1], ()) else 0.0
        for node in nodes:
            parent = parents.get(node)
            if parent:
                actual[parent] += actual[node]

        result = {}
        for node, node_figures in zip(nodes, figures, strict=True):
            forecast = {month: node_figures["forecast", month] for month in months}
            last = node_figures["commit", last_monday]
            result[node] = {
                "commit": node_figures["commit", monday],
                "last_commit": last,
                "forecast": forecast,
                "forecast_total": (
                    sum(value[0] for value in forecast.values()),
                    sum(value[1] for value in forecast.values()),
                ),
                "actual": actual[node],
                "accuracy": pct(actual[node], last[0]),
                "manager_accuracy": pct(actual[node], last[1]),
                "commit_note": notes.get(node, {}).get("commit", False),
                "forecast_note": notes.get(node, {}).get("forecast", False),
            }
        return result

    @api.model
    def _monday_columns(self):
        return [
            *super()._monday_columns(),
            ("manager_commit", self.env._("Manager's Commit"), "monetary", False),
            ("manager_forecast", self.env._("Manager's 12-Month Forecast"), "monetary", False),
            ("last_manager_commit", self.env._("Last Week's Manager Call"), "monetary", False),
            ("manager_accuracy", self.env._("Manager Accuracy %"), "percent", "manager_accuracy_colour"),
            ("manager_note", self.env._("Manager's Note"), "char", False),
        ]

    @api.model
    def _consolidate(self, teams, today=None):
        """The Monday rows with their place in the hierarchy (``level``: rep, team, region, company;
        ``region_id``, ``company_id``) and the managers' calls beside the submitted numbers; a row per
        region and per company of the teams follows the team rows."""
        rows = super()._consolidate(teams, today)
        today = today or fields.Date.context_today(self)
        monday, first = week_start(today), month_start(today)
        rollup = self._hierarchy_rollup(teams, monday, first)
        region_of = {team.id: team.region_id for team in teams}
        company_of = {
            team.id: team.region_id.company_id or team.company_id or self.env.company for team in teams
        }
        team_totals = []
        for row in rows:
            team_id = row["team_id"]
            if row.get("is_team_total"):
                node, level = ("team", team_id), "team"
                team_totals.append(row)
            else:
                node, level = ("rep", team_id, row["user_id"]), "rep"
            row.update(
                level=level,
                region_id=region_of[team_id].id,
                company_id=company_of[team_id].id,
                **self._hierarchy_row(rollup.get(node)),
            )
        groups = defaultdict(list)
        for row in team_totals:
            if row["region_id"]:
                groups["region", row["region_id"]].append(row)
            groups["company", row["company_id"]].append(row)
        regions = teams.region_id
        ordered = [("region", region.id) for region in regions] + [
            key for key in groups if key[0] == "company"
        ]
        for key in ordered:
            members = groups[key]
            company = (
                regions.browse(key[1]).company_id
                if key[0] == "region"
                else self.env["res.company"].browse(key[1])
            )
            row = {
                "team_id": False,
                "user_id": False,
                "level": key[0],
                "region_id": key[1] if key[0] == "region" else False,
                "company_id": company.id,
                "is_team_total": False,
                **{name: sum(member[name] for member in members) for name in ROLLUP_SUMS},
                "commit_submitted": all(member["commit_submitted"] for member in members),
                "forecast_submitted": all(member["forecast_submitted"] for member in members),
                **self._hierarchy_row(rollup.get(key)),
            }
            row.update(self._hierarchy_rollup_measures(members, company))
            row["accuracy"] = pct(row["last_actual"], row["last_commit"])
            row["coverage"] = pct(row["pipeline"], row["target"])
            row["accuracy_colour"] = (
                self._colour("accuracy", row["accuracy"], company) if row["last_commit"] else False
            )
            row["coverage_colour"] = (
                self._colour("coverage", row["coverage"], company) if row["target"] else False
            )
            rows.append(row)
        for row in rows:
            company = self.env["res.company"].browse(row["company_id"])
            row["manager_accuracy_colour"] = (
                self._colour("accuracy", row["manager_accuracy"], company)
                if row["last_manager_commit"]
                else False
            )
        return rows

    @api.model
    def _hierarchy_rollup_measures(self, members, company):
        """The other parts' measures of a region's or the company's row, from its teams' total rows
        (``members``): the checklist's and the target's amounts and the submission counts add up, their
        percentages and colours are computed again from the sums."""
        row = {
            name: sum(member.get(name) or 0.0 for member in members)
            for name in (
                "commit_complete_week",
                "commit_overridden_week",
                "week_commit_upside",
                "week_linear_share",
                "month_won",
                "month_target",
                "month_forecast_upside",
                "quarter_won",
                "quarter_target",
                "quarter_forecast_upside",
                "commit_expected",
                "commit_done",
                "forecast_expected",
                "forecast_done",
            )
        }
        row.update(
            month_attainment=pct(row["month_won"], row["month_target"]),
            month_forecast_pct=pct(row["month_forecast_upside"], row["month_target"]),
            quarter_attainment=pct(row["quarter_won"], row["quarter_target"]),
            quarter_forecast_pct=pct(row["quarter_forecast_upside"], row["quarter_target"]),
            week_linear=pct(row["week_commit_upside"], row["week_linear_share"]),
            forecast_target_pct=pct(
                sum(member["forecast_total"] for member in members),
                sum(member["target"] for member in members),
            ),
        )
        for kind in ("commit", "forecast"):
            expected = row[f"{kind}_expected"]
            row[f"{kind}_rate"] = pct(row[f"{kind}_done"], expected) if expected else 100.0
            row[f"{kind}_rate_colour"] = "success" if row[f"{kind}_rate"] >= 100.0 else "danger"
            row[f"{kind}_missing"] = ", ".join(
                member[f"{kind}_missing"] for member in members if member.get(f"{kind}_missing")
            )
        target = sum(member["target"] for member in members)
        row.update(self._attainment_colours({**row, "target": target}, company))
        return row

    @api.model
    def _hierarchy_row(self, figures):
        """The Monday row's manager figures of one node of ``_hierarchy_rollup`` (zeros when it has none)."""
        if not figures:
            return {
                "manager_commit": 0.0,
                "manager_forecast": 0.0,
                "last_manager_commit": 0.0,
                "manager_accuracy": 0.0,
                "manager_note": False,
            }
        return {
            "manager_commit": figures["commit"][1],
            "manager_forecast": figures["forecast_total"][1],
            "last_manager_commit": figures["last_commit"][1],
            "manager_accuracy": figures["manager_accuracy"],
            "manager_note": figures["commit_note"] or figures["forecast_note"],
        }
