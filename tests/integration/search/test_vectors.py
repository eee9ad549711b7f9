"""The in-memory vector store keeps in step with the index it reads: items written, replaced or
removed after a scope was loaded are found (or not) by the next search, for an exactly searched
scope and for one with an HNSW graph, and a scope changed in bulk is read again rather than grown
one row at a time."""

from __future__ import annotations

import numpy as np
import pytest

from espace.search import vectors
from espace.search.embeddings import DIM
from espace.search.index import SearchDoc
from espace.search.sqlite import SqliteIndex


def unit(seed: int) -> np.ndarray:
    vector = np.random.default_rng(seed).standard_normal(DIM).astype(np.float32)
    return vector / np.linalg.norm(vector)


def docs(start: int, count: int, scope: str = "h1") -> list[SearchDoc]:
    return [
        SearchDoc(
            key=f"payment:{i}",
            kind="payment",
            scope=scope,
            title=f"Échéance {i}",
            body="Prélèvement",
            url="/",
            vector=unit(i),
        )
        for i in range(start, start + count)
    ]


@pytest.fixture
def index(tmp_path):
    built = SqliteIndex(tmp_path / "search.db")
    yield built
    built.close()


def nearest_key(index: SqliteIndex, store: vectors.VectorStore, seed: int) -> str:
    item_id, _score = store.nearest(("h1",), unit(seed), 1)[0]
    return index.execute("SELECT key FROM item WHERE id = ?", (item_id,))[0][0]


@pytest.mark.parametrize("size", [10, vectors.EXACT_MAX + 10], ids=["exact", "graph"])
def test_items_written_after_the_scope_was_loaded_are_found_and_removed_ones_are_not(index, size):
    index.upsert(docs(0, size))
    store = vectors.VectorStore(index)
    store.warm(["h1"])
    held = store._scopes["h1"]
    assert (held.graph is not None) == (size > vectors.EXACT_MAX)

    index.upsert(docs(size, 3))  # three new payments
    replaced = docs(1, 1)[0]
    replaced.vector = unit(999_999)  # item 1 changes meaning
    index.upsert([replaced])
    index.delete(["payment:2"])

    assert nearest_key(index, store, size + 2) == f"payment:{size + 2}"
    assert nearest_key(index, store, 999_999) == "payment:1"
    assert nearest_key(index, store, 2) != "payment:2"
    assert store._scopes["h1"] is held  # kept and updated in place
    assert held.size == size + 3 - 1


def test_a_scope_changed_in_bulk_is_read_again(index):
    index.upsert(docs(0, 50))
    store = vectors.VectorStore(index)
    store.warm(["h1"])
    held = store._scopes["h1"]

    index.upsert(docs(50, vectors.RELOAD_AFTER + 1))

    assert nearest_key(index, store, 60) == "payment:60"
    reloaded = store._scopes["h1"]
    assert reloaded is not held  # one read of the scope, not a thousand copies of its matrix
    assert reloaded.size == 50 + vectors.RELOAD_AFTER + 1


def test_other_scopes_changes_do_not_reach_a_held_scope(index):
    index.upsert(docs(0, 5))
    store = vectors.VectorStore(index)
    store.warm(["h1"])

    index.upsert(docs(100, 5, scope="h2"))

    found = [item_id for item_id, _s in store.nearest(("h1",), unit(102), 10)]
    keys = {index.execute("SELECT key FROM item WHERE id = ?", (i,))[0][0] for i in found}
    assert keys == {f"payment:{i}" for i in range(5)}
