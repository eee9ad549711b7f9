"""The words of a query that change how its results are weighed (``espace.search.tuning``)."""

from __future__ import annotations

import pytest

from espace.search.tuning import asks_for_definition, asks_for_own_items


@pytest.mark.parametrize(
    ("query", "own"),
    [
        ("mon sinistre tempête", True),
        ("mes reçus 2024", True),
        ("prochain prélèvement", True),
        ("mon", True),
        ("mon fils a cassé la télé d'un copain", False),
        ("ma voisine du dessus a une fuite", False),
        ("my dog bit someone", False),
        ("fuite chez le voisin", False),
    ],
)
def test_a_possessive_before_a_person_does_not_ask_for_own_items(query: str, own: bool) -> None:
    assert asks_for_own_items(query) is own


@pytest.mark.parametrize(
    ("query", "definition"),
    [("définition du sinistre", True), ("que signifie vétusté", True), ("sinistre", False)],
)
def test_a_definition_is_asked_by_its_words(query: str, definition: bool) -> None:
    assert asks_for_definition(query) is definition
