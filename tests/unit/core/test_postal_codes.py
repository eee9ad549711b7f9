"""The postal code and town of a typed address are checked against the shipped data: five digits, a
code that exists, and a town that code serves."""

from __future__ import annotations

import pytest

from espace.core import postal_codes


@pytest.mark.parametrize(
    ("code", "town", "expected"),
    [
        ("01090", "Montmerle-sur-Saône", "Montmerle-sur-Saône"),
        ("01090", "montmerle sur saone", "Montmerle-sur-Saône"),  # case, accents, hyphens
        ("42000", "St-Étienne", "Saint-Étienne"),  # "St" spelled out
        ("75011", "PARIS", "Paris"),  # an arrondissement by La Poste's routing label
        ("13001", "Marseille", "Marseille"),
        ("20000", "Ajaccio", "Ajaccio"),  # Corsica
        ("97400", "Saint-Denis", "Saint-Denis"),  # La Réunion
        (" 69003 ", "  Lyon ", "Lyon"),
    ],
)
def test_a_real_code_with_a_town_it_serves_is_accepted(code, town, expected):
    checked, errors = postal_codes.check(code, town)
    assert errors == {}
    assert checked is not None and checked.town == expected
    assert checked.postal_code == code.strip()


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("", "Indiquez le code postal."),
        ("7501", "5 chiffres"),
        ("750011", "5 chiffres"),
        ("75O11", "5 chiffres"),  # a letter O
        ("99999", "n'existe pas"),
        ("00000", "n'existe pas"),
    ],
)
def test_a_malformed_or_unknown_code_is_refused_next_to_its_field(code, message):
    checked, errors = postal_codes.check(code, "Paris")
    assert checked is None
    assert message in errors["postal_code"]
    assert "town" not in errors


def test_a_town_the_code_does_not_serve_is_refused_with_the_towns_it_does():
    checked, errors = postal_codes.check("01090", "Lyon")
    assert checked is None
    assert "ne correspond pas au code postal 01090" in errors["town"]
    assert "Montmerle-sur-Saône" in errors["town"] and "Genouilleux" in errors["town"]


def test_both_fields_missing_get_both_errors():
    _checked, errors = postal_codes.check("", " ")
    assert set(errors) == {"postal_code", "town"}


def test_the_data_covers_france():
    # ~6,200 codes; every département has some (spot checks), a code may serve several communes.
    assert len(postal_codes.communes("01090")) >= 5
    for code in ("01000", "20000", "29200", "59000", "67000", "97300", "97600"):
        assert postal_codes.communes(code), code
    assert postal_codes.town_key("Saint-Rémy-de-Provence") == postal_codes.town_key(
        "ST REMY DE PROVENCE"
    )
