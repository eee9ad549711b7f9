"""Account security as people live it: sign-up, second factors, lockout, reset, recovery, alerts."""

from __future__ import annotations

import re
import time

import pyotp
from playwright.sync_api import Page, expect

from espace.demo.seed import STAFF
from tests.e2e.conftest import (
    assert_accessible,
    login,
    new_holder,
    outbox_code,
    outbox_link,
    outbox_text,
    second_factor_by_email,
    staff_login,
    wait_ready,
)

CONTRACTS = re.compile(r"/tableau-de-bord/?$")  # the landing page after sign-in
LOGIN = re.compile(r"/connexion/?(\?.*)?$")
NEW_PASSWORD = "Girafe#Bleue-Quai2027"


def fill_identity(page: Page, who: dict) -> None:
    page.get_by_label("Numéro de contrat").fill(who["contract"])
    page.get_by_label("Nom de famille").fill(who["last_name"])
    page.get_by_label("Date de naissance").fill(who["birth_date"])
    page.get_by_label("Code postal du logement assuré").fill(who["postal_code"])


def logout(page: Page) -> None:
    page.locator("summary.user-menu-button").click()
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page).to_have_url(LOGIN)


def test_sign_up_activate_then_protect_with_an_authenticator_app(page: Page, app_engine, device):
    who = new_holder(app_engine, with_account=False)
    email = f"inscrit-{who['id']}@example.com"
    page.goto("/inscription")
    assert_accessible(page)
    fill_identity(page, who)
    page.get_by_role("button", name="Continuer").click()
    expect(page.get_by_text("votre contrat est bien reconnu")).to_be_visible()
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe", exact=True).fill("azerty")
    expect(page.locator("#password-meter")).to_contain_text("faible")
    page.get_by_label("Mot de passe", exact=True).fill(NEW_PASSWORD)
    expect(page.locator("#password-meter")).to_contain_text(re.compile("Bon|Excellent"))
    page.get_by_label("Confirmez le mot de passe").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Créer mon espace").click()
    expect(page.get_by_text("Dernière étape")).to_be_visible()
    assert_accessible(page)

    page.goto(outbox_link(app_engine, email))
    expect(page.get_by_text("Votre espace est activé")).to_be_visible()
    login(page, email, NEW_PASSWORD)  # new device: e-mail code, read from the outbox
    expect(page).to_have_url(CONTRACTS)

    link = page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Sécurité"
    )
    if link.is_visible():
        link.click()
    else:  # phones: the tab bar keeps five tabs; security is in the account menu
        page.locator(".user-menu summary").click()
        page.locator(".user-menu-panel").get_by_role("link", name="Sécurité").click()
    wait_ready(page, re.compile(r"/securite/?$"))
    expect(page.get_by_role("heading", name="Votre score de sécurité")).to_be_visible()
    page.get_by_role("button", name="Configurer une application").click()
    # A second factor the account already has (its e-mail) before a new one is added.
    expect(page.get_by_role("heading", name="Confirmez votre identité")).to_be_visible()
    page.get_by_label("Code de confirmation").fill(outbox_code(app_engine, email))
    page.get_by_role("button", name="Confirmer", exact=True).click()
    secret = page.locator("#totp-key").inner_text().replace(" ", "")
    totp = pyotp.TOTP(secret)
    assert_accessible(page)
    now = time.time()
    page.get_by_label("Code affiché par l'application").fill(totp.at(now))
    page.get_by_role("button", name="Valider le code").click()
    expect(page.get_by_text("Application d'authentification activée")).to_be_visible()
    expect(page.locator("#security-score")).to_have_text("70")
    logout(page)

    page.get_by_label("Adresse e-mail ou numéro de contrat").fill(email)
    page.get_by_label("Mot de passe").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_text("application d'authentification")).to_be_visible()
    page.get_by_label("Code de vérification").fill(totp.at(now))  # the code already used: refused
    page.get_by_role("button", name="Valider").click()
    expect(page.locator("#code-error")).to_contain_text("déjà été utilisé")
    page.get_by_label("Code de vérification").fill(totp.at(now + 30))
    page.get_by_role("button", name="Valider").click()
    expect(page).to_have_url(CONTRACTS)


def test_a_new_browser_needs_an_email_code_unless_trusted(new_page, app_engine, device):
    who = new_holder(app_engine)
    first = new_page(device)
    first.goto("/connexion")
    first.get_by_label("Adresse e-mail ou numéro de contrat").fill(who["contract"])
    first.get_by_label("Mot de passe").fill(who["password"])
    first.get_by_role("button", name="Se connecter").click()
    masked = who["email"][0] + "•••@example.com"
    expect(first.get_by_text(f"Nous avons envoyé un code à {masked}", exact=False)).to_be_visible()
    assert_accessible(first)
    first.get_by_label("Code de vérification").fill("000000")
    first.get_by_role("button", name="Valider").click()
    expect(first.locator("#code-error")).to_contain_text("Code incorrect")
    second_factor_by_email(first, app_engine, who["email"], trust=True)
    expect(first).to_have_url(CONTRACTS)
    alert = outbox_text(app_engine, who["email"])
    assert alert.startswith("Nouvelle connexion à votre espace") and "Ce n'était pas vous" in alert
    logout(first)
    login(
        first, who["email"], who["password"], code_to="nobody"
    )  # trusted for 30 days: no code asked
    expect(first).to_have_url(CONTRACTS)

    other = new_page(device)
    other.goto("/connexion")
    other.get_by_label("Adresse e-mail ou numéro de contrat").fill(who["email"])
    other.get_by_label("Mot de passe").fill(who["password"])
    other.get_by_role("button", name="Se connecter").click()
    expect(other.get_by_role("heading", name="Vérification en deux étapes")).to_be_visible()


def test_five_wrong_passwords_lock_the_account_and_a_reset_unlocks_it(page: Page, app_engine):
    who = new_holder(app_engine)
    for _ in range(5):
        login(page, who["email"], "Mauvais#Essai2026")
        expect(page.get_by_role("alert")).to_have_text("Identifiant ou mot de passe incorrect.")
    login(page, who["email"], who["password"])
    expect(page.get_by_role("alert")).to_have_text("Identifiant ou mot de passe incorrect.")
    expect(page).to_have_url(LOGIN)
    assert outbox_text(app_engine, who["email"]).startswith(
        "Votre espace est verrouillé pendant 30 minutes"
    )

    page.get_by_role("link", name="Mot de passe oublié ?").click()
    wait_ready(page, re.compile(r"/mot-de-passe-oublie/?$"))
    page.get_by_label("Adresse e-mail ou numéro de contrat").fill(who["email"])
    page.get_by_role("button", name="Continuer").click()
    expect(page.get_by_text("Si un espace correspond")).to_be_visible()
    page.goto(outbox_link(app_engine, who["email"]))
    page.get_by_label("Nouveau mot de passe").fill(
        who["password"]
    )  # the current one is refused (history)
    page.get_by_label("Confirmez le mot de passe").fill(who["password"])
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("#password-error")).to_contain_text("déjà utilisé")
    page.get_by_label("Nouveau mot de passe").fill(NEW_PASSWORD)
    page.get_by_label("Confirmez le mot de passe").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Votre mot de passe est enregistré")).to_be_visible()
    login(page, who["email"], NEW_PASSWORD, code_to=who["email"])
    expect(page).to_have_url(CONTRACTS)


def test_forgotten_password_by_sms(page: Page, app_engine, device):
    who = new_holder(app_engine)
    page.goto("/mot-de-passe-oublie")
    page.get_by_label("Adresse e-mail ou numéro de contrat").fill(who["contract"])
    page.get_by_label("un code par SMS sur mon mobile").check()
    page.get_by_role("button", name="Continuer").click()
    expect(page.get_by_label("Code reçu par SMS")).to_be_visible()  # the SMS is sent by then
    page.get_by_label("Code reçu par SMS").fill(outbox_code(app_engine, who["phone"], "sms"))
    page.get_by_label("Nouveau mot de passe").fill(NEW_PASSWORD)
    page.get_by_label("Confirmez le mot de passe").fill(NEW_PASSWORD + "!")
    page.get_by_role("button", name="Enregistrer le nouveau mot de passe").click()
    expect(page.locator("#confirm-error")).to_have_text(re.compile("pas identiques"))
    expect(page.get_by_label("Code reçu par SMS")).not_to_have_value("")  # nothing typed is lost
    page.get_by_label("Confirmez le mot de passe").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Enregistrer le nouveau mot de passe").click()
    expect(page.get_by_text("Votre mot de passe est enregistré")).to_be_visible()


def test_wrong_identity_gets_one_generic_message_and_keeps_what_was_typed(page: Page, app_engine):
    who = new_holder(app_engine, with_account=False)
    page.goto("/inscription")
    fill_identity(page, {**who, "postal_code": "75001"})
    page.get_by_role("button", name="Continuer").click()
    expect(page.get_by_role("alert")).to_contain_text("ne correspondent à aucun contrat")
    expect(page.get_by_label("Numéro de contrat")).to_have_value(who["contract"])
    page.get_by_label("Numéro de contrat").fill("")
    page.get_by_role("button", name="Continuer").click()
    expect(page.locator("#contract-error")).to_contain_text("numéro de contrat")


def test_lost_email_access_without_phone_reaches_staff(new_page, app_engine):
    who = new_holder(app_engine, phone="")
    holder_page = new_page("phone")
    holder_page.goto("/acces-perdu")
    fill_identity(holder_page, who)
    holder_page.get_by_label("Adresse e-mail où vous joindre (facultatif)").fill(
        "joignable@example.com"
    )
    holder_page.get_by_role("button", name="Continuer").click()
    expect(holder_page.get_by_text("un conseiller vérifiera votre identité")).to_be_visible()

    staff = new_page("desktop")
    staff.goto("/gestion/acces")
    expect(staff).to_have_url(re.compile(r"/gestion/connexion/?$"))
    staff_login(staff, STAFF[0][0])
    staff.get_by_role("link", name="Demandes d'accès").click()
    expect(staff.get_by_role("heading", name="Demandes de récupération d'accès")).to_be_visible()
    card = staff.locator("article").filter(has_text=who["contract"])
    expect(card).to_contain_text("joignable@example.com")
    expect(card).to_contain_text("À traiter")
    assert_accessible(staff)
    card.get_by_label("Note de traitement (identité vérifiée, action faite)").fill(
        "Rappelé, pièce d'identité vérifiée"
    )
    card.get_by_role("button", name="Marquer comme traitée").click()
    expect(card).to_contain_text("Traitée")


def test_holder_and_staff_areas_are_separate(new_page, app_engine):
    holder = new_page("desktop")
    login(holder)
    holder.goto("/gestion/acces")
    expect(holder).to_have_url(re.compile(r"/gestion/connexion/?$"))
    staff = new_page("desktop")
    staff.goto("/gestion/connexion")
    staff_login(staff, STAFF[2][0])
    staff.get_by_role("link", name="Demandes d'accès").click()
    expect(staff.get_by_role("heading", name="Demandes de récupération d'accès")).to_be_visible()
    staff.goto("/contrats")
    expect(staff).to_have_url(LOGIN)


def test_not_me_link_ends_every_session(new_page, app_engine):
    who = new_holder(app_engine)
    intruder = new_page("desktop")
    login(intruder, who["email"], who["password"])
    expect(intruder).to_have_url(CONTRACTS)
    owner = new_page("phone")
    owner.goto(outbox_link(app_engine, who["email"]))  # the "ce n'était pas moi" link of the alert
    expect(owner.get_by_text("Toutes les sessions de votre espace ont été fermées")).to_be_visible()
    intruder.goto("/profil")
    expect(intruder).to_have_url(LOGIN)
    assert outbox_text(app_engine, who["email"]).startswith("Réinitialisez votre mot de passe")


def test_security_page_lists_history_and_ends_another_session(new_page, app_engine, device):
    who = new_holder(app_engine)
    laptop = new_page("desktop")
    login(laptop, who["email"], "Mauvais#Essai2026")
    login(laptop, who["email"], who["password"])
    phone = new_page("phone")
    login(phone, who["email"], who["password"])
    page = laptop if device == "desktop" else phone
    other = phone if device == "desktop" else laptop
    page.goto("/securite")
    expect(page.get_by_role("heading", name="Sessions ouvertes")).to_be_visible()
    rows = page.locator(".session-row")
    expect(rows).to_have_count(2)
    expect(page.get_by_role("region", name="Historique des connexions")).to_contain_text(
        "Mot de passe incorrect"
    )
    expect(page.get_by_role("region", name="Historique des connexions")).to_contain_text(
        re.compile(r"\d+\.\d+\.\d+\.xxx")
    )
    assert_accessible(page)
    rows.filter(has_not_text="Cette session").get_by_role(
        "button", name=re.compile("Déconnecter")
    ).click()
    expect(rows).to_have_count(1)
    other.goto("/contrats")
    expect(other).to_have_url(LOGIN)


def test_recovery_codes_need_a_second_factor_and_work_once(page: Page, app_engine):
    who = new_holder(app_engine)
    login(page, who["email"], who["password"])
    page.goto("/securite")
    page.get_by_role("button", name="Générer mes codes de secours").click()
    expect(page.get_by_role("heading", name="Confirmez votre identité")).to_be_visible()
    page.get_by_label("Code de confirmation").fill(outbox_code(app_engine, who["email"]))
    page.get_by_role("button", name="Confirmer").click()
    codes = page.locator("#recovery-codes li")
    expect(codes).to_have_count(10)
    first_code = codes.first.inner_text()
    page.get_by_role("button", name="J'ai noté mes codes").click()
    expect(page.locator("#recovery-codes")).to_have_count(0)
    expect(page.get_by_text("Codes restants : 10")).to_be_visible()
    # enable the app so that a recovery code is accepted at sign-in
    page.get_by_role("button", name="Configurer une application").click()
    totp = pyotp.TOTP(page.locator("#totp-key").inner_text().replace(" ", ""))
    page.get_by_label("Code affiché par l'application").fill(totp.now())
    page.get_by_role("button", name="Valider le code").click()
    expect(page.get_by_text("Application d'authentification activée")).to_be_visible()
    logout(page)
    for attempt in range(2):
        page.get_by_label("Adresse e-mail ou numéro de contrat").fill(who["email"])
        page.get_by_label("Mot de passe").fill(who["password"])
        page.get_by_role("button", name="Se connecter").click()
        page.get_by_role("button", name="Code de secours").click()
        page.get_by_label("Code de secours").fill(first_code)
        page.get_by_role("button", name="Valider").click()
        if attempt == 0:
            expect(page).to_have_url(CONTRACTS)
            logout(page)
    expect(page.locator("#code-error")).to_contain_text("déjà utilisé")


def test_changing_the_password_asks_for_a_code_first(page: Page, app_engine):
    who = new_holder(app_engine)
    login(page, who["email"], who["password"])
    page.goto("/securite")
    form = page.locator("#password-form")
    form.get_by_label("Mot de passe actuel").fill(who["password"])
    form.get_by_label("Nouveau mot de passe").fill(NEW_PASSWORD)
    form.get_by_label("Confirmez le mot de passe").fill(NEW_PASSWORD)
    form.get_by_role("button", name="Changer le mot de passe").click()
    panel = page.locator("#mot-de-passe").get_by_role(
        "group", name="Confirmation par un second facteur"
    )
    expect(panel.get_by_role("heading", name="Confirmez votre identité")).to_be_visible()
    panel.get_by_label("Code de confirmation").fill(outbox_code(app_engine, who["email"]))
    panel.get_by_role(
        "button", name="Confirmer", exact=True
    ).click()  # the form is then sent again by the page
    expect(
        page.get_by_text("Mot de passe modifié. Vos autres sessions ont été fermées.")
    ).to_be_visible()
    logout(page)
    login(page, who["email"], NEW_PASSWORD, code_to=who["email"])
    expect(page).to_have_url(CONTRACTS)
