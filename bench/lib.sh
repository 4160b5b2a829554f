# Shared by the bench scripts (sourced, not run): errors, durations, loopback ports, process
# groups, CPU accounting, a server over one state directory, and reading wrk's and the API's
# output. Set BENCH_NAME first.

die() { echo "$BENCH_NAME: $*" >&2; exit 1; }

fail_with_log() { # $1 = log, rest = message
  local log=$1; shift
  echo "$BENCH_NAME: $*" >&2
  if [ -f "$log" ]; then echo "---- last 40 lines of $(basename "$log") ----" >&2; tail -n 40 "$log" >&2; fi
  exit 1
}

seconds() { # wrk duration (10, 10s, 2m, 1h) -> seconds
  local d=$1
  case $d in
    *h) echo $(( ${d%h} * 3600 )) ;;
    *m) echo $(( ${d%m} * 60 )) ;;
    *s) echo "${d%s}" ;;
    *) echo "$d" ;;
  esac
}

stop_group() { # $1 = process group id; TERM, then KILL after 10 s
  local g=$1
  kill -0 -- "-$g" 2>/dev/null || return 0
  kill -TERM -- "-$g" 2>/dev/null || true
  for _ in $(seq 1 40); do kill -0 -- "-$g" 2>/dev/null || return 0; sleep 0.25; done
  kill -KILL -- "-$g" 2>/dev/null || true
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

TAKEN=" "
pick_port() { # a free port from $PORTS not handed out before in this run
  local p
  for p in $PORTS; do
    case $TAKEN in *" $p "*) continue ;; esac
    if port_free "$p"; then TAKEN="$TAKEN$p "; echo "$p"; return 0; fi
  done
  die "no free port among: $PORTS"
}
# take_port NAME: pick_port into the variable NAME, remembered as handed out (pick_port in
# $(…) runs in a subshell, so its own note is lost; two ports for one server need this).
take_port() { local p; p=$(pick_port) || exit 1; TAKEN="$TAKEN$p "; printf -v "$1" '%s' "$p"; }

to_ms() { # wrk latency (812.00us, 3.21ms, 1.02s, 1.50m) -> milliseconds
  awk -v v="$1" 'BEGIN {
    n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
    printf "%.2f", n }'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

json_get() { # $1 = dotted path; reads JSON on stdin
  node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{let v=JSON.parse(s);for(const k of process.argv[1].split("."))v=v?.[k];console.log(typeof v==="object"?JSON.stringify(v):v)})' "$1"
}

# serve NAME STATE [wrangler dev arguments…] -> PORT, BASE, LOG, SERVER_PID: serves the build
# over the local state in STATE on a port from $PORTS, in its own process group (added to
# PGIDS, for the caller's cleanup), and waits up to 120 s for /openapi.json. Needs TMP.
serve() {
  local name=$1 state=$2; shift 2
  PORT=$(pick_port)
  BASE="http://127.0.0.1:$PORT"; LOG="$TMP/$name.log"
  setsid wrangler dev --ip 127.0.0.1 --port "$PORT" --persist-to "$state" \
    --show-interactive-dev-session=false "$@" >"$LOG" 2>&1 </dev/null &
  SERVER_PID=$!
  PGIDS+=("$SERVER_PID")   # setsid in a non-interactive shell: the child is its own group leader
  for _ in $(seq 1 240); do
    curl -fsS -o /dev/null --max-time 2 "$BASE/openapi.json" 2>/dev/null && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || fail_with_log "$LOG" "wrangler dev exited before answering"
    sleep 0.5
  done
  fail_with_log "$LOG" "$BASE did not answer within 120 s"
}

# start_server NAME -> as serve, over $STATE (scale.sh, reports.sh; the caller sets TMP,
# STATE, PORTS and the array PGIDS).
start_server() { serve "$1" "$STATE"; }
stop_server() { stop_group "$SERVER_PID"; }

d1_exec() { # $1 = SQL file
  wrangler d1 execute DB --local --persist-to "$STATE" --file "$1" >"$TMP/d1.log" 2>&1 \
    || fail_with_log "$TMP/d1.log" "wrangler d1 execute --file $(basename "$1") failed"
}

# CPU accounting, in clock ticks: all busy time of the machine, and that of one process group
# (the wrangler dev server: node + workerd). The difference is wrk plus everything else that
# ran meanwhile, which tells whether other work on the machine skewed a run.
HZ=$(getconf CLK_TCK)
busy_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9; exit}' /proc/stat; }
# stat_ticks FILE -> user + system ticks from a /proc stat file (fails if it is gone)
stat_ticks() {
  local st
  st=$(cat "$1" 2>/dev/null) || return 1
  st=${st##*) }                                # drop "pid (comm) "; fields now start at state
  awk '{print $12 + $13}' <<<"$st"
}
group_ticks() {
  local g=$1 t=0 p n
  for p in $(ps -eo pid=,pgid= | awk -v g="$g" '$2 == g {print $1}'); do
    n=$(stat_ticks "/proc/$p/stat") || continue
    t=$(( t + n ))
  done
  echo "$t"
}
# The event-loop thread of each workerd process in a group, as "pid ticks" lines: workerd runs
# every isolate of a process (the worker, its Durable Objects, the local D1/KV shims, the asset
# router) on that one thread, so the busiest one bounds throughput.
thread_ticks() {
  local g=$1 p n
  for p in $(ps -eo pid=,pgid=,comm= | awk -v g="$g" '$2 == g && $3 == "workerd" {print $1}'); do
    n=$(stat_ticks "/proc/$p/task/$p/stat") || continue
    echo "$p $n"
  done
}
# busiest_thread BEFORE AFTER -> the largest tick delta of one pid between two thread_ticks outputs
busiest_thread() {
  awk 'NR == FNR {t0[$1] = $2; next} ($1 in t0) {d = $2 - t0[$1]; if (d > m) m = d} END {print m + 0}' \
    <(printf '%s\n' "$1") <(printf '%s\n' "$2")
}
now_ms() { date +%s%3N; }
pct() { awk -v t="$1" -v ms="$2" -v hz="$HZ" 'BEGIN { printf "%.0f", (ms > 0 ? 100 * t / hz / (ms / 1000) : 0) }'; }

# --- temp dir and cleanup ---------------------------------------------------------------------
# temp_dir_with_cleanup: TMP (a fresh temp dir), STATE ($TMP/state) and PGIDS (the process
# groups to stop); on exit every group in PGIDS is stopped and TMP removed (KEEP_TMP=1 keeps it).
temp_dir_with_cleanup() {
  TMP=$(mktemp -d -t "edgeclock-$BENCH_NAME.XXXXXX")
  STATE="$TMP/state"
  PGIDS=()
  trap bench_cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}
bench_cleanup() {
  local rc=$?
  set +e
  for g in "${PGIDS[@]}"; do stop_group "$g"; done
  if [ "${KEEP_TMP:-0}" = 1 ]; then echo "$BENCH_NAME: kept $TMP" >&2; else rm -rf "$TMP"; fi
  exit $rc
}

# The checks every API bench starts with: a build, the installed wrangler, curl, and the local
# operator token (-> OPERATOR_TOKEN; .dev.vars is made from the example when missing).
require_build_and_operator() {
  [ -f build/index.js ] || die "build/index.js missing; run 'make build'"
  [ -x node_modules/.bin/wrangler ] || die "node_modules/.bin/wrangler missing; run 'make build' (it installs the tools)"
  command -v curl >/dev/null || die "curl is required"
  [ -f .dev.vars ] || cp .dev.vars.example .dev.vars
  OPERATOR_TOKEN=$(sed -n 's/^OPERATOR_TOKEN=//p' .dev.vars)
  [ -n "$OPERATOR_TOKEN" ] || die "no OPERATOR_TOKEN in .dev.vars"
}

# The commit measured (-> COMMIT), marked +dirty when the code differs from it.
bench_commit() {
  COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
  git diff --quiet HEAD -- src Cargo.toml Cargo.lock schema.sql migrations 2>/dev/null || COMMIT="$COMMIT+dirty"
}

# Applies every migration to the local state in $1 (a fresh one: the schema).
apply_migrations() {
  CI=true wrangler d1 migrations apply DB --local --persist-to "$1" >"$TMP/schema.log" 2>&1 \
    || fail_with_log "$TMP/schema.log" "applying migrations failed"
}
