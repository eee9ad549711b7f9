"""The search index: one SQLite file (FTS5 over stemmed text, vectors as float16 blobs).

It lives beside the data (``data/search.db``) whatever the main database is: it can be rebuilt at
any time from the database (``espace reindex``). Every item has a *scope* that says who may find
it: ``pub`` (everyone: FAQ, general conditions, glossary), ``f<formula>`` (holders of that formula:
its guarantees) or ``h<holder id>`` (one holder's own documents, claims, messages, payments)."""

from __future__ import annotations

import sqlite3
import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np

from espace.core.settings import get_settings
from espace.search import text

SCHEMA = """
CREATE TABLE IF NOT EXISTS item (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    scope TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    url TEXT NOT NULL,
    day TEXT,
    amount_cents INTEGER,
    category TEXT NOT NULL DEFAULT '',
    contract TEXT NOT NULL DEFAULT '',
    vec BLOB
);
CREATE INDEX IF NOT EXISTS item_scope ON item(scope);
CREATE VIRTUAL TABLE IF NOT EXISTS item_fts USING fts5(scope, title, body, tokenize='unicode61 remove_diacritics 2');
CREATE TABLE IF NOT EXISTS word (word TEXT PRIMARY KEY, n INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS vector_cache (digest TEXT PRIMARY KEY, vec BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


@dataclass
class SearchDoc:
    key: str  # e.g. "claim:SIN-2026-000001"
    kind: str  # guarantee | article | glossary | faq | document | claim | message | payment
    scope: str
    title: str
    body: str
    url: str
    day: date | None = None
    amount_cents: int | None = None
    category: str = ""  # guarantee category, when there is one
    contract: str = ""  # contract number, when there is one
    vector: np.ndarray | None = field(default=None, repr=False)

    @property
    def indexed_text(self) -> str:
        return f"{self.title}\n{self.body}"


def is_shared(scope: str) -> bool:
    """Public items and formula guarantees, as opposed to one holder's own items ("h<id>")."""
    return not scope.startswith("h")


def default_path() -> Path:
    return get_settings().data_dir / "search.db"


class SearchIndex:
    """Thread-safe access to the index file (Reflex handlers run in several threads)."""

    def __init__(self, path: Path | str | None = None):
        self.path = Path(path) if path else default_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(str(self.path), check_same_thread=False, isolation_level=None)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.executescript(SCHEMA)
        self._vocabulary: list[str] | None = None
        self._vocabulary_set: frozenset[str] = frozenset()

    # ----- writing -----

    def upsert(self, docs: list[SearchDoc]) -> None:
        if not docs:
            return
        with self._lock:
            cur = self._conn.cursor()
            cur.execute("BEGIN")
            try:
                for doc in docs:
                    self._delete(cur, doc.key)
                    vec = (
                        doc.vector.astype(np.float16).tobytes() if doc.vector is not None else None
                    )
                    cur.execute(
                        "INSERT INTO item(key, kind, scope, title, body, url, day, amount_cents, category, contract, vec)"
                        " VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                        (
                            doc.key,
                            doc.kind,
                            doc.scope,
                            doc.title,
                            doc.body,
                            doc.url,
                            doc.day.isoformat() if doc.day else None,
                            doc.amount_cents,
                            doc.category,
                            doc.contract,
                            vec,
                        ),
                    )
                    rowid = cur.lastrowid
                    # The scope is a token too: a holder's query only walks the posting lists of their scopes.
                    cur.execute(
                        "INSERT INTO item_fts(rowid, scope, title, body) VALUES (?,?,?,?)",
                        (rowid, doc.scope, text.normalise(doc.title), text.normalise(doc.body)),
                    )
                    self._count_words(cur, doc, +1)
                cur.execute("COMMIT")
            except BaseException:
                cur.execute("ROLLBACK")
                raise
            self._vocabulary = None

    def delete(self, keys: list[str]) -> None:
        with self._lock:
            cur = self._conn.cursor()
            cur.execute("BEGIN")
            for key in keys:
                self._delete(cur, key)
            cur.execute("COMMIT")
            self._vocabulary = None

    def _delete(self, cur: sqlite3.Cursor, key: str) -> None:
        row = cur.execute(
            "SELECT id, title, body, scope FROM item WHERE key = ?", (key,)
        ).fetchone()
        if row is None:
            return
        cur.execute("DELETE FROM item_fts WHERE rowid = ?", (row[0],))
        cur.execute("DELETE FROM item WHERE id = ?", (row[0],))
        self._count_words(cur, SearchDoc(key, "", row[3], row[1], row[2], ""), -1)

    @staticmethod
    def _count_words(cur: sqlite3.Cursor, doc: SearchDoc, sign: int) -> None:
        """The shared vocabulary (typo correction) holds only the words of shared items: the words of a
        holder's own messages or documents must never be suggested to anybody else."""
        if not is_shared(doc.scope):
            return
        counts = Counter(w for w in text.terms(doc.indexed_text) if not w.isdigit() and len(w) > 2)
        if sign > 0:
            cur.executemany(
                "INSERT INTO word(word, n) VALUES (?, ?) ON CONFLICT(word) DO UPDATE SET n = n + excluded.n",
                list(counts.items()),
            )
        else:
            cur.executemany(
                "UPDATE word SET n = n - ? WHERE word = ?", [(n, w) for w, n in counts.items()]
            )
            cur.execute("DELETE FROM word WHERE n <= 0")

    def cached_vectors(self, digests: list[str]) -> dict[str, np.ndarray]:
        """Embeddings already computed for these texts (a rebuild re-embeds only what changed)."""
        found: dict[str, np.ndarray] = {}
        with self._lock:
            for start in range(0, len(digests), 500):
                chunk = digests[start : start + 500]
                for digest, blob in self._conn.execute(
                    f"SELECT digest, vec FROM vector_cache WHERE digest IN ({','.join('?' * len(chunk))})",
                    chunk,
                ):
                    found[digest] = np.frombuffer(blob, dtype=np.float16).astype(np.float32)
        return found

    def cache_vectors(self, pairs: list[tuple[str, np.ndarray]]) -> None:
        with self._lock:
            self._conn.executemany(
                "INSERT OR REPLACE INTO vector_cache(digest, vec) VALUES (?, ?)",
                [(d, v.astype(np.float16).tobytes()) for d, v in pairs],
            )

    def is_built(self) -> bool:
        with self._lock:
            return (
                self._conn.execute("SELECT 1 FROM meta WHERE key = 'built'").fetchone() is not None
            )

    def mark_built(self) -> None:
        with self._lock:
            self._conn.execute(
                "INSERT OR REPLACE INTO meta(key, value) VALUES ('built', datetime('now'))"
            )

    def clear(self) -> None:
        """Empty the index, and the vectors cached from texts no longer indexed (they may be private)."""
        with self._lock:
            self._conn.executescript(
                "DELETE FROM item; DELETE FROM item_fts; DELETE FROM word; "
                "DELETE FROM meta WHERE key = 'built';"
            )
            self._vocabulary = None

    # ----- reading -----

    def count(self) -> int:
        with self._lock:
            return self._conn.execute("SELECT count(*) FROM item").fetchone()[0]

    def own_words(self, scope: str) -> set[str]:
        """The folded words of one holder's own items (their own typos are corrected against them)."""
        words: set[str] = set()
        for title, body in self.execute("SELECT title, body FROM item WHERE scope = ?", (scope,)):
            words.update(w for w in text.terms(f"{title} {body}") if not w.isdigit() and len(w) > 2)
        return words

    def vocabulary(self) -> list[str]:
        """The folded words of the shared items, for typo correction (cached until the next write)."""
        with self._lock:
            if self._vocabulary is None:
                self._vocabulary = [row[0] for row in self._conn.execute("SELECT word FROM word")]
                self._vocabulary_set = frozenset(self._vocabulary)
            return self._vocabulary

    def vocabulary_set(self) -> frozenset[str]:
        """The same words as a set, built once per change of the index (queries look words up in it)."""
        with self._lock:
            self.vocabulary()
            return self._vocabulary_set

    def execute(self, sql: str, params: tuple | list = ()) -> list[tuple]:
        with self._lock:
            return self._conn.execute(sql, params).fetchall()

    def close(self) -> None:
        with self._lock:
            self._conn.close()


_shared: dict[Path, SearchIndex] = {}
_shared_lock = threading.Lock()


def get_index(path: Path | None = None) -> SearchIndex:
    """The process-wide index for the configured data directory."""
    path = Path(path) if path else default_path()
    with _shared_lock:
        if path not in _shared:
            _shared[path] = SearchIndex(path)
        return _shared[path]


def reset_shared() -> None:
    """Forget open indexes (tests switch data directories)."""
    with _shared_lock:
        for index in _shared.values():
            index.close()
        _shared.clear()
