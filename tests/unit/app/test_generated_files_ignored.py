"""``git status`` stays clean after ``./run.sh`` and ``./test.sh`` (issue 23, "Done when").

Everything they generate (the virtual environment, the build tools, Reflex's build and state
folders, the demo's data, the tests' results and screenshots, the linters' caches) is ignored by
git, and no tracked file is rewritten (``reflex.lock/package.json``: test_build_files.py). Checked
with ``git check-ignore`` on a path inside each generated place, so nothing needs to be built.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest

from espace.core.settings import PROJECT_ROOT

# One path inside each place run.sh, test.sh, a build or the tests write to (verified by running
# ./run.sh then `git status --porcelain` in a fresh checkout).
GENERATED = (
    ".venv/bin/python",
    ".venv/.espace-synced",
    ".tools/node_modules/bun/package.json",
    ".tools/uv/bin/uv",
    ".web/package.json",
    ".web/build/client/index.html",
    ".states/espace.pkl",
    "data/espace.db",
    "data/secret_key",
    "data/vapid_private.pem",
    "data/storage/documents/1.pdf",
    "test-results/screens/tableau-de-bord-390.png",
    "test-results/app.log",
    "bench/results/search.json",
    "assets/external/reflex/x.js",
    "frontend.zip",
    "backend.zip",
    ".pytest_cache/v/cache/lastfailed",
    ".import_linter_cache/contracts.json",
    ".ruff_cache/0.1/123",
    ".mypy_cache/3.11/espace.json",
    "espace/__pycache__/espace.cpython-311.pyc",
    "espace.egg-info/PKG-INFO",
    "mutants/espace/x.py",
)


def _git(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["git", *args], cwd=PROJECT_ROOT, capture_output=True, text=True, check=False
    )


@pytest.fixture(scope="module")
def checkout():
    if shutil.which("git") is None or _git("rev-parse", "--git-dir").returncode != 0:
        pytest.skip("not a git checkout")


def _beyond_a_link(path: str) -> bool:
    """A place that is a symbolic link here (a helper's worktree shares .tools): git does not look
    past it."""
    parts = path.split("/")[:-1]
    return any((PROJECT_ROOT / "/".join(parts[: i + 1])).is_symlink() for i in range(len(parts)))


def test_every_generated_place_is_ignored(checkout):
    paths = [path for path in GENERATED if not _beyond_a_link(path)]
    found = _git("check-ignore", "--no-index", "--verbose", "--non-matching", *paths)
    assert found.returncode in (0, 1), found.stderr
    not_ignored = [
        line.split("\t", 1)[1]
        for line in found.stdout.splitlines()
        if line.startswith("::\t")  # --non-matching: no ignore rule matched this path
    ]
    assert not not_ignored, f"generated but not ignored by .gitignore: {not_ignored}"
