"""The dashboard: widgets fed by real data, customised (reorder, remove, add, widen, drag and drop),
saved per holder and found again on another device; reset to default."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible, login, new_holder, wait_ready

DASHBOARD = re.compile(r"/tableau-de-bord/?$")


def order(page: Page) -> list[str]:
    return page.locator("#widgets [data-widget]").evaluate_all("els => els.map(e => e.dataset.widget)")


def test_widgets_show_real_data(page: Page):
    login(page)
    expect(page).to_have_url(DASHBOARD)
    claims = page.locator("[data-widget='claims']")
    expect(claims).to_contain_text("SIN-2026-000001")
    expect(claims).to_contain_text("Expert missionné")
    expect(page.locator("[data-widget='next_payment']")).to_contain_text("rejeté")
    expect(page.locator("[data-widget='contacts']")).to_contain_text("01 86 95 00 00")
    expect(page.locator("[data-widget='guarantees']")).to_contain_text("Dégâts des eaux")
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    assert_accessible(page)
    with page.expect_download() as download:
        page.locator("#quick-attestation-MRH0412857").click()
    assert download.value.suggested_filename.startswith("ATT-")


def test_customised_layout_is_saved_and_found_on_another_device(new_page, app_engine, device):
    who = new_holder(app_engine)
    page = new_page(device)
    login(page, who["email"], who["password"])
    expect(page).to_have_url(DASHBOARD)
    default = order(page)
    assert default[:3] == ["next_payment", "claims", "attestations"]
    page.locator("#customise").click()
    page.locator("#move-claims-up").click()  # keyboard and touch: the arrow buttons
    expect(page.locator("#widgets [data-widget]").first).to_have_attribute("data-widget", "claims")
    page.locator("#remove-security").click()
    expect(page.locator("[data-widget='security']")).to_have_count(0)
    if device == "desktop":  # a mouse: drag "contacts" onto "next_payment"
        page.locator("[data-widget='contacts']").drag_to(page.locator("[data-widget='next_payment']"))
        expect(page.locator("#widgets [data-widget]").nth(1)).to_have_attribute("data-widget", "contacts")
    saved = order(page)
    page.reload()
    wait_ready(page)
    assert order(page) == saved
    other = new_page("phone" if device == "desktop" else "desktop")
    login(other, who["email"], who["password"])
    expect(other).to_have_url(DASHBOARD)
    expect(other.locator("#widgets [data-widget]").first).to_have_attribute("data-widget", "claims")
    assert order(other) == saved
    page.locator("#add-security").click() if page.locator("#add-security").is_visible() else None
    page.locator("#reset-layout").click()
    expect(page.locator("#widgets [data-widget]").first).to_have_attribute("data-widget", "next_payment")
    assert order(page) == default
