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
if cli_wants_help "$@"; then
  skip="$(dirname "$CLI_SCRIPT")/../dist/apps/skip/main.js"
  if [[ -f "$skip" ]]; then
    node "$skip" --help
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
  --topic | --partition | --offset | --reason | --group | --wait) ;;
  *) cli_reject "unknown option ${arg%%=*} (npm run skip -- --help lists them)" ;;
  esac
done
# shellcheck source=scripts/stack/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/stack/lib.sh"

skip="$REPO_ROOT/dist/apps/skip/main.js"
if needs_build "$skip"; then
  warn "skip: building the skip tool"
  (cd "$REPO_ROOT" && npx nest build skip) >&2
fi
if [[ -z "${KAFKA_BROKERS:-}" && -f "$STACK_DIR/env" ]]; then
  load_env_file "$STACK_DIR/env"
fi
exec node "$skip" "$@"
