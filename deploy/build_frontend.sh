#!/usr/bin/env bash
# Build Espace's frontend ONCE, for every backend process, into a folder nginx serves.
#
#   deploy/build_frontend.sh OUT_DIR
#
# Needs ESPACE_PUBLIC_BASE_URL (the address people use: it is baked into the build, env.json) and the
# same ESPACE_ENV as the backends (prod: the development mailbox page does not exist). The result:
#   OUT_DIR/client/          the static files (pages, /assets/*, .gz sidecars for gzip_static)
#   OUT_DIR/headers.conf     nginx `map` of each page's Content-Security-Policy (hashes of its inline
#                            scripts), included by deploy/nginx/espace.conf.template
#   OUT_DIR/BUILD            what was built (base URL, env, reflex and bun versions, sha256 of the files)
# The build is reproducible: Reflex bakes .web/reflex.json (a random project hash and timestamps) into a
# chunk, so it is normalised and the bundle rebuilt; two builds of the same commit, lock file and bun
# version give byte-identical files (tests/stack/test_two_processes.py). Every backend must run the
# same commit: a page from another build gets `state_mismatch` and reloads itself.
#
# Environment: REFLEX_WEB_WORKDIR (default .web-build) keeps this build apart from the `.web` that
# `reflex run` (./run.sh, the browser tests) uses.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:?usage: deploy/build_frontend.sh OUT_DIR}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
cd "$ROOT"
PY="${PYTHON:-$ROOT/.venv/bin/python}"
REFLEX="$(dirname "$PY")/reflex"
export PATH="$ROOT/.tools/node_modules/.bin:$PATH" REFLEX_USE_SYSTEM_BUN=1 REFLEX_TELEMETRY_ENABLED=false
# Python salts str hashes per process, and Reflex names some refs after hash(var): fix the seed.
export PYTHONHASHSEED=0
export REFLEX_WEB_WORKDIR="${REFLEX_WEB_WORKDIR:-.web-build}"
: "${ESPACE_PUBLIC_BASE_URL:?set ESPACE_PUBLIC_BASE_URL to the address people use}"

"$REFLEX" export --frontend-only --no-zip --loglevel warning
# Reproducible bundle: the same reflex.json whatever the machine and the time, then the bundle again.
printf '{"version": "%s", "project_hash": 0}' "$("$PY" -c 'from importlib.metadata import version; print(version("reflex"))')" \
  > "$REFLEX_WEB_WORKDIR/reflex.json"
"$PY" -c 'from reflex.utils import build; build.build()'

rm -rf "$OUT/client.new"
cp -a "$REFLEX_WEB_WORKDIR/build/client" "$OUT/client.new"
rm -rf "$OUT/client"
mv "$OUT/client.new" "$OUT/client"
"$PY" -m espace.api.frontend_build "$OUT"
echo "frontend built into $OUT/client (headers: $OUT/headers.conf)"
