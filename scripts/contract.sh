#!/usr/bin/env bash
# The contract fuzzer: checks the built worker against openapi.json with schemathesis and every
# one of its checks (SPEC §8). Builds nothing: run `make contract` (or `make build` first).
#
# It serves build/ under `wrangler dev` on a free loopback port with a fresh state directory
# (migrations applied first, as the end-to-end harness does); tests/contract/seed.py creates an
# enterprise tenant whose limits stay out of the way, one live object of every kind and a real
# list cursor; then `schemathesis run` fuzzes the repository's openapi.json (every /v1 and /v2 route):
# operator routes with the operator token from .dev.vars, key routes with the tenant's owner
# key (`read:*`, `write:*`), as tests/contract/schemathesis.toml maps them. Phases: examples,
# coverage (boundary and negative values of every parameter and field), fuzzing (positive and
# negative, CONTRACT_MAX_EXAMPLES per operation) and stateful (chains of calls that reuse the
# ids responses return). With the defaults, against a document the API satisfies, one run sends
# about 20,000 requests to the /v1 and /v2 operations (and undeclared methods to each path), in two
# processes side by side: 7 to 10 minutes on two cores shared with other builds (one
# process took 8.5 to 16 minutes). The script prints the exact count.
#
# Prints schemathesis' summary and exits with its status (non-zero on any failure); wrangler
# and the fuzzer are stopped however the script ends. Knobs: CONTRACT_MAX_EXAMPLES,
# CONTRACT_SEED, CONTRACT_WORKERS, CONTRACT_SHARDS (fuzzer processes), CONTRACT_TIME_LIMIT
# (seconds, per process), and any arguments, which are
# passed on to `schemathesis run` (for instance `--continue-on-failure`, or
# `--include-path /v1/workers` to fuzz one route); the reports (JUnit, NDJSON, the server's
# log) go to target/contract/.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"

MAX_EXAMPLES=${CONTRACT_MAX_EXAMPLES:-25}
FUZZ_SEED=${CONTRACT_SEED:-20260530}
# One fuzzing thread: several race in CPython 3.11's ast module (CPython issue gh-106905),
# which hypothesis uses, and fail at random; separate processes (SHARDS) are safe.
WORKERS=${CONTRACT_WORKERS:-1}
# Fuzzer processes side by side, each on its share of the resource families.
SHARDS=${CONTRACT_SHARDS:-2}
# One process took 510 s to 960 s on two cores shared with other jobs: the limit leaves room.
TIME_LIMIT=${CONTRACT_TIME_LIMIT:-1200}
REPORTS=target/contract

die() { echo "contract: $*" >&2; exit 1; }

[ -f build/index.js ] || die "build/index.js is missing: run \`make contract\` (or \`make build\` first)"
[ -x .venv/bin/schemathesis ] || die ".venv has no schemathesis: run scripts/contract-tools.sh"
EDGECLOCK_OPERATOR_TOKEN=$(sed -n 's/^OPERATOR_TOKEN=//p' .dev.vars)
[ -n "$EDGECLOCK_OPERATOR_TOKEN" ] || die "no OPERATOR_TOKEN in .dev.vars"
export EDGECLOCK_OPERATOR_TOKEN

rm -rf "$REPORTS" && mkdir -p "$REPORTS"
STATE=$(mktemp -d "${TMPDIR:-/tmp}/edgeclock-contract.XXXXXX")
LOG=$REPORTS/wrangler.log
WRANGLER=
FUZZERS=()

# wrangler runs in its own process group (it starts workerd as a child), and so does the
# fuzzer under `timeout`: stopping a group stops all of it. For wrangler, TERM first, KILL if
# it is still there after 10 s.
cleanup() {
  for fuzzer in "${FUZZERS[@]}"; do
    kill -TERM -- "-$fuzzer" 2>/dev/null || true
  done
  if [ -n "$WRANGLER" ] && kill -0 -- "-$WRANGLER" 2>/dev/null; then
    kill -TERM -- "-$WRANGLER" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 -- "-$WRANGLER" 2>/dev/null || break; sleep 0.25; done
    kill -KILL -- "-$WRANGLER" 2>/dev/null || true
  fi
  rm -rf "$STATE"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

fail_with_log() {
  echo "contract: $*" >&2
  echo "---- last 40 lines of the wrangler log ----" >&2
  tail -n 40 "$LOG" >&2 || true
  exit 1
}

export WRANGLER_SEND_METRICS=false CI=true
CI=true wrangler d1 migrations apply DB --local --persist-to "$STATE" >"$LOG" 2>&1 ||
  fail_with_log "applying migrations failed"

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"
setsid wrangler dev --ip 127.0.0.1 --port "$PORT" --persist-to "$STATE" \
  --var ALLOW_HTTP_WEBHOOKS:true --show-interactive-dev-session=false >>"$LOG" 2>&1 </dev/null &
WRANGLER=$!

# Up when any route answers over HTTP (GET /v1/me without a key is a 401).
for _ in $(seq 1 240); do
  curl -s -o /dev/null --max-time 5 "$BASE/v1/me" && break
  kill -0 "$WRANGLER" 2>/dev/null || fail_with_log "wrangler dev exited"
  sleep 0.5
done
curl -s -o /dev/null --max-time 5 "$BASE/v1/me" || fail_with_log "wrangler dev did not start on $BASE"

# The tenant, its key, one object of each kind and a real cursor (tests/contract/seed.py).
SEEDED=$(.venv/bin/python tests/contract/seed.py "$BASE" "$EDGECLOCK_OPERATOR_TOKEN" "$REPORTS/dictionaries") ||
  fail_with_log "seeding failed"
eval "$SEEDED"

export CONTRACT_DROPPED_LOG=$REPORTS/dropped.ndjson
echo "contract: fuzzing $BASE with openapi.json (seed $FUZZ_SEED, $MAX_EXAMPLES examples per operation, $SHARDS shards)"
# In the background, so that an interrupt or TERM reaches the traps at once (bash runs them
# only between commands), and under a hard stop well above a normal run's length. Output is not
# sanitised: reproductions then show the Idempotency-Key sent, and the only secrets are this
# server's throwaway key and the local operator token.
# The fuzzer is one Python process per shard: each takes whole resource families (the paths
# under one /v1/<family>, so the stateful phase still chains a create to its reads), balanced
# by the number of operations; one process keeps one core busy, and the server has room for
# more (CPython's threads are no way out: schemathesis' --workers race in its ast module,
# CPython issue gh-106905).
mapfile -t PATTERNS < <(.venv/bin/python - "$SHARDS" <<'PY'
import json, sys
shards = int(sys.argv[1])
paths = json.load(open("openapi.json"))["paths"]
families = {}
for path, item in paths.items():
    if path.startswith(("/v1/", "/v2/")):
        family = path.split("/")[2]
        families[family] = families.get(family, 0) + sum(1 for m in item if m in
            ("get", "put", "post", "patch", "delete", "head", "options", "trace"))
bins = [[0, []] for _ in range(shards)]
for family, ops in sorted(families.items(), key=lambda f: (-f[1], f[0])):
    lightest = min(bins, key=lambda b: b[0])
    lightest[0] += ops
    lightest[1].append(family)
for _, names in bins:
    if names:
        print("^/v[12]/(" + "|".join(sorted(names)) + ")(/|$)")
PY
)
# One operation is left out: the live position stream never ends (a request waits for its
# timeout), so its contract — statuses, filters, refusals, SSE and WebSocket framing — is the
# end-to-end suite's (tests/e2e/positions.rs).
FUZZERS=()
for i in "${!PATTERNS[@]}"; do
  timeout --kill-after=30 "$TIME_LIMIT" .venv/bin/schemathesis --config-file tests/contract/schemathesis.toml run ./openapi.json \
    --url "$BASE" \
    --include-path-regex "${PATTERNS[$i]}" \
    --exclude-path /v1/positions/live \
    --checks all \
    --phases examples,coverage,fuzzing,stateful \
    --max-examples "$MAX_EXAMPLES" \
    --seed "$FUZZ_SEED" \
    --workers "$WORKERS" \
    --generation-database none \
    --request-timeout 30 \
    --report junit,ndjson --report-junit-path "$REPORTS/junit-$i.xml" --report-ndjson-path "$REPORTS/events-$i.ndjson" \
    --output-sanitize false \
    --no-color "$@" >"$REPORTS/shard-$i.log" 2>&1 &
  FUZZERS+=("$!")
done
status=0
for i in "${!FUZZERS[@]}"; do
  shard_status=0
  wait "${FUZZERS[$i]}" || shard_status=$?
  echo
  echo "==== contract shard $((i + 1)) of ${#FUZZERS[@]}: ${PATTERNS[$i]} (exit $shard_status) ===="
  cat "$REPORTS/shard-$i.log"
  [ "$shard_status" -eq 0 ] || status=$shard_status
done
FUZZERS=()

[ "$status" -ne 124 ] || echo "contract: schemathesis did not finish within $TIME_LIMIT s" >&2
requests=$(grep -c '^\[wrangler:info\] [A-Z]* /' "$LOG" || true)
echo "contract: $requests requests reached the worker (log: $LOG)"
if [ -s "$CONTRACT_DROPPED_LOG" ]; then
  echo "contract: schema-valid requests refused for what no schema can say (tests/contract/hooks.py), not counted:"
  python3 - "$CONTRACT_DROPPED_LOG" <<'PY'
import collections, json, re, sys
tally = collections.Counter()
for line in open(sys.argv[1], encoding="utf-8"):
    reasons = json.loads(line)["reasons"]
    state = {r.split()[-1] for r in reasons} & {"not_found", "inactive"}
    rules = [re.sub(r"\[\d+\]", "[i]", r) for r in reasons if r.split()[-1] not in state]
    tally.update({"not_found": "names no live object (not_found)", "inactive": "names an inactive worker"}[c] for c in state)
    tally.update(f"{entry} (rule across fields or state)" for entry in set(rules))
for reason, count in tally.most_common():
    print(f"  {count:6d}  {reason}")
PY
fi
exit "$status"
