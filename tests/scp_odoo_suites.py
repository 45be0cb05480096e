"""pytest plugin for running Odoo's own test suites (crm, sale_crm, sale) with the addon installed.

Loaded by ``scripts/dev.sh`` with ``-p scp_odoo_suites`` (``tests/`` on ``PYTHONPATH``). It

* names every test by a stable id, ``<addon>/tests/<file>.py::<Class>::<method>``, whatever pytest's
  rootdir is (Odoo's source tree lies outside this repository);
* deselects the tests listed in ``tests/odoo_suites_known_differences.txt`` (one id per line, then the
  reason), prints how many it deselected, and names the entries that match no collected test (stale);
* with ``SCP_ODOO_SUITES_KNOWN=run`` runs the listed tests too (to check whether they still fail);
* with ``SCP_ODOO_SUITES_REPORT=<file>`` writes one line per failed or erroneous test: id, outcome and
  the last line of its traceback (the root cause), for the triage.
"""

import os
from pathlib import Path

import pytest

KNOWN = Path(__file__).with_name("odoo_suites_known_differences.txt")


def stable_id(item):
    """``crm/tests/test_crm_lead.py::TestCRMLead::test_x`` for an item of Odoo's ``crm`` addon."""
    path = Path(str(item.path))
    addon_dir = path.parent
    for _ in range(5):
        if (addon_dir / "__manifest__.py").is_file():
            break
        addon_dir = addon_dir.parent
    else:
        return item.nodeid
    rel = path.relative_to(addon_dir.parent).as_posix()
    return "::".join([rel, *item.nodeid.split("::")[1:]])


def read_known(path=KNOWN):
    """{test id: (section, reason)} from the known-differences file."""
    known, section = {}, ""
    if not path.is_file():
        return known
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("## "):
            section = line[3:].strip()
            continue
        if not line or line.startswith("#"):
            continue
        test_id, _, reason = line.partition(" ")
        if not reason.strip():
            raise pytest.UsageError(f"{path.name}: no reason given for {test_id}")
        known[test_id] = (section, reason.strip())
    return known


def pytest_collection_modifyitems(session, config, items):
    known = read_known()
    for item in items:
        item.user_properties.append(("scp_id", stable_id(item)))
    if os.environ.get("SCP_ODOO_SUITES_KNOWN") == "run":
        return
    kept, deselected = [], []
    seen = set()
    for item in items:
        sid = stable_id(item)
        if sid in known:
            deselected.append(item)
            seen.add(sid)
        else:
            kept.append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept
    collected_addons = {stable_id(item).split("/", 1)[0] for item in kept + deselected}
    stale = [sid for sid in known if sid not in seen and sid.split("/", 1)[0] in collected_addons]
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter:
        reporter.write_line(
            f"scp_odoo_suites: {len(deselected)} tests deselected as known differences ({KNOWN.name})"
        )
        for sid in stale:
            reporter.write_line(f"scp_odoo_suites: WARNING: known difference matches no test: {sid}")


def pytest_runtest_logreport(report):
    target = os.environ.get("SCP_ODOO_SUITES_REPORT")
    if not target or report.outcome != "failed":
        return
    sid = dict(report.user_properties).get("scp_id", report.nodeid)
    outcome = "error" if report.when != "call" else "failed"
    crash = getattr(report.longrepr, "reprcrash", None)
    if crash is not None:
        root = " | ".join(line.strip() for line in crash.message.splitlines() if line.strip())
    else:
        lines = [line for line in (report.longreprtext or "").splitlines() if line.strip()]
        root = lines[-1].strip() if lines else ""
    with open(target, "a", encoding="utf-8") as out:
        out.write(f"{sid}\t{outcome}\t{report.when}\t{root[:500]}\n")
