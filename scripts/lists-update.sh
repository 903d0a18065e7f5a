#!/usr/bin/env bash
# npm run lists:update -- [--watch]
#
# Fetches every configured sanctions list source (LIST_SOURCES, default the official OFAC, UN and
# MOF publications) and publishes the lists that changed; --watch keeps checking every
# LIST_CHECK_INTERVAL_MINUTES. Builds the list-loader when its output is missing or stale, then runs
#   node dist/apps/list-loader/main.js update "$@"
# If REDIS_URL is unset and the local stack is up ($STACK_DIR/env exists), the stack's REDIS_URL (and
# KAFKA_BROKERS, when unset) are used.
set -euo pipefail
# shellcheck source=scripts/cli.sh
source "$(dirname "${BASH_SOURCE[0]}")/cli.sh"
if cli_wants_help "$@"; then
  cli_usage
  loader="$(dirname "$CLI_SCRIPT")/../dist/apps/list-loader/main.js"
  if [[ -f "$loader" ]]; then
    printf '\n'
    node "$loader" update --help
  else
    printf '\nThe updater options are listed once it is built (npm run build).\n'
  fi
  exit 0
fi
# shellcheck source=scripts/stack/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/stack/lib.sh"

loader="$REPO_ROOT/dist/apps/list-loader/main.js"
if needs_build "$loader"; then
  say "lists:update: building the list-loader"
  (cd "$REPO_ROOT" && npx nest build list-loader)
fi
if [[ -z "${REDIS_URL:-}" && -f "$STACK_DIR/env" ]]; then
  load_env_file "$STACK_DIR/env"
fi
exec node "$loader" update "$@"
