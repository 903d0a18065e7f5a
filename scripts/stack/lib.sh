# shellcheck shell=bash
# Shared helpers for the local-stack scripts. Sourced, never run.
#
# Every script here runs with `set -euo pipefail`; helpers return non-zero instead of exiting unless
# their name says otherwise (die).

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
STACK_SCRIPTS="$REPO_ROOT/scripts/stack"

STACK_DIR="${STACK_DIR:-$REPO_ROOT/.stack}"
mkdir -p "$STACK_DIR"
# Absolute, so that the pid checks (which match the broker's command line) and child scripts agree
# however the caller spelled it.
STACK_DIR="$(cd "$STACK_DIR" && pwd)"
export STACK_DIR

# Lock file descriptors, one per script. Anything long-lived we launch must close all of them
# (see launch_detached), or the daemon would hold the lock for as long as it runs.
readonly LOCK_FD_UP=7 LOCK_FD_KAFKA=8 LOCK_FD_REDIS=9

say() { printf '%s\n' "$*"; }
warn() { printf '%s\n' "$*" >&2; }
die() {
  printf 'error: %s\n' "$*" >&2
  exit 1
}

# STACK_QUIET=1 (set by the jest global setup) silences the "already running" chatter but keeps
# every line that reports a change.
info() { [[ "${STACK_QUIET:-}" == 1 ]] || say "$@"; }

# take_lock FD NAME: serialise concurrent runs (two jest processes, test.sh and a developer) on
# $STACK_DIR/NAME.lock. flock(1) locks belong to the open file, so each script uses its own fd and file.
take_lock() {
  local fd="$1" name="$2"
  eval "exec $fd>\"\$STACK_DIR/$name.lock\""
  flock -w "${STACK_LOCK_TIMEOUT:-300}" "$fd" || die "timed out waiting for $STACK_DIR/$name.lock (another stack script is running)"
}

# port_open HOST PORT: something accepts TCP connections there.
port_open() {
  timeout 2 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$1" "$2" 2>/dev/null
}

# pid_matches PID NEEDLE...: the process is alive and its command line contains every needle.
# Guards against a stale pid file whose number the kernel has handed to another process.
pid_matches() {
  local pid="$1" cmdline
  shift
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  cmdline="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" || return 1
  local needle
  for needle in "$@"; do
    [[ "$cmdline" == *"$needle"* ]] || return 1
  done
}

read_pid() {
  [[ -f "$1" ]] && tr -dc '0-9' <"$1"
}

# wait_exit PID SECONDS: true once the process is gone, false if it outlives the bound.
wait_exit() {
  local pid="$1" deadline=$((SECONDS + $2))
  while kill -0 "$pid" 2>/dev/null; do
    ((SECONDS < deadline)) || return 1
    sleep 0.2
  done
}

# stop_pid PID NAME GRACE: SIGTERM, then SIGKILL once GRACE seconds have passed; waits for exit.
stop_pid() {
  local pid="$1" name="$2" grace="$3"
  kill -TERM "$pid" 2>/dev/null || return 0
  if ! wait_exit "$pid" "$grace"; then
    warn "$name (pid $pid) did not exit within ${grace}s of SIGTERM; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    wait_exit "$pid" 10 || die "$name (pid $pid) survived SIGKILL"
  fi
}

# start_ticker LABEL [DETAIL_FUNCTION]: until stop_ticker, says every PROGRESS_SECONDS (default 10)
# that LABEL is still going and for how long (and what DETAIL_FUNCTION prints), so that a step of
# minutes is not taken for a hang. The ticker also ends within a second of the script itself.
start_ticker() {
  local label="$1" detail="${2:-}" parent=$$ started=$SECONDS
  (
    every="${PROGRESS_SECONDS:-10}"
    next=$((SECONDS + every))
    while sleep 1 >/dev/null && kill -0 "$parent" 2>/dev/null; do
      ((SECONDS >= next)) || continue
      next=$((SECONDS + every))
      info "$label ... $((SECONDS - started))s${detail:+, $("$detail" 2>/dev/null)}"
    done
  ) </dev/null 6>&- 7>&- 8>&- 9>&- &
  TICKER_PID=$!
}

stop_ticker() {
  [[ -n "${TICKER_PID:-}" ]] || return 0
  kill "$TICKER_PID" 2>/dev/null || true
  wait "$TICKER_PID" 2>/dev/null || true
  TICKER_PID=
}

# tail_log FILE: the last lines of a log, for failure messages.
tail_log() {
  [[ -s "$1" ]] || return 0
  warn "---- last lines of $1 ----"
  tail -n "${2:-25}" "$1" >&2
  warn "----"
}

# node_module_available NAME: the repo's node_modules can provide it (npm ci has run).
node_module_available() {
  command -v node >/dev/null 2>&1 &&
    node -e 'require.resolve(process.argv[1], { paths: [process.argv[2]] })' "$1" "$REPO_ROOT" 2>/dev/null
}

# load_env_file FILE [--override]: export the KEY=VALUE lines of a stack env file. Without
# --override a variable the caller already set wins.
load_env_file() {
  local file="$1" override="${2:-}" key value
  [[ -f "$file" ]] || return 1
  while IFS='=' read -r key value; do
    [[ "$key" =~ ^[A-Z_][A-Z0-9_]*$ ]] || continue
    if [[ "$override" == --override || -z "${!key:-}" ]]; then
      export "$key=$value"
    fi
  done <"$file"
}

# needs_build TARGET: the compiled TARGET is missing or older than anything it is built from.
needs_build() {
  local target="$1" f
  [[ -f "$target" ]] || return 0
  [[ -n "$(cd "$REPO_ROOT" && find apps libs -newer "$target" -type f \( -name '*.ts' -o -name '*.json' \) \
    ! -name '*.spec.ts' -print -quit 2>/dev/null)" ]] && return 0
  for f in package-lock.json tsconfig.json tsconfig.build.json nest-cli.json; do
    [[ "$REPO_ROOT/$f" -nt "$target" ]] && return 0
  done
  return 1
}

# kafka_answers BROKERS [TIMEOUT_MS]: a metadata request to BROKERS succeeds. No side effects on the cluster.
kafka_answers() {
  node "$STACK_SCRIPTS/kafka-ready.js" "$1" "${2:-3000}" --metadata-only >/dev/null 2>&1
}

# For a script that needs the stack for the length of its run (npm test, npm run bench): brings it
# up, or with STACK_SKIP=1 takes KAFKA_BROKERS and REDIS_URL as given; exports the stack's env; and
# on exit stops only what this run started, keeping the script's exit status.
use_stack_for_run() {
  STACK_RUN_STARTED="$(mktemp)"
  trap stop_what_this_run_started EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  if [[ "${STACK_SKIP:-}" == 1 ]]; then
    [[ -n "${KAFKA_BROKERS:-}" && -n "${REDIS_URL:-}" ]] ||
      die "STACK_SKIP=1 needs KAFKA_BROKERS and REDIS_URL to be set"
    say "==> stack: skipped (STACK_SKIP=1); KAFKA_BROKERS=$KAFKA_BROKERS REDIS_URL=$REDIS_URL"
    return 0
  fi
  say "==> stack up"
  STACK_STARTED_FILE="$STACK_RUN_STARTED" bash "$REPO_ROOT/scripts/stack/up.sh"
  set -a
  # shellcheck source=/dev/null
  source "$STACK_DIR/env"
  set +a
}

stop_what_this_run_started() {
  local rc=$?
  trap - EXIT INT TERM
  if [[ -s "$STACK_RUN_STARTED" ]]; then
    say "==> stopping what this run started: $(paste -sd' ' "$STACK_RUN_STARTED")"
    rm -f "$STACK_DIR/env"
    grep -qx kafka "$STACK_RUN_STARTED" && { bash "$REPO_ROOT/scripts/stack/kafka.sh" stop || rc=1; }
    grep -qx redis "$STACK_RUN_STARTED" && { bash "$REPO_ROOT/scripts/stack/redis.sh" stop || rc=1; }
    grep -qx redis-cluster "$STACK_RUN_STARTED" &&
      { bash "$REPO_ROOT/scripts/stack/redis-cluster.sh" stop || rc=1; }
    grep -qx redis-tls "$STACK_RUN_STARTED" && { bash "$REPO_ROOT/scripts/stack/redis-tls.sh" stop || rc=1; }
  fi
  rm -f "$STACK_RUN_STARTED"
  exit "$rc"
}
