"""`make bench`: each job of the addon measured against the unavoidable work of the same run.

Runs inside a throw-away database (``scp_bench``, the addon installed without demo data). The data is
generated with raw SQL (``INSERT ... SELECT generate_series``) and the ORM caches invalidated, so the whole
run takes a few minutes on 2 cores; every job runs in a transaction that is rolled back. Jobs whose data
the planner must know about ``ANALYZE`` the tables they filled: a real database's autovacuum keeps its
statistics current, but it cannot see the rows of a transaction that has not committed, and PostgreSQL would
plan with the statistics of empty tables (nested loops scanning a whole table per row).

Every job prints one line: its time as a ratio of its baseline measured in the same run (the work nobody
can avoid: one batch ``create``, one raw SQL ``GROUP BY``, a raw xlsxwriter write of the same cells), its SQL
query count, and the growth of the process's peak memory, against the goal from the issue. Ratios, not
seconds: they hold on any machine. Where the goal is "queries constant", the job runs at two sizes (1/10 of
the data, then all of it) and prints both counts; there a batch INSERT or UPDATE counts once, however many
100-row statements the ORM splits it into (``OrmChunks``).

Memory: each job runs in its own Python process (a fresh interpreter, so one job's freed memory does not hide
the next one's growth). Just before the measured block the kernel's peak-RSS mark is reset (``5`` written to
``/proc/self/clear_refs``) and the block's growth is ``VmHWM`` after it minus ``VmRSS`` before it, so it
counts everything the block allocates: Python objects, psycopg2's result buffers, xlsxwriter's buffers.
Without ``clear_refs`` (not Linux) it falls back to ``ru_maxrss``, which only ever grows: that is why each
job's measured block runs before its baseline. tracemalloc is not used: it slows Python down several times
and would skew the ratios.

    .venv/bin/python bench/bench.py -c .dev/odoo.conf -d scp_bench [--scale 1.0] [--only NAME]
"""

import argparse
import contextlib
import io
import json
import math
import resource
import subprocess
import sys
import time
from datetime import date, timedelta

JOBS = []


def job(name, goal_ratio=None, goal_queries=None, goal_mb=None):
    def register(func):
        JOBS.append((name, goal_ratio, goal_queries, goal_mb, func))
        return func

    return register


def _status_kb(key):
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def _reset_peak():
    """Reset the kernel's peak-RSS mark (VmHWM) to the current RSS; False where that is not possible."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as clear_refs:
            clear_refs.write("5")
        return _status_kb("VmHWM") is not None
    except OSError:
        return False


class OrmChunks:
    """Counts the SQL statements that only continue the ORM's previous one.

    Odoo splits every batch INSERT (``create``) and every flushed UPDATE into statements of at most 100 rows
    (``odoo.models.INSERT_BATCH_SIZE`` / ``UPDATE_BATCH_SIZE``): one ``create`` of 500 records is 5 INSERTs,
    in the baseline as in our code. A statement is a continuation when it repeats the previous statement's
    INSERT or UPDATE head (same table, same columns) and the previous one wrote exactly 100 rows. Queries
    "constant per batch" count such a split statement once; a per-record loop (1-row statements) still
    counts every statement.
    """

    count = 0

    @classmethod
    def install(cls):
        from odoo import models, sql_db
        from odoo.tools import SQL

        execute = sql_db.Cursor.execute
        previous = {"head": None, "rows": 0}

        def head_of(code):
            code = code.lstrip()
            if code.startswith("INSERT INTO") and " VALUES " in code:
                return code.split(" VALUES ", 1)[0]
            if code.startswith("UPDATE") and "FROM (VALUES" in code:
                return code.split("FROM (VALUES", 1)[0]
            return None

        def counting_execute(self, query, params=None, log_exceptions=True):
            result = execute(self, query, params, log_exceptions)
            head = head_of(query.code if isinstance(query, SQL) else str(query))
            full = previous["rows"] in (models.INSERT_BATCH_SIZE, models.UPDATE_BATCH_SIZE)
            if head is not None and head == previous["head"] and full:
                cls.count += 1
            previous.update(head=head, rows=self.rowcount)
            return result

        sql_db.Cursor.execute = counting_execute


class Measure:
    """Wall time, SQL queries and peak-memory growth of a block."""

    def __init__(self, cr):
        self.cr = cr

    @contextlib.contextmanager
    def __call__(self):
        result = {}
        exact = _reset_peak()
        before = _status_kb("VmRSS") if exact else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        queries = self.cr.sql_log_count
        chunks = OrmChunks.count
        start = time.perf_counter()
        yield result
        result["seconds"] = time.perf_counter() - start
        result["queries"] = self.cr.sql_log_count - queries
        # the same, counting each batch INSERT/UPDATE once however many 100-row statements the ORM split it in
        result["batch_queries"] = result["queries"] - (OrmChunks.count - chunks)
        after = _status_kb("VmHWM") if exact else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        result["peak_mb"] = max(after - before, 0) / 1024


def best_of(runs, measure, func):
    """The fastest of ``runs`` measured calls of ``func`` (time noise on a shared machine only adds)."""
    results = []
    for _i in range(runs):
        with measure() as m:
            value = func()
        m["value"] = value
        results.append(m)
    best = min(results, key=lambda m: m["seconds"])
    # The first run's memory growth counts: later runs reuse what it freed.
    best["peak_mb"] = max(m["peak_mb"] for m in results)
    return best


# --- data generation (raw SQL) ----------------------------------------------------------------------------


def sql_users(env, count, prefix):
    """``count`` internal users (salespeople) inserted by SQL: [user_id]."""
    cr = env.cr
    company = env.company.id
    cr.execute(
        """
        INSERT INTO res_partner (name, complete_name, active, type, is_company, lang, autopost_bills,
                                 company_id, create_date, write_date, create_uid, write_uid)
        SELECT %(p)s || g, %(p)s || g, true, 'contact', false, 'en_US', 'ask', %(c)s,
               now(), now(), 1, 1
          FROM generate_series(1, %(n)s) g
        RETURNING id
        """,
        {"p": f"{prefix} ", "n": count, "c": company},
    )
    partners = [row[0] for row in cr.fetchall()]
    cr.execute(
        """
        INSERT INTO res_users (login, partner_id, company_id, notification_type, active, share,
                               create_date, write_date, create_uid, write_uid)
        SELECT %(p)s || p.id, p.id, %(c)s, 'email', true, false, now(), now(), 1, 1
          FROM unnest(%(ids)s) p(id)
        RETURNING id
        """,
        {"p": f"{prefix.lower().replace(' ', '_')}_", "c": company, "ids": partners},
    )
    users = sorted(row[0] for row in cr.fetchall())
    cr.execute(
        "INSERT INTO res_company_users_rel (cid, user_id) SELECT %s, unnest(%s)",
        (company, users),
    )
    cr.execute(
        """
        INSERT INTO res_groups_users_rel (gid, uid)
        SELECT %s, unnest(%s)
        """,
        (env.ref("sales_team.group_sale_salesman").id, users),
    )
    env.invalidate_all()
    return users


def sql_team(env, users, name):
    team = env["crm.team"].create({"name": name})
    env.cr.execute("UPDATE res_users SET sale_team_id = %s WHERE id = ANY(%s)", (team.id, users))
    env.cr.execute(
        """
        INSERT INTO crm_team_member (crm_team_id, user_id, active, create_date, write_date, create_uid,
                                     write_uid)
        SELECT %s, unnest(%s), true, now(), now(), 1, 1
        """,
        (team.id, users),
    )
    env.invalidate_all()
    return team


def sql_leads(env, users, team, count, first, won=False, offset=0):
    """``count`` opportunities spread over the salespeople and over 16 months around ``first`` (3 overdue
    months; every 20th deal without a closing date); won ones are closed the same day. [lead_id]"""
    stages = env["crm.stage"].search([("is_won", "=", won)]).ids
    env.cr.execute(
        """
        INSERT INTO crm_lead (name, type, active, user_id, team_id, stage_id, company_id, expected_revenue,
                              expected_revenue_company, prorated_revenue, probability, date_deadline,
                              date_closed, priority, create_date, write_date, create_uid, write_uid)
        SELECT 'Bench deal ' || (g + %(o)s), 'opportunity', true,
               (%(users)s::int[])[1 + g %% cardinality(%(users)s::int[])], %(team)s,
               (%(stages)s::int[])[1 + g %% cardinality(%(stages)s::int[])], %(company)s,
               1000 + (g %% 97) * 250, 1000 + (g %% 97) * 250, 0,
               CASE WHEN %(won)s THEN 100 ELSE 10 + g %% 80 END,
               CASE WHEN g %% 20 = 0 AND NOT %(won)s THEN NULL
                    ELSE %(first)s::date + ((g %% 16) - 3) * interval '1 month' + (g %% 28) * interval '1 day'
               END,
               CASE WHEN %(won)s THEN %(first)s::date + ((g %% 16) - 3) * interval '1 month'
                                      + (g %% 28) * interval '1 day' + interval '10 hours' END,
               '0', now() - interval '90 days', now(), 1, 1
          FROM generate_series(1, %(n)s) g
        RETURNING id
        """,
        {
            "o": offset,
            "users": users,
            "team": team.id,
            "stages": stages,
            "company": env.company.id,
            "won": won,
            "first": first,
            "n": count,
        },
    )
    ids = [row[0] for row in env.cr.fetchall()]
    env.invalidate_all()
    return ids


def sql_tracking(env, leads, start, days):
    """One chatter message per deal, dated over ``days`` days from ``start`` (UTC), with tracked changes as
    Odoo writes them: every 3rd deal its expected closing moved (2 later for 1 earlier), every 4th its
    expected revenue (up or down), every 5th its stage (to the next or the previous one)."""
    cr = env.cr
    field = env["ir.model.fields"]._get
    stages = env["crm.stage"].search([], order="sequence, id").ids
    cr.execute(
        """
        INSERT INTO mail_message (model, res_id, message_type, date, create_date, write_date, create_uid,
                                  write_uid)
        SELECT 'crm.lead', l.id, 'notification',
               %(start)s::timestamp + ((l.id %% (%(days)s * 24)) * interval '1 hour'), now(), now(), 1, 1
          FROM unnest(%(leads)s::int[]) l(id)
        RETURNING id, res_id
        """,
        {"start": start, "days": days, "leads": leads},
    )
    rows = cr.fetchall()
    messages, deals = [row[0] for row in rows], [row[1] for row in rows]
    cr.execute(
        """
        INSERT INTO mail_tracking_value (field_id, mail_message_id, old_value_datetime, new_value_datetime,
                                         create_date, write_date, create_uid, write_uid)
        SELECT %(f)s, m, DATE '2027-01-01' + (d %% 60) * interval '1 day',
               DATE '2027-01-01' + (d %% 60 + CASE WHEN d %% 9 = 0 THEN -7 ELSE 14 END) * interval '1 day',
               now(), now(), 1, 1
          FROM unnest(%(m)s::int[], %(d)s::int[]) t(m, d) WHERE d %% 3 = 0
        """,
        {"f": field("crm.lead", "date_deadline").id, "m": messages, "d": deals},
    )
    cr.execute(
        """
        INSERT INTO mail_tracking_value (field_id, mail_message_id, old_value_float, new_value_float,
                                         create_date, write_date, create_uid, write_uid)
        SELECT %(f)s, m, 1000 + (d %% 97) * 250,
               1000 + (d %% 97) * 250 + CASE WHEN d %% 8 = 0 THEN -500 ELSE 750 END,
               now(), now(), 1, 1
          FROM unnest(%(m)s::int[], %(d)s::int[]) t(m, d) WHERE d %% 4 = 0
        """,
        {"f": field("crm.lead", "expected_revenue").id, "m": messages, "d": deals},
    )
    cr.execute(
        """
        INSERT INTO mail_tracking_value (field_id, mail_message_id, old_value_integer, new_value_integer,
                                         create_date, write_date, create_uid, write_uid)
        SELECT %(f)s, m, (%(s)s::int[])[1 + d %% (cardinality(%(s)s::int[]) - 1)],
               (%(s)s::int[])[1 + (d + CASE WHEN d %% 10 = 0 THEN -1 ELSE 1 END + cardinality(%(s)s::int[]))
                                   %% (cardinality(%(s)s::int[]) - 1)],
               now(), now(), 1, 1
          FROM unnest(%(m)s::int[], %(d)s::int[]) t(m, d) WHERE d %% 5 = 0
        """,
        {"f": field("crm.lead", "stage_id").id, "m": messages, "d": deals, "s": stages},
    )
    env.invalidate_all()


def this_month():
    return date.today().replace(day=1)


@job("opportunity form read, extra queries vs stock", goal_queries=3)
def bench_form_read(env, measure, scale):
    """Reading one opportunity through the form: our form against the stock CRM form, same record."""
    from lxml import etree

    lead = env["crm.lead"].create(
        {
            "name": "Bench form",
            "type": "opportunity",
            "partner_id": env["res.partner"].create({"name": "Bench"}).id,
        }
    )
    model = env["crm.lead"]

    def spec_of(arch):
        names = {node.get("name") for node in etree.fromstring(arch).iter("field") if node.get("name")}
        return {
            name: {"fields": {"display_name": {}}} if model._fields[name].relational else {}
            for name in names
            if name in model._fields and model._fields[name].type not in ("one2many", "many2many")
        }

    full = spec_of(model.get_views([(False, "form")])["views"]["form"]["arch"])
    # Stock Odoo shows the same form without the fields this addon defines.
    stock = {
        name: spec for name, spec in full.items() if model._fields[name]._module != "sales_cycle_process"
    }

    def read(spec):
        env.invalidate_all()
        with measure() as m:
            lead.web_read(spec)
        return m

    read(full)  # warm the ormcache
    base, ours = read(stock), read(full)
    return {
        "ratio": ours["seconds"] / max(base["seconds"], 1e-9),
        "queries": ours["queries"] - base["queries"],
        "peak_mb": ours["peak_mb"],
        "detail": f"stock {base['queries']} queries, ours {ours['queries']}",
    }


@job("cadence scheduled action, 20,000 partners", goal_ratio=1.5)
def bench_cadence(env, measure, scale):
    """The daily cadence cron over 20,000 partners (40% large distributors, 40% small, 20% selected
    customers, 20 salespeople in 2 teams) against one batch ``create`` of the activities it plans.

    Statistics: the partners are inserted by SQL in this very transaction, and the activities, cadence
    states and followers are created by the run itself; autovacuum cannot see uncommitted rows, so PostgreSQL
    would plan with the statistics of empty tables (estimating 1 row) and pick nested loops that scan a
    whole table per row: Odoo's follower lookup of ``message_subscribe`` (``mail_followers`` joined to its
    subtypes) then takes seconds per salesperson and the run hours. A real database's autovacuum keeps the
    statistics of its tables current; the bench does the same with ``ANALYZE`` once the data is generated
    and after each phase, while the tables still hold its rows."""
    cr = env.cr
    total = max(200, round(20000 * scale))
    sellers = sql_users(env, 20, "Cadence Seller")
    managers = sql_users(env, 2, "Cadence Manager")
    for index, manager in enumerate(managers):
        sql_team(env, sellers[index::2], f"Cadence team {index}").user_id = manager
    env.flush_all()
    cr.execute("SELECT coalesce(max(id), 0) FROM mail_followers")
    (followers_before,) = cr.fetchone()

    def analyze_partners():
        cr.execute("ANALYZE res_partner, res_users, crm_team, crm_team_member")

    def analyze_created():
        # while the tables hold a run's rows: analyzed once emptied, PostgreSQL would take them for empty
        cr.execute(
            """
            ANALYZE mail_activity, scp_cadence_state, mail_followers,
                    mail_followers_mail_message_subtype_rel
            """
        )

    def add_partners(count, offset):
        cr.execute(
            """
            INSERT INTO res_partner (name, complete_name, active, type, is_company, lang, autopost_bills,
                                     distributor_tier, selected_customer, user_id, company_id,
                                     create_date, write_date, create_uid, write_uid)
            SELECT 'Bench partner ' || g, 'Bench partner ' || g, true, 'contact', true, 'en_US', 'ask',
                   CASE WHEN g %% 5 < 2 THEN 'large' WHEN g %% 5 < 4 THEN 'small' END, g %% 5 = 4,
                   (%(users)s::int[])[1 + g %% cardinality(%(users)s::int[])], %(company)s,
                   now(), now(), 1, 1
              FROM generate_series(%(start)s, %(stop)s) g
            """,
            {"users": sellers, "company": env.company.id, "start": offset + 1, "stop": offset + count},
        )
        cr.execute("UPDATE res_partner SET commercial_partner_id = id WHERE commercial_partner_id IS NULL")
        analyze_partners()
        env.invalidate_all()

    Rule = env["scp.cadence.rule"]
    batch = 500

    def batches(batch_size):
        return sum(
            math.ceil(env["res.partner"].search_count(rule._partner_domain()) / batch_size)
            for rule in Rule.search([("active", "=", True)])
        )

    def run_cron(batch_size):
        Rule._cron_schedule_cadences(batch_size=batch_size)
        env.flush_all()

    def forget():
        """Remove what a run created (activities, states, the salespeople following the partners), so the
        next run starts from the same state; statistics are taken first, while the tables are full."""
        env.flush_all()
        analyze_created()
        cr.execute("DELETE FROM mail_activity WHERE res_model = 'res.partner'")
        cr.execute("DELETE FROM scp_cadence_state")
        cr.execute("DELETE FROM mail_followers WHERE id > %s", (followers_before,))
        env.invalidate_all()

    # 1/10 of the partners first, in batches of 1/10 the size: as many batches as the full run, so a
    # set-based cron makes as many queries. Run once unmeasured first: the warm-up fills the ORM caches (the
    # first run reads ir.default, ir.model and message subtypes once) and gives the statistics real rows.
    add_partners(total // 10, 0)
    run_cron(batch // 10)
    forget()
    with measure() as small:
        run_cron(batch // 10)
    small_batches = batches(batch // 10)
    forget()
    add_partners(total - total // 10, total // 10)
    with measure() as ours:
        run_cron(batch)
    full_batches = batches(batch)
    cr.execute(
        """
        SELECT res_model_id, res_id, activity_type_id, summary, note, date_deadline, user_id
          FROM mail_activity WHERE cadence_state_id IS NOT NULL
        """
    )
    keys = ["res_model_id", "res_id", "activity_type_id", "summary", "note", "date_deadline", "user_id"]
    vals_list = [dict(zip(keys, row, strict=True)) for row in cr.fetchall()]
    forget()
    Activity = env["mail.activity"].with_context(mail_activity_quick_update=True)
    with measure() as base:
        # Odoo reads each activity's record name one record at a time unless the records are in the cache:
        # any caller creating activities in bulk reads them in one go first, as the cron does.
        env["res.partner"].browse({vals["res_id"] for vals in vals_list}).mapped("display_name")
        Activity.create(vals_list)
        env.flush_all()
    per_full = ours["batch_queries"] / full_batches
    queries = (
        f"{small['batch_queries']} for {total // 10} partners in {small_batches} batches, "
        f"{ours['batch_queries']} for {total} in {full_batches} ({per_full:.1f}/batch)"
    )
    return {
        "ratio": ours["seconds"] / base["seconds"],
        "queries": ours["queries"],
        "peak_mb": ours["peak_mb"],
        "constant": small["batch_queries"] == ours["batch_queries"] and small_batches == full_batches,
        "detail": f"{len(vals_list)} activities; queries, a batch INSERT/UPDATE counted once: {queries}; "
        f"statements {ours['queries']} vs baseline {base['queries']}; "
        f"{ours['seconds']:.1f}s vs {base['seconds']:.1f}s",
    }


@job("12-month team forecast, 100,000 open deals", goal_ratio=2.0)
def bench_team_forecast(env, measure, scale):
    """The team's 12-month forecast (every member's open deals per month, overdue in the first month) against
    one raw SQL GROUP BY over crm_lead producing the same totals."""
    from odoo.addons.sales_cycle_process.models.scp_sales_forecast import FORECAST_MONTHS
    from odoo.addons.sales_cycle_process.tools.periods import months_ahead

    total = max(1000, round(100000 * scale))
    first = this_month()
    sellers = sql_users(env, 25, "Forecast Seller")
    team = sql_team(env, sellers, "Forecast team")
    Forecast = env["scp.sales.forecast"]
    last = first + timedelta(days=400)
    last = last.replace(day=1) - timedelta(days=1)
    while (last.year - first.year) * 12 + last.month - first.month > 11:
        last = last.replace(day=1) - timedelta(days=1)

    def ours():
        members = env["res.users"].browse(sellers)
        pipeline = Forecast._pipeline_by_month(members, first)
        months = months_ahead(first, FORECAST_MONTHS)
        return {
            (uid, month): pipeline[uid, month]
            for uid in members.ids
            for month in months
            if (uid, month) in pipeline
        }

    def raw():
        env.cr.execute(
            """
            SELECT l.user_id, GREATEST(date_trunc('month', l.date_deadline)::date, %(first)s),
                   sum(l.expected_revenue_company)
              FROM crm_lead l JOIN crm_stage s ON s.id = l.stage_id
             WHERE l.user_id = ANY(%(users)s) AND l.type = 'opportunity' AND l.active
               AND s.is_won IS NOT TRUE AND l.date_deadline <= %(last)s
             GROUP BY 1, 2
            """,
            {"first": first, "users": sellers, "last": last},
        )
        result = {}
        for uid, month, amount in env.cr.fetchall():
            result[uid, month] = result.get((uid, month), 0.0) + amount
        return result

    sql_leads(env, sellers, team, total // 10, first)
    small = best_of(1, measure, ours)
    sql_leads(env, sellers, team, total - total // 10, first, offset=total)
    # Closed deals around them: won, and lost (archived).
    sql_leads(env, sellers, team, total // 20, first, won=True, offset=2 * total)
    lost = sql_leads(env, sellers, team, total // 20, first, offset=3 * total)
    env.cr.execute("UPDATE crm_lead SET active = false, probability = 0 WHERE id = ANY(%s)", (lost,))
    env.cr.execute("ANALYZE crm_lead")
    env.invalidate_all()
    mine = best_of(3, measure, ours)
    base = best_of(3, measure, raw)
    same = mine["value"].keys() == base["value"].keys() and all(
        math.isclose(mine["value"][key], base["value"][key]) for key in base["value"]
    )
    return {
        "ratio": mine["seconds"] / base["seconds"],
        "queries": mine["queries"],
        "peak_mb": mine["peak_mb"],
        "constant": small["queries"] == mine["queries"],
        "ok": same,
        "detail": f"{total} open deals; queries {small['queries']} at 1/10, {mine['queries']} at full; "
        f"totals {'equal' if same else 'DIFFER'}; "
        f"{mine['seconds'] * 1000:.0f}ms vs {base['seconds'] * 1000:.0f}ms",
    }


@job("forecast hierarchy roll-up, 500 reps, 100,000 deals", goal_ratio=2.0)
def bench_forecast_hierarchy(env, measure, scale):
    """The Monday roll-up of the forecast hierarchy (issue 14): the submitted commit (this and last week)
    and 12-month forecast of 500 salespeople in 50 teams and 10 regions, the managers' calls at each level
    and last week's actuals from 100,000 deals, rolled up rep → team → region → company, against one raw
    SQL statement grouping the same submissions and deals (``GROUP BY`` over commits, forecast lines and won
    deals). Queries at 1/10 of the data and at all of it."""
    from odoo.addons.sales_cycle_process.tools.periods import add_months, week_start

    cr = env.cr
    first = this_month()
    monday = week_start(date.today())
    last_monday = monday - timedelta(days=7)
    company = env.company.id
    Adjustment = env["scp.forecast.adjustment"]
    all_teams, all_users = env["crm.team"], []

    def grow(reps, deals, offset):
        """``reps`` salespeople (10 a team, 5 teams a region), their submissions, ``deals`` deals and the
        managers' calls on each team and region."""
        nonlocal all_teams
        users = sql_users(env, reps, f"Hierarchy Rep {offset}")
        teams = env["crm.team"]
        for index in range(0, reps, 10):
            if index % 50 == 0:
                region = env["scp.sales.region"].create({"name": f"Bench region {offset}-{index}"})
            team = sql_team(env, users[index : index + 10], f"Bench hierarchy team {offset}-{index}")
            team.region_id = region
            teams |= team
        params = {"teams": teams.ids, "company": company, "weeks": [monday, last_monday], "first": first}
        cr.execute(
            """
            INSERT INTO scp_sales_commit (user_id, team_id, company_id, week_start, state, submitted_on,
                                          submitted_by_id, commit_week, commit_month, commit_quarter,
                                          upside_week, upside_month, upside_quarter, commit_total,
                                          create_date, write_date, create_uid, write_uid)
            SELECT m.user_id, m.crm_team_id, %(company)s, w, 'current', now(), m.user_id,
                   1000 + m.user_id %% 50 * 100, 5000, 9000, 500, 1000, 2000, 9000, now(), now(), 1, 1
              FROM crm_team_member m, unnest(%(weeks)s::date[]) w
             WHERE m.crm_team_id = ANY(%(teams)s)
            """,
            params,
        )
        cr.execute(
            """
            INSERT INTO scp_sales_forecast (user_id, team_id, company_id, month, state, submitted_on,
                                            pipeline_total, total, create_date, write_date, create_uid,
                                            write_uid)
            SELECT m.user_id, m.crm_team_id, %(company)s, %(first)s, 'current', now(), 120000, 125000,
                   now(), now(), 1, 1
              FROM crm_team_member m WHERE m.crm_team_id = ANY(%(teams)s)
            """,
            params,
        )
        cr.execute(
            """
            INSERT INTO scp_sales_forecast_line (forecast_id, user_id, team_id, submitted_month, state, month,
                                                 computed_amount, adjustment, amount,
                                                 create_date, write_date, create_uid, write_uid)
            SELECT f.id, f.user_id, f.team_id, f.month, 'current', (f.month + i * interval '1 month')::date,
                   10000 + i * 100, 0, 10000 + i * 100, now(), now(), 1, 1
              FROM scp_sales_forecast f, generate_series(0, 11) i
             WHERE f.team_id = ANY(%(teams)s)
            """,
            params,
        )
        sql_leads(env, users, teams[0], deals - deals // 10, first, offset=offset)
        sql_leads(env, users, teams[0], deals // 10, monday - timedelta(days=7 * 4 + 3), True, offset + deals)
        calls = []
        for team in teams:
            calls.append({"level": "team", "team_id": team.id, "kind": "commit", "amount": 40000.0})
            calls.append(
                {
                    "level": "team",
                    "team_id": team.id,
                    "kind": "commit",
                    "amount": 35000.0,
                    "period": last_monday,
                }
            )
            calls.append(
                {
                    "level": "rep",
                    "team_id": team.id,
                    "user_id": team.member_ids[0].id,
                    "kind": "forecast",
                    "month": add_months(first, 1),
                    "amount": 8000.0,
                }
            )
        for region in teams.region_id:
            calls.append({"level": "region", "region_id": region.id, "kind": "commit", "amount": 180000.0})
            calls.append(
                {
                    "level": "region",
                    "region_id": region.id,
                    "kind": "forecast",
                    "month": add_months(first, 2),
                    "amount": 400000.0,
                }
            )
        Adjustment.create([{**call, "note": "Bench call"} for call in calls])
        for table in ("scp_sales_commit", "scp_sales_forecast_line", "scp_forecast_adjustment", "crm_lead"):
            cr.execute(f"ANALYZE {table}")
        env.invalidate_all()
        all_teams |= teams
        all_users.extend(users)

    def ours():
        env.invalidate_all()
        rollup = env["scp.forecast.measures"]._hierarchy_rollup(all_teams, monday, first)
        top = rollup["company", company]
        return {
            "commit": top["commit"][0],
            "last_commit": top["last_commit"][0],
            "forecast": top["forecast_total"][0],
            "actual": top["actual"],
            "call": top["commit"][1],
        }

    def raw():
        start, stop = last_monday, monday
        cr.execute(
            """
            SELECT 'commit' AS what, c.team_id, c.user_id, c.week_start AS day, sum(c.commit_week)
              FROM scp_sales_commit c
             WHERE c.team_id = ANY(%(teams)s) AND c.week_start = ANY(%(weeks)s) AND c.state = 'current'
             GROUP BY c.team_id, c.user_id, c.week_start
            UNION ALL
            SELECT 'forecast', l.team_id, l.user_id, l.month, sum(l.amount)
              FROM scp_sales_forecast_line l
             WHERE l.team_id = ANY(%(teams)s) AND l.submitted_month = %(first)s AND l.state = 'current'
             GROUP BY l.team_id, l.user_id, l.month
            UNION ALL
            SELECT 'actual', NULL, l.user_id, NULL, sum(l.expected_revenue_company)
              FROM crm_lead l JOIN crm_stage s ON s.id = l.stage_id
             WHERE s.is_won AND l.user_id = ANY(%(users)s)
               AND l.date_closed >= %(start)s AND l.date_closed < %(stop)s
             GROUP BY l.user_id
            """,
            {
                "teams": all_teams.ids,
                "users": all_users,
                "weeks": [monday, last_monday],
                "first": first,
                "start": start,
                "stop": stop,
            },
        )
        totals = {"commit": 0.0, "last_commit": 0.0, "forecast": 0.0, "actual": 0.0}
        for what, _team, _user, day, amount in cr.fetchall():
            key = "last_commit" if what == "commit" and day == last_monday else what
            totals[key] += amount
        return totals

    reps = max(20, round(500 * scale))
    deals = max(1000, round(100000 * scale))
    grow(reps // 10, deals // 10, 0)
    small = best_of(1, measure, ours)
    grow(reps - reps // 10, deals - deals // 10, 10 * deals)
    mine = best_of(3, measure, ours)
    base = best_of(3, measure, raw)
    same = all(math.isclose(mine["value"][key], base["value"][key]) for key in base["value"])
    return {
        "ratio": mine["seconds"] / base["seconds"],
        "queries": mine["queries"],
        "peak_mb": mine["peak_mb"],
        "constant": small["queries"] == mine["queries"],
        "ok": same and mine["value"]["actual"] > 0,
        "detail": f"{len(all_users)} reps, {len(all_teams)} teams, {len(all_teams.region_id)} regions, "
        f"{deals} deals; queries {small['queries']} at 1/10, {mine['queries']} at full; "
        f"company commit {mine['value']['commit']:.0f} (call {mine['value']['call']:.0f}), "
        f"last week's actual {mine['value']['actual']:.0f}; totals {'equal' if same else 'DIFFER'}; "
        f"{mine['seconds'] * 1000:.0f}ms vs {base['seconds'] * 1000:.0f}ms",
    }


def xlsx_baseline(sheets):
    """The raw xlsxwriter ``constant_memory`` write of the given cells: [(name, rows)] or [(name, rows,
    charts)], where a row is a list of (value, format key) and the value's type picks the writer. Every sheet
    is print-ready as a review pack's (landscape, one page wide, header row repeated, page header and footer,
    frozen header, filter); ``charts`` are ``(type, value columns, line columns)`` over the sheet's rows, the
    line columns a combined dashed line each (the bands' thresholds), with titled and formatted axes."""
    import xlsxwriter

    def write():
        out = io.BytesIO()
        workbook = xlsxwriter.Workbook(out, {"constant_memory": True})
        formats = {
            "money": workbook.add_format({"num_format": "#,##0.00"}),
            "percent": workbook.add_format({"num_format": "0.0%"}),
            "date": workbook.add_format({"num_format": "yyyy-mm-dd"}),
            None: None,
        }
        for name, rows, *extras in sheets:
            sheet = workbook.add_worksheet(name)
            sheet.set_landscape()
            sheet.fit_to_pages(1, 0)
            sheet.repeat_rows(0)
            sheet.set_header("&LCompany&CPack&RPeriod")
            sheet.set_footer("&L&A&RPage &P of &N")
            sheet.freeze_panes(1, 0)
            for row, cells in enumerate(rows):
                for col, (value, fmt) in enumerate(cells):
                    if isinstance(value, str):
                        sheet.write_string(row, col, value, formats[fmt])
                    elif isinstance(value, date):
                        sheet.write_datetime(row, col, value, formats[fmt])
                    elif value is None:
                        sheet.write_blank(row, col, None, formats[fmt])
                    else:
                        sheet.write_number(row, col, value, formats[fmt])
            if rows:
                sheet.autofilter(0, 0, max(len(rows) - 1, 1), len(rows[0]) - 1)
            for kind, values, lines in extras[0] if extras else ():
                chart = workbook.add_chart({"type": kind})
                chart.set_title({"name": name})
                chart.set_x_axis({"name": "x", "date_axis": True, "num_format": "yyyy-mm-dd"})
                chart.set_y_axis({"name": "y", "num_format": "#,##0"})
                last = max(len(rows) - 1, 1)
                for col in values:
                    chart.add_series(
                        {
                            "name": [name, 0, col],
                            "categories": [name, 1, 0, last, 0],
                            "values": [name, 1, col, last, col],
                        }
                    )
                if lines:
                    line = workbook.add_chart({"type": "line"})
                    for col in lines:
                        line.add_series(
                            {
                                "name": [name, 0, col],
                                "categories": [name, 1, 0, last, 0],
                                "values": [name, 1, col, last, col],
                                "line": {"dash_type": "dash"},
                            }
                        )
                    chart.combine(line)
                sheet.insert_chart(len(rows) + 2, 0, chart)
        workbook.close()
        return len(out.getvalue())

    return write


def xlsx_job(env, measure, report, records, cells):
    """Our report on ``records`` against the raw write of the sheets ``cells()`` returns: best of 2 each.
    Ours runs first, right after the data generation, so that its memory growth is not hidden by memory
    the baseline's cells took and freed."""
    Report = env[report]
    Report.create_xlsx_report(records[:5].ids, {})  # warm-up
    env.invalidate_all()

    def ours():
        env.invalidate_all()
        return len(Report.create_xlsx_report(records.ids, {})[0])

    mine = best_of(2, measure, ours)
    sheets = cells()
    base = best_of(2, measure, xlsx_baseline(sheets))
    return mine, base, sheets


@job("weekly commit XLSX pack, 100,000 lines", goal_ratio=1.5, goal_mb=100)
def bench_commit_pack(env, measure, scale):
    """The commit pack of a quarter (13 weeks) of 350 salespeople's commits of 22 deals each, against the raw
    constant_memory write of the same cells (Commit and Checklist sheets)."""
    cr = env.cr
    users = sql_users(env, max(2, round(350 * scale)), "Commit Seller")
    team = sql_team(env, users, "Commit team")
    first = this_month()
    monday = date.today() - timedelta(days=date.today().weekday())
    weeks = [monday - timedelta(days=7 * i) for i in range(13)]
    leads = sql_leads(env, users, team, 22 * len(users), first)
    sql_leads(env, users, team, 13 * len(users), first - timedelta(days=95), won=True, offset=10**6)
    cr.execute(
        """
        INSERT INTO scp_sales_commit (user_id, team_id, company_id, week_start, state, submitted_on,
                                      commit_week, upside_week, commit_month, commit_quarter, commit_total,
                                      upside_month, upside_quarter, create_date, write_date, create_uid,
                                      write_uid)
        SELECT u, %(team)s, %(company)s, w, 'current', now(), 1000 * (u %% 7), 500, 4000, 12000, 20000,
               2000, 6000, now(), now(), 1, 1
          FROM unnest(%(users)s::int[]) u, unnest(%(weeks)s::date[]) w
        """,
        {"team": team.id, "company": env.company.id, "users": users, "weeks": weeks},
    )
    cr.execute(
        """
        INSERT INTO scp_sales_commit_line (commit_id, user_id, week_start, state, lead_id, lead_name, amount,
                                           probability,
                                           date_deadline, category, config_final, end_user_signed,
                                           integrator_signed, discount_approved, partner_ready,
                                           create_date, write_date, create_uid, write_uid)
        SELECT c.id, c.user_id, c.week_start, 'current', l.id, l.name, l.expected_revenue_company,
               l.probability, l.date_deadline,
               CASE WHEN l.id %% 3 = 0 THEN 'upside' ELSE 'commit' END, l.id %% 2 = 0, l.id %% 3 = 0,
               l.id %% 5 = 0, false, true, now(), now(), 1, 1
          FROM scp_sales_commit c JOIN crm_lead l ON l.user_id = c.user_id AND l.id = ANY(%(leads)s)
         WHERE c.user_id = ANY(%(users)s)
        """,
        {"leads": leads, "users": users},
    )
    cr.execute("ANALYZE scp_sales_commit_line")
    env.invalidate_all()
    commits = env["scp.sales.commit"].search([("user_id", "in", users)])

    def cells():
        cr.execute(
            """
            SELECT p.name, c.week_start, c.commit_week, c.upside_week, c.commit_month, c.commit_quarter
              FROM scp_sales_commit c JOIN res_users u ON u.id = c.user_id
              JOIN res_partner p ON p.id = u.partner_id
             WHERE c.id = ANY(%s) ORDER BY c.week_start, p.name
            """,
            (commits.ids,),
        )
        commit_rows = [
            [(week, "date"), (name, None), ("Commit team", None)]
            + [(value, "money") for value in values]
            + [(0.0, "money"), (0.0, "money"), (0.0, "percent")]
            for name, week, *values in cr.fetchall()
        ]
        cr.execute(
            """
            SELECT p.name, l.name, cl.category, cl.amount, cl.probability, cl.date_deadline, cl.config_final,
                   cl.end_user_signed, cl.integrator_signed, cl.discount_approved, cl.partner_ready
              FROM scp_sales_commit_line cl JOIN crm_lead l ON l.id = cl.lead_id
              JOIN res_users u ON u.id = cl.user_id JOIN res_partner p ON p.id = u.partner_id
             WHERE cl.commit_id = ANY(%s)
            """,
            (commits.ids,),
        )
        line_rows = [
            [
                (seller, None),
                (deal, None),
                (category.title(), None),
                (amount, "money"),
                (prob / 100, "percent"),
                (deadline, "date"),
            ]
            + [("Yes" if flag else "No", None) for flag in flags]
            for seller, deal, category, amount, prob, deadline, *flags in cr.fetchall()
        ]
        # the review pack's cover, trend (8 weeks) and waterfall (8 steps), with their charts
        cover_rows = [[("Figure", None), (1.0, "percent"), ("Good", None), ("95 % to 110 %", None)]] * 25
        trend_rows = [[("Week", None)] * 6] + [
            [
                (weeks[0] - timedelta(days=7 * i), "date"),
                *[
                    (1000.0, "money"),
                    (1000.0, "money"),
                    (1.0, "percent"),
                    (0.95, "percent"),
                    (1.1, "percent"),
                ],
            ]
            for i in range(8)
        ]
        # the Waterfall sheet (since issue 16): 8 steps per commit, the chart's 8 rows beside the first ones
        cr.execute(
            """
            SELECT p.name, c.week_start FROM scp_sales_commit c JOIN res_users u ON u.id = c.user_id
              JOIN res_partner p ON p.id = u.partner_id WHERE c.id = ANY(%s) ORDER BY c.week_start, p.name
            """,
            (commits.ids,),
        )
        waterfall_rows = [[("Week", None), ("Salesperson", None), ("Step", None), ("Amount", None)]]
        for name, week in cr.fetchall():
            waterfall_rows += [[(week, "date"), (name, None), ("Step", None), (1000.0, "money")]] * 8
        for row in range(1, min(9, len(waterfall_rows))):
            waterfall_rows[row] = (
                waterfall_rows[row] + [(None, None), ("Step", None)] + [(1000.0, "money")] * 4
            )
        return [
            ("Cover", cover_rows),
            ("Commit", commit_rows),
            ("Checklist", line_rows),
            ("Trend", trend_rows, [("line", [1, 2, 3], [4, 5])]),
            ("Waterfall", waterfall_rows, [("column", [6, 7, 8, 9], [])]),
        ]

    mine, base, sheets = xlsx_job(env, measure, "report.sales_cycle_process.commit_pack_xlsx", commits, cells)
    line_rows = sheets[2][1]
    return {
        "ratio": mine["seconds"] / base["seconds"],
        "queries": mine["queries"],
        "peak_mb": mine["peak_mb"],
        "detail": f"{len(commits)} commits, {len(line_rows)} lines; {mine['seconds']:.1f}s vs "
        f"{base['seconds']:.1f}s",
    }


@job("monthly forecast XLSX pack, 100,000 lines", goal_ratio=1.5, goal_mb=100)
def bench_forecast_pack(env, measure, scale):
    """The forecast pack of 2 years (24 months) of 350 salespeople's forecasts of 12 months each, with their
    targets and open deals, against the raw constant_memory write of the same cells (the three sheets)."""
    cr = env.cr
    users = sql_users(env, max(2, round(350 * scale)), "Forecast Seller")
    team = sql_team(env, users, "Forecast pack team")
    now = this_month()
    months = [(now.replace(day=15) - timedelta(days=30.4 * i)).replace(day=1) for i in range(24)]
    sql_leads(env, users, team, 10 * len(users), now)
    params = {"team": team.id, "company": env.company.id, "users": users, "months": months}
    cr.execute(
        """
        INSERT INTO scp_sales_target (user_id, company_id, month, base_amount, raise_factor, amount,
                                      create_date, write_date, create_uid, write_uid)
        SELECT u, %(company)s, m::date, 10000, 1.1, 11000, now(), now(), 1, 1
          FROM unnest(%(users)s::int[]) u,
               generate_series(%(first)s::date, %(last)s::date, interval '1 month') m
        """,
        {**params, "first": min(months), "last": max(months) + timedelta(days=366)},
    )
    cr.execute(
        """
        INSERT INTO scp_sales_forecast (user_id, team_id, company_id, month, state, submitted_on,
                                        pipeline_total,
                                        total, create_date, write_date, create_uid, write_uid)
        SELECT u, %(team)s, %(company)s, m, 'current', now(), 120000, 125000, now(), now(), 1, 1
          FROM unnest(%(users)s::int[]) u, unnest(%(months)s::date[]) m
        """,
        params,
    )
    cr.execute(
        """
        INSERT INTO scp_sales_forecast_line (forecast_id, user_id, team_id, submitted_month, state, month,
                                             computed_amount, adjustment, amount,
                                             create_date, write_date, create_uid, write_uid)
        SELECT f.id, f.user_id, f.team_id, f.month, 'current', (f.month + i * interval '1 month')::date,
               10000 + i * 100, 500, 10500 + i * 100, now(), now(), 1, 1
          FROM scp_sales_forecast f, generate_series(0, 11) i
         WHERE f.user_id = ANY(%(users)s)
        """,
        params,
    )
    cr.execute("ANALYZE scp_sales_forecast_line")
    env.invalidate_all()
    forecasts = env["scp.sales.forecast"].search([("user_id", "in", users)])

    def cells():
        cr.execute(
            """
            SELECT p.name, fl.month, fl.computed_amount, fl.adjustment, fl.amount
              FROM scp_sales_forecast_line fl JOIN res_users u ON u.id = fl.user_id
              JOIN res_partner p ON p.id = u.partner_id
             WHERE fl.forecast_id = ANY(%s)
            """,
            (forecasts.ids,),
        )
        line_rows = [
            [
                (name, None),
                (month, "date"),
                (computed, "money"),
                (adjustment, "money"),
                (amount, "money"),
                (11000.0, "money"),
                (amount / 11000, "percent"),
            ]
            for name, month, computed, adjustment, amount in cr.fetchall()
        ]
        measure_rows = [
            [(f.user_id.name, None), (f.month, "date"), (f.total, "money"), (0.0, "money"), (0.0, "money")]
            + [(0.0, "percent")] * 4
            for f in forecasts
        ]
        # the Attainment sheet: a row per forecast and a team total per month (16 cells each)
        attainment_rows = [
            [(f.user_id.name, None), (f.team_id.name, None), (f.month, "date")]
            + [(0.0, "money"), (0.0, "money"), (0.0, "percent"), (0.0, "money"), (0.0, "percent")] * 2
            + [(f.total, "money"), (0.0, "money"), (0.0, "percent")]
            for f in forecasts
        ] + [
            [("Team total", None), (team.name, None), (month, "date")] + [(0.0, "money")] * 13
            for month in months
        ]
        # the review pack's cover, coverage (months x salespeople), growth and target sheets, with charts
        cover_rows = [[("Figure", None), (1.0, "percent"), ("Good", None), ("from 150 %", None)]] * 25
        coverage_rows = [[("Month", None)] + [("Salesperson", None)] * len(users) + [("Line", None)]] + [
            [(month, "date")] + [(1.2, "percent")] * len(users) + [(1.5, "percent")] for month in months
        ]
        growth_rows = [[("Month", None)] * 7] + [
            [
                (month, "date"),
                (1000.0, "money"),
                (0.1, "percent"),
                (1000.0, "money"),
                (0.1, "percent"),
                (0.05, "percent"),
                (0.1, "percent"),
            ]
            for month in months
        ]
        target_rows = [[("Month", None)] * 4] + [
            [(month, "date"), (1000.0, "money"), (1000.0, "money"), (1.0, "percent")] for month in months
        ]
        return [
            ("Cover", cover_rows),
            ("Forecast", line_rows),
            ("Measures", measure_rows),
            (
                "Coverage",
                coverage_rows,
                [("column", list(range(1, min(len(users), 20) + 1)), [len(users) + 1])],
            ),
            ("Growth", growth_rows, [("column", [2, 4], [5, 6])]),
            ("Target", target_rows, [("column", [1], [2]), ("column", [1], [2])]),
            ("Attainment", attainment_rows),
        ]

    mine, base, sheets = xlsx_job(
        env, measure, "report.sales_cycle_process.forecast_pack_xlsx", forecasts, cells
    )
    line_rows = sheets[1][1]
    return {
        "ratio": mine["seconds"] / base["seconds"],
        "queries": mine["queries"],
        "peak_mb": mine["peak_mb"],
        "detail": f"{len(forecasts)} forecasts, {len(line_rows)} lines; {mine['seconds']:.1f}s vs "
        f"{base['seconds']:.1f}s",
    }


@job("forecasting bias, 500 reps, 13 weeks, 100,000 deals", goal_ratio=2.0)
def bench_forecast_bias(env, measure, scale):
    """Each rep's forecasting bias (issue 15): 500 salespeople's commits of the last 13 weeks and forecasts of
    the last 6 months against their actuals from 100,000 won and open deals, week by week and month by month
    (``scp.forecast.measures._bias``), against one raw SQL statement grouping the same commits, forecast
    lines and won deals per salesperson and week or month. Queries at 1/10 of the salespeople and deals and
    at all of them."""
    from odoo.addons.sales_cycle_process.tools.periods import add_months, week_start

    cr = env.cr
    company = env.company.id
    env.company.write({"forecast_bias_weeks": 13, "forecast_bias_months": 6})
    Measures = env["scp.forecast.measures"]
    last_week = week_start(date.today()) - timedelta(days=7)
    weeks = Measures._bias_periods("week", last_week, 13)
    last_month = add_months(this_month(), -1)
    months = Measures._bias_periods("month", last_month, 6)
    all_users = []

    def grow(reps, deals, offset):
        users = sql_users(env, reps, f"Bias Rep {offset}")
        teams = [
            sql_team(env, users[index : index + 10], f"Bias team {offset}-{index}")
            for index in range(0, reps, 10)
        ]
        params = {"users": users, "company": company, "weeks": weeks, "months": months}
        cr.execute(
            """
            INSERT INTO scp_sales_commit (user_id, team_id, company_id, week_start, state, submitted_on,
                                          submitted_by_id, commit_week, commit_month, commit_quarter,
                                          upside_week, upside_month, upside_quarter, commit_total,
                                          create_date, write_date, create_uid, write_uid)
            SELECT u.id, u.sale_team_id, %(company)s, w, 'current', now(), u.id,
                   20000 + u.id %% 40 * 1000, 50000, 90000, 500, 1000, 2000, 90000, now(), now(), 1, 1
              FROM res_users u, unnest(%(weeks)s::date[]) w
             WHERE u.id = ANY(%(users)s)
            """,
            params,
        )
        cr.execute(
            """
            INSERT INTO scp_sales_forecast (user_id, team_id, company_id, month, state, submitted_on,
                                            pipeline_total, total, create_date, write_date, create_uid,
                                            write_uid)
            SELECT u.id, u.sale_team_id, %(company)s, m, 'current', now(), 120000, 125000,
                   now(), now(), 1, 1
              FROM res_users u, unnest(%(months)s::date[]) m WHERE u.id = ANY(%(users)s)
            """,
            params,
        )
        cr.execute(
            """
            INSERT INTO scp_sales_forecast_line (forecast_id, user_id, team_id, submitted_month, state, month,
                                                 computed_amount, adjustment, amount,
                                                 create_date, write_date, create_uid, write_uid)
            SELECT f.id, f.user_id, f.team_id, f.month, 'current', (f.month + i * interval '1 month')::date,
                   80000 + i * 100, 0, 80000 + i * 100, now(), now(), 1, 1
              FROM scp_sales_forecast f, generate_series(0, 11) i
             WHERE f.user_id = ANY(%(users)s)
            """,
            params,
        )
        first = this_month()
        sql_leads(env, users, teams[0], deals - deals // 2, first, offset=offset)
        sql_leads(env, users, teams[0], deals // 2, first, True, offset + deals)
        for table in ("scp_sales_commit", "scp_sales_forecast_line", "crm_lead"):
            cr.execute(f"ANALYZE {table}")
        env.invalidate_all()
        all_users.extend(users)

    def ours():
        env.invalidate_all()
        users = env["res.users"].browse(all_users)
        totals = {}
        for kind, last in (("week", last_week), ("month", last_month)):
            for verdict in Measures._bias(users, kind, last).values():
                for _period, called, actual, _ratio in verdict["periods"]:
                    totals[kind, "called"] = totals.get((kind, "called"), 0.0) + called
                    totals[kind, "actual"] = totals.get((kind, "actual"), 0.0) + actual
        return totals

    def raw():
        cr.execute(
            """
            SELECT 'week', 'called', sum(c.commit_week) FROM scp_sales_commit c
             WHERE c.user_id = ANY(%(users)s) AND c.week_start = ANY(%(weeks)s) AND c.state = 'current'
             GROUP BY c.user_id, c.week_start
            UNION ALL
            SELECT 'week', 'actual', sum(l.expected_revenue_company)
              FROM crm_lead l JOIN crm_stage s ON s.id = l.stage_id
             WHERE s.is_won AND l.user_id = ANY(%(users)s)
               AND l.date_closed >= %(week_start)s AND l.date_closed < %(week_stop)s
             GROUP BY l.user_id, date_trunc('week', l.date_closed)
            UNION ALL
            SELECT 'month', 'called', sum(f.amount) FROM scp_sales_forecast_line f
             WHERE f.user_id = ANY(%(users)s) AND f.state = 'current' AND f.submitted_month = ANY(%(months)s)
               AND f.month = f.submitted_month
             GROUP BY f.user_id, f.month
            UNION ALL
            SELECT 'month', 'actual', sum(l.expected_revenue_company)
              FROM crm_lead l JOIN crm_stage s ON s.id = l.stage_id
             WHERE s.is_won AND l.user_id = ANY(%(users)s)
               AND l.date_closed >= %(month_start)s AND l.date_closed < %(month_stop)s
             GROUP BY l.user_id, date_trunc('month', l.date_closed)
            """,
            {
                "users": all_users,
                "weeks": weeks,
                "months": months,
                "week_start": weeks[0],
                "week_stop": weeks[-1] + timedelta(days=7),
                "month_start": months[0],
                "month_stop": add_months(months[-1], 1),
            },
        )
        totals = {}
        for kind, what, amount in cr.fetchall():
            totals[kind, what] = totals.get((kind, what), 0.0) + amount
        return totals

    reps = max(20, round(500 * scale))
    deals = max(1000, round(100000 * scale))
    grow(reps // 10, deals // 10, 0)
    small = best_of(1, measure, ours)
    grow(reps - reps // 10, deals - deals // 10, 10 * deals)
    mine = best_of(3, measure, ours)
    base = best_of(3, measure, raw)
    same = all(math.isclose(mine["value"].get(key, 0.0), amount) for key, amount in base["value"].items())
    return {
        "ratio": mine["seconds"] / base["seconds"],
        "queries": mine["queries"],
        "peak_mb": mine["peak_mb"],
        "constant": small["queries"] == mine["queries"],
        "ok": same and mine["value"].get(("week", "actual"), 0.0) > 0,
        "detail": f"{len(all_users)} reps, {deals} deals, 13 weeks and 6 months; "
        f"queries {small['queries']} at 1/10, {mine['queries']} at full; "
        f"totals {'equal' if same else 'DIFFER'}; "
        f"{mine['seconds'] * 1000:.0f}ms vs {base['seconds'] * 1000:.0f}ms",
    }


@job("ladder calibration, 1,000,000 historical deals", goal_ratio=2.0)
def bench_ladder_calibration(env, measure, scale):
    """The ladder calibration per stage (the report's figures: reached, won, lost, open, win rate, Wilson
    interval, Brier scores) over 1,000,000 historical deals of 5 teams and 24 months, through the report's
    view, against one raw SQL GROUP BY of the same deals by highest stage reached and outcome, spread over
    the stages below in Python."""
    cr = env.cr
    total = max(10000, round(1000000 * scale))
    sellers = sql_users(env, 10, "Calibration Seller")
    teams = [sql_team(env, sellers[index::5], f"Calibration team {index}") for index in range(5)]
    team_ids = [team.id for team in teams]
    stages = env["crm.stage"].search([("team_id", "=", False)], order="sequence, id")
    won_stage = stages.filtered("is_won")[:1]
    ladder = (stages - won_stage).ids

    def insert(count, offset):
        # highest rung g % 8 (8 = won); every 3rd deal below the top lost, every 5th still open
        cr.execute(
            """
            INSERT INTO crm_lead (name, type, active, user_id, team_id, stage_id, company_id,
                                  expected_revenue, expected_revenue_company, prorated_revenue, probability,
                                  priority,
                                  ladder_reached_stage_id, ladder_close_stage_id, ladder_close_nominal,
                                  ladder_close_score, create_date, write_date, create_uid, write_uid)
            SELECT 'Calibration deal ' || g, 'opportunity', NOT d.lost,
                   (%(users)s::int[])[1 + g %% cardinality(%(users)s::int[])],
                   (%(teams)s::int[])[1 + g %% 5], d.stage, %(company)s, 1000, 1000, 0,
                   CASE WHEN d.lost THEN 0 ELSE 50 END, '0', d.stage, d.closed_from,
                   CASE WHEN d.closed_from IS NOT NULL THEN 50 END,
                   CASE WHEN d.closed_from IS NOT NULL THEN g %% 100 END,
                   now() - (g %% 24) * interval '1 month', now(), 1, 1
              FROM generate_series(%(start)s, %(stop)s) g,
                   LATERAL (
                       SELECT CASE WHEN g %% 9 = 8 THEN %(won)s
                                   ELSE (%(ladder)s::int[])[1 + (g %% 9) %% cardinality(%(ladder)s::int[])]
                              END AS stage,
                              g %% 9 <> 8 AND g %% 5 <> 0 AS lost,
                              CASE WHEN g %% 9 = 8 THEN (%(ladder)s::int[])[cardinality(%(ladder)s::int[])]
                                   WHEN g %% 5 <> 0 THEN
                                        (%(ladder)s::int[])[1 + (g %% 9) %% cardinality(%(ladder)s::int[])]
                              END AS closed_from
                   ) d
            """,
            {
                "users": sellers,
                "teams": team_ids,
                "company": env.company.id,
                "won": won_stage.id,
                "ladder": ladder,
                "start": offset + 1,
                "stop": offset + count,
            },
        )
        cr.execute("ANALYZE crm_lead")
        env.invalidate_all()

    Calibration = env["scp.ladder.calibration"]
    domain = [("team_id", "in", team_ids)]

    def ours():
        env.invalidate_all()
        return {
            stage.id: (
                figures["reached_count"],
                figures["won_count"],
                figures["lost_count"],
                figures["open_count"],
            )
            for stage, figures in Calibration._calibration_by_stage(domain).items()
        }

    def raw():
        cr.execute(
            """
            SELECT l.ladder_reached_stage_id, count(*),
                   count(*) FILTER (WHERE l.active AND cur.is_won),
                   count(*) FILTER (WHERE NOT l.active AND l.probability = 0),
                   count(*) FILTER (WHERE l.active AND cur.is_won IS NOT TRUE),
                   count(*) FILTER (WHERE l.ladder_close_score IS NOT NULL
                                      AND (l.active OR l.probability = 0)),
                   sum(power(l.ladder_close_score / 100.0 - (l.active AND cur.is_won)::int, 2)),
                   sum(power(l.ladder_close_nominal / 100.0 - (l.active AND cur.is_won)::int, 2))
                       AS nominal_sq
              FROM crm_lead l LEFT JOIN crm_stage cur ON cur.id = l.stage_id
             WHERE l.team_id = ANY(%s) AND l.type = 'opportunity' AND l.ladder_reached_stage_id IS NOT NULL
             GROUP BY 1
            """,
            (team_ids,),
        )
        by_highest = {row[0]: row[1:] for row in cr.fetchall()}
        order = {stage.id: (stage.sequence, stage.id) for stage in stages}
        result = {}
        for stage_id in ladder:
            counts = [0, 0, 0, 0]
            for top, (_reached, won, lost, still_open, *_scores) in by_highest.items():
                if order[top] >= order[stage_id] and won + lost + still_open:
                    counts = [
                        counts[0] + won + lost + still_open,
                        counts[1] + won,
                        counts[2] + lost,
                        counts[3] + still_open,
                    ]
            if counts[0]:
                result[stage_id] = tuple(counts)
        return result

    insert(total // 10, 0)
    small = best_of(1, measure, ours)
    insert(total - total // 10, total // 10)
    mine = best_of(3, measure, ours)
    base = best_of(3, measure, raw)
    same = mine["value"] == base["value"]
    return {
        "ratio": mine["seconds"] / base["seconds"],
        "queries": mine["queries"],
        "peak_mb": mine["peak_mb"],
        "constant": small["queries"] == mine["queries"],
        "ok": same,
        "detail": f"{total} deals, {len(mine['value'])} stages; queries {small['queries']} at 1/10, "
        f"{mine['queries']} at full; counts {'equal' if same else 'DIFFER'}; "
        f"{mine['seconds'] * 1000:.0f}ms vs {base['seconds'] * 1000:.0f}ms",
    }


@job("pipeline inspection, 100,000 deals", goal_ratio=2.0)
def bench_pipeline_inspection(env, measure, scale):
    """The pipeline inspection of the last 7 days (issue 15: new, won, lost, pushed out, pulled in, amount and
    stage up/down, into/out of commit), as a sales manager sees it: ``scp.pipeline.inspection._scp_fill``
    (one INSERT ... SELECT from the tracking values) against a raw SQL counting the same changes per kind
    over the same tables. Queries constant at 1/10 of the deals and at all of them."""
    total = max(1000, round(100000 * scale))
    today = date.today()
    start = today - timedelta(days=7)
    sellers = sql_users(env, 50, "Inspection Seller")
    team = sql_team(env, sellers, "Inspection team")
    field = env["ir.model.fields"]._get
    # as a sales manager (everybody's deals); the superuser is no salesperson
    Inspection = env["scp.pipeline.inspection"].with_user(env.ref("base.user_admin"))

    def ours():
        env.invalidate_all()  # every run starts from the same (cold record cache) state, at both sizes
        inspection = Inspection.create({"date_from": start, "date_to": today})
        inspection._scp_fill()
        env.cr.execute(
            "SELECT kind, COUNT(*), SUM(moves) FROM scp_pipeline_change"
            " WHERE inspection_id = %s GROUP BY kind",
            [inspection.id],
        )
        return {kind: (count, moves) for kind, count, moves in env.cr.fetchall()}

    def raw():
        # the same rows (deal, kind, how often, by how much, salesperson, team, region) read by one SELECT
        env.cr.execute(
            """
            WITH t AS (
                SELECT m.res_id, tv.field_id, m.date, tv.id, tv.old_value_datetime AS od,
                       tv.new_value_datetime AS nd, tv.old_value_float AS of, tv.new_value_float AS nf,
                       tv.old_value_integer AS oi, tv.new_value_integer AS ni
                  FROM mail_tracking_value tv JOIN mail_message m ON m.id = tv.mail_message_id
                 WHERE m.model = 'crm.lead' AND m.date >= %(start)s AND m.date < %(stop)s
                   AND tv.field_id IN (%(fd)s, %(fa)s, %(fs)s)
            ),
            c AS (
                SELECT res_id, 'pushed_out' AS kind, SUM((nd > od)::int) AS n, 0.0 AS delta
                  FROM t WHERE field_id = %(fd)s GROUP BY res_id HAVING SUM((nd > od)::int) > 0
                UNION ALL
                SELECT res_id, 'pulled_in', SUM((nd < od)::int), 0.0
                  FROM t WHERE field_id = %(fd)s GROUP BY res_id HAVING SUM((nd < od)::int) > 0
                UNION ALL
                SELECT res_id, CASE WHEN SUM(nf - of) > 0 THEN 'amount_up' ELSE 'amount_down' END, COUNT(*),
                       SUM(nf - of)
                  FROM t WHERE field_id = %(fa)s GROUP BY res_id HAVING SUM(nf - of) <> 0
                UNION ALL
                SELECT t.res_id, CASE WHEN (b.sequence, b.id) > (a.sequence, a.id) THEN 'stage_up'
                                      ELSE 'stage_down' END, 1, 0.0
                  FROM t JOIN crm_stage a ON a.id = t.oi JOIN crm_stage b ON b.id = t.ni
                 WHERE field_id = %(fs)s AND t.oi <> t.ni
                UNION ALL
                SELECT id, 'new', 1, 0.0 FROM crm_lead
                 WHERE type = 'opportunity' AND COALESCE(date_conversion, create_date) >= %(start)s
                   AND COALESCE(date_conversion, create_date) < %(stop)s
            )
            SELECT c.res_id, c.kind, c.n, c.delta, l.user_id, l.team_id, tm.region_id,
                   l.expected_revenue_company
              FROM c JOIN crm_lead l ON l.id = c.res_id LEFT JOIN crm_team tm ON tm.id = l.team_id
            """,
            {
                "start": start,
                "stop": today + timedelta(days=1),
                "fd": field("crm.lead", "date_deadline").id,
                "fa": field("crm.lead", "expected_revenue").id,
                "fs": field("crm.lead", "stage_id").id,
            },
        )
        result = {}
        for _lead, kind, moves, *_rest in env.cr.fetchall():
            count, total = result.get(kind, (0, 0))
            result[kind] = (count + 1, total + moves)
        return result

    first = sql_leads(env, sellers, team, total // 10, this_month())
    sql_tracking(env, first, start, 7)
    env.cr.execute("ANALYZE crm_lead; ANALYZE mail_message; ANALYZE mail_tracking_value")
    ours()  # warm the registry's caches (fields, groups, the action): the two sizes compare like for like
    small = best_of(1, measure, ours)
    rest = sql_leads(env, sellers, team, total - total // 10, this_month(), offset=total)
    sql_tracking(env, rest, start, 7)
    env.cr.execute("ANALYZE crm_lead; ANALYZE mail_message; ANALYZE mail_tracking_value")
    env.invalidate_all()
    mine = best_of(3, measure, ours)
    base = best_of(3, measure, raw)
    kinds = {kind: value for kind, value in mine["value"].items() if kind in base["value"]}
    same = kinds == {kind: tuple(value) for kind, value in base["value"].items()}
    return {
        "ratio": mine["seconds"] / base["seconds"],
        "queries": mine["queries"],
        "peak_mb": mine["peak_mb"],
        "constant": small["queries"] == mine["queries"],
        "ok": same,
        "detail": f"{total} deals, {sum(c for c, _m in mine['value'].values())} changes; queries "
        f"{small['queries']} at 1/10, {mine['queries']} at full; counts {'equal' if same else 'DIFFER'}; "
        f"{mine['seconds'] * 1000:.0f}ms vs {base['seconds'] * 1000:.0f}ms",
    }


@job("quotation follow-up scheduled action, 10,000 sent quotes", goal_ratio=1.5)
def bench_quote_followup(env, measure, scale):
    """The daily follow-up of sent quotations (#18 item 4) over 10,000 sent quotations of 20 salespeople (half
    through a distributor for an end user, a fifth above the visit amount), against one batch ``create`` of
    the activities it plans. At 1/10 of the quotations in batches of 1/10 the size, as many batches: a
    set-based cron makes as many queries."""
    cr = env.cr
    total = max(200, round(10000 * scale))
    sellers = sql_users(env, 20, "Followup Seller")
    env.company.write({"quote_followup_days": 7, "quote_followup_visit_amount": 50000})
    customers = env["res.partner"].create([{"name": f"Followup customer {i}"} for i in range(50)]).ids
    env.flush_all()
    cr.execute("SELECT coalesce(max(id), 0) FROM mail_followers")
    (followers_before,) = cr.fetchone()

    def add_quotes(count, offset):
        cr.execute(
            """
            INSERT INTO sale_order (name, state, partner_id, partner_invoice_id, partner_shipping_id,
                                    end_user_partner_id, user_id, company_id, date_order, quote_sent_date,
                                    amount_untaxed, amount_untaxed_company, after_sales_order_type,
                                    create_date, write_date, create_uid, write_uid)
            SELECT 'FQ' || g, 'sent', c.id, c.id, c.id,
                   CASE WHEN g %% 2 = 0 THEN (%(customers)s::int[])[1 + (g + 1) %% 50] END,
                   (%(users)s::int[])[1 + g %% 20], %(company)s, now(), (now() - interval '3 days')::date,
                   CASE WHEN g %% 5 = 0 THEN 80000 ELSE 9000 END,
                   CASE WHEN g %% 5 = 0 THEN 80000 ELSE 9000 END, 'standard',
                   now(), now(), 1, 1
              FROM generate_series(%(start)s, %(stop)s) g
              JOIN res_partner c ON c.id = (%(customers)s::int[])[1 + g %% 50]
            """,
            {
                "users": sellers,
                "customers": customers,
                "company": env.company.id,
                "start": offset + 1,
                "stop": offset + count,
            },
        )
        cr.execute("ANALYZE sale_order, res_partner, res_users")
        env.invalidate_all()

    SaleOrder = env["sale.order"]

    def run_cron(batch_size):
        SaleOrder._cron_quote_followups(batch_size=batch_size)
        env.flush_all()

    def forget():
        env.flush_all()
        cr.execute("ANALYZE mail_activity, mail_followers, mail_message")
        cr.execute("DELETE FROM mail_activity WHERE res_model = 'sale.order'")
        cr.execute("DELETE FROM mail_followers WHERE id > %s", (followers_before,))
        env.invalidate_all()

    batch = 500
    add_quotes(total // 10, 0)
    run_cron(batch // 10)  # warm-up: the ORM caches and the statistics
    forget()
    with measure() as small:
        run_cron(batch // 10)
    forget()
    add_quotes(total - total // 10, total // 10)
    with measure() as ours:
        run_cron(batch)
    cr.execute(
        """
        SELECT res_model_id, res_id, activity_type_id, summary, note, date_deadline, user_id
          FROM mail_activity WHERE res_model = 'sale.order'
        """
    )
    keys = ["res_model_id", "res_id", "activity_type_id", "summary", "note", "date_deadline", "user_id"]
    vals_list = [dict(zip(keys, row, strict=True)) for row in cr.fetchall()]
    forget()
    Activity = env["mail.activity"].with_context(mail_activity_quick_update=True)
    with measure() as base:
        SaleOrder.browse({vals["res_id"] for vals in vals_list}).mapped("display_name")
        Activity.create(vals_list)
        env.flush_all()
    batches = math.ceil(total / batch)
    return {
        "ratio": ours["seconds"] / base["seconds"],
        "queries": ours["queries"],
        "peak_mb": ours["peak_mb"],
        "constant": small["batch_queries"] == ours["batch_queries"],
        "detail": f"{len(vals_list)} follow-ups; queries, a batch INSERT/UPDATE counted once: "
        f"{small['batch_queries']} for {total // 10} quotes, {ours['batch_queries']} for {total} "
        f"in {batches} batches; statements {ours['queries']} vs baseline {base['queries']}; "
        f"{ours['seconds']:.1f}s vs {base['seconds']:.1f}s",
    }


def run_job(args, index):
    """Run one job in this process and print its result as JSON."""
    import odoo
    from odoo.api import SUPERUSER_ID, Environment
    from odoo.modules.registry import Registry

    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database, "--log-level=warn"])
    registry = Registry(args.database)
    func = JOBS[index][4]
    OrmChunks.install()
    with registry.cursor() as cr:
        env = Environment(cr, SUPERUSER_ID, {"tz": "UTC"})
        res = func(env, Measure(cr), args.scale)
        cr.rollback()
    print("BENCH " + json.dumps(res))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the issue's data sizes")
    parser.add_argument("--only", help="run the jobs whose name contains this text")
    parser.add_argument("--job", type=int, help=argparse.SUPPRESS)  # run one job in this process
    args = parser.parse_args()
    if args.job is not None:
        run_job(args, args.job)
        return 0

    failures = 0
    print(f"{'job':48} {'ratio':>7} {'goal':>11} {'queries':>8} {'peak MB':>8}  result")
    for index, (name, goal_ratio, goal_queries, goal_mb, _func) in enumerate(JOBS):
        if args.only and args.only not in name:
            continue
        # One process per job: its peak memory is its own (see the module's docstring).
        command = [
            sys.executable,
            __file__,
            "-c",
            args.config,
            "-d",
            args.database,
            "--scale",
            str(args.scale),
        ]
        proc = subprocess.run([*command, "--job", str(index)], capture_output=True, text=True, check=False)
        lines = [line for line in proc.stdout.splitlines() if line.startswith("BENCH ")]
        if proc.returncode or not lines:
            failures += 1
            print(f"{name:48} {'':>7} {'':>11} {'':>8} {'':>8}  ERROR\n{proc.stderr[-3000:]}")
            continue
        res = json.loads(lines[-1][len("BENCH ") :])
        ok = (
            (goal_ratio is None or res["ratio"] <= goal_ratio)
            and (goal_queries is None or res["queries"] <= goal_queries)
            and (goal_mb is None or res["peak_mb"] <= goal_mb)
            and res.get("constant", True)
            and res.get("ok", True)
        )
        failures += not ok
        goals = []
        if goal_ratio:
            goals.append(f"≤{goal_ratio}x")
        if goal_queries is not None:
            goals.append(f"≤{goal_queries}q")
        if goal_mb:
            goals.append(f"≤{goal_mb}MB")
        if "constant" in res:
            goals.append("q=const")
        print(
            f"{name:48} {res['ratio']:6.2f}x {','.join(goals):>11} {res['queries']:8d} "
            f"{res['peak_mb']:8.1f}  "
            f"{'OK' if ok else 'MISS'}  {res.get('detail', '')}",
            flush=True,
        )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
