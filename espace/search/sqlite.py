"""The SQLite backend of the search index (the embedded default): one file beside the data
(``data/search.db``), FTS5 over the stems of the text, vectors as float16 blobs."""

from __future__ import annotations

import sqlite3
import threading
from datetime import date
from pathlib import Path

import numpy as np

from espace.search import sqlite_layout as layout
from espace.search import text
from espace.search.conditions import sqlite_match, sqlite_where
from espace.search.index import (
    CHANGE_LOG_KEEP,
    Clause,
    Row,
    SearchDoc,
    SearchIndex,
    Where,
    _matrix,
    default_path,
    is_shared,
    words_of,
)

_NEAREST = "abs(julianday(coalesce(item.day, date('now'))) - julianday(date('now')))"
_ROW = "id, key, kind, scope, title, body, url, day, amount_cents, category, contract"


def _row(r: tuple) -> Row:
    return Row(
        r[0], r[1], r[2], r[3], r[4], r[5], r[6], date.fromisoformat(r[7]) if r[7] else None, *r[8:]
    )


def _quote(stem: str) -> str:
    return '"' + stem.replace('"', "") + '"'


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
        self._conn.executescript(layout.SCHEMA)
        self._months: dict[str, tuple[int, list[tuple[str, int]]]] = {}

    def is_built(self) -> bool:
        return super().is_built() and self.meta("fts_format") == layout.FTS_FORMAT

    def mark_built(self) -> None:
        super().mark_built()
        self.set_meta("fts_format", layout.FTS_FORMAT)

    def execute(self, sql: str, params: tuple | list = ()) -> list[tuple]:
        with self._lock:
            return self._conn.execute(sql, params).fetchall()

    # ----- writing -----

    def upsert(self, docs: list[SearchDoc]) -> None:
        if not docs:
            return
        with self._lock:
            self._forget_counts()
            cur = self._conn.cursor()
            cur.execute("BEGIN IMMEDIATE")
            cuts: dict[str, str | None] = {}
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
                    indexed = (
                        rowid,
                        layout.scope_column(doc.scope, doc.day),
                        text.normalise(doc.title),
                        text.normalise(doc.body),
                    )
                    cur.execute(
                        "INSERT INTO item_fts(rowid, scope, title, body) VALUES (?,?,?,?)", indexed
                    )
                    if doc.scope not in cuts:
                        cuts[doc.scope] = layout.hot_cut(cur, doc.scope)
                    cut = cuts[doc.scope]
                    if not (cut and doc.day and f"{doc.day:%Y-%m}" < cut):
                        cur.execute(
                            "INSERT INTO item_hot(rowid, scope, title, body) VALUES (?,?,?,?)",
                            indexed,
                        )
                    cur.execute(
                        "INSERT INTO change_log(item_id, scope) VALUES (?, ?)", (rowid, doc.scope)
                    )
                    self._count_words(cur, doc.scope, doc.title, doc.body, +1)
                for scope in cuts:
                    layout.move_hot_cut(cur, scope)
                cur.execute("COMMIT")
            except BaseException:
                cur.execute("ROLLBACK")
                raise

    def delete(self, keys: list[str]) -> None:
        with self._lock:
            self._forget_counts()
            cur = self._conn.cursor()
            cur.execute("BEGIN IMMEDIATE")
            scopes = {scope for key in keys if (scope := self._delete(cur, key))}
            for scope in scopes:
                layout.move_hot_cut(cur, scope)  # fewer items: the hot part may reach back again
            cur.execute("COMMIT")

    def _delete(self, cur: sqlite3.Cursor, key: str) -> str | None:
        """Remove an item; returns its scope (None: there was no such item)."""
        row = cur.execute(
            "SELECT id, title, body, scope FROM item WHERE key = ?", (key,)
        ).fetchone()
        if row is None:
            return None
        cur.execute("DELETE FROM item_fts WHERE rowid = ?", (row[0],))
        cur.execute("DELETE FROM item_hot WHERE rowid = ?", (row[0],))
        cur.execute("DELETE FROM item WHERE id = ?", (row[0],))
        cur.execute("INSERT INTO change_log(item_id, scope) VALUES (?, ?)", (row[0], row[3]))
        self._count_words(cur, row[3], row[1], row[2], -1)
        return row[3]

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
            self._forget_counts()
            ids = [r[0] for r in self._conn.execute("SELECT DISTINCT scope FROM item")]
            self._conn.executescript(
                "BEGIN; DELETE FROM item; DELETE FROM item_fts; DELETE FROM item_hot; "
                "DELETE FROM hot_cut; DELETE FROM word; "
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

    def _read_vocabulary(self) -> list[str]:
        return [row[0] for row in self.execute("SELECT word FROM word")]

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

    def keyword(self, clauses: list[Clause], where: Where, limit: int) -> list[int]:
        match = sqlite_match(clauses)
        if not match or (where.scopes is not None and not where.scopes):
            return []
        if where.scopes is not None:
            tokens = [
                t
                for scope in where.scopes
                for t in layout.scope_tokens(scope, self._month_counts(scope), where)
            ]
            match = "scope : (" + " OR ".join(_quote(t) for t in tokens) + f") AND ({match})"
        sql_where, params = sqlite_where(where)
        fts = "item_fts" if where.start or where.end else "item_hot"  # see sqlite_layout
        # Items that score the same (a holder's monthly payments or receipts differ only by their
        # dates): the one nearest to today first.
        sql = (
            f"SELECT item.id FROM {fts} JOIN item ON item.id = {fts}.rowid "
            f"WHERE {fts} MATCH ? AND {sql_where} "
            f"ORDER BY round(bm25({fts}, 0.0, 3.0, 1.0), 2), {_NEAREST} LIMIT {int(limit)}"
        )
        try:
            return [row[0] for row in self.execute(sql, [match, *params])]
        except sqlite3.OperationalError:  # a malformed match (terms are quoted: should not happen)
            return []

    def _month_counts(self, scope: str) -> list[tuple[str, int]]:
        """("YYYY-MM", items) of a scope, latest first; kept until the scope changes."""
        version = self.scope_version(scope)
        found = self._months.get(scope)
        if found is None or found[0] != version:
            rows = self.execute(
                "SELECT substr(day, 1, 7), count(*) FROM item "
                "WHERE scope = ? AND day IS NOT NULL GROUP BY 1 ORDER BY 1 DESC",
                (scope,),
            )
            found = self._months[scope] = (version, [(str(m), int(n)) for m, n in rows])
        return found[1]

    def contained(self, ids: list[int], stems: list[str]) -> dict[int, set[str]]:
        if not ids:
            return {}
        wanted = set(stems)
        rows = self.execute(
            f"SELECT rowid, title, body FROM item_fts WHERE rowid IN ({','.join('?' * len(ids))})",
            ids,
        )
        return {r[0]: wanted.intersection(f"{r[1]} {r[2]}".split()) for r in rows}

    def _count_stems(self, stems: list[str]) -> dict[str, int]:
        return dict(
            self.execute(
                f"SELECT term, doc FROM item_vocab WHERE term IN ({','.join('?' * len(stems))})",
                stems,
            )
        )

    def _count_items(self) -> int:
        return self.execute("SELECT max(id) FROM item")[0][0] or 0

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
        sql_where, params = sqlite_where(where)
        return {
            r[0]
            for r in self.execute(
                f"SELECT id FROM item WHERE id IN ({','.join('?' * len(ids))}) AND {sql_where}",
                [*ids, *params],
            )
        }

    def recent(self, where: Where, limit: int) -> list[int]:
        sql_where, params = sqlite_where(where)
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
