#!/usr/bin/env bash
# Run the test suite (./test.sh) with every clock moved to a chosen moment, ticking from there:
#   scripts/at_date.sh 2026-12-31T23:30 tests/unit tests/integration
#   scripts/at_date.sh 2028-02-29T12:00 tests/e2e -k payments
# The moment is Paris time unless it carries an offset (2027-01-01T00:30 is still 31 December in UTC).
# It moves the pytest process, the app the e2e tests start and the browser's pages; see espace/core/fake_clock.py.
set -euo pipefail
if [ $# -lt 1 ] || [[ "$1" == -* ]]; then
  echo "usage: $0 YYYY-MM-DD[THH:MM[:SS][+HH:MM]] [pytest arguments]" >&2
  exit 2
fi
export ESPACE_FAKE_NOW="$1"
shift
unset ESPACE_FAKE_NOW_ANCHOR  # set by the pytest process, inherited by the processes it starts
exec "$(dirname "$0")/../test.sh" "$@"
