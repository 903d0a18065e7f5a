#!/usr/bin/env bash
# npm run lists:load -- <list file> [loader options]
#
# Builds the list-loader when its output is missing or stale, then runs
#   node dist/apps/list-loader/main.js "$@"
# If REDIS_URL is unset and the local stack is up ($STACK_DIR/env exists), the stack's REDIS_URL (and
# KAFKA_BROKERS, when unset) are used. Relative file paths are relative to the repository root (npm
# runs scripts there).
set -euo pipefail
# shellcheck source=scripts/cli.sh
source "$(dirname "${BASH_SOURCE[0]}")/cli.sh"
# shellcheck source=scripts/list-loader.sh
source "$(dirname "${BASH_SOURCE[0]}")/list-loader.sh"
run_list_loader lists:load -- "$@"
