#!/usr/bin/env bash
# Harvest-compatible /v2 numbered pages at depth, under local `wrangler dev` (workerd + local
# D1), with rows seeded straight into D1 by `wrangler d1 execute` (the integer ids come from the
# same trigger as every insert's). For one tenant with ENTRIES time entries (WORKERS workers),
# prints p50/p99/mean of REQUESTS sequential GET /v2/time_entries?per_page=PER_PAGE for page 1
# and for page DEEP (default: the last full page), the ratio deep/first, and checks each page
# is full and holds the right integer ids (newest first; page DEEP starts PER_PAGE × (DEEP−1)
# entries after the first). A page's first row is found among index entries; the ratio shows
# whether that holds at depth (SPEC §9: a deep page stays within 2× the cost of the first).
#
# Order: apply migrations → start → create the tenant → stop → seed → start → measure. Assumes
# `make build` has run. Everything listens on 127.0.0.1 (ports from PORTS); state, SQL and logs
# live in a temp dir removed on exit, with every process group this script started.
#
# Environment (defaults in brackets): ENTRIES [100000] WORKERS [100] PER_PAGE [2000]
#   DEEP [ENTRIES / PER_PAGE] REQUESTS [20] SEED_CHUNK [200000] PORTS [8810..8819] KEEP_TMP=1
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export PATH="$ROOT/node_modules/.bin:$PATH"
export WRANGLER_SEND_METRICS=false

ENTRIES=${ENTRIES:-100000}
WORKERS=${WORKERS:-100}
PER_PAGE=${PER_PAGE:-2000}
DEEP=${DEEP:-$(( ENTRIES / PER_PAGE ))}
REQUESTS=${REQUESTS:-20}
SEED_CHUNK=${SEED_CHUNK:-200000}
PORTS=${PORTS:-$(seq -s ' ' 8810 8819)}

BENCH_NAME=harvest
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

require_build_and_operator
for v in ENTRIES WORKERS PER_PAGE DEEP REQUESTS SEED_CHUNK; do
  [[ ${!v} =~ ^[0-9]+$ ]] && [ "${!v}" -gt 0 ] || die "$v must be a positive integer (got '${!v}')"
done
[ "$PER_PAGE" -le 2000 ] || die "PER_PAGE is at most 2000"
[ $(( DEEP * PER_PAGE )) -le "$ENTRIES" ] || die "page $DEEP of $PER_PAGE is past $ENTRIES entries"

temp_dir_with_cleanup

cat >"$TMP/harvest.mjs" <<EOF
import { id, iso, q, writer } from '$ROOT/bench/seed.mjs';
EOF
cat >>"$TMP/harvest.mjs" <<'EOF'
const [cmd, ...args] = process.argv.slice(2);
if (cmd === 'seed') {
  // seed DIR CHUNK TENANT WORKERS ENTRIES: each worker's entries an hour apart, 50 minutes long.
  const [dir, chunk, tenant, workers, entries] = args;
  const W = writer(dir, 'workers', 'INSERT INTO workers (id, tenant_id, name, employee_code, status, created_at, updated_at)', +chunk);
  const E = writer(dir, 'entries', 'INSERT INTO time_entries (id, tenant_id, worker_id, started_at, ended_at, breaks, worked_seconds, source, status, created_at, updated_at)', +chunk);
  const now = iso(Date.now()), first = Date.parse('2025-01-01T00:00:00Z');
  for (let w = 0; w < +workers; w++) W.add(`(${q(id('wkr', 'h', w))},${q(tenant)},${q(`Harvest Bench ${w}`)},${q(`HB-${w}`)},'active',${q(now)},${q(now)})`);
  for (let e = 0; e < +entries; e++) {
    const w = e % +workers, start = first + Math.floor(e / +workers) * 3600000;
    E.add(`(${q(id('te', 'h', e))},${q(tenant)},${q(id('wkr', 'h', w))},${q(iso(start))},${q(iso(start + 3000000))},'[]',3000,'api','pending',${q(now)},${q(now)})`);
  }
  console.log([...W.end(), ...E.end()].join('\n'));
} else if (cmd === 'times') {
  // times URL KEY TENANT N PER_PAGE: N sequential GETs after one warm-up; each must be a full
  // page; prints p50 p99 mean ms, the page's first and last integer ids, and total_entries.
  const [url, key, tenant, n, perPage] = args;
  const get = async () => {
    const t0 = performance.now();
    const r = await fetch(url, { headers: { authorization: `Bearer ${key}`, 'harvest-account-id': tenant } });
    const text = await r.text();
    if (r.status !== 200) { console.error(`GET ${url} -> ${r.status}: ${text.slice(0, 300)}`); process.exit(1); }
    const body = JSON.parse(text);
    if (body.time_entries.length !== +perPage) { console.error(`GET ${url}: ${body.time_entries.length} entries, not ${perPage}`); process.exit(1); }
    return [performance.now() - t0, body];
  };
  const [, body] = await get();
  const ms = [];
  for (let i = 0; i < +n; i++) ms.push((await get())[0]);
  ms.sort((a, b) => a - b);
  const at = p => ms[Math.min(ms.length - 1, Math.floor(p * ms.length))].toFixed(1);
  const ids = body.time_entries.map(e => e.id);
  console.log(`${at(0.5)} ${at(0.99)} ${(ms.reduce((a, b) => a + b, 0) / ms.length).toFixed(1)} ${ids[0]} ${ids[ids.length - 1]} ${body.total_entries}`);
} else { console.error(`unknown command ${cmd}`); process.exit(2); }
EOF
helper() { node "$TMP/harvest.mjs" "$@"; }

bench_commit
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
echo "edgeclock /v2 pages bench — $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $COMMIT, $(nproc) CPU(s)" >&2
apply_migrations "$STATE"
start_server setup
body=$(curl -sS -w '\n%{http_code}' -X POST "$BASE/v1/operator/tenants" -H "Authorization: Bearer $OPERATOR_TOKEN" \
  -H 'Content-Type: application/json' \
  -d '{"name":"Harvest bench","tier":"enterprise","timezone":"UTC","limits":{"per_second":1000000,"per_minute":100000000,"per_day":1000000000}}')
[ "${body##*$'\n'}" = 201 ] || fail_with_log "$LOG" "creating the tenant: ${body:0:400}"
body=${body%$'\n'*}
TENANT=$(printf '%s' "$body" | json_get data.id)
KEY=$(printf '%s' "$body" | json_get data.api_key.key)
stop_server

echo "seeding: $ENTRIES time entries of $WORKERS workers" >&2
mkdir -p "$TMP/sql"
SEED_T0=$(date +%s.%N)
mapfile -t FILES < <(helper seed "$TMP/sql" "$SEED_CHUNK" "$TENANT" "$WORKERS" "$ENTRIES")
for f in "${FILES[@]}"; do
  echo "  wrangler d1 execute --file $(basename "$f") ($(( $(stat -c %s "$f") / 1048576 )) MiB)" >&2
  d1_exec "$f"; rm -f "$f"
done
SEED_S=$(awk -v a="$SEED_T0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}')

start_server bench
echo "measuring on $BASE (log: $LOG)" >&2
declare -A R
for page in 1 "$DEEP"; do
  echo "  page $page of $PER_PAGE: $REQUESTS sequential requests" >&2
  R[$page]=$(helper times "$BASE/v2/time_entries?per_page=$PER_PAGE&page=$page" "$KEY" "$TENANT" "$REQUESTS" "$PER_PAGE") \
    || fail_with_log "$LOG" "page $page failed"
done
read -r f50 f99 fmean ffirst flast ftotal <<<"${R[1]}"
read -r d50 d99 dmean dfirst dlast _ <<<"${R[$DEEP]}"
FAILURES=0
# Integer ids are dense here (one tenant, one insert order): page DEEP starts PER_PAGE × (DEEP−1) below page 1.
[ "$ftotal" = "$ENTRIES" ] || { echo "FAILURE: total_entries $ftotal, not $ENTRIES" >&2; FAILURES=$((FAILURES + 1)); }
[ $(( ffirst - dfirst )) = $(( PER_PAGE * (DEEP - 1) )) ] || { echo "FAILURE: page $DEEP starts at $dfirst, page 1 at $ffirst" >&2; FAILURES=$((FAILURES + 1)); }

echo
echo "edgeclock /v2 pages — commit $COMMIT, $(nproc) CPU(s) shared by node and workerd, 127.0.0.1"
echo "load average at start $LOAD_START, at end $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine skews these figures)"
echo "seeded $ENTRIES time entries of $WORKERS workers in ${SEED_S}s"
echo
printf '%-52s %9s %9s %9s %14s\n' "GET /v2/time_entries?per_page=$PER_PAGE" "p50 ms" "p99 ms" "mean ms" "ids"
printf '%-52s %9s %9s %9s %14s\n' "page 1" "$f50" "$f99" "$fmean" "$ffirst..$flast"
printf '%-52s %9s %9s %9s %14s\n' "page $DEEP" "$d50" "$d99" "$dmean" "$dfirst..$dlast"
printf '%-52s %9s %9s\n' "  ratio page $DEEP / page 1" "$(ratio "$d50" "$f50")" "$(ratio "$d99" "$f99")"
echo
if [ "$FAILURES" = 0 ]; then echo "all checks passed"; else echo "FAILURES: $FAILURES check(s) failed (see above)"; exit 1; fi
