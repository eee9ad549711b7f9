"""A holder's short conversations ("Merci pour votre retour rapide, bonne journée.") sit near every
query in the embedding space: found by the meaning ranker alone, they count for less, so they no
longer come before the help article a question is about. A conversation the query's words find is
not touched."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from espace.search import embeddings, engine
from espace.search.index import SearchDoc, Where
from espace.search.sqlite import SqliteIndex
from espace.search.tuning import TUNING

WHERE = Where(scopes=("pub", "h1"), public_scope="pub")


def _unit(*values: float) -> np.ndarray:
    vector = np.zeros(embeddings.DIM, dtype=np.float32)
    vector[: len(values)] = values
    return vector / np.linalg.norm(vector)


QUERY = _unit(1.0)


@pytest.fixture
def index(tmp_path, monkeypatch):
    monkeypatch.setattr(embeddings, "available", lambda: True)
    monkeypatch.setattr(embeddings, "query", lambda text: QUERY)
    built = SqliteIndex(tmp_path / "search.db")
    docs = [
        SearchDoc(
            key="faq:inoccupation",
            kind="faq",
            scope="pub",
            title="Mon logement reste inoccupé : suis-je couvert ?",
            body="Le vol n'est pas garanti si le logement reste inoccupé plus de 90 jours par an.",
            url="/aide",
            vector=_unit(1.0, 0.45),  # cosine 0.91
        ),
        SearchDoc(
            key="message:hub",
            kind="message",
            scope="h1",
            title="Message — conseiller",
            body="Merci pour votre retour rapide, bonne journée.",
            url="/messages",
            vector=_unit(1.0, 0.0, 0.3),  # cosine 0.96: nearer than the answer
        ),
        SearchDoc(
            key="thread:plombier",
            kind="thread",
            scope="h1",
            title="Conversation — Devis du plombier",
            body="Le plombier passe mardi pour réparer la fuite sous l'évier.",
            url="/messages/1",
            vector=_unit(1.0, 0.0, 0.0, 0.4),  # cosine 0.93: the meaning ranker finds it too
        ),
    ]
    built.upsert(docs)
    built.mark_built()
    yield built
    built.close()


COUNTED_IN_FULL = dataclasses.replace(TUNING, chat_meaning_only=1.0)


def _scores(index: SqliteIndex, query: str, tuning=TUNING) -> dict[str, float]:
    """The fused scores by key, best first."""
    ranked = engine.rank(index=index, query=query, where=WHERE, own_scope="h1", tuning=tuning)
    rows = index.rows([item_id for item_id, _score in ranked.ids])
    return {rows[item_id].key: score for item_id, score in ranked.ids}


def _ranked(index: SqliteIndex, query: str, tuning=TUNING) -> list[str]:
    return list(_scores(index, query, tuning))


def test_a_conversation_found_by_meaning_alone_comes_after_the_answer(index):
    query = "partis tout l'été au Canada"  # no word of the answer: meaning alone finds both
    assert _ranked(index, query, COUNTED_IN_FULL)[0] == "message:hub"  # what it was

    found = _ranked(index, query)

    assert found[0] == "faq:inoccupation"
    assert "message:hub" not in found[:1]


def test_a_conversation_the_words_find_is_not_demoted(index):
    """The thread is near the query's vector too (the meaning ranker returns it): as the words
    found it, its score is the one it gets with the factor at 1.0."""
    found = _scores(index, "devis du plombier")
    assert next(iter(found)) == "thread:plombier"
    assert (
        found["thread:plombier"]
        == _scores(index, "devis du plombier", COUNTED_IN_FULL)["thread:plombier"]
    )
