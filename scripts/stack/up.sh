#!/usr/bin/env bash
# Bring up the local stack (Kafka + Redis) and write $STACK_DIR/env for everything that uses it.
#
#   bash scripts/stack/up.sh          (npm run stack:up)
#
# Idempotent and cheap when the stack is already up (about a second, no download). Writes
# $STACK_DIR/env, sourceable by bash and read by test/support/global-setup.ts:
#   KAFKA_BROKERS=127.0.0.1:<KAFKA_PORT>
#   REDIS_URL=redis://...
#   STACK_SASL_SSL_BROKERS, STACK_SASL_SSL_CA_FILE, STACK_SASL_SSL_USERNAME,
#   STACK_SASL_SSL_PASSWORD_FILE   the broker's SASL_SSL listener (see kafka.sh), when it has one
#
# Environment: STACK_DIR, KAFKA_PORT, KAFKA_CONTROLLER_PORT, SEKIMORI_CACHE, REDIS_URL, REDIS_PORT_BASE
# (see kafka.sh and redis.sh), and
#   STACK_QUIET=1          print only what changed
#   STACK_STARTED_FILE     if set, a file to which "kafka" / "redis" is appended for each service this
#                          run started, so that a caller can stop exactly those (scripts/test.sh does).
#
# A Kafka already answering on 127.0.0.1:$KAFKA_PORT that this STACK_DIR did not start (another
# checkout's stack, say) is used as it is, as is a Redis answering at REDIS_URL.
set -euo pipefail
# shellcheck source=scripts/cli.sh
source "$(dirname "${BASH_SOURCE[0]}")/../cli.sh"
cli_no_arguments "$@"
# shellcheck source=scripts/stack/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

KAFKA_PORT="${KAFKA_PORT:-9092}"
export KAFKA_PORT
KAFKA_BROKERS_LOCAL="127.0.0.1:$KAFKA_PORT"
started=$SECONDS

take_lock "$LOCK_FD_UP" up

# The pid in a pid file if that process is alive; how up.sh tells "it started one" from "one was there".
live_pid() {
  local pid
  pid="$(read_pid "$1")" && kill -0 "$pid" 2>/dev/null && printf '%s\n' "$pid"
}

note_started() {
  [[ -n "${STACK_STARTED_FILE:-}" ]] && printf '%s\n' "$1" >>"$STACK_STARTED_FILE"
  return 0
}

kafka_before="$(live_pid "$STACK_DIR/kafka.pid" || true)"
if [[ -z "$kafka_before" ]] && port_open 127.0.0.1 "$KAFKA_PORT" && node_module_available kafkajs &&
  node "$STACK_SCRIPTS/kafka-ready.js" "$KAFKA_BROKERS_LOCAL" 5000 >/dev/null 2>&1; then
  info "kafka: using the broker that answers at $KAFKA_BROKERS_LOCAL (not started from STACK_DIR=$STACK_DIR)"
else
  bash "$STACK_SCRIPTS/kafka.sh" start
  kafka_after="$(live_pid "$STACK_DIR/kafka.pid" || true)"
  [[ -n "$kafka_after" && "$kafka_after" != "$kafka_before" ]] && note_started kafka
fi

redis_before="$(live_pid "$STACK_DIR/redis.pid" || true)"
bash "$STACK_SCRIPTS/redis.sh" start
redis_after="$(live_pid "$STACK_DIR/redis.pid" || true)"
[[ -n "$redis_after" && "$redis_after" != "$redis_before" ]] && note_started redis
redis_url="$(<"$STACK_DIR/redis.url")"

env_file="$STACK_DIR/env"
new_env="$(printf 'KAFKA_BROKERS=%s\nREDIS_URL=%s\n' "$KAFKA_BROKERS_LOCAL" "$redis_url")"
# A broker started before kafka.sh had a SASL_SSL listener, or not by this STACK_DIR, has none to offer.
sasl_ssl_env="$STACK_DIR/kafka/sasl-ssl.env"
if [[ -s "$sasl_ssl_env" ]]; then
  sasl_ssl_port="$(sed -n 's/^STACK_SASL_SSL_BROKERS=.*:\([0-9]*\)$/\1/p' "$sasl_ssl_env")"
  if [[ -n "$sasl_ssl_port" ]] && port_open 127.0.0.1 "$sasl_ssl_port"; then
    new_env="$new_env"$'\n'"$(<"$sasl_ssl_env")"
  fi
fi
if [[ ! -f "$env_file" || "$(<"$env_file")" != "$new_env" ]]; then
  printf '%s\n' "$new_env" >"$env_file.tmp"
  mv -f "$env_file.tmp" "$env_file"
  say "stack: wrote $env_file"
fi
info "stack: up in $((SECONDS - started))s: KAFKA_BROKERS=$KAFKA_BROKERS_LOCAL REDIS_URL=$redis_url"
info "       use it with: set -a; . $env_file; set +a"
