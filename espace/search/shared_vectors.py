"""Passage embeddings shared by every search index built on one machine
(``ESPACE_SEARCH_VECTOR_CACHE``, a SQLite file): test runs, benches and demo restarts build many
indexes of the same texts, and embedding them costs about a quarter of a second of one core each
(ten minutes for the demo's 2 600 items). With this file each text is embedded once per machine.

Several processes often build at once (the test workers, a server and its build process): they
share the work. Each text has a lock (a byte of a lock file beside the cache, at an offset given by
the text's digest); a builder embeds the texts whose lock it gets at once, then waits for the
others and reads their vectors from the file. Two builders of the same texts thus each embed about
half of them. Vectors are keyed by the digest of the text and by the model that made them.

Not for production (ignored there, with a warning): the file keeps the vectors of texts that were
erased since, which an index's own cache forgets (``forget_vectors_not_in_use``)."""

from __future__ import annotations

import fcntl
import logging
import os
import sqlite3
import threading
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

import numpy as np

from espace.core.settings import get_settings
from espace.search import embeddings

log = logging.getLogger(__name__)
_lock = threading.Lock()


def _model_id() -> str:
    try:
        version = metadata.version(get_settings().search_model)
    except metadata.PackageNotFoundError:
        version = "?"
    return f"{get_settings().search_model}-{version}-{embeddings.PASSAGE_CHARS}"


class SharedVectors:
    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.model = _model_id()
        self._conn = sqlite3.connect(path, timeout=60, check_same_thread=False)
        # Two processes turning a new file to WAL at once: SQLite answers "database is locked" to
        # one of them at once, without waiting (its deadlock rule). One process at a time here.
        init = os.open(path.with_name(path.name + ".init"), os.O_RDWR | os.O_CREAT)
        try:
            fcntl.flock(init, fcntl.LOCK_EX)
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute(
                "CREATE TABLE IF NOT EXISTS vector (model TEXT NOT NULL, digest TEXT NOT NULL, "
                "vec BLOB NOT NULL, PRIMARY KEY (model, digest))"
            )
            self._conn.commit()
        finally:
            os.close(init)  # frees the lock
        # Record locks (``lockf``) belong to the process and are all freed when any of its
        # descriptors of the file is closed: one descriptor, opened once, kept open.
        self._lock_file = os.open(path.with_name(path.name + ".lock"), os.O_RDWR | os.O_CREAT)

    def get(self, digests: list[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        with _lock:
            for start in range(0, len(digests), 500):
                chunk = digests[start : start + 500]
                for digest, blob in self._conn.execute(
                    "SELECT digest, vec FROM vector WHERE model = ? "
                    f"AND digest IN ({','.join('?' * len(chunk))})",
                    [self.model, *chunk],
                ):
                    found[digest] = np.frombuffer(blob, dtype=np.float16).astype(np.float32)
        return found

    def put(self, pairs: list[tuple[str, np.ndarray]]) -> None:
        with _lock:
            self._conn.executemany(
                "INSERT OR REPLACE INTO vector(model, digest, vec) VALUES (?, ?, ?)",
                [(self.model, d, v.astype(np.float16).tobytes()) for d, v in pairs],
            )
            self._conn.commit()

    def share_work(
        self,
        digests: list[str],
        compute: Callable[[list[str]], dict[str, np.ndarray]],
        *,
        batch: int,
    ) -> dict[str, np.ndarray]:
        """The vectors of the digests: those already in the file; those of the texts no other
        process is embedding, computed here (``compute``, ``batch`` at a time) and written to the
        file; then the others', waited for (and computed here if their builder stopped).

        A builder never waits while it holds a lock, so two builders cannot wait for each other."""
        found = self.get(digests)
        busy: list[str] = []
        mine: list[str] = []
        for digest in (d for d in digests if d not in found):
            if self._lock_text(digest, wait=False):
                mine.append(digest)
            else:
                busy.append(digest)
            if len(mine) == batch:
                found |= self._compute_locked(mine, compute)
                mine = []
        if mine:
            found |= self._compute_locked(mine, compute)
        for digest in busy:
            self._lock_text(digest, wait=True)
            found |= self._compute_locked([digest], compute)
        return found

    def _compute_locked(
        self, digests: list[str], compute: Callable[[list[str]], dict[str, np.ndarray]]
    ) -> dict[str, np.ndarray]:
        """Read or compute the vectors of texts whose locks this process holds, then free them."""
        try:
            found = self.get(digests)  # another builder may have finished them meanwhile
            missing = [d for d in digests if d not in found]
            if missing:
                computed = compute(missing)
                self.put(list(computed.items()))
                found |= computed
            return found
        finally:
            for digest in digests:
                fcntl.lockf(self._lock_file, fcntl.LOCK_UN, 1, _offset(digest))

    def _lock_text(self, digest: str, *, wait: bool) -> bool:
        flags = fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB
        try:
            fcntl.lockf(self._lock_file, flags, 1, _offset(digest))
        except OSError:  # held by another process
            return False
        return True


def _offset(digest: str) -> int:
    """Where the text's lock is in the lock file (two texts rarely share one; if they do, one
    builder embeds both)."""
    return int(digest[:8], 16)


_opened: dict[Path, SharedVectors] = {}
_warned: list[Path] = []


def shared() -> SharedVectors | None:
    """The machine's shared cache when the settings name one (never in production)."""
    path = get_settings().search_vector_cache
    if path is None:
        return None
    if get_settings().env == "prod":
        if not _warned:
            _warned.append(path)
            log.warning("ESPACE_SEARCH_VECTOR_CACHE is ignored in production")
        return None
    with _lock:
        if path not in _opened:
            _opened[path] = SharedVectors(path)
        return _opened[path]
