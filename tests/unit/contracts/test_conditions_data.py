"""The general conditions as data: markup, cross-references, glossary, particular overrides."""

from __future__ import annotations

import itertools
import re

import pytest

from espace.contracts import conditions_data as cg
from espace.contracts.catalogue_data import FORMULAS, GUARANTEES
from espace.contracts.cover_data import COVER

# Checks of the shipped general conditions and their agreement with the catalogue, not of code:
# counted apart (-m data_lint).
pytestmark = pytest.mark.data_lint

REF = re.compile(r"\[\[([^\]]*)\]\]")
TERM = re.compile(r"\{\{([^}]*)\}\}")


def all_paragraphs() -> list[str]:
    return [paragraph for article in cg.ARTICLES for paragraph in article["paragraphs"]]


def all_override_texts() -> list[str]:
    return [
        override["text"] for overrides in cg.PARTICULAR_OVERRIDES.values() for override in overrides
    ]


def test_version():
    assert cg.GENERAL_CONDITIONS_VERSION == "CG-MRH-2026-01"


def test_articles_are_numbered_1_to_23_in_order_with_unique_slugs():
    numbers = [article["number"] for article in cg.ARTICLES]
    assert numbers == [f"Art. {index}" for index in range(1, 24)]
    slugs = [article["slug"] for article in cg.ARTICLES]
    assert len(set(slugs)) == len(slugs)
    assert all(re.fullmatch(r"[a-z0-9-]+", slug) for slug in slugs)
    for article in cg.ARTICLES:
        assert set(article) == {"number", "slug", "title", "chapter", "paragraphs"}
        assert article["slug"] == article["number"].lower().replace(". ", "-")
        assert article["title"] and article["chapter"]


def test_every_article_has_3_to_6_paragraphs():
    for article in cg.ARTICLES:
        assert 3 <= len(article["paragraphs"]) <= 6, article["number"]
        assert all(
            paragraph.strip() == paragraph and paragraph for paragraph in article["paragraphs"]
        )


def test_every_guarantee_has_its_article_with_the_same_number_and_title():
    by_number = cg.ARTICLES_BY_NUMBER
    for _code, _category, name, _description, number in GUARANTEES:
        assert number in by_number, number
        assert by_number[number]["title"] == name


def test_the_required_articles_are_there():
    titles = {article["number"]: article["title"] for article in cg.ARTICLES}
    assert titles["Art. 1"] == "Objet du contrat et définitions générales"
    assert titles["Art. 15"] == "Exclusions communes"
    assert titles["Art. 16"] == "Franchise"
    assert titles["Art. 17"] == "Déclaration des sinistres et délais"
    assert titles["Art. 19"] == "Indemnisation"
    assert titles["Art. 21"] == "Durée, résiliation"
    assert titles["Art. 23"] == "Réclamations et médiation"


def test_every_cross_reference_points_to_an_existing_article_other_than_itself():
    for article in cg.ARTICLES:
        for paragraph in article["paragraphs"]:
            for target in REF.findall(paragraph):
                assert target in cg.ARTICLES_BY_NUMBER, (article["number"], target)
                assert target != article["number"], article["number"]
    for text in all_override_texts():
        for target in REF.findall(text):
            assert target in cg.ARTICLES_BY_NUMBER, target


def test_every_glossary_markup_points_to_an_existing_key():
    for text in [*all_paragraphs(), *all_override_texts()]:
        for markup in TERM.findall(text):
            key, _bar, shown = markup.partition("|")
            assert key in cg.GLOSSARY, key
            assert "|" not in shown


def test_guarantee_articles_point_to_the_deductible_and_the_claim_declaration():
    for _code, _category, _name, _description, number in GUARANTEES:
        refs = set(REF.findall(" ".join(cg.ARTICLES_BY_NUMBER[number]["paragraphs"])))
        assert {"Art. 16", "Art. 17"} <= refs, number


def test_markups_are_used_generously():
    text = " ".join(all_paragraphs())
    assert len(TERM.findall(text)) >= 15
    assert len(REF.findall(text)) >= 20
    used = {markup.partition("|")[0] for markup in TERM.findall(text)}
    assert len(used) >= 14


def test_no_paragraph_has_unclosed_markup():
    for text in [*all_paragraphs(), *all_override_texts()]:
        rest = TERM.sub("", REF.sub("", text))
        for marker in ("[[", "]]", "{{", "}}", "[", "]", "{", "}"):
            assert marker not in rest, (marker, text)


def test_glossary_has_the_expected_entries_with_plain_definitions():
    expected = {
        "franchise",
        "plafond",
        "vétusté",
        "sinistre",
        "tiers",
        "valeur à neuf",
        "capital mobilier",
        "objets de valeur",
        "effraction",
        "catastrophe naturelle",
        "dépendances",
        "avenant",
        "échéance",
        "souscripteur",
        "dommages immatériels",
        "subrogation",
    }
    assert expected <= set(cg.GLOSSARY)
    assert len(cg.GLOSSARY) >= 14
    for key, entry in cg.GLOSSARY.items():
        assert set(entry) == {"term", "definition"}
        assert entry["term"].lower() == key
        assert 40 < len(entry["definition"]) < 400, key
        assert not REF.search(entry["definition"]) and not TERM.search(entry["definition"])
    anchors = [cg.glossary_anchor(key) for key in cg.GLOSSARY]
    assert len(set(anchors)) == len(anchors)
    assert cg.glossary_anchor("valeur à neuf") == "valeur-a-neuf"


@pytest.mark.parametrize("text", all_paragraphs() + all_override_texts())
def test_render_paragraph_rebuilds_the_visible_text(text):
    segments = cg.render_paragraph(text)
    assert all(set(segment) == {"kind", "text", "target"} for segment in segments)
    assert all(segment["text"] for segment in segments)
    # the visible text is the paragraph with every markup replaced by what it shows
    expected = REF.sub(lambda match: match.group(1), text)
    expected = TERM.sub(lambda match: match.group(1).rpartition("|")[2], expected)
    assert "".join(segment["text"] for segment in segments) == expected
    assert cg.visible_text(text) == expected
    # no two text segments in a row
    kinds = [segment["kind"] for segment in segments]
    assert all(not (a == b == "text") for a, b in itertools.pairwise(kinds))


def test_render_paragraph_segments():
    segments = cg.render_paragraph(
        "La {{franchise}} de l'[[Art. 16]] et la {{vétusté|vétusté déduite}} s'appliquent."
    )
    assert segments == [
        {"kind": "text", "text": "La ", "target": ""},
        {"kind": "term", "text": "franchise", "target": "franchise"},
        {"kind": "text", "text": " de l'", "target": ""},
        {"kind": "ref", "text": "Art. 16", "target": "art-16"},
        {"kind": "text", "text": " et la ", "target": ""},
        {"kind": "term", "text": "vétusté déduite", "target": "vétusté"},
        {"kind": "text", "text": " s'appliquent.", "target": ""},
    ]
    assert cg.render_paragraph("Sans balisage.") == [
        {"kind": "text", "text": "Sans balisage.", "target": ""}
    ]
    assert cg.render_paragraph("") == []


@pytest.mark.parametrize(
    "text",
    [
        "Voir [[Art. 99]].",
        "Voir [[art. 16]].",
        "Une {{inconnu}}.",
        "Une {{franchises|franchises}}.",
        "Voir [[Art. 16.",
        "Une {{franchise.",
        "Voir Art. 16]].",
        "Une franchise}}.",
    ],
)
def test_render_paragraph_rejects_unknown_targets_and_unclosed_markup(text):
    with pytest.raises(ValueError):
        cg.render_paragraph(text)


def test_particular_overrides_reference_existing_articles_for_every_formula():
    assert set(cg.PARTICULAR_OVERRIDES) == {code for code, *_rest in FORMULAS}
    for overrides in cg.PARTICULAR_OVERRIDES.values():
        assert overrides
        for override in overrides:
            assert set(override) == {"article", "text"}
            assert override["article"] in cg.ARTICLES_BY_NUMBER
            # plain text, shown as is on the conditions page
            assert not any(marker in override["text"] for marker in "[]{}"), override["text"]


def test_particular_overrides_agree_with_the_catalogue():
    articles = {code: number for code, _category, _name, _description, number in GUARANTEES}
    for formula, overrides in cg.PARTICULAR_OVERRIDES.items():
        texts: dict[str, str] = {}
        for override in overrides:
            texts[override["article"]] = texts.get(override["article"], "") + cg.visible_text(
                override["text"]
            )
        for code, number in articles.items():
            cover = COVER[formula].get(code)
            if cover is None:  # not in this formula: the particular conditions must say so
                assert "n'est pas" in texts.get(number, ""), (formula, code)
                continue
            ceiling_cents = cover[0]
            if ceiling_cents is not None:
                assert cg.format_euros(ceiling_cents) in texts.get(number, ""), (formula, code)
    confort = " ".join(cg.visible_text(o["text"]) for o in cg.PARTICULAR_OVERRIDES["CONFORT"])
    assert f"75{cg.NBSP}€" in confort  # glass breakage deductible
    assert f"3\u202f000{cg.NBSP}€" in confort  # leak search
    integrale = " ".join(cg.visible_text(o["text"]) for o in cg.PARTICULAR_OVERRIDES["INTEGRALE"])
    assert "protection juridique est incluse" in integrale
    assert f"5\u202f000{cg.NBSP}€" in integrale and f"300{cg.NBSP}€" in integrale


def test_the_text_is_real_french_contract_text():
    text = " ".join(
        [
            *map(cg.visible_text, [*all_paragraphs(), *all_override_texts()]),
            *(entry["definition"] for entry in cg.GLOSSARY.values()),
        ]
    ).lower()
    assert "lorem" not in text and "ipsum" not in text and "todo" not in text
    for expected in [
        "l125-1",
        "arrêté interministériel",
        f"380{cg.NBSP}€",
        "l113-2",
        "5 jours ouvrés",
        "2 jours ouvrés",
        "30 jours",
        "plainte",
        "l113-15-2",
        "rgpd",
        "médiation",
        "vétusté",
        "valeur à neuf",
    ]:
        assert expected in text, expected


def test_chapters_group_the_articles_in_order():
    groups = cg.chapters()
    assert [article for _chapter, articles in groups for article in articles] == cg.ARTICLES
    assert len({chapter for chapter, _articles in groups}) == len(
        groups
    )  # each chapter is contiguous
