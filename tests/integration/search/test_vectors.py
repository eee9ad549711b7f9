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


def clones(start: int, count: int, vector: np.ndarray) -> list[SearchDoc]:
    """Items with the very same vector (one text repeated: a template's receipts, "Merci")."""
    made = docs(start, count)
    for doc in made:
        doc.vector = vector
    return made


def test_a_large_scope_of_repeated_texts_still_finds_the_one_nearest_item(index):
    """A holder whose scope holds a few texts repeated thousands of times, and one claim: the claim
    is the nearest item of a query about it. In an HNSW graph, identical vectors link only to each
    other and form islands the search never leaves: the graph holds each distinct vector once."""
    repeated = [unit(seed) for seed in range(8)]
    written = 0
    for vector in repeated:
        index.upsert(clones(written, 700, vector))
        written += 700
    claim = unit(4242)
    index.upsert(clones(written, 1, claim))  # "payment:5600", the one item about the query
    store = vectors.VectorStore(index)
    store.warm(["h1"])
    held = store._scopes["h1"]
    assert held.graph is not None and len(held.members) == 9

    near_claim = claim + 0.6 * unit(77)  # a query about the claim, in other words
    found = store.nearest(("h1",), near_claim / np.linalg.norm(near_claim), 30)

    assert nearest_key(index, store, 4242) == f"payment:{written}"
    assert index.execute("SELECT key FROM item WHERE id = ?", (found[0][0],))[0][0] == (
        f"payment:{written}"
    )
    # one item per distinct vector: the latest indexed of each stands for its twins
    assert len(found) == 9
    assert {item_id for item_id, _s in found} >= {held.members[g][-1] for g in held.members}

    index.delete([f"payment:{written}"])  # the claim erased: its node goes, the others stay
    assert len(store.nearest(("h1",), claim, 30)) == 8
    index.upsert(clones(written + 1, 1, repeated[0]))  # one more receipt: no new node
    store.nearest(("h1",), claim, 30)
    assert len(held.members) == 8 and held.graph is not None and len(held.graph) == 8


def test_identical_neighbours_count_once_in_the_meaning_ranking(index, monkeypatch):
    """Fifty items with the same text (so the same vector) do not fill the meaning ranker's list:
    the latest indexed stands for the others, and the next distinct item follows it (it was 51st,
    out of the list). Otherwise they outvote an exact match of the words ranker by sheer number.
    The same text in two scopes (a guarantee in two formulas) counts once too."""
    from espace.search import embeddings, engine
    from espace.search.index import Where

    repeated, other = unit(1), unit(2)
    index.upsert(clones(0, 50, repeated))
    index.upsert(clones(50, 1, other))
    query = repeated + 0.9 * other
    monkeypatch.setattr(embeddings, "available", lambda: True)
    monkeypatch.setattr(embeddings, "query", lambda _text: query / np.linalg.norm(query))
    monkeypatch.setattr(vectors, "_stores", {})
    tuning = engine.Tuning(dense_floor=0.0, dense_margin=1.0)

    ranked, used, _chats = engine._meaning_ranker(index, "q", Where(scopes=("h1",)), tuning)

    keys = [row.key for row in (index.rows(ranked)[i] for i in ranked)]
    assert used and keys == ["payment:49", "payment:50"]

    index.upsert([SearchDoc(**{**vars(clones(60, 1, repeated)[0]), "scope": "h2"})])
    ranked, _used, _chats = engine._meaning_ranker(index, "q", Where(scopes=("h1", "h2")), tuning)
    assert len(ranked) == 2
