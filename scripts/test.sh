#!/usr/bin/env bash
# npm test: every check, in the order CI runs them (.ci/run calls this too).
#
#   npm test                          all checks, then all jest projects
#   npm test -- <jest args>           e.g. npm test -- --selectProjects unit, or a path filter
#   npm run test:secure               (scripts/test.sh --secure) build, then the whole integration
#                                     project on the secured stack (STACK_SECURE=1)
#   npm run test:secure -- <jest args>  the same for some files, e.g. test/pipeline
#
# 1. brings the local stack up (scripts/stack/up.sh) and exports $STACK_DIR/env
#    (KAFKA_BROKERS, REDIS_URL) so every step and jest worker uses it;
# 2. lint, format check, type check, build, the documents' check (scripts/check-docs.js: AsyncAPI,
#    OpenAPI, compose), then `jest --ci` with the extra arguments;
# 3. without jest arguments, the store and pipeline tests once more on a local three-master Redis
#    Cluster (scripts/stack/redis-cluster.sh, REDIS_CLUSTER_TEST=1): the files in CLUSTER_TESTS;
# 4. without jest arguments, a few pipeline tests once more on the secured stack: the broker's
#    SASL_SSL listener (SCRAM-SHA-512) and the TLS-only Redis as its ACL user
#    (scripts/stack/redis-tls.sh, STACK_SECURE=1): the files in SECURE_TESTS;
# 5. stops whatever the stack scripts started for this run (nothing, if the stack was already up).
# Stops at the first failing step with its exit status. With --secure: steps 1, build, then jest's
# integration project on the secured stack, and 5.
#
# Environment: everything scripts/stack/up.sh reads (STACK_DIR, KAFKA_PORT, ...), and
#   STACK_SKIP=1           do not touch the local stack; KAFKA_BROKERS and REDIS_URL must point at one
#                          already (steps 3 and 4 are skipped; --secure refuses it).
#   REDIS_CLUSTER_TESTS=0  skip step 3.
#   SECURED_STACK_TESTS=0  skip step 4.
set -euo pipefail
# shellcheck source=scripts/cli.sh
source "$(dirname "${BASH_SOURCE[0]}")/cli.sh"
if cli_wants_help "$@"; then
  cli_usage
  exit 0
fi
secure_only=0
if [[ "${1:-}" == --secure ]]; then
  secure_only=1
  shift
  [[ "${STACK_SKIP:-}" != 1 ]] ||
    cli_reject "--secure needs the local stack (its SASL_SSL listener and TLS Redis); STACK_SKIP=1 skips it"
fi
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

# jest's own summary ("Tests: 3 failed, 120 passed, 123 total") is not a line CI's runner-summary reader
# knows, so the counts are also printed as the plain "N passed, N failed, N skipped" line it does read.
jest_results="$(mktemp)"
cluster_results="$(mktemp)"
secure_results="$(mktemp)"
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
# The TLS Redis of the secured runs (jest's global setup starts it too); stopped at the end if
# this run started it.
ensure_redis_tls() {
  if ! bash scripts/stack/redis-tls.sh status >/dev/null; then
    bash scripts/stack/redis-tls.sh start
    printf 'redis-tls\n' >>"$STACK_RUN_STARTED"
  fi
}

if ((secure_only)); then
  step build npm run --silent build
  ensure_redis_tls
  say "==> jest on the secured stack (STACK_SECURE=1)"
  jest_rc=0
  STACK_SECURE=1 npx jest --ci --json --outputFile="$secure_results" --selectProjects integration "$@" ||
    jest_rc=$?
  jest_summary "jest on the secured stack" "$secure_results"
  rm -f "$jest_results" "$cluster_results" "$secure_results"
  ((jest_rc == 0)) || warn "npm run test:secure: jest failed (exit $jest_rc)"
  exit "$jest_rc"
fi

step lint npm run --silent lint
step "format check" npm run --silent format:check
step typecheck npm run --silent typecheck
step build npm run --silent build
step "openapi document current" bash scripts/openapi.sh --check
step "docs check" npm run --silent docs:check
jest_rc=0
say "==> jest"
npx jest --ci --json --outputFile="$jest_results" "$@" || jest_rc=$?
jest_summary jest "$jest_results"
if ((jest_rc != 0)); then
  rm -f "$jest_results" "$cluster_results" "$secure_results"
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
  if ((jest_rc != 0)); then
    jest_summary jest "$jest_results" "$cluster_results"
    rm -f "$jest_results" "$cluster_results" "$secure_results"
    warn "npm test: step 'jest on a Redis Cluster' failed (exit $jest_rc)"
    exit "$jest_rc"
  fi
fi

# The screener's stream, its decisions, the list loader and NAME_MATCH's name index through the
# secured doors: SASL_SSL and the TLS Redis as the least-privilege ACL user, whose missing command
# only such a run shows (test/security covers the transports and their refusals). About 1.2
# minutes on 2 cores; `npm run test:secure` runs the whole integration project this way.
SECURE_TESTS=(
  test/pipeline/screening
  test/pipeline/decisions
  test/lists/list-versions
  test/rules/name-match
)
if (($# == 0)) && [[ "${SECURED_STACK_TESTS:-1}" != 0 && "${STACK_SKIP:-}" != 1 ]]; then
  say "==> jest on the secured stack"
  ensure_redis_tls
  STACK_SECURE=1 npx jest --ci --json --outputFile="$secure_results" "${SECURE_TESTS[@]}" ||
    jest_rc=$?
  jest_summary "jest on the secured stack" "$secure_results"
  if ((jest_rc != 0)); then
    jest_summary jest "$jest_results" "$cluster_results" "$secure_results"
    rm -f "$jest_results" "$cluster_results" "$secure_results"
    warn "npm test: step 'jest on the secured stack' failed (exit $jest_rc)"
    exit "$jest_rc"
  fi
fi
# The last "jest:" line is the whole run's, for CI's reader.
if (($# == 0)); then jest_summary jest "$jest_results" "$cluster_results" "$secure_results"; fi
rm -f "$jest_results" "$cluster_results" "$secure_results"
say "==> all checks passed"
