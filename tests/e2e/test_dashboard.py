"""The dashboard: widgets fed by real data, customised (reorder, remove, add, widen, drag and drop),
saved per holder and found again on another device; reset to default."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible, demo_claim_number, login, new_holder, wait_ready

DASHBOARD = re.compile(r"/tableau-de-bord/?$")


def order(page: Page) -> list[str]:
    return page.locator("#widgets [data-widget]").evaluate_all(
        "els => els.map(e => e.dataset.widget)"
    )


def test_widgets_show_real_data(page: Page, app_engine):
    login(page)
    expect(page).to_have_url(DASHBOARD)
    claims = page.locator("[data-widget='claims']")
    expect(claims).to_contain_text(demo_claim_number(app_engine))
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
    first = "claims"
    if device == "desktop":  # a mouse: drag "attestations" onto the first widget
        page.locator("[data-widget='attestations'] h2").drag_to(
            page.locator("[data-widget='claims'] h2")
        )
        expect(page.locator("#widgets [data-widget]").first).to_have_attribute(
            "data-widget", "attestations"
        )
        first = "attestations"
    saved = order(page)
    page.reload()
    wait_ready(page)
    assert order(page) == saved
    other = new_page("phone" if device == "desktop" else "desktop")
    login(other, who["email"], who["password"])
    expect(other).to_have_url(DASHBOARD)
    expect(other.locator("#widgets [data-widget]").first).to_have_attribute("data-widget", first)
    assert order(other) == saved
    page.locator("#add-security").click() if page.locator("#add-security").is_visible() else None
    page.locator("#reset-layout").click()
    expect(page.locator("#widgets [data-widget]").first).to_have_attribute(
        "data-widget", "next_payment"
    )
    assert order(page) == default


CACHED_INDEX = (
    "caches.open('espace-attestations').then(c => c.match('/__attestations.json'))"
    ".then(r => r ? r.json() : []).then(list => list.length)"
)


def test_attestation_readable_offline_then_forgotten_at_logout(new_page):
    page = new_page("desktop")
    login(page)
    page.wait_for_function(
        "navigator.serviceWorker && navigator.serviceWorker.controller !== null", timeout=15_000
    )
    with page.expect_download():
        page.locator("#quick-attestation-MRH0412857").click()
    page.wait_for_function(CACHED_INDEX, timeout=15_000)
    page.context.set_offline(True)
    page.evaluate("location.assign('/tableau-de-bord')")
    expect(page.get_by_role("heading", name="Vous êtes hors ligne")).to_be_visible()
    saved = page.locator("a[href*='/api/documents/']").first
    expect(saved).to_be_visible()
    href = saved.get_attribute("href")
    assert (
        page.evaluate(f"fetch({href!r}).then(r => r.status + ' ' + r.headers.get('content-type'))")
        == "200 application/pdf"
    )
    page.context.set_offline(False)
    page.goto("/tableau-de-bord")
    page.locator(".user-menu summary").click()
    page.locator("#logout").click()
    expect(page).to_have_url(re.compile(r"/connexion"))
    assert page.evaluate(CACHED_INDEX) == 0


def test_notification_preferences_stop_claim_emails_but_not_security(new_page, app_engine):
    from sqlmodel import Session

    from espace.notifications import preferences

    who = new_holder(app_engine)
    page = new_page("desktop")
    login(page, who["email"], who["password"])
    page.locator("#notification-bell").click()
    wait_ready(page, re.compile(r"/notifications"))
    claims_email = page.get_by_label("Sinistres : E-mail")
    expect(claims_email).to_be_checked()
    expect(
        page.get_by_label("Sécurité : E-mail")
    ).to_be_disabled()  # security alerts cannot be turned off
    claims_email.uncheck()
    page.locator("#critical-only").check()
    page.locator("#save-prefs").click()
    expect(page.get_by_text("Vos préférences sont enregistrées.")).to_be_visible()
    expect(page.get_by_label("Sinistres : E-mail")).not_to_be_checked()
    assert_accessible(page)
    with Session(app_engine) as db:
        prefs = preferences.settings_for(session=db, holder_id=who["id"])
        assert (
            prefs.critical_only
            and not prefs.matrix["claims"]["email"]
            and prefs.matrix["security"]["email"]
        )
