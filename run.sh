#!/usr/bin/env bash
# Set everything up and run Espace with demo data on http://localhost:8000 (ESPACE_PORT to change).
set -euo pipefail
source "$(dirname "$0")/scripts/bootstrap.sh"
cd "$ROOT"

ensure_python_env ""
ensure_node_tools
PORT="${ESPACE_PORT:-8000}"
export ESPACE_PUBLIC_BASE_URL="${ESPACE_PUBLIC_BASE_URL:-http://localhost:$PORT}"

"$VENV/bin/espace" migrate
"$VENV/bin/espace" seed --if-empty

log "Starting Espace on $ESPACE_PUBLIC_BASE_URL (Ctrl+C to stop)"
log "Demo holder: camille.martin@example.com (or contract MRH0412857) / Tournesol#Lyon2026"
exec "$VENV/bin/reflex" run --env prod --frontend-port "$PORT" --backend-port "$PORT"
