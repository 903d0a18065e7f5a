#!/usr/bin/env bash
# Single-node Kafka 4.1.1 (KRaft, broker+controller in one JVM) for development and tests.
#
#   scripts/stack/kafka.sh start|stop|status|restart|reset
#
# Environment (all optional):
#   STACK_DIR              state dir: config, data, pid, log           (default <repo>/.stack)
#   KAFKA_PORT             client listener on 127.0.0.1                (default 9092)
#   KAFKA_CONTROLLER_PORT  KRaft controller listener on 127.0.0.1      (default 9093)
#   KAFKA_SASL_SSL_PORT    SASL_SSL listener on 127.0.0.1, or off      (default KAFKA_PORT + 2: 9094)
#   SEKIMORI_CACHE         where the broker jars are cached            (default ~/.cache/sekimori)
#   KAFKA_HEAP_OPTS        JVM heap flags                              (default -Xms256m -Xmx768m)
#   KAFKA_JVM_OPTS         other JVM flags                             (default: G1, short pauses)
#   KAFKA_START_TIMEOUT    seconds to wait for the broker to answer    (default 90)
#   KAFKA_STOP_TIMEOUT     seconds between SIGTERM and SIGKILL         (default 30)
#
# Files: $STACK_DIR/kafka.pid, $STACK_DIR/kafka.log (previous run: kafka.log.1),
#        $STACK_DIR/kafka/server.properties, $STACK_DIR/kafka/data,
#        $STACK_DIR/kafka/tls (CA and broker certificate, made by tls.sh),
#        $STACK_DIR/kafka/sasl.password (the SASL user's password), $STACK_DIR/kafka/sasl-ssl.env.
#
# Besides PLAINTEXT, the broker has a SASL_SSL listener (TLS with the local CA; SCRAM-SHA-256,
# SCRAM-SHA-512 and PLAIN for the user "sekimori"), so that the secured path is tested on the same
# broker; sasl-ssl.env holds the STACK_SASL_SSL_* variables that point a client at it.
# Exit status: 0 success / running; 1 failure; 3 `status` of a broker that is not running.
set -euo pipefail
# shellcheck source=scripts/cli.sh
source "$(dirname "${BASH_SOURCE[0]}")/../cli.sh"
case "${1:-}" in
  start | stop | status | restart | reset) (($# == 1)) || cli_reject "unexpected argument: $2" ;;
  -h | --help | help)
    cli_usage
    exit 0
    ;;
  *) cli_reject "unknown command '${1:-}' (start, stop, status, restart or reset)" ;;
esac
# shellcheck source=scripts/stack/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

readonly KAFKA_VERSION=4.1.1
readonly KAFKA_HOST=127.0.0.1
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
# Derived from KAFKA_PORT so that a second broker (another STACK_DIR and KAFKA_PORT) does not
# collide with the main one's secured listener; `off` for a broker without it.
KAFKA_SASL_SSL_PORT="${KAFKA_SASL_SSL_PORT:-$((${KAFKA_PORT:-9092} + 2))}"
CACHE_ROOT="${SEKIMORI_CACHE:-$HOME/.cache/sekimori}"
KAFKA_HOME="$CACHE_ROOT/kafka-$KAFKA_VERSION"
LIBS="$KAFKA_HOME/libs"
MANIFEST_NAME=.sekimori-manifest
POM="$STACK_SCRIPTS/kafka/pom.xml"
LOG4J_CONFIG="$STACK_SCRIPTS/kafka/log4j2.properties"
KDIR="$STACK_DIR/kafka"
PROPS="$KDIR/server.properties"
DATA="$KDIR/data"
TLS_DIR="$KDIR/tls"
SASL_USER=sekimori
SASL_PASSWORD_FILE="$KDIR/sasl.password"
SASL_SSL_ENV="$KDIR/sasl-ssl.env"
PIDFILE="$STACK_DIR/kafka.pid"
LOG="$STACK_DIR/kafka.log"
START_TIMEOUT="${KAFKA_START_TIMEOUT:-90}"
STOP_TIMEOUT="${KAFKA_STOP_TIMEOUT:-30}"
BROKERS="$KAFKA_HOST:$KAFKA_PORT"

PORTS=("$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT")
[[ "$KAFKA_SASL_SSL_PORT" == off ]] || PORTS+=("$KAFKA_SASL_SSL_PORT")
for port in "${PORTS[@]}"; do
  [[ "$port" =~ ^[0-9]+$ ]] || die "KAFKA_PORT, KAFKA_CONTROLLER_PORT and KAFKA_SASL_SSL_PORT must be port numbers (got '$port')"
done
[[ "$(printf '%s\n' "${PORTS[@]}" | sort -u | wc -l)" == "${#PORTS[@]}" ]] ||
  die "KAFKA_PORT, KAFKA_CONTROLLER_PORT and KAFKA_SASL_SSL_PORT must differ"
sasl_ssl_on() { [[ "$KAFKA_SASL_SSL_PORT" != off ]]; }

# The broker's command line carries the config path, which is unique per STACK_DIR; matching on it
# means a broker of another STACK_DIR (an isolated test broker) is never taken for ours.
running_pid() {
  local pid
  pid="$(read_pid "$PIDFILE")" || return 1
  pid_matches "$pid" kafka.Kafka "$PROPS" && printf '%s\n' "$pid"
}

require_java() {
  command -v java >/dev/null 2>&1 ||
    die "java not found. Kafka $KAFKA_VERSION needs Java 17 or newer: sudo apt-get install -y openjdk-17-jre-headless"
  local version major
  version="$(java -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n 1)"
  major="${version%%.*}"
  [[ "$major" == 1 ]] && major="$(cut -d. -f2 <<<"$version")" # "1.8.0_x" is Java 8
  [[ "$major" =~ ^[0-9]+$ && "$major" -ge 17 ]] ||
    die "java $version found; Kafka $KAFKA_VERSION needs Java 17 or newer: sudo apt-get install -y openjdk-17-jre-headless"
}

require_maven() {
  command -v mvn >/dev/null 2>&1 ||
    die "mvn not found; it is needed once, to fetch the Kafka jars into $LIBS: sudo apt-get install -y maven"
}

pom_checksum() { sha256sum "$POM" | cut -d' ' -f1; }

# The cache is complete when its manifest (written last, after every jar was copied) names the current
# pom and every jar it lists is present with the recorded size. An interrupted download never gets a
# manifest, and a pom change (new version) invalidates the old one.
cache_complete() {
  local manifest="$LIBS/$MANIFEST_NAME" first size name
  [[ -f "$manifest" ]] || return 1
  read -r first <"$manifest" || return 1
  [[ "$first" == "pom-sha256 $(pom_checksum)" ]] || return 1
  while read -r size name; do
    [[ -f "$LIBS/$name" && "$(stat -c %s "$LIBS/$name")" == "$size" ]] || return 1
  done < <(tail -n +2 "$manifest")
  ls "$LIBS"/kafka_2.13-"$KAFKA_VERSION".jar >/dev/null 2>&1
}

# For the progress line while Maven downloads: how much its local repository holds by now.
maven_repository_size() {
  printf '%s MiB in ~/.m2/repository' "$(du -sm "$HOME/.m2/repository" 2>/dev/null | cut -f1)"
}

ensure_jars() {
  cache_complete && return 0
  require_maven
  mkdir -p "$KAFKA_HOME"
  (
    # Another start (another STACK_DIR) may be downloading into the same cache.
    flock -w 600 6 || die "timed out waiting for $KAFKA_HOME/.lock"
    cache_complete && exit 0
    local started=$SECONDS work
    work="$(mktemp -d "$KAFKA_HOME/download.XXXXXX")"
    trap 'rm -rf "$work"' EXIT
    say "kafka: fetching Kafka $KAFKA_VERSION jars with Maven into $LIBS (once; about 45 MB) ..."
    cp "$POM" "$work/pom.xml"
    start_ticker "kafka: Maven is fetching the jars" maven_repository_size
    if ! (cd "$work" && mvn -q -B dependency:copy-dependencies \
      -DoutputDirectory="$work/libs" -DincludeScope=runtime) >"$work/mvn.log" 2>&1 </dev/null; then
      stop_ticker
      tail -n 40 "$work/mvn.log" >&2
      die "Maven could not fetch the Kafka jars (output above). Is Maven Central reachable? Proxy settings go in ~/.m2/settings.xml."
    fi
    stop_ticker
    {
      printf 'pom-sha256 %s\n' "$(pom_checksum)"
      (cd "$work/libs" && stat -c '%s %n' -- *.jar)
    } >"$work/libs/$MANIFEST_NAME.tmp"
    mv "$work/libs/$MANIFEST_NAME.tmp" "$work/libs/$MANIFEST_NAME"
    rm -rf "$LIBS"
    mv "$work/libs" "$LIBS"
    say "kafka: fetched $(find "$LIBS" -name '*.jar' | wc -l) jars ($(du -sh "$LIBS" | cut -f1)) in $((SECONDS - started))s"
  ) 6>"$KAFKA_HOME/.lock"
  cache_complete || die "the Kafka jar cache at $LIBS is still incomplete after fetching; remove it and retry"
}

# The secured listener, as an exchange's broker would have it. SCRAM credentials live in the
# metadata log (added at format time, or by ConfigCommand for older data); PLAIN's in this file.
sasl_ssl_config() {
  local keystore_password
  keystore_password="$(<"$TLS_DIR/keystore.password")"
  cat <<EOF
sasl.enabled.mechanisms=SCRAM-SHA-256,SCRAM-SHA-512,PLAIN
listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
listener.name.sasl_ssl.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required user_$SASL_USER="$SASL_PASSWORD";
listener.name.sasl_ssl.ssl.keystore.type=PKCS12
listener.name.sasl_ssl.ssl.keystore.location=$TLS_DIR/server.p12
listener.name.sasl_ssl.ssl.keystore.password=$keystore_password
listener.name.sasl_ssl.ssl.key.password=$keystore_password
EOF
}

# The SASL user's password: random, made once per STACK_DIR, readable by this user only.
ensure_sasl_material() {
  bash "$STACK_SCRIPTS/tls.sh" "$TLS_DIR" >/dev/null
  if [[ ! -s "$SASL_PASSWORD_FILE" ]]; then
    (umask 077 && openssl rand -hex 16 >"$SASL_PASSWORD_FILE")
  fi
  SASL_PASSWORD="$(<"$SASL_PASSWORD_FILE")"
}

write_config() {
  mkdir -p "$KDIR" "$DATA"
  local listeners="PLAINTEXT://$KAFKA_HOST:$KAFKA_PORT,CONTROLLER://$KAFKA_HOST:$KAFKA_CONTROLLER_PORT"
  local advertised="PLAINTEXT://$KAFKA_HOST:$KAFKA_PORT" secured=""
  if sasl_ssl_on; then
    ensure_sasl_material
    listeners+=",SASL_SSL://$KAFKA_HOST:$KAFKA_SASL_SSL_PORT"
    advertised+=",SASL_SSL://$KAFKA_HOST:$KAFKA_SASL_SSL_PORT"
    secured="$(sasl_ssl_config)"
  fi
  # Regenerated on every start so that port overrides apply to an existing STACK_DIR. The quorum is
  # static (controller.quorum.voters), not the dynamic --standalone kind, because a dynamic quorum stores
  # the controller endpoint in the metadata log and would break when KAFKA_CONTROLLER_PORT changes.
  cat >"$PROPS" <<EOF
# Generated by scripts/stack/kafka.sh on each start; edits are overwritten.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$KAFKA_HOST:$KAFKA_CONTROLLER_PORT
listeners=$listeners
advertised.listeners=$advertised
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SASL_SSL:SASL_SSL
$secured
log.dirs=$DATA

# One node: every internal topic must accept a single replica, or groups and transactions never start.
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
# The defaults (50 partitions each) cost seconds of start-up and hundreds of files on a dev box.
offsets.topic.num.partitions=10
transaction.state.log.num.partitions=10
share.coordinator.state.topic.num.partitions=10

# Tests: a consumer group starts consuming at once instead of waiting 3 s for more members, topics
# appear on first use, and partitioned behaviour (ordering per key) is exercised with 3 partitions.
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
delete.topic.enable=true
num.partitions=3

# Offset commits: Kafka 4's group coordinator waits this long for more writes before appending a
# batch of them (default 5 ms, range >= 0, GroupCoordinatorConfig in kafka-group-coordinator 4.1.1);
# every commit then takes ~7 ms instead of under 1 ms. One node with a handful of groups has
# nothing to batch, and the commit sits on every consumer's path (docs/performance.md).
group.coordinator.append.linger.ms=0

# Sized for a 2-core machine shared with the tests themselves.
num.network.threads=2
num.io.threads=4
num.recovery.threads.per.data.dir=2
log.retention.hours=24
log.segment.bytes=67108864
EOF
}

scram_arguments() {
  local mechanism
  for mechanism in SCRAM-SHA-256 SCRAM-SHA-512; do
    printf '%s\n%s\n' --add-scram "$mechanism=[name=$SASL_USER,password=$SASL_PASSWORD]"
  done
}

format_if_needed() {
  [[ -f "$DATA/meta.properties" ]] && return 0
  local scram=()
  sasl_ssl_on && mapfile -t scram < <(scram_arguments)
  local cluster_id
  cluster_id="$(java -cp "$LIBS/*" -Dlog4j2.configurationFile="$LOG4J_CONFIG" kafka.tools.StorageTool random-uuid 2>>"$LOG" | tail -n 1)"
  [[ "$cluster_id" =~ ^[A-Za-z0-9_-]{22}$ ]] || die "could not generate a cluster id (got '$cluster_id'); see $LOG"
  java -cp "$LIBS/*" -Dlog4j2.configurationFile="$LOG4J_CONFIG" kafka.tools.StorageTool format \
    --cluster-id "$cluster_id" --config "$PROPS" "${scram[@]}" >>"$LOG" 2>&1 </dev/null ||
    {
      tail_log "$LOG"
      die "formatting the KRaft storage in $DATA failed; see $LOG"
    }
  if sasl_ssl_on; then password_digest >"$KDIR/scram.done"; fi
  say "kafka: formatted $DATA (cluster id $cluster_id)"
}

password_digest() { printf '%s' "$SASL_PASSWORD" | sha256sum | cut -d' ' -f1; }

# Data formatted before the SASL_SSL listener existed has no SCRAM user, and a new password file
# needs new credentials: (re)set them through the PLAINTEXT listener with the broker's ConfigCommand.
add_scram_users_if_needed() {
  sasl_ssl_on || return 0
  [[ "$(cat "$KDIR/scram.done" 2>/dev/null)" == "$(password_digest)" ]] && return 0
  local mechanism
  for mechanism in SCRAM-SHA-256 SCRAM-SHA-512; do
    java -cp "$LIBS/*" -Dlog4j2.configurationFile="$LOG4J_CONFIG" kafka.admin.ConfigCommand \
      --bootstrap-server "$BROKERS" --alter --entity-type users --entity-name "$SASL_USER" \
      --add-config "$mechanism=[password=$SASL_PASSWORD]" >>"$LOG" 2>&1 </dev/null ||
      die "could not add the SCRAM user $SASL_USER; see $LOG"
  done
  password_digest >"$KDIR/scram.done"
  say "kafka: set the SCRAM credentials of $SASL_USER"
}

# What a client needs for the SASL_SSL listener; up.sh copies it into $STACK_DIR/env.
write_sasl_ssl_env() {
  if ! sasl_ssl_on; then
    rm -f "$SASL_SSL_ENV"
    return 0
  fi
  printf '%s\n' \
    "STACK_SASL_SSL_BROKERS=$KAFKA_HOST:$KAFKA_SASL_SSL_PORT" \
    "STACK_SASL_SSL_CA_FILE=$TLS_DIR/ca.pem" \
    "STACK_SASL_SSL_USERNAME=$SASL_USER" \
    "STACK_SASL_SSL_PASSWORD_FILE=$SASL_PASSWORD_FILE" >"$SASL_SSL_ENV"
}

# wait_ready PID: until the broker answers or the bound passes. Returns 0 ready, 1 timeout, 2 died.
wait_ready() {
  local pid="$1" deadline=$((SECONDS + START_TIMEOUT))
  while ! port_open "$KAFKA_HOST" "$KAFKA_PORT"; do
    kill -0 "$pid" 2>/dev/null || return 2
    ((SECONDS < deadline)) || return 1
    sleep 0.3
  done
  local remaining=$((deadline - SECONDS))
  ((remaining > 0)) || remaining=1
  if node_module_available kafkajs; then
    local rc=0
    node "$STACK_SCRIPTS/kafka-ready.js" "$BROKERS" "$((remaining * 1000))" --pid "$pid" >>"$LOG" 2>&1 || rc=$?
    return "$rc"
  fi
  # Without node_modules (before `npm ci`) fall back to the broker's own start-up line.
  while ! grep -q 'Kafka Server started' "$LOG"; do
    kill -0 "$pid" 2>/dev/null || return 2
    ((SECONDS < deadline)) || return 1
    sleep 0.3
  done
}

answering() {
  if node_module_available kafkajs; then
    node "$STACK_SCRIPTS/kafka-ready.js" "$BROKERS" "${1:-5000}" >/dev/null 2>&1
  else
    port_open "$KAFKA_HOST" "$KAFKA_PORT"
  fi
}

cmd_start() {
  local pid
  if pid="$(running_pid)"; then
    # Running is not enough for callers that go on to use it (a broker can hang, or still be stopping).
    answering "$((START_TIMEOUT * 1000))" ||
      die "the Kafka broker (pid $pid) is running but does not answer at $BROKERS; see $LOG, or restart it: $0 restart"
    info "kafka: already running (pid $pid) at $BROKERS"
    return 0
  fi
  rm -f "$PIDFILE"
  local port
  for port in "${PORTS[@]}"; do
    if port_open "$KAFKA_HOST" "$port"; then
      die "port $port on $KAFKA_HOST is taken by another process (not the broker of STACK_DIR=$STACK_DIR).
  See who holds it: ss -ltnp 'sport = :$port'
  Use other ports with KAFKA_PORT=... KAFKA_CONTROLLER_PORT=... KAFKA_SASL_SSL_PORT=..., or stop that process."
    fi
  done
  require_java
  ensure_jars
  write_config

  # Keep one previous log for post-mortems; a fresh file per run keeps the pointer in errors useful.
  [[ -s "$LOG" ]] && mv -f "$LOG" "$LOG.1"
  : >"$LOG"
  format_if_needed

  local heap jvm started=$SECONDS
  read -ra heap <<<"${KAFKA_HEAP_OPTS:--Xms256m -Xmx768m}"
  read -ra jvm <<<"${KAFKA_JVM_OPTS:--XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true}"
  # Many test topics mean many segment files; take the hard limit.
  ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

  # setsid: the broker outlives this script and is not hit by a Ctrl-C in the terminal that started it
  # (others may be using it). stdin/stdout/stderr and the lock fds are detached, otherwise a caller
  # that waits for our output (jest's global setup) would wait for the broker to exit.
  setsid java "${heap[@]}" "${jvm[@]}" \
    -Dlog4j2.configurationFile="$LOG4J_CONFIG" \
    -cp "$LIBS/*" kafka.Kafka "$PROPS" \
    </dev/null >>"$LOG" 2>&1 6>&- 7>&- 8>&- 9>&- &
  pid=$!
  # setsid execs in place here (a non-interactive shell's background job is not a group leader), so
  # $! is the JVM itself.
  printf '%s\n' "$pid" >"$PIDFILE"

  local rc=0
  start_ticker "kafka: waiting for the broker (pid $pid) to answer at $BROKERS"
  wait_ready "$pid" || rc=$?
  stop_ticker
  if ((rc != 0)); then
    if ((rc == 2)) || ! kill -0 "$pid" 2>/dev/null; then
      tail_log "$LOG"
      rm -f "$PIDFILE"
      die "the Kafka broker exited during start-up; full log: $LOG"
    fi
    tail_log "$LOG"
    stop_pid "$pid" kafka "$STOP_TIMEOUT"
    rm -f "$PIDFILE"
    die "the Kafka broker did not answer at $BROKERS within ${START_TIMEOUT}s (KAFKA_START_TIMEOUT); it was stopped. Full log: $LOG"
  fi
  add_scram_users_if_needed
  write_sasl_ssl_env
  say "kafka: started (pid $pid) at $BROKERS (SASL_SSL: $KAFKA_SASL_SSL_PORT) in $((SECONDS - started))s; log $LOG"
}

cmd_stop() {
  local pid
  if ! pid="$(running_pid)"; then
    rm -f "$PIDFILE"
    info "kafka: not running (STACK_DIR=$STACK_DIR)"
    return 0
  fi
  stop_pid "$pid" kafka "$STOP_TIMEOUT"
  rm -f "$PIDFILE" "$SASL_SSL_ENV"
  say "kafka: stopped (pid $pid)"
}

cmd_status() {
  local pid
  if ! pid="$(running_pid)"; then
    say "kafka: not running (STACK_DIR=$STACK_DIR)"
    return 3
  fi
  if answering 5000; then
    say "kafka: running (pid $pid) at $BROKERS, answering; rss $(($(awk '/VmRSS/ {print $2}' "/proc/$pid/status") / 1024)) MiB"
  else
    say "kafka: running (pid $pid) at $BROKERS but NOT answering; see $LOG"
    return 1
  fi
}

case "${1:-}" in
  start)
    take_lock "$LOCK_FD_KAFKA" kafka
    cmd_start
    ;;
  stop)
    take_lock "$LOCK_FD_KAFKA" kafka
    cmd_stop
    ;;
  restart)
    take_lock "$LOCK_FD_KAFKA" kafka
    cmd_stop
    cmd_start
    ;;
  status) cmd_status ;;
  reset)
    # Test topics accumulate across runs; this throws the whole cluster away (next start reformats).
    take_lock "$LOCK_FD_KAFKA" kafka
    cmd_stop
    rm -rf "$KDIR"
    say "kafka: removed $KDIR"
    ;;
esac
