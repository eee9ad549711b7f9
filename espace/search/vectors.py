"""The vector index of this process: nearest items by meaning, without reading every vector per
query.

Vectors are kept in memory per scope, loaded from the index on first use (a scope is what one query
may reach: the public items, a formula's guarantees, one holder's own items). A scope of up to
``EXACT_MAX`` vectors is searched exactly (one matrix product: a holder has about a hundred items);
a larger one gets an HNSW graph (usearch), so a query at 100 000 reachable items visits a few
thousand vectors instead of all of them. The graph holds each distinct vector once: identical
vectors (the same text in many items: "Merci pour votre retour", a template's receipts) all linked
to each other would form islands the search cannot leave. Either way a search returns one item per
distinct vector, the latest indexed standing for its twins: fifty identical neighbours are one piece
of evidence, and would otherwise push every other item out of the ``k`` nearest.

Every process keeps its copy in step with the shared index through the index's change log (a
counter): before a search, the changes written since the last one applied (by this process or
another, e.g. a second web worker or ``espace reindex``) are read and applied to the scopes held.
Scopes not used for a while are dropped beyond ``MAX_VECTORS``."""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from espace.search.index import SearchIndex

if TYPE_CHECKING:
    from usearch.index import Index

log = logging.getLogger(__name__)
EXACT_MAX = 4_096  # vectors of a scope searched exactly; above, an HNSW graph
MAX_VECTORS = 2_000_000  # held in memory by one process (about 1.5 GB as float16 + graph)
CHECK_EVERY = 0.0  # seconds between two looks at the change log (one indexed query: ~20 µs)
EXPANSION = 128  # HNSW search breadth: recall ~0.99 at 100 000 vectors
REREAD = 50  # changes read again at each look (see _sync)
RELOAD_AFTER = 1_000  # changes to a held scope above which it is read again from the index


@dataclass
class _Scope:
    ids: np.ndarray  # int64
    matrix: np.ndarray  # float16 (n, dim), rows of removed items zeroed
    position: dict[int, int] = field(default_factory=dict)
    graph: Index | None = None  # for large scopes: one node per distinct vector (a "group")
    removed: int = 0
    group_of_vector: dict[bytes, int] = field(default_factory=dict)
    members: dict[int, list[int]] = field(default_factory=dict)  # group -> items, oldest first
    next_group: int = 0

    @property
    def size(self) -> int:
        return len(self.ids) - self.removed


class VectorStore:
    def __init__(self, index: SearchIndex):
        self.index = index
        self._scopes: OrderedDict[str, _Scope] = OrderedDict()
        self._lock = threading.RLock()
        self._seq = index.last_change()
        self._checked = 0.0

    # ----- keeping in step -----

    def _sync(self) -> None:
        now = time.monotonic()
        if now - self._checked < CHECK_EVERY:
            return
        self._checked = now
        last = self.index.last_change()
        if last <= self._seq:
            return
        # A few changes before the last one applied are read again: on PostgreSQL a transaction may
        # commit after another that took a later number (applying a change twice is harmless).
        changes = self.index.changes_since(max(0, self._seq - REREAD))
        if len(changes) > 100_000:  # too far behind: start again from the index
            self._scopes.clear()
            self._seq = last
            return
        touched: dict[str, set[int]] = {}
        for seq, item_id, scope in changes:
            if scope in self._scopes:
                if item_id < 0 and seq <= self._seq:
                    continue
                if item_id < 0:  # the whole scope was rebuilt
                    self._scopes.pop(scope, None)
                    touched.pop(scope, None)
                else:
                    touched.setdefault(scope, set()).add(item_id)
        self._seq = max(last, changes[-1][0] if changes else last)
        if not touched:
            return
        for scope, ids in touched.items():
            held = self._scopes.get(scope)
            if held is not None and len(ids) > max(RELOAD_AFTER, held.size // 4):
                # Many changes (a bulk import, a holder's history loaded): reading the scope again
                # costs one query, applying them one by one would copy its matrix each time.
                self._scopes.pop(scope)
                touched[scope] = set()
        wanted = sorted({i for ids in touched.values() for i in ids})
        current = self.index.vectors_of(wanted) if wanted else {}
        for scope, ids in touched.items():
            held = self._scopes.get(scope)
            if held is None or not ids:
                continue
            added: list[tuple[int, np.ndarray]] = []
            for item_id in sorted(ids):
                found = current.get(item_id)
                if found is None or found[0] != scope or found[1] is None:
                    self._remove(held, item_id)
                elif item_id in held.position:
                    self._replace(held, item_id, found[1])
                else:
                    added.append((item_id, found[1]))
            self._append(held, added)

    def _remove(self, held: _Scope, item_id: int) -> None:
        position = held.position.pop(item_id, None)
        if position is None:
            return
        if held.graph is not None:
            _ungroup(held, item_id, held.matrix[position].tobytes())
        held.matrix[position] = 0
        held.removed += 1

    def _replace(self, held: _Scope, item_id: int, vector: np.ndarray) -> None:
        position = held.position[item_id]
        if held.graph is None:
            held.matrix[position] = vector
            return
        _ungroup(held, item_id, held.matrix[position].tobytes())
        held.matrix[position] = vector
        _group(held, [(item_id, held.matrix[position])])

    def _append(self, held: _Scope, added: list[tuple[int, np.ndarray]]) -> None:
        """New items of a held scope, in one copy of its matrix."""
        if not added:
            return
        ids = np.array([item_id for item_id, _v in added], dtype=np.int64)
        rows = np.stack([vector for _i, vector in added]).astype(held.matrix.dtype)
        for offset, item_id in enumerate(ids):
            held.position[int(item_id)] = len(held.ids) + offset
        held.ids = np.concatenate([held.ids, ids])
        held.matrix = np.vstack([held.matrix, rows])
        if held.graph is not None:
            _group(held, list(zip(ids.tolist(), rows, strict=True)))

    # ----- loading -----

    def _scope(self, scope: str) -> _Scope:
        held = self._scopes.get(scope)
        if held is not None:
            self._scopes.move_to_end(scope)
            return held
        ids, matrix = self.index.scope_vectors(scope)
        # Exact scopes keep float32 (one product per query, no conversion); large ones float16.
        dtype = np.float32 if len(ids) <= EXACT_MAX else np.float16
        held = _Scope(ids=ids, matrix=np.array(matrix, dtype=dtype))
        held.position = {int(i): n for n, i in enumerate(ids)}
        if len(ids) > EXACT_MAX:
            held.graph = _graph(held.matrix.shape[1])
            started = time.perf_counter()
            _group(held, list(zip(ids.tolist(), held.matrix, strict=True)))
            log.info(
                "vector graph of %s items (%s distinct) built in %.1f s",
                len(ids),
                len(held.members),
                time.perf_counter() - started,
            )
        self._scopes[scope] = held
        total = sum(len(s.ids) for s in self._scopes.values())
        while total > MAX_VECTORS and len(self._scopes) > 1:
            _name, dropped = self._scopes.popitem(last=False)
            total -= len(dropped.ids)
        return held

    def warm(self, scopes: list[str]) -> None:
        with self._lock:
            self._sync()
            for scope in scopes:
                self._scope(scope)

    # ----- searching -----

    def nearest(
        self, scopes: tuple[str, ...], vector: np.ndarray, k: int
    ) -> list[tuple[int, float]]:
        """The ``k`` items of these scopes nearest to ``vector`` (cosine), best first, one per
        distinct vector (the same guarantee in two formulas' scopes counts once)."""
        found: list[tuple[int, float, _Scope]] = []
        query = np.asarray(vector, dtype=np.float32)
        with self._lock:
            self._sync()
            for scope in scopes:
                held = self._scope(scope)
                if held.size == 0:
                    continue
                if held.graph is not None:
                    matches = held.graph.search(query, min(k, len(held.members)), threads=1)
                    found += [
                        (held.members[int(group)][-1], 1.0 - float(distance), held)
                        for group, distance in zip(matches.keys, matches.distances, strict=True)
                    ]
                else:
                    found += [(i, d, held) for i, d in _distinct_top(held, held.matrix @ query, k)]
            found.sort(key=lambda found_: -found_[1])
            nearest: list[tuple[int, float]] = []
            seen: set[bytes] = set()
            for item_id, score, held in found:
                if len(scopes) > 1:
                    raw = held.matrix[held.position[item_id]].astype(np.float16).tobytes()
                    if raw in seen:
                        continue
                    seen.add(raw)
                nearest.append((item_id, score))
                if len(nearest) == k:
                    break
            return nearest


def _distinct_top(held: _Scope, scores: np.ndarray, k: int) -> list[tuple[int, float]]:
    """The ``k`` best items of an exactly searched scope, one per distinct vector like the graph's:
    the latest indexed of identical vectors stands for the others. (Their scores agree to about
    1e-7, not exactly: the matrix product rounds each row its own way.)"""
    rounded = np.round(scores, 5)
    order = np.lexsort((-np.arange(len(scores)), -rounded))  # best first, then latest first
    found: list[tuple[int, float]] = []
    previous = -1
    for row in order:
        item_id = int(held.ids[row])
        if item_id not in held.position:  # removed
            continue
        if previous >= 0 and rounded[row] == rounded[previous]:
            if np.array_equal(held.matrix[row], held.matrix[previous]):
                continue  # a twin of the item just taken
        found.append((item_id, float(scores[row])))
        previous = row
        if len(found) == k:
            break
    return found


def _graph(dim: int):
    from usearch.index import Index

    return Index(ndim=dim, metric="cos", dtype="f16", connectivity=16, expansion_search=EXPANSION)


def _group(held: _Scope, items: list[tuple[int, np.ndarray]]) -> None:
    """Put items (with their rows of the scope's matrix) in the groups of their vectors; a new
    vector gets a node of the graph."""
    keys: list[int] = []
    rows: list[np.ndarray] = []
    for item_id, row in items:
        raw = row.tobytes()
        group = held.group_of_vector.get(raw)
        if group is None:
            group = held.group_of_vector[raw] = held.next_group
            held.next_group += 1
            held.members[group] = []
            keys.append(group)
            rows.append(row)
        held.members[group].append(item_id)
    if keys and held.graph is not None:
        held.graph.add(np.array(keys, dtype=np.int64), np.stack(rows).astype(np.float32), threads=1)


def _ungroup(held: _Scope, item_id: int, raw: bytes) -> None:
    """Take an item out of the group of its vector (``raw``, its row of the matrix); the last one
    out removes the graph's node."""
    group = held.group_of_vector.get(raw)
    if group is None or item_id not in held.members[group]:
        return
    members = held.members[group]
    members.remove(item_id)
    if not members:
        del held.members[group]
        held.group_of_vector.pop(raw, None)
        if held.graph is not None:
            held.graph.remove(group)


_stores: dict[int, VectorStore] = {}
_stores_lock = threading.Lock()


def store(index: SearchIndex) -> VectorStore:
    with _stores_lock:
        found = _stores.get(id(index))
        if found is None or found.index is not index:
            found = _stores[id(index)] = VectorStore(index)
        return found


def reset() -> None:
    with _stores_lock:
        _stores.clear()
