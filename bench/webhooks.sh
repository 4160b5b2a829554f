#!/usr/bin/env bash
# Webhook delivery throughput and latency under local `wrangler dev` (workerd, local D1 and
# Queues), to a receiver on 127.0.0.1 that answers 200 at once (bench/webhooks.mjs). For each
# endpoint count in ENDPOINTS (default "1 10": one tenant each, every endpoint subscribed to
# `worker.created`), it makes EVENTS workers (POST /v1/workers, CONCURRENCY at a time) and
# waits until every delivery has arrived; it prints, per endpoint count:
#   events/s      EVENTS / (last delivery's arrival − first write sent)
#   deliveries/s  the same for EVENTS × endpoints deliveries
#   p50, p99      write→delivery latency: from a write being sent to its delivery arriving,
#                 over every delivery (fan-out runs after the write's response, via waitUntil)
# A few warm-up events per tenant are delivered and discarded first.
#
# Assumes `make build` has run. Everything listens on 127.0.0.1 only; state and logs live in a
# temp dir removed on exit with every process this script started. Load is bounded (EVENTS).
#
# Environment: ENDPOINTS ["1 10"], EVENTS [200], CONCURRENCY [8], TIMEOUT [300] seconds to wait
# for the deliveries of one run, PORTS [8810..8819], KEEP_TMP=1 keeps the temp dir.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export PATH="$ROOT/node_modules/.bin:$PATH"
export WRANGLER_SEND_METRICS=false

ENDPOINTS=${ENDPOINTS:-"1 10"}
EVENTS=${EVENTS:-200}
CONCURRENCY=${CONCURRENCY:-8}
TIMEOUT=${TIMEOUT:-300}
PORTS=${PORTS:-$(seq -s ' ' 8810 8819)}

BENCH_NAME=webhooks
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

require_build_and_operator

temp_dir_with_cleanup

bench_commit
echo "edgeclock webhook bench — $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $COMMIT, $(nproc) CPU(s), $EVENTS events per run, $CONCURRENCY writes at a time" >&2

apply_migrations "$TMP/state"
serve edgeclock "$TMP/state" --var ALLOW_HTTP_WEBHOOKS:true
echo "serving on $BASE (log: $LOG)" >&2

printf '%-10s %8s %11s %9s %10s %13s %9s %9s\n' endpoints events deliveries seconds events/s deliveries/s "p50 ms" "p99 ms"
for n in $ENDPOINTS; do
  node bench/webhooks.mjs --base "$BASE" --operator "$OPERATOR_TOKEN" --endpoints "$n" --events "$EVENTS" \
    --concurrency "$CONCURRENCY" --timeout "$TIMEOUT" 2>"$TMP/run-$n.err" \
    || { cat "$TMP/run-$n.err" >&2; fail_with_log "$LOG" "the run with $n endpoint(s) failed"; }
  cat "$TMP/run-$n.err" >&2
done
