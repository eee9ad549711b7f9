"""The general conditions as a versioned text file (content/conditions/<version>.md): the parser,
and the facts it takes from settings and the tariff rather than repeating them."""

from __future__ import annotations

import pytest

from espace import content
from espace.content import ContentError, parse_conditions
from espace.contracts import conditions_data as cg
from espace.contracts import tariff_data
from espace.core.settings import get_settings

SAMPLE = """---
version: CG-TEST-1
title: Conditions de test
---

# Dispositions générales

## Art. 1 — Objet du contrat

Le contrat est conclu avec $insurer_name, joignable au
${insurer_phone}.

Deuxième paragraphe, sur une ligne.

## Art. 2 — Les personnes assurées

Le {{souscripteur}} et son foyer (voir [[Art. 1]]).

# Lexique

## Souscripteur

Personne qui signe le
contrat.
"""

VALUES = {"insurer_name": "Assureur X", "insurer_phone": "01 02 03 04 05"}


def test_the_text_gives_chapters_articles_paragraphs_and_the_glossary():
    parsed = parse_conditions(SAMPLE, VALUES)
    assert (parsed.version, parsed.title) == ("CG-TEST-1", "Conditions de test")
    first, second = parsed.articles
    assert (first.number, first.slug, first.title, first.chapter) == (
        "Art. 1",
        "art-1",
        "Objet du contrat",
        "Dispositions générales",
    )
    # a paragraph wrapped over lines is one paragraph; the fields are filled
    assert first.paragraphs == (
        "Le contrat est conclu avec Assureur X, joignable au 01 02 03 04 05.",
        "Deuxième paragraphe, sur une ligne.",
    )
    assert second.paragraphs == ("Le {{souscripteur}} et son foyer (voir [[Art. 1]]).",)
    assert parsed.glossary == {"souscripteur": ("Souscripteur", "Personne qui signe le contrat.")}


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        (SAMPLE.replace("$insurer_name", "$insurer_nmae"), "insurer_nmae"),  # a typo in a field
        (SAMPLE.replace("## Art. 2 — Les", "## Art. 1 — Les"), "twice"),
        (SAMPLE.replace("## Art. 2 — Les", "## Article deux — Les"), "Art. N"),
        (SAMPLE.replace("# Dispositions générales\n", ""), "before any chapter"),
        (SAMPLE.replace("Le {{souscripteur}} et son foyer (voir [[Art. 1]]).", ""), "no text"),
        (SAMPLE.replace("---\nversion", "version", 1), "front matter"),
    ],
)
def test_a_broken_text_is_refused_with_what_is_wrong(broken, message):
    with pytest.raises(ContentError, match=message):
        parse_conditions(broken, VALUES)


def test_the_conditions_name_the_insurer_of_the_settings(monkeypatch):
    """Another insurer changes its environment, not the text: phone, address, assistance, DPO."""
    settings = get_settings()
    monkeypatch.setattr(settings, "insurer_name", "Mutuelle du Lac")
    monkeypatch.setattr(settings, "insurer_phone", "04 00 00 00 01")
    monkeypatch.setattr(settings, "insurer_assistance_phone", "04 00 00 00 02")
    monkeypatch.setattr(settings, "insurer_dpo_email", "dpo@lac.example")
    text = content.conditions(cg.GENERAL_CONDITIONS_VERSION, cg.fields())
    whole = " ".join(p for a in text.articles for p in a.paragraphs)
    for fact in ("Mutuelle du Lac", "04 00 00 00 01", "04 00 00 00 02", "dpo@lac.example"):
        assert fact in whole
    assert "Espace Assurances" not in whole
    assert content.ASSISTANCE_PHONE == "04 00 00 00 02"  # the help pages and the assistant too


def test_the_deductibles_listed_are_those_the_tariff_offers():
    article = next(a for a in cg.ARTICLES if a["number"] == "Art. 16")
    levels = sorted(tariff_data.CURRENT["deductible_coef_bp"])
    listed = next(p for p in article["paragraphs"] if "franchise contractuelle choisie" in p)
    for cents in levels:
        assert cg.format_euros(cents) in listed


def test_amounts_are_printed_with_french_no_break_spaces():
    definition = cg.GLOSSARY["franchise"]["definition"]
    assert "1\u202f000\u00a0€" in definition and " €" not in definition


def test_an_insurer_ships_its_own_version(tmp_path, monkeypatch):
    (tmp_path / "conditions").mkdir()
    (tmp_path / "conditions" / "CG-LAC-2027.md").write_text(
        SAMPLE.replace("CG-TEST-1", "CG-LAC-2027")
    )
    monkeypatch.setattr(get_settings(), "content_dir", tmp_path)
    content.reload()
    try:
        assert content.conditions("CG-LAC-2027", VALUES).articles[0].title == "Objet du contrat"
        with pytest.raises(ContentError, match="not a file name"):
            content.conditions("../secret", VALUES)
        # the default version still comes from the project's folder
        assert content.conditions(cg.GENERAL_CONDITIONS_VERSION, cg.fields()).articles
    finally:
        monkeypatch.undo()
        content.reload()
