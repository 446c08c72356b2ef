#!/usr/bin/env bash
# One entry point for a fresh machine with Python 3.11+:
#   ./dev.sh run    set up .venv, migrate a SQLite file, deploy processes/, create demo accounts, serve :5000
#   ./dev.sh test   set up .venv with the test extras and run the whole suite
set -euo pipefail
cd "$(dirname "$0")"

PY=${PYTHON:-}
if [ -z "$PY" ]; then
  for candidate in python3.11 python3.12 python3.13 python3; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
      PY=$candidate; break
    fi
  done
fi
[ -n "$PY" ] || { echo "mtcflow needs Python 3.11 or newer" >&2; exit 1; }

setup() {
  local extras=$1 stamp=".venv/.installed-$1"
  if [ ! -x .venv/bin/python ]; then
    echo "» creating .venv with $PY"
    "$PY" -m venv .venv
  fi
  if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    echo "» installing mtcflow ($extras)"
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -e ".[$extras]"
    touch "$stamp"
  fi
}

# Front-end packages (bpmn-js, json-editor, swagger-ui-dist, bpmnlint, the properties panel) from package-lock.json
# into node_modules/; install scripts are not run (none of the served builds needs one). frontend/build.cjs bundles
# the lint rules and the properties panel into node_modules/.mtcflow/; then the served files are copied into
# api/static/vendor/ (package data, gitignored), where Flask serves them from, as from an installed wheel.
frontend() {
  local stamp="node_modules/.installed"
  if ! command -v npm >/dev/null 2>&1; then
    echo "» npm not found: skipping the front-end packages (web pages without diagrams and forms; install Node.js + npm)" >&2
    return 0
  fi
  if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
    echo "» installing front-end packages (npm ci)"
    npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
    touch "$stamp"
  fi
  local bundles="node_modules/.mtcflow/properties.js"
  if [ ! -f "$bundles" ] || [ -n "$(find frontend -newer "$bundles" -type f)" ] || [ "$stamp" -nt "$bundles" ]; then
    echo "» bundling the modeler's lint rules and properties panel (frontend/ → node_modules/.mtcflow/)"
    node frontend/build.cjs node_modules/.mtcflow
    rm -rf api/static/vendor
  fi
  if [ ! -d api/static/vendor ]; then
    "$PY" api/web/vendor_files.py node_modules
  fi
}

cmd=${1:-run}
shift || true
case "$cmd" in
  run)
    setup test
    frontend
    exec .venv/bin/mtcflow quickstart "$@"
    ;;
  test)
    setup test
    frontend
    # Both cores by default; MTCFLOW_TEST_WORKERS=0 runs in one process (e.g. to debug).
    exec .venv/bin/python -m pytest -n "${MTCFLOW_TEST_WORKERS:-auto}" "$@"
    ;;
  *)
    echo "usage: ./dev.sh run|test [args…]" >&2; exit 2
    ;;
esac
