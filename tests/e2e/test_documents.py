"""Documents as a holder and a third party: attestations with QR verification, the library."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from datetime import date, timedelta

import pypdfium2
import pytest
import zxingcpp
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from espace.core import formatting as fmt
from espace.core.models import today_paris
from tests.e2e.conftest import assert_accessible, login, new_holder, wait_ready


def open_documents(page: Page, who: dict) -> None:
    login(page, who["email"], who["password"])
    link = page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Mes documents"
    )
    if link.is_visible():
        link.click()
    else:  # phones: five tabs; the documents are reached from the dashboard
        page.get_by_role("link", name="Mes documents").first.click()
    wait_ready(page, re.compile(r"/documents/?$"))


def issue(page: Page, kind_label: str, **fields) -> bytes:
    form = page.locator("#attestation-form")
    link = page.locator("#issued-link")
    previous = link.get_attribute("href") if link.count() else None
    form.get_by_label("Contrat").select_option(index=1)
    form.get_by_label(kind_label).check()
    for label, value in fields.items():
        form.get_by_label(label, exact=True).fill(value)
    form.get_by_role("button", name="Générer l'attestation").click()
    expect(link).to_be_visible()
    if previous:  # wait for the new document's link, not the previous one
        expect(link).not_to_have_attribute("href", previous)
    with page.expect_download() as download:
        link.click()
    return open(download.value.path(), "rb").read()


def pdf_text(pdf: bytes) -> str:
    return " ".join(
        " ".join((p.extract_text() or "") for p in PdfReader(io.BytesIO(pdf)).pages).split()
    )


def qr_url(pdf: bytes) -> str:
    """Render each page to an image (200 dpi) and decode the first QR code found."""
    for page in pypdfium2.PdfDocument(io.BytesIO(pdf)):
        codes = zxingcpp.read_barcodes(page.render(scale=200 / 72).to_pil())
        if codes:
            return codes[0].text
    raise AssertionError("no QR code found in the document")


def test_every_attestation_kind_downloads_reads_and_verifies(new_page, app_engine, app_db_url):
    who = new_holder(app_engine)
    page = new_page("desktop")
    open_documents(page, who)
    assert_accessible(page)
    today = today_paris()
    start, end = today + timedelta(days=3), today + timedelta(days=17)
    kinds = {
        "Standard (bailleur, administration)": {},
        "Détaillée (syndic, banque : garanties et plafonds)": {},
        "Location saisonnière": {
            "Adresse de la location saisonnière": "3 rue du Port, 29900 Concarneau",
            "Du": start.isoformat(),
            "Au": end.isoformat(),
        },
        "Temporaire (période choisie)": {"Du": start.isoformat(), "Au": end.isoformat()},
    }
    urls = {}
    for label, fields in kinds.items():
        pdf = issue(page, label, **fields)
        text = pdf_text(pdf)
        assert who["contract"] in text and who["last_name"] in text
        assert "1 place du Commerce" in text and "44000 Nantes" in text
        assert "Responsabilité civile" in text
        if fields:
            assert fmt.date_fr(start) in text and fmt.date_fr(end) in text
        if label.startswith("Détaillée"):
            assert "Dégâts des eaux" in text and "Incendie" in text and "€" in text
        if label == "Location saisonnière":
            assert "Concarneau" in text
        urls[label] = qr_url(pdf)

    third_party = new_page("phone")
    for url in urls.values():
        third_party.goto(url)
        expect(third_party.locator("#verdict")).to_have_text("Attestation valide")
    expect(third_party.get_by_text("44000")).to_have_count(0)
    expect(third_party.get_by_text(who["last_name"])).to_have_count(0)
    expect(third_party.get_by_text("Nantes")).to_be_visible()
    assert_accessible(third_party)

    forged = re.sub(
        r"ref=(.)",
        lambda m: "ref=" + ("B" if m.group(1) != "B" else "C"),
        urls["Standard (bailleur, administration)"],
    )
    third_party.goto(forged)
    expect(third_party.locator("#verdict")).to_contain_text("n'est pas authentique")

    env = {**os.environ, "ESPACE_DATABASE_URL": app_db_url}
    subprocess.run(
        [sys.executable, "-m", "espace.cli", "terminate-contract", who["contract"]],
        env=env,
        check=True,
        capture_output=True,
    )
    for url in urls.values():
        third_party.goto(url)
        expect(third_party.locator("#verdict")).to_have_text("Attestation révoquée")


def test_bad_attestation_requests_are_refused_next_to_the_field(page: Page, app_engine):
    who = new_holder(app_engine)
    open_documents(page, who)
    form = page.locator("#attestation-form")
    form.get_by_label("Contrat").select_option(index=1)
    form.get_by_label("Location saisonnière").check()
    today = today_paris()
    form.get_by_label("Du", exact=True).fill((today + timedelta(days=5)).isoformat())
    form.get_by_label("Au", exact=True).fill((today + timedelta(days=2)).isoformat())
    form.get_by_role("button", name="Générer l'attestation").click()
    expect(page.locator("#att_place-error")).to_contain_text("adresse de la location")
    form.get_by_label("Adresse de la location saisonnière").fill("Gîte des Dunes, Erquy")
    form.get_by_role("button", name="Générer l'attestation").click()
    expect(page.locator("#att_end-error")).to_contain_text("doit suivre")
    expect(form.get_by_label("Adresse de la location saisonnière")).to_have_value(
        "Gîte des Dunes, Erquy"
    )


def holder_with_receipts(engine) -> dict:
    """A fresh holder with a quarterly contract in Lyon and an annual one in Nantes, and their
    receipts."""
    from sqlmodel import Session

    from espace.billing import instalments, receipts
    from tests import factories

    today = today_paris()
    with Session(engine, expire_on_commit=False) as db:
        person = factories.holder(db)
        lyon = factories.contract(
            db,
            person,
            city="Lyon",
            payment_frequency="quarterly",
            start_date=date(2024, 1, 1),
            annual_premium_cents=24_000,
            annual_tax_cents=1_982,
        )
        nantes = factories.contract(
            db,
            person,
            city="Nantes",
            payment_frequency="annual",
            start_date=date(2023, 6, 10),
            annual_premium_cents=61_000,
            annual_tax_cents=5_037,
        )
        for contract in (lyon, nantes):
            instalments.seed_history(
                session=db, contract=contract, today=today, ahead_until=today + timedelta(days=200)
            )
        receipts.register_paid_receipts(session=db, holder_id=person.id)
        db.commit()
        return {
            "email": person.email,
            "password": factories.PASSWORD,
            "lyon": lyon.number,
            "nantes": nantes.number,
            "today": today,
        }


def test_library_filters_preview_and_download_trace(page: Page, app_engine):
    who = holder_with_receipts(app_engine)
    login(page, who["email"], who["password"])
    page.goto("/documents")
    page.get_by_text("Filtrer et trier").click()  # the filters are folded until needed
    filters = page.locator("#filters")
    filters.get_by_label("Type").select_option(label="Reçu de cotisation")
    filters.get_by_label("Contrat / logement").select_option(label=f"{who['nantes']} · Nantes")
    filters.get_by_role("button", name="Filtrer").click()
    rows = page.locator(".doc-row")
    expect(rows.first).to_contain_text(who["nantes"])
    today = who["today"]
    paid_years = sum(
        1 for year in range(2023, today.year + 1) if date(year, 6, 5) <= today
    )  # debited on the 5th
    expect(rows).to_have_count(paid_years)
    annual = rows.count()
    expect(rows.filter(has_text=who["lyon"])).to_have_count(0)
    filters.get_by_label("Montant min. (€)").fill("abc")
    filters.get_by_role("button", name="Filtrer").click()
    expect(page.locator("#f_min-error")).to_contain_text("Montant invalide")
    expect(rows).to_have_count(annual)  # nothing lost
    filters.get_by_label("Montant min. (€)").fill("700")
    filters.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_text("Aucun document ne correspond")).to_be_visible()
    filters.get_by_label("Montant min. (€)").fill("600")
    filters.get_by_label("Du").fill("2024-01-01")
    filters.get_by_label("Au").fill("2024-12-31")
    filters.get_by_role("button", name="Filtrer").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("610,00")
    expect(rows.first).to_contain_text("Jamais téléchargé")
    assert_accessible(page)

    rows.first.get_by_role("button", name=re.compile("^Aperçu")).click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator("iframe")).to_have_attribute(
        "src", re.compile(r"/api/documents/\d+\?apercu=1")
    )
    dialog.get_by_role("button", name="Fermer l'aperçu").click()
    expect(dialog).to_have_count(0)

    with page.expect_download() as download:
        rows.first.get_by_role("link", name=re.compile("^Télécharger")).click()
    pdf = open(download.value.path(), "rb").read()
    assert "610,00" in pdf_text(pdf) and who["nantes"] in pdf_text(pdf)
    expect(rows.first).to_contain_text(
        f"Téléchargé le {fmt.date_fr(today_paris())}"
    )  # in Paris, not UTC

    page.get_by_role("button", name="Effacer les filtres").click()
    expect(rows.filter(has_text=who["lyon"]).first).to_be_visible()


def test_another_holders_document_id_gives_nothing(new_page, app_engine):
    owner = new_holder(app_engine)
    alice = new_page("desktop")
    open_documents(alice, owner)
    pdf = issue(alice, "Standard (bailleur, administration)")
    assert pdf.startswith(b"%PDF")
    doc_url = alice.locator("#issued-link").get_attribute("href")
    assert alice.request.get(doc_url).status == 200

    other = new_holder(app_engine)
    bob = new_page("desktop")
    login(bob, other["email"], other["password"])
    response = bob.request.get(doc_url)
    assert response.status == 404 and not response.body().startswith(b"%PDF")
    anonymous = new_page("phone")
    assert anonymous.request.get(doc_url).status == 401


@pytest.mark.parametrize("device", ["phone"], indirect=False)
def test_documents_page_on_a_phone(new_page, app_engine, device):
    who = new_holder(app_engine)
    page = new_page(device)
    open_documents(page, who)
    pdf = issue(page, "Standard (bailleur, administration)")
    assert who["contract"] in pdf_text(pdf)
    assert (
        page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    )  # no sideways scroll
    assert_accessible(page)
