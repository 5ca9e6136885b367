#!/usr/bin/env bash
# Runs `newswire bench` against a local broker started (and stopped) for it.
#   deploy/local/bench.sh [--articles N]      JSON report on stdout
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
export KAFKA_PORT="${KAFKA_PORT:-29092}" KAFKA_STATE="$root/.local/bench-kafka"
# The broker shares the cores with what is measured: the quick compiler alone leaves them more.
export KAFKA_JVM_OPTS="${KAFKA_JVM_OPTS--XX:TieredStopAtLevel=1}"
deploy/local/setup.sh >&2
rm -rf "$KAFKA_STATE"
deploy/local/kafka.sh start
trap 'deploy/local/kafka.sh stop' EXIT
NEWSWIRE_BOOTSTRAP_SERVERS="127.0.0.1:$KAFKA_PORT" .venv/bin/newswire bench "$@"
