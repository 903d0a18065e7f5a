#!/usr/bin/env bash
# A private Redis that speaks only TLS and knows only ACL users, as an exchange's Redis would.
#
#   scripts/stack/redis-tls.sh start|stop|status
#
# start  Starts redis-server on 127.0.0.1, first free port from REDIS_TLS_PORT_BASE (default 6390),
#        plain port closed (--port 0), certificates from tls.sh, the ACL file below. Writes
#        $STACK_DIR/redis-tls.env with STACK_REDIS_TLS_URL, _CA_FILE, _USERNAME, _PASSWORD_FILE.
# stop   Stops the one this STACK_DIR started; never any other.
#
# Users (the ACL is documented in docs/operations.md):
#   default   off: no anonymous access
#   sekimori  what the screener and the list loader need, on keys and channels starting {sekimori
#   admin     everything; for operators and test clean-up, never for the services
set -euo pipefail
# shellcheck source=scripts/stack/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

readonly LOCK_FD_REDIS_TLS=6
PORT_BASE="${REDIS_TLS_PORT_BASE:-6390}"
RDIR="$STACK_DIR/redis-tls"
PIDFILE="$STACK_DIR/redis-tls.pid"
ENVFILE="$STACK_DIR/redis-tls.env"
LOG="$STACK_DIR/redis-tls.log"

# The service user's commands: what the stores send, and what their Lua scripts call (Redis
# checks a script's calls against the caller's ACL too). `info` is ioredis's ready check.
readonly SEKIMORI_COMMANDS='+ping +hello +auth +quit +select +info +client|setname +client|getname
+evalsha +eval +script|load +get +mget +set +del +scan +exists
+hget +hmget +hset +hsetnx +hdel +hexists +hgetall +hkeys +hlen +hvals +hscan +hincrby +sadd +srem +smembers +scard
+sismember +zadd +zrem +zrange +zrevrange +zrangebyscore +zcard +incr +pexpire +pexpireat +pexpiretime +pttl +publish +multi +exec'

digest() { printf '%s' "$(<"$RDIR/$1.password")" | sha256sum | cut -d' ' -f1; }

port_of() { sed -n 's/^STACK_REDIS_TLS_URL=rediss:\/\/127.0.0.1:\([0-9]*\)$/\1/p' "$ENVFILE" 2>/dev/null; }

ours_pid() {
  local pid port
  pid="$(read_pid "$PIDFILE")" || return 1
  port="$(port_of)" && [[ -n "$port" ]] || return 1
  pid_matches "$pid" redis-server ":$port" && printf '%s\n' "$pid"
}

write_acl() {
  (
    umask 077
    printf 'user default off\n'
    # '#<sha256>': the file holds the passwords' digests, not the passwords.
    printf 'user sekimori on #%s resetkeys ~{sekimori* resetchannels &{sekimori* -@all %s\n' \
      "$(digest sekimori)" "$(tr '\n' ' ' <<<"$SEKIMORI_COMMANDS")"
    printf 'user admin on #%s ~* &* +@all\n' "$(digest admin)"
  ) >"$RDIR/users.acl"
}

answers() {
  timeout 3 redis-cli --tls --cacert "$RDIR/tls/ca.pem" -h 127.0.0.1 -p "$1" \
    --user sekimori --pass "$(<"$RDIR/sekimori.password")" --no-auth-warning ping 2>/dev/null | grep -q PONG
}

cmd_start() {
  local pid port
  if pid="$(ours_pid)" && answers "$(port_of)"; then
    # The ACL of this script, also for a server an older one started (ACL LOAD: a new command
    # granted, such as hscan, applies at once; connections stay up).
    write_acl
    timeout 3 redis-cli --tls --cacert "$RDIR/tls/ca.pem" -h 127.0.0.1 -p "$(port_of)" \
      --user admin --pass "$(<"$RDIR/admin.password")" --no-auth-warning acl load 2>&1 |
      grep -qx OK || die "redis-tls: could not reload the ACL of the running server (pid $pid)"
    info "redis-tls: already running (pid $pid) at rediss://127.0.0.1:$(port_of)"
    return 0
  fi
  [[ -n "${pid:-}" ]] && stop_pid "$pid" redis-tls 10
  command -v redis-server >/dev/null 2>&1 || die "redis-server is not installed: sudo apt-get install -y redis-server"
  mkdir -p "$RDIR"
  bash "$STACK_SCRIPTS/tls.sh" "$RDIR/tls" >/dev/null
  local user
  for user in sekimori admin; do
    [[ -s "$RDIR/$user.password" ]] || (umask 077 && openssl rand -hex 16 >"$RDIR/$user.password")
  done
  write_acl

  port="$PORT_BASE"
  while port_open 127.0.0.1 "$port"; do
    port=$((port + 1))
    ((port < PORT_BASE + 50)) || die "no free port in $PORT_BASE..$((PORT_BASE + 49)) for a TLS Redis"
  done
  [[ -s "$LOG" ]] && mv -f "$LOG" "$LOG.1"
  setsid redis-server --bind 127.0.0.1 --port 0 --tls-port "$port" \
    --tls-cert-file "$RDIR/tls/server.pem" --tls-key-file "$RDIR/tls/server.key" \
    --tls-ca-cert-file "$RDIR/tls/ca.pem" --tls-auth-clients optional \
    --aclfile "$RDIR/users.acl" --dir "$RDIR" --save '' --appendonly no --daemonize no --logfile '' \
    </dev/null >"$LOG" 2>&1 6>&- 7>&- 8>&- 9>&- &
  pid=$!
  printf '%s\n' "$pid" >"$PIDFILE"
  printf '%s\n' \
    "STACK_REDIS_TLS_URL=rediss://127.0.0.1:$port" \
    "STACK_REDIS_TLS_CA_FILE=$RDIR/tls/ca.pem" \
    "STACK_REDIS_TLS_USERNAME=sekimori" \
    "STACK_REDIS_TLS_PASSWORD_FILE=$RDIR/sekimori.password" \
    "STACK_REDIS_TLS_ADMIN_PASSWORD_FILE=$RDIR/admin.password" >"$ENVFILE"
  local deadline=$((SECONDS + ${REDIS_START_TIMEOUT:-15}))
  until answers "$port"; do
    if ! kill -0 "$pid" 2>/dev/null || ((SECONDS >= deadline)); then
      kill -KILL "$pid" 2>/dev/null || true
      tail_log "$LOG"
      rm -f "$PIDFILE" "$ENVFILE"
      die "the TLS redis-server on port $port did not answer; full log: $LOG"
    fi
    sleep 0.1
  done
  say "redis-tls: started redis-server (pid $pid) at rediss://127.0.0.1:$port; env $ENVFILE"
}

cmd_stop() {
  local pid
  if pid="$(ours_pid)"; then
    stop_pid "$pid" redis-tls 10
    say "redis-tls: stopped (pid $pid)"
  else
    info "redis-tls: not running (STACK_DIR=$STACK_DIR)"
  fi
  rm -f "$PIDFILE" "$ENVFILE"
}

case "${1:-}" in
  start)
    take_lock "$LOCK_FD_REDIS_TLS" redis-tls
    cmd_start
    ;;
  stop)
    take_lock "$LOCK_FD_REDIS_TLS" redis-tls
    cmd_stop
    ;;
  status)
    if pid="$(ours_pid)" && answers "$(port_of)"; then
      say "redis-tls: running (pid $pid) at rediss://127.0.0.1:$(port_of)"
    else
      say "redis-tls: not running (STACK_DIR=$STACK_DIR)"
      exit 3
    fi
    ;;
  *)
    warn "usage: $0 start|stop|status"
    exit 64
    ;;
esac
