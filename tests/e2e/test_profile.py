"""'Mon profil' in the browser: e-mail, mobile and postal address changed after a second factor, the
link and codes read from the outbox, the alerts to the old address and number, and the history.

Each test uses a fresh holder, so the demo holder that other tests rely on never changes."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.conftest import (
    assert_accessible,
    login,
    new_holder,
    outbox_code,
    outbox_link,
    outbox_text,
)
from tests.e2e.test_account_security import logout

DASHBOARD = re.compile(r"/tableau-de-bord/?$")


def open_profile(page: Page, who: dict) -> None:
    login(page, who["email"], who["password"])
    expect(page).to_have_url(DASHBOARD)
    page.goto("/profil")
    expect(page.get_by_role("heading", name="Coordonnées")).to_be_visible()


def confirm_identity(page: Page, email: str) -> None:
    expect(page.get_by_role("heading", name="Confirmez votre identité")).to_be_visible()
    page.get_by_label("Code de confirmation").fill(outbox_code(page.app_engine, email))
    page.get_by_role("button", name="Confirmer", exact=True).click()


def fits(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_change_email_with_the_link_sent_to_the_new_address(
    page: Page, new_page, app_engine, device
):
    page.app_engine = app_engine
    who = new_holder(app_engine)
    old, new = who["email"], f"nouvelle-{who['id']}@example.com"
    open_profile(page, who)
    page.get_by_role("button", name="Modifier l'adresse e-mail").click()
    field = page.get_by_label("Nouvelle adresse e-mail")
    expect(field).to_be_focused()
    field.fill("pas-une-adresse")
    page.get_by_role("button", name="Continuer").click()
    expect(page.locator("#new_email-error")).to_contain_text("adresse e-mail valide")
    expect(field).to_have_value("pas-une-adresse")  # what was typed stays
    field.fill(new.upper())
    page.get_by_role("button", name="Continuer").click()
    expect(page.get_by_role("heading", name="Confirmez votre identité")).to_be_visible()
    assert_accessible(page)
    confirm_identity(page, old)  # always asked for the e-mail, even right after signing in
    pending = page.get_by_role("region", name="Changement d'adresse e-mail en attente")
    expect(pending).to_contain_text(new)
    alert = outbox_text(app_engine, old)
    assert (
        alert.startswith("Demande de changement d'adresse e-mail")
        and "vers n•••@example.com" in alert
    )
    assert "/pas-moi?jeton=" in alert
    expect(page.locator("#contact-email")).to_contain_text(
        old
    )  # unchanged until the link is opened
    fits(page)
    assert_accessible(page)

    elsewhere = new_page(device)  # the new mailbox, read on another device, signed out
    elsewhere.goto(outbox_link(app_engine, new))
    expect(elsewhere.get_by_text("Votre adresse e-mail est modifiée")).to_be_visible()
    assert_accessible(elsewhere)
    assert outbox_text(app_engine, old).startswith("Votre adresse e-mail a été modifiée")
    elsewhere.goto(outbox_link(app_engine, new))  # the link works once
    expect(elsewhere.get_by_role("alert")).to_contain_text("Lien expiré ou déjà utilisé")

    page.goto("/profil")
    expect(page.locator("#contact-email")).to_contain_text(new)
    expect(page.locator("#profile-history")).to_contain_text("Adresse e-mail")
    expect(page.locator("#profile-history")).to_contain_text(
        "Code par e-mail, puis lien ouvert à la nouvelle adresse"
    )
    logout(page)
    login(page, old, who["password"])
    expect(page.get_by_role("alert")).to_have_text("Identifiant ou mot de passe incorrect.")
    login(page, new, who["password"], code_to=new)
    expect(page).to_have_url(DASHBOARD)


def test_change_phone_with_the_sms_code_then_the_address(page: Page, app_engine, device):
    page.app_engine = app_engine
    who = new_holder(app_engine)
    digits = f"{who['id']:06d}"[-6:]
    national, e164 = "0698" + digits, "+33698" + digits
    shown = " ".join(national[i : i + 2] for i in range(0, 10, 2))
    open_profile(page, who)

    page.get_by_role("button", name="Modifier le téléphone mobile").click()
    page.get_by_label("Nouveau numéro de mobile").fill("01 42 68 53 00")
    page.get_by_role("button", name="Continuer").click()
    expect(page.locator("#new_phone-error")).to_contain_text("pas un mobile")
    page.get_by_label("Nouveau numéro de mobile").fill(national)
    page.get_by_role("button", name="Continuer").click()
    confirm_identity(page, who["email"])
    pending = page.get_by_role("region", name="Changement de numéro en attente")
    expect(pending).to_contain_text(shown)
    assert_accessible(page)
    pending.get_by_label("Code reçu par SMS").fill(outbox_code(app_engine, e164, "sms"))
    pending.get_by_role("button", name="Confirmer le numéro").click()
    expect(page.get_by_text("Votre numéro de mobile est modifié et vérifié.")).to_be_visible()
    expect(page.locator("#contact-phone")).to_contain_text(shown)
    assert "remplacé" in outbox_text(app_engine, who["phone"], "sms")  # the old number is told
    assert outbox_text(app_engine, who["email"]).startswith("Votre numéro de mobile a été modifié")

    page.get_by_role("button", name="Modifier l'adresse postale").click()
    street, postal_code = page.get_by_label("Numéro et voie"), page.get_by_label("Code postal")
    # Opening the form moves the focus to its first field a moment later: typing into the postal
    # code before that happened sent the rest of the typing into the street.
    expect(street).to_be_focused()
    street.fill("5 quai de la Fosse")
    postal_code.fill("4400")
    expect(street).to_have_value("5 quai de la Fosse")
    expect(postal_code).to_have_value("4400")
    page.get_by_role("button", name="Enregistrer l'adresse").click()
    expect(page.locator("#postal_code-error")).to_contain_text("5 chiffres")
    expect(page.get_by_label("Numéro et voie")).to_have_value("5 quai de la Fosse")
    page.get_by_label("Code postal").fill("44000")
    page.get_by_label("Commune").fill("Nantes")
    page.get_by_role(
        "button", name="Enregistrer l'adresse"
    ).click()  # a code was typed minutes ago: not asked again
    expect(page.get_by_text("Votre adresse postale est modifiée.")).to_be_visible()
    expect(page.locator("#contact-address")).to_contain_text("5 quai de la Fosse, 44000 Nantes")
    assert outbox_text(app_engine, who["email"]).startswith("Votre adresse postale a été modifiée")

    history = page.locator("#profile-history li")
    expect(history).to_have_count(2)
    expect(history.nth(0)).to_contain_text("Adresse postale")
    expect(history.nth(0)).to_contain_text("Vérification récente")
    expect(history.nth(1)).to_contain_text("Téléphone mobile")
    expect(history.nth(1)).to_contain_text("•• •• •• " + " ".join([digits[2:4], digits[4:]]))
    expect(history.nth(1)).to_contain_text("Code par e-mail, puis code SMS au nouveau numéro")
    fits(page)
    assert_accessible(page)
