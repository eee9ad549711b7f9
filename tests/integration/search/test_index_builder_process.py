"""The index builder the web worker starts at a first start (``espace reindex --if-needed``) runs
in its own session, so it must stop when the worker ends: e2e runs left one building for minutes
after each app, each taking a core."""

from __future__ import annotations

import os
import subprocess
import sys

from espace.search import indexer


def test_the_builder_is_told_to_stop_with_the_worker_that_started_it(monkeypatch):
    started: list[list[str]] = []

    class Index:
        def is_built(self) -> bool:
            return False

    monkeypatch.setattr(indexer, "get_index", lambda: Index())
    monkeypatch.setattr(indexer.subprocess, "Popen", lambda command, **kw: started.append(command))
    indexer.build_in_separate_process()
    (command,) = started
    assert command[-2:] == ["--stop-with", str(os.getpid())]
    assert "reindex" in command and "--if-needed" in command


def test_a_builder_exits_once_its_server_has_ended():
    server = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(0.5)"])
    builder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import time\n"
            "from espace.search import indexer\n"
            f"indexer.stop_with({server.pid}, every=0.05)\n"
            "time.sleep(120)\n",
        ]
    )
    server.wait()
    try:
        assert builder.wait(timeout=60) == 3  # stopped by the watch, long before its sleep ends
    finally:
        builder.kill()
