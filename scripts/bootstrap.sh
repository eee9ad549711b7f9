# Shared by run.sh and test.sh: installs what Espace needs, from PyPI, npm and (as root) Debian.
# Sourced, not executed. Idempotent: a second run installs nothing new.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
TOOLS="$ROOT/.tools"

log() { printf '\033[1;34m[espace]\033[0m %s\n' "$*"; }

# phase N TOTAL "what": a numbered step of the first run, so that a long one never looks hung.
phase() { printf '\n\033[1;34m[espace %s/%s]\033[0m \033[1m%s\033[0m\n' "$1" "$2" "$3"; }

# with_progress "label" command...: run a long, quiet command and say every 10 s that it still
# works (pip and npm print nothing with --quiet); its exit status is the command's.
with_progress() {
  local label="$1" pid start rc=0
  shift
  start=$SECONDS
  "$@" &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    for _ in 1 2 3 4 5 6 7 8 9 10; do
      kill -0 "$pid" 2>/dev/null || break
      sleep 1
    done
    if kill -0 "$pid" 2>/dev/null; then
      log "  … $label ($((SECONDS - start)) s)" >&2
    fi
  done
  wait "$pid" || rc=$?
  [ "$rc" -eq 0 ] && log "  done: $label ($((SECONDS - start)) s)" >&2
  return "$rc"
}

find_python() {
  for candidate in "${PYTHON:-}" python3.11 python3; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then
      echo "$candidate"; return 0
    fi
  done
  echo "Python 3.11 is required (set PYTHON=/path/to/python3.11)." >&2
  return 1
}

# ensure_uv: uv, from PyPI into .tools/uv (one pinned version): it installs the locked dependencies
# in seconds where pip takes minutes.
UV_VERSION="0.13.9"
ensure_uv() {
  UV="$TOOLS/uv/bin/uv"
  if [ ! -x "$UV" ] || [ "$("$UV" --version 2>/dev/null | cut -d' ' -f2)" != "$UV_VERSION" ]; then
    log "Installing uv $UV_VERSION from PyPI into .tools/uv"
    rm -rf "$TOOLS/uv"
    "$(find_python)" -m pip install --quiet --disable-pip-version-check --root-user-action=ignore --target "$TOOLS/uv" \
      "uv==$UV_VERSION"
  fi
  export UV_PYTHON_DOWNLOADS=never  # the system's Python 3.11, never a downloaded one
}

# ensure_python_env [extra...]: .venv holds exactly the versions of uv.lock (Espace editable, plus
# the extras named) and nothing else. The lock changes only on purpose: `uv lock --upgrade`
# (or `uv lock --upgrade-package NAME`), then the whole suite, then commit uv.lock.
ensure_python_env() {
  local args=() extra key
  for extra in "$@"; do
    [ -n "$extra" ] && args+=(--extra "$extra")
  done
  key="$(cat "$ROOT/uv.lock" "$ROOT/pyproject.toml" | sha256sum | cut -c1-16) ${*:-base}"
  if [ "$(cat "$VENV/.espace-synced" 2>/dev/null)" != "$key" ]; then
    ensure_uv
    log "Installing the locked Python dependencies (uv.lock${*:+, extras: $*})"
    with_progress "Python dependencies" "$UV" sync --quiet --frozen --project "$ROOT" --python "$(find_python)" "${args[@]}"
    echo "$key" >"$VENV/.espace-synced"
  fi
}

# ensure_node_tools: bun (Reflex's build tool) and axe-core, from the npm registry, into .tools/.
ensure_node_tools() {
  if ! command -v npm >/dev/null 2>&1; then
    echo "Node.js 20+ with npm is required (Debian: apt-get install nodejs npm)." >&2
    return 1
  fi
  if [ ! -x "$TOOLS/node_modules/.bin/bun" ] || [ ! -f "$TOOLS/node_modules/axe-core/axe.min.js" ]; then
    log "Installing bun and axe-core from npm into .tools/"
    with_progress "npm install" npm install --prefix "$TOOLS" --no-audit --no-fund --loglevel=error bun@1.4 axe-core@4 >/dev/null
  else
    log "bun and axe-core already installed"
  fi
  export PATH="$TOOLS/node_modules/.bin:$PATH"
  export REFLEX_USE_SYSTEM_BUN=1 REFLEX_TELEMETRY_ENABLED=false
}

apt_install() {
  if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
    return 1
  fi
  if [ -z "${ESPACE_APT_UPDATED:-}" ]; then
    apt-get update -qq >/dev/null
    export ESPACE_APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# ensure_browser: Debian's Chromium headless shell where possible (Playwright's own download is
# blocked on locked-down networks; the shell runs the browser tests a fifth faster than the whole
# Chromium), else Debian's Chromium; on a laptop without apt, Playwright's own Chromium.
ensure_browser() {
  if [ -n "${ESPACE_CHROMIUM:-}" ] || [ -x /usr/bin/chromium-headless-shell ]; then
    return 0
  fi
  log "Installing Chromium's headless shell"
  apt_install chromium-headless-shell && return 0
  if [ -x /usr/bin/chromium ] || [ -x /usr/bin/chromium-browser ]; then
    return 0
  fi
  apt_install chromium || "$VENV/bin/playwright" install chromium
}

# ensure_postgres: the PostgreSQL server binaries, so that the migrations are tested on it too.
ensure_postgres() {
  if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1; then
    return 0
  fi
  log "Installing PostgreSQL (for the migration tests)"
  apt_install postgresql || log "PostgreSQL not installed: its tests will be skipped"
}

# run_checks: lint (ruff), formatting (ruff format), types (mypy, on the packages of [tool.mypy]),
# the import contracts (lint-imports, see ARCHITECTURE.md), the modules' size (400 lines at most)
# and the lock in step with pyproject.toml, before any test. Needs the "test" extra.
# ESPACE_SKIP_CHECKS=1 skips them.
run_checks() {
  if [ "${ESPACE_SKIP_CHECKS:-}" = "1" ]; then
    return 0
  fi
  log "Checking the code: ruff check, ruff format --check, mypy, lint-imports, module sizes," \
    "uv lock --check"
  (
    cd "$ROOT"
    "$VENV/bin/ruff" check --quiet .
    "$VENV/bin/ruff" format --check --quiet .
    "$VENV/bin/mypy" --no-error-summary
    scripts/check_module_size.sh
    ensure_uv
    "$UV" lock --check --offline --quiet --project "$ROOT" ||
      { echo "uv.lock is out of step with pyproject.toml: run uv lock" >&2; exit 1; }
    if ! report="$("$VENV/bin/lint-imports" --no-logo 2>&1)"; then
      printf '%s\n' "$report" >&2
      exit 1
    fi
  )
}

# ensure_stack_servers: Redis and nginx, for the production-layout tests (tests/stack: two backends
# behind nginx on PostgreSQL, Redis and an S3 server). Without them those tests are skipped.
ensure_stack_servers() {
  local missing=()
  command -v redis-server >/dev/null 2>&1 || [ -x /usr/bin/redis-server ] || missing+=(redis-server)
  command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
  [ ${#missing[@]} -eq 0 ] && return 0
  log "Installing ${missing[*]} (for the production-layout tests)"
  apt_install "${missing[@]}" || log "${missing[*]} not installed: the production-layout tests will be skipped"
  # Debian starts the packaged services; the tests start their own on free ports
  if command -v systemctl >/dev/null 2>&1; then
    systemctl disable --now redis-server nginx >/dev/null 2>&1 || true
  fi
}
