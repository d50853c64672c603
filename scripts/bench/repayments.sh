#!/usr/bin/env bash
# Confirmed repayments per second through the API (issue 6, item 13; docs/BENCHMARKS.md
# "## repayments"), beside a raw-SQL transaction doing the same writes in the same run.
#
#   scripts/bench/repayments.sh
#   LOANS=20000 DURATION=20s CONNECTIONS=2 scripts/bench/repayments.sh
#
# It starts a private PostgreSQL (unless DATABASE_URL is set), writes 1,000 customers with
# `chedai gen customers` and 2 × LOANS active loans with `chedai gen loans`, each with its first
# installment due today and one repayment registered for it. The release server starts on
# loopback; wrk confirms the first LOANS registrations, each once (POST
# /api/v1/repayments/{id}/confirm with its own Idempotency-Key: allocation, installments,
# sub-ledger, voucher, audit, idempotency record in one transaction on the loan's row). pgbench
# then runs the same reads and writes as one raw transaction over the other LOANS. Prints
# p50/p90/p99, confirmations per second and the API/raw ratio.
#
# Environment: LOANS (20000), DURATION (20s), CONNECTIONS (2), BENCH_DIR
# (/tmp/chedai-bench-repayments), SKIP_BUILD=1 with CHEDAI=<a release binary>, DATABASE_URL. Everything started here is
# stopped on exit and the data folder removed; every wait is bounded.
set -euo pipefail

LOANS=${LOANS:-20000}
DURATION=${DURATION:-20s}
CONNECTIONS=${CONNECTIONS:-2}
BENCH_DIR=${BENCH_DIR:-/tmp/chedai-bench-repayments}
ADMIN_INITIAL='Bench-Initial-2026'
ADMIN_PASSWORD='Bench-Admin-2026!'
# shellcheck source=scripts/bench/common.sh
source "$(dirname "$0")/common.sh"

rm -rf "$BENCH_DIR"
bench_init
command -v wrk >/dev/null || apt-get install -y wrk >/dev/null
bench_build
bench_pg_start 512MB
export CHEDAI_VAR_DIR="$BENCH_DIR/var"
export CHEDAI_ADMIN_PASSWORD="$ADMIN_INITIAL"
export CHEDAI_DEMO_DATA=0
export CHEDAI_LOG_FORMAT=json

say "# repayments benchmark: $(date -u) on $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
"$CHEDAI" gen customers --count 1000 --seed 1 --sample-file "$BENCH_DIR/customers.csv" | grep -v '^{' >"$LOG/gen-customers.log"
"$CHEDAI" gen loans --count $((2 * LOANS)) | grep -v '^{' | tee "$LOG/gen-loans.log"
say "generator: $(grep '^Inserted' "$LOG/gen-loans.log")"
read -r FIRST LAST < <("${PSQL[@]}" -F' ' -c "SELECT min(id), max(id) FROM repayments WHERE status = 'registered'")
API_LAST=$((FIRST + LOANS - 1))
RAW_FIRST=$((API_LAST + 1))
ADMIN_ID=$("${PSQL[@]}" -c "SELECT id FROM users WHERE username = 'admin'")

API_PORT=$(free_port)
BASE="http://127.0.0.1:$API_PORT"
CHEDAI_BIND="127.0.0.1:$API_PORT" "$CHEDAI" serve >"$LOG/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 240); do
  curl -fs "$BASE/healthz" >/dev/null 2>&1 && break
  kill -0 "$SERVER_PID" 2>/dev/null || { tail -20 "$LOG/server.log"; exit 1; }
  sleep 0.5
done
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
first=$(curl -fs -H 'Content-Type: application/json' "$BASE/api/v1/auth/login" \
  -d "{\"username\":\"admin\",\"password\":\"$ADMIN_INITIAL\"}" | json "['accessToken']")
TOKEN=$(curl -fs -H 'Content-Type: application/json' -H "Authorization: Bearer $first" \
  "$BASE/api/v1/auth/change-password" \
  -d "{\"currentPassword\":\"$ADMIN_INITIAL\",\"newPassword\":\"$ADMIN_PASSWORD\"}" | json "['accessToken']")

# Sanity: one confirmation through the API settles the first installment and posts a voucher.
curl -fs -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -H "Idempotency-Key: bench-confirm-$FIRST" -d '{"decision":"approve","version":1}' \
  "$BASE/api/v1/repayments/$FIRST/confirm" | json "['allocation']['totals']" | tee -a "$RESULTS"

# --- wrk through the API: each registration confirmed once -------------------------------------
cat >"$BENCH_DIR/confirm.lua" <<'LUA'
-- Thread k of n confirms registrations FIRST+k, FIRST+k+n, ... up to LAST, each once.
local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads - 1)
end
function init(args)
  first = tonumber(os.getenv("FIRST"))
  last = tonumber(os.getenv("LAST"))
  step = tonumber(os.getenv("THREADS"))
  next_id = first + tid
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
  wrk.headers["Content-Type"] = "application/json"
end
function request()
  local id = next_id
  next_id = next_id + step
  if id > last then
    return wrk.format("GET", "/healthz")
  end
  wrk.headers["Idempotency-Key"] = "bench-confirm-" .. id
  return wrk.format("POST", "/api/v1/repayments/" .. id .. "/confirm", nil, '{"decision":"approve","version":1}')
end
function done(summary, latency, requests)
  local secs = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format("RESULT api p50=%.2f p90=%.2f p99=%.2f max=%.2f rps=%.1f requests=%d errors=%d\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, summary.requests / secs, summary.requests,
    e.connect + e.read + e.write + e.status + e.timeout))
end
LUA
echo "== API: wrk -c$CONNECTIONS -t$CONNECTIONS -d$DURATION"
FIRST=$((FIRST + 1)) LAST=$API_LAST THREADS=$CONNECTIONS TOKEN=$TOKEN \
  wrk -t "$CONNECTIONS" -c "$CONNECTIONS" -d "$DURATION" --latency -s "$BENCH_DIR/confirm.lua" "$BASE" \
  >"$LOG/wrk.txt"
grep '^RESULT' "$LOG/wrk.txt" | tee -a "$RESULTS"
if grep -q 'Non-2xx' "$LOG/wrk.txt"; then say "  !! $(grep 'Non-2xx' "$LOG/wrk.txt")"; fi
CONFIRMED=$("${PSQL[@]}" -c "SELECT count(*) FROM repayments WHERE status = 'confirmed'")
say "confirmed through the API: $CONFIRMED; vouchers: $("${PSQL[@]}" -c "SELECT count(*) FROM vouchers")"
if [ "$CONFIRMED" -ge "$LOANS" ]; then say "  !! every registration was confirmed before the end: raise LOANS"; fi

# --- the raw-SQL baseline: the same reads and writes in one transaction ------------------------
cat >"$BENCH_DIR/confirm.sql" <<SQL
\set rid random($RAW_FIRST, $LAST)
SELECT 'raw-' || :rid || '-' || :client_id || '-' || random() AS ikey \gset
BEGIN;
INSERT INTO idempotency_keys (user_id, key, operation, fingerprint, status, response, created_at)
  VALUES ($ADMIN_ID, :ikey, '', 'POST /repayments/' || :rid || '/confirm {"decision":"approve","version":1}', 0, 'null', now())
  ON CONFLICT DO NOTHING;
SELECT loan_id AS lid FROM repayments WHERE id = :rid \gset
SELECT * FROM loans WHERE id = :lid FOR UPDATE;
SELECT 1 FROM repayments WHERE id = :rid FOR UPDATE;
SELECT r.*, l.loan_no, c.name FROM repayments r JOIN loans l ON l.id = r.loan_id JOIN customers c ON c.id = l.customer_id
  JOIN accounts fa ON fa.code = r.fund_account_code JOIN users ru ON ru.id = r.registered_by WHERE r.id = :rid;
SELECT * FROM loan_installments WHERE loan_id = :lid ORDER BY period;
SELECT * FROM loan_balances WHERE loan_id = :lid;
UPDATE loan_installments SET paid_principal = CASE WHEN period = 1 THEN principal ELSE paid_principal END,
  paid_interest = CASE WHEN period = 1 THEN interest ELSE paid_interest END,
  settled_on = CASE WHEN period = 1 THEN current_date ELSE settled_on END WHERE loan_id = :lid;
UPDATE loan_balances SET principal_normal = 100000 - 3707.35, credit_balance = 0, updated_at = now() WHERE loan_id = :lid;
SELECT a.code FROM accounts a WHERE a.code = ANY('{100201,130301,222101,601101}') AND a.enabled
  AND NOT EXISTS (SELECT 1 FROM accounts c WHERE c.parent_code = a.code);
INSERT INTO accounting_periods (period, status) VALUES (to_char(current_date, 'YYYY-MM'), 'open') ON CONFLICT DO NOTHING;
UPDATE accounting_periods SET last_seq = last_seq + 1 WHERE period = to_char(current_date, 'YYYY-MM') AND status = 'open' RETURNING last_seq AS seq \gset
INSERT INTO vouchers (period, seq, voucher_date, status, source_kind, source_id, summary, created_by, reviewed_by, created_at)
  VALUES (to_char(current_date, 'YYYY-MM'), :seq, current_date, 'pending', 'repayment', :rid, '收回贷款', $ADMIN_ID, $ADMIN_ID, now()) RETURNING id AS vid \gset
INSERT INTO voucher_lines (voucher_id, line_no, account_code, debit, credit, loan_id, memo) VALUES
  (:vid, 1, '100201', 4707.35, 0, NULL, '还款收入'), (:vid, 2, '130301', 0, 3707.35, :lid, '收回本金'),
  (:vid, 3, '601101', 0, 943.40, :lid, '利息收入'), (:vid, 4, '222101', 0, 56.60, :lid, '销项税额');
UPDATE vouchers SET status = 'posted', posted_at = now() WHERE id = :vid;
UPDATE repayments SET restore = (SELECT jsonb_agg(i) FROM loan_installments i WHERE i.loan_id = :lid) WHERE id = :rid;
UPDATE repayments SET allocation = '{"lines":[],"totals":{}}', voucher_id = :vid, version = version + 1 WHERE id = :rid;
SELECT r.*, l.loan_no FROM repayments r JOIN loans l ON l.id = r.loan_id WHERE r.id = :rid;
INSERT INTO audit_log (occurred_at, actor_id, actor_name, entity, entity_id, action, before, after)
  VALUES (now(), $ADMIN_ID, 'admin', 'repayment', :rid, 'confirm',
          (SELECT to_jsonb(r) FROM repayments r WHERE id = :rid), (SELECT to_jsonb(r) FROM repayments r WHERE id = :rid));
UPDATE idempotency_keys SET status = 200, response = (SELECT to_jsonb(r) FROM repayments r WHERE id = :rid)
  WHERE user_id = $ADMIN_ID AND key = :ikey;
END;
SQL
echo "== raw SQL: pgbench -c$CONNECTIONS -T${DURATION%s}"
(cd "$LOG" && "$PGBIN/pgbench" -n -M prepared -c "$CONNECTIONS" -j "$CONNECTIONS" -T "${DURATION%s}" \
  -l --log-prefix=pgbench.log -f "$BENCH_DIR/confirm.sql" "$DATABASE_URL") >"$LOG/pgbench.txt" 2>&1 ||
  { tail -20 "$LOG/pgbench.txt"; exit 1; }
TPS=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$LOG/pgbench.txt" | head -1)
RAW=$(cat "$LOG"/pgbench.log* | awk '{print $3}' | sort -n | awk '{a[NR]=$1} END {
  printf "p50=%.2f p90=%.2f p99=%.2f max=%.2f", a[int(NR*0.50)]/1000, a[int(NR*0.90)]/1000, a[int(NR*0.99)]/1000, a[NR]/1000 }')
say "RESULT raw $RAW rps=$TPS"
API_RPS=$(sed -n 's/^RESULT api .*rps=\([0-9.]*\).*/\1/p' "$LOG/wrk.txt")
say "API/raw throughput: $(python3 -c "print(round($API_RPS / $TPS, 2))") (goal >= 0.5)"
say "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
