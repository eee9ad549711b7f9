"""Indexes built on one machine share their passage embeddings (ESPACE_SEARCH_VECTOR_CACHE): the
second build of the same texts embeds nothing, a changed text is embedded again, and production
ignores the file (it would keep erased texts' vectors)."""

from __future__ import annotations

import multiprocessing
import os
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from espace.core.settings import get_settings
from espace.search import embeddings, indexer, shared_vectors
from espace.search.index import SearchDoc
from espace.search.sqlite import SqliteIndex


@pytest.fixture
def embedded(monkeypatch, tmp_path) -> list[str]:
    """The texts the model is asked to embed (a fake model: one vector per text length)."""
    asked: list[str] = []

    def passages(texts: list[str]) -> np.ndarray:
        asked.extend(texts)
        return np.stack([np.full(embeddings.DIM, len(t) / 1000, dtype=np.float32) for t in texts])

    monkeypatch.setattr(embeddings, "available", lambda: True)
    monkeypatch.setattr(embeddings, "passages", passages)
    monkeypatch.setattr(get_settings(), "search_vector_cache", tmp_path / "shared.sqlite")
    return asked


def docs(body: str = "Dégât des eaux") -> list[SearchDoc]:
    return [
        SearchDoc(
            key=f"faq:{i}", kind="faq", scope="pub", title=f"Question {i}", body=body, url="/"
        )
        for i in range(20)
    ]


def test_a_second_index_of_the_same_texts_embeds_nothing(embedded, tmp_path):
    first, second = SqliteIndex(tmp_path / "a.db"), SqliteIndex(tmp_path / "b.db")
    indexer.embed(docs(), first)
    assert len(embedded) == 20

    again = docs()
    indexer.embed(again, second)

    assert len(embedded) == 20  # all found in the machine's file
    assert all(d.vector is not None for d in again)
    assert second.cached_vectors([indexer._digest(again[0])])  # and kept by the index itself
    first.close()
    second.close()


def test_a_changed_text_is_embedded_again(embedded, tmp_path):
    index = SqliteIndex(tmp_path / "a.db")
    indexer.embed(docs(), index)
    changed = docs("Bris de glace")
    indexer.embed(changed, SqliteIndex(tmp_path / "b.db"))
    assert len(embedded) == 40
    assert changed[0].vector is not None


def test_production_ignores_the_shared_file(embedded, monkeypatch, tmp_path):
    monkeypatch.setattr(get_settings(), "env", "prod")
    assert shared_vectors.shared() is None
    indexer.embed(docs(), SqliteIndex(tmp_path / "a.db"))
    assert not (tmp_path / "shared.sqlite").exists()


def _build_in_a_child(path: str, log: str, go) -> None:
    """A second process building an index of the same texts (a fake model: 20 ms per text, each
    text written to ``log`` as it is embedded)."""

    def passages(texts: list[str]) -> np.ndarray:
        with open(log, "a") as out:
            for text in texts:
                time.sleep(0.02)
                out.write(f"{os.getpid()} {text.splitlines()[0]}\n")
        return np.stack([np.full(embeddings.DIM, len(t) / 1000, dtype=np.float32) for t in texts])

    embeddings.passages = passages  # the child's own copy of the module
    go.wait()
    indexer.embed(many_docs(), SqliteIndex(Path(path)))


def many_docs() -> list[SearchDoc]:
    return [
        SearchDoc(key=f"faq:{i}", kind="faq", scope="pub", title=f"Q{i}", body="Bris", url="/")
        for i in range(160)
    ]


def at_once(target, arguments: list[tuple]) -> None:
    """One forked process per tuple of ``arguments``, all let go at the same moment (the last
    argument of ``target`` is the event they wait for), each ending well."""
    context = multiprocessing.get_context("fork")
    go = context.Event()
    children = [context.Process(target=target, args=(*args, go)) for args in arguments]
    for child in children:
        child.start()
    go.set()
    for child in children:
        child.join(timeout=60)
        assert child.exitcode == 0


def test_two_builders_of_the_same_texts_share_the_work(embedded, tmp_path):
    """Two processes building at once embed each text once between them, each about half: neither
    waits for the other to do everything (the suite's test workers, or a server and its build
    process)."""
    log = tmp_path / "embedded.log"
    at_once(_build_in_a_child, [(str(tmp_path / f"{n}.db"), str(log)) for n in range(2)])

    lines = log.read_text().splitlines()
    texts = [line.split(" ", 1)[1] for line in lines]
    assert len(texts) == len(set(texts)) == 160  # each text embedded once, by one of the two
    per_process = Counter(line.split(" ", 1)[0] for line in lines)
    assert len(per_process) == 2 and min(per_process.values()) >= 40, per_process
    # and both indexes have every vector
    for n in range(2):
        index = SqliteIndex(tmp_path / f"{n}.db")
        assert len(index.cached_vectors([indexer._digest(d) for d in many_docs()])) == 160
        index.close()


def _open_in_a_child(path: str, failures, go) -> None:
    go.wait()
    try:
        shared_vectors.SharedVectors(Path(path))
    except Exception as error:  # noqa: BLE001 - reported to the parent
        failures.put(repr(error))


def test_processes_opening_a_new_file_at_once_all_open_it(tmp_path):
    """Turning a new file to WAL from several processes at once: SQLite refuses one of them at once
    ("database is locked", without waiting for its timeout) unless they take turns (this failed one
    run in a few of the two builders above)."""
    failures = multiprocessing.get_context("fork").Queue()
    for attempt in range(10):
        path = str(tmp_path / f"new-{attempt}.sqlite")
        at_once(_open_in_a_child, [(path, failures)] * 6)
    assert failures.empty(), failures.get()
