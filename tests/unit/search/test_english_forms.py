"""English past participles and gerunds meet their base word ("flooded", "flooding": "flood"):
Snowball French keeps them whole, so "my basement flooded" met no group of the thesaurus and
"leaking" no item holding "leak". French words keep their stems."""

from __future__ import annotations

import pytest

from espace.search import text
from espace.search import thesaurus as th


@pytest.mark.parametrize(
    ("form", "base"),
    [
        ("flooded", "flood"),
        ("flooding", "flood"),
        ("leaking", "leak"),
        ("damaged", "damage"),
        ("cancelled", "cancel"),
        ("canceled", "cancel"),
        ("stopped", "stop"),
        ("carried", "carry"),
        ("moved", "move"),
        ("filled", "fill"),
        ("missed", "miss"),
    ],
)
def test_an_english_form_has_the_stem_of_its_base(form: str, base: str) -> None:
    assert text.stem(form) == text.stem(base)


@pytest.mark.parametrize("word", ["inondé", "fermé", "pied", "bled", "logement", "séchage"])
def test_french_words_are_left_as_they_are(word: str) -> None:
    assert text.canonical(text.fold(word)) == text.fold(word)


def test_an_english_participle_reaches_the_group_of_its_base() -> None:
    assert "inondation" in th.expand_words(text.sense_terms("my basement flooded"))


def test_insurance_alone_brings_no_group() -> None:
    """ "Insurance" and "insured" are every query's words in English, as "assurance" is in French:
    alone, "insured" (the stems of "who is insured") pulled the insured persons' group into "cancel
    my home insurance". In an expression they still count ("not insured")."""
    groups = th.expand_words(text.sense_terms("cancel my home insurance"))
    assert "resiliation" in groups and "personnes assurees" not in groups
    assert "exclusions" in th.expand_words(text.sense_terms("what is not insured"))
    for query in ("my insurer is slow", "how to insure my bike", "cancel my home insurances"):
        assert "personnes assurees" not in th.expand_words(text.sense_terms(query)), query


def test_words_with_another_sense_bring_no_family_group() -> None:
    """ "Les fils électriques", "la rupture du flexible", "le toit fuit": wires, a burst hose and a
    roof, not a son, a separation or the people under one's roof."""
    wires, hose, roof = "les fils électriques ont fondu", "rupture du flexible", "le toit fuit"
    for query in (wires, hose, roof):
        groups = th.expand_words(text.sense_terms(query))
        assert "personnes assurees" not in groups and "separation" not in groups, query
