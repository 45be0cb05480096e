"""`make bench-cluster`: the playbook at scale on the local cluster of `make cluster` (docs/scale.md).

1. Cadence planning over the loaded partners: the single scheduled run (today's cron, no queue_job) against
   the fan-out into jobs on 1 and on 2 job workers (queue_job, channel root.scp_cadence), with the wall time
   and the CPU time of Odoo and of PostgreSQL; then the fan-out again with one Odoo worker killed (SIGKILL)
   in the middle: every (rule, partner) planned exactly once.
2. 50 concurrent pack downloads through the balancer: the queries on the pack's tables seen by the primary
   and by the replica (pg_stat_statements on each), p50/p95 latency with the replica, then without it.
3. Memory of every Odoo worker against Odoo's default limit_memory_soft (2048 MiB of virtual memory): sampled
   after each cadence run and each download run, before the servers are restarted (a worker's peak resident
   memory is kept by the kernel for its whole life), and the single scheduled run's own process.

Prints one table and writes .dev/cluster/bench-results.json. Run by scripts/cluster.sh bench.
"""

import argparse
import datetime
import json
import os
import pathlib
import statistics
import subprocess
import sys
import threading
import time
from urllib.parse import urlencode

import psycopg2
import requests

ROOT = pathlib.Path(__file__).resolve().parents[1]
CL = pathlib.Path(os.environ.get("CLUSTER_DIR", ROOT / ".dev" / "cluster"))
PG_PORT = int(os.environ.get("CLUSTER_PG_PORT", 55432))
HTTP_A = int(os.environ.get("CLUSTER_HTTP_PORT", 8270))
LB_PORT = HTTP_A + 2
DB = os.environ.get("CLUSTER_DB", "scp_cluster")
ODOO_SRC = pathlib.Path(os.environ.get("ODOO_SRC", pathlib.Path.home() / "odoo" / "18.0"))
PYTHON = str(ROOT / ".venv" / "bin" / "python")
TICK = os.sysconf("SC_CLK_TCK")
SOFT_LIMIT_MIB = 2048
ACTIVE_JOB_STATES = ("wait_dependencies", "pending", "enqueued", "started")


def log(*args):
    print(*args, file=sys.stderr, flush=True)


def connect(port):
    cnx = psycopg2.connect(host="127.0.0.1", port=port, user="odoo", password="odoo", dbname=DB)
    cnx.autocommit = True
    return cnx


def query(port, sql, params=None):
    cnx = connect(port)
    try:
        with cnx.cursor() as cr:
            cr.execute(sql, params)
            return cr.fetchall() if cr.description else None
    finally:
        cnx.close()


def cluster(command, **env):
    subprocess.run([str(ROOT / "scripts" / "cluster.sh"), command], check=True, env={**os.environ, **env})


# --- CPU time of a process tree (its own, its waited-for children's, its live descendants') -------------
def _stat(pid):
    fields = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    # after the name: state(3) ppid(4) ... utime(14) stime(15) cutime(16) cstime(17), 1-based
    return int(fields[1]), sum(int(value) for value in fields[11:15])


def tree_cpu(root_pids):
    parents, cpu = {}, {}
    for entry in pathlib.Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)], cpu[int(entry.name)] = _stat(entry.name)
            except (FileNotFoundError, ProcessLookupError, IndexError):
                continue
    total, todo = 0, [pid for pid in root_pids if pid in cpu]
    while todo:
        pid = todo.pop()
        total += cpu[pid]
        todo.extend(child for child, parent in parents.items() if parent == pid)
    return total / TICK


def postmaster_pid(name):
    return int((CL / name / "postmaster.pid").read_text().split()[0])


def odoo_pids():
    return [int((CL / f"odoo-{name}.pid").read_text()) for name in ("a", "b")]


def cpu_now():
    return {
        "odoo": tree_cpu(odoo_pids()),
        "pg_primary": tree_cpu([postmaster_pid("primary")]),
        "pg_replica": tree_cpu([postmaster_pid("replica")]),
    }


def cpu_delta(before, after, extra_odoo=0.0):
    delta = {key: round(after[key] - before[key], 1) for key in before}
    delta["odoo"] = round(delta["odoo"] + extra_odoo, 1)
    return delta


# --- cadence ---------------------------------------------------------------------------------------------
ODOO_SNIPPET = """
import datetime, json, resource, sys, time, odoo
from odoo import api, SUPERUSER_ID
from odoo.modules.registry import Registry
odoo.tools.config.parse_config(["-c", sys.argv[1], "--workers=0", "--logfile=", "--log-level=warn"])
registry = Registry(sys.argv[2])
start, t0, c0 = datetime.datetime.utcnow(), time.monotonic(), time.process_time()
with registry.cursor() as cr:
    env = api.Environment(cr, SUPERUSER_ID, {})
    Rule = env["scp.cadence.rule"]
    if sys.argv[3] == "single":  # the scheduled run without queue_job: rule by rule, committed batch by batch
        cron = env.ref("sales_cycle_process.ir_cron_cadence_schedule")
        for rule in Rule.search([("active", "=", True)]):
            rule.with_context(cron_id=cron.id)._schedule()
            cr.commit()
    else:  # the scheduled run with queue_job: it queues one job per batch of partners
        Rule._cron_schedule_cadences()
        cr.commit()
wall, cpu = time.monotonic() - t0, time.process_time() - c0
peak_rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
print(json.dumps({"start": start.isoformat(), "wall": wall, "cpu": cpu, "peak_rss_mib": peak_rss_mib}))
"""


def run_odoo_snippet(mode):
    """Run the snippet in a process of its own (after its registry is loaded): when the work started (UTC),
    its wall time, its CPU time and its peak resident memory (MiB)."""
    output = subprocess.run(
        [PYTHON, "-c", ODOO_SNIPPET, str(CL / "odoo-a.conf"), DB, mode],
        cwd="/tmp",
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result = json.loads(output.strip().splitlines()[-1])
    phase = "single scheduled run" if mode == "single" else "scheduled run queuing the jobs"
    PROCESS_PEAKS.append({"phase": f"{phase} (its own process)", "peak_rss_mib": result["peak_rss_mib"]})
    return datetime.datetime.fromisoformat(result["start"]), result["wall"], result["cpu"]


def reset_cadence():
    query(
        PG_PORT,
        """
        DELETE FROM mail_activity WHERE cadence_state_id IS NOT NULL;
        DELETE FROM scp_cadence_state;
        DELETE FROM scp_cadence_rule_skipped_partner_rel;
        DELETE FROM mail_followers WHERE res_model = 'res.partner'
           AND partner_id IN (SELECT partner_id FROM res_users WHERE login LIKE 'scale_%%');
        DELETE FROM queue_job WHERE channel = 'root.scp_cadence';
        """,
    )
    query(PG_PORT, "VACUUM ANALYZE mail_activity, scp_cadence_state, mail_followers, queue_job")


def planned():
    """(pairs planned, duplicated pairs, activities) of the cadence planning."""
    ((pairs, activities),) = query(
        PG_PORT,
        "SELECT count(DISTINCT cadence_state_id), count(*) FROM mail_activity"
        " WHERE cadence_state_id IS NOT NULL",
    )
    (duplicated,) = query(
        PG_PORT,
        "SELECT count(*) FROM (SELECT cadence_state_id FROM mail_activity WHERE cadence_state_id IS NOT NULL"
        " GROUP BY cadence_state_id HAVING count(*) > 1) d",
    )[0]
    return pairs, duplicated, activities


def jobs_by_state():
    return dict(
        query(PG_PORT, "SELECT state, count(*) FROM queue_job WHERE channel = 'root.scp_cadence' GROUP BY 1")
    )


def busiest_worker():
    """The HTTP worker of either server that used the most CPU in the last second (the one running a job)."""

    def workers():
        result = {}
        for master in odoo_pids():
            for entry in pathlib.Path("/proc").iterdir():
                if entry.name.isdigit():
                    try:
                        ppid, cpu = _stat(entry.name)
                        cmdline = (entry / "cmdline").read_bytes()
                    except (FileNotFoundError, ProcessLookupError):
                        continue
                    if ppid == master and b"odoo-bin" in cmdline:
                        result[int(entry.name)] = cpu
        return result

    first = workers()
    time.sleep(1)
    second = workers()
    return max(second, key=lambda pid: second[pid] - first.get(pid, second[pid]))


def fan_out(label, kill_at=None, timeout=7200):
    before = cpu_now()
    t0 = time.monotonic()
    start, enqueue_wall, enqueue_cpu = run_odoo_snippet("jobs")
    total = sum(jobs_by_state().values())
    killed = None
    while True:
        states = jobs_by_state()
        if not any(states.get(state) for state in ACTIVE_JOB_STATES):
            break
        if kill_at is not None and killed is None and states.get("done", 0) >= kill_at * total:
            killed = busiest_worker()
            log(f"  killing Odoo worker {killed} (SIGKILL) with {states.get('done', 0)}/{total} jobs done")
            os.kill(killed, 9)
        if time.monotonic() - t0 > timeout:
            sys.exit(f"{label}: jobs still running after {timeout} s: {states}")
        time.sleep(0.5)
    ((last_done, retried),) = query(
        PG_PORT,
        # a job counts its runs (retry is 1 after the first): retried = run more than once
        "SELECT max(date_done), count(*) FILTER (WHERE retry > 1) FROM queue_job"
        " WHERE channel = 'root.scp_cadence'",
    )
    pairs, duplicated, activities = planned()
    result = {
        "run": label,
        "jobs": total,
        "states": jobs_by_state(),
        "wall_s": round((last_done - start).total_seconds(), 1),
        "enqueue_s": round(enqueue_wall, 1),
        "cpu_s": cpu_delta(before, cpu_now(), enqueue_cpu),
        "planned": pairs,
        "activities": activities,
        "duplicated": duplicated,
        "retried_jobs": retried,
    }
    if killed:
        result["killed_worker"] = killed
    sample_memory(label)
    return result


def bench_cadence(args):
    results = []
    cluster("restart", CLUSTER_JOB_WORKERS="1")
    reset_cadence()
    before = cpu_now()
    _start, wall, cpu = run_odoo_snippet("single")
    sample_memory("single cron")
    pairs, duplicated, activities = planned()
    results.append(
        {
            "run": "single cron",
            "wall_s": round(wall, 1),
            "cpu_s": cpu_delta(before, cpu_now(), cpu),
            "planned": pairs,
            "activities": activities,
            "duplicated": duplicated,
        }
    )
    log(f"  {results[-1]}")
    expected = pairs
    reset_cadence()
    results.append(fan_out("fan-out, 1 job worker"))
    log(f"  {results[-1]}")
    cluster("restart", CLUSTER_JOB_WORKERS="2")
    reset_cadence()
    results.append(fan_out("fan-out, 2 job workers"))
    log(f"  {results[-1]}")
    if not args.no_kill:
        reset_cadence()
        results.append(fan_out("fan-out, 2 job workers, one killed", kill_at=0.3))
        log(f"  {results[-1]}")
    for result in results:
        result["lost"] = expected - result["planned"]
    return results


# --- downloads -------------------------------------------------------------------------------------------
PACK_TABLES = ("scp_sales_commit", "scp_sales_forecast", "crm_lead")


def pack_queries(port):
    ((calls, rows),) = query(
        port,
        "SELECT coalesce(sum(calls), 0), coalesce(sum(rows), 0) FROM pg_stat_statements s"
        " JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = current_database()"
        " AND (" + " OR ".join("s.query LIKE %s" for _t in PACK_TABLES) + ")",
        [f"%{table}%" for table in PACK_TABLES],
    )
    return int(calls), int(rows)


def db_counters(port):
    ((xacts, tuples),) = query(
        port,
        "SELECT xact_commit + xact_rollback, tup_returned + tup_fetched FROM pg_stat_database"
        " WHERE datname = current_database()",
    )
    return int(xacts), int(tuples)


def downloads(label, concurrency, pack_commits):
    session = requests.Session()
    base = f"http://127.0.0.1:{LB_PORT}"
    session.post(
        f"{base}/web/session/authenticate",
        timeout=60,
        json={
            "jsonrpc": "2.0",
            "params": {"db": DB, "login": "admin", "password": "admin"},
        },
    ).raise_for_status()
    teams = query(
        PG_PORT,
        "SELECT array_agg(c.id ORDER BY c.id) FROM scp_sales_commit c JOIN crm_team t ON t.id = c.team_id"
        " WHERE t.name->>'en_US' LIKE 'Scale Team %%' GROUP BY c.team_id ORDER BY c.team_id",
    )
    if not teams:
        sys.exit("no commits loaded: run scripts/cluster.sh load first")
    urls = []
    for n in range(concurrency):
        ids = teams[n % len(teams)][0][:pack_commits]
        report = f"/report/xlsx/sales_cycle_process.commit_pack_xlsx/{','.join(map(str, ids))}"
        urls.append(
            f"{base}/report/download?" + urlencode({"data": json.dumps([report, "xlsx"]), "context": "{}"})
        )
    # warm up each server's workers (registry, assets), then measure
    for url in urls[:2]:
        session.get(url, timeout=600)
    for port in (PG_PORT, PG_PORT + 1):
        query(port, "SELECT pg_stat_statements_reset()")
    counters = {port: db_counters(port) for port in (PG_PORT, PG_PORT + 1)}
    before = cpu_now()
    latencies, sizes, errors = [], [], []
    barrier = threading.Barrier(concurrency)

    def fetch(url):
        barrier.wait()
        t0 = time.monotonic()
        try:
            response = session.get(url, timeout=1200)
            if "spreadsheetml" not in response.headers.get("Content-Type", ""):
                errors.append(response.text[:200])
            sizes.append(len(response.content))
        except requests.RequestException as error:
            errors.append(str(error))
        latencies.append(time.monotonic() - t0)

    t0 = time.monotonic()
    threads = [threading.Thread(target=fetch, args=(url,)) for url in urls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.monotonic() - t0
    time.sleep(1)
    latencies.sort()
    primary, replica = pack_queries(PG_PORT), pack_queries(PG_PORT + 1)
    after = {port: db_counters(port) for port in (PG_PORT, PG_PORT + 1)}
    return {
        "run": label,
        "downloads": concurrency,
        "pack_deals": 200 * pack_commits,
        "errors": len(errors),
        "first_error": errors[0] if errors else None,
        "pack_bytes": int(statistics.mean(sizes)) if sizes else 0,
        "wall_s": round(wall, 1),
        "p50_s": round(latencies[len(latencies) // 2], 2),
        "p95_s": round(latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))], 2),
        "pack_queries_primary": primary[0],
        "pack_rows_primary": primary[1],
        "pack_queries_replica": replica[0],
        "pack_rows_replica": replica[1],
        "transactions_primary": after[PG_PORT][0] - counters[PG_PORT][0],
        "transactions_replica": after[PG_PORT + 1][0] - counters[PG_PORT + 1][0],
        "tuples_read_primary": after[PG_PORT][1] - counters[PG_PORT][1],
        "tuples_read_replica": after[PG_PORT + 1][1] - counters[PG_PORT + 1][1],
        "cpu_s": cpu_delta(before, cpu_now()),
    }


def bench_downloads(args):
    results = []
    cluster("restart", CLUSTER_REPLICA="1")
    results.append(downloads("with the replica", args.downloads, args.pack_commits))
    sample_memory("downloads with the replica")
    log(f"  {results[-1]}")
    cluster("restart", CLUSTER_REPLICA="0")
    results.append(downloads("primary only", args.downloads, args.pack_commits))
    sample_memory("downloads, primary only")
    log(f"  {results[-1]}")
    cluster("restart", CLUSTER_REPLICA="1")
    return results


# --- memory ----------------------------------------------------------------------------------------------
MEMORY_SAMPLES = []  # every Odoo process of both servers, after each phase (before a restart ends them)
PROCESS_PEAKS = []  # the processes of their own (the single scheduled run)


def sample_memory(phase):
    for name, master in zip(("a", "b"), odoo_pids(), strict=True):
        for entry in pathlib.Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                ppid, _cpu = _stat(entry.name)
                status = (entry / "status").read_text()
            except (FileNotFoundError, ProcessLookupError):
                continue
            if ppid != master and int(entry.name) != master:
                continue
            values = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
            MEMORY_SAMPLES.append(
                {
                    "phase": phase,
                    "server": name,
                    "pid": int(entry.name),
                    "master": int(entry.name) == master,
                    "vms_mib": int(values["VmSize"].split()[0]) // 1024,
                    "rss_mib": int(values["VmRSS"].split()[0]) // 1024,
                    "peak_rss_mib": int(values["VmHWM"].split()[0]) // 1024,
                }
            )


def memory():
    sample_memory("end")
    recycled = 0
    for logfile in CL.glob("odoo-*.log"):
        recycled += logfile.read_text(errors="replace").count("virtual memory limit")
    return {
        "processes": MEMORY_SAMPLES,
        "own_processes": PROCESS_PEAKS,
        "soft_limit_mib": SOFT_LIMIT_MIB,
        "recycled_for_memory": recycled,
    }


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--only",
        choices=["cadence", "single", "fan-out", "downloads", "memory"],
        action="append",
        help="single, fan-out: only the single scheduled run, only the cadence fan-out on 2 job workers (for "
        "their memory, without the other runs)",
    )
    parser.add_argument("--downloads", type=int, default=50)
    parser.add_argument("--no-kill", action="store_true")
    parser.add_argument(
        "--pack-commits", type=int, default=10, help="commits of a team in each pack (10: the whole team)"
    )
    parser.add_argument(
        "--cadence-partners",
        type=int,
        help="a reduced scale: only the first N loaded partners follow the cadence rules (the others lose "
        "their tier and selection; reload to restore them)",
    )
    args = parser.parse_args()
    only = set(args.only or ["cadence", "downloads", "memory"])
    ((partners,),) = query(PG_PORT, "SELECT count(*) FROM res_partner WHERE ref LIKE 'scale-%%'")
    ((leads,),) = query(PG_PORT, "SELECT count(*) FROM crm_lead WHERE name LIKE 'Scale Deal %%'")
    # the bench runs the cadence planning itself: the daily scheduled action must not start one in between
    query(
        PG_PORT,
        "UPDATE ir_cron SET active = false WHERE id = (SELECT res_id FROM ir_model_data"
        " WHERE module = 'sales_cycle_process' AND name = 'ir_cron_cadence_schedule')",
    )
    results = {"partners": partners, "opportunities": leads, "cpus": os.cpu_count()}
    log(f"bench-cluster on {partners} partners and {leads} opportunities ({os.cpu_count()} CPUs)")
    if args.cadence_partners:
        query(
            PG_PORT,
            "UPDATE res_partner SET distributor_tier = NULL, selected_customer = false"
            " WHERE ref LIKE 'scale-%%' AND substr(ref, 7)::int > %s",
            [args.cadence_partners],
        )
    (following,) = query(
        PG_PORT,
        "SELECT count(*) FROM res_partner WHERE ref LIKE 'scale-%%'"
        " AND (distributor_tier IS NOT NULL OR selected_customer)",
    )[0]
    results["cadence_partners"] = following
    if "cadence" in only:
        log(f"cadence planning over the {following} partners that follow a rule ...")
        results["cadence"] = bench_cadence(args)
    if "single" in only and "cadence" not in only:
        log(f"the single scheduled run over the {following} partners that follow a rule ...")
        reset_cadence()
        before = cpu_now()
        _start, wall, cpu = run_odoo_snippet("single")
        results["single"] = {"wall_s": round(wall, 1), "cpu_s": cpu_delta(before, cpu_now(), cpu)}
        log(f"  {results['single']}")
    if "fan-out" in only and "cadence" not in only:
        log(f"cadence fan-out on 2 job workers over the {following} partners that follow a rule ...")
        cluster("restart", CLUSTER_JOB_WORKERS="2")
        reset_cadence()
        results["fan_out"] = fan_out("fan-out, 2 job workers")
        log(f"  {results['fan_out']}")
    if "downloads" in only:
        log(f"{args.downloads} concurrent pack downloads ...")
        results["downloads"] = bench_downloads(args)
    if "memory" in only:
        results["memory"] = memory()
    out = CL / "bench-results.json"
    previous = json.loads(out.read_text()) if out.exists() else {}
    out.write_text(json.dumps({**previous, **results}, indent=2, default=str))
    report(results)


def report(results):
    print(
        f"\nbench-cluster: {results['partners']} partners ({results.get('cadence_partners')} following "
        f"a cadence rule), {results['opportunities']} opportunities, {results['cpus']} CPUs"
    )
    cadence = results.get("cadence")
    if cadence:
        print(
            f"{'cadence run':38} {'wall s':>8} {'Odoo CPU s':>10} {'PG CPU s':>9} {'planned':>8} "
            f"{'dup':>4} {'lost':>5} {'retried':>7}"
        )
        for row in cadence:
            print(
                f"{row['run']:38} {row['wall_s']:>8} {row['cpu_s']['odoo']:>10} "
                f"{row['cpu_s']['pg_primary']:>9} {row['planned']:>8} {row['duplicated']:>4} "
                f"{row['lost']:>5} {row.get('retried_jobs', '-'):>7}"
            )
        by_run = {row["run"]: row for row in cadence}
        one, two = by_run.get("fan-out, 1 job worker"), by_run.get("fan-out, 2 job workers")
        single = by_run["single cron"]
        if one and two:
            print(
                f"speed-up of 2 job workers over 1: {one['wall_s'] / two['wall_s']:.2f}x; "
                f"over the single cron: {single['wall_s'] / two['wall_s']:.2f}x"
            )
    for row in results.get("downloads", []):
        print(
            f"{row['downloads']} downloads, {row['run']:17} p50 {row['p50_s']} s, p95 {row['p95_s']} s, "
            f"wall {row['wall_s']} s, errors {row['errors']}; pack queries primary "
            f"{row['pack_queries_primary']} / replica {row['pack_queries_replica']}; transactions primary "
            f"{row['transactions_primary']} / replica {row['transactions_replica']}"
        )
    mem = results.get("memory")
    if mem:
        workers = [row for row in mem["processes"] if not row["master"]]
        if workers:
            vms = max(row["vms_mib"] for row in workers)
            peak = max(row["peak_rss_mib"] for row in workers)
            print(
                f"memory per worker, over {len({row['phase'] for row in workers})} samples: max virtual "
                f"{vms} MiB, max peak RSS {peak} MiB (limit_memory_soft {mem['soft_limit_mib']} MiB "
                f"virtual); workers recycled for memory: {mem['recycled_for_memory']}"
            )
        for row in mem["own_processes"]:
            print(f"memory of the {row['phase']}: peak RSS {row['peak_rss_mib']} MiB")


if __name__ == "__main__":
    main()
