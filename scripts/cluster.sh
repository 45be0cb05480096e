#!/usr/bin/env bash
# A local cluster to run the playbook at scale (issue #17; docs/scale.md), not part of `make test`:
#   a PostgreSQL 15 primary and a streaming hot-standby replica (pg_basebackup -R), both private to
#   .dev/cluster and on ports of their own; two Odoo servers (HTTP workers + a cron worker, the replica as
#   db_replica_host, server_wide_modules=web,queue_job: each runs OCA's job runner, one of them leads) and a
#   round-robin balancer in front of them (scripts/cluster_lb.py), which the job runner dispatches jobs to.
#
#   scripts/cluster.sh up        `make cluster`: start everything (create the database the first time)
#   scripts/cluster.sh load      scripts/cluster_load.py: partners and opportunities by SQL (CLUSTER_PARTNERS, CLUSTER_LEADS)
#   scripts/cluster.sh bench     `make bench-cluster`: scripts/cluster_bench.py (up and load first when needed)
#   scripts/cluster.sh restart   restart the Odoo servers (after changing CLUSTER_JOB_WORKERS or CLUSTER_REPLICA)
#   scripts/cluster.sh status | down | clean
#
# Settings (environment): CLUSTER_PG_PORT (55432; the replica listens on the next port), CLUSTER_HTTP_PORT
# (8270: server A; B, the balancer and the two gevent ports take the next four), CLUSTER_DB (scp_cluster),
# CLUSTER_WORKERS (HTTP workers per server, 2), CLUSTER_JOB_WORKERS (jobs of the cadence channel at once, 2),
# CLUSTER_REPLICA (1: the servers read on the replica; 0: everything on the primary).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
ODOO_SRC=${ODOO_SRC:-$HOME/odoo/18.0}
VENV=$ROOT/.venv
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
CL=$ROOT/.dev/cluster
PG_PORT=${CLUSTER_PG_PORT:-55432}
REPLICA_PORT=$((PG_PORT + 1))
HTTP_A=${CLUSTER_HTTP_PORT:-8270}
HTTP_B=$((HTTP_A + 1))
LB_PORT=$((HTTP_A + 2))
GEVENT_A=$((HTTP_A + 3))
GEVENT_B=$((HTTP_A + 4))
DB=${CLUSTER_DB:-scp_cluster}
WORKERS=${CLUSTER_WORKERS:-2}
JOB_WORKERS=${CLUSTER_JOB_WORKERS:-2}
REPLICA=${CLUSTER_REPLICA:-1}

say() { printf '%s\n' "$*" >&2; }
die() { say "ERROR: $*"; exit 1; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
psql_p() { PGPASSWORD=odoo psql -h 127.0.0.1 -p "$PG_PORT" -U odoo "$@"; }

pg_start() {  # $1 data dir, $2 port
  if ! as_pg "$PGBIN/pg_ctl" -D "$1" status >/dev/null 2>&1; then
    as_pg "$PGBIN/pg_ctl" -D "$1" -s -w -t 120 -l "$1/server.log" -o "-p $2 -k $CL" start \
      || die "PostgreSQL did not start in $1 (log: $1/server.log)"
  fi
}

pg_up() {
  [ -x "$PGBIN/initdb" ] || die "PostgreSQL 15 server programs not found in $PGBIN (set PGBIN)"
  mkdir -p "$CL"
  [ "$(id -u)" = 0 ] && chown postgres: "$CL"
  if [ ! -f "$CL/primary/PG_VERSION" ]; then
    say "Creating the primary in $CL/primary (port $PG_PORT) ..."
    as_pg "$PGBIN/initdb" -D "$CL/primary" -U postgres --auth=trust -E UTF8 --locale=C >/dev/null
    as_pg tee -a "$CL/primary/postgresql.conf" >/dev/null <<CONF
listen_addresses = '127.0.0.1'
max_connections = 300
shared_buffers = 512MB
wal_level = replica
max_wal_senders = 5
wal_keep_size = 2GB
hot_standby = on
hot_standby_feedback = on
shared_preload_libraries = 'pg_stat_statements'
pg_stat_statements.track = all
# a bench cluster: durability traded for speed (never in production)
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
    as_pg tee -a "$CL/primary/pg_hba.conf" >/dev/null <<CONF
host all all 127.0.0.1/32 trust
host replication all 127.0.0.1/32 trust
CONF
  fi
  pg_start "$CL/primary" "$PG_PORT"
  as_pg psql -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -c \
    "DO \$\$BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname='odoo') THEN
       CREATE ROLE odoo LOGIN SUPERUSER PASSWORD 'odoo'; END IF; END\$\$;" >/dev/null
  if [ ! -f "$CL/replica/PG_VERSION" ]; then
    say "Creating the hot-standby replica in $CL/replica (port $REPLICA_PORT, pg_basebackup -R) ..."
    as_pg "$PGBIN/pg_basebackup" -h 127.0.0.1 -p "$PG_PORT" -U postgres -D "$CL/replica" -R -X stream -c fast
  fi
  pg_start "$CL/replica" "$REPLICA_PORT"
}

write_conf() {  # $1 name, $2 http port, $3 gevent port
  mkdir -p "$CL/data"
  {
    cat <<CONF
[options]
addons_path = $ODOO_SRC/addons,$ODOO_SRC/odoo/addons,$ROOT
data_dir = $CL/data
db_host = 127.0.0.1
db_port = $PG_PORT
db_user = odoo
db_password = odoo
db_name = $DB
dbfilter = ^$DB\$
list_db = False
admin_passwd = admin
http_interface = 127.0.0.1
http_port = $2
gevent_port = $3
workers = $WORKERS
max_cron_threads = 1
server_wide_modules = base,web,queue_job
limit_time_cpu = 900
limit_time_real = 1800
logfile = $CL/odoo-$1.log
CONF
    if [ "$REPLICA" = 1 ]; then
      printf 'db_replica_host = 127.0.0.1\ndb_replica_port = %s\n' "$REPLICA_PORT"
    fi
    cat <<CONF

[queue_job]
channels = root:$((JOB_WORKERS + 1)),root.scp_cadence:$JOB_WORKERS,root.scp_pack:1
host = 127.0.0.1
port = $LB_PORT
CONF
  } >"$CL/odoo-$1.conf"
}

db_up() {
  write_conf a "$HTTP_A" "$GEVENT_A"
  write_conf b "$HTTP_B" "$GEVENT_B"
  if ! psql_p -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$DB'" | grep -q 1; then
    say "Creating database $DB with sales_cycle_process_queue (no demo data) ..."
    "$VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$CL/odoo-a.conf" -d "$DB" -i sales_cycle_process_queue \
      --without-demo=all --stop-after-init --workers=0 --logfile= --log-level=warn
    psql_p -d "$DB" -qc "CREATE EXTENSION IF NOT EXISTS pg_stat_statements"
  fi
}

start_bg() {  # $1 pid file, then the command
  local pidfile=$1; shift
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then return 0; fi
  nohup "$@" >/dev/null 2>&1 &
  echo $! >"$pidfile"
}

stop_bg() {
  local pidfile=$1 pid
  [ -f "$pidfile" ] || return 0
  pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
  fi
  rm -f "$pidfile"
}

wait_http() {
  local port
  for port in "$@"; do
    for _ in $(seq 180); do
      curl -sf -o /dev/null "http://127.0.0.1:$port/web/login" && continue 2
      sleep 1
    done
    die "the Odoo server on port $port did not answer (log: $CL/odoo-*.log)"
  done
}

servers_up() {
  start_bg "$CL/lb.pid" "$VENV/bin/python" "$ROOT/scripts/cluster_lb.py" "$LB_PORT" "$HTTP_A" "$HTTP_B"
  start_bg "$CL/odoo-a.pid" "$VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$CL/odoo-a.conf"
  start_bg "$CL/odoo-b.pid" "$VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$CL/odoo-b.conf"
  wait_http "$HTTP_A" "$HTTP_B" "$LB_PORT"
  say "Cluster up: Odoo A http://127.0.0.1:$HTTP_A, B http://127.0.0.1:$HTTP_B, balancer http://127.0.0.1:$LB_PORT" \
    "(database $DB, admin/admin); PostgreSQL primary 127.0.0.1:$PG_PORT, replica 127.0.0.1:$REPLICA_PORT" \
    "(replica reads: $REPLICA; cadence job workers: $JOB_WORKERS)"
}

servers_down() {
  stop_bg "$CL/odoo-a.pid"
  stop_bg "$CL/odoo-b.pid"
  stop_bg "$CL/lb.pid"
}

cmd_up() { pg_up; db_up; servers_up; }
cmd_restart() { servers_down; db_up; servers_up; }
cmd_load() { pg_up; db_up; "$VENV/bin/python" scripts/cluster_load.py --conf "$CL/odoo-a.conf" -d "$DB" "$@"; }
cmd_bench() {
  cmd_up
  CLUSTER_DIR=$CL CLUSTER_PG_PORT=$PG_PORT CLUSTER_HTTP_PORT=$HTTP_A CLUSTER_DB=$DB \
    "$VENV/bin/python" scripts/cluster_bench.py "$@"
}
cmd_status() {
  as_pg "$PGBIN/pg_ctl" -D "$CL/primary" status | head -1 || true
  as_pg "$PGBIN/pg_ctl" -D "$CL/replica" status | head -1 || true
  psql_p -d postgres -tAc "SELECT 'replication: ' || application_name || ' ' || state || ' lag ' ||
    coalesce(replay_lag::text, '0') FROM pg_stat_replication" || true
  local f
  for f in odoo-a odoo-b lb; do
    if [ -f "$CL/$f.pid" ] && kill -0 "$(cat "$CL/$f.pid")" 2>/dev/null; then say "$f: running (pid $(cat "$CL/$f.pid"))"
    else say "$f: stopped"; fi
  done
}
cmd_down() {
  servers_down
  as_pg "$PGBIN/pg_ctl" -D "$CL/replica" -s -m fast stop 2>/dev/null || true
  as_pg "$PGBIN/pg_ctl" -D "$CL/primary" -s -m fast stop 2>/dev/null || true
  say "Cluster stopped."
}
cmd_clean() { cmd_down; rm -rf "$CL"; say "Removed $CL."; }

case "${1:-up}" in
  up|restart|load|bench|status|down|clean) c=${1:-up}; shift || true; "cmd_$c" "$@" ;;
  *) die "usage: scripts/cluster.sh up|load|bench|restart|status|down|clean" ;;
esac
