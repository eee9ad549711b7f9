"""'Mes données' in the browser: the inventory, consents with history, the export ZIP holding only
one's own data, and the erasure request after a second factor (login impossible afterwards)."""

from __future__ import annotations

import json
import re
import zipfile

from playwright.sync_api import expect

from tests.e2e.conftest import (
    assert_accessible,
    login,
    new_holder,
    outbox_code,
    outbox_text,
    staff_login,
    wait_ready,
)


def open_privacy(page, who):
    login(page, who["email"], who["password"])
    page.goto("/mes-donnees")
    expect(page.get_by_role("heading", name="Mes données", level=1)).to_be_visible()


def test_consents_and_export(new_page, app_engine, device):
    who, other = new_holder(app_engine), new_holder(app_engine)
    page = new_page(device)
    open_privacy(page, who)
    expect(page.locator("#inventory")).to_contain_text("13 mois")
    page.locator("[id^='consent-']").first.check()
    page.locator("#save-consents").click()
    expect(page.get_by_text("Vos choix sont enregistrés.")).to_be_visible()
    expect(page.locator("#consent-history")).to_contain_text("Accepté")
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    assert_accessible(page)
    with page.expect_download() as download:
        page.locator("#export-data").click()
    with zipfile.ZipFile(download.value.path()) as archive:
        names = archive.namelist()
        assert "contract.json" in names and "policyholder.json" in names
        everything = " ".join(archive.read(n).decode("utf-8-sig", errors="replace") for n in names)
        holder_rows = json.loads(archive.read("policyholder.json"))
    assert holder_rows[0]["email"] == who["email"] and who["contract"] in everything
    assert other["email"] not in everything and other["contract"] not in everything
    assert "password_hash" not in everything


def test_erasure_needs_a_second_factor_then_the_account_is_closed(new_page, app_engine):
    who = new_holder(app_engine)
    page = new_page("desktop")
    open_privacy(page, who)
    page.locator("#ask-erasure").click()
    expect(page.get_by_role("heading", name="Confirmez votre identité")).to_be_visible()
    page.get_by_label("Code de confirmation").fill(outbox_code(app_engine, who["email"]))
    page.get_by_role("button", name="Confirmer", exact=True).click()
    wait_ready(page, re.compile(r"/connexion"))
    expect(page.get_by_text("Votre espace client est supprimé.")).to_be_visible()
    assert "supprim" in outbox_text(app_engine, who["email"]).lower()
    page.get_by_label("Adresse e-mail ou numéro de contrat").fill(who["email"])
    page.get_by_label("Mot de passe").fill(who["password"])
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("alert")).to_be_visible()

    # The request is tracked in the staff area against the one-month deadline, and answered there.
    from datetime import timedelta

    from espace.core import formatting as fmt
    from espace.core.models import utcnow
    from espace.demo.seed import STAFF

    staff = new_page("desktop")
    staff.goto("/gestion/connexion")
    staff_login(staff, STAFF[0][0])
    staff.get_by_role("link", name="Demandes d'accès").click()
    card = (
        staff.locator("#privacy-requests article")
        .filter(has_text="Effacement")
        .filter(has_text=who["last_name"])
    )
    expect(card).to_contain_text(fmt.date_fr(utcnow() + timedelta(days=30)))
    card.get_by_label("Ce qui a été fait (suppression des copies, réponse envoyée…)").fill(
        "Copies supprimées, réponse envoyée"
    )
    card.get_by_role("button", name="Marquer comme traitée").click()
    expect(card).to_have_count(0)
