# shellcheck shell=bash
# What replay.sh and skip.sh share, sourced after cli.sh:
#
#   run_built_tool APP FLAGS -- ARGS...
#
# answers --help with the tool's own usage (or the calling script's, before it is built), refuses
# a flag not in FLAGS (space-separated, e.g. "--topic --from") before the stack directory is looked
# at, builds dist/apps/APP when its output is missing or stale, takes the local stack's settings
# ($STACK_DIR/env) for whichever of REDIS_URL and KAFKA_BROKERS is unset, and runs
# `node dist/apps/APP/main.js ARGS...` in its place.

run_built_tool() {
  local app="$1" flags=" $2 "
  shift 3
  local tool
  if cli_wants_help "$@"; then
    tool="$(dirname "$CLI_SCRIPT")/../dist/apps/$app/main.js"
    if [[ -f "$tool" ]]; then
      node "$tool" --help
    else
      cli_usage
      printf '\nThe options are listed once it is built (npm run build).\n'
    fi
    exit 0
  fi
  local arg
  for arg in "$@"; do
    [[ "$arg" == --* ]] || continue
    [[ "$flags" == *" ${arg%%=*} "* ]] ||
      cli_reject "unknown option ${arg%%=*} (npm run $app -- --help lists them)"
  done
  # shellcheck source=scripts/stack/lib.sh
  source "$(dirname "${BASH_SOURCE[0]}")/stack/lib.sh"
  tool="$REPO_ROOT/dist/apps/$app/main.js"
  if needs_build "$tool"; then
    warn "$app: building the $app tool"
    (cd "$REPO_ROOT" && npx nest build "$app") >&2
  fi
  if [[ (-z "${REDIS_URL:-}" || -z "${KAFKA_BROKERS:-}") && -f "$STACK_DIR/env" ]]; then
    load_env_file "$STACK_DIR/env"
  fi
  exec node "$tool" "$@"
}
