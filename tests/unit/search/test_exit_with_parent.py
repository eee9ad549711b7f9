"""The search index builder a web worker starts in its own session stops when that worker is gone
(every stopped app, e2e runs included, left one embedding for many minutes)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time

from espace.core.settings import PROJECT_ROOT
from espace.search import indexer

# The "web worker": starts the builder as build_in_separate_process does (own session, its pid in
# the environment), prints the builder's pid, and exits.
PARENT = textwrap.dedent(
    """
    import os, subprocess, sys
    child = subprocess.Popen(
        [sys.executable, "-c", sys.argv[1]],
        env={**os.environ, "ESPACE_REINDEX_PARENT_PID": str(os.getpid())},
        start_new_session=True,
    )
    print(child.pid, flush=True)
    """
)
BUILDER = textwrap.dedent(
    """
    import time
    from espace.search import indexer
    assert indexer.exit_with_parent(poll_seconds=0.05)
    time.sleep(120)  # a long build
    """
)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie of a process reaped by no one counts as gone
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_the_builder_stops_when_the_app_that_started_it_is_gone():
    out = subprocess.run(
        [sys.executable, "-c", PARENT, BUILDER],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    builder = int(out.stdout.split()[0])
    try:
        deadline = time.monotonic() + 60  # a liveness bound, not a measure: it stops in ~0.1 s
        while _alive(builder) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _alive(builder), "the builder outlived the app that started it"
    finally:
        if _alive(builder):
            os.kill(builder, 9)


def test_a_builder_started_by_hand_does_not_watch(monkeypatch):
    monkeypatch.delenv(indexer.PARENT_PID_ENV, raising=False)
    assert indexer.exit_with_parent() is False
