#!/usr/bin/env bash
# Mutation testing of the security services (scripts/mutation.py, docs/security-testing.md).
# Needs the test dependencies (./test.sh installs them; mutmut is one). Runs at low priority.
#   scripts/mutation.sh [--guards|--mutmut] [--fresh] [module ...]     (--list: the modules)
set -euo pipefail
source "$(dirname "$0")/bootstrap.sh"
cd "$ROOT"
ensure_python_env test
exec nice -n "${ESPACE_MUTATION_NICE:-15}" "$VENV/bin/python" scripts/mutation.py "$@"
