#!/usr/bin/env bash
# Install what the selected tests need, check the code (ruff, ruff format, lint-imports, the lock)
# and run the tests. Extra arguments go to pytest, e.g. ./test.sh tests/unit -x
#   - Python dependencies come from uv.lock (scripts/bootstrap.sh);
#   - tests/unit needs nothing more; tests/integration a PostgreSQL server (the migration tests run
#     on it too); tests/e2e bun, axe-core and Chromium; tests/stack all that plus Redis and nginx.
#     No path argument: the whole suite, so everything.
#   - ESPACE_SKIP_CHECKS=1: no checks. pytest-xdist runs unit and integration tests on one process
#     per core (at most 4), each with its own data directory and database.
#   - ESPACE_E2E_REUSE_BUILD=1 serves the frontend built by the previous e2e run (tests/e2e/conftest.py).
set -euo pipefail
source "$(dirname "$0")/scripts/bootstrap.sh"
cd "$ROOT"

need_postgres="" need_browser="" need_stack="" selected=""
for arg in "$@"; do
  case "${arg#./}" in
    tests/unit | tests/unit/*) selected=1 ;;
    tests/integration | tests/integration/*) selected=1 need_postgres=1 ;;
    tests/e2e | tests/e2e/*) selected=1 need_browser=1 ;;
    tests/stack | tests/stack/*) selected=1 need_browser=1 need_postgres=1 need_stack=1 ;;
    tests | tests/ | tests/*) selected=1 need_browser=1 need_postgres=1 need_stack=1 ;;
  esac
done
if [ -z "$selected" ]; then
  need_postgres=1 need_browser=1 need_stack=1
fi

ensure_python_env test
run_checks
if [ -n "$need_browser" ]; then
  ensure_node_tools
  ensure_browser
fi
[ -n "$need_postgres" ] && ensure_postgres
[ -n "$need_stack" ] && ensure_stack_servers

log "Running the tests"
if [ -z "$selected" ] && [ "$(nproc)" -ge 2 ]; then
  # The whole suite: unit and integration tests on one process per core (pytest-xdist; each worker
  # has its own data folder and databases), then the browser tests and the stack tests side by
  # side: each waits on its servers and browser for a third of its time, so two sessions fill the
  # cores (8.8 min for both, against 12.5 one after the other). Every part always runs; the exit
  # status is the first failure's. Up to 4 workers: each loads the search model (a few hundred MB).
  workers=$(nproc)
  [ "$workers" -gt 4 ] && workers=4
  first=0 second=0 third=0
  # --durations: the slowest tests are named at the end of each part (where the suite's time goes).
  # The default distribution (load): --dist loadscope or loadgroup run one test per node id, and
  # schemathesis gives its 36 API operations one (35 of the 2 718 tests would not run, silently).
  "$VENV/bin/python" -m pytest -n "$workers" --durations=15 tests/unit tests/integration "$@" || first=$?
  # The stack's session has its own Playwright output folder (each session empties its own at
  # start) and its own log, printed when it ends; its servers and builds use folders of their own.
  mkdir -p test-results-stack
  stack_log="test-results-stack/pytest.log"
  log "Stack tests in the background (their output: $stack_log, printed at the end)"
  "$VENV/bin/python" -m pytest --durations=15 --output test-results-stack/playwright \
    tests/stack "$@" >"$stack_log" 2>&1 &
  stack_pid=$!
  "$VENV/bin/python" -m pytest --durations=15 tests/e2e "$@" || second=$?
  wait "$stack_pid" || third=$?
  log "Stack tests (tests/stack)"
  cat "$stack_log"
  for status in "$first" "$second" "$third"; do
    [ "$status" -ne 0 ] && exit "$status"
  done
  exit 0
fi
exec "$VENV/bin/python" -m pytest "$@"
