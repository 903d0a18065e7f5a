#!/usr/bin/env bash
# A local Redis Cluster of three masters (no replicas), as a deployment that outgrew one Redis.
#
#   scripts/stack/redis-cluster.sh start|stop|status
#
# start  Starts three redis-server processes with cluster-enabled yes on 127.0.0.1, on the first
#        three free ports from REDIS_CLUSTER_PORT_BASE (default 7000; each node also needs its bus
#        port, +10000), joins them with redis-cli --cluster create, and waits for cluster_state:ok.
#        No persistence; state and logs in $STACK_DIR/redis-cluster. Writes
#        $STACK_DIR/redis-cluster.env: STACK_REDIS_CLUSTER_URL (one node: the client finds the
#        others) and STACK_REDIS_CLUSTER_NODES. Idempotent: a running cluster is reused.
# stop   Stops the nodes this STACK_DIR started; never any other Redis (the shared one on 6379
#        is not touched by this script at all).
# status Says whether the cluster answers; exit 0 if it does, 3 if not.
#
# npm run stack:cluster:up / stack:cluster:down run start / stop.
set -euo pipefail
# shellcheck source=scripts/cli.sh
source "$(dirname "${BASH_SOURCE[0]}")/../cli.sh"
case "${1:-}" in
  start | stop | status) (($# == 1)) || cli_reject "unexpected argument: $2" ;;
  -h | --help | help)
    cli_usage
    exit 0
    ;;
  *) cli_reject "unknown command '${1:-}' (start, stop or status)" ;;
esac
# shellcheck source=scripts/stack/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

readonly LOCK_FD_REDIS_CLUSTER=5 MASTERS=3
PORT_BASE="${REDIS_CLUSTER_PORT_BASE:-7000}"
CDIR="$STACK_DIR/redis-cluster"
ENVFILE="$STACK_DIR/redis-cluster.env"

# The ports of the running cluster, from its env file.
ports() {
  sed -n 's/^STACK_REDIS_CLUSTER_NODES=//p' "$ENVFILE" 2>/dev/null | tr ',' '\n' | sed 's/^.*://'
}

# node_pid PORT: the pid of our node on PORT (its title is "redis-server 127.0.0.1:PORT [cluster]").
node_pid() {
  local pid
  pid="$(read_pid "$CDIR/$1/pid")" || return 1
  pid_matches "$pid" redis-server ":$1" && printf '%s\n' "$pid"
}

cluster_ok() {
  [[ "$(timeout 3 redis-cli -p "$1" cluster info 2>/dev/null | tr -d '\r' | sed -n 's/^cluster_state://p')" == ok ]]
}

# running: every node of the env file is ours, alive, and sees the cluster as ok.
running() {
  local port count=0
  [[ -f "$ENVFILE" ]] || return 1
  for port in $(ports); do
    node_pid "$port" >/dev/null && cluster_ok "$port" || return 1
    count=$((count + 1))
  done
  ((count == MASTERS))
}

stop_nodes() {
  local dir pid port
  for dir in "$CDIR"/*/; do
    [[ -d "$dir" ]] || continue
    port="$(basename "$dir")"
    if pid="$(node_pid "$port")"; then
      stop_pid "$pid" "redis-cluster node $port" 10
      info "redis-cluster: stopped the node on port $port (pid $pid)"
    fi
  done
  rm -rf "$CDIR" "$ENVFILE"
}

# free_ports: the first MASTERS ports from PORT_BASE whose client and bus ports are both free.
free_ports() {
  local port="$PORT_BASE" found=()
  while ((${#found[@]} < MASTERS)); do
    ((port < PORT_BASE + 100)) || die "no ${MASTERS} free ports (and bus ports +10000) in $PORT_BASE..$((PORT_BASE + 99))"
    if ! port_open 127.0.0.1 "$port" && ! port_open 127.0.0.1 $((port + 10000)); then
      found+=("$port")
    fi
    port=$((port + 1))
  done
  printf '%s\n' "${found[@]}"
}

cmd_start() {
  if running; then
    info "redis-cluster: already running at $(sed -n 's/^STACK_REDIS_CLUSTER_NODES=//p' "$ENVFILE")"
    return 0
  fi
  command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1 ||
    die "redis-server and redis-cli are needed for a local cluster: sudo apt-get install -y redis-server"
  # A half-started or broken cluster of ours is thrown away: its data is test data.
  stop_nodes
  local port pid nodes=()
  mkdir -p "$CDIR"
  for port in $(free_ports); do
    mkdir -p "$CDIR/$port"
    # Persistence off as for the single Redis; nodes.conf is the cluster's own bookkeeping.
    setsid redis-server --bind 127.0.0.1 --port "$port" --dir "$CDIR/$port" \
      --cluster-enabled yes --cluster-config-file nodes.conf --cluster-node-timeout 5000 \
      --save '' --appendonly no --daemonize no --logfile '' \
      </dev/null >"$CDIR/$port/redis.log" 2>&1 5>&- 6>&- 7>&- 8>&- 9>&- &
    pid=$!
    printf '%s\n' "$pid" >"$CDIR/$port/pid"
    nodes+=("127.0.0.1:$port")
  done
  local deadline=$((SECONDS + ${REDIS_START_TIMEOUT:-15}))
  for port in "${nodes[@]##*:}"; do
    until [[ "$(timeout 3 redis-cli -p "$port" ping 2>/dev/null)" == PONG ]]; do
      # kill -0, not node_pid: the title says redis-server only once exec has happened.
      if ! kill -0 "$(read_pid "$CDIR/$port/pid")" 2>/dev/null || ((SECONDS >= deadline)); then
        tail_log "$CDIR/$port/redis.log"
        stop_nodes
        die "the cluster node on port $port did not answer"
      fi
      sleep 0.1
    done
  done
  if ! timeout 30 redis-cli --cluster create "${nodes[@]}" --cluster-replicas 0 --cluster-yes \
    >"$CDIR/create.log" 2>&1; then
    tail_log "$CDIR/create.log"
    stop_nodes
    die "redis-cli --cluster create failed"
  fi
  deadline=$((SECONDS + 30))
  for port in "${nodes[@]##*:}"; do
    until cluster_ok "$port"; do
      if ((SECONDS >= deadline)); then
        stop_nodes
        die "the cluster did not reach cluster_state:ok within 30 s"
      fi
      sleep 0.2
    done
  done
  local joined
  joined="$(IFS=,; printf '%s' "${nodes[*]}")"
  printf '%s\n' \
    "STACK_REDIS_CLUSTER_URL=redis://${nodes[0]}" \
    "STACK_REDIS_CLUSTER_NODES=$joined" >"$ENVFILE"
  say "redis-cluster: started ${MASTERS} masters at $joined; env $ENVFILE"
}

case "$1" in
  start)
    take_lock "$LOCK_FD_REDIS_CLUSTER" redis-cluster
    cmd_start
    ;;
  stop)
    take_lock "$LOCK_FD_REDIS_CLUSTER" redis-cluster
    stop_nodes
    info "redis-cluster: stopped (STACK_DIR=$STACK_DIR)"
    ;;
  status)
    if running; then
      say "redis-cluster: running at $(sed -n 's/^STACK_REDIS_CLUSTER_NODES=//p' "$ENVFILE")"
    else
      say "redis-cluster: not running (STACK_DIR=$STACK_DIR)"
      exit 3
    fi
    ;;
esac
