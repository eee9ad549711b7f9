"""The search index in PostgreSQL (tables of migration 0015), shared by every process of the
deployment.

Full text: a ``tsvector`` column with a GIN index, built by the ``espace_fr`` configuration
(``unaccent`` then Snowball French). The engine sends the meaningful words folded and in their
canonical form (``text.canonical``: the same rewrite as the SQLite backend, whose stems PyStemmer
computes), so both backends match the same words; ranking is ``ts_rank`` with the title weighing
three times the body, each of the query's alternatives weighed by its rarity (idf from
``search_term``) as BM25 does on SQLite. Embeddings are float16 bytes in ``search_vector``; each
process searches them through its own in-memory vector index (``espace.search.vectors``), kept in
step by the change log ``search_change``: pgvector is not needed (nor packaged for Debian 12)."""

from __future__ import annotations

import math
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
from sqlalchemy import bindparam
from sqlalchemy import text as sql

from espace.search import text
from espace.search.conditions import pg_where
from espace.search.index import (
    Clause,
    Row,
    SearchDoc,
    SearchIndex,
    Where,
    _matrix,
)
from espace.search.pg_counts import Counts

_ROW = "id, key, kind, scope, title, body, url, day, amount_cents, category, contract"
_WEIGHTS = "'{0.33, 0.33, 0.33, 1.0}'"  # D (body), C, B, A (title)
BUILD_LOCK = 7_365_724_163  # pg advisory lock key: one builder of the index per deployment


class PostgresIndex(SearchIndex):
    backend = "postgresql"

    def __init__(self, engine=None):
        from espace.core.db import get_engine

        self.engine = engine or get_engine()
        self._lock = threading.RLock()

    def _all(self, statement: str, params: dict | None = None, *, expanding=()) -> list[tuple]:
        query = sql(statement)
        if expanding:
            query = query.bindparams(*(bindparam(n, expanding=True) for n in expanding))
        with self.engine.connect() as conn:
            return [tuple(r) for r in conn.execute(query, params or {})]

    @contextmanager
    def build_lock(self) -> Iterator[bool]:
        """Whether this process may build the index: one builder per deployment (the backends of
        several machines start together on an unbuilt index), held until the build ends."""
        with self.engine.connect() as conn:
            mine = bool(
                conn.execute(sql("SELECT pg_try_advisory_lock(:k)"), {"k": BUILD_LOCK}).scalar()
            )
            conn.commit()
            try:
                yield mine
            finally:
                if mine:
                    conn.execute(sql("SELECT pg_advisory_unlock(:k)"), {"k": BUILD_LOCK})
                    conn.commit()

    # ----- writing -----

    def upsert(self, docs: list[SearchDoc]) -> None:
        if not docs:
            return
        counts = Counts()
        with self.engine.begin() as conn:
            for doc in docs:
                self._delete(conn, doc.key, counts)
                item_id = conn.execute(
                    sql(
                        "INSERT INTO search_item(key, kind, scope, title, body, url, day, "
                        "amount_cents, category, contract, stems, tsv) "
                        "VALUES (:key, :kind, :scope, :title, :body, "
                        ":url, :day, :amount, :category, :contract, :stems, "
                        "setweight(to_tsvector('espace_fr', :ctitle), 'A') || "
                        "setweight(to_tsvector('espace_fr', :cbody), 'D')) RETURNING id"
                    ),
                    {
                        "key": doc.key,
                        "kind": doc.kind,
                        "scope": doc.scope,
                        "title": doc.title,
                        "body": doc.body,
                        "url": doc.url,
                        "day": doc.day,
                        "amount": doc.amount_cents,
                        "category": doc.category,
                        "contract": doc.contract,
                        "stems": text.normalise(doc.indexed_text),
                        "ctitle": text.canonical_text(doc.title),
                        "cbody": text.canonical_text(doc.body),
                    },
                ).scalar_one()
                if doc.vector is not None:
                    conn.execute(
                        sql("INSERT INTO search_vector(item_id, vec) VALUES (:id, :vec)"),
                        {"id": item_id, "vec": doc.vector.astype(np.float16).tobytes()},
                    )
                conn.execute(
                    sql("INSERT INTO search_change(item_id, scope) VALUES (:id, :scope)"),
                    {"id": item_id, "scope": doc.scope},
                )
                counts.add(doc.scope, doc.title, doc.body, +1)
            counts.write(conn)
        self._forget_counts()

    def delete(self, keys: list[str]) -> None:
        counts = Counts()
        with self.engine.begin() as conn:
            for key in keys:
                self._delete(conn, key, counts)
            counts.write(conn)
        self._forget_counts()

    def _delete(self, conn, key: str, counts: Counts) -> None:
        row = conn.execute(
            sql("DELETE FROM search_item WHERE key = :key RETURNING id, scope, title, body"),
            {"key": key},
        ).first()
        if row is None:
            return
        conn.execute(
            sql("INSERT INTO search_change(item_id, scope) VALUES (:id, :scope)"),
            {"id": row[0], "scope": row[1]},
        )
        counts.add(row[1], row[2], row[3], -1)

    def cached_vectors(self, digests: list[str]) -> dict[str, np.ndarray]:
        if not digests:
            return {}
        rows = self._all(
            "SELECT digest, vec FROM search_vector_cache WHERE digest IN :digests",
            {"digests": digests},
            expanding=("digests",),
        )
        return {d: np.frombuffer(bytes(v), dtype=np.float16).astype(np.float32) for d, v in rows}

    def cache_vectors(self, pairs: list[tuple[str, np.ndarray]]) -> None:
        if not pairs:
            return
        with self.engine.begin() as conn:
            conn.execute(
                sql(
                    "INSERT INTO search_vector_cache(digest, vec) VALUES (:digest, :vec) "
                    "ON CONFLICT (digest) DO UPDATE SET vec = excluded.vec"
                ),
                [{"digest": d, "vec": v.astype(np.float16).tobytes()} for d, v in pairs],
            )

    def meta(self, key: str) -> str | None:
        rows = self._all("SELECT value FROM search_meta WHERE key = :key", {"key": key})
        return rows[0][0] if rows else None

    def set_meta(self, key: str, value: str | None) -> None:
        with self.engine.begin() as conn:
            if value is None:
                conn.execute(sql("DELETE FROM search_meta WHERE key = :key"), {"key": key})
            else:
                conn.execute(
                    sql(
                        "INSERT INTO search_meta(key, value) VALUES (:key, :value) "
                        "ON CONFLICT (key) DO UPDATE SET value = excluded.value"
                    ),
                    {"key": key, "value": value},
                )

    def clear(self) -> None:
        with self.engine.begin() as conn:
            scopes = [r[0] for r in conn.execute(sql("SELECT DISTINCT scope FROM search_item"))]
            conn.execute(sql("TRUNCATE search_vector, search_item, search_word, search_term"))
            conn.execute(sql("DELETE FROM search_meta WHERE key IN ('built', 'progress')"))
            for scope in scopes:  # every process reloads the scopes it holds
                conn.execute(
                    sql("INSERT INTO search_change(item_id, scope) VALUES (-1, :scope)"),
                    {"scope": scope},
                )
        self._forget_counts()

    def prune_changes(self) -> None:
        from espace.search.index import CHANGE_LOG_KEEP

        with self.engine.begin() as conn:
            conn.execute(
                sql(
                    "DELETE FROM search_change"
                    " WHERE seq < (SELECT max(seq) FROM search_change) - :k"
                ),
                {"k": CHANGE_LOG_KEEP},
            )

    # ----- reading -----

    def count(self) -> int:
        return self._all("SELECT count(*) FROM search_item")[0][0]

    def titles(self) -> dict[str, str]:
        return dict(self._all("SELECT key, title FROM search_item"))

    def _read_vocabulary(self) -> list[str]:
        return [r[0] for r in self._all("SELECT word FROM search_word")]

    def word_counts(self, words: list[str]) -> dict[str, int]:
        if not words:
            return {}
        return dict(
            self._all(
                "SELECT word, n FROM search_word WHERE word IN :words",
                {"words": words},
                expanding=("words",),
            )
        )

    def scope_version(self, scope: str) -> int:
        return self._all(
            "SELECT coalesce(max(seq), 0) FROM search_change WHERE scope = :scope", {"scope": scope}
        )[0][0]

    def scope_texts(self, scope: str, limit: int) -> list[tuple[str, str]]:
        return self._all(
            f"SELECT title, body FROM search_item WHERE scope = :scope LIMIT {int(limit)}",
            {"scope": scope},
        )

    def keyword(self, clauses: list[Clause], where: Where, limit: int) -> list[int]:
        params: dict = {}
        parts: list[tuple[str, Clause]] = []
        for n, clause in enumerate(clauses):
            words = [w for w in clause.words if w.isalnum()]
            if not words:
                continue
            if clause.prefix:
                params[f"q{n}"] = " <-> ".join(words) + ":*"
                parts.append((f"to_tsquery('espace_fr', :q{n})", clause))
            else:
                params[f"q{n}"] = " ".join(words)
                parts.append((f"phraseto_tsquery('espace_fr', :q{n})", clause))
        if not parts or (where.scopes is not None and not where.scopes):
            return []
        condition, expanding = pg_where(where, params)
        query = "(" + " || ".join(q for q, _c in parts) + ")"
        if len(parts) == 1:
            rank = f"ts_rank({_WEIGHTS}, tsv, q.q, 1)"
        else:
            # ts_rank weighs every alternative alike: the items holding a word hundreds of her own
            # items hold ("prélèvement" on every payment) would come before the one holding the
            # query's rare word. Each alternative's rank is weighed by its rarity (idf), as BM25
            # does on SQLite.
            ranks = []
            for n, (weight, (tsquery, _clause)) in enumerate(
                zip(self._rarity([c for _q, c in parts]), parts, strict=True)
            ):
                params[f"w{n}"] = weight
                ranks.append(f":w{n} * ts_rank({_WEIGHTS}, tsv, {tsquery}, 1)")
            rank = " + ".join(ranks)
        statement = (
            f"WITH q AS (SELECT {query} AS q) "
            f"SELECT id FROM search_item, q WHERE tsv @@ q.q AND {condition} "
            f"ORDER BY round(CAST({rank} AS numeric), 3) DESC, "
            f"abs(coalesce(day, current_date) - current_date) LIMIT {int(limit)}"
        )
        return [r[0] for r in self._all(statement, params, expanding=expanding)]

    def _rarity(self, clauses: list[Clause]) -> list[float]:
        """Each alternative's idf: a phrase is at least as rare as its rarest word; a word the index
        does not hold whole (one being typed) counts as rare."""
        frequencies, total = self.doc_freq(sorted({s for c in clauses for s in c.stems}))
        rare = math.log(total + 1)
        return [
            max(
                (
                    math.log((total + 1) / (frequencies[s] + 0.5))
                    for s in c.stems
                    if s in frequencies
                ),
                default=rare,
            )
            for c in clauses
        ]

    def contained(self, ids: list[int], stems: list[str]) -> dict[int, set[str]]:
        if not ids:
            return {}
        wanted = set(stems)
        rows = self._all(
            "SELECT id, stems FROM search_item WHERE id IN :ids", {"ids": ids}, expanding=("ids",)
        )
        return {r[0]: wanted.intersection(r[1].split()) for r in rows}

    def _count_stems(self, stems: list[str]) -> dict[str, int]:
        return dict(
            self._all(
                "SELECT stem, n FROM search_term WHERE stem IN :stems",
                {"stems": stems},
                expanding=("stems",),
            )
        )

    def _count_items(self) -> int:
        return self._all("SELECT coalesce(max(id), 0) FROM search_item")[0][0]

    def rows(self, ids: list[int]) -> dict[int, Row]:
        if not ids:
            return {}
        return {
            r[0]: Row(*r)
            for r in self._all(
                f"SELECT {_ROW} FROM search_item WHERE id IN :ids",
                {"ids": ids},
                expanding=("ids",),
            )
        }

    def filter_ids(self, ids: list[int], where: Where) -> set[int]:
        if not ids:
            return set()
        params: dict = {"ids": ids}
        condition, expanding = pg_where(where, params)
        return {
            r[0]
            for r in self._all(
                f"SELECT id FROM search_item WHERE id IN :ids AND {condition}",
                params,
                expanding=("ids", *expanding),
            )
        }

    def recent(self, where: Where, limit: int) -> list[int]:
        params: dict = {}
        condition, expanding = pg_where(where, params)
        return [
            r[0]
            for r in self._all(
                f"SELECT id FROM search_item WHERE {condition} "
                f"ORDER BY day DESC NULLS LAST LIMIT {int(limit)}",
                params,
                expanding=expanding,
            )
        ]

    def last_change(self) -> int:
        return self._all("SELECT coalesce(max(seq), 0) FROM search_change")[0][0]

    def changes_since(self, seq: int) -> list[tuple[int, int, str]]:
        return self._all(
            "SELECT seq, item_id, scope FROM search_change"
            " WHERE seq > :seq ORDER BY seq LIMIT 100001",
            {"seq": seq},
        )

    def scope_vectors(self, scope: str) -> tuple[np.ndarray, np.ndarray]:
        rows = self._all(
            "SELECT i.id, v.vec FROM search_item i JOIN search_vector v ON v.item_id = i.id "
            "WHERE i.scope = :scope ORDER BY i.id",
            {"scope": scope},
        )
        return _matrix(rows)

    def vectors_of(self, ids: list[int]) -> dict[int, tuple[str, np.ndarray | None]]:
        if not ids:
            return {}
        return {
            r[0]: (r[1], np.frombuffer(bytes(r[2]), dtype=np.float16) if r[2] is not None else None)
            for r in self._all(
                "SELECT i.id, i.scope, v.vec FROM search_item i "
                "LEFT JOIN search_vector v ON v.item_id = i.id WHERE i.id IN :ids",
                {"ids": ids},
                expanding=("ids",),
            )
        }
