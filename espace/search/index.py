"""The search index: one per deployment, behind one interface with two backends.

- **SQLite** (``espace.search.sqlite``, the embedded default): one file beside the data
  (``data/search.db``), FTS5 over the stems of the text, vectors as float16 blobs.
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

import threading
import time
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


DOC_FREQ_SECONDS = 300.0  # how long counts another process may have changed are trusted


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
        """Built, and with the words of this version of the code (``text.TEXT_FORMAT``)."""
        return self.meta("built") is not None and self.meta("text_format") == text.TEXT_FORMAT

    def mark_built(self) -> None:
        from espace.core.models import utcnow

        self.set_meta("built", utcnow().isoformat())
        self.set_meta("text_format", text.TEXT_FORMAT)
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

    def _read_vocabulary(self) -> list[str]:
        """The folded words of the shared items, read from the backend."""
        raise NotImplementedError

    def _vocabulary_held(self) -> tuple[str, list[str], frozenset[str]]:
        """(version, words, set of words), read again when the index's "words" meta changed. No
        lock: two threads may both read a change, and the last one's copy is kept."""
        version = self.meta("words") or ""
        held = self.__dict__.get("_vocabulary")
        if held is None or held[0] != version:
            words = self._read_vocabulary()
            held = self.__dict__["_vocabulary"] = (version, words, frozenset(words))
        return held

    def vocabulary(self) -> list[str]:
        """The folded words of the shared items, for typo correction (kept until they change)."""
        return self._vocabulary_held()[1]

    def vocabulary_set(self) -> frozenset[str]:
        return self._vocabulary_held()[2]

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
        """How many items hold each stem, and how many items there are (all scopes). Counting a
        stem reads its posting list (2.5 ms for a word on 50 000 payments on SQLite) and one search
        asks twice (keywords, then the words ranker): counts are kept until this process writes to
        the index, or DOC_FREQ_SECONDS after another one did; as weights they need no more
        precision. Only the stems not held are counted."""
        now = time.monotonic()
        held: dict = self.__dict__.setdefault("_doc_freq", {})  # stem -> (items, when counted)
        fresh: dict[str, int] = {}
        wanted: list[str] = []
        for stem in dict.fromkeys(stems):
            found = held.get(stem)
            if found is not None and now - found[1] < DOC_FREQ_SECONDS:
                fresh[stem] = found[0]
            else:
                wanted.append(stem)
        if wanted:
            counted = self._count_stems(wanted)
            if len(held) > 50_000:
                held.clear()
            for stem in wanted:
                fresh[stem] = counted.get(stem, 0)
                held[stem] = (fresh[stem], now)
        total = held.get(None)
        if total is None or now - total[1] >= DOC_FREQ_SECONDS:
            total = held[None] = (self._count_items(), now)
        return {s: fresh[s] for s in stems if fresh.get(s)}, total[0]

    def _forget_counts(self) -> None:
        """This process wrote to the index: the counts ``doc_freq`` keeps are stale."""
        self.__dict__.get("_doc_freq", {}).clear()

    def _count_stems(self, stems: list[str]) -> dict[str, int]:
        """How many items hold each of these stems (the ones no item holds may be left out)."""
        raise NotImplementedError

    def _count_items(self) -> int:
        """The number of items (an upper bound will do: ids are never reused)."""
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


CHANGE_LOG_KEEP = (
    200_000  # rows of the change log kept (processes further behind reload everything)
)


def default_path() -> Path:
    return get_settings().data_dir / "search.db"


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
                from espace.search.sqlite import SqliteIndex

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
