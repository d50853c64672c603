# Shared by the benchmarks in this folder (sourced, not run): the results file, free ports,
# running PostgreSQL's tools as the `postgres` user when we are root, a private throw-away
# PostgreSQL cluster, the release build, and one cleanup on exit that stops what was started.
#
# Before sourcing, set BENCH_DIR; then call bench_init. Variables it reads: PGBIN
# (/usr/lib/postgresql/15/bin), KEEP=1 (keep the cluster's data for a rerun), SKIP_BUILD=1,
# CHEDAI (the release binary), DATABASE_URL (use that database instead of a private cluster).
# A script that starts a server sets SERVER_PID; bench_cleanup stops it first.

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
KEEP=${KEEP:-0}
ROOT=${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
CHEDAI=${CHEDAI:-$ROOT/target/release/chedai}
SERVER_PID=""
PG_DATA=""

# bench_init: the folders, the log folder LOG and an empty RESULTS file; the cleanup trap.
bench_init() {
  mkdir -p "$BENCH_DIR/logs"
  LOG="$BENCH_DIR/logs"
  RESULTS="$BENCH_DIR/results.txt"
  : >"$RESULTS"
  trap bench_cleanup EXIT INT TERM
}

say() { echo "$*" | tee -a "$RESULTS"; }

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

# bench_build: the release binary, unless SKIP_BUILD=1 (then it must exist).
bench_build() {
  if [ "${SKIP_BUILD:-0}" != 1 ]; then
    echo "== build"
    (cd "$ROOT" && cargo build --release -p server --bin chedai)
  fi
  [ -x "$CHEDAI" ]
}

# bench_pg_start SHARED_BUFFERS [postgres -c options…]: starts a private cluster in
# $BENCH_DIR/pg (initialised when new, kept when KEEP=1) on a free port with its socket in
# $BENCH_DIR/pgsock, creates the database `chedai` and exports DATABASE_URL. Nothing when
# DATABASE_URL is already set. Sets PSQL to a quiet, stop-on-error psql on that database.
bench_pg_start() {
  local buffers=$1
  shift
  if [ -z "${DATABASE_URL:-}" ]; then
    PG_DATA="$BENCH_DIR/pg"
    local sock="$BENCH_DIR/pgsock" pglog="$BENCH_DIR/pglog" port options
    port=$(free_port)
    mkdir -p "$PG_DATA" "$sock" "$pglog" # pglog is written by the postgres user
    [ "$(id -u)" = 0 ] && chown postgres "$PG_DATA" "$sock" "$pglog"
    if [ ! -f "$PG_DATA/PG_VERSION" ]; then
      as_pg "$PGBIN/initdb" -D "$PG_DATA" -U postgres --auth=trust -E UTF8 >"$LOG/initdb.log"
    fi
    options="-p $port -k $sock -c listen_addresses=127.0.0.1 -c shared_buffers=$buffers -c max_connections=100"
    for o in "$@"; do options="$options -c $o"; done
    as_pg "$PGBIN/pg_ctl" -D "$PG_DATA" -l "$pglog/postgres.log" -w -t 60 -o "$options" start >/dev/null
    as_pg "$PGBIN/psql" -h "$sock" -p "$port" -U postgres -tAc \
      "SELECT 1 FROM pg_database WHERE datname='chedai'" | grep -q 1 ||
      as_pg "$PGBIN/createdb" -h "$sock" -p "$port" -U postgres chedai
    export DATABASE_URL="postgres://postgres@127.0.0.1:$port/chedai"
  fi
  PSQL=("$PGBIN/psql" "$DATABASE_URL" -v ON_ERROR_STOP=1 -qtA)
}

# Stops the server a script started, then the private cluster (removing its data unless KEEP=1).
# Every wait is bounded.
bench_cleanup() {
  set +e
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID"
    for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$SERVER_PID" 2>/dev/null
  fi
  if [ -n "$PG_DATA" ]; then
    as_pg "$PGBIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 stop >/dev/null
    if [ "$KEEP" != 1 ]; then rm -rf "$PG_DATA" "$BENCH_DIR/pgsock"; fi
  fi
}
