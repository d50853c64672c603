#!/usr/bin/env bash
# Customer lookup and list benchmark (issue 4, item 11; docs/BENCHMARKS.md "## customers").
#
#   scripts/bench/customers.sh            # 1,000,000 customers, 20 s per measurement
#   COUNT=100000 DURATION=10s scripts/bench/customers.sh
#
# It starts a private PostgreSQL (unless DATABASE_URL is set), generates COUNT customers with
# `chedai gen customers`, starts the release server on loopback, signs in as admin (changing the
# first password), and measures with wrk through the API:
#   (a) exact lookup by ID number   GET /api/v1/customers?idNumber=…
#   (b) exact lookup by mobile      GET /api/v1/customers?mobile=…
#   (c) a filtered list page        GET /api/v1/customers?departmentId=…&gradeId=…&pageSize=20&page=1..5
# then runs the same SELECTs the service runs (COUNT + page, same joins) with pgbench as the
# raw-SQL baseline, and prints p50/p90/p99, requests/s and the API/raw ratio.
#
# Environment: COUNT (1000000), SEED (1), DURATION (20s), WARMUP (5s), CONNECTIONS (2),
# BENCH_DIR (/tmp/chedai-bench-customers: database, secrets, samples, logs),
# MEASURE ("id_number mobile list") picks measurements; BENCH_SQL runs before measuring, for
# what-if experiments on the benchmark database only (e.g. a candidate index),
# SKIP_BUILD=1 uses the release binary already built,
# KEEP=1 keeps the database for a rerun (generation is skipped when it holds COUNT customers),
# DATABASE_URL to use an existing database instead of a private one.
# Everything started here is stopped on exit; every wait is bounded.
set -euo pipefail

COUNT=${COUNT:-1000000}
SEED=${SEED:-1}
DURATION=${DURATION:-20s}
WARMUP=${WARMUP:-5s}
CONNECTIONS=${CONNECTIONS:-2}
BENCH_DIR=${BENCH_DIR:-/tmp/chedai-bench-customers}
MEASURE=${MEASURE:-id_number mobile list}
BENCH_SQL=${BENCH_SQL:-}
ADMIN_INITIAL='Bench-Initial-2026'
ADMIN_PASSWORD='Bench-Admin-2026!'
# shellcheck source=scripts/bench/common.sh
source "$(dirname "$0")/common.sh"
bench_init

command -v wrk >/dev/null || apt-get install -y wrk >/dev/null
command -v curl >/dev/null
bench_build

# --- the database -----------------------------------------------------------------------------
# A 1 GB buffer cache (the table and its indexes are ~1.3 GB at 1M) and room for the bulk load.
bench_pg_start 1GB max_wal_size=8GB checkpoint_timeout=30min

export CHEDAI_VAR_DIR="$BENCH_DIR/var"
export CHEDAI_ADMIN_PASSWORD="$ADMIN_INITIAL"
export CHEDAI_DEMO_DATA=0
export CHEDAI_LOG_FORMAT=json
SAMPLES="$BENCH_DIR/customers-sample.csv"

# --- the data -----------------------------------------------------------------------------------
say "# customers benchmark: $(date -u) on $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores"
have=$("${PSQL[@]}" -c "SELECT count(*) FROM customers WHERE kind = 'individual'" 2>/dev/null || echo 0)
if [ "${have:-0}" -ge "$COUNT" ] && [ -s "$SAMPLES" ]; then
  say "generator: skipped, the database already holds $have individual customers"
else
  echo "== generate $COUNT customers"
  "$CHEDAI" gen customers --count "$COUNT" --seed "$SEED" --sample-file "$SAMPLES" |
    grep -v '^{' | tee "$LOG/gen.log"
  say "generator: $(grep '^Inserted' "$LOG/gen.log")"
fi
if [ -n "$BENCH_SQL" ]; then say "what-if SQL before measuring: $BENCH_SQL"; "${PSQL[@]}" -c "$BENCH_SQL"; fi
"${PSQL[@]}" -c "VACUUM ANALYZE customers"
say "customers table: $("${PSQL[@]}" -c "SELECT count(*) || ' rows, table ' || pg_size_pretty(pg_table_size('customers')) || ', indexes ' || pg_size_pretty(pg_indexes_size('customers')) FROM customers")"

# The list filter: each generator department with grades B and C (a customer share of 25 % and
# 35 % within ~1/4 of the customers), pages 1–5.
mapfile -t DEPTS < <("${PSQL[@]}" -c "SELECT id FROM departments WHERE code LIKE 'GEN-%' ORDER BY code")
mapfile -t GRADES < <("${PSQL[@]}" -c "SELECT id FROM customer_grades WHERE scope = 'customer' AND code IN ('B','C') ORDER BY code")
[ "${#DEPTS[@]}" -gt 0 ] && [ "${#GRADES[@]}" -gt 0 ]
say "list filter: departmentId in (${DEPTS[*]}) x gradeId in (${GRADES[*]}), pageSize 20, page 1-5;" \
  "rows per filter: $("${PSQL[@]}" -c "SELECT string_agg(n::text, ', ' ORDER BY department_id, grade_id) FROM (SELECT department_id, grade_id, count(*) n FROM customers WHERE department_id IN ($(IFS=,; echo "${DEPTS[*]}")) AND grade_id IN ($(IFS=,; echo "${GRADES[*]}")) GROUP BY 1, 2) x")"

# --- the server ---------------------------------------------------------------------------------
API_PORT=$(free_port)
BASE="http://127.0.0.1:$API_PORT"
CHEDAI_BIND="127.0.0.1:$API_PORT" "$CHEDAI" serve >"$LOG/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 240); do
  curl -fs "$BASE/healthz" >/dev/null 2>&1 && break
  kill -0 "$SERVER_PID" 2>/dev/null || { tail -20 "$LOG/server.log"; exit 1; }
  sleep 0.5
done
curl -fs "$BASE/healthz" >/dev/null

json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
login() {
  curl -fs -H 'Content-Type: application/json' "$BASE/api/v1/auth/login" \
    -d "{\"username\":\"admin\",\"password\":\"$1\"}"
}
sign_in() {
  local answer
  if answer=$(login "$ADMIN_PASSWORD"); then
    echo "$answer" | json "['accessToken']"
    return
  fi
  answer=$(login "$ADMIN_INITIAL")
  curl -fs -H 'Content-Type: application/json' \
    -H "Authorization: Bearer $(echo "$answer" | json "['accessToken']")" \
    "$BASE/api/v1/auth/change-password" \
    -d "{\"currentPassword\":\"$ADMIN_INITIAL\",\"newPassword\":\"$ADMIN_PASSWORD\"}" |
    json "['accessToken']"
}
TOKEN=$(sign_in)

# Sanity: a sample is found by ID number and by mobile, and the list filter answers.
IFS=, read -r ID1 MOBILE1 _ _ < <(sed -n 2p "$SAMPLES")
get() { curl -fs -H "Authorization: Bearer $TOKEN" "$BASE$1"; }
[ "$(get "/api/v1/customers?idNumber=$ID1" | json "['total']")" = 1 ]
[ "$(get "/api/v1/customers?mobile=$MOBILE1" | json "['total']")" -ge 1 ]
get "/api/v1/customers?departmentId=${DEPTS[0]}&gradeId=${GRADES[0]}&pageSize=20&page=2" | json "['total']" >/dev/null

# --- wrk through the API ------------------------------------------------------------------------
cat >"$BENCH_DIR/bench.lua" <<'LUA'
-- Rotates through the request paths in PATHS_FILE (one a line) with the Bearer token.
local paths = {}
local counter = 0
local name = os.getenv("BENCH_NAME")
function init(args)
  for line in io.lines(os.getenv("PATHS_FILE")) do paths[#paths + 1] = line end
  counter = math.random(#paths)
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
  wrk.headers["Accept"] = "application/json"
end
function request()
  counter = counter % #paths + 1
  return wrk.format("GET", paths[counter])
end
function done(summary, latency, requests)
  local secs = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "RESULT %s p50=%.2f p90=%.2f p99=%.2f max=%.2f rps=%.1f requests=%d errors=%d\n",
    name, latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, summary.requests / secs,
    summary.requests, e.connect + e.read + e.write + e.status + e.timeout))
end
LUA
tail -n +2 "$SAMPLES" | cut -d, -f1 | sed 's|^|/api/v1/customers?idNumber=|' >"$BENCH_DIR/paths-id.txt"
tail -n +2 "$SAMPLES" | cut -d, -f2 | sed 's|^|/api/v1/customers?mobile=|' >"$BENCH_DIR/paths-mobile.txt"
: >"$BENCH_DIR/paths-list.txt"
for d in "${DEPTS[@]}"; do for g in "${GRADES[@]}"; do for p in 1 2 3 4 5; do
  echo "/api/v1/customers?departmentId=$d&gradeId=$g&pageSize=20&page=$p" >>"$BENCH_DIR/paths-list.txt"
done; done; done

declare -A API
run_wrk() { # name paths-file
  export BENCH_NAME=$1 PATHS_FILE=$2 TOKEN
  TOKEN=$(sign_in) # a fresh 15-minute token per measurement
  wrk -t "$CONNECTIONS" -c "$CONNECTIONS" -d "$WARMUP" -s "$BENCH_DIR/bench.lua" "$BASE" >/dev/null
  wrk -t "$CONNECTIONS" -c "$CONNECTIONS" -d "$DURATION" --latency -s "$BENCH_DIR/bench.lua" "$BASE" \
    >"$LOG/wrk-$1.txt"
  API[$1]=$(grep '^RESULT' "$LOG/wrk-$1.txt")
  say "api   ${API[$1]}"
  if grep -q 'Non-2xx' "$LOG/wrk-$1.txt"; then say "  !! $(grep 'Non-2xx' "$LOG/wrk-$1.txt")"; fi
}
say "load before the API runs: $(cat /proc/loadavg)"
echo "== API (wrk, $CONNECTIONS connections, $DURATION after a $WARMUP warm-up)"
for m in $MEASURE; do
  case $m in
    id_number) run_wrk id_number "$BENCH_DIR/paths-id.txt" ;;
    mobile) run_wrk mobile "$BENCH_DIR/paths-mobile.txt" ;;
    list) run_wrk list "$BENCH_DIR/paths-list.txt" ;;
  esac
done

# --- the raw-SQL baseline (pgbench) -----------------------------------------------------------
# The statements the service runs (crates/customers/src/service/customers.rs `list` through
# iam::service::sql::Where::page_counting_over): COUNT(*) over `customers` alone, then the page
# with its joins, ORDER BY c.id DESC.
FROM="customers c JOIN users u ON u.id = c.manager_id LEFT JOIN customer_grades g ON g.id = c.grade_id LEFT JOIN departments d ON d.id = c.department_id"
COLUMNS="c.id, c.kind, c.name, c.id_number_cipher, c.birth_date, c.sex, c.mobile_cipher, c.employer, c.monthly_income, c.marital_status, c.education, c.credit_code, c.registered_capital, c.founded_on, c.industry, c.legal_rep_customer_id, c.legal_rep_name, c.legal_rep_id_cipher, c.addresses, c.contacts, c.grade_id, g.name AS grade_name, c.manager_id, u.display_name AS manager_name, c.department_id, d.name AS department_name, c.status, c.version, c.created_at, c.updated_at"
"${PSQL[@]}" <<SQL
DROP TABLE IF EXISTS bench_samples;
CREATE TABLE bench_samples (n SERIAL PRIMARY KEY, id_number TEXT, mobile TEXT, id_number_hash TEXT, mobile_hash TEXT);
\copy bench_samples (id_number, mobile, id_number_hash, mobile_hash) FROM '$SAMPLES' WITH (FORMAT csv, HEADER true)
ANALYZE bench_samples;
SQL
NSAMPLES=$("${PSQL[@]}" -c "SELECT count(*) FROM bench_samples")
for kind in id_number mobile; do
  cat >"$BENCH_DIR/pgbench-$kind.sql" <<SQL
\set n random(1, $NSAMPLES)
SELECT ${kind}_hash AS h FROM bench_samples WHERE n = :n \gset
SELECT COUNT(*) AS total FROM customers c WHERE c.${kind}_hash = :h;
SELECT $COLUMNS FROM $FROM WHERE c.${kind}_hash = :h ORDER BY c.id DESC LIMIT 20 OFFSET 0;
SQL
done
dcase="case"; i=0
for d in "${DEPTS[@]}"; do dcase="$dcase when :di = $i then $d"; i=$((i + 1)); done
gcase="case"; i=0
for g in "${GRADES[@]}"; do gcase="$gcase when :gi = $i then $g"; i=$((i + 1)); done
cat >"$BENCH_DIR/pgbench-list.sql" <<SQL
\set di random(0, $((${#DEPTS[@]} - 1)))
\set gi random(0, $((${#GRADES[@]} - 1)))
\set d $dcase else 0 end
\set g $gcase else 0 end
\set off random(0, 4) * 20
SELECT COUNT(*) AS total FROM customers c WHERE c.grade_id = :g AND c.department_id = :d;
SELECT $COLUMNS FROM $FROM WHERE c.grade_id = :g AND c.department_id = :d ORDER BY c.id DESC LIMIT 20 OFFSET :off;
SQL

percentiles() { # pgbench transaction logs -> p50 p90 p99 max in ms
  cat "$@" | awk '{print $3}' | sort -n | awk '{a[NR]=$1} END {
    printf "p50=%.2f p90=%.2f p99=%.2f max=%.2f", a[int(NR*0.50)]/1000, a[int(NR*0.90)]/1000, a[int(NR*0.99)]/1000, a[NR]/1000 }'
}
declare -A RAW
run_pgbench() { # name
  local secs=${DURATION%s} warm=${WARMUP%s}
  rm -f "$LOG"/pgbench-"$1".log*
  "$PGBIN/pgbench" -n -M prepared -c "$CONNECTIONS" -j "$CONNECTIONS" -T "$warm" \
    -f "$BENCH_DIR/pgbench-$1.sql" "$DATABASE_URL" >/dev/null 2>&1
  (cd "$LOG" && "$PGBIN/pgbench" -n -M prepared -c "$CONNECTIONS" -j "$CONNECTIONS" -T "$secs" -r \
    -l --log-prefix="pgbench-$1.log" -f "$BENCH_DIR/pgbench-$1.sql" "$DATABASE_URL") \
    >"$LOG/pgbench-$1.txt" 2>&1
  local tps
  tps=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$LOG/pgbench-$1.txt" | head -1)
  RAW[$1]="RESULT $1 $(percentiles "$LOG"/pgbench-"$1".log*) rps=$(printf %.1f "$tps")"
  say "raw   ${RAW[$1]}"
  say "      per statement (ms avg): $(awk '/statement latencies/ {s=1; next} s && NF {printf "%s; ", $1}' "$LOG/pgbench-$1.txt")"
}
say "load before the raw-SQL runs: $(cat /proc/loadavg)"
echo "== raw SQL (pgbench -M prepared, $CONNECTIONS clients, $DURATION after a $WARMUP warm-up)"
for m in $MEASURE; do run_pgbench "$m"; done

# --- plans and the summary ----------------------------------------------------------------------
IFS=, read -r _ _ H1 M1 < <(sed -n 2p "$SAMPLES")
{
  echo "-- id_number"
  "${PSQL[@]}" -c "EXPLAIN (ANALYZE, BUFFERS) SELECT COUNT(*) FROM $FROM WHERE c.id_number_hash = '$H1'"
  echo "-- mobile"
  "${PSQL[@]}" -c "EXPLAIN (ANALYZE, BUFFERS) SELECT $COLUMNS FROM $FROM WHERE c.mobile_hash = '$M1' ORDER BY c.id DESC LIMIT 20"
  echo "-- list count"
  "${PSQL[@]}" -c "EXPLAIN (ANALYZE, BUFFERS) SELECT COUNT(*) AS total FROM customers c WHERE c.grade_id = ${GRADES[0]} AND c.department_id = ${DEPTS[0]}"
  echo "-- list page 5"
  "${PSQL[@]}" -c "EXPLAIN (ANALYZE, BUFFERS) SELECT $COLUMNS FROM $FROM WHERE c.grade_id = ${GRADES[0]} AND c.department_id = ${DEPTS[0]} ORDER BY c.id DESC LIMIT 20 OFFSET 80"
} >"$LOG/explain.txt"
echo "(plans in $LOG/explain.txt)"

field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
say ""
say "| measurement | API p50 | API p90 | API p99 | API req/s | raw p50 | raw p90 | raw p99 | raw tx/s | API/raw p50 | API/raw p99 | raw/API throughput |"
say "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
for m in $MEASURE; do
  a=${API[$m]} r=${RAW[$m]}
  say "| $m | $(field "$a" p50) ms | $(field "$a" p90) ms | $(field "$a" p99) ms | $(field "$a" rps) |" \
    "$(field "$r" p50) ms | $(field "$r" p90) ms | $(field "$r" p99) ms | $(field "$r" rps) |" \
    "$(awk -v a="$(field "$a" p50)" -v r="$(field "$r" p50)" 'BEGIN {printf "%.1f", a / r}') |" \
    "$(awk -v a="$(field "$a" p99)" -v r="$(field "$r" p99)" 'BEGIN {printf "%.1f", a / r}') |" \
    "$(awk -v a="$(field "$a" rps)" -v r="$(field "$r" rps)" 'BEGIN {printf "%.1f", r / a}') |"
done
echo "results in $RESULTS"
