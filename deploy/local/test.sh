#!/usr/bin/env bash
# Installs everything the tests need, then runs them. Extra arguments go to pytest.
# The integration tests start and stop their own Kafka broker (and worker) on loopback.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
deploy/local/setup.sh --test
exec .venv/bin/python -m pytest "$@"
