#!/usr/bin/env bash
# A local single-node Apache Kafka (KRaft: broker and controller in one JVM) on 127.0.0.1.
#
#   deploy/local/kafka.sh fetch            resolve the broker jars from Maven Central once (cached)
#   deploy/local/kafka.sh start            format storage if needed, start, wait until it answers
#   deploy/local/kafka.sh stop             stop it (SIGTERM, then SIGKILL after a grace period)
#   deploy/local/kafka.sh status           exit 0 when it is running
#   deploy/local/kafka.sh wait             wait until a started broker answers
#
# Settings (environment):
#   KAFKA_PORT       client port (default 9092); the controller listens on KAFKA_PORT+1
#   KAFKA_STATE      directory for logs, data and the pid file (default .local/kafka-$KAFKA_PORT)
#   KAFKA_HEAP       JVM heap (default 512m: enough for tests, small for a 2-core machine)
#   KAFKA_JVM_OPTS   more JVM options, appended; -XX:TieredStopAtLevel=1 (the quick compiler
#                    alone) saves a small machine most of the CPU a broker spends compiling itself
#   KAFKA_CACHE      jar cache (default ${XDG_CACHE_HOME:-~/.cache}/newswire/kafka-<version>)
#   KAFKA_EXTRA_PROPERTIES  a file appended to the generated server.properties (later keys win)
# For a multi-node cluster on one machine, start each node with its own KAFKA_PORT and
# KAFKA_STATE and the same values of:
#   KAFKA_NODE_ID    this node's id (default 1)
#   KAFKA_QUORUM     controller.quorum.voters, e.g. 1@127.0.0.1:9093,2@127.0.0.1:9095,...
#   KAFKA_CLUSTER_ID one id for all nodes (default: a new random one)
#   KAFKA_REPLICATION  replication factor of internal topics (default 1), KAFKA_MIN_ISR (default 1)
#   KAFKA_NO_WAIT=1    return once the JVM is started (a cluster answers only when a quorum is up)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
version="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$here/pom.xml")"
port="${KAFKA_PORT:-9092}"
controller_port=$((port + 1))
node_id="${KAFKA_NODE_ID:-1}"
quorum="${KAFKA_QUORUM:-$node_id@127.0.0.1:$controller_port}"
replication="${KAFKA_REPLICATION:-1}"
min_isr="${KAFKA_MIN_ISR:-1}"
state="${KAFKA_STATE:-$root/.local/kafka-$port}"
heap="${KAFKA_HEAP:-512m}"
cache="${KAFKA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/newswire/kafka-$version}"

log() { echo "kafka.sh: $*" >&2; }

fetch() {
  if [ -f "$cache/.complete" ]; then return 0; fi
  command -v mvn >/dev/null || { log "Maven (mvn) is needed to fetch the Kafka jars"; exit 1; }
  command -v java >/dev/null || { log "Java 17+ is needed to run Kafka"; exit 1; }
  log "fetching Apache Kafka $version jars from Maven Central into $cache"
  mkdir -p "$cache"
  mvn -q -B -Dstyle.color=never -f "$here/pom.xml" dependency:copy-dependencies \
    -DoutputDirectory="$cache" -DincludeScope=runtime
  touch "$cache/.complete"
}

java_opts=(-Xms128m "-Xmx$heap" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true
  "-Dlog4j2.configurationFile=$state/log4j2.properties" -cp "$cache/*")
# shellcheck disable=SC2206 # options are words
java_opts+=(${KAFKA_JVM_OPTS:-})

write_config() {
  mkdir -p "$state/data" "$state/logs"
  cat > "$state/server.properties" <<PROPS
process.roles=broker,controller
node.id=$node_id
controller.quorum.voters=$quorum
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$state/data
num.partitions=4
offsets.topic.replication.factor=$replication
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=$replication
transaction.state.log.min.isr=$min_isr
share.coordinator.state.topic.replication.factor=$replication
share.coordinator.state.topic.min.isr=$min_isr
default.replication.factor=$replication
min.insync.replicas=$min_isr
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
log.retention.hours=24
PROPS
  if [ -n "${KAFKA_EXTRA_PROPERTIES:-}" ]; then cat "$KAFKA_EXTRA_PROPERTIES" >> "$state/server.properties"; fi
  cat > "$state/log4j2.properties" <<PROPS
appender.file.type=File
appender.file.name=file
appender.file.fileName=$state/logs/server.log
appender.file.layout.type=PatternLayout
appender.file.layout.pattern=[%d] %p %m (%c)%n
rootLogger.level=INFO
rootLogger.appenderRef.file.ref=file
logger.kafka.name=kafka
logger.kafka.level=WARN
logger.apache.name=org.apache.kafka
logger.apache.level=WARN
logger.started.name=kafka.server.KafkaRaftServer
logger.started.level=INFO
PROPS
}

pid() { cat "$state/kafka.pid" 2>/dev/null || true; }

running() {
  local p; p="$(pid)"
  [ -n "$p" ] && kill -0 "$p" 2>/dev/null
}

answers() { (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; }

start() {
  fetch
  if running; then log "already running on 127.0.0.1:$port (pid $(pid))"; return 0; fi
  if answers; then log "port $port is taken by another process"; exit 1; fi
  write_config
  if [ ! -f "$state/data/meta.properties" ]; then
    local cluster_id
    cluster_id="${KAFKA_CLUSTER_ID:-$(java "${java_opts[@]}" kafka.tools.StorageTool random-uuid)}"
    java "${java_opts[@]}" kafka.tools.StorageTool format -t "$cluster_id" -c "$state/server.properties" \
      >"$state/logs/format.log" 2>&1 || { cat "$state/logs/format.log" >&2; exit 1; }
  fi
  java "${java_opts[@]}" kafka.Kafka "$state/server.properties" >"$state/logs/stdout.log" 2>&1 </dev/null &
  echo $! >"$state/kafka.pid"
  if [ "${KAFKA_NO_WAIT:-0}" = 1 ]; then return 0; fi
  wait_started
}

wait_started() {
  local waited=0
  until answers && grep -q "Kafka Server started" "$state/logs/server.log" 2>/dev/null; do
    if ! running; then log "broker exited during start-up; see $state/logs"; tail -n 20 "$state/logs/stdout.log" >&2; exit 1; fi
    if [ "$waited" -ge 120 ]; then log "broker did not answer within 60 s; see $state/logs"; stop; exit 1; fi
    sleep 0.5; waited=$((waited + 1))
  done
  log "Apache Kafka $version running on 127.0.0.1:$port (pid $(pid), state in $state)"
}

stop() {
  if ! running; then rm -f "$state/kafka.pid"; return 0; fi
  local p waited=0; p="$(pid)"
  kill -TERM "$p"
  while kill -0 "$p" 2>/dev/null; do
    if [ "$waited" -ge 60 ]; then log "broker did not stop within 30 s; killing it"; kill -KILL "$p"; break; fi
    sleep 0.5; waited=$((waited + 1))
  done
  rm -f "$state/kafka.pid"
  log "stopped broker on 127.0.0.1:$port"
}

status() { running && answers; }

help() { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; }

case "${1:-help}" in
  fetch|start|stop|status|help) "${1:-help}" ;;
  wait) wait_started ;;
  *) help; exit 2 ;;
esac
