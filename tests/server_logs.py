"""Fail a browser test when the server logged an exception while it ran.

A handler that raises shows the visitor only Reflex's "An error occurred" toast, which no assertion
on the page looks for; the server's log has the traceback. The e2e and stack conftests read what
each log gained during a test and fail the test when it holds one."""

from __future__ import annotations

from pathlib import Path

MARK = "Traceback (most recent call last)"


class LogWatch:
    def __init__(self, paths: list[Path]) -> None:
        self.paths = paths
        self.offsets = {path: self._size(path) for path in paths}

    @staticmethod
    def _size(path: Path) -> int:
        return path.stat().st_size if path.exists() else 0

    def tracebacks(self) -> list[str]:
        """Each traceback written since the watch began, with the lines that follow it."""
        found: list[str] = []
        for path in self.paths:
            if not path.exists():
                continue
            with path.open("rb") as log:
                log.seek(self.offsets[path])
                text = log.read().decode("utf-8", "replace")
            for part in text.split(MARK)[1:]:
                lines = part.splitlines()
                found.append(f"{path.name}: {MARK}" + "\n".join(lines[:60]))
        return found


def check(watch: LogWatch) -> None:
    found = watch.tracebacks()
    assert not found, "the server logged an exception during this test:\n" + "\n\n".join(found[:3])
