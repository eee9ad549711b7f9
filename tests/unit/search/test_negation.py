"""Negations as the thesaurus reads them: every negation word is one sense ("jamais garanti", "ne
rembourse pas", "aucune couverture" and "not covered" meet "pas couvert"), "ne ... plus" is its own
(no longer: moved out, not empty), and the words a negation turns over are known to the engine."""

from __future__ import annotations

import pytest

from espace.search import text
from espace.search import thesaurus as th


def groups_of(query: str) -> list[str]:
    return th.expand_words(text.sense_terms(query))


@pytest.mark.parametrize(
    "query",
    [
        "ce que l'assurance ne rembourse jamais",
        "les dommages qu'elle ne prend pas en charge",
        "aucune couverture pour ça",
        "what isn't covered",
        "qu'est-ce qui n'est pas couvert",
    ],
)
def test_every_negation_of_cover_finds_the_exclusions(query: str) -> None:
    assert "exclusions" in groups_of(query)
    assert th.negated_stems(text.sense_terms(query))  # and the covered word is not searched as is


def test_ne_plus_and_ne_rien_are_kept_ne_alone_and_plus_alone_are_not() -> None:
    assert text.sense_terms("je n'habite plus là") == ["habite", "plus"]
    assert text.sense_terms("on ne me rembourse rien") == ["rembourse", "pas"]
    assert text.sense_terms("plus de 90 jours") == ["90", "jours"]  # "plus" without "ne": no sense


def test_no_longer_is_not_not() -> None:
    moved = groups_of("je n'habite plus là")
    empty = groups_of("le logement n'est pas habité")
    assert "demenagement" in moved and "demenagement" not in empty
    assert "inoccupation" in empty and "inoccupation" not in moved


def test_the_negated_stems_are_those_of_the_expression_only() -> None:
    assert th.negated_stems(text.sense_terms("vol non couvert")) == {"couvert"}
    assert th.negated_stems(text.sense_terms("vol couvert")) == set()


def test_a_phrase_and_single_words_bring_their_groups_apart() -> None:
    phrases, single = th.expand_by_span(text.sense_terms("le logement n'est pas habité"))
    assert "inoccupation" in phrases and "inoccupation" not in single
    assert "appartement" in single and "appartement" not in phrases  # the group of "logement"
    assert th.expand_words(text.sense_terms("le logement n'est pas habité")) == phrases + [
        e for e in single if e not in phrases
    ]


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("I can't log in", ["unable", "login"]),
        ("I cannot sign-in", ["unable", "signin"]),
        ("my insurance won't pay", ["not", "pay"]),
        ("it isn't covered", ["not", "covered"]),
    ],
)
def test_english_negations_and_two_word_verbs(typed: str, read: list[str]) -> None:
    """Read as two words, "log in" left "log", the stem of "logement" (the buildings' group answered
    "I can't log in"); "won't" and "isn't" are negations, "can't" and "cannot" an inability."""
    assert [w for w in text.sense_terms(typed) if w not in ("insurance",)] == read
    assert "connexion" in groups_of(typed) or "exclusions" in groups_of(typed)


def test_what_i_cannot_do_is_not_what_the_insurer_will_not_do() -> None:
    """ "I can't pay" (the premium) read as "not pay" met "won't pay" (the exclusions)."""
    assert "impaye" in groups_of("I can't pay this month")
    assert "exclusions" not in groups_of("I can't pay this month")
    assert "exclusions" in groups_of("my insurance won't pay for the damage")
    assert "impaye" not in groups_of("my insurance won't pay for the damage")
    assert th.negated_stems(text.sense_terms("I can't pay")) == set()
    assert text.sense_terms("I can not pay") == ["unable", "pay"]


def test_a_negation_turns_over_the_words_after_it_and_the_one_before() -> None:
    """ "la serrure ne ferme plus": the lock is still what the query is about, so "serrure" is
    searched as a word; "ferme" is not."""
    negated = th.negated_stems(text.sense_terms("la serrure ne ferme plus"))
    assert negated == {text.stem("ferme")}
    assert th.negated_stems(text.sense_terms("ce qui n'est pas couvert")) == {"couvert"}
    # every word after the negation is denied: "charge" would find every "prise en charge"
    assert th.negated_stems(text.sense_terms("dommages pas pris en charge")) >= {
        text.stem("pris"),
        text.stem("charge"),
    }


def test_a_word_holding_log_is_left_alone() -> None:
    assert text.words("blog catalog") == ["blog", "catalog"]


def test_a_negation_belongs_to_the_word_right_after_it() -> None:
    """ "pas [propriétaire] couvert" also spells "pas couvert" with a word between: the negation is
    the owner's, not the cover's, so the exclusions are not what the query asks for."""
    asked = text.sense_terms("je ne suis pas propriétaire, suis-je couvert ?")
    assert th.negated_stems(asked) == {text.stem(text.fold("propriétaire"))}
    assert "exclusions" not in th.expand_words(asked)
    assert "locataire" in th.expand_words(asked)
    # "sans assurance habitation" is not "pas habité" (an empty home)
    assert "inoccupation" not in groups_of("sans assurance habitation")
    assert "assurance obligatoire" in groups_of("sans assurance habitation")
    # with nothing tighter, a word between still reads: "inondé mon voisin"
    assert "voisin inonde" in groups_of("il a inondé mon voisin")


@pytest.mark.parametrize(
    ("query", "group"),
    [
        ("I no longer live there", "demenagement"),  # "no longer": "ne ... plus"
        ("my claim was not accepted", "refus de prise en charge"),
        ("mon sinistre a été refusé", "refus de prise en charge"),
    ],
)
def test_a_refusal_and_no_longer_in_english(query: str, group: str) -> None:
    assert group in groups_of(query)
