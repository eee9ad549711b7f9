#!/usr/bin/env bash
# Set everything up and run the Espace DEMO on http://localhost:8000 (ESPACE_PORT to change).
# Not for production: see "Running in production" in README.md.
set -euo pipefail
source "$(dirname "$0")/scripts/bootstrap.sh"
cd "$ROOT"

if [ "${ESPACE_ENV:-dev}" = "prod" ]; then
  echo "run.sh runs the demo (demo accounts with published passwords): it refuses ESPACE_ENV=prod." >&2
  echo "To run in production, follow \"Running in production\" in README.md." >&2
  exit 1
fi

ensure_python_env ""
ensure_node_tools
PORT="${ESPACE_PORT:-8000}"
export ESPACE_PUBLIC_BASE_URL="${ESPACE_PUBLIC_BASE_URL:-http://localhost:$PORT}"

"$VENV/bin/espace" migrate
"$VENV/bin/espace" seed --if-empty
log "Building the search index when it is not built yet (a fresh installation: about a minute)"
ESPACE_SEARCH_THREADS="${ESPACE_SEARCH_THREADS:-2}" "$VENV/bin/espace" reindex --if-needed

log "==================================================================================="
log "DEMO MODE (ESPACE_ENV=${ESPACE_ENV:-dev}): not a production setup."
log " - demo accounts whose passwords are published in README.md;"
log " - e-mails and SMS are not sent (no ESPACE_SMTP_HOST): codes and sign-in links are shown in"
log "   the development mailbox $ESPACE_PUBLIC_BASE_URL/dev/boite-mail (this machine only)."
log "Production: ESPACE_ENV=prod, a secret key, an https:// base URL, SMTP, no demo data;"
log "see \"Running in production\" in README.md."
log "==================================================================================="
# The worker sends e-mails, SMS and push after each commit and runs the periodic jobs (debit
# reminders, purges, contract terms). Its own session: Ctrl+C reaches the app only, and the worker
# is stopped gracefully (SIGTERM: the message being sent finishes) when the app stops.
log "Starting the worker (e-mails, SMS, push, periodic jobs)"
if command -v setsid >/dev/null 2>&1; then
  setsid "$VENV/bin/espace" worker &
else
  "$VENV/bin/espace" worker &
fi
WORKER_PID=$!
stop_worker() {
  if kill -0 "$WORKER_PID" 2>/dev/null; then
    log "Stopping the worker"
    kill -TERM "$WORKER_PID" 2>/dev/null || true
    wait "$WORKER_PID" 2>/dev/null || true
  fi
}
trap stop_worker EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

log "Starting the Espace demo on $ESPACE_PUBLIC_BASE_URL (Ctrl+C to stop)"
log "Demo holder: camille.martin@example.com (or contract MRH0412857) / Tournesol#Lyon2026"
"$VENV/bin/reflex" run --env prod --frontend-port "$PORT" --backend-port "$PORT"
