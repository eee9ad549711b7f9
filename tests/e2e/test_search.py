"""Search in the browser: the header box ("/" shortcut, suggestions), grouped results with
highlights, "did you mean", filters, the empty state, and a holder never finding another's data."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible, demo_claim_number, login, new_holder, wait_ready


def wait_for_index(page: Page) -> None:
    """A fresh installation builds its index in a separate process (the page says "indexation en
    cours" meanwhile): retry until it is complete."""
    for _ in range(300):
        page.goto("/recherche?q=attestation")
        if page.locator("#results").count() and not page.locator("#indexing").count():
            return
        page.wait_for_timeout(1000)
    raise AssertionError("the search index was not built")


def test_search_from_the_header_with_suggestions_and_grouped_results(page: Page, device: str):
    login(page)
    wait_for_index(page)
    page.goto("/contrats")
    if device == "desktop":
        page.keyboard.press("/")  # the shortcut focuses the search field
        expect(page.locator("#site-search")).to_be_focused()
        page.keyboard.type("fuit", delay=60)
    else:
        page.locator("#site-search").fill("fuit")
    suggestions = page.locator("#search-suggestions")
    expect(suggestions).to_contain_text("Dégâts des eaux")
    page.locator("#site-search").press("Enter")
    wait_ready(page, re.compile(r"/recherche\?q=fuit"))
    results = page.locator("#results")
    expect(results.locator("[data-kind='guarantee']")).to_contain_text("Dégâts des eaux et gel")
    expect(results.locator("mark").first).to_be_visible()  # matched words are highlighted
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    assert_accessible(page)
    results.locator("[data-kind='guarantee'] a", has_text="Dégâts des eaux").first.click()
    wait_ready(page, re.compile(r"/contrat\?n=MRH"))


def test_typos_filters_and_the_empty_state(new_page):
    page = new_page("desktop")
    login(page)
    wait_for_index(page)
    page.goto("/recherche?q=cambriolge")
    expect(page.locator("#did-you-mean")).to_have_text("cambriolage")
    expect(page.locator("#results")).to_contain_text("cambriol")
    page.goto("/recherche?q=échéance")
    page.get_by_text("Filtres", exact=True).click()
    page.get_by_label("Type").select_option("payment")
    page.get_by_label("Contrat").select_option("MRH0412857")
    page.get_by_label("Montant minimum (€)").fill("10")
    page.locator("#search-submit").click()
    groups = page.locator("#results section")
    expect(groups).to_have_count(1)
    expect(groups.first).to_have_attribute("data-kind", "payment")
    expect(groups.first).to_contain_text("MRH0412857")
    page.get_by_label("Montant minimum (€)").fill("dix")
    page.locator("#search-submit").click()
    expect(page.locator("#filter-error")).to_contain_text("Montant invalide")
    page.goto("/recherche?q=zzqxw")
    expect(page.locator("#no-results")).to_be_visible()
    expect(page.get_by_role("link", name="fuite")).to_be_visible()  # examples to try


def test_a_holder_never_finds_the_demo_holders_data(new_page, app_engine):
    stranger = new_holder(app_engine)
    page = new_page("desktop")
    login(page, stranger["email"], stranger["password"])
    wait_for_index(page)
    for query in (demo_claim_number(app_engine), "mandat prélèvement", "ballon voisin parquet"):
        page.goto(f"/recherche?q={query}")
        expect(
            page.locator(
                "[data-kind='claim'], [data-kind='message'], [data-kind='document'], "
                "[data-kind='payment']"
            )
        ).to_have_count(0)
