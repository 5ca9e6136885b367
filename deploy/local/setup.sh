#!/usr/bin/env bash
# Installs what the service, the demo and the tests need, from nothing; fast when already done.
#
#   deploy/local/setup.sh [--test]
#
# - Debian packages: kcat (an independent Kafka client the tests and demo use),
#   and with --test prometheus (a real server the metrics tests scrape with) and
#   docker-compose (validates deploy/compose.yaml; needs no Docker engine)
# - a virtualenv in .venv with the package (editable) and, with --test, its test extras,
#   by deploy/install.sh: the same install the container image runs
# - the Apache Kafka broker jars (deploy/local/kafka.sh fetch)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
with_tests=0
[ "${1:-}" = "--test" ] && with_tests=1

log() { echo "setup: $*" >&2; }

need_debs=()
command -v kcat >/dev/null || need_debs+=(kcat)
if [ "$with_tests" = 1 ]; then command -v prometheus >/dev/null || need_debs+=(prometheus); fi
if [ "$with_tests" = 1 ]; then command -v docker-compose >/dev/null || need_debs+=(docker-compose); fi
command -v java >/dev/null || need_debs+=(openjdk-17-jre-headless)
command -v mvn >/dev/null || need_debs+=(maven)
if [ "${#need_debs[@]}" -gt 0 ]; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  log "installing Debian packages: ${need_debs[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need_debs[@]}" >/dev/null
fi

install_args=(--editable)
[ "$with_tests" = 1 ] && install_args+=(--test)
stamp=".venv/.installed-$(cat pyproject.toml deploy/install.sh | sha1sum | cut -c1-12)-$with_tests"
# An install with the test extras also serves the demo.
if [ ! -f "$stamp" ] && ! { [ "$with_tests" = 0 ] && [ -f "${stamp%-0}-1" ]; }; then
  log "installing Python packages into .venv"
  deploy/install.sh "${install_args[@]}" .venv   # $PYTHON (default python3) creates the venv
  rm -f .venv/.installed-*
  touch "$stamp"
fi

deploy/local/kafka.sh fetch
log "ready"
