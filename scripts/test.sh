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
# 3. stops whatever the stack script started for this run (nothing, if the stack was already up).
# Stops at the first failing step with its exit status.
#
# Environment: everything scripts/stack/up.sh reads (STACK_DIR, KAFKA_PORT, ...), and
#   STACK_SKIP=1   do not touch the local stack; KAFKA_BROKERS and REDIS_URL must point at one already.
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
jest_summary() {
  node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    console.log(`jest: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
  ' "$jest_results" 2>/dev/null || true
  rm -f "$jest_results"
}
jest_rc=0
say "==> jest"
npx jest --ci --json --outputFile="$jest_results" "$@" || jest_rc=$?
jest_summary
if ((jest_rc != 0)); then
  warn "npm test: step 'jest' failed (exit $jest_rc)"
  exit "$jest_rc"
fi
say "==> all checks passed"
