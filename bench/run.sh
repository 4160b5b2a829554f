#!/usr/bin/env bash
# Benchmarks edgeclock under local `wrangler dev` (workerd) against a static hello-world
# worker served the same way, and prints:
#   (a) the size of build/index_bg.wasm, raw and gzip -9;
#   (b) requests/s, p50 and p99 latency of `GET /v1/workers?limit=50` (valid key, 50 workers);
#   (b') the same for bench/ts-baseline, an idiomatic TypeScript worker doing the same work (key
#        from KV with an isolate cache, a rate-limit Durable Object per key, the D1 page, an audit
#        row after the response) on the state edgeclock's run left;
#   (c) the same for bench/hello (the throughput ceiling of the local stack);
#   (d) the ratios edgeclock/hello;
#   and, unless BREAKDOWN=0, the layers under the list page (an unknown route, an unknown key,
#   /v1/me with the key), each next to hello, with the server's CPU-ms per request.
# Assumes `make build` has run (`make bench` does that first). Everything listens on
# 127.0.0.1 only; state, logs and wrk output live in a temp dir that is removed on exit,
# together with every process this script started. Load is bounded by wrk's -d.
#
# Environment: DURATION (wrk -d, default 10s), CONNECTIONS (wrk -c, default 32),
# THREADS (wrk -t, default 2), WARMUP (wrk -d of the discarded warm-up run, default 3s),
# WORKERS (rows seeded, default 50), PORTS (candidate ports, default 8790..8799),
# KEEP_TMP=1 keeps the temp dir for inspection.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export PATH="$ROOT/node_modules/.bin:$PATH"
export WRANGLER_SEND_METRICS=false

DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
WARMUP=${WARMUP:-3s}
WORKERS=${WORKERS:-50}
PORTS=${PORTS:-$(seq -s ' ' 8790 8799)}
WASM=build/index_bg.wasm
LIST_PATH="/v1/workers?limit=50"

BENCH_NAME=bench
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

# --- prerequisites ------------------------------------------------------------------------
[ -f "$WASM" ] && [ -f build/index.js ] || die "build/index.js or $WASM missing; run 'make build' (or 'make bench')"
[ -x node_modules/.bin/wrangler ] || die "node_modules/.bin/wrangler missing; run 'make build' (it installs the tools)"
command -v curl >/dev/null || die "curl is required"
if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "bench: wrk not found; installing it with apt-get" >&2
    apt-get install -y wrk >/dev/null || die "apt-get install -y wrk failed"
  else
    die "wrk is not installed and this is not root; install it (e.g. 'sudo apt-get install -y wrk') and re-run"
  fi
fi
[ "$THREADS" -le "$CONNECTIONS" ] || die "THREADS ($THREADS) must not exceed CONNECTIONS ($CONNECTIONS)"
[ -f .dev.vars ] || cp .dev.vars.example .dev.vars
OPERATOR_TOKEN=$(sed -n 's/^OPERATOR_TOKEN=//p' .dev.vars)
[ -n "$OPERATOR_TOKEN" ] || die "no OPERATOR_TOKEN in .dev.vars"

# Seconds in a wrk duration (10, 10s, 2m, 1h), for the safety timeout around wrk.
seconds "$DURATION" | grep -qE '^[0-9]+$' || die "DURATION must look like 10s, 2m or 1h (got '$DURATION')"
seconds "$WARMUP" | grep -qE '^[0-9]+$' || die "WARMUP must look like 3s, 1m (got '$WARMUP')"

# --- temp dir, process bookkeeping, cleanup -----------------------------------------------
TMP=$(mktemp -d -t edgeclock-bench.XXXXXX)
PGIDS=()      # process groups of the wrangler dev servers started here
SERVER_PORTS=()


cleanup() {
  local rc=$?
  set +e
  for g in "${PGIDS[@]}"; do stop_group "$g"; done
  # Belt and braces: anything still carrying our exact listen/persist arguments.
  for p in "${SERVER_PORTS[@]}"; do pkill -KILL -f -- "wrangler.* dev --ip 127.0.0.1 --port $p --persist-to $TMP/" 2>/dev/null; done
  # wrangler's per-run scratch dir next to bench/hello/wrangler.toml (empty once it exits).
  for d in hello ts-baseline; do rmdir "$ROOT/bench/$d/.wrangler/tmp" "$ROOT/bench/$d/.wrangler" 2>/dev/null; done
  if [ "${KEEP_TMP:-0}" = 1 ]; then echo "bench: kept $TMP" >&2; else rm -rf "$TMP"; fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM



# start_server NAME DIR [STATE] -> sets PORT, BASE, LOG (STATE: the --persist-to directory,
# default a fresh one of NAME's); wrangler runs in its own session/process
# group (setsid) so that it and its workerd children can be stopped together. (No
# --inspector-port: pinning it makes workerd fail with "Address already in use"; wrangler
# finds a free inspector port by itself.)
start_server() {
  local name=$1 dir=$2 state=${3:-$TMP/$1-state} pid
  PORT=$(pick_port)
  BASE="http://127.0.0.1:$PORT"; LOG="$TMP/$name.log"
  SERVER_PORTS+=("$PORT")
  (cd "$dir" && exec setsid wrangler dev --ip 127.0.0.1 --port "$PORT" \
      --persist-to "$state" --show-interactive-dev-session=false) \
      >"$LOG" 2>&1 </dev/null &
  pid=$!
  sleep 0.2
  local g; g=$(ps -o pgid= -p "$pid" 2>/dev/null | tr -d ' ')
  PGIDS+=("${g:-$pid}")
  SERVER_PID=$pid
}

wait_ready() { # $1 = url path; up to 120 s
  for _ in $(seq 1 240); do
    curl -fsS -o /dev/null --max-time 2 "$BASE$1" 2>/dev/null && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || fail_with_log "$LOG" "wrangler dev exited before $BASE$1 answered"
    sleep 0.5
  done
  fail_with_log "$LOG" "$BASE$1 did not answer within 120 s"
}

stop_server() { stop_group "${PGIDS[-1]}"; }

# --- wrk and its output --------------------------------------------------------------------

# load NAME URL [wrk -H args...] -> sets RPS, P50, P99, REQS, NON2XX, SOCKERR, and SRV_CPU /
# REST_CPU: % of one core used by the server and by everything else during the measured run,
# THREAD_MS: ms of the busiest workerd event-loop thread per request (the bottleneck: see lib.sh)
load() {
  local name=$1 url=$2; shift 2
  local out="$TMP/$name.wrk" limit
  limit=$(( $(seconds "$DURATION") + 60 ))
  echo "  warm-up: wrk -t$THREADS -c$CONNECTIONS -d$WARMUP" >&2
  timeout $(( $(seconds "$WARMUP") + 60 )) wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "$@" "$url" >"$TMP/$name.warmup.wrk" \
    || fail_with_log "$LOG" "warm-up wrk run failed"
  echo "  load:    wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency" >&2
  local g=${PGIDS[-1]} b0 s0 t0 b1 s1 t1
  local th0 th1
  b0=$(busy_ticks); s0=$(group_ticks "$g"); th0=$(thread_ticks "$g"); t0=$(now_ms)
  timeout "$limit" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$@" "$url" >"$out" \
    || fail_with_log "$LOG" "wrk run failed"
  b1=$(busy_ticks); s1=$(group_ticks "$g"); th1=$(thread_ticks "$g"); t1=$(now_ms)
  SRV_CPU=$(pct $(( s1 - s0 )) $(( t1 - t0 )))
  REST_CPU=$(pct $(( (b1 - b0) - (s1 - s0) )) $(( t1 - t0 )))
  RPS=$(awk '/^Requests\/sec:/ {print $2}' "$out")
  P50=$(to_ms "$(awk '$1 == "50%" {print $2}' "$out")")
  P99=$(to_ms "$(awk '$1 == "99%" {print $2}' "$out")")
  REQS=$(awk '/requests in/ {print $1}' "$out")
  THREAD_MS=$(awk -v t="$(busiest_thread "$th0" "$th1")" -v n="$REQS" -v hz="$HZ" 'BEGIN { if (n > 0) printf "%.2f", 1000 * t / hz / n; else print "n/a" }')
  NON2XX=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$out"); NON2XX=${NON2XX:-0}
  SOCKERR=$(sed -n 's/^ *Socket errors: *//p' "$out"); SOCKERR=${SOCKERR:-none}
  [ -n "$RPS" ] || { cat "$out" >&2; fail_with_log "$LOG" "could not parse wrk output"; }
  printf '  %s requests, %s non-2xx, socket errors: %s; CPU (%% of one core): server %s, wrk + rest %s; busiest workerd thread %s ms/request\n' \
    "$REQS" "$NON2XX" "$SOCKERR" "$SRV_CPU" "$REST_CPU" "$THREAD_MS" >&2
}


# --- (a) wasm size -------------------------------------------------------------------------
WASM_SHA=$(sha256sum "$WASM" | cut -c1-12)
RAW=$(stat -c %s "$WASM")
GZ=$(gzip -9 -c "$WASM" | wc -c)

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD -- src Cargo.toml Cargo.lock 2>/dev/null || COMMIT="$COMMIT+dirty"
echo "edgeclock bench — $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $COMMIT, $(nproc) CPU(s), wrk -t$THREADS -c$CONNECTIONS -d$DURATION (warm-up $WARMUP)" >&2

# --- (b) edgeclock -------------------------------------------------------------------------
echo "edgeclock: applying migrations, starting wrangler dev" >&2
CI=true wrangler d1 migrations apply DB --local --persist-to "$TMP/edgeclock-state" >"$TMP/schema.log" 2>&1 \
  || fail_with_log "$TMP/schema.log" "applying migrations failed"
start_server edgeclock "$ROOT"
wait_ready /openapi.json
echo "  serving on $BASE (log: $LOG)" >&2

TENANT=$(curl -fsS -X POST "$BASE/v1/operator/tenants" -H "Authorization: Bearer $OPERATOR_TOKEN" \
  -H 'Content-Type: application/json' \
  -d '{"name":"Bench","tier":"enterprise","limits":{"per_second":1000000,"per_minute":100000000,"per_day":1000000000}}') \
  || fail_with_log "$LOG" "creating the bench tenant failed"
KEY=$(printf '%s' "$TENANT" | json_get data.api_key.key)
[ -n "$KEY" ] && [ "$KEY" != undefined ] || fail_with_log "$LOG" "no data.api_key.key in: $TENANT"

for i in $(seq 1 "$WORKERS"); do
  curl -fsS -o /dev/null -X POST "$BASE/v1/workers" -H "Authorization: Bearer $KEY" \
    -H 'Content-Type: application/json' -d "{\"name\":\"Bench Worker $(printf %03d "$i")\"}" \
    || fail_with_log "$LOG" "seeding worker $i failed"
done
curl -fsS -o "$TMP/list.json" "$BASE$LIST_PATH" -H "Authorization: Bearer $KEY" \
  || fail_with_log "$LOG" "GET $LIST_PATH failed"
GOT=$(json_get data.length <"$TMP/list.json")
[ "$GOT" = "$(( WORKERS < 50 ? WORKERS : 50 ))" ] \
  || fail_with_log "$LOG" "GET $LIST_PATH returned $GOT workers after seeding $WORKERS: $(head -c 400 "$TMP/list.json")"
echo "  seeded $WORKERS workers; GET $LIST_PATH returns $GOT" >&2

ERR_BEFORE=$(grep -ciE 'error|panic|exception' "$LOG" || true)
load edgeclock "$BASE$LIST_PATH" -H "Authorization: Bearer $KEY"
E_RPS=$RPS E_P50=$P50 E_P99=$P99 E_NON2XX=$NON2XX E_SOCK=$SOCKERR E_REQS=$REQS E_SRV=$SRV_CPU E_REST=$REST_CPU E_THR=$THREAD_MS
ERR_AFTER=$(grep -ciE 'error|panic|exception' "$LOG" || true)
if [ "$E_NON2XX" != 0 ] || [ "$ERR_AFTER" != "$ERR_BEFORE" ]; then
  echo "bench: WARNING: edgeclock had $E_NON2XX non-2xx responses and $((ERR_AFTER - ERR_BEFORE)) new error lines in its log under load" >&2
  echo "---- last 40 lines of $LOG ----" >&2; tail -n 40 "$LOG" >&2
fi
# The layers under the list page, one row each (BREAKDOWN=0 skips them): the pipeline alone
# (an unknown route: no I/O), a well-formed unknown key (a KV lookup, 401), a valid key on
# /v1/me (cached record, gate call, audit) — so the cost of each layer stays visible.
ROWS=()
if [ "${BREAKDOWN:-1}" != 0 ]; then
  UNKNOWN_KEY="ec_live_$(printf 'x%.0s' $(seq 1 32))"
  for row in "unknown route (404)|/v1/no-such-route|" \
             "/v1/me unknown key (401)|/v1/me|$UNKNOWN_KEY" \
             "/v1/me (gate, audit)|/v1/me|$KEY"; do
    IFS='|' read -r label path key <<<"$row"
    echo "edgeclock: $label" >&2
    if [ -n "$key" ]; then load layer "$BASE$path" -H "Authorization: Bearer $key"; else load layer "$BASE$path"; fi
    ROWS+=("$label|$RPS|$P50|$P99|$REQS|$NON2XX|$SRV_CPU|$REST_CPU|$THREAD_MS")
  done
fi
stop_server

# --- (b') the TypeScript comparison: the same work, idiomatic TypeScript, on edgeclock's state --
echo "ts-baseline: starting wrangler dev on edgeclock's state" >&2
start_server ts "$ROOT/bench/ts-baseline" "$TMP/edgeclock-state"
wait_for_status() { # $1 = url path, $2 = the status to wait for; up to 120 s
  for _ in $(seq 1 240); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$BASE$1")" = "$2" ] && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || fail_with_log "$LOG" "wrangler dev exited before $BASE$1 answered"
    sleep 0.5
  done
  fail_with_log "$LOG" "$BASE$1 did not answer $2 within 120 s"
}
wait_for_status /v1/workers 401
curl -fsS -o "$TMP/ts-list.json" "$BASE$LIST_PATH" -H "Authorization: Bearer $KEY" \
  || fail_with_log "$LOG" "GET $LIST_PATH on the TypeScript worker failed"
[ "$(json_get data.length <"$TMP/ts-list.json")" = "$GOT" ] \
  || fail_with_log "$LOG" "the TypeScript worker returned $(head -c 300 "$TMP/ts-list.json")"
load ts "$BASE$LIST_PATH" -H "Authorization: Bearer $KEY"
T_RPS=$RPS T_P50=$P50 T_P99=$P99 T_NON2XX=$NON2XX T_SOCK=$SOCKERR T_REQS=$REQS T_SRV=$SRV_CPU T_REST=$REST_CPU T_THR=$THREAD_MS
stop_server

# --- (c) hello -----------------------------------------------------------------------------
echo "hello: starting wrangler dev" >&2
start_server hello "$ROOT/bench/hello"
wait_ready /
echo "  serving on $BASE (log: $LOG)" >&2
load hello "$BASE/"
H_RPS=$RPS H_P50=$P50 H_P99=$P99 H_NON2XX=$NON2XX H_SOCK=$SOCKERR H_REQS=$REQS H_SRV=$SRV_CPU H_REST=$REST_CPU H_THR=$THREAD_MS
stop_server

# --- report --------------------------------------------------------------------------------
echo
printf 'wasm build/index_bg.wasm: %s bytes raw, %s bytes gzip -9 (%.1f KiB / %.1f KiB)\n' \
  "$RAW" "$GZ" "$(awk -v n="$RAW" 'BEGIN{print n/1024}')" "$(awk -v n="$GZ" 'BEGIN{print n/1024}')"
echo "build: commit $COMMIT at start, wasm sha256 $WASM_SHA"
# wrangler dev reloads when build/ changes; a rebuild during the run invalidates the figures.
[ "$(sha256sum "$WASM" | cut -c1-12)" = "$WASM_SHA" ] \
  || echo "WARNING: $WASM changed during the run (someone rebuilt); the edgeclock figures may mix two builds"
echo "machine: load average at start $LOAD_START, at end $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine skews these figures)"
echo "load: wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency, 127.0.0.1, one server at a time, $(nproc) CPU(s) shared by wrk and workerd"
echo
F='%-34s %11s %9s %9s %9s %8s %11s %11s %11s %11s\n'
# Server CPU-ms per request: less sensitive to other work on the machine than requests/s.
cpu_ms() { awk -v c="$1" -v r="$2" 'BEGIN { if (r > 0) printf "%.2f", 10 * c / r; else print "n/a" }'; }
printf "$F" "target" "requests/s" "p50 ms" "p99 ms" "requests" "non-2xx" "server CPU%" "wrk+rest%" "CPU ms/req" "thread ms"
printf "$F" "edgeclock GET $LIST_PATH" "$E_RPS" "$E_P50" "$E_P99" "$E_REQS" "$E_NON2XX" "$E_SRV" "$E_REST" "$(cpu_ms "$E_SRV" "$E_RPS")" "$E_THR"
for row in "${ROWS[@]}"; do
  IFS='|' read -r label rps p50 p99 reqs non2xx srv rest thr <<<"$row"
  printf "$F" "  $label" "$rps" "$p50" "$p99" "$reqs" "$non2xx" "$srv" "$rest" "$(cpu_ms "$srv" "$rps")" "$thr"
done
printf "$F" "TypeScript worker, same work" "$T_RPS" "$T_P50" "$T_P99" "$T_REQS" "$T_NON2XX" "$T_SRV" "$T_REST" "$(cpu_ms "$T_SRV" "$T_RPS")" "$T_THR"
printf "$F" "hello (static JSON)" "$H_RPS" "$H_P50" "$H_P99" "$H_REQS" "$H_NON2XX" "$H_SRV" "$H_REST" "$(cpu_ms "$H_SRV" "$H_RPS")" "$H_THR"
printf "$F" "ratio edgeclock/hello" "$(ratio "$E_RPS" "$H_RPS")" "$(ratio "$E_P50" "$H_P50")" "$(ratio "$E_P99" "$H_P99")"
for row in "${ROWS[@]}"; do
  IFS='|' read -r label rps _ <<<"$row"
  printf "$F" "  ratio $label" "$(ratio "$rps" "$H_RPS")"
done
printf "$F" "ratio TypeScript/hello" "$(ratio "$T_RPS" "$H_RPS")" "$(ratio "$T_P50" "$H_P50")" "$(ratio "$T_P99" "$H_P99")"
printf "$F" "ratio edgeclock/TypeScript" "$(ratio "$E_RPS" "$T_RPS")" "$(ratio "$E_P50" "$T_P50")" "$(ratio "$E_P99" "$T_P99")"
echo "(CPU columns: % of one core during the measured run, out of $(( $(nproc) * 100 ))%; 'wrk+rest' is all other busy time;"
echo " 'thread ms': ms per request of the busiest workerd event-loop thread, which runs every isolate of its process and bounds throughput)"
[ "$E_SOCK" = none ] && [ "$T_SOCK" = none ] && [ "$H_SOCK" = none ] \
  || echo "socket errors: edgeclock: $E_SOCK; TypeScript: $T_SOCK; hello: $H_SOCK"
