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
if cli_wants_help "$@"; then
  replay="$(dirname "$CLI_SCRIPT")/../dist/apps/replay/main.js"
  if [[ -f "$replay" ]]; then
    node "$replay" --help
  else
    cli_usage
    printf '\nThe options are listed once it is built (npm run build).\n'
  fi
  exit 0
fi
# A mistyped flag is refused here, before the stack directory is looked at; the tool checks the rest.
for arg in "$@"; do
  [[ "$arg" == --* ]] || continue
  case "${arg%%=*}" in
  --topic | --from | --to | --lists | --out) ;;
  *) cli_reject "unknown option ${arg%%=*} (npm run replay -- --help lists them)" ;;
  esac
done
# shellcheck source=scripts/stack/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/stack/lib.sh"

replay="$REPO_ROOT/dist/apps/replay/main.js"
if needs_build "$replay"; then
  warn "replay: building the replay tool"
  (cd "$REPO_ROOT" && npx nest build replay) >&2
fi
if [[ -z "${REDIS_URL:-}" && -f "$STACK_DIR/env" ]]; then
  load_env_file "$STACK_DIR/env"
fi
exec node "$replay" "$@"
