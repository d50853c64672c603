#!/usr/bin/env bash
# The daily close over a large book (issue 7, item 7; docs/BENCHMARKS.md "## daily close").
#
#   scripts/bench/close.sh                  # 1,000,000 loans
#   N=100000 scripts/bench/close.sh
#
# It starts a private PostgreSQL (unless DATABASE_URL is set), migrates, sets the business date
# DAYS_BACK days before the calendar date (the close only closes a day the calendar has passed)
# and generates N loans with `chedai gen portfolio` (COPY; ~85 % current, ~10 % overdue, ~5 %
# settled; crates/server/src/gen_portfolio.rs). Then, on the business date T:
#   (a) the raw-SQL baselines: ONE set-based UPDATE doing T's interest accrual over every accruing
#       installment (the goal's yardstick), and one doing T's penalty and compound accrual over all
#       installments with the arithmetic of `steps::penalty_accrual`, timed, in a transaction
#       that is rolled back (so the close still has the day to do), twice: on the freshly loaded
#       table, then after a VACUUM (the table as a daily close leaves it: room in the pages);
#   (b) `chedai close-day --to T+1` (release build) under /usr/bin/time -v, after another
#       VACUUM: wall time and the process's maximum resident set size (PostgreSQL's own memory
#       is not in it), the wall time of each step from close_runs / close_steps, and the ratios
#       close ÷ baseline;
#   (c) EXPLAIN (ANALYZE, BUFFERS) of each partitioned step's statement for one partition of the
#       next day's close (T+1, the same work), in rolled-back transactions: $BENCH_DIR/logs/explain.txt.
# Goals (issue 7): all steps ≤ 60 s at 1,000,000 active loans, ≤ 4 × the baseline, peak
# memory ≤ 500 MB.
#
# Environment: N (1000000), SEED (1), DAYS_BACK (3), PARTITION_SIZE (10000), PARALLEL (2, the
# close's partitions at once, one connection each: this machine's cores), WRITERS (2,
# generator connections), SHARED_BUFFERS (2GB), MAX_WAL_SIZE (16GB, as
# docker-compose.yml sets it), BENCH_DIR (/tmp/chedai-bench-close),
# SKIP_BUILD=1 with CHEDAI=<a release binary>, KEEP=1 keeps the cluster's data (a rerun skips the
# generation and closes the next business date, while it is before the calendar date),
# PROVISIONS=1 asks for provisions at this close (a provision demand, as `POST /provision-demands`
# does), so the close does a month end's work on any day,
# BENCH_SQL runs before the measurements, for what-if experiments on the benchmark database only
# (e.g. a candidate index), DATABASE_URL to use an existing database. Everything started here
# is stopped on exit; every wait is bounded.
set -euo pipefail

N=${N:-1000000}
SEED=${SEED:-1}
DAYS_BACK=${DAYS_BACK:-3}
PARTITION_SIZE=${PARTITION_SIZE:-10000}
PARALLEL=${PARALLEL:-2}
WRITERS=${WRITERS:-2}
SHARED_BUFFERS=${SHARED_BUFFERS:-2GB}
MAX_WAL_SIZE=${MAX_WAL_SIZE:-16GB}
BENCH_DIR=${BENCH_DIR:-/tmp/chedai-bench-close}
BENCH_SQL=${BENCH_SQL:-}
PROVISIONS=${PROVISIONS:-0}
# shellcheck source=scripts/bench/common.sh
source "$(dirname "$0")/common.sh"

if [ "$KEEP" != 1 ]; then rm -rf "$BENCH_DIR"; fi
bench_init
bench_build
# Room for the bulk load's and the close's WAL between checkpoints: PostgreSQL starts one when
# the WAL since the last reaches about max_wal_size / 1.9, and the close writes about 5 GB at
# 1M loans; at 8 GB a checkpoint began halfway and the steps after it logged every page they
# touched whole again (docs/BENCHMARKS.md, runs 47–).
bench_pg_start "$SHARED_BUFFERS" max_wal_size="$MAX_WAL_SIZE" checkpoint_timeout=30min log_checkpoints=on
export CHEDAI_VAR_DIR="$BENCH_DIR/var"
export CHEDAI_ADMIN_PASSWORD='Bench-Initial-2026'
export CHEDAI_DEMO_DATA=0
export CHEDAI_LOG_FORMAT=json
secs() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", b - a}'; }

say "# daily close benchmark: $(date -u) on $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GB, load $(cut -d' ' -f1-3 /proc/loadavg)"
say "PostgreSQL: $("$PGBIN/postgres" --version), shared_buffers=$SHARED_BUFFERS, max_wal_size=$MAX_WAL_SIZE"
"$CHEDAI" migrate >"$LOG/migrate.log" 2>&1 || { tail -20 "$LOG/migrate.log"; exit 1; }

# --- the book -----------------------------------------------------------------------------------
have=$("${PSQL[@]}" -c "SELECT count(*) FROM loans WHERE loan_no LIKE 'GENP-%'")
if [ "$have" -ge "$N" ]; then
  say "generator: skipped, the database already holds $have generated loans" \
    "and $("${PSQL[@]}" -c "SELECT count(*) FROM close_runs WHERE status = 'done'") closed days"
else
  [ "$have" = 0 ] || { echo "the database holds $have generated loans, fewer than N: use a fresh BENCH_DIR" >&2; exit 1; }
  "${PSQL[@]}" -c "INSERT INTO business_date (id, today, updated_at) VALUES (TRUE, current_date - $DAYS_BACK, now()) \
    ON CONFLICT (id) DO UPDATE SET today = EXCLUDED.today, updated_at = now()"
  echo "== generate $N loans"
  /usr/bin/time -v -o "$LOG/gen.time" "$CHEDAI" gen portfolio --loans "$N" --seed "$SEED" --writers "$WRITERS" |
    grep -v '^{' | tee "$LOG/gen.log"
  say "generator: $(grep '^Copied' "$LOG/gen.log")"
  say "  $(grep 'COPY time' "$LOG/gen.log" | sed 's/^ *//')"
  say "  $(grep 'standings' "$LOG/gen.log" | sed 's/^ *//')"
  say "  $(grep -E '^(Opening|VACUUM|Generated the)' "$LOG/gen.log" | tr '\n' ' ')"
  say "  generator process: wall $(sed -n 's/.*Elapsed (wall clock) time.*: //p' "$LOG/gen.time"), max RSS $(awk '/Maximum resident/ {printf "%.0f MB", $NF / 1024}' "$LOG/gen.time")"
fi
T=$("${PSQL[@]}" -c "SELECT today FROM business_date")
NEXT=$("${PSQL[@]}" -c "SELECT today + 1 FROM business_date")
[ "$("${PSQL[@]}" -c "SELECT today < current_date FROM business_date")" = t ] ||
  { echo "the business date $T is not before the calendar date: nothing to close" >&2; exit 1; }
say "business date T = $T (calendar $(date -u +%F)); closing T: close-day --to $NEXT"
if [ "$PROVISIONS" = 1 ]; then
  "${PSQL[@]}" -c "INSERT INTO provision_demands (business_date, requested_by, requested_at)
    SELECT today, (SELECT min(id) FROM users), now() FROM business_date ON CONFLICT DO NOTHING"
  say "provisions asked for at this close (a provision demand for $T): a month end's work"
fi
if [ -n "$BENCH_SQL" ]; then
  say "what-if SQL before measuring: $BENCH_SQL"
  t0=$(secs)
  "${PSQL[@]}" -c "$BENCH_SQL"
  say "  (took $(elapsed "$t0" "$(secs)") s)"
fi
say "book: $("${PSQL[@]}" -F' ' -c "SELECT count(*) FILTER (WHERE status = 'active') || ' active loans, ' || count(*) FILTER (WHERE status = 'settled') || ' settled' FROM loans")," \
  "$("${PSQL[@]}" -c "SELECT count(*) || ' installments, ' || count(*) FILTER (WHERE settled_on IS NULL AND due_date <= '$T') || ' due on or before T and unpaid (' || count(*) FILTER (WHERE settled_on IS NULL AND due_date = '$T') || ' due on T)' FROM loan_installments")"
say "sizes: $("${PSQL[@]}" -c "SELECT string_agg(t || ' ' || pg_size_pretty(pg_table_size(t::regclass)) || ' + indexes ' || pg_size_pretty(pg_indexes_size(t::regclass)), ', ') FROM unnest(array['loans','loan_installments','loan_balances','customers']) t"), database $("${PSQL[@]}" -c "SELECT pg_size_pretty(pg_database_size(current_database()))")"

# --- (a) the raw-SQL baselines ------------------------------------------------------------------
# The accrual baseline (the goal's yardstick): T's interest accrual (RULES.md §1) as ONE
# set-based UPDATE of every accruing installment — the core of steps::interest_accrual without
# what the close adds around it (the sub-ledger, per-loan postings, vouchers, partitions).
ACCRUAL="UPDATE loan_installments i SET
  interest_accrued = least(i.interest, round(i.interest * least('$T'::date + 1 - i.start_date, i.due_date - i.start_date)
    / nullif(i.due_date - i.start_date, 0), 2))
FROM loans l
WHERE l.id = i.loan_id AND l.status = 'active' AND l.non_accrual_since IS NULL
  AND i.settled_on IS NULL AND i.start_date <= '$T'::date AND i.due_date > '$T'::date"
# The penalty baseline (for comparison with earlier runs): steps::penalty_accrual's statement
# with the partition bounds taken away.
PENALTY_SQL="WITH rates AS (
  SELECT l.id, l.annual_rate * (l.terms->>'penaltyMultiplier')::numeric AS rate,
         (l.terms->>'dayBasis')::numeric AS basis, (l.terms->>'graceDays')::int AS grace
  FROM loans l WHERE l.status = 'active')
UPDATE loan_installments i SET
  penalty_accrued = i.penalty_accrued + round((i.principal - i.paid_principal) * r.rate / r.basis, 8)
    * (('$T'::date + 1) - greatest(coalesce(i.accrued_through, i.due_date), i.due_date)),
  compound_accrued = i.compound_accrued + round((i.interest - i.paid_interest) * r.rate / r.basis, 8)
    * (('$T'::date + 1) - greatest(coalesce(i.accrued_through, i.due_date), i.due_date)),
  accrued_through = '$T'::date + 1
FROM rates r
WHERE i.loan_id = r.id AND i.settled_on IS NULL AND i.due_date <= '$T'::date
  AND ('$T'::date + 1) - i.due_date > r.grace
  AND greatest(coalesce(i.accrued_through, i.due_date), i.due_date) < '$T'::date + 1"
baseline() { # SQL -> seconds of the UPDATE alone, rows (rolled back)
  local out
  out=$("$PGBIN/psql" "$DATABASE_URL" -v ON_ERROR_STOP=1 -qtA <<SQL
BEGIN;
SELECT extract(epoch FROM clock_timestamp());
WITH u AS ($1 RETURNING 1) SELECT count(*) FROM u;
SELECT extract(epoch FROM clock_timestamp());
ROLLBACK;
SQL
  )
  echo "$out" | awk 'NR == 1 {a = $1} NR == 2 {n = $1} NR == 3 {printf "%.2f %d\n", $1 - a, n}'
}
vacuum() {
  local t0
  t0=$(secs)
  "${PSQL[@]}" -c "VACUUM loan_installments" -c "VACUUM loan_balances" -c "CHECKPOINT"
  echo "$(elapsed "$t0" "$(secs)")"
}
# The host's speed beside the load average: the same CPU-bound query every run (no table, no
# I/O). This host has run the same statements twice as slowly from one day to the next; runs
# whose probes differ much are not comparable, whatever their ratios.
probe() {
  "$PGBIN/psql" "$DATABASE_URL" -v ON_ERROR_STOP=1 -qtA <<'SQL' | awk 'NR == 1 {a = $1} NR == 2 {printf "%.2f", $1 - a}'
SELECT extract(epoch FROM clock_timestamp());
SELECT extract(epoch FROM clock_timestamp()) FROM (SELECT sum(g) FROM generate_series(1, 20000000) g) s;
SQL
}
# The machine's disk traffic over a measurement (/proc/vmstat's pgpgin/pgpgout, in KiB): the
# probe reads no table, and on days when the same statements ran three to five times slower the
# question was whether they read from disk what is usually in the page cache.
io_mark() { awk '$1 == "pgpgin" {i = $2} $1 == "pgpgout" {o = $2} END {print i, o}' /proc/vmstat; }
io_since() { # "in out" from io_mark -> "disk read X MB, written Y MB"
  local i0 o0 i1 o1
  read -r i0 o0 <<<"$1"
  read -r i1 o1 < <(io_mark)
  awk -v i=$((i1 - i0)) -v o=$((o1 - o0)) 'BEGIN {printf "disk read %.0f MB, written %.0f MB", i / 1024, o / 1024}'
}
say "host probe: $(probe) s for sum(generate_series(1, 20000000)) in PostgreSQL"
say "load before the baselines: $(cut -d' ' -f1-3 /proc/loadavg)"
"${PSQL[@]}" -c "CHECKPOINT"
IO=$(io_mark)
read -r B1 ROWS1 < <(baseline "$ACCRUAL")
[ -n "$B1" ] || { echo "the baseline failed" >&2; exit 1; }
say "accrual baseline 1 (as found): $B1 s, $ROWS1 installments accrued (rolled back; $(io_since "$IO")); VACUUM + CHECKPOINT $(vacuum) s"
IO=$(io_mark)
read -r B2 ROWS2 < <(baseline "$ACCRUAL")
say "accrual baseline 2 (after VACUUM): $B2 s, $ROWS2 installments accrued (rolled back; $(io_since "$IO")); VACUUM + CHECKPOINT $(vacuum) s"
IO=$(io_mark)
read -r BP ROWSP < <(baseline "$PENALTY_SQL")
say "penalty baseline (after VACUUM): $BP s, $ROWSP installments accrued (rolled back; $(io_since "$IO")); VACUUM + CHECKPOINT $(vacuum) s"
# EXPLAIN ANALYZE runs the UPDATE: only inside a rolled-back transaction.
"$PGBIN/psql" "$DATABASE_URL" -v ON_ERROR_STOP=1 -qtA >"$LOG/explain-baseline.txt" <<SQL
BEGIN;
EXPLAIN (ANALYZE, BUFFERS) $ACCRUAL;
ROLLBACK;
SQL
"${PSQL[@]}" -c "VACUUM loan_installments" -c "CHECKPOINT"

# --- (b) the close ------------------------------------------------------------------------------
# On the private cluster, auto_explain logs the plan (estimates only: no timing overhead) of every
# close statement slower than 200 ms: the plans the close really used, prepared statements and all.
# PLAN_ANALYZE=<ms> instead logs every statement slower than that with its actual times and
# buffers: a profiling run (the timing costs the close), never a measurement of record.
PLAN_LOG=""
AE_ANALYZE=off; [ -z "${PLAN_ANALYZE:-}" ] || AE_ANALYZE=on
if [ -n "$PG_DATA" ]; then
  "${PSQL[@]}" -c "DO \$\$ BEGIN
    EXECUTE format('ALTER DATABASE %I SET session_preload_libraries = %L', current_database(), 'auto_explain');
    EXECUTE format('ALTER DATABASE %I SET auto_explain.log_min_duration = %L', current_database(), '${PLAN_ANALYZE:-200}ms');
    EXECUTE format('ALTER DATABASE %I SET auto_explain.log_analyze = %L', current_database(), '$AE_ANALYZE');
    EXECUTE format('ALTER DATABASE %I SET auto_explain.log_buffers = %L', current_database(), '$AE_ANALYZE');
  END \$\$"
  [ -z "${PLAN_ANALYZE:-}" ] || say "PROFILING RUN (PLAN_ANALYZE=$PLAN_ANALYZE): plans with actual times; not a measurement"
  PLAN_LOG=$(wc -l <"$BENCH_DIR/pglog/postgres.log")
fi
say "load before the close: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== close-day --to $NEXT --partition-size $PARTITION_SIZE --parallel $PARALLEL"
IO=$(io_mark)
/usr/bin/time -v -o "$LOG/close.time" "$CHEDAI" close-day --to "$NEXT" --partition-size "$PARTITION_SIZE" \
  --parallel "$PARALLEL" --worker bench >"$LOG/close.log" 2>&1 || { tail -20 "$LOG/close.log"; exit 1; }
IO_CLOSE=$(io_since "$IO")
grep -v '^{' "$LOG/close.log" | tee -a "$RESULTS"
say "load after the close: $(cut -d' ' -f1-3 /proc/loadavg); over the close, $IO_CLOSE"
if [ -n "$PLAN_LOG" ]; then
  tail -n +"$((PLAN_LOG + 1))" "$BENCH_DIR/pglog/postgres.log" >"$LOG/close-plans.log"
  "${PSQL[@]}" -c "DO \$\$ BEGIN
    EXECUTE format('ALTER DATABASE %I RESET session_preload_libraries', current_database());
    EXECUTE format('ALTER DATABASE %I RESET auto_explain.log_min_duration', current_database());
    EXECUTE format('ALTER DATABASE %I RESET auto_explain.log_analyze', current_database());
    EXECUTE format('ALTER DATABASE %I RESET auto_explain.log_buffers', current_database());
  END \$\$"
  say "checkpoints begun during the close (WAL volume or time): $(grep -cE 'checkpoint starting: (wal|time)' "$LOG/close-plans.log" || true)"
  say "plans of the close's statements slower than ${PLAN_ANALYZE:-200} ms: $(grep -c 'duration:' "$LOG/close-plans.log" || true) in $LOG/close-plans.log"
fi
WALL=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; printf "%.2f", s}' "$LOG/close.time")
RSS=$(awk '/Maximum resident/ {printf "%.1f", $NF / 1024}' "$LOG/close.time")
say "close-day process: wall $WALL s, max RSS $RSS MB, CPU user $(sed -n 's/.*User time (seconds): //p' "$LOG/close.time") s, system $(sed -n 's/.*System time (seconds): //p' "$LOG/close.time") s"
say ""
say "| step | wall (s) | rows | partitions |"
say "| --- | --- | --- | --- |"
"${PSQL[@]}" -F'|' -c "SELECT s.step, round(extract(epoch FROM s.finished_at - s.started_at)::numeric, 2), s.rows_done,
    (SELECT count(*) FROM close_partitions p WHERE p.run_id = s.run_id AND p.step = s.step)
  FROM close_steps s JOIN close_runs r ON r.id = s.run_id WHERE r.business_date = '$T' ORDER BY s.seq" |
  while IFS='|' read -r step wall rows parts; do say "| $step | $wall | $rows | $parts |"; done
RUN=$("${PSQL[@]}" -c "SELECT round(extract(epoch FROM finished_at - started_at)::numeric, 2) FROM close_runs WHERE business_date = '$T'")
PENALTY=$("${PSQL[@]}" -c "SELECT round(extract(epoch FROM s.finished_at - s.started_at)::numeric, 2) FROM close_steps s JOIN close_runs r ON r.id = s.run_id WHERE r.business_date = '$T' AND s.step = 'penalty_accrual'")
say "| run (close_runs) | $RUN | | |"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.1f", a / b}'; }
say ""
ACCRUAL_STEP=$("${PSQL[@]}" -c "SELECT round(extract(epoch FROM s.finished_at - s.started_at)::numeric, 2) FROM close_steps s JOIN close_runs r ON r.id = s.run_id WHERE r.business_date = '$T' AND s.step = 'interest_accrual'")
say "close-day wall ÷ accrual baseline: $(ratio "$WALL" "$B1") (baseline 1), $(ratio "$WALL" "$B2") (baseline 2); interest accrual step ÷ accrual baseline 2: $(ratio "$ACCRUAL_STEP" "$B2"); penalty step ÷ penalty baseline: $(ratio "$PENALTY" "$BP")"
say "goals: all steps ≤ 60 s: $(awk -v r="$RUN" 'BEGIN {print (r <= 60) ? "met" : "MISSED"}') ($RUN s);" \
  "≤ 4 × baseline: $(awk -v w="$WALL" -v b="$B2" 'BEGIN {print (w <= 4 * b) ? "met" : "MISSED"}') (against baseline 2);" \
  "peak memory ≤ 500 MB: $(awk -v m="$RSS" 'BEGIN {print (m <= 500) ? "met" : "MISSED"}') ($RSS MB)"
"$CHEDAI" reconcile >"$LOG/reconcile.json" 2>&1 && say "books after the close: reconciled" ||
  say "books after the close: DO NOT reconcile (see $LOG/reconcile.json)"

# --- (c) plans of one partition -----------------------------------------------------------------
# The statements of steps.rs for the middle partition, for the next day (T+1), rolled back: the
# penalty accrual does the same work as on T (every overdue installment, one more day); the
# transfer moves what falls due on T+1, which the generated book has not paid yet.
read -r LO HI < <("${PSQL[@]}" -F' ' -c "SELECT lo, hi FROM close_partitions p JOIN close_runs r ON r.id = p.run_id
  WHERE r.business_date = '$T' AND p.step = 'penalty_accrual' ORDER BY lo OFFSET (SELECT count(*) / 2 FROM close_partitions p2
  JOIN close_runs r2 ON r2.id = p2.run_id WHERE r2.business_date = '$T' AND p2.step = 'penalty_accrual') LIMIT 1")
RUN_ID=$("${PSQL[@]}" -c "SELECT id FROM close_runs WHERE business_date = '$T'")
"$PGBIN/psql" "$DATABASE_URL" -v ON_ERROR_STOP=1 >"$LOG/explain.txt" <<SQL
\echo -- overdue_transfer, partition [$LO, $HI), date $NEXT
BEGIN;
EXPLAIN (ANALYZE, BUFFERS) WITH moved AS (
  UPDATE loan_installments i SET overdue_since = '$NEXT'::date + 1
  FROM loans l
  WHERE l.id = i.loan_id AND l.status = 'active' AND i.loan_id >= $LO AND i.loan_id < $HI
    AND i.settled_on IS NULL AND i.overdue_since IS NULL AND i.due_date <= '$NEXT'::date
  RETURNING i.loan_id, i.principal - i.paid_principal AS amount
), per_loan AS (
  SELECT loan_id, sum(amount) AS amount FROM moved GROUP BY loan_id HAVING sum(amount) > 0
), balances AS (
  UPDATE loan_balances b SET principal_normal = b.principal_normal - p.amount,
    principal_overdue = b.principal_overdue + p.amount, updated_at = now()
  FROM per_loan p WHERE b.loan_id = p.loan_id RETURNING b.loan_id
), posted AS (
  INSERT INTO close_postings (run_id, step, loan_id, product, amount)
  SELECT $RUN_ID, 'overdue_transfer', p.loan_id, pr.code, p.amount FROM per_loan p
  JOIN loans l ON l.id = p.loan_id JOIN loan_applications a ON a.id = l.application_id
  JOIN loan_products pr ON pr.id = a.product_id RETURNING loan_id
)
SELECT (SELECT count(*) FROM moved) AS moved, (SELECT count(*) FROM balances) AS b,
  (SELECT count(*) FROM posted) AS p;
ROLLBACK;
\echo -- penalty_accrual, partition [$LO, $HI), date $NEXT
BEGIN;
EXPLAIN (ANALYZE, BUFFERS) WITH rates AS (
  SELECT l.id, l.annual_rate * (l.terms->>'penaltyMultiplier')::numeric / (l.terms->>'dayBasis')::numeric AS day_rate,
         (l.terms->>'graceDays')::int AS grace
  FROM loans l WHERE l.status = 'active' AND l.id >= $LO AND l.id < $HI
)
UPDATE loan_installments i SET
  penalty_accrued = i.penalty_accrued + round((i.principal - i.paid_principal) * r.day_rate, 8)
    * (('$NEXT'::date + 1) - greatest(coalesce(i.accrued_through, i.due_date), i.due_date)),
  compound_accrued = i.compound_accrued + round((i.interest - i.paid_interest) * r.day_rate, 8)
    * (('$NEXT'::date + 1) - greatest(coalesce(i.accrued_through, i.due_date), i.due_date)),
  accrued_through = '$NEXT'::date + 1
FROM rates r
WHERE i.loan_id = r.id AND i.settled_on IS NULL AND i.due_date <= '$NEXT'::date
  AND ('$NEXT'::date + 1) - i.due_date > r.grace
  AND greatest(coalesce(i.accrued_through, i.due_date), i.due_date) < '$NEXT'::date + 1;
ROLLBACK;
SQL
say "(plans of one partition in $LOG/explain.txt, the baseline's in $LOG/explain-baseline.txt)"
echo "results in $RESULTS"
