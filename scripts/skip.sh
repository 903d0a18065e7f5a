#!/usr/bin/env bash
# npm run skip -- --topic <topic> --partition <n> --offset <offset> --reason "<why>" [--group <id>] [--wait <s>]
#
# Moves the screener's consumer group past a record batch it cannot decode (docs/reliability.md):
# builds the tool when its output is missing or stale, then runs
#   node dist/apps/skip/main.js "$@"
# with the screener's environment. If KAFKA_BROKERS is unset and the local stack is up
# ($STACK_DIR/env exists), the stack's settings are used.
set -euo pipefail
# shellcheck source=scripts/cli.sh
source "$(dirname "${BASH_SOURCE[0]}")/cli.sh"
# shellcheck source=scripts/built-tool.sh
source "$(dirname "${BASH_SOURCE[0]}")/built-tool.sh"
run_built_tool skip "--topic --partition --offset --reason --group --wait" -- "$@"
