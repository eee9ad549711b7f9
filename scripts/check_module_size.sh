#!/usr/bin/env bash
# No module of espace/ over 400 lines (ARCHITECTURE.md, "The rule of each layer"): run by the
# checks of ./test.sh and by pre-commit.
set -euo pipefail
cd "$(dirname "$0")/.."
long="$(find espace -name '*.py' -print0 | xargs -0 wc -l | awk '$2 != "total" && $1 > 400')"
if [ -n "$long" ]; then
  echo "Modules of espace/ over 400 lines (split each by what it does, see ARCHITECTURE.md):" >&2
  echo "$long" >&2
  exit 1
fi
