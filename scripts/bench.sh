#!/usr/bin/env bash
# npm run bench: the benchmark harness (bench/, docs/performance.md).
#
#   npm run bench                         full run: 200,000 events, every variant, updates docs/performance.md
#   npm run bench -- --events 5000        a small run (CI); results in bench/results/bench-5000.*
#   npm run bench -- --help               every option
#
# 1. brings the local stack up (scripts/stack/up.sh) and exports $STACK_DIR/env;
# 2. builds the screener, the list loader and the harness (dist/apps/*, dist/bench);
# 3. runs dist/bench/main.js with the arguments;
# 4. stops whatever the stack script started for this run (nothing, if the stack was already up).
#
# Environment: everything scripts/stack/up.sh reads, and
#   STACK_SKIP=1    do not touch the local stack; KAFKA_BROKERS and REDIS_URL must point at one already.
#   BENCH_SKIP_BUILD=1   use the dist/ already built.
set -euo pipefail
# shellcheck source=scripts/stack/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/stack/lib.sh"
cd "$REPO_ROOT"

started_file="$(mktemp)"
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [[ -s "$started_file" ]]; then
    say "==> stopping what this run started: $(paste -sd' ' "$started_file")"
    rm -f "$STACK_DIR/env"
    grep -qx kafka "$started_file" && { bash scripts/stack/kafka.sh stop || rc=1; }
    grep -qx redis "$started_file" && { bash scripts/stack/redis.sh stop || rc=1; }
  fi
  rm -f "$started_file"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [[ "${STACK_SKIP:-}" == 1 ]]; then
  [[ -n "${KAFKA_BROKERS:-}" && -n "${REDIS_URL:-}" ]] ||
    die "STACK_SKIP=1 needs KAFKA_BROKERS and REDIS_URL to be set"
else
  STACK_STARTED_FILE="$started_file" bash scripts/stack/up.sh
  set -a
  # shellcheck source=/dev/null
  source "$STACK_DIR/env"
  set +a
fi

if [[ "${BENCH_SKIP_BUILD:-}" != 1 ]]; then
  say "==> build: screener, list-loader, bench"
  npx nest build screener
  npx nest build list-loader
  npx nest build bench
fi

say "==> bench (KAFKA_BROKERS=$KAFKA_BROKERS REDIS_URL=$REDIS_URL)"
node dist/bench/main.js "$@"
