# shellcheck shell=bash
# Command-line handling shared by the npm scripts and the stack scripts. Sourced first, before
# lib.sh, so that --help and a bad argument are answered before anything touches the stack.
#
# A script's usage is its header comment: the lines after the shebang up to the first line that is
# not a comment, without their "# ".

CLI_SCRIPT="$(realpath "${BASH_SOURCE[1]}")"

cli_usage() {
  awk 'NR == 1 { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' "$CLI_SCRIPT"
}

# cli_wants_help ARGS...: true when -h or --help is among them.
cli_wants_help() {
  local arg
  for arg in "$@"; do
    [[ "$arg" == -h || "$arg" == --help ]] && return 0
  done
  return 1
}

# cli_reject MESSAGE: the message and the usage on stderr, exit 2.
cli_reject() {
  printf '%s: %s\n' "$(basename "$CLI_SCRIPT")" "$1" >&2
  cli_usage >&2
  exit 2
}

# cli_no_arguments ARGS...: for scripts that take none: --help prints the usage (exit 0), anything
# else is refused (exit 2).
cli_no_arguments() {
  if cli_wants_help "$@"; then
    cli_usage
    exit 0
  fi
  (($# == 0)) || cli_reject "unexpected argument: $1"
}
