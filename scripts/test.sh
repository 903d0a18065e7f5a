#!/usr/bin/env bash
# npm test: every check, in the order CI runs them (.ci/run calls this too).
#
#   npm test                          all checks, then all jest projects
#   npm test -- <jest args>           e.g. npm test -- --selectProjects unit, or a path filter
#
# 1. brings the local stack up (scripts/stack/up.sh) and exports $STACK_DIR/env
#    (KAFKA_BROKERS, REDIS_URL) so every step and jest worker uses it;
# 2. lint, format check, type check, build, the documents' check (scripts/check-docs.js: AsyncAPI,
#    OpenAPI, compose), then `jest --ci` with the extra arguments;
# 3. without jest arguments, the store and pipeline tests once more on a local three-master Redis
#    Cluster (scripts/stack/redis-cluster.sh, REDIS_CLUSTER_TEST=1): the files in CLUSTER_TESTS;
# 4. stops whatever the stack scripts started for this run (nothing, if the stack was already up).
# Stops at the first failing step with its exit status.
#
# Environment: everything scripts/stack/up.sh reads (STACK_DIR, KAFKA_PORT, ...), and
#   STACK_SKIP=1           do not touch the local stack; KAFKA_BROKERS and REDIS_URL must point at one already.
#   REDIS_CLUSTER_TESTS=0  skip step 3 (it is skipped with STACK_SKIP=1 too).
set -euo pipefail
# shellcheck source=scripts/stack/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/stack/lib.sh"
cd "$REPO_ROOT"

use_stack_for_run

step() {
  local name="$1" t=$SECONDS rc=0
  shift
  say "==> $name"
  "$@" || rc=$?
  if ((rc != 0)); then
    warn "npm test: step '$name' failed (exit $rc)"
    exit "$rc"
  fi
  say "    $name: ok ($((SECONDS - t))s)"
}

step lint npm run --silent lint
step "format check" npm run --silent format:check
step typecheck npm run --silent typecheck
step build npm run --silent build
step "openapi document current" bash scripts/openapi.sh --check
step "docs check" npm run --silent docs:check
# jest's own summary ("Tests: 3 failed, 120 passed, 123 total") is not a line CI's runner-summary reader
# knows, so the counts are also printed as the plain "N passed, N failed, N skipped" line it does read.
jest_results="$(mktemp)"
cluster_results="$(mktemp)"
# jest_summary LABEL FILE...: the counts of the given runs, summed.
jest_summary() {
  node -e '
    const [label, ...files] = process.argv.slice(1);
    const runs = files.filter((f) => require("fs").statSync(f).size > 0)
      .map((f) => JSON.parse(require("fs").readFileSync(f, "utf8")));
    const sum = (k) => runs.reduce((n, r) => n + r[k], 0);
    console.log(`${label}: ${sum("numPassedTests")} passed, ${sum("numFailedTests")} failed, ${sum("numPendingTests") + sum("numTodoTests")} skipped`);
  ' "$@" 2>/dev/null || true
}
jest_rc=0
say "==> jest"
npx jest --ci --json --outputFile="$jest_results" "$@" || jest_rc=$?
jest_summary jest "$jest_results"
if ((jest_rc != 0)); then
  rm -f "$jest_results" "$cluster_results"
  warn "npm test: step 'jest' failed (exit $jest_rc)"
  exit "$jest_rc"
fi

# The stores and the pipeline on a Redis Cluster: every store, the loader, and the screener's
# stream end to end (decisions, retro-screening); the list switch under a lookup loop is in the
# store's file. About two minutes on 2 cores.
CLUSTER_TESTS=(
  test/lists/sanctions-list-store
  test/lists/list-loader-cli
  test/enrichment
  test/pipeline/screening
  test/pipeline/decisions
  test/retro/retro-screening
)
if (($# == 0)) && [[ "${REDIS_CLUSTER_TESTS:-1}" != 0 && "${STACK_SKIP:-}" != 1 ]]; then
  say "==> jest on a Redis Cluster"
  if ! bash scripts/stack/redis-cluster.sh status >/dev/null; then
    bash scripts/stack/redis-cluster.sh start
    printf 'redis-cluster\n' >>"$STACK_RUN_STARTED"
  fi
  REDIS_CLUSTER_TEST=1 npx jest --ci --json --outputFile="$cluster_results" "${CLUSTER_TESTS[@]}" ||
    jest_rc=$?
  jest_summary "jest on Redis Cluster" "$cluster_results"
  # The last "jest:" line is the whole run's, for CI's reader.
  jest_summary jest "$jest_results" "$cluster_results"
  rm -f "$jest_results" "$cluster_results"
  if ((jest_rc != 0)); then
    warn "npm test: step 'jest on a Redis Cluster' failed (exit $jest_rc)"
    exit "$jest_rc"
  fi
fi
rm -f "$jest_results" "$cluster_results"
say "==> all checks passed"
