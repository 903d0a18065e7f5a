#!/usr/bin/env bash
# npm run replay -- --topic <topic> --from <time> --to <time> [--lists listId:version,...] [--out report.json]
#
# Audit replay (docs/operations.md): builds the replay tool when its output is missing or stale,
# then runs
#   node dist/apps/replay/main.js "$@"
# with the screener's environment. If REDIS_URL is unset and the local stack is up ($STACK_DIR/env
# exists), the stack's REDIS_URL (and KAFKA_BROKERS, when unset) are used. Reads only: it publishes
# nothing and writes no state.
set -euo pipefail
# shellcheck source=scripts/cli.sh
source "$(dirname "${BASH_SOURCE[0]}")/cli.sh"
# shellcheck source=scripts/built-tool.sh
source "$(dirname "${BASH_SOURCE[0]}")/built-tool.sh"
run_built_tool replay "--topic --from --to --lists --out" -- "$@"
