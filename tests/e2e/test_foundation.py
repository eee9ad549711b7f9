"""A person signs in, sees their contracts, moves around and signs out, on desktop and phone."""

from __future__ import annotations

import re
from datetime import date

from playwright.sync_api import Page, expect
from sqlmodel import Session, select

from espace.core import formatting as fmt
from espace.core.models import today_paris, utcnow
from espace.demo.seed import DEMO_EMAIL, DEMO_PASSWORD
from espace.identity.models import AuthSession
from tests.e2e.conftest import assert_accessible, login, second_factor_by_email

FAILED = "Identifiant ou mot de passe incorrect."
CONTRACTS_URL = re.compile(r"/contrats/?$")
DASHBOARD_URL = re.compile(r"/tableau-de-bord/?$")  # where people land after signing in
LOGIN_URL = re.compile(r"/connexion/?(\?.*)?$")


def test_login_by_email_shows_both_properties(page: Page):
    page.goto("/connexion")
    expect(page.get_by_role("heading", name="Connexion à votre espace")).to_be_visible()
    assert_accessible(page)
    login(page)
    expect(page).to_have_url(DASHBOARD_URL)
    expect(page.get_by_role("heading", name="Tableau de bord", level=1)).to_be_visible()
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Mes contrats"
    ).click()
    expect(page).to_have_url(CONTRACTS_URL)
    expect(page.get_by_role("heading", name="Appartement à Lyon")).to_be_visible()
    expect(page.get_by_role("heading", name="Maison à Carnac")).to_be_visible()
    lyon = page.locator("[data-contract='MRH0412857']")
    expect(lyon).to_contain_text("Formule Confort")
    expect(lyon).to_contain_text("230,96\u00a0€")
    today = today_paris()  # the Lyon contract started on 01/09/2021: its next anniversary
    expect(lyon).to_contain_text(
        fmt.date_fr(date(today.year + ((today.month, today.day) >= (9, 1)), 9, 1))
    )
    expect(page.locator("[data-contract='MRH0413922']")).to_contain_text("Jardin et piscine")
    expect(page.get_by_text("Camille Martin")).to_be_visible()
    assert_accessible(page)
    # The session cookie is invisible to scripts.
    assert page.evaluate("document.cookie") == ""
    cookie = next(c for c in page.context.cookies() if c["name"] == "espace_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"


def test_login_by_contract_number(page: Page):
    login(page, identifier="mrh 0413922")
    expect(page).to_have_url(DASHBOARD_URL)
    page.goto("/contrats")
    expect(page.get_by_role("heading", name="Maison à Carnac")).to_be_visible()


def test_wrong_password_and_unknown_account_get_the_same_message(page: Page):
    login(page, password="Tournesol#Lyon2025")
    expect(page.get_by_role("alert")).to_have_text(FAILED)
    login(page, identifier="personne@example.com")
    expect(page.get_by_role("alert")).to_have_text(FAILED)
    login(page, identifier="MRH9999999")
    expect(page.get_by_role("alert")).to_have_text(FAILED)
    expect(page).to_have_url(LOGIN_URL)
    assert not [c for c in page.context.cookies() if c["name"] == "espace_session"]


def test_empty_fields_get_messages_next_to_them_and_typed_text_is_kept(page: Page):
    page.goto("/connexion")
    page.get_by_label("Adresse e-mail ou numéro de contrat").fill("camille.martin@example.com")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.locator("#password-error")).to_have_text("Saisissez votre mot de passe.")
    expect(page.get_by_label("Mot de passe")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Adresse e-mail ou numéro de contrat")).to_have_value(
        "camille.martin@example.com"
    )
    page.get_by_label("Adresse e-mail ou numéro de contrat").fill("")
    page.get_by_label("Mot de passe").fill("x")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.locator("#identifier-error")).to_contain_text("numéro de contrat")
    assert_accessible(page)


def test_logout_ends_the_session_and_back_shows_nothing_private(page: Page, app_engine):
    login(page)
    expect(page.get_by_text("Appartement à Lyon").first).to_be_visible()  # on the dashboard
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "espace_session")
    # Browse within the app, so that "back" after logout lands on a private page's URL.
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Mon profil"
    ).click()
    expect(page.get_by_text("Mme Camille Martin")).to_be_visible()
    page.locator("summary.user-menu-button").click()
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page).to_have_url(LOGIN_URL)
    expect(page.get_by_role("status").filter(has_text="déconnecté")).to_be_visible()
    assert not [c for c in page.context.cookies() if c["name"] == "espace_session"]
    page.go_back()
    expect(page).to_have_url(LOGIN_URL)
    expect(page.get_by_text("Appartement à Lyon")).to_have_count(0)
    expect(page.get_by_text("Camille Martin")).to_have_count(0)
    expect(page.get_by_text("MRH0412857")).to_have_count(0)
    # The old token is dead server-side too: replaying it gets nothing.
    page.context.add_cookies([{"name": "espace_session", "value": token, "url": page.url}])
    page.goto("/contrats")
    expect(page).to_have_url(LOGIN_URL)
    expect(page.get_by_text("Appartement à Lyon")).to_have_count(0)


def test_private_pages_redirect_to_login_and_come_back_after(page: Page, app_engine):
    page.goto("/profil")
    expect(page).to_have_url(re.compile(r"/connexion/?\?suite=(%2F|/)profil$"))
    page.get_by_label("Adresse e-mail ou numéro de contrat").fill(DEMO_EMAIL)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    second_factor_by_email(page, app_engine, DEMO_EMAIL)
    expect(page).to_have_url(re.compile(r"/profil/?$"))
    expect(page.get_by_text("Mme Camille Martin")).to_be_visible()
    expect(page.get_by_text("14/03/1986")).to_be_visible()
    expect(page.get_by_text("06 12 34 56 78")).to_be_visible()
    assert_accessible(page)


def test_forged_session_cookie_is_refused(page: Page, live_app):
    page.context.add_cookies(
        [{"name": "espace_session", "value": "forged-" + "A" * 40, "url": live_app.url}]
    )
    page.goto("/contrats")
    expect(page).to_have_url(LOGIN_URL)
    expect(page.get_by_text("Appartement à Lyon")).to_have_count(0)


def test_expired_session_is_refused(page: Page, app_engine):
    login(page)
    expect(page).to_have_url(DASHBOARD_URL)
    with Session(app_engine) as db:
        for row in db.exec(select(AuthSession).where(AuthSession.revoked_at.is_(None))).all():
            row.expires_at = utcnow()
            db.add(row)
        db.commit()
    page.goto("/profil")
    expect(page).to_have_url(LOGIN_URL)
    expect(page.get_by_text("Mme Camille Martin")).to_have_count(0)


def test_navigation_layout_and_landmarks(page: Page, device: str):
    login(page)
    expect(page).to_have_url(DASHBOARD_URL)
    nav = page.get_by_role("navigation", name="Navigation principale")
    expect(nav.get_by_role("link", name="Tableau de bord")).to_have_attribute(
        "aria-current", "page"
    )
    box = nav.bounding_box()
    viewport = page.viewport_size
    if device == "phone":  # bottom tab bar
        assert (
            box["y"] + box["height"] >= viewport["height"] - 1
            and box["width"] >= viewport["width"] - 1
        )
    else:  # side navigation
        assert box["x"] == 0 and box["width"] < 300 and box["height"] > 400
    assert (
        page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    )  # no sideways scroll
    expect(page.get_by_role("main")).to_have_count(1)
    expect(page.get_by_role("banner")).to_have_count(1)
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Aller au contenu")).to_be_focused()
    nav.get_by_role("link", name="Mon profil").click()
    expect(page).to_have_url(re.compile(r"/profil/?$"))
    expect(page.get_by_role("heading", name="Coordonnées")).to_be_visible()


def test_root_sends_to_login_or_portal(page: Page):
    page.goto("/")
    expect(page).to_have_url(LOGIN_URL)
    login(page)
    expect(page).to_have_url(DASHBOARD_URL)
    page.goto("/")
    expect(page).to_have_url(DASHBOARD_URL)
    page.goto("/connexion")
    expect(page).to_have_url(DASHBOARD_URL)


def test_unknown_page_says_so_in_french(page: Page):
    page.goto("/nulle-part")
    expect(page.get_by_role("heading", name="Page introuvable")).to_be_visible()
