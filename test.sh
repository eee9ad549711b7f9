#!/usr/bin/env bash
# Install what the selected tests need, check the code (ruff, ruff format, mypy, lint-imports, the
# modules' size, the lock) and run the tests. Extra arguments go to pytest, e.g.
# ./test.sh tests/unit -x
#   - Python dependencies come from uv.lock (scripts/bootstrap.sh);
#   - tests/unit needs nothing more; tests/integration a PostgreSQL server (the migration tests run
#     on it too); tests/e2e bun, axe-core and Chromium; tests/stack all that plus Redis and nginx.
#     No path argument: the whole suite, so everything.
#   - ESPACE_SKIP_CHECKS=1: no checks. The whole suite runs unit and integration tests with
#     pytest-xdist, one process per core (at most 4), each with its own data directory and database
#     (the tests marked postgres run beside the stack tests, see below).
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
# One fake clock for every process of the run (scripts/at_date.sh): the seeding below included.
if [ -n "${ESPACE_FAKE_NOW:-}" ] && [ -z "${ESPACE_FAKE_NOW_ANCHOR:-}" ]; then
  ESPACE_FAKE_NOW_ANCHOR="$(date +%s.%N)"
  export ESPACE_FAKE_NOW_ANCHOR
fi
# The demo database, seeded once for every test session of the run while the code is checked
# (tests/seeded.py): about 35 s of one core, which five sessions spent each on two cores.
seed_dir="" seed_pid=""
if [ -n "$need_postgres$need_browser" ] && [ -z "${ESPACE_TEST_SEEDED_DB:-}" ]; then
  seed_dir="$(mktemp -d -t espace-seeded-XXXXXX)"
  trap 'rm -rf "$seed_dir"' EXIT
  (
    export ESPACE_ENV=test ESPACE_DATA_DIR="$seed_dir/seeded.db.data"
    export ESPACE_DATABASE_URL="sqlite:///$seed_dir/seeded.db"
    unset ESPACE_SECRET_KEY ESPACE_REDIS_URL
    "$VENV/bin/python" -m espace.cli migrate && "$VENV/bin/python" -m espace.cli seed
  ) >"$seed_dir/seed.log" 2>&1 &
  seed_pid=$!
fi
run_checks
if [ -n "$need_browser" ]; then
  ensure_node_tools
  ensure_browser
fi
[ -n "$need_postgres" ] && ensure_postgres
[ -n "$need_stack" ] && ensure_stack_servers

if [ -n "$seed_pid" ]; then
  if wait "$seed_pid"; then
    export ESPACE_TEST_SEEDED_DB="$seed_dir/seeded.db"
  else
    log "Seeding the demo database once failed (each test session seeds its own):"
    cat "$seed_dir/seed.log"
  fi
fi
log "Running the tests"
if [ -z "$selected" ] && [ "$(nproc)" -ge 2 ]; then
  # The whole suite: unit and integration tests on one process per core (pytest-xdist; each worker
  # has its own data folder and databases), then the browser tests and the stack (and PostgreSQL)
  # tests side by side: each waits on its servers and browser for a third of its time, so two
  # sessions fill the cores (8.8 min for both, against 12.5 one after the other). Every part always
  # runs; the exit status is the first failure's. Up to 4 workers: each loads the search model (a
  # few hundred MB).
  workers=$(nproc)
  [ "$workers" -gt 4 ] && workers=4
  first=0 second=0 third=0
  # --durations: the slowest tests are named at the end of each part (where the suite's time goes).
  # The default distribution (load): --dist loadscope or loadgroup run one test per node id, and
  # schemathesis gives its 36 API operations one (35 of the 2 718 tests would not run, silently).
  # The PostgreSQL tests (marked postgres: a cluster, a demo seeded into it, a search index built
  # on it) run one after the other on a single worker and ended this part alone, a core idle for
  # 100 s: they go with the second session below, which ends well before the browser tests.
  "$VENV/bin/python" -m pytest -n "$workers" --durations=15 -m "not postgres" \
    tests/unit tests/integration "$@" || first=$?
  # The second session takes the stack tests, the browser tests that build an app of their own
  # (own_build) and the PostgreSQL tests; it has its own Playwright output folder (each session
  # empties its own at start) and its own log, printed when it ends. Its servers and builds use
  # folders of their own.
  mkdir -p test-results-stack
  stack_log="test-results-stack/pytest.log"
  mapfile -t postgres_modules < <(
    grep -rl --include='test_*.py' "mark.postgres" tests/unit tests/integration | sort
  )
  log "Stack and PostgreSQL tests in the background (their output: $stack_log, printed at the end)"
  "$VENV/bin/python" -m pytest --durations=15 --output test-results-stack/playwright \
    -m "stack or own_build or postgres" tests/stack tests/e2e "${postgres_modules[@]}" "$@" \
    >"$stack_log" 2>&1 &
  stack_pid=$!
  "$VENV/bin/python" -m pytest --durations=15 -m "not own_build" tests/e2e "$@" || second=$?
  wait "$stack_pid" || third=$?
  log "Stack and PostgreSQL tests (tests/stack, the tests marked postgres)"
  cat "$stack_log"
  for status in "$first" "$second" "$third"; do
    [ "$status" -ne 0 ] && exit "$status"
  done
  exit 0
fi
status=0
"$VENV/bin/python" -m pytest "$@" || status=$?
exit "$status"
