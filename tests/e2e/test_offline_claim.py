"""The offline claim declaration on a phone: filled without network (photo included), kept on the
device encrypted, sent when the connection returns, visible in "Mes sinistres", wiped at logout."""

from __future__ import annotations

import io
import re
from datetime import datetime, timedelta

from PIL import Image
from playwright.sync_api import expect
from sqlmodel import Session, select

from espace.claims.models import Claim, ClaimFile
from espace.core.formatting import PARIS
from tests.e2e.conftest import assert_accessible, login, new_holder

SW_CONTROLS = "navigator.serviceWorker && navigator.serviceWorker.controller !== null"
DATABASE_EXISTS = (
    "indexedDB.databases().then(list => list.some(db => db.name === 'espace-offline'))"
)
# The raw record as IndexedDB holds it: the declaration must not be readable in it.
RAW_RECORD = """() => new Promise((resolve, reject) => {
  const open = indexedDB.open('espace-offline');
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const db = open.result;
    const tx = db.transaction(['items', 'keys'], 'readonly');
    const items = tx.objectStore('items').getAll();
    const key = tx.objectStore('keys').get('main');
    tx.oncomplete = () => {
      const record = items.result[0];
      const bytes = new Uint8Array(record.sealed.data);
      const photo = new Uint8Array(record.photos[0].sealed.data);
      db.close();
      resolve({
        status: record.status,
        text: new TextDecoder('latin1').decode(bytes),
        photoStart: Array.from(photo.slice(0, 3)),
        extractable: key.result.extractable,
        algorithm: key.result.algorithm.name,
      });
    };
  };
})"""
DESCRIPTION = "La cave est inondée : le chauffe-eau a fui toute la nuit."


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (40, 90, 160)).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def test_declaration_filled_offline_is_sent_when_the_network_returns(new_page, app_engine):
    who = new_holder(app_engine)
    page = new_page("phone")
    login(page, who["email"], who["password"])
    page.wait_for_function(SW_CONTROLS, timeout=20_000)

    # Online once: the page and the holder's form are kept on the device.
    page.goto("/sinistres")
    page.locator("#prepare-offline-claim").click()
    expect(page).to_have_url(re.compile(r"/declaration-hors-ligne\.html$"))
    expect(page.get_by_role("heading", name="Déclarer un sinistre hors ligne")).to_be_visible()
    expect(page.locator("#contract")).to_have_value(re.compile(r"^\d+$"))  # its only contract

    # The basement: no network at all, the page reloads from the service worker's cache.
    page.context.set_offline(True)
    page.reload()
    expect(page.get_by_role("heading", name="Déclarer un sinistre hors ligne")).to_be_visible()
    expect(page.locator("#reseau")).to_contain_text("Vous êtes hors ligne")
    contract = page.locator("#contract option:checked")
    expect(contract).to_contain_text(who["contract"])
    page.get_by_label("Que s'est-il passé ?").select_option("water_damage")
    page.get_by_label("Fuite d'une canalisation ou d'un appareil").check()
    page.locator("#q_neighbour_involved-1").check()  # Non
    page.locator("#q_leak_stopped-0").check()  # Oui
    yesterday = (datetime.now(PARIS) - timedelta(days=1)).date()
    page.get_by_label("Date du sinistre").fill(yesterday.isoformat())
    page.get_by_label("Décrivez ce qui s'est passé").fill(DESCRIPTION)
    page.get_by_label("Bien", exact=True).fill("Congélateur")
    page.get_by_label("Catégorie").select_option("appliances")
    page.get_by_label("Estimation des dégâts (€)").fill("450")
    page.locator("#photos").set_input_files(
        files=[{"name": "cave.jpg", "mimeType": "image/jpeg", "buffer": _jpeg()}]
    )
    page.get_by_role("button", name="Enregistrer la déclaration").click()
    expect(page.locator("#file-etat")).to_have_text("1 déclaration en attente d'envoi")
    expect(page.locator("#file li .status")).to_have_text("En attente d'envoi")

    # Kept encrypted: neither the description nor the JPEG bytes are in the stored record.
    raw = page.evaluate(RAW_RECORD)
    assert raw["status"] == "pending"
    assert "chauffe-eau" not in raw["text"] and "Congélateur" not in raw["text"]
    assert raw["photoStart"] != [0xFF, 0xD8, 0xFF]
    assert raw["extractable"] is False and raw["algorithm"] == "AES-GCM"

    # Any other page without network: the offline page says it waits, and leads back to it.
    page.evaluate("location.assign('/sinistres')")
    expect(page.get_by_role("heading", name="Vous êtes hors ligne")).to_be_visible()
    expect(page.locator("#declarations-etat")).to_have_text("1 déclaration en attente d'envoi")
    page.get_by_role("link", name="Déclarer un sinistre hors ligne").click()
    expect(page.locator("#file-etat")).to_have_text("1 déclaration en attente d'envoi")

    # Back online: sent on its own, with its number.
    page.context.set_offline(False)
    status = page.locator("#file li .status")
    expect(status).to_have_text(
        re.compile(r"^Envoyée — sinistre n° SIN-\d{4}-\d{6}$"), timeout=30_000
    )
    number = status.inner_text().rsplit(" ", 1)[-1]
    expect(page.locator("#file-etat")).to_have_text("Aucune déclaration en attente d'envoi.")
    with Session(app_engine) as db:
        claim = db.exec(select(Claim).where(Claim.number == number)).one()
        assert claim.holder_id == who["id"] and claim.description == DESCRIPTION
        photos = db.exec(select(ClaimFile).where(ClaimFile.claim_id == claim.id)).all()
        assert [p.filename for p in photos] == ["cave.jpg"]

    # In "Mes sinistres", with the status banner of the device.
    page.goto("/sinistres")
    expect(page.get_by_text(number).first).to_be_visible()
    expect(page.locator("#offline-claims-banner")).to_contain_text(f"sinistre n° {number}")

    # Logout wipes the key, the form and the declarations.
    page.locator(".user-menu summary").click()
    page.locator("#logout").click()
    expect(page).to_have_url(re.compile(r"/connexion"))
    page.wait_for_function(f"{DATABASE_EXISTS}.then(found => !found)", timeout=10_000)
    assert page.evaluate(DATABASE_EXISTS) is False


def _fill(page, *, photo_name: str, photo: bytes) -> None:
    page.get_by_label("Que s'est-il passé ?").select_option("water_damage")
    page.get_by_label("Fuite d'une canalisation ou d'un appareil").check()
    page.locator("#q_neighbour_involved-1").check()
    page.locator("#q_leak_stopped-0").check()
    yesterday = (datetime.now(PARIS) - timedelta(days=1)).date()
    page.get_by_label("Date du sinistre").fill(yesterday.isoformat())
    page.get_by_label("Décrivez ce qui s'est passé").fill(DESCRIPTION)
    page.get_by_label("Bien", exact=True).fill("Chaudière")
    page.get_by_label("Catégorie").select_option("building")
    page.get_by_label("Estimation des dégâts (€)").fill("1 200")
    page.locator("#photos").set_input_files(
        files=[{"name": photo_name, "mimeType": "image/jpeg", "buffer": photo}]
    )
    page.get_by_role("button", name="Enregistrer la déclaration").click()


def test_offline_declaration_waits_for_sign_in_and_keeps_what_the_server_refused(
    new_page, app_engine
):
    from espace.identity import sessions
    from espace.identity.models import Account

    who = new_holder(app_engine)
    page = new_page("phone")
    login(page, who["email"], who["password"])
    page.wait_for_function(SW_CONTROLS, timeout=20_000)
    page.goto("/sinistres")
    # The claims page points to the offline declaration while the network is gone.
    expect(page.locator("#offline-claim-link")).to_be_hidden()
    page.context.set_offline(True)
    expect(page.locator("#offline-claim-link")).to_be_visible()
    page.context.set_offline(False)
    page.locator("#prepare-offline-claim").click()
    expect(page.get_by_role("heading", name="Déclarer un sinistre hors ligne")).to_be_visible()
    expect(page.locator("#contract")).to_have_value(re.compile(r"^\d+$"))
    assert_accessible(page)

    page.context.set_offline(True)
    _fill(page, photo_name="cave.jpg", photo=b"not a photo at all, whatever its name says")
    expect(page.locator("#file-etat")).to_have_text("1 déclaration en attente d'envoi")

    # The session ends while the phone is offline: the declaration stays, and says why.
    with Session(app_engine) as db:
        account = db.exec(select(Account).where(Account.holder_id == who["id"])).one()
        sessions.revoke_all_for_account(session=db, account_id=account.id, reason="test")
        db.commit()
    page.context.set_offline(False)
    status = page.locator("#file li .status")
    expect(status).to_have_text("Connectez-vous pour envoyer votre déclaration", timeout=30_000)

    # Signed in again: sent at once; the server refuses the "photo", the declaration is kept.
    login(page, who["email"], who["password"])
    banner = page.locator("#offline-claims-banner")
    expect(banner).to_contain_text("1 déclaration hors ligne est à corriger.", timeout=30_000)
    banner.get_by_role("link", name="Voir mes déclarations hors ligne").click()
    expect(status).to_have_text("À corriger avant l'envoi")
    expect(page.locator("#file li .item-errors")).to_contain_text("cave.jpg")
    page.get_by_role("button", name="Corriger").click()
    expect(page.locator("#photos-erreur")).to_contain_text("cave.jpg")
    expect(page.get_by_label("Décrivez ce qui s'est passé")).to_have_value(DESCRIPTION)
    page.locator("#photos").set_input_files(
        files=[{"name": "cave.jpg", "mimeType": "image/jpeg", "buffer": _jpeg()}]
    )
    page.get_by_role("button", name="Enregistrer la déclaration").click()
    expect(status).to_have_text(
        re.compile(r"^Envoyée — sinistre n° SIN-\d{4}-\d{6}$"), timeout=30_000
    )
    with Session(app_engine) as db:
        claims = db.exec(select(Claim).where(Claim.holder_id == who["id"])).all()
        assert [c.status for c in claims] == [
            "received"
        ]  # one claim, nothing left from the refusal
