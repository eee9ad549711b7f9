"""The help centre data: enough articles per category, well-formed slugs, titles, bodies and
links."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from espace import content
from espace.content import ARTICLES, CATEGORIES, FaqArticle, article

# Checks of the shipped help articles (content/aide), not of code: counted apart (-m data_lint).
pytestmark = pytest.mark.data_lint

ALLOWED_ROUTES = {
    "/connexion",
    "/mot-de-passe-oublie",
    "/acces-perdu",
    "/securite",
    "/profil",
    "/contrats",
    "/contrat/conditions",
    "/contrat/modifier",
    "/documents",
    "/sinistres",
    "/sinistres/declarer",
    "/paiements",
    "/notifications",
}
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
IDS = [a.slug for a in ARTICLES]


def test_categories_are_the_six_expected():
    assert set(CATEGORIES) == {"access", "contract", "claims", "payments", "documents", "privacy"}
    assert all(label.strip() for label in CATEGORIES.values())


def test_at_least_32_articles_and_4_per_category():
    assert len(ARTICLES) >= 32
    counts = Counter(a.category for a in ARTICLES)
    for key in CATEGORIES:
        assert counts[key] >= 4, key


def test_slugs_are_unique_and_url_safe():
    assert len(set(IDS)) == len(IDS), [s for s, n in Counter(IDS).items() if n > 1]
    for slug in IDS:
        assert re.match(r"^[a-z0-9-]+$", slug) and SLUG.match(slug), slug


@pytest.mark.parametrize("item", ARTICLES, ids=IDS)
def test_article_is_well_formed(item: FaqArticle):
    assert item.category in CATEGORIES
    assert item.title == item.title.strip() and item.title.endswith("?")
    assert item.title[0].isupper()
    words = len(item.body.split())
    assert 70 <= words <= 220, f"{item.slug}: {words} words"
    assert item.body == item.body.strip()
    assert "\n\n\n" not in item.body
    assert all(paragraph.strip() for paragraph in item.body.split("\n\n"))
    assert isinstance(item.keywords, tuple) and all(k.strip() for k in item.keywords)


@pytest.mark.parametrize("item", ARTICLES, ids=IDS)
def test_links_point_to_allowed_routes(item: FaqArticle):
    assert isinstance(item.links, tuple)
    for label, route in item.links:
        assert label.strip(), item.slug
        assert route in ALLOWED_ROUTES, f"{item.slug}: {route}"
    assert len({route for _, route in item.links}) == len(item.links), item.slug


def test_titles_are_unique():
    titles = [a.title for a in ARTICLES]
    assert len(set(titles)) == len(titles)


def test_by_slug_and_lookup_are_consistent():
    # read now, not at import: another test reloads the content (a new, equal, set of objects)
    articles, by_slug = content.ARTICLES, content.BY_SLUG
    assert len(by_slug) == len(articles)
    for item in articles:
        assert by_slug[item.slug] is item
        assert article(item.slug) is item
    assert article("nexiste-pas") is None
    assert article("") is None


def test_articles_are_frozen():
    with pytest.raises(AttributeError):
        ARTICLES[0].title = "Autre ?"  # type: ignore[misc]


def test_key_portal_facts_stay_consistent():
    """Spot checks of the numbers the portal relies on, so the FAQ cannot silently drift."""
    text = {a.slug: a.body for a in ARTICLES}
    assert "5 tentatives" in text["compte-bloque"] and "30 minutes" in text["compte-bloque"]
    assert "24 heures" in text["mot-de-passe-oublie"]
    assert "48 heures" in text["acces-email-perdu"]
    assert (
        "2 jours ouvrés" in text["delais-declaration"]
        and "5 jours ouvrés" in text["delais-declaration"]
    )
    assert "30 jours" in text["delais-declaration"] and "L113-2" in text["delais-declaration"]
    assert "380 €" in text["catastrophe-naturelle"] and "1 520 €" in text["catastrophe-naturelle"]
    assert (
        "1 000 €" in text["reglement-express-bris-de-glace"]
        and "12 derniers mois" in text["reglement-express-bris-de-glace"]
    )
    assert all(day in text["date-prelevement"] for day in ("le 5", "le 10", "le 15"))
    assert "13 mois" in text["duree-conservation"] and "10 ans" in text["duree-conservation"]
    assert "dpo@espace-assurances.example" in text["droits-rgpd"]


def test_only_the_known_phone_numbers_appear():
    numbers = set()
    for item in ARTICLES:
        numbers |= set(re.findall(r"\b0\d(?: \d\d){4}\b", item.body))
    assert numbers <= {"01 86 95 00 00", "09 70 80 90 00"}
