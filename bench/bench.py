"""`make bench`: each job of the addon measured against the unavoidable work of the same run.

Runs inside a throw-away database (``scp_bench``, the addon installed without demo data). Every job prints one
line: its time as a ratio of its baseline measured in the same run, its SQL query count and the growth of the
process's peak memory, against the goal from the issue. Ratios, not seconds: they hold on any machine.

    .venv/bin/python bench/bench.py -c .dev/odoo.conf -d scp_bench [--scale 1.0] [--only NAME]
"""

import argparse
import contextlib
import resource
import sys
import time

JOBS = []


def job(name, goal_ratio=None, goal_queries=None):
    def register(func):
        JOBS.append((name, goal_ratio, goal_queries, func))
        return func

    return register


class Measure:
    """Wall time, SQL queries and peak-memory growth of a block."""

    def __init__(self, cr):
        self.cr = cr

    @contextlib.contextmanager
    def __call__(self):
        result = {}
        queries = self.cr.sql_log_count
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        start = time.perf_counter()
        yield result
        result["seconds"] = time.perf_counter() - start
        result["queries"] = self.cr.sql_log_count - queries
        result["peak_mb"] = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak) / 1024


@job("opportunity form read (extra queries vs stock)", goal_queries=3)
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


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the issue's data sizes")
    parser.add_argument("--only", help="run the jobs whose name contains this text")
    args = parser.parse_args()

    import odoo
    from odoo.api import SUPERUSER_ID, Environment
    from odoo.modules.registry import Registry

    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database, "--log-level=warn"])
    registry = Registry(args.database)
    failures = 0
    print(f"{'job':58} {'ratio':>8} {'goal':>7} {'queries':>8} {'peak MB':>8}  result")
    for name, goal_ratio, goal_queries, func in JOBS:
        if args.only and args.only not in name:
            continue
        with registry.cursor() as cr:
            env = Environment(cr, SUPERUSER_ID, {})
            res = func(env, Measure(cr), args.scale)
            cr.rollback()
        ok = (goal_ratio is None or res["ratio"] <= goal_ratio) and (
            goal_queries is None or res["queries"] <= goal_queries
        )
        failures += not ok
        goal = f"≤{goal_ratio}x" if goal_ratio else f"≤{goal_queries}q"
        print(
            f"{name:58} {res['ratio']:7.2f}x {goal:>7} {res['queries']:8d} {res['peak_mb']:8.1f}  "
            f"{'OK' if ok else 'MISS'}  {res.get('detail', '')}"
        )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
