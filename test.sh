#!/usr/bin/env bash
# Install what the tests need (Python deps, bun, axe-core, Chromium, PostgreSQL, Redis, nginx), check
# the code (ruff, ruff format, lint-imports) and run the whole suite.
# Extra arguments go to pytest, e.g. ./test.sh tests/unit -x  (ESPACE_SKIP_CHECKS=1: no checks)
set -euo pipefail
source "$(dirname "$0")/scripts/bootstrap.sh"
cd "$ROOT"

ensure_python_env test
run_checks
ensure_node_tools
ensure_browser
ensure_postgres
ensure_stack_servers

log "Running the test suite"
exec "$VENV/bin/python" -m pytest "$@"
