#!/usr/bin/env bash
# Set everything up and run the Espace DEMO on http://localhost:8000 (ESPACE_PORT to change).
# Not for production: see "Running in production" in README.md.
# The first run takes about 5 minutes (Python dependencies, then the first build of the web app);
# each phase says what it does and how long it has been working.
set -euo pipefail
source "$(dirname "$0")/scripts/bootstrap.sh"
cd "$ROOT"

if [ "${ESPACE_ENV:-dev}" = "prod" ]; then
  echo "run.sh runs the demo (demo accounts with published passwords): it refuses ESPACE_ENV=prod." >&2
  echo "To run in production, follow \"Running in production\" in README.md." >&2
  exit 1
fi

PORT="${ESPACE_PORT:-8000}"
# Every e-mailed link and QR code uses this address; a browser at another name of this machine
# (127.0.0.1, [::1]) is redirected to it, so the session and the links always match.
export ESPACE_PUBLIC_BASE_URL="${ESPACE_PUBLIC_BASE_URL:-http://localhost:$PORT}"

phase 1 5 "Python environment (.venv)"
ensure_python_env ""
phase 2 5 "Build tools (bun, axe-core) from npm"
ensure_node_tools
phase 3 5 "Database: migrations and demo data (data/)"
"$VENV/bin/espace" migrate
"$VENV/bin/espace" seed --if-empty
log "Building the search index when it is not built yet (a fresh installation: about a minute)"
ESPACE_SEARCH_THREADS="${ESPACE_SEARCH_THREADS:-2}" "$VENV/bin/espace" reindex --if-needed

log "==================================================================================="
log "DEMO MODE (ESPACE_ENV=${ESPACE_ENV:-dev}): not a production setup."
log " - demo accounts whose passwords are published in README.md;"
log " - e-mails and SMS are not sent (no ESPACE_SMTP_HOST): codes and sign-in links are shown in"
log "   the development mailbox $ESPACE_PUBLIC_BASE_URL/dev/boite-mail (this machine only);"
log " - secret key and Web Push (VAPID) keys generated once under data/."
log "Production: ESPACE_ENV=prod, a secret key, an https:// base URL, SMTP, no demo data;"
log "see \"Running in production\" in README.md."
log "==================================================================================="

phase 4 5 "Worker (e-mails, SMS, push, periodic jobs)"
# The worker sends e-mails, SMS and push after each commit and runs the periodic jobs (debit
# reminders, purges, contract terms). Its own session: Ctrl+C reaches the app only, and the worker
# is stopped gracefully (SIGTERM: the message being sent finishes) when the app stops.
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

phase 5 5 "Web app: build (about 1 minute the first time), then start"
log "Demo holder: camille.martin@example.com (or contract MRH0412857) / Tournesol#Lyon2026"
# Reflex's own lines that would mislead here are left out: its hint to start the app with
# `uv run reflex run` (run.sh does it), the warning that Node 20 is old (bun builds the app; Node
# 20+ is enough, see README.md), and its "App running at" address (replaced by the one to open).
export PYTHONUNBUFFERED=1
"$VENV/bin/reflex" run --env prod --frontend-port "$PORT" --backend-port "$PORT" 2>&1 |
  while IFS= read -r line; do
    case "$line" in
      *"reflex run\` to start the app"* | *"Node.js is out of date"*) ;;
      *"App running at"*)
        log "Espace is ready: open $ESPACE_PUBLIC_BASE_URL (Ctrl+C to stop)"
        ;;
      *) printf '%s\n' "$line" ;;
    esac
  done
