"""The search index: one per deployment, behind one interface with two backends.

- **SQLite** (the embedded default): one file beside the data (``data/search.db``), FTS5 over the
  stems of the text, vectors as float16 blobs.
- **PostgreSQL** (``espace.search.pg``, chosen automatically when the database is PostgreSQL):
  tables in the application's database, a ``tsvector`` column with a GIN index built by a French
  text-search configuration (``unaccent`` then Snowball French), the embeddings in a table; every
  process of the deployment shares it.

Either can be rebuilt at any time from the database (``espace reindex``). Every item has a *scope*
that says who may find it: ``pub`` (everyone: help articles, general conditions, glossary),
``f<formula>`` (holders of that formula: its guarantees), ``h<holder id>`` (one holder's own
documents, claims, messages, threads, payments) or ``s`` (the back office only: holder cards).

Each write appends to a change log (a counter): every process keeps its in-memory vector index
(``espace.search.vectors``) in step by reading the changes since the last one it applied."""

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

STAFF_SCOPE = "s"


@dataclass
class SearchDoc:
    key: str  # e.g. "claim:12"
    # guarantee | article | glossary | faq | document | claim | message | thread | payment | holder
    kind: str
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


@dataclass(frozen=True)
class Where:
    """Which items a ranker may return: scopes (None: all, for the back office), kinds, keys allowed
    (None: any), dates, amounts, guarantee category, contract."""

    scopes: tuple[str, ...] | None = None
    kinds: tuple[str, ...] = ()
    keys: tuple[str, ...] | None = None
    start: date | None = None
    end: date | None = None
    min_cents: int | None = None
    max_cents: int | None = None
    category: str = ""
    contract: str = ""
    public_scope: str = "pub"

    @property
    def only_scopes(self) -> bool:
        """No condition but the scopes (the vector index answers those alone)."""
        return (
            not self.kinds
            and self.keys is None
            and self.start is None
            and self.end is None
            and self.min_cents is None
            and self.max_cents is None
            and not self.category
            and not self.contract
        )


@dataclass(frozen=True)
class Clause:
    """One alternative of a keyword query: a phrase of stems (one stem: a word); ``prefix`` for a
    word being typed."""

    words: tuple[str, ...]  # folded words, canonical form (see text.canonical)
    prefix: bool = False

    @property
    def stems(self) -> tuple[str, ...]:
        return tuple(text.stem(w) for w in self.words)


@dataclass(frozen=True)
class Row:
    id: int
    key: str
    kind: str
    scope: str
    title: str
    body: str
    url: str
    day: date | None
    amount_cents: int | None
    category: str
    contract: str


def is_shared(scope: str) -> bool:
    """Public items and formula guarantees: their words may be suggested to anybody (typo
    correction). A holder's own items ("h<id>") and the back office's ("s") never."""
    return scope == "pub" or scope.startswith("f")


def words_of(doc_title: str, doc_body: str) -> Counter:
    return Counter(
        w for w in text.terms(f"{doc_title}\n{doc_body}") if not w.isdigit() and len(w) > 2
    )


class SearchIndex:
    """What the engine needs from a backend. Thread-safe (Reflex handlers run in several
    threads)."""

    backend = "abstract"

    # writing
    def upsert(self, docs: list[SearchDoc]) -> None:
        raise NotImplementedError

    def delete(self, keys: list[str]) -> None:
        raise NotImplementedError

    def clear(self) -> None:
        raise NotImplementedError

    def cached_vectors(self, digests: list[str]) -> dict[str, np.ndarray]:
        raise NotImplementedError

    def cache_vectors(self, pairs: list[tuple[str, np.ndarray]]) -> None:
        raise NotImplementedError

    # state of the build
    def meta(self, key: str) -> str | None:
        raise NotImplementedError

    def set_meta(self, key: str, value: str | None) -> None:
        raise NotImplementedError

    def is_built(self) -> bool:
        return self.meta("built") is not None

    def mark_built(self) -> None:
        from espace.core.models import utcnow

        self.set_meta("built", utcnow().isoformat())
        self.set_meta("progress", None)

    def set_progress(self, done: int, total: int) -> None:
        self.set_meta("progress", f"{done}/{total}")

    def progress(self) -> tuple[int, int] | None:
        """(items done, items to do) while a build runs, None otherwise."""
        value = self.meta("progress")
        if not value:
            return None
        done, _, total = value.partition("/")
        return int(done), int(total)

    # reading
    def count(self) -> int:
        raise NotImplementedError

    def titles(self) -> dict[str, str]:
        """Every item's key and title (tests, admin checks)."""
        raise NotImplementedError

    def vocabulary(self) -> list[str]:
        raise NotImplementedError

    def vocabulary_set(self) -> frozenset[str]:
        raise NotImplementedError

    def word_counts(self, words: list[str]) -> dict[str, int]:
        raise NotImplementedError

    def own_words(self, scope: str) -> set[str]:
        """The folded words of one holder's own items (their own typos are corrected against them),
        cached until that scope changes."""
        version = self.scope_version(scope)
        cache = self.__dict__.setdefault("_own_cache", {})
        found = cache.get(scope)
        if found is None or found[0] != version:
            words: set[str] = set()
            for title, body in self.scope_texts(scope, 2000):
                words.update(words_of(title, body))
            found = cache[scope] = (version, frozenset(words))
            if len(cache) > 2000:
                cache.pop(next(iter(cache)))
        return set(found[1])

    def scope_version(self, scope: str) -> int:
        """The last change of a scope (its cached data is stale when it moves)."""
        raise NotImplementedError

    def scope_texts(self, scope: str, limit: int) -> list[tuple[str, str]]:
        raise NotImplementedError

    def keyword(self, clauses: list[Clause], where: Where, limit: int) -> list[int]:
        """Ids of the items matching any clause, best first (BM25 / ts_rank; title counts more)."""
        raise NotImplementedError

    def contained(self, ids: list[int], stems: list[str]) -> dict[int, set[str]]:
        """Which of these stems each item holds."""
        raise NotImplementedError

    def doc_freq(self, stems: list[str]) -> tuple[dict[str, int], int]:
        """How many items hold each stem, and how many items there are (all scopes)."""
        raise NotImplementedError

    def rows(self, ids: list[int]) -> dict[int, Row]:
        raise NotImplementedError

    def filter_ids(self, ids: list[int], where: Where) -> set[int]:
        raise NotImplementedError

    def recent(self, where: Where, limit: int) -> list[int]:
        raise NotImplementedError

    # the vector index of each process
    def last_change(self) -> int:
        raise NotImplementedError

    def changes_since(self, seq: int) -> list[tuple[int, int, str]]:
        """(seq, item id, scope) of every write after ``seq``."""
        raise NotImplementedError

    def scope_vectors(self, scope: str) -> tuple[np.ndarray, np.ndarray]:
        """(ids, float16 matrix) of the items of a scope that have a vector."""
        raise NotImplementedError

    def vectors_of(self, ids: list[int]) -> dict[int, tuple[str, np.ndarray | None]]:
        """Scope and vector of the items that still exist."""
        raise NotImplementedError

    def close(self) -> None:
        pass


# ----- SQLite ------------------------------------------------------------------------------------

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
CREATE VIRTUAL TABLE IF NOT EXISTS item_fts
    USING fts5(scope, title, body, tokenize='unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE IF NOT EXISTS item_vocab USING fts5vocab(item_fts, 'row');
CREATE TABLE IF NOT EXISTS word (word TEXT PRIMARY KEY, n INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS vector_cache (digest TEXT PRIMARY KEY, vec BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS change_log (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, item_id INTEGER NOT NULL, scope TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS change_log_scope ON change_log(scope, seq);
"""
_NEAREST = "abs(julianday(coalesce(item.day, date('now'))) - julianday(date('now')))"
_ROW = "id, key, kind, scope, title, body, url, day, amount_cents, category, contract"
CHANGE_LOG_KEEP = (
    200_000  # rows of the change log kept (processes further behind reload everything)
)


def _row(r: tuple) -> Row:
    return Row(
        r[0], r[1], r[2], r[3], r[4], r[5], r[6], date.fromisoformat(r[7]) if r[7] else None, *r[8:]
    )


def _quote(stem: str) -> str:
    return '"' + stem.replace('"', "") + '"'


def default_path() -> Path:
    return get_settings().data_dir / "search.db"


class SqliteIndex(SearchIndex):
    backend = "sqlite"

    def __init__(self, path: Path | str | None = None):
        self.path = Path(path) if path else default_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(
            str(self.path), check_same_thread=False, isolation_level=None, timeout=30
        )
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.executescript(SCHEMA)
        self._vocabulary: list[str] | None = None
        self._vocabulary_set: frozenset[str] = frozenset()
        self._vocabulary_seq: str | None = None

    def execute(self, sql: str, params: tuple | list = ()) -> list[tuple]:
        with self._lock:
            return self._conn.execute(sql, params).fetchall()

    # ----- writing -----

    def upsert(self, docs: list[SearchDoc]) -> None:
        if not docs:
            return
        with self._lock:
            cur = self._conn.cursor()
            cur.execute("BEGIN IMMEDIATE")
            try:
                for doc in docs:
                    self._delete(cur, doc.key)
                    vec = (
                        doc.vector.astype(np.float16).tobytes() if doc.vector is not None else None
                    )
                    cur.execute(
                        f"INSERT INTO item({_ROW[4:]}, vec) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
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
                    # The scope is a token too: a holder's query only walks the posting lists of
                    # their scopes.
                    cur.execute(
                        "INSERT INTO item_fts(rowid, scope, title, body) VALUES (?,?,?,?)",
                        (rowid, doc.scope, text.normalise(doc.title), text.normalise(doc.body)),
                    )
                    cur.execute(
                        "INSERT INTO change_log(item_id, scope) VALUES (?, ?)", (rowid, doc.scope)
                    )
                    self._count_words(cur, doc.scope, doc.title, doc.body, +1)
                cur.execute("COMMIT")
            except BaseException:
                cur.execute("ROLLBACK")
                raise

    def delete(self, keys: list[str]) -> None:
        with self._lock:
            cur = self._conn.cursor()
            cur.execute("BEGIN IMMEDIATE")
            for key in keys:
                self._delete(cur, key)
            cur.execute("COMMIT")

    def _delete(self, cur: sqlite3.Cursor, key: str) -> None:
        row = cur.execute(
            "SELECT id, title, body, scope FROM item WHERE key = ?", (key,)
        ).fetchone()
        if row is None:
            return
        cur.execute("DELETE FROM item_fts WHERE rowid = ?", (row[0],))
        cur.execute("DELETE FROM item WHERE id = ?", (row[0],))
        cur.execute("INSERT INTO change_log(item_id, scope) VALUES (?, ?)", (row[0], row[3]))
        self._count_words(cur, row[3], row[1], row[2], -1)

    @staticmethod
    def _count_words(cur: sqlite3.Cursor, scope: str, title: str, body: str, sign: int) -> None:
        """The shared vocabulary (typo correction) holds only the words of shared items: the words
        of a holder's own messages or documents must never be suggested to anybody else."""
        if not is_shared(scope):
            return
        counts = words_of(title, body)
        if sign > 0:
            cur.executemany(
                "INSERT INTO word(word, n) VALUES (?, ?)"
                " ON CONFLICT(word) DO UPDATE SET n = n + excluded.n",
                list(counts.items()),
            )
        else:
            cur.executemany(
                "UPDATE word SET n = n - ? WHERE word = ?", [(n, w) for w, n in counts.items()]
            )
            cur.execute("DELETE FROM word WHERE n <= 0")
        cur.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('words', hex(randomblob(8)))")

    def cached_vectors(self, digests: list[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        with self._lock:
            for start in range(0, len(digests), 500):
                chunk = digests[start : start + 500]
                for digest, blob in self._conn.execute(
                    "SELECT digest, vec FROM vector_cache"
                    f" WHERE digest IN ({','.join('?' * len(chunk))})",
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

    def meta(self, key: str) -> str | None:
        row = self.execute("SELECT value FROM meta WHERE key = ?", (key,))
        return row[0][0] if row else None

    def set_meta(self, key: str, value: str | None) -> None:
        with self._lock:
            if value is None:
                self._conn.execute("DELETE FROM meta WHERE key = ?", (key,))
            else:
                self._conn.execute(
                    "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value)
                )

    def clear(self) -> None:
        """Empty the index (the vector cache stays: a rebuild re-embeds only what changed)."""
        with self._lock:
            ids = [r[0] for r in self._conn.execute("SELECT DISTINCT scope FROM item")]
            self._conn.executescript(
                "BEGIN; DELETE FROM item; DELETE FROM item_fts; DELETE FROM word; "
                "DELETE FROM meta WHERE key IN ('built', 'progress'); COMMIT;"
            )
            # Every process reloads the scopes it holds.
            self._conn.executemany(
                "INSERT INTO change_log(item_id, scope) VALUES (-1, ?)", [(s,) for s in ids]
            )

    def forget_vectors_not_in_use(self) -> None:
        """Drop cached vectors of texts no longer indexed (they may be private)."""
        with self._lock:
            self._conn.execute(
                "DELETE FROM vector_cache WHERE rowid NOT IN (SELECT rowid FROM vector_cache "
                "ORDER BY rowid DESC LIMIT (SELECT count(*) FROM item))"
            )

    # ----- reading -----

    def count(self) -> int:
        return self.execute("SELECT count(*) FROM item")[0][0]

    def titles(self) -> dict[str, str]:
        return dict(self.execute("SELECT key, title FROM item"))

    def _words_version(self) -> str:
        return self.meta("words") or ""

    def vocabulary(self) -> list[str]:
        """The folded words of the shared items, for typo correction (cached until they change)."""
        with self._lock:
            version = self._words_version()
            if self._vocabulary is None or self._vocabulary_seq != version:
                self._vocabulary = [row[0] for row in self._conn.execute("SELECT word FROM word")]
                self._vocabulary_set = frozenset(self._vocabulary)
                self._vocabulary_seq = version
            return self._vocabulary

    def vocabulary_set(self) -> frozenset[str]:
        with self._lock:
            self.vocabulary()
            return self._vocabulary_set

    def word_counts(self, words: list[str]) -> dict[str, int]:
        if not words:
            return {}
        return dict(
            self.execute(
                f"SELECT word, n FROM word WHERE word IN ({','.join('?' * len(words))})", words
            )
        )

    def scope_version(self, scope: str) -> int:
        return self.execute("SELECT max(seq) FROM change_log WHERE scope = ?", (scope,))[0][0] or 0

    def scope_texts(self, scope: str, limit: int) -> list[tuple[str, str]]:
        return self.execute(
            f"SELECT title, body FROM item WHERE scope = ? LIMIT {int(limit)}", (scope,)
        )

    def _where(self, where: Where) -> tuple[str, list]:
        clauses: list[str] = []
        params: list = []
        if where.scopes is not None:
            clauses.append(f"item.scope IN ({','.join('?' * len(where.scopes))})")
            params += list(where.scopes)
        if where.kinds:
            clauses.append(f"item.kind IN ({','.join('?' * len(where.kinds))})")
            params += list(where.kinds)
        if where.keys is not None:
            clauses.append(f"item.key IN ({','.join('?' * len(where.keys))})")
            params += list(where.keys)
        if where.start:
            clauses.append("item.day >= ?")
            params.append(where.start.isoformat())
        if where.end:
            clauses.append("item.day <= ?")
            params.append(where.end.isoformat())
        if where.min_cents is not None:
            clauses.append("item.amount_cents >= ?")
            params.append(where.min_cents)
        if where.max_cents is not None:
            clauses.append("item.amount_cents <= ?")
            params.append(where.max_cents)
        if where.category:
            clauses.append("item.category = ?")
            params.append(where.category)
        if where.contract:
            clauses.append("(item.contract = ? OR item.scope = ?)")
            params += [where.contract, where.public_scope]
        return (" AND ".join(clauses) or "1"), params

    @staticmethod
    def _match(clauses: list[Clause]) -> str:
        parts = []
        for clause in clauses:
            stems = [s for s in clause.stems if s]
            if not stems:
                continue
            phrase = '"' + " ".join(s.replace('"', "") for s in stems) + '"'
            parts.append(phrase + ("*" if clause.prefix else ""))
        return " OR ".join(dict.fromkeys(parts))

    def keyword(self, clauses: list[Clause], where: Where, limit: int) -> list[int]:
        match = self._match(clauses)
        if not match or (where.scopes is not None and not where.scopes):
            return []
        if where.scopes is not None:
            match = "scope : (" + " OR ".join(_quote(s) for s in where.scopes) + f") AND ({match})"
        sql_where, params = self._where(where)
        # Items that score the same (a holder's monthly payments or receipts differ only by their
        # dates): the one nearest to today first.
        sql = (
            f"SELECT item.id FROM item_fts JOIN item ON item.id = item_fts.rowid "
            f"WHERE item_fts MATCH ? AND {sql_where} "
            f"ORDER BY round(bm25(item_fts, 0.0, 3.0, 1.0), 2), {_NEAREST} LIMIT {int(limit)}"
        )
        try:
            return [row[0] for row in self.execute(sql, [match, *params])]
        except sqlite3.OperationalError:  # a malformed match (terms are quoted: should not happen)
            return []

    def contained(self, ids: list[int], stems: list[str]) -> dict[int, set[str]]:
        if not ids:
            return {}
        wanted = set(stems)
        rows = self.execute(
            f"SELECT rowid, title, body FROM item_fts WHERE rowid IN ({','.join('?' * len(ids))})",
            ids,
        )
        return {r[0]: wanted.intersection(f"{r[1]} {r[2]}".split()) for r in rows}

    def doc_freq(self, stems: list[str]) -> tuple[dict[str, int], int]:
        found: dict[str, int] = {}
        if stems:
            found = dict(
                self.execute(
                    "SELECT term, doc FROM item_vocab"
                    f" WHERE term IN ({','.join('?' * len(stems))})",
                    stems,
                )
            )
        total = self.execute("SELECT max(id) FROM item")[0][0] or 0
        return found, total

    def rows(self, ids: list[int]) -> dict[int, Row]:
        if not ids:
            return {}
        return {
            r[0]: _row(r)
            for r in self.execute(
                f"SELECT {_ROW} FROM item WHERE id IN ({','.join('?' * len(ids))})", ids
            )
        }

    def filter_ids(self, ids: list[int], where: Where) -> set[int]:
        if not ids:
            return set()
        sql_where, params = self._where(where)
        return {
            r[0]
            for r in self.execute(
                f"SELECT id FROM item WHERE id IN ({','.join('?' * len(ids))}) AND {sql_where}",
                [*ids, *params],
            )
        }

    def recent(self, where: Where, limit: int) -> list[int]:
        sql_where, params = self._where(where)
        return [
            r[0]
            for r in self.execute(
                f"SELECT id FROM item WHERE {sql_where} ORDER BY day DESC LIMIT {int(limit)}",
                params,
            )
        ]

    def last_change(self) -> int:
        return self.execute("SELECT max(seq) FROM change_log")[0][0] or 0

    def changes_since(self, seq: int) -> list[tuple[int, int, str]]:
        return [
            (r[0], r[1], r[2])
            for r in self.execute(
                "SELECT seq, item_id, scope FROM change_log"
                " WHERE seq > ? ORDER BY seq LIMIT 100001",
                (seq,),
            )
        ]

    def prune_changes(self) -> None:
        with self._lock:
            self._conn.execute(
                "DELETE FROM change_log WHERE seq < (SELECT max(seq) FROM change_log) - ?",
                (CHANGE_LOG_KEEP,),
            )

    def scope_vectors(self, scope: str) -> tuple[np.ndarray, np.ndarray]:
        rows = self.execute(
            "SELECT id, vec FROM item WHERE scope = ? AND vec IS NOT NULL ORDER BY id", (scope,)
        )
        return _matrix(rows)

    def vectors_of(self, ids: list[int]) -> dict[int, tuple[str, np.ndarray | None]]:
        found: dict[int, tuple[str, np.ndarray | None]] = {}
        for start in range(0, len(ids), 900):
            chunk = ids[start : start + 900]
            for item_id, scope, blob in self.execute(
                f"SELECT id, scope, vec FROM item WHERE id IN ({','.join('?' * len(chunk))})",
                chunk,
            ):
                found[item_id] = (
                    scope,
                    np.frombuffer(blob, dtype=np.float16) if blob is not None else None,
                )
        return found

    def close(self) -> None:
        with self._lock:
            self._conn.close()


def _matrix(rows: list[tuple]) -> tuple[np.ndarray, np.ndarray]:
    from espace.search.embeddings import DIM

    if not rows:
        return np.zeros(0, dtype=np.int64), np.zeros((0, DIM), dtype=np.float16)
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    matrix = np.frombuffer(b"".join(bytes(r[1]) for r in rows), dtype=np.float16).reshape(
        len(rows), DIM
    )
    return ids, matrix


# ----- the index of this deployment ------------------------------------------------------------

_shared: dict[str, SearchIndex] = {}
_shared_lock = threading.Lock()


def get_index(path: Path | None = None) -> SearchIndex:
    """The process-wide index: PostgreSQL when the database is PostgreSQL, else the SQLite file."""
    settings = get_settings()
    use_pg = path is None and settings.database_url.startswith("postgresql")
    key = "pg:" + settings.database_url if use_pg else str(Path(path) if path else default_path())
    with _shared_lock:
        if key not in _shared:
            if use_pg:
                from espace.search.pg import PostgresIndex

                _shared[key] = PostgresIndex()
            else:
                _shared[key] = SqliteIndex(Path(path) if path else default_path())
        return _shared[key]


def reset_shared() -> None:
    """Forget open indexes (tests switch data directories)."""
    from espace.search import vectors

    with _shared_lock:
        for index in _shared.values():
            index.close()
        _shared.clear()
    vectors.reset()
