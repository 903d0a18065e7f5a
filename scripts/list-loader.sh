# shellcheck shell=bash
# What lists-load.sh and lists-update.sh share, sourced after cli.sh:
#
#   run_list_loader NAME [COMMAND] -- ARGS...
#
# answers --help with the calling script's usage and then the loader's own options, builds the
# list-loader when its output is missing or stale, takes the local stack's REDIS_URL (and
# KAFKA_BROKERS, when unset) when REDIS_URL is unset and the stack is up ($STACK_DIR/env
# exists), and runs `node dist/apps/list-loader/main.js [COMMAND] ARGS...` in its place.

run_list_loader() {
  local name="$1"
  shift
  local command=()
  while (($# > 0)) && [[ "$1" != -- ]]; do
    command+=("$1")
    shift
  done
  shift
  local loader
  if cli_wants_help "$@"; then
    cli_usage
    loader="$(dirname "$CLI_SCRIPT")/../dist/apps/list-loader/main.js"
    if [[ -f "$loader" ]]; then
      printf '\n'
      node "$loader" "${command[@]}" --help
    else
      printf '\nThe options are listed once the list-loader is built (npm run build).\n'
    fi
    exit 0
  fi
  # shellcheck source=scripts/stack/lib.sh
  source "$(dirname "${BASH_SOURCE[0]}")/stack/lib.sh"
  loader="$REPO_ROOT/dist/apps/list-loader/main.js"
  if needs_build "$loader"; then
    say "$name: building the list-loader"
    (cd "$REPO_ROOT" && npx nest build list-loader)
  fi
  if [[ -z "${REDIS_URL:-}" && -f "$STACK_DIR/env" ]]; then
    load_env_file "$STACK_DIR/env"
  fi
  exec node "$loader" "${command[@]}" "$@"
}
