"""The SQLite backend of the search index (the embedded default): one file beside the data
(``data/search.db``), FTS5 over the stems of the text, vectors as float16 blobs."""

from __future__ import annotations

import sqlite3
import threading
from datetime import date
from pathlib import Path

import numpy as np

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
CREATE INDEX IF NOT EXISTS item_scope_day ON item(scope, day);
CREATE VIRTUAL TABLE IF NOT EXISTS item_fts
    USING fts5(scope, title, body, tokenize='unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE IF NOT EXISTS item_hot
    USING fts5(scope, title, body, tokenize='unicode61 remove_diacritics 2');
CREATE TABLE IF NOT EXISTS hot_cut (scope TEXT PRIMARY KEY, month TEXT NOT NULL);
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
# The full-text "scope" column holds the scope, and the scope's year and month of the item
# ("h12 h12y2025 h12m202511"; "h12 h12y0" without a date). In a scope of more than LARGE_SCOPE
# items (decades of a holder's payments and receipts), words as common as "cotisation" or
# "prélèvement" match tens of thousands of items, and ranking them all took 100 to 350 ms a query
# at 100 000 items. There, the words are searched among the scope's latest years (or months)
# holding RECENT_ITEMS items, within the query's dates when it names some; older items are still
# found by meaning, by their dates and by rarer words.
# Even so, FTS5 walked the posting lists of the whole table (a common word's 90 000 entries, and
# again for bm25's statistics of each of an expression's thirty variants). So the full-text index
# is kept twice: ``item_fts`` holds every item, ``item_hot`` all but the items of a large scope
# older than its latest 2 x RECENT_ITEMS (the month where that scope's "cold" part ends is in
# ``hot_cut``). A query without dates searches ``item_hot`` (its window is inside the hot part),
# one with dates ``item_fts``. Without any large scope, both hold the same items.
FTS_FORMAT = "3"  # an index written before (no hot table) is built again at start
LARGE_SCOPE = 5_000
RECENT_ITEMS = 500


def _year_token(scope: str, year: str | int) -> str:
    return f"{scope}y{year}"  # year 0: the scope's items without a date


def _month_token(scope: str, month: str) -> str:
    return f"{scope}m{month.replace('-', '')}"  # month: "YYYY-MM"


def _hot_cut(cur: sqlite3.Cursor, scope: str) -> str | None:
    """The month ("YYYY-MM") before which the scope's items are not in ``item_hot`` (None: all
    are)."""
    row = cur.execute("SELECT month FROM hot_cut WHERE scope = ?", (scope,)).fetchone()
    return row[0] if row else None


def _move_hot_cut(cur: sqlite3.Cursor, scope: str) -> None:
    """Keep in ``item_hot`` the scope's latest 2 x RECENT_ITEMS dated items (from the month of the
    last of them) when it has more than LARGE_SCOPE, else all its items; only the items between
    the old and the new cut move."""
    wanted = None
    large = cur.execute(
        "SELECT 1 FROM item WHERE scope = ? AND day IS NOT NULL LIMIT 1 OFFSET ?",
        (scope, LARGE_SCOPE),
    ).fetchone()
    if large:
        last_hot = cur.execute(
            "SELECT day FROM item WHERE scope = ? AND day IS NOT NULL "
            "ORDER BY day DESC LIMIT 1 OFFSET ?",
            (scope, 2 * RECENT_ITEMS - 1),
        ).fetchone()
        wanted = str(last_hot[0])[:7]
    current = _hot_cut(cur, scope)
    if wanted == current:
        return
    # Between the two cuts: older than the later one, not older than the earlier one.
    later, earlier = sorted([wanted or "", current or ""], reverse=True)
    between = (
        "SELECT id FROM item WHERE scope = ? AND day IS NOT NULL AND day < ? AND day >= ?",
        (scope, f"{later}-01", f"{earlier or '0000-00'}-01"),
    )
    if current is None or (wanted is not None and wanted > current):  # more items are cold
        cur.execute(f"DELETE FROM item_hot WHERE rowid IN ({between[0]})", between[1])
    else:  # fewer: they are hot again
        cur.execute(
            "INSERT INTO item_hot(rowid, scope, title, body) SELECT rowid, scope, title, body "
            f"FROM item_fts WHERE rowid IN ({between[0]})",
            between[1],
        )
    if wanted is None:
        cur.execute("DELETE FROM hot_cut WHERE scope = ?", (scope,))
    else:
        cur.execute("INSERT OR REPLACE INTO hot_cut(scope, month) VALUES (?, ?)", (scope, wanted))


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
        self._conn.executescript(SCHEMA)
        self._months: dict[str, tuple[int, list[tuple[str, int]]]] = {}

    def is_built(self) -> bool:
        return super().is_built() and self.meta("fts_format") == FTS_FORMAT

    def mark_built(self) -> None:
        super().mark_built()
        self.set_meta("fts_format", FTS_FORMAT)

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
                    period = (
                        f"{_year_token(doc.scope, doc.day.year)} "
                        f"{_month_token(doc.scope, f'{doc.day:%Y-%m}')}"
                        if doc.day
                        else _year_token(doc.scope, 0)
                    )
                    indexed = (
                        rowid,
                        f"{doc.scope} {period}",
                        text.normalise(doc.title),
                        text.normalise(doc.body),
                    )
                    cur.execute(
                        "INSERT INTO item_fts(rowid, scope, title, body) VALUES (?,?,?,?)", indexed
                    )
                    if doc.scope not in cuts:
                        cuts[doc.scope] = _hot_cut(cur, doc.scope)
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
                    _move_hot_cut(cur, scope)
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
                _move_hot_cut(cur, scope)  # fewer items: the hot part may reach back again
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
            tokens = [t for scope in where.scopes for t in self._scope_tokens(scope, where)]
            match = "scope : (" + " OR ".join(_quote(t) for t in tokens) + f") AND ({match})"
        sql_where, params = sqlite_where(where)
        fts = "item_fts" if where.start or where.end else "item_hot"  # see FTS_FORMAT
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

    def _scope_tokens(self, scope: str, where: Where) -> list[str]:
        """The scope's token, or for a large scope the tokens of its latest years, or months of a
        year too full to take whole (see LARGE_SCOPE)."""
        first = where.start.strftime("%Y-%m") if where.start else "0000-00"
        last = where.end.strftime("%Y-%m") if where.end else "9999-99"
        months = [(m, n) for m, n in self._month_counts(scope) if first <= m <= last]
        if sum(n for _m, n in months) <= LARGE_SCOPE:
            return [scope]  # the query's dates are applied to the item table
        by_year: dict[str, list[tuple[str, int]]] = {}
        for month, count in months:  # latest first
            by_year.setdefault(month[:4], []).append((month, count))
        tokens, held = [_year_token(scope, 0)], 0
        for year, year_months in by_year.items():
            total = sum(n for _m, n in year_months)
            if held + total <= RECENT_ITEMS:
                tokens.append(_year_token(scope, year))
                held += total
                continue
            for month, count in year_months:
                tokens.append(_month_token(scope, month))
                held += count
                if held >= RECENT_ITEMS:
                    return tokens
        return tokens

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
