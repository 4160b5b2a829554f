#!/usr/bin/env bash
# Reports and payroll exports under local `wrangler dev` (workerd + local D1, R2 and Queues),
# with rows seeded straight into D1 by `wrangler d1 execute`. Prints:
#   1. GET /v1/reports/job-costing and GET /v1/reports/time?group_by=worker for one month:
#      p50/p99 of REPORT_REQUESTS sequential requests for tenant A (SMALL_ENTRIES entries, all
#      in that month) and tenant B (the same month's entries plus LARGE_ENTRIES - SMALL_ENTRIES
#      entries of other jobs over the five years before it), and the ratio B/A; both answers
#      must agree (same hours, same cost);
#   2. a payroll export of EXPORT_ENTRIES approved entries of EXPORT_WORKERS workers in that
#      month: time from POST to `completed`, the steps it took and the longest one (the
#      consumer logs each step's wall time; CPU per invocation is not reported by local
#      workerd, so the server's total CPU over the export is printed beside it), and its file
#      checked worker by worker against the time report of approved entries.
#
# Order: apply migrations → start the worker → create three tenants through the operator API →
# stop it → seed → start it again on the same state → measure. Assumes `make build` has run.
# Everything listens on 127.0.0.1 (ports from PORTS); state, SQL, logs live in a temp dir that
# is removed on exit, with every process group this script started.
#
# Environment (defaults in brackets): SMALL_ENTRIES [1000] LARGE_ENTRIES [1000000]
#   REPORT_REQUESTS [30] EXPORT_WORKERS [500] EXPORT_ENTRIES [100000] MONTH [2026-10]
#   EXPORT_TIMEOUT [900] seconds  SEED_CHUNK [200000] rows per SQL file
#   PORTS [8810..8819]  KEEP_TMP=1 keeps the temp dir
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export PATH="$ROOT/node_modules/.bin:$PATH"
export WRANGLER_SEND_METRICS=false

SMALL_ENTRIES=${SMALL_ENTRIES:-1000}
LARGE_ENTRIES=${LARGE_ENTRIES:-1000000}
REPORT_REQUESTS=${REPORT_REQUESTS:-30}
EXPORT_WORKERS=${EXPORT_WORKERS:-500}
EXPORT_ENTRIES=${EXPORT_ENTRIES:-100000}
MONTH=${MONTH:-2026-10}
EXPORT_TIMEOUT=${EXPORT_TIMEOUT:-900}
SEED_CHUNK=${SEED_CHUNK:-200000}
PORTS=${PORTS:-$(seq -s ' ' 8810 8819)}

BENCH_NAME=reports
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

[ -f build/index.js ] || die "build/index.js missing; run 'make build'"
[ -x node_modules/.bin/wrangler ] || die "node_modules/.bin/wrangler missing; run 'make build'"
command -v curl >/dev/null || die "curl is required"
for v in SMALL_ENTRIES LARGE_ENTRIES REPORT_REQUESTS EXPORT_WORKERS EXPORT_ENTRIES EXPORT_TIMEOUT SEED_CHUNK; do
  [[ ${!v} =~ ^[0-9]+$ ]] && [ "${!v}" -gt 0 ] || die "$v must be a positive integer (got '${!v}')"
done
[ "$LARGE_ENTRIES" -ge "$SMALL_ENTRIES" ] || die "LARGE_ENTRIES must be at least SMALL_ENTRIES"
[[ $MONTH =~ ^[0-9]{4}-[0-9]{2}$ ]] || die "MONTH must look like 2026-10"
[ -f .dev.vars ] || cp .dev.vars.example .dev.vars
OPERATOR_TOKEN=$(sed -n 's/^OPERATOR_TOKEN=//p' .dev.vars)
[ -n "$OPERATOR_TOKEN" ] || die "no OPERATOR_TOKEN in .dev.vars"
FROM="$MONTH-01"
TO=$(date -u -d "$FROM +1 month -1 day" +%Y-%m-%d)
DAYS=$(( $(date -u -d "$TO" +%d | sed 's/^0//') ))

temp_dir_with_cleanup

# --- the node helper: SQL, timed requests, the export's poll and check -----------------------
cat >"$TMP/reports.mjs" <<EOF
import { id, iso, q, writer } from '$ROOT/bench/seed.mjs';
EOF
cat >>"$TMP/reports.mjs" <<'EOF'
const [cmd, ...args] = process.argv.slice(2);
const DAY = 86400000;

if (cmd === 'seed') {
  // seed DIR CHUNK JSON: JSON is [{tag, tenant, workers, jobs, periods: [{entries, first, days,
  // jobs: [from, count], status}]}]. A worker's n-th entry of a period is on day n % days at
  // 08:00 UTC + (n / days) hours, 50–56 minutes long, so no two of a worker's entries overlap.
  const [dir, chunk, json] = args;
  const W = writer(dir, 'workers', 'INSERT INTO workers (id, tenant_id, name, employee_code, pay_rate, status, created_at, updated_at)', +chunk);
  const J = writer(dir, 'jobs', 'INSERT INTO jobs (id, tenant_id, name, status, budget_hours, created_at, updated_at)', +chunk);
  const E = writer(dir, 'entries', 'INSERT INTO time_entries (id, tenant_id, worker_id, job_id, started_at, ended_at, breaks, worked_seconds, source, status, created_at, updated_at)', +chunk);
  const now = iso(Date.now());
  for (const t of JSON.parse(json)) {
    for (let w = 0; w < t.workers; w++)
      W.add(`(${q(id('wkr', t.tag, w))},${q(t.tenant)},${q(`Bench Worker ${t.tag}${w}`)},${q(`BW-${t.tag}-${w}`)},${1500 + (w % 10) * 100},'active',${q(now)},${q(now)})`);
    for (let j = 0; j < t.jobs; j++)
      J.add(`(${q(id('job', t.tag, j))},${q(t.tenant)},${q(`Bench Job ${j}`)},'active',${j % 2 ? 'NULL' : 1000},${q(now)},${q(now)})`);
    let n = 0;
    for (const p of t.periods) {
      const first = Date.parse(`${p.first}T00:00:00Z`);
      for (let e = 0; e < p.entries; e++) {
        const w = e % t.workers, k = Math.floor(e / t.workers);
        const start = first + (k % p.days) * DAY + (8 + Math.floor(k / p.days)) * 3600000;
        const secs = 3000 + (w % 7) * 60;
        const job = id('job', t.tag, p.jobs[0] + (e % p.jobs[1]));
        const s = iso(start), en = iso(start + secs * 1000);
        E.add(`(${q(id('te', t.tag, n++))},${q(t.tenant)},${q(id('wkr', t.tag, w))},${q(job)},${q(s)},${q(en)},'[]',${secs},'api',${q(p.status)},${q(en)},${q(en)})`);
      }
    }
  }
  console.log([...W.end(), ...J.end(), ...E.end()].join('\n'));
} else if (cmd === 'times') {
  // times URL KEY N: N sequential GETs (after one warm-up), each must be 200; prints p50 p99 mean ms.
  const [url, key, n] = args;
  const get = async () => {
    const t0 = performance.now();
    const r = await fetch(url, { headers: { authorization: `Bearer ${key}` } });
    const text = await r.text();
    if (r.status !== 200) { console.error(`GET ${url} -> ${r.status}: ${text.slice(0, 300)}`); process.exit(1); }
    return [performance.now() - t0, JSON.parse(text)];
  };
  const [, body] = await get();
  const ms = [];
  for (let i = 0; i < +n; i++) ms.push((await get())[0]);
  ms.sort((a, b) => a - b);
  const at = p => ms[Math.min(ms.length - 1, Math.floor(p * ms.length))].toFixed(1);
  console.log(`${at(0.5)} ${at(0.99)} ${(ms.reduce((a, b) => a + b, 0) / ms.length).toFixed(1)} ${body.data.rows.length} ${body.data.totals.hours} ${body.data.totals.labor_cost}`);
} else if (cmd === 'export') {
  // export BASE KEY FROM TO TIMEOUT_S: POST, then poll every 250 ms; prints the export and the ms.
  const [base, key, from, to, timeout] = args;
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  const t0 = performance.now();
  const r = await fetch(`${base}/v1/exports/payroll`, { method: 'POST', headers, body: JSON.stringify({ from, to }) });
  const created = await r.json();
  if (r.status !== 202) { console.error(`POST -> ${r.status}: ${JSON.stringify(created)}`); process.exit(1); }
  for (;;) {
    const d = (await (await fetch(`${base}/v1/exports/${created.data.id}`, { headers })).json()).data;
    if (d.status === 'completed' || d.status === 'failed') {
      console.log(JSON.stringify({ ms: Math.round(performance.now() - t0), ...d })); break;
    }
    if (performance.now() - t0 > +timeout * 1000) { console.error(`still ${d.status} after ${timeout} s`); process.exit(1); }
    await new Promise(res => setTimeout(res, 250));
  }
} else if (cmd === 'check') {
  // check BASE KEY URL FROM TO: the file's total_hours per worker against the time report of
  // approved entries; prints {rows, mismatches, file_hours, report_hours}.
  const [base, key, url, from, to] = args;
  const csv = await (await fetch(url)).text();
  const lines = csv.trimEnd().split('\r\n');
  const head = lines.shift().split(',');
  const file = new Map(lines.map(l => { const f = l.split(','); return [f[0], +f[head.indexOf('total_hours')]]; }));
  const rep = await (await fetch(`${base}/v1/reports/time?from=${from}&to=${to}&status=approved&group_by=worker`,
    { headers: { authorization: `Bearer ${key}` } })).json();
  let mismatches = 0, reportHours = 0;
  for (const r of rep.data.rows) { reportHours += r.hours; if (file.get(r.worker_id) !== r.hours) mismatches++; }
  if (rep.data.rows.length !== file.size) mismatches++;
  const fileHours = [...file.values()].reduce((a, b) => a + b, 0);
  console.log(JSON.stringify({ rows: file.size, mismatches, file_hours: +fileHours.toFixed(2), report_hours: +reportHours.toFixed(2) }));
} else {
  console.error(`unknown command ${cmd}`); process.exit(2);
}
EOF
helper() { node "$TMP/reports.mjs" "$@"; }

# --- 0. schema, tenants, seed --------------------------------------------------------------
COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD -- src Cargo.toml Cargo.lock schema.sql 2>/dev/null || COMMIT="$COMMIT+dirty"
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
echo "edgeclock reports bench — $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $COMMIT, $(nproc) CPU(s)" >&2
CI=true wrangler d1 migrations apply DB --local --persist-to "$STATE" >"$TMP/schema.log" 2>&1 \
  || fail_with_log "$TMP/schema.log" "applying migrations failed"
start_server setup
declare -A TID KEY
for t in A B E; do
  body=$(curl -sS -w '\n%{http_code}' -X POST "$BASE/v1/operator/tenants" -H "Authorization: Bearer $OPERATOR_TOKEN" \
    -H 'Content-Type: application/json' \
    -d "{\"name\":\"Reports $t\",\"tier\":\"enterprise\",\"timezone\":\"America/New_York\",\"limits\":{\"per_second\":1000000,\"per_minute\":100000000,\"per_day\":1000000000}}")
  [ "${body##*$'\n'}" = 201 ] || fail_with_log "$LOG" "creating tenant $t: ${body:0:400}"
  body=${body%$'\n'*}
  TID[$t]=$(printf '%s' "$body" | json_get data.id)
  KEY[$t]=$(printf '%s' "$body" | json_get data.api_key.key)
done
stop_server

HISTORY_FIRST=$(date -u -d "$FROM -5 years" +%Y-%m-%d)
HISTORY_DAYS=$(( ( $(date -u -d "$FROM" +%s) - $(date -u -d "$HISTORY_FIRST" +%s) ) / 86400 ))
MONTH_PERIOD="{\"entries\":$SMALL_ENTRIES,\"first\":\"$FROM\",\"days\":$DAYS,\"jobs\":[0,10],\"status\":\"approved\"}"
SPEC="[
 {\"tag\":\"a\",\"tenant\":\"${TID[A]}\",\"workers\":50,\"jobs\":10,\"periods\":[$MONTH_PERIOD]},
 {\"tag\":\"b\",\"tenant\":\"${TID[B]}\",\"workers\":50,\"jobs\":1000,\"periods\":[$MONTH_PERIOD,
   {\"entries\":$(( LARGE_ENTRIES - SMALL_ENTRIES )),\"first\":\"$HISTORY_FIRST\",\"days\":$HISTORY_DAYS,\"jobs\":[10,990],\"status\":\"approved\"}]},
 {\"tag\":\"e\",\"tenant\":\"${TID[E]}\",\"workers\":$EXPORT_WORKERS,\"jobs\":20,\"periods\":[
   {\"entries\":$EXPORT_ENTRIES,\"first\":\"$FROM\",\"days\":$DAYS,\"jobs\":[0,20],\"status\":\"approved\"}]}]"
echo "seeding: A $SMALL_ENTRIES entries; B $LARGE_ENTRIES; E $EXPORT_ENTRIES of $EXPORT_WORKERS workers" >&2
mkdir -p "$TMP/sql"
SEED_T0=$(date +%s.%N)
mapfile -t FILES < <(helper seed "$TMP/sql" "$SEED_CHUNK" "$SPEC")
for f in "${FILES[@]}"; do
  echo "  wrangler d1 execute --file $(basename "$f") ($(( $(stat -c %s "$f") / 1048576 )) MiB)" >&2
  d1_exec "$f"; rm -f "$f"
done
SEED_S=$(awk -v a="$SEED_T0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}')

start_server bench
echo "measuring on $BASE (log: $LOG)" >&2
FAILURES=0

# --- 1. reports at 1k vs 1M entries ------------------------------------------------------------
declare -A R
for report in "job-costing" "time?group_by=worker"; do
  sep='?'; [[ $report == *'?'* ]] && sep='&'
  for t in A B; do
    echo "  $report, tenant $t: $REPORT_REQUESTS sequential requests" >&2
    R[$report,$t]=$(helper times "$BASE/v1/reports/$report${sep}from=$FROM&to=$TO" "${KEY[$t]}" "$REPORT_REQUESTS") \
      || fail_with_log "$LOG" "report $report for tenant $t failed"
  done
  read -r _ _ _ rows_a hours_a cost_a <<<"${R[$report,A]}"
  read -r _ _ _ rows_b hours_b cost_b <<<"${R[$report,B]}"
  if [ "$rows_a $hours_a $cost_a" != "$rows_b $hours_b $cost_b" ]; then
    echo "FAILURE: $report differs between A ($rows_a rows, $hours_a h, $cost_a) and B ($rows_b rows, $hours_b h, $cost_b)" >&2
    FAILURES=$((FAILURES + 1))
  fi
done

# --- 2. the payroll export -------------------------------------------------------------------
echo "  payroll export of $EXPORT_ENTRIES entries ($FROM..$TO)" >&2
G=${PGIDS[-1]}; S0=$(group_ticks "$G"); T0=$(now_ms)
EXPORT=$(helper export "$BASE" "${KEY[E]}" "$FROM" "$TO" "$EXPORT_TIMEOUT") || fail_with_log "$LOG" "the export did not finish"
S1=$(group_ticks "$G"); T1=$(now_ms)
EXP_ID=$(printf '%s' "$EXPORT" | json_get id)
EXP_STATUS=$(printf '%s' "$EXPORT" | json_get status)
EXP_MS=$(printf '%s' "$EXPORT" | json_get ms)
EXP_ROWS=$(printf '%s' "$EXPORT" | json_get row_count)
[ "$EXP_STATUS" = completed ] || { echo "FAILURE: export $EXP_ID is $EXP_STATUS" >&2; FAILURES=$((FAILURES + 1)); }
CHECK=$(helper check "$BASE" "${KEY[E]}" "$(printf '%s' "$EXPORT" | json_get download_url)" "$FROM" "$TO")
[ "$(printf '%s' "$CHECK" | json_get mismatches)" = 0 ] || { echo "FAILURE: file vs report: $CHECK" >&2; FAILURES=$((FAILURES + 1)); }
STEPS=$(grep -c "exports: $EXP_ID " "$LOG" || true)
LONGEST=$(grep "exports: $EXP_ID " "$LOG" | sed -n 's/.* in \([0-9]*\) ms.*/\1/p' | sort -n | tail -1)
CPU_S=$(awk -v t="$(( S1 - S0 ))" -v hz="$HZ" 'BEGIN { printf "%.1f", t / hz }')

# --- report ----------------------------------------------------------------------------------
echo
echo "edgeclock reports — commit $COMMIT, $(nproc) CPU(s) shared by node and workerd, 127.0.0.1"
echo "load average at start $LOAD_START, at end $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine skews these figures)"
echo "seeded $(( SMALL_ENTRIES + LARGE_ENTRIES + EXPORT_ENTRIES )) time entries in ${SEED_S}s"
echo
printf '%-46s %9s %9s %9s %6s %10s\n' "GET /v1/reports/… $FROM..$TO" "p50 ms" "p99 ms" "mean ms" "rows" "hours"
for report in "job-costing" "time?group_by=worker"; do
  for t in A B; do
    read -r p50 p99 mean rows hours _ <<<"${R[$report,$t]}"
    entries=$SMALL_ENTRIES; [ "$t" = B ] && entries=$LARGE_ENTRIES
    printf '%-46s %9s %9s %9s %6s %10s\n' "$report ($t, $entries entries)" "$p50" "$p99" "$mean" "$rows" "$hours"
  done
  read -r a50 a99 _ <<<"${R[$report,A]}"; read -r b50 b99 _ <<<"${R[$report,B]}"
  printf '%-46s %9s %9s\n' "  ratio B/A" "$(ratio "$b50" "$a50")" "$(ratio "$b99" "$a99")"
done
echo
echo "payroll export $EXP_ID: $EXP_STATUS, $EXP_ROWS rows from $EXPORT_ENTRIES approved entries of $EXPORT_WORKERS workers"
echo "  POST → completed: $EXP_MS ms; $STEPS step(s), the longest ${LONGEST:-?} ms (wall, in the consumer)"
echo "  server CPU (node + workerd) over the export: ${CPU_S}s in $(( T1 - T0 )) ms"
echo "  file vs time report (approved, by worker): $CHECK"
echo
if [ "$FAILURES" = 0 ]; then echo "all checks passed"; else echo "FAILURES: $FAILURES check(s) failed (see above)"; exit 1; fi
