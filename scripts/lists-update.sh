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
# shellcheck source=scripts/list-loader.sh
source "$(dirname "${BASH_SOURCE[0]}")/list-loader.sh"
run_list_loader lists:update update -- "$@"
