#!/usr/bin/env bash
# Installs what the service, the demo and the tests need, from nothing; fast when already done.
#
#   deploy/local/setup.sh [--test]
#
# - Debian packages: kcat (an independent Kafka client the tests and demo use),
#   and with --test prometheus (a real server the metrics tests scrape with)
# - a virtualenv in .venv with the package (editable) and, with --test, its test extras
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
command -v java >/dev/null || need_debs+=(openjdk-17-jre-headless)
command -v mvn >/dev/null || need_debs+=(maven)
if [ "${#need_debs[@]}" -gt 0 ]; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  log "installing Debian packages: ${need_debs[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need_debs[@]}" >/dev/null
fi

python="${PYTHON:-python3}"
extras="."
[ "$with_tests" = 1 ] && extras=".[test]"
stamp=".venv/.installed-$(cat pyproject.toml | sha1sum | cut -c1-12)-$with_tests"
if [ ! -f "$stamp" ]; then
  [ -x .venv/bin/python ] || "$python" -m venv .venv
  log "installing Python packages into .venv"
  .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install -q --disable-pip-version-check -e "$extras"
  rm -f .venv/.installed-*
  touch "$stamp"
fi

deploy/local/kafka.sh fetch
log "ready"
