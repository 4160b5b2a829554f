#!/usr/bin/env bash
# How edgeclock's latency depends on data size, under local `wrangler dev` (workerd + local
# D1), with rows seeded straight into D1 by `wrangler d1 execute`. Prints:
#   1. GET /v1/workers?limit=50 — first page and a deep page (reached by following
#      meta.next_cursor DEEP_PAGES times) for a tenant with SMALL_WORKERS rows and one with
#      LARGE_WORKERS rows; requests/s, p50, p99 and the ratio large/small;
#   2. the same for GET /v1/time-entries?limit=50 with SMALL_ENTRIES / LARGE_ENTRIES rows;
#   3. GET /v1/attendance/summary?month=&year= for a tenant with SUMMARY_WORKERS workers and
#      SUMMARY_DAYS entries each in that month: p50/p99 of SUMMARY_REQUESTS sequential curls;
#   4. clock-in + clock-out pairs per second for CLOCK_WORKERS workers, CLOCK_PARALLEL
#      concurrent loops, until CLOCK_SECONDS have passed or CLOCK_MAX_PAIRS pairs were made.
# Every response is checked (2xx where expected; pages must be full); failures are printed.
#
# Order: apply schema → start the worker → create four tenants through the operator API →
# stop the worker → seed with `wrangler d1 execute` (the simple robust order; seeding small
# files while the server runs also works) → start the worker on the same state → measure.
#
# Assumes `make build` has run. Everything listens on 127.0.0.1 only (ports from PORTS);
# state, SQL files, logs and wrk output live in a temp dir removed on exit, together with
# every process group this script started. All load is bounded (wrk -d, request counts).
#
# Environment (defaults in brackets):
#   SMALL_WORKERS [1000]  LARGE_WORKERS [100000]  SMALL_ENTRIES [1000]  LARGE_ENTRIES [1000000]
#   DEEP_PAGES [100]      LIMIT [50]
#   THREADS [1] CONNECTIONS [4] DURATION [5s] WARMUP [2s]       (wrk, per list measurement)
#   SUMMARY_WORKERS [200] SUMMARY_DAYS [20] SUMMARY_YEAR/SUMMARY_MONTH [last month, UTC]
#   SUMMARY_REQUESTS [30]
#   CLOCK_WORKERS [50] CLOCK_PARALLEL [4] CLOCK_SECONDS [15] CLOCK_MAX_PAIRS [1000]
#   SEED_CHUNK [200000]  rows per SQL file (one `wrangler d1 execute` each)
#   PORTS [8800..8809]   KEEP_TMP=1 keeps the temp dir
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export PATH="$ROOT/node_modules/.bin:$PATH"
export WRANGLER_SEND_METRICS=false

SMALL_WORKERS=${SMALL_WORKERS:-1000}
LARGE_WORKERS=${LARGE_WORKERS:-100000}
SMALL_ENTRIES=${SMALL_ENTRIES:-1000}
LARGE_ENTRIES=${LARGE_ENTRIES:-1000000}
DEEP_PAGES=${DEEP_PAGES:-100}
LIMIT=${LIMIT:-50}
THREADS=${THREADS:-1}
CONNECTIONS=${CONNECTIONS:-4}
DURATION=${DURATION:-5s}
WARMUP=${WARMUP:-2s}
SUMMARY_WORKERS=${SUMMARY_WORKERS:-200}
SUMMARY_DAYS=${SUMMARY_DAYS:-20}
SUMMARY_YEAR=${SUMMARY_YEAR:-$(date -u -d "$(date -u +%Y-%m-01) -1 month" +%Y)}
SUMMARY_MONTH=${SUMMARY_MONTH:-$(date -u -d "$(date -u +%Y-%m-01) -1 month" +%-m)}
SUMMARY_REQUESTS=${SUMMARY_REQUESTS:-30}
CLOCK_WORKERS=${CLOCK_WORKERS:-50}
CLOCK_PARALLEL=${CLOCK_PARALLEL:-4}
CLOCK_SECONDS=${CLOCK_SECONDS:-15}
CLOCK_MAX_PAIRS=${CLOCK_MAX_PAIRS:-1000}
SEED_CHUNK=${SEED_CHUNK:-200000}
PORTS=${PORTS:-$(seq -s ' ' 8800 8809)}

BENCH_NAME=scale
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

# --- prerequisites ------------------------------------------------------------------------
[ -f build/index.js ] || die "build/index.js missing; run 'make build'"
[ -x node_modules/.bin/wrangler ] || die "node_modules/.bin/wrangler missing; run 'make build'"
command -v curl >/dev/null || die "curl is required"
command -v wrk >/dev/null || die "wrk is required (e.g. 'apt-get install -y wrk')"
node -e 'process.exit(+process.versions.node.split(".")[0] >= 22 ? 0 : 1)' \
  || die "node >= 22 expected first on PATH (node_modules/.bin/node)"
for v in SMALL_WORKERS LARGE_WORKERS SMALL_ENTRIES LARGE_ENTRIES DEEP_PAGES LIMIT THREADS CONNECTIONS \
         SUMMARY_WORKERS SUMMARY_DAYS SUMMARY_YEAR SUMMARY_MONTH SUMMARY_REQUESTS CLOCK_WORKERS \
         CLOCK_PARALLEL CLOCK_SECONDS CLOCK_MAX_PAIRS SEED_CHUNK; do
  [[ ${!v} =~ ^[0-9]+$ ]] && [ "${!v}" -gt 0 ] || die "$v must be a positive integer (got '${!v}')"
done
[ "$LIMIT" -le 200 ] || die "LIMIT must be 1..200"
[ "$THREADS" -le "$CONNECTIONS" ] || die "THREADS must not exceed CONNECTIONS"
[ "$SUMMARY_DAYS" -le 28 ] || die "SUMMARY_DAYS must be at most 28"
[ "$SUMMARY_MONTH" -le 12 ] || die "SUMMARY_MONTH must be 1..12"
[ -f .dev.vars ] || cp .dev.vars.example .dev.vars
OPERATOR_TOKEN=$(sed -n 's/^OPERATOR_TOKEN=//p' .dev.vars)
[ -n "$OPERATOR_TOKEN" ] || die "no OPERATOR_TOKEN in .dev.vars"

[[ $(seconds "$DURATION") =~ ^[0-9]+$ ]] || die "DURATION must look like 5s or 1m"
[[ $(seconds "$WARMUP") =~ ^[0-9]+$ ]] || die "WARMUP must look like 2s or 1m"

# --- temp dir, process bookkeeping, cleanup -----------------------------------------------
temp_dir_with_cleanup



# --- the node helper: SQL generation, cursor following, the clock loop ---------------------
cat >"$TMP/scale.mjs" <<EOF
import fs from 'node:fs';
import { BASE_MS, id, iso, q, writer } from '$ROOT/bench/seed.mjs';
EOF
cat >>"$TMP/scale.mjs" <<'EOF'
const [cmd, ...args] = process.argv.slice(2);

const W_HEAD = 'INSERT INTO workers (id, tenant_id, name, employee_code, status, created_at, updated_at)';
const E_HEAD = 'INSERT INTO time_entries (id, tenant_id, worker_id, started_at, ended_at, breaks, worked_seconds, source, status, created_at, updated_at)';

if (cmd === 'seed') {
  // seed DIR CHUNK SPEC... where SPEC is tag:tenant:workers:entries:mode; prints the files.
  //   mode "spread": `entries` ended entries over the past days; "month:YYYY:M:DAYS": DAYS
  //   entries per worker in that month (`entries` is ignored); anything else: no entries.
  const [dir, chunk, ...specs] = args;
  const w = writer(dir, 'workers', W_HEAD, +chunk), e = writer(dir, 'entries', E_HEAD, +chunk);
  const now = Date.now();
  for (const spec of specs) {
    const [tag, tenant, nw, ne, ...mode] = spec.split(':');
    for (let i = 0; i < +nw; i++) {
      const t = iso(BASE_MS + i);
      w.add(`(${q(id('wkr', tag, i))},${q(tenant)},${q(`Scale Worker ${tag}${i}`)},${q(`SC-${tag}-${i}`)},'active',${q(t)},${q(t)})`);
    }
    let n = 0;
    const entry = (wi, start, secs) => {
      const s = iso(start), en = iso(start + secs * 1000);
      e.add(`(${q(id('te', tag, n++))},${q(tenant)},${q(id('wkr', tag, wi))},${q(s)},${q(en)},'[]',${secs},'api','pending',${q(en)},${q(en)})`);
    };
    if (mode[0] === 'spread') {
      // entry j -> worker j % workers on day D - j / workers (oldest day first, so that ids,
      // which sort in insertion order, also follow started_at as API-made ids would); 8 h each.
      const today = Math.floor(now / 86400000) * 86400000, days = Math.ceil(+ne / +nw);
      for (let j = 0; j < +ne; j++) {
        const start = today - (days - Math.floor(j / +nw)) * 86400000 + 8 * 3600000 + (j % 3600) * 1000;
        entry(j % +nw, start, 8 * 3600);
      }
    } else if (mode[0] === 'month') {
      // DAYS entries per worker on the month's first DAYS weekdays, 08:00 UTC, 8–10 h (some
      // overtime), in start order.
      const [y, m, days] = [+mode[1], +mode[2], +mode[3]];
      const dates = [];
      for (let d = 1; d <= 31; d++) {
        const t = Date.UTC(y, m - 1, d);
        if (new Date(t).getUTCMonth() !== m - 1) break;
        if (![0, 6].includes(new Date(t).getUTCDay())) dates.push(t);
      }
      for (let d = 1; dates.length < days; d++) {              // a short month: add weekend days
        const t = Date.UTC(y, m - 1, d);
        if (!dates.includes(t)) dates.push(t);
      }
      dates.length = days;
      dates.sort((a, b) => a - b);
      for (const [k, t] of dates.entries())
        for (let i = 0; i < +nw; i++) entry(i, t + 8 * 3600000, (8 + (i + k) % 3) * 3600);
    }
  }
  console.log([...w.end(), ...e.end()].join('\n'));
} else if (cmd === 'follow') {
  // follow BASE PATH KEY PAGES LIMIT: follows meta.next_cursor up to PAGES times; prints
  // "<page number reached> <cursor of that page or empty>"; every page must be 200 and full.
  const [base, path, key, pages, limit] = args;
  let cursor = '', page = 1;
  for (; page <= +pages; page++) {
    const url = base + path + (cursor ? `&cursor=${cursor}` : '');
    const r = await fetch(url, { headers: { authorization: `Bearer ${key}` } });
    const text = await r.text();
    if (r.status !== 200) { console.error(`GET ${url} -> ${r.status}: ${text.slice(0, 300)}`); process.exit(1); }
    const body = JSON.parse(text);
    const last = !body.meta.next_cursor;
    if (last ? body.data.length < 1 || body.data.length > +limit : body.data.length !== +limit) {
      console.error(`GET ${url}: ${body.data.length} items (limit ${limit}, last page: ${last})`); process.exit(1);
    }
    if (last) break;
    if (page === +pages) break;
    cursor = body.meta.next_cursor;
  }
  console.log(`${page} ${cursor}`);
} else if (cmd === 'clock') {
  // clock BASE KEY WORKER_IDS_FILE PARALLEL SECONDS MAX_PAIRS: each loop owns its own workers.
  const [base, key, file, parallel, seconds, maxPairs] = args;
  const workers = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean);
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  const deadline = performance.now() + +seconds * 1000;
  let started = 0, pairs = 0, inErr = 0, outErr = 0, sample = '';
  const statuses = {}, lat = [];
  const post = async (path, worker_id) => {
    const r = await fetch(base + path, { method: 'POST', headers, body: JSON.stringify({ worker_id }) });
    const text = await r.text();
    statuses[`${path.split('/').pop()} ${r.status}`] = (statuses[`${path.split('/').pop()} ${r.status}`] ?? 0) + 1;
    return [r.status, text];
  };
  const t0 = performance.now();
  await Promise.all([...Array(+parallel).keys()].map(async k => {
    const mine = workers.filter((_, i) => i % +parallel === k);
    for (let n = 0; performance.now() < deadline && started < +maxPairs; n++) {
      started++;
      const w = mine[n % mine.length], p0 = performance.now();
      const [si, ti] = await post('/v1/attendance/clock-in', w);
      if (si !== 201) { inErr++; sample ||= `clock-in ${w} -> ${si}: ${ti.slice(0, 300)}`; }
      const [so, to] = await post('/v1/attendance/clock-out', w);
      if (so !== 200) { outErr++; sample ||= `clock-out ${w} -> ${so}: ${to.slice(0, 300)}`; }
      if (si === 201 && so === 200) { pairs++; lat.push(performance.now() - p0); }
    }
  }));
  const secs = (performance.now() - t0) / 1000;
  lat.sort((a, b) => a - b);
  const pct = p => lat.length ? lat[Math.min(lat.length - 1, Math.floor(p * lat.length))].toFixed(1) : 'n/a';
  console.log(JSON.stringify({ attempted: started, ok_pairs: pairs, seconds: +secs.toFixed(2),
    pairs_per_s: +(pairs / secs).toFixed(1), clock_in_errors: inErr, clock_out_errors: outErr,
    pair_p50_ms: pct(0.5), pair_p99_ms: pct(0.99), statuses, sample }));
} else {
  console.error(`unknown command ${cmd}`); process.exit(2);
}
EOF
helper() { node "$TMP/scale.mjs" "$@"; }

# --- wrk -----------------------------------------------------------------------------------
FAILURES=0
# load NAME URL KEY -> RPS P50 P99 REQS NON2XX
load() {
  local name=$1 url=$2 key=$3 out="$TMP/$1.wrk"
  timeout $(( $(seconds "$WARMUP") + 60 )) wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" \
    -H "Authorization: Bearer $key" "$url" >"$TMP/$name.warmup.wrk" || fail_with_log "$LOG" "warm-up wrk failed ($name)"
  timeout $(( $(seconds "$DURATION") + 60 )) wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency \
    -H "Authorization: Bearer $key" "$url" >"$out" || fail_with_log "$LOG" "wrk failed ($name)"
  RPS=$(awk '/^Requests\/sec:/ {print $2}' "$out")
  P50=$(to_ms "$(awk '$1 == "50%" {print $2}' "$out")")
  P99=$(to_ms "$(awk '$1 == "99%" {print $2}' "$out")")
  REQS=$(awk '/requests in/ {print $1}' "$out")
  NON2XX=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$out"); NON2XX=${NON2XX:-0}
  local sock; sock=$(sed -n 's/^ *Socket errors: *//p' "$out")
  [ -n "$RPS" ] || { cat "$out" >&2; fail_with_log "$LOG" "could not parse wrk output ($name)"; }
  if [ "$NON2XX" != 0 ] || [ -n "$sock" ]; then
    echo "FAILURE: $name: $NON2XX non-2xx of $REQS${sock:+, socket errors: $sock}" >&2
    FAILURES=$((FAILURES + 1))
  fi
}

# --- 0. schema, tenants, seed --------------------------------------------------------------
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
WASM_SHA=$(sha256sum build/index_bg.wasm 2>/dev/null | cut -c1-12)
COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD -- src Cargo.toml Cargo.lock schema.sql 2>/dev/null || COMMIT="$COMMIT+dirty"
echo "edgeclock scale bench — $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $COMMIT, $(nproc) CPU(s)" >&2
echo "applying schema to $STATE" >&2
CI=true wrangler d1 migrations apply DB --local --persist-to "$STATE" >"$TMP/schema.log" 2>&1 \
  || fail_with_log "$TMP/schema.log" "applying migrations failed"
start_server setup
echo "creating tenants on $BASE" >&2
declare -A TID KEY
for t in A B C D; do
  body=$(curl -sS -w '\n%{http_code}' -X POST "$BASE/v1/operator/tenants" -H "Authorization: Bearer $OPERATOR_TOKEN" \
    -H 'Content-Type: application/json' \
    -d "{\"name\":\"Scale $t\",\"tier\":\"enterprise\",\"limits\":{\"per_second\":1000000,\"per_minute\":100000000,\"per_day\":1000000000}}")
  [ "${body##*$'\n'}" = 201 ] || [ "${body##*$'\n'}" = 200 ] || fail_with_log "$LOG" "creating tenant $t: ${body:0:400}"
  body=${body%$'\n'*}
  TID[$t]=$(printf '%s' "$body" | json_get data.id)
  KEY[$t]=$(printf '%s' "$body" | json_get data.api_key.key)
  [[ ${TID[$t]} == ten_* && ${KEY[$t]} == ec_live_* ]] || fail_with_log "$LOG" "tenant $t: no data.id / data.api_key.key in ${body:0:400}"
done
stop_server

echo "generating SQL (A: $SMALL_WORKERS workers/$SMALL_ENTRIES entries, B: $LARGE_WORKERS/$LARGE_ENTRIES, C: $SUMMARY_WORKERS x $SUMMARY_DAYS in $SUMMARY_YEAR-$SUMMARY_MONTH, D: $CLOCK_WORKERS workers)" >&2
mkdir -p "$TMP/sql"
SEED_T0=$(date +%s.%N)
mapfile -t FILES < <(helper seed "$TMP/sql" "$SEED_CHUNK" \
  "a:${TID[A]}:$SMALL_WORKERS:$SMALL_ENTRIES:spread" \
  "b:${TID[B]}:$LARGE_WORKERS:$LARGE_ENTRIES:spread" \
  "c:${TID[C]}:$SUMMARY_WORKERS:0:month:$SUMMARY_YEAR:$SUMMARY_MONTH:$SUMMARY_DAYS" \
  "d:${TID[D]}:$CLOCK_WORKERS:0:none")
GEN_S=$(awk -v a="$SEED_T0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}')
for f in "${FILES[@]}"; do
  echo "  wrangler d1 execute --file $(basename "$f") ($(( $(stat -c %s "$f") / 1048576 )) MiB)" >&2
  d1_exec "$f"; rm -f "$f"
done
SEED_S=$(awk -v a="$SEED_T0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}')
echo "  seeded in ${SEED_S}s (of which SQL generation ${GEN_S}s)" >&2

start_server bench
echo "measuring on $BASE (log: $LOG)" >&2
ERR_BEFORE=$(grep -ciE 'error|panic|exception' "$LOG" || true)

# --- 1 + 2. list pages -----------------------------------------------------------------------
declare -A R
list_bench() { # RESOURCE_PATH LABEL TENANT
  local path="$1?limit=$LIMIT" label=$2 t=$3 out depth cursor
  out=$(helper follow "$BASE" "$path" "${KEY[$t]}" "$DEEP_PAGES" "$LIMIT") \
    || { echo "FAILURE: following cursors of $path for tenant $t" >&2; exit 1; }
  read -r depth cursor <<<"$out"
  echo "  $label tenant $t: first page" >&2
  load "$label-$t-first" "$BASE$path" "${KEY[$t]}"
  R[$label,$t,first]="$RPS $P50 $P99 $REQS $NON2XX 1"
  echo "  $label tenant $t: page $depth" >&2
  load "$label-$t-deep" "$BASE$path${cursor:+&cursor=$cursor}" "${KEY[$t]}"
  R[$label,$t,deep]="$RPS $P50 $P99 $REQS $NON2XX $depth"
}
list_bench /v1/workers workers A
list_bench /v1/workers workers B
list_bench /v1/time-entries entries A
list_bench /v1/time-entries entries B

# --- 3. attendance summary -------------------------------------------------------------------
echo "  attendance summary: $SUMMARY_REQUESTS sequential requests" >&2
SURL="$BASE/v1/attendance/summary?month=$SUMMARY_MONTH&year=$SUMMARY_YEAR"
curl -sS -o "$TMP/summary.json" -H "Authorization: Bearer ${KEY[C]}" "$SURL" # warm-up
SUM_WORKERS=$(json_get data.workers.length <"$TMP/summary.json")
SUM_DAYS=$(node -e 'const w=require(process.argv[1]).data.workers;console.log(w.reduce((a,x)=>a+x.days_present,0))' "$TMP/summary.json")
[ "$SUM_WORKERS" = "$SUMMARY_WORKERS" ] || { echo "FAILURE: summary lists $SUM_WORKERS workers, expected $SUMMARY_WORKERS" >&2; FAILURES=$((FAILURES + 1)); }
: >"$TMP/summary.times"; SUM_BAD=0
for _ in $(seq 1 "$SUMMARY_REQUESTS"); do
  read -r code secs < <(curl -sS -o /dev/null -w '%{http_code} %{time_total}\n' --max-time 60 \
    -H "Authorization: Bearer ${KEY[C]}" "$SURL" || echo "000 0")
  [ "$code" = 200 ] || { SUM_BAD=$((SUM_BAD + 1)); continue; }
  echo "$secs" >>"$TMP/summary.times"
done
[ "$SUM_BAD" = 0 ] || { echo "FAILURE: attendance summary: $SUM_BAD of $SUMMARY_REQUESTS not 200" >&2; FAILURES=$((FAILURES + 1)); }
read -r SUM_P50 SUM_P99 SUM_MEAN < <(sort -g "$TMP/summary.times" | awk '{ v[NR] = $1 * 1000; s += v[NR] }
  END { if (!NR) { print "n/a n/a n/a"; exit }
        i50 = int(0.5 * NR + 0.5); i99 = int(0.99 * NR + 0.999); if (i50 < 1) i50 = 1; if (i99 > NR) i99 = NR
        printf "%.1f %.1f %.1f\n", v[i50], v[i99], s / NR }')

# --- 4. clock-in / clock-out -----------------------------------------------------------------
echo "  clock-in/out: $CLOCK_PARALLEL loops over $CLOCK_WORKERS workers, ${CLOCK_SECONDS}s or $CLOCK_MAX_PAIRS pairs" >&2
node -e 'const [,tag,n]=process.argv, B=Date.parse("2026-01-01T00:00:00Z");
  for (let i=0;i<+n;i++) console.log(`wkr_${(B+i).toString(16).padStart(12,"0")}7${tag}${i.toString(16).padStart(18,"0")}`)' d "$CLOCK_WORKERS" >"$TMP/clock-workers"
CLOCK=$(timeout $(( CLOCK_SECONDS + 120 )) node "$TMP/scale.mjs" clock "$BASE" "${KEY[D]}" "$TMP/clock-workers" \
  "$CLOCK_PARALLEL" "$CLOCK_SECONDS" "$CLOCK_MAX_PAIRS") || fail_with_log "$LOG" "clock loop failed"
cj() { printf '%s' "$CLOCK" | json_get "$1"; }
CLOCK_ERRS=$(( $(cj clock_in_errors) + $(cj clock_out_errors) ))
if [ "$CLOCK_ERRS" != 0 ]; then
  echo "FAILURE: clock-in/out: $(cj clock_in_errors) clock-in and $(cj clock_out_errors) clock-out errors; statuses $(cj statuses); first: $(cj sample)" >&2
  FAILURES=$((FAILURES + 1))
fi

ERR_AFTER=$(grep -ciE 'error|panic|exception' "$LOG" || true)
if [ "$ERR_AFTER" != "$ERR_BEFORE" ]; then
  echo "WARNING: $((ERR_AFTER - ERR_BEFORE)) new error lines in the wrangler log during the run:" >&2
  grep -iE 'error|panic|exception' "$LOG" | tail -n 10 >&2
fi

# --- report ----------------------------------------------------------------------------------
echo
echo "edgeclock scale — commit $COMMIT (tree at start), build/index_bg.wasm sha256 $WASM_SHA, $(nproc) CPU(s) shared by wrk/node and workerd, 127.0.0.1"
# wrangler dev reloads when build/ changes; a rebuild during the run mixes two builds.
[ "$(sha256sum build/index_bg.wasm 2>/dev/null | cut -c1-12)" = "$WASM_SHA" ] \
  || echo "WARNING: build/index_bg.wasm changed during the run (someone rebuilt); the figures may mix two builds"
echo "load average at start $LOAD_START, at end $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine skews these figures)"
echo "seeding: $(( SMALL_WORKERS + LARGE_WORKERS + SUMMARY_WORKERS + CLOCK_WORKERS )) workers, $(( SMALL_ENTRIES + LARGE_ENTRIES + SUMMARY_WORKERS * SUMMARY_DAYS )) time entries in ${SEED_S}s (wrangler d1 execute, $SEED_CHUNK rows per file)"
echo "lists: wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency (warm-up $WARMUP), limit=$LIMIT"
echo
printf '%-44s %10s %9s %9s %9s %7s\n' "GET (tenant, rows, page)" "req/s" "p50 ms" "p99 ms" "requests" "non-2xx"
row() { # label resource tenant rows which
  read -r rps p50 p99 reqs non depth <<<"${R[$2,$3,$5]}"
  printf '%-44s %10s %9s %9s %9s %7s\n' "$1 ($3, $4 rows, page $depth)" "$rps" "$p50" "$p99" "$reqs" "$non"
}
cmp() { # resource which
  local a b; read -ra a <<<"${R[$1,A,$2]}"; read -ra b <<<"${R[$1,B,$2]}"
  printf '%-44s %10s %9s %9s\n' "  ratio B/A ($2 page)" "$(ratio "${b[0]}" "${a[0]}")" "$(ratio "${b[1]}" "${a[1]}")" "$(ratio "${b[2]}" "${a[2]}")"
}
row /v1/workers workers A "$SMALL_WORKERS" first
row /v1/workers workers A "$SMALL_WORKERS" deep
row /v1/workers workers B "$LARGE_WORKERS" first
row /v1/workers workers B "$LARGE_WORKERS" deep
cmp workers first; cmp workers deep
row /v1/time-entries entries A "$SMALL_ENTRIES" first
row /v1/time-entries entries A "$SMALL_ENTRIES" deep
row /v1/time-entries entries B "$LARGE_ENTRIES" first
row /v1/time-entries entries B "$LARGE_ENTRIES" deep
cmp entries first; cmp entries deep
echo
echo "GET /v1/attendance/summary?month=$SUMMARY_MONTH&year=$SUMMARY_YEAR ($SUM_WORKERS workers, $SUM_DAYS worker-days present, $((SUMMARY_WORKERS * SUMMARY_DAYS)) entries):"
echo "  $SUMMARY_REQUESTS sequential requests: p50 $SUM_P50 ms, p99 $SUM_P99 ms, mean $SUM_MEAN ms, non-200: $SUM_BAD"
echo "clock-in + clock-out pairs ($CLOCK_WORKERS workers, $CLOCK_PARALLEL parallel loops):"
echo "  $(cj ok_pairs) ok pairs of $(cj attempted) in $(cj seconds)s = $(cj pairs_per_s) pairs/s; pair latency p50 $(cj pair_p50_ms) ms, p99 $(cj pair_p99_ms) ms"
echo "  errors: clock-in $(cj clock_in_errors), clock-out $(cj clock_out_errors); statuses $(cj statuses)"
echo
if [ "$FAILURES" = 0 ]; then echo "all responses as expected"; else echo "FAILURES: $FAILURES check(s) failed (see above)"; exit 1; fi
