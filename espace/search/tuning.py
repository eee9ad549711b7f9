"""How the search engine weighs its rankers (``Tuning``, calibrated on the tuning set of
tests/search_quality by bench/calibrate_search.py, never on the held-out set), and the words of a
query that change how its results are weighed: the holder's own items ("mon sinistre"), a definition
("définition du sinistre")."""

from __future__ import annotations

from dataclasses import dataclass

from espace.search import text


@dataclass(frozen=True)
class Tuning:
    """The fusion and cut-off, calibrated on the tuning set of tests/search_quality (never on the
    held-out set): see bench/calibrate_search.py."""

    rrf_k: float = (
        8.0  # score = weight / (rrf_k + rank): our rankings are short, their heads matter
    )
    w_words: float = 1.0
    w_expressions: float = 1.0
    w_meaning: float = 1.0
    w_single: float = 1.0  # groups of single words next to a phrase's (1: one merged ranking)
    w_meaning_negated: float = 1.0  # factor of the meaning ranker's weight for a negated query
    w_meaning_sentence: float = 1.6  # a query of 4 words or more is a sentence: meaning counts more
    dense_floor: float = 0.78  # e5 cosine under which a neighbour is noise
    dense_margin: float = 0.08  # ... or this far below the best neighbour
    dense_k: int = 30
    keyword_limit: int = 100
    coverage_min: float = 0.5  # share of the best item's word coverage needed to be ranked
    cut: float = 0.25  # results keep a fused score of at least this share of the best one
    own_boost: float = (
        0.5  # "mon", "mes", "prochain"...: the holder's own items count this much more
    )
    definition_boost: float = 0.5  # "définition", "signifie": the glossary counts this much more
    chat_meaning_only: float = 1.0  # factor of a conversation's score when no word matched it


TUNING = Tuning(
    rrf_k=5.0,
    w_words=0.7,
    w_expressions=1.6,
    w_meaning=1.3,
    w_meaning_sentence=1.0,
    dense_floor=0.78,
    dense_margin=0.05,
    cut=0.4,
    own_boost=0.15,
    w_single=0.7,
    w_meaning_negated=0.3,
    definition_boost=1.0,
    chat_meaning_only=0.3,
)


# Words that say the query is about the holder's own items ("mon sinistre", "prochain prélèvement").
OWN_CUES = frozenset(
    "mon ma mes my mine notre nos our prochain prochaine prochains dernier derniere derniers "
    "next last".split()
)

# "mon fils", "ma voisine", "mon chien": a possessive before a person or an animal tells a situation
# ("mon fils a cassé la télé d'un copain"), not a search of the holder's own items.
PEOPLE = frozenset(
    "fils fille ado ados enfant enfants bebe mari femme conjoint conjointe compagnon compagne "
    "copain copine ami amie voisin voisine voisins colocataire colocataires proprietaire bailleur "
    "locataire chien chienne chat chats animal pere mere parents frere soeur son daughter husband "
    "wife child kid kids neighbour neighbor dog cat friend landlord".split()
)


def asks_for_own_items(query: str) -> bool:
    words = text.words(query)
    return any(
        w in OWN_CUES and (i + 1 == len(words) or words[i + 1] not in PEOPLE)
        for i, w in enumerate(words)
    )


# Words that ask what a term means ("définition du sinistre"): the glossary answers first.
DEFINITION_CUES = frozenset(
    "definition definitions definir signifie signification lexique glossaire meaning define".split()
)


def asks_for_definition(query: str) -> bool:
    return bool(DEFINITION_CUES & set(text.words(query)))
