#!/usr/bin/env bash
# Development loop for the sales_cycle_process addon: a venv, a private PostgreSQL cluster, Odoo.
# Called by the Makefile (`make run`, `make test`, `make lint`, `make stop`, `make clean`).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
ADDON=sales_cycle_process
ODOO_SRC=${ODOO_SRC:-$HOME/odoo/18.0}
PYTHON=${PYTHON:-python3}
VENV=$ROOT/.venv
DEV=$ROOT/.dev
CONF=$DEV/odoo.conf
HTTP_PORT=${HTTP_PORT:-8069}
DEMO_DB=${DEMO_DB:-scp_demo}
TEST_DB=${TEST_DB:-scp_test}

say() { printf '%s\n' "$*" >&2; }
die() { say "ERROR: $*"; exit 1; }

# --- Odoo source tree -------------------------------------------------------------------------
ensure_odoo() {
  [ -f "$ODOO_SRC/odoo-bin" ] && return 0
  say "No Odoo 18.0 tree at $ODOO_SRC; trying a shallow clone of Odoo's public repository..."
  if git clone --quiet --depth 1 -b 18.0 https://github.com/odoo/odoo.git "$ODOO_SRC" 2>/dev/null \
      && [ -f "$ODOO_SRC/odoo-bin" ]; then
    return 0
  fi
  die "Odoo 18.0 Community was not found: put an Odoo 18.0 source tree (the folder holding odoo-bin) at $ODOO_SRC, or point ODOO_SRC at one."
}

# --- Python environment -----------------------------------------------------------------------
ensure_venv() {
  ensure_odoo
  local stamp=$VENV/.scp-requirements
  local want
  want=$(cat requirements-odoo.txt requirements.txt requirements-dev.txt | sha1sum | cut -c1-40)
  if [ ! -x "$VENV/bin/python" ]; then
    say "Creating $VENV ..."
    "$PYTHON" -m venv "$VENV"
  fi
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    say "Installing Python packages into $VENV (Odoo's dependencies, the addon's, the tools) ..."
    "$VENV/bin/pip" install -q --disable-pip-version-check --upgrade pip wheel setuptools
    "$VENV/bin/pip" install -q --disable-pip-version-check -r requirements-odoo.txt
    # OCA addon wheels pin an `odoo` distribution that a source tree does not provide.
    "$VENV/bin/pip" install -q --disable-pip-version-check --no-deps -r requirements.txt
    "$VENV/bin/pip" install -q --disable-pip-version-check -r requirements-dev.txt
    echo "$want" >"$stamp"
  fi
  # Make `import odoo` work in the venv (pytest-odoo, pylint) without installing Odoo into it.
  local site
  site=$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
  echo "$ODOO_SRC" >"$site/odoo-src.pth"
}

# --- PostgreSQL -------------------------------------------------------------------------------
# Uses the server named by PGHOST/PGPORT/PGUSER when they are set; otherwise a private cluster
# under .dev/pg (run as the `postgres` system user when we are root: PostgreSQL refuses root).
as_pg_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_bin() {
  local b
  for b in "$(command -v pg_ctl 2>/dev/null || true)" /usr/lib/postgresql/*/bin/pg_ctl; do
    [ -x "$b" ] && { dirname "$(readlink -f "$b")"; return 0; }
  done
  die "PostgreSQL server programs (pg_ctl, initdb) were not found: install PostgreSQL 13 or newer, or set PGHOST/PGPORT/PGUSER to use a running server."
}

free_port() {
  "$PYTHON" - "$1" <<'PY'
import socket, sys
port = int(sys.argv[1])
while True:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
            break
        except OSError:
            port += 1
print(port)
PY
}

pg_datadir() {
  local d=$DEV/pg
  if [ "$(id -u)" = 0 ]; then
    mkdir -p "$DEV"
    # The postgres user must be able to reach the data directory (it cannot enter /root).
    if ! runuser -u postgres -- test -x "$DEV" 2>/dev/null; then
      d=/var/tmp/scp-pg-$(echo "$ROOT" | sha1sum | cut -c1-12)
    fi
  fi
  echo "$d"
}

ensure_pg() {
  mkdir -p "$DEV"
  if [ -n "${PGHOST:-}" ] || [ -n "${PGPORT:-}" ] || [ -n "${PGUSER:-}" ]; then
    DB_HOST=${PGHOST:-localhost}; DB_PORT=${PGPORT:-5432}; DB_USER=${PGUSER:-$(id -un)}
    DB_PASSWORD=${PGPASSWORD:-}
    return 0
  fi
  local bin data port
  bin=$(pg_bin); data=$(pg_datadir)
  if [ ! -f "$data/PG_VERSION" ]; then
    say "Creating a private PostgreSQL cluster in $data ..."
    mkdir -p "$data"
    [ "$(id -u)" = 0 ] && chown postgres: "$data"
    chmod 700 "$data"
    as_pg_owner "$bin/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C >/dev/null
  fi
  [ "$data" != "$DEV/pg" ] && ln -sfn "$data" "$DEV/pg"
  if [ -f "$DEV/pg.port" ]; then port=$(cat "$DEV/pg.port"); else port=$(free_port 5433); echo "$port" >"$DEV/pg.port"; fi
  if ! as_pg_owner "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    if ! as_pg_owner "$bin/pg_ctl" -D "$data" -s -w -l "$data/server.log" \
        -o "-p $port -k $data -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off" start; then
      port=$(free_port 5433); echo "$port" >"$DEV/pg.port"
      as_pg_owner "$bin/pg_ctl" -D "$data" -s -w -l "$data/server.log" \
        -o "-p $port -k $data -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off" start \
        || die "the private PostgreSQL cluster did not start; see $data/server.log"
    fi
  fi
  DB_HOST=127.0.0.1; DB_PORT=$port; DB_USER=odoo; DB_PASSWORD=odoo
  as_pg_owner psql -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -c \
    "DO \$\$BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname='odoo') THEN
       CREATE ROLE odoo LOGIN CREATEDB PASSWORD 'odoo'; END IF; END\$\$;" >/dev/null
}

write_conf() {
  mkdir -p "$DEV/data"
  cat >"$CONF" <<CONF
[options]
addons_path = $ODOO_SRC/addons,$ODOO_SRC/odoo/addons,$ROOT
data_dir = $DEV/data
db_host = $DB_HOST
db_port = $DB_PORT
db_user = $DB_USER
db_password = $DB_PASSWORD
admin_passwd = admin
http_interface = 127.0.0.1
http_port = $HTTP_PORT
list_db = False
CONF
}

cmd_setup() { setup; }
setup() { ensure_venv; ensure_pg; write_conf; }
odoo_bin() { "$VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$CONF" "$@"; }
db_exists() {
  PGPASSWORD=$DB_PASSWORD psql -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname='$1'" | grep -q 1
}
drop_db() {
  PGPASSWORD=$DB_PASSWORD dropdb --if-exists -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" "$1"
  rm -rf "$DEV/data/filestore/$1"
}
addon_hash() { find "$ADDON" -type f ! -name '*.pyc' -print0 | sort -z | xargs -0 sha1sum | sha1sum | cut -c1-40; }

# --- commands ---------------------------------------------------------------------------------
cmd_run() {
  setup
  local stamp=$DEV/$DEMO_DB.addon
  if ! db_exists "$DEMO_DB"; then
    say "Creating database $DEMO_DB with $ADDON and its demo data (a few minutes the first time) ..."
    odoo_bin -d "$DEMO_DB" -i "$ADDON" --stop-after-init --log-level=warn
    addon_hash >"$stamp"
  elif [ "$(cat "$stamp" 2>/dev/null)" != "$(addon_hash)" ]; then
    say "The addon changed since the last run: updating it in $DEMO_DB ..."
    odoo_bin -d "$DEMO_DB" -u "$ADDON" --stop-after-init --log-level=warn
    addon_hash >"$stamp"
  fi
  say "Odoo is starting at http://localhost:$HTTP_PORT (login admin / password admin; Ctrl+C stops it)"
  exec "$VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$CONF" -d "$DEMO_DB" --db-filter="^$DEMO_DB\$"
}

# A fresh database $1 with the modules $2 and demo data; any WARNING/ERROR in the install log fails.
install_fresh() {
  local db=$1 modules=$2 log=$DEV/install-$1.log
  drop_db "$db"
  say "Installing $modules with demo data into a fresh database $db ..."
  odoo_bin -d "$db" -i "$modules" --stop-after-init --log-level=info >"$log" 2>&1 \
    || { tail -n 40 "$log" >&2; die "installing $modules failed; the whole log is in $log"; }
  # Stock Odoo installs CRM, Sales and Inventory without a single warning: any WARNING/ERROR line is ours.
  if grep -E "^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|WARNING|CRITICAL) " "$log" >&2; then
    die "installing $modules wrote the ERROR/WARNING lines above (log: $log)"
  fi
}

run_pytest() {
  local db=$1; shift
  SCP_TEST_CONF=$CONF SCP_ODOO_SRC=$ODOO_SRC "$VENV/bin/python" -m pytest -p no:cacheprovider -rs \
    --odoo-config="$CONF" --odoo-database="$db" --odoo-log-level="${ODOO_LOG_LEVEL:-warn}" --odoo-http "$@"
}

# Odoo's own test suites of the given addons (default: crm sale_crm) against database $1, minus the
# differences listed in tests/odoo_suites_known_differences.txt (tests/scp_odoo_suites.py deselects them).
run_odoo_suites() {
  local db=$1; shift
  local paths=() addon
  for addon in ${ODOO_SUITES:-crm sale_crm}; do paths+=("$ODOO_SRC/addons/$addon/tests"); done
  local rc=0
  PYTHONPATH="$ROOT/tests${PYTHONPATH:+:$PYTHONPATH}" run_pytest "$db" -p scp_odoo_suites \
    -c "$ROOT/pytest.ini" --rootdir "$ODOO_SRC/addons" "$@" "${paths[@]}" || rc=$?
  [ "$rc" = 5 ] && rc=0  # PYTEST_ARGS such as -k selected none of Odoo's tests
  return "$rc"
}

# Install the addon as it was at git revision $UPGRADE_FROM (default: the last commit before the
# manifest got its current version) with demo data, upgrade it to this tree, check with tests/test_upgrade.py.
upgrade_from_default() {
  local version bump
  version=$(manifest_version "$ADDON")
  bump=$(git log --reverse --format=%H -S"\"$version\"" -- "$ADDON/__manifest__.py" | head -n 1)
  if [ -n "$bump" ] && git rev-parse -q --verify "$bump^" >/dev/null; then echo "$bump^"; else echo HEAD; fi
}

manifest_version() {
  "$PYTHON" -c 'import ast, sys; print(ast.literal_eval(open(sys.argv[1]).read())["version"])' "$1/__manifest__.py"
}

cmd_test_upgrade() {
  setup
  git rev-parse --git-dir >/dev/null 2>&1 || { say "Upgrade test skipped: $ROOT is not a git checkout."; return 0; }
  local from=${UPGRADE_FROM:-$(upgrade_from_default)} db=${UPGRADE_DB:-${TEST_DB}_upgrade}
  local old=$DEV/upgrade-from rev log=$DEV/upgrade-$db.log age=--age
  rev=$(git rev-parse --verify -q "$from^{commit}") || die "UPGRADE_FROM=$from is not a git revision"
  rm -rf "$old"; mkdir -p "$old"
  git archive "$rev" "$ADDON" | tar -x -C "$old"
  say "Upgrade test: $ADDON $(manifest_version "$old/$ADDON") at $(git log -1 --format='%h %s' "$rev" | cut -c1-70)" \
    "-> $(manifest_version "$ADDON") (this tree)"
  if [ "$(manifest_version "$old/$ADDON")" = "$(manifest_version "$ADDON")" ]; then
    say "NOTE: same version on both sides (a shallow clone?): no migration script runs; set UPGRADE_FROM."
    age=
  fi
  sed "s#^addons_path = .*#addons_path = $ODOO_SRC/addons,$ODOO_SRC/odoo/addons,$old#" "$CONF" >"$DEV/odoo-upgrade-from.conf"
  drop_db "$db"
  "$VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$DEV/odoo-upgrade-from.conf" -d "$db" -i "$ADDON" \
    --stop-after-init --log-level=warn >"$DEV/install-$db.log" 2>&1 \
    || { tail -n 40 "$DEV/install-$db.log" >&2; die "installing $ADDON at $from failed (log: $DEV/install-$db.log)"; }
  "$VENV/bin/python" tests/test_upgrade.py snapshot $age --conf "$CONF" --db "$db" --out "$DEV/upgrade-before.json"
  say "Updating $ADDON in $db with this tree (-u) ..."
  odoo_bin -d "$db" -u "$ADDON" --stop-after-init --log-level=info >"$log" 2>&1 \
    || { tail -n 40 "$log" >&2; die "the update failed; the whole log is in $log"; }
  if grep -E "^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|WARNING|CRITICAL) " "$log" >&2; then
    die "the update wrote the ERROR/WARNING lines above (log: $log)"
  fi
  local rc=0
  SCP_UPGRADE_DB=$db SCP_UPGRADE_BEFORE=$DEV/upgrade-before.json run_pytest "$db" "$@" tests/test_upgrade.py || rc=$?
  [ "$rc" = 5 ] && rc=0  # PYTEST_ARGS such as -k selected none of these tests
  return "$rc"
}

# Odoo's own suites on the addon's test database (created if missing): `make test-odoo` (crm and
# sale_crm, as in `make test`), `make test-odoo-sale` (sale: figures only, not part of `make test`).
cmd_test_odoo() {
  setup
  db_exists "$TEST_DB" || install_fresh "$TEST_DB" "$ADDON"
  say "Running Odoo's own ${ODOO_SUITES:-crm sale_crm} test suites on $TEST_DB ..."
  run_odoo_suites "$TEST_DB" "$@"
}

cmd_test() {
  setup
  command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 \
    || say "NOTE: Chromium is not installed: the browser tours will be skipped (apt-get install chromium)."
  local rc=0
  if [ -z "${TEST_PATHS:-}" ]; then
    # The Inventory glue addon, in its own database (it pulls in sale_stock).
    install_fresh "${TEST_DB}_stock" "${ADDON}_stock"
    say "Running the tests of ${ADDON}_stock ..."
    run_pytest "${TEST_DB}_stock" "$@" "${ADDON}_stock/tests" || rc=$?
    # The Job Queue glue addon, in its own database with OCA's queue_job (requirements.txt).
    install_fresh "${TEST_DB}_queue" "${ADDON}_queue"
    say "Running the tests of ${ADDON}_queue ..."
    run_pytest "${TEST_DB}_queue" "$@" "${ADDON}_queue/tests" || rc=$?
  fi
  install_fresh "$TEST_DB" "$ADDON"
  say "Running the test suite ..."
  run_pytest "$TEST_DB" "$@" ${TEST_PATHS:-"$ADDON/tests" tests} || rc=$?
  if [ -z "${TEST_PATHS:-}" ]; then
    # The Dashboards glue addon: installed with the addon (Sales installs spreadsheet_dashboard).
    say "Running the tests of ${ADDON}_dashboard ..."
    run_pytest "$TEST_DB" "$@" "${ADDON}_dashboard/tests" || rc=$?
    say "Running Odoo's own crm and sale_crm test suites on $TEST_DB (documented differences deselected) ..."
    ODOO_SUITES="crm sale_crm" run_odoo_suites "$TEST_DB" "$@" || rc=$?
    say "Upgrade test: the previous version of $ADDON with demo data, updated to this tree ..."
    ( cmd_test_upgrade "$@" ) || rc=$?
  fi
  [ "$rc" = 0 ] || say "FAILED: see the test output above (exit code $rc)."
  return "$rc"
}

# The addon's tests as Odoo's own runner runs them (OCA's CI, runbot): a fresh database, `-i` with
# --test-enable; prints Odoo's count, to compare with pytest-odoo's (`make test-odoo-bin`, not in `make test`).
cmd_test_odoo_bin() {
  setup
  local db=${TEST_DB}_odoo_bin log=$DEV/test-odoo-bin.log
  drop_db "$db"
  say "Installing $ADDON with demo data into $db and running its tests with odoo-bin --test-enable ..."
  local rc=0
  # the tours and the welcome letter's PDF are served by this run's HTTP server (HTTP_PORT, free)
  odoo_bin -d "$db" -i "$ADDON" --test-enable --test-tags "/$ADDON" --stop-after-init --log-level=test \
    >"$log" 2>&1 || rc=$?
  grep -E "^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) " "$log" | head -n 40 >&2 || true
  # Odoo's own count (skipped tests included), to compare with pytest-odoo's "passed + skipped"
  grep -E "error\(s\) of [0-9]+ tests when loading|post-tests in" "$log" | sed -E 's/^[0-9-]+ [0-9:,]+ [0-9]+ [A-Z]+ [^ ]+ [^ ]+: //' || true
  say "The whole log is in $log"
  return "$rc"
}

# Quicker loop while developing: update the addon in the existing test database, then run pytest
# on the given paths or options (default: the addon's tests), e.g. `scripts/dev.sh retest -k ladder`.
cmd_retest() {
  setup
  db_exists "$TEST_DB" || { cmd_test; return; }
  odoo_bin -d "$TEST_DB" -u "$ADDON" --stop-after-init --log-level=warn
  run_pytest "$TEST_DB" "${@:-$ADDON/tests}"
}

# Benchmarks (see bench/bench.py): a throw-away database without demo data, then every job's ratio.
cmd_bench() {
  setup
  local db=${BENCH_DB:-scp_bench}
  drop_db "$db"
  say "Installing $ADDON without demo data into a throw-away database $db ..."
  odoo_bin -d "$db" -i "$ADDON" --without-demo=all --stop-after-init --log-level=warn
  "$VENV/bin/python" bench/bench.py -c "$CONF" -d "$db" "$@"
}

# Screenshots of the key screens from the demo database of `make run` (scripts/screenshots.py).
cmd_screenshots() {
  setup
  db_exists "$DEMO_DB" || die "no demo database $DEMO_DB yet: run \`make run\` once first."
  ODOO_SRC=$ODOO_SRC DEMO_DB=$DEMO_DB "$VENV/bin/python" scripts/screenshots.py --conf "$CONF" "$@"
}

# Pictures of the review packs' cover sheets and main charts from the demo database of `make run`
# (scripts/pack_pictures.py: Odoo renders the .xlsx, LibreOffice headless the PDF, pdftoppm the PNGs).
cmd_pack_pictures() {
  setup
  db_exists "$DEMO_DB" || die "no demo database $DEMO_DB yet: run \`make run\` once first."
  ODOO_SRC=$ODOO_SRC DEMO_DB=$DEMO_DB "$VENV/bin/python" scripts/pack_pictures.py --conf "$CONF" --db "$DEMO_DB" "$@"
}

# `make lint`: the hooks of .pre-commit-config.yaml on every file under git control (OCA's Odoo checks,
# ruff check, ruff format, pylint-odoo with .pylintrc); outside a git checkout, ruff and pylint-odoo directly.
cmd_lint() {
  ensure_venv
  if git rev-parse --git-dir >/dev/null 2>&1; then
    PATH="$VENV/bin:$PATH" "$VENV/bin/pre-commit" run --all-files --show-diff-on-failure --color=never
    return
  fi
  say "Not a git checkout: pre-commit cannot run; ruff and pylint-odoo only (no OCA checks)."
  "$VENV/bin/ruff" check .
  "$VENV/bin/ruff" format --check .
  "$VENV/bin/pylint" --rcfile=.pylintrc --disable=consider-merging-classes-inherited "$ADDON" sales_cycle_process_stock sales_cycle_process_dashboard sales_cycle_process_queue
}

# --- wheels (whool) and the install test from them ----------------------------------------------
ADDONS_SHIPPED="$ADDON ${ADDON}_stock ${ADDON}_dashboard ${ADDON}_queue"

# `make dist`: one wheel per addon into dist/, built by whool (each addon's pyproject.toml) from the
# files under git control, named odoo-addon-<addon>, versioned by the manifest.
cmd_dist() {
  ensure_venv
  local a dirs=()
  for a in $ADDONS_SHIPPED; do dirs+=("./$a"); done
  rm -rf "$ROOT/dist"; mkdir -p "$ROOT/dist"
  say "Building the wheels of $ADDONS_SHIPPED into dist/ (whool) ..."
  "$VENV/bin/pip" wheel -q --disable-pip-version-check --no-deps --wheel-dir "$ROOT/dist" "${dirs[@]}" 2>&1 \
    | grep -v "^WARNING: Location 'file:" >&2 || true
  local n; n=$(find "$ROOT/dist" -name 'odoo_addon_*.whl' | wc -l)
  [ "$n" = "$(echo $ADDONS_SHIPPED | wc -w)" ] || die "expected one wheel per addon in dist/, found $n"
  ls -1 "$ROOT/dist" >&2
  "$VENV/bin/python" - "$ROOT/dist" <<'PY2'
import ast, pathlib, sys, zipfile
from email.parser import Parser
dist = pathlib.Path(sys.argv[1])
for whl in sorted(dist.glob("*.whl")):
    with zipfile.ZipFile(whl) as z:
        meta = Parser().parsestr(z.read(next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))).decode())
        addon = meta["Name"].removeprefix("odoo-addon-")
        manifest = ast.literal_eval(z.read(f"odoo/addons/{addon}/__manifest__.py").decode())
    if meta["Version"] != manifest["version"]:
        sys.exit(f"{whl.name}: version {meta['Version']} is not the manifest's {manifest['version']}")
    requires = meta.get_all("Requires-Dist") or []
    if "odoo==18.0.*" not in requires:
        sys.exit(f"{whl.name}: Requires-Dist does not name odoo==18.0.*: {requires}")
    print(f"  {meta['Name']} {meta['Version']}: {', '.join(requires)}", file=sys.stderr)
PY2
}

# `make test-dist`: what a company does with an existing Odoo. A fresh virtual environment with
# Odoo's requirements and Odoo itself (pip install -e $ODOO_SRC: the `odoo` distribution the wheels
# require), the wheels of dist/ and the OCA wheels they depend on, then a new database where Odoo,
# with only its own addons on the addons path, installs the addon from site-packages/odoo/addons.
cmd_test_dist() {
  setup
  local t0=$SECONDS
  cmd_dist
  local venv=$DEV/dist-venv wheelhouse=$DEV/wheelhouse db=${TEST_DB}_dist conf=$DEV/odoo-dist.conf
  # --no-compile: Odoo compiles what it imports; compiling every dependency's files costs minutes on a busy machine
  local log=$DEV/test-dist.log pipq=(-q --disable-pip-version-check --no-compile)
  : >"$log"
  # Odoo's requirements (and pip's own tools) as wheels, downloaded once: later runs are offline.
  local want; want=$(cat requirements-odoo.txt | sha1sum | cut -c1-40)
  if [ "$(cat "$wheelhouse/.scp-requirements" 2>/dev/null)" != "$want" ]; then
    say "Filling $wheelhouse with the wheels of Odoo's requirements (once) ..."
    # (pip wheel has no --no-compile)
    "$VENV/bin/pip" wheel -q --disable-pip-version-check --wheel-dir "$wheelhouse" pip setuptools wheel -r requirements-odoo.txt >>"$log" 2>&1 \
      || { tail -n 30 "$log" >&2; die "could not fetch Odoo's requirements (log: $log)"; }
    echo "$want" >"$wheelhouse/.scp-requirements"
  fi
  say "Creating a fresh virtual environment $venv with Odoo's requirements and Odoo (pip install -e $ODOO_SRC) ... ($((SECONDS - t0)) s)"
  rm -rf "$venv"
  "$PYTHON" -m venv "$venv"
  local vpip=("$venv/bin/pip")
  "${vpip[@]}" install "${pipq[@]}" --no-index --find-links "$wheelhouse" --upgrade pip setuptools wheel >>"$log" 2>&1
  "${vpip[@]}" install "${pipq[@]}" --no-index --find-links "$wheelhouse" -r requirements-odoo.txt >>"$log" 2>&1 \
    || { tail -n 30 "$log" >&2; die "installing Odoo's requirements failed (log: $log)"; }
  # Odoo's setup.py lists psycopg2 (a compiler and PostgreSQL headers); requirements-odoo.txt has psycopg2-binary.
  # editable_mode=compat: a .pth puts the source tree on sys.path, so that `odoo` is Odoo's package and
  # site-packages/odoo/addons (the wheels') joins odoo.addons (setuptools' default import hook would not).
  "${vpip[@]}" install "${pipq[@]}" --no-build-isolation --no-deps --config-settings editable_mode=compat \
    -e "$ODOO_SRC" >>"$log" 2>&1 \
    || { tail -n 30 "$log" >&2; die "pip install -e $ODOO_SRC failed (log: $log)"; }
  say "Installing the wheels of dist/ and the OCA wheels they require (pinned by requirements.txt) ... ($((SECONDS - t0)) s)"
  "${vpip[@]}" install "${pipq[@]}" --find-links "$wheelhouse" -c requirements.txt "$ROOT"/dist/*.whl >>"$log" 2>&1 \
    || { tail -n 30 "$log" >&2; die "pip install dist/*.whl failed (log: $log)"; }
  "${vpip[@]}" check >>"$log" 2>&1 || { tail -n 30 "$log" >&2; die "pip check found broken requirements (log: $log)"; }
  local site; site=$("$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
  local a
  for a in $ADDONS_SHIPPED report_xlsx base_tier_validation sale_tier_validation; do
    [ -f "$site/odoo/addons/$a/__manifest__.py" ] || die "$a is not in $site/odoo/addons after pip install"
  done
  # Only Odoo's own addons on the addons path: never this repository.
  mkdir -p "$DEV/dist-data"
  sed -e "s#^addons_path = .*#addons_path = $ODOO_SRC/addons,$ODOO_SRC/odoo/addons#" \
      -e "s#^data_dir = .*#data_dir = $DEV/dist-data#" "$CONF" >"$conf"
  drop_db "$db"
  rm -rf "$DEV/dist-data/filestore/$db"
  say "Installing $ADDON from the wheel into a new database $db (odoo -i $ADDON, Odoo's addons path only) ... ($((SECONDS - t0)) s)"
  ( cd /tmp && "$venv/bin/odoo" -c "$conf" -d "$db" -i "$ADDON,${ADDON}_dashboard" --without-demo=all --stop-after-init --log-level=info ) >>"$log" 2>&1 \
    || { tail -n 40 "$log" >&2; die "installing $ADDON from the wheel failed (log: $log)"; }
  if grep -E "^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) " "$log" >&2; then
    die "the install from the wheel wrote the ERROR lines above (log: $log)"
  fi
  say "Checking the database and where Odoo found each addon ... ($((SECONDS - t0)) s)"
  local states
  states=$(PGPASSWORD=$DB_PASSWORD psql -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d "$db" -tA -F' ' -c \
    "SELECT name, state, latest_version FROM ir_module_module WHERE name IN ('$ADDON', '${ADDON}_dashboard', '${ADDON}_stock', 'report_xlsx', 'sale_tier_validation') ORDER BY name")
  say "$states"
  echo "$states" | grep -qx "$ADDON installed $(manifest_version "$ADDON")" || die "$ADDON is not installed in $db"
  echo "$states" | grep -qx "${ADDON}_dashboard installed $(manifest_version "${ADDON}_dashboard")" || die "${ADDON}_dashboard is not installed in $db"
  echo "$states" | grep -qE "^${ADDON}_stock uninstalled" || die "${ADDON}_stock is not listed in $db"
  # Where Odoo took each addon from: the wheel's copy in site-packages, not this repository.
  local paths
  paths=$(cd /tmp && "$venv/bin/python" - "$conf" $ADDONS_SHIPPED report_xlsx sale_tier_validation <<'PY2'
import sys
import odoo
from odoo.modules.module import get_module_path
odoo.tools.config.parse_config(["-c", sys.argv[1]])
for name in sys.argv[2:]:
    print(name, get_module_path(name, display_warning=False))
PY2
)
  say "$paths"
  echo "$paths" | awk -v site="$site/odoo/addons/" '$2 == "False" || index($2, site) != 1 { bad = 1 } END { exit bad }' \
    || die "an addon was not found in $site/odoo/addons"
  drop_db "$db"
  say "Installing from the wheels works ($((SECONDS - t0)) s; the log is in $log)."
}

cmd_stop() {
  local data=$DEV/pg
  [ -f "$data/PG_VERSION" ] || { say "No private PostgreSQL cluster to stop."; return 0; }
  as_pg_owner "$(pg_bin)/pg_ctl" -D "$(readlink -f "$data")" -s -m fast stop 2>/dev/null || true
  say "The private PostgreSQL cluster is stopped."
}

cmd_clean() {
  cmd_stop
  local data
  data=$(readlink -f "$DEV/pg" 2>/dev/null || true)
  [ -n "$data" ] && [ "$data" != "$DEV/pg" ] && rm -rf "$data"
  rm -rf "$DEV" "$VENV"
  say "Removed .dev (cluster, databases, filestore) and .venv."
}

case "${1:-}" in
  run|test|retest|bench|lint|stop|clean|setup|screenshots|dist) c=$1; shift; "cmd_$c" "$@" ;;
  test-odoo|test-odoo-bin|test-upgrade|test-dist|pack-pictures) c=${1//-/_}; shift; "cmd_$c" "$@" ;;
  *) die "usage: scripts/dev.sh run|test|retest|test-odoo|test-odoo-bin|test-upgrade|test-dist|dist|bench|lint|stop|clean|screenshots|pack-pictures" ;;
esac
