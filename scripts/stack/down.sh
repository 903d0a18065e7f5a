#!/usr/bin/env bash
# Stop what the stack scripts started for this STACK_DIR, and remove $STACK_DIR/env.
#
#   bash scripts/stack/down.sh        (npm run stack:down)
#
# Idempotent. A Kafka or Redis the scripts found already running (say the system Redis on 6379) is left
# alone: only processes recorded in $STACK_DIR/kafka.pid and $STACK_DIR/redis.pid are stopped. Data in
# $STACK_DIR/kafka/data is kept; `scripts/stack/kafka.sh reset` throws it away.
# Environment: STACK_DIR, KAFKA_PORT, KAFKA_CONTROLLER_PORT (as for up.sh).
set -euo pipefail
# shellcheck source=scripts/cli.sh
source "$(dirname "${BASH_SOURCE[0]}")/../cli.sh"
cli_no_arguments "$@"
# shellcheck source=scripts/stack/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

take_lock "$LOCK_FD_UP" up
# The env file goes first: while the services stop, nothing should pick it up as a live stack.
rm -f "$STACK_DIR/env"
bash "$STACK_SCRIPTS/kafka.sh" stop
bash "$STACK_SCRIPTS/redis.sh" stop
bash "$STACK_SCRIPTS/redis-tls.sh" stop
bash "$STACK_SCRIPTS/redis-cluster.sh" stop
say "stack: down (STACK_DIR=$STACK_DIR)"
