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
# shellcheck source=scripts/cli.sh
source "$(dirname "${BASH_SOURCE[0]}")/cli.sh"
bench_usage="$(dirname "${BASH_SOURCE[0]}")/../bench/usage.txt"
if cli_wants_help "$@"; then
  cat "$bench_usage"
  printf '\n'
  cli_usage | sed -n '/^Environment:/,$p'
  exit 0
fi
# The harness checks its whole command line once built; a mistyped flag is refused here already,
# before the stack comes up and the build runs.
for arg in "$@"; do
  [[ "$arg" == --* ]] || continue
  grep -Eq -- "(^|[ /])${arg%%=*}([ =]|$)" "$bench_usage" || cli_reject "unknown option ${arg%%=*} (npm run bench -- --help lists them)"
done
# shellcheck source=scripts/stack/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/stack/lib.sh"
cd "$REPO_ROOT"

use_stack_for_run

# --profile, --alloc-profile, --alloc-survivors: the same bundles with per-module banners, to attribute profiled lines to modules.
profile_build=()
for arg in "$@"; do
  [[ "$arg" == --profile || "$arg" == --alloc-profile || "$arg" == --alloc-survivors ]] && profile_build=(--webpackPath bench/webpack.profile.js)
done
if [[ "${BENCH_SKIP_BUILD:-}" != 1 ]]; then
  say "==> build: screener, list-loader, bench"
  npx nest build screener "${profile_build[@]}"
  npx nest build list-loader
  npx nest build bench "${profile_build[@]}"
fi

say "==> bench (KAFKA_BROKERS=$KAFKA_BROKERS REDIS_URL=$REDIS_URL)"
node dist/bench/main.js "$@"
