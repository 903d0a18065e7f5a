#!/usr/bin/env bash
# Make sure a Redis answers for development and tests; start a private one only when none does.
#
#   scripts/stack/redis.sh start|stop|status|url
#
# start  If REDIS_URL (default redis://127.0.0.1:6379) answers, use it. Otherwise start redis-server on
#        127.0.0.1, first free port from REDIS_PORT_BASE (default 6380), no persistence, state in
#        $STACK_DIR/redis, log $STACK_DIR/redis.log. Writes the URL in use to $STACK_DIR/redis.url.
# stop   Stops the Redis this script started (pid file $STACK_DIR/redis.pid); never any other.
# status Says which Redis is in use; exit 0 if it answers, 3 if none does.
# url    Prints the URL in use; exit 1 if none answers.
#
# A REDIS_URL set by the caller wins over a private Redis that is already running; the default does not,
# so that once a private Redis was started the stack keeps using it.
set -euo pipefail
# shellcheck source=scripts/cli.sh
source "$(dirname "${BASH_SOURCE[0]}")/../cli.sh"
case "${1:-}" in
  start | stop | status | url) (($# == 1)) || cli_reject "unexpected argument: $2" ;;
  -h | --help | help)
    cli_usage
    exit 0
    ;;
  *) cli_reject "unknown command '${1:-}' (start, stop, status or url)" ;;
esac
# shellcheck source=scripts/stack/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

readonly DEFAULT_REDIS_URL=redis://127.0.0.1:6379
EXPLICIT_URL="${REDIS_URL:-}"
WANTED_URL="${REDIS_URL:-$DEFAULT_REDIS_URL}"
PORT_BASE="${REDIS_PORT_BASE:-6380}"
PIDFILE="$STACK_DIR/redis.pid"
URLFILE="$STACK_DIR/redis.url"
LOG="$STACK_DIR/redis.log"
RDIR="$STACK_DIR/redis"

# redis_answers URL: a PING gets PONG (or NOAUTH: a Redis is there, the URL's password is for the app).
redis_answers() {
  local url="$1"
  if command -v redis-cli >/dev/null 2>&1; then
    local reply
    reply="$(timeout 3 redis-cli -u "$url" --no-auth-warning ping 2>&1)" || true
    [[ "$reply" == PONG* || "$reply" == *NOAUTH* ]]
    return
  fi
  # No redis-cli: speak the inline protocol over bash's /dev/tcp. Handles redis://host:port only.
  [[ "$url" =~ ^redis://([^@/]*@)?([^:/@]+)(:([0-9]+))?(/[0-9]*)?$ ]] || return 1
  local host="${BASH_REMATCH[2]}" port="${BASH_REMATCH[4]:-6379}"
  timeout 3 bash -c '
    exec 3<>"/dev/tcp/$0/$1" || exit 1
    printf "PING\r\n" >&3
    IFS= read -r line <&3
    [[ "$line" == +PONG* || "$line" == *NOAUTH* ]]' "$host" "$port" 2>/dev/null
}

# Redis rewrites its process title to "redis-server 127.0.0.1:<port>", so the port recorded in the URL
# file (not the STACK_DIR) is what identifies ours.
ours_pid() {
  local pid url
  pid="$(read_pid "$PIDFILE")" || return 1
  [[ -f "$URLFILE" ]] || return 1
  url="$(<"$URLFILE")"
  pid_matches "$pid" redis-server ":${url##*:}" && printf '%s\n' "$pid"
}

# The URL in use, by the precedence described at the top; fails if nothing answers.
effective_url() {
  if [[ -n "$EXPLICIT_URL" ]] && redis_answers "$EXPLICIT_URL"; then
    printf '%s\n' "$EXPLICIT_URL"
  elif ours_pid >/dev/null && redis_answers "$(<"$URLFILE")"; then
    cat "$URLFILE"
  elif redis_answers "$WANTED_URL"; then
    printf '%s\n' "$WANTED_URL"
  else
    return 1
  fi
}

cmd_start() {
  local url pid
  if url="$(effective_url)"; then
    if pid="$(ours_pid)" && [[ "$url" == "$(<"$URLFILE")" ]]; then
      info "redis: already running (pid $pid) at $url"
    else
      info "redis: using the Redis that answers at $url"
      printf '%s\n' "$url" >"$URLFILE"
    fi
    return 0
  fi
  command -v redis-server >/dev/null 2>&1 ||
    die "no Redis answers at $WANTED_URL and redis-server is not installed: sudo apt-get install -y redis-server (or point REDIS_URL at a Redis)"
  # A stale pid file of ours whose process no longer answers.
  if pid="$(ours_pid)"; then
    stop_pid "$pid" redis 10
  fi
  rm -f "$PIDFILE"

  local port="$PORT_BASE"
  while port_open 127.0.0.1 "$port"; do
    port=$((port + 1))
    ((port < PORT_BASE + 50)) || die "no free port in $PORT_BASE..$((PORT_BASE + 49)) for a private Redis"
  done
  url="redis://127.0.0.1:$port"
  mkdir -p "$RDIR"
  [[ -s "$LOG" ]] && mv -f "$LOG" "$LOG.1"
  # Persistence off: test data is disposable, and fsyncs would only slow the tests.
  # setsid and closed fds for the same reasons as the Kafka broker (see kafka.sh).
  setsid redis-server --bind 127.0.0.1 --port "$port" --dir "$RDIR" \
    --save '' --appendonly no --daemonize no --logfile '' \
    </dev/null >"$LOG" 2>&1 6>&- 7>&- 8>&- 9>&- &
  pid=$!
  printf '%s\n' "$pid" >"$PIDFILE"
  printf '%s\n' "$url" >"$URLFILE"

  local deadline=$((SECONDS + ${REDIS_START_TIMEOUT:-15}))
  until redis_answers "$url"; do
    if ! kill -0 "$pid" 2>/dev/null || ((SECONDS >= deadline)); then
      kill -KILL "$pid" 2>/dev/null || true
      tail_log "$LOG"
      rm -f "$PIDFILE" "$URLFILE"
      die "the private redis-server on port $port did not answer; full log: $LOG"
    fi
    sleep 0.1
  done
  say "redis: nothing answered at $WANTED_URL; started redis-server (pid $pid) at $url; log $LOG"
}

cmd_stop() {
  local pid url
  if pid="$(ours_pid)"; then
    url="$(<"$URLFILE")"
    stop_pid "$pid" redis 10
    rm -f "$PIDFILE" "$URLFILE"
    say "redis: stopped the private redis-server (pid $pid) at $url"
  else
    rm -f "$PIDFILE" "$URLFILE"
    info "redis: nothing of ours to stop (a Redis this script did not start is left alone)"
  fi
}

cmd_status() {
  local url pid
  if ! url="$(effective_url)"; then
    say "redis: none answers at $WANTED_URL"
    return 3
  fi
  if pid="$(ours_pid)" && [[ "$url" == "$(<"$URLFILE")" ]]; then
    say "redis: private redis-server (pid $pid) at $url, answering"
  else
    say "redis: $url answering (not started by the stack scripts)"
  fi
}

case "${1:-}" in
  start)
    take_lock "$LOCK_FD_REDIS" redis
    cmd_start
    ;;
  stop)
    take_lock "$LOCK_FD_REDIS" redis
    cmd_stop
    ;;
  status) cmd_status ;;
  url) effective_url ;;
esac
