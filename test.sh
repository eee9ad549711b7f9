#!/usr/bin/env bash
# Install what the tests need (Python deps, bun, axe-core, Chromium, PostgreSQL, Redis, nginx) and run
# the whole suite.
# Extra arguments go to pytest, e.g. ./test.sh tests/unit -x
set -euo pipefail
source "$(dirname "$0")/scripts/bootstrap.sh"
cd "$ROOT"

ensure_python_env test
ensure_node_tools
ensure_browser
ensure_postgres
ensure_stack_servers

log "Running the test suite"
exec "$VENV/bin/python" -m pytest "$@"
