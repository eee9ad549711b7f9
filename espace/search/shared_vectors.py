"""Passage embeddings shared by every search index built on one machine
(``ESPACE_SEARCH_VECTOR_CACHE``, a SQLite file): test runs, benches and demo restarts build many
indexes of the same texts, and embedding them costs about a quarter of a second of one core each
(ten minutes for the demo's 2 600 items). With this file each text is embedded once per machine.

One builder embeds at a time (a lock beside the file): a second one waits, then finds the first
one's vectors. Vectors are keyed by the digest of the text and by the model that made them.

Not for production (ignored there, with a warning): the file keeps the vectors of texts that were
erased since, which an index's own cache forgets (``forget_vectors_not_in_use``)."""

from __future__ import annotations

import fcntl
import logging
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
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
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute(
            "CREATE TABLE IF NOT EXISTS vector (model TEXT NOT NULL, digest TEXT NOT NULL, "
            "vec BLOB NOT NULL, PRIMARY KEY (model, digest))"
        )
        self._conn.commit()

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

    @contextmanager
    def one_builder(self) -> Iterator[None]:
        """Embed while no other process does (it may be embedding the same texts)."""
        with open(self.path.with_name(self.path.name + ".lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)


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
