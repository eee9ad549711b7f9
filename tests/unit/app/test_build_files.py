"""A build leaves the tracked files unchanged.

Every ``reflex run``/``reflex export`` renders ``.web/package.json`` from
``reflex.lock/package.json`` with ``json.dumps`` (one line, no final newline) and copies it back to
``reflex.lock/``: a tracked copy in any other form is rewritten by each build and dirties
``git status``. The tracked copy must be byte for byte what Reflex renders from it.
"""

from __future__ import annotations

import json

import pytest

from espace.core.settings import PROJECT_ROOT

LOCK_DIR = PROJECT_ROOT / "reflex.lock"


def test_tracked_package_json_is_what_reflex_writes_back(monkeypatch: pytest.MonkeyPatch):
    from reflex.utils.frontend_skeleton import _compile_package_json

    monkeypatch.chdir(PROJECT_ROOT)  # Reflex reads reflex.lock/ from the working directory
    tracked = (LOCK_DIR / "package.json").read_text()
    assert _compile_package_json() == tracked, (
        "reflex.lock/package.json is not in the form Reflex writes: the next build rewrites it. "
        "Regenerate it with: python -c 'from reflex.utils.frontend_skeleton import "
        '_compile_package_json as c; print(c(), end="")\' > reflex.lock/package.json.new'
    )


def test_tracked_package_json_pins_every_dependency():
    pinned = json.loads((LOCK_DIR / "package.json").read_text())
    versions = {**pinned["dependencies"], **pinned["devDependencies"]}
    assert versions and all(v[0].isdigit() or v.startswith("v") for v in versions.values())
    assert (LOCK_DIR / "bun.lock").exists()
