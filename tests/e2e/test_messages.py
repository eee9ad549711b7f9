"""Secure messaging in the browser: a holder writes with a photo, an adviser takes and answers the
message from the staff inbox with a PDF, the holder is told by e-mail (without the answer's text),
replies, the adviser resolves, the holder rates the answer."""

from __future__ import annotations

import re

from fpdf import FPDF
from PIL import Image
from playwright.sync_api import Page, expect
from sqlmodel import Session, select

from espace.demo.seed import DEMO_EMAIL, STAFF
from espace.identity.models import Account
from espace.support.models import SupportThread
from tests.e2e.conftest import (
    assert_accessible,
    login,
    new_holder,
    outbox_text,
    staff_login,
    wait_ready,
)
from tests.e2e.test_mobile import SMALL_TARGETS

HANDLER = STAFF[0][0]  # Sophie Bernard, gestionnaire
ANSWER = "Bonjour, votre plafond mobilier est de 15 000 euros : aucune démarche n'est nécessaire."


def _photo(folder, name: str) -> str:
    path = folder / name
    Image.new("RGB", (640, 480), "teal").save(path, "JPEG")
    return str(path)


def _pdf(folder, name: str) -> str:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=14)
    pdf.cell(text="Conditions particulieres")
    path = folder / name
    path.write_bytes(bytes(pdf.output()))
    return str(path)


def open_messages(page: Page, device: str) -> None:
    if device == "phone":  # not in the five tabs: in the account menu
        page.locator(".user-menu summary").click()
        page.get_by_role("link", name="Messages", exact=True).click()
    else:
        page.get_by_role("navigation", name="Navigation principale").get_by_role(
            "link", name="Mes messages"
        ).click()
    wait_ready(page, re.compile(r"/messages/?$"))
    expect(page.get_by_role("heading", name="Mes messages", level=1)).to_be_visible()


def write_new_message(page: Page, subject: str, photo: str) -> str:
    page.locator("#new-message").click()
    wait_ready(page, re.compile(r"/messages/nouveau"))
    page.get_by_label("Objet").fill("Ab")
    page.get_by_label("Votre demande concerne").select_option("contract")
    page.get_by_label("Contrat concerné").select_option(index=1)
    page.get_by_label("Votre message").fill(
        "Je viens d'acheter un canapé à 3 000 € : suis-je bien couvert ?"
    )
    page.locator("#message-files input[type=file]").set_input_files(photo)
    expect(page.locator("#message-files-chosen")).to_contain_text("canape.jpg")
    page.locator("#send-new-message").click()
    # Refused next to the field, in French; nothing typed or chosen is lost.
    expect(page.locator("#subject-error")).to_contain_text("3 caractères au moins")
    expect(page.get_by_label("Votre message")).to_have_value(re.compile("canapé à 3 000 €"))
    expect(page.locator("#message-files-chosen")).to_contain_text("canape.jpg")
    assert_accessible(page)
    page.get_by_label("Objet").fill(subject)
    page.locator("#send-new-message").click()
    wait_ready(page, re.compile(r"/message\?n=\d+"))
    expect(page.get_by_role("heading", name=subject, level=1)).to_be_visible()
    expect(page.locator("#thread-status")).to_have_text("En cours de traitement")
    expect(page.locator("#messages")).to_contain_text("canape.jpg")
    return page.url


def staff_answers(staff: Page, subject: str, holder: dict, pdf: str) -> None:
    staff.goto("/gestion/connexion")
    staff_login(staff, HANDLER)
    staff.get_by_role("navigation", name="Navigation de la gestion").get_by_role(
        "link", name="Messages"
    ).click()
    wait_ready(staff, re.compile(r"/gestion/messages"))
    expect(staff.locator("#inbox-figures")).to_contain_text("En retard")
    row = staff.locator("#inbox tr", has_text=subject)
    expect(row).to_contain_text("Nouveau")
    expect(row).to_contain_text(re.compile(r"Reste \d"))
    assert_accessible(staff)
    row.get_by_role("link", name=subject).click()
    wait_ready(staff, re.compile(r"/gestion/message\?n=\d+"))
    expect(staff.locator("#thread-holder")).to_contain_text(holder["last_name"])
    expect(staff.locator("#thread-holder")).to_contain_text(holder["contract"])
    staff.locator("#take-thread").click()
    expect(staff.locator("#thread-holder")).to_contain_text("Sophie Bernard")
    staff.get_by_label("Votre réponse").fill(ANSWER)
    staff.locator("#staff-reply-files input[type=file]").set_input_files(pdf)
    staff.locator("#send-staff-reply").click()
    expect(staff.locator("#thread-status")).to_have_text("En attente de l'assuré")
    expect(staff.locator("#messages")).to_contain_text("aucune démarche")
    expect(staff.locator("#messages")).to_contain_text("conditions.pdf")
    assert_accessible(staff)


def test_a_holder_and_an_adviser_talk_until_the_answer_is_rated(
    new_page, app_engine, device, tmp_path
):
    holder = new_holder(app_engine)
    subject = f"Canapé neuf ({device})"
    page = new_page(device)
    login(page, holder["email"], holder["password"])
    open_messages(page, device)
    thread_url = write_new_message(page, subject, _photo(tmp_path, "canape.jpg"))
    assert_accessible(page)

    staff = new_page("desktop")
    staff_answers(staff, subject, holder, _pdf(tmp_path, "conditions.pdf"))

    mail = outbox_text(app_engine, holder["email"])
    assert f"« {subject} »" in mail and "/message?n=" in mail
    assert "aucune démarche" not in mail and "15 000" not in mail

    page.goto(thread_url)
    expect(page.locator("#thread-status")).to_have_text("En attente de votre réponse")
    expect(page.locator("#messages")).to_contain_text("Sophie Bernard")
    pdf_link = page.locator("#messages").get_by_role("link", name=re.compile("conditions.pdf"))
    response = page.request.get(pdf_link.get_attribute("href"))
    assert response.status == 200 and response.body().startswith(b"%PDF-")
    assert response.headers["cache-control"] == "no-store"
    page.get_by_label("Votre message").fill("Merci beaucoup, c'est très clair.")
    page.locator("#send-reply").click()
    expect(page.locator("#thread-status")).to_have_text("En cours de traitement")
    expect(page.locator("#messages")).to_contain_text("c'est très clair")

    staff.reload()
    wait_ready(staff)
    staff.locator("#resolve-thread").click()
    expect(staff.locator("#thread-status")).to_have_text("Résolu")

    page.goto(thread_url)
    expect(page.locator("#thread-status")).to_have_text("Résolu")
    page.locator("#send-rating").click()
    expect(page.locator("#rating-error")).to_contain_text("note de 1 à 5")
    page.get_by_text("4 sur 5", exact=True).click()
    page.get_by_label("Un commentaire ? (facultatif)").fill("Réponse rapide.")
    page.locator("#send-rating").click()
    expect(page.locator("#rating-given")).to_contain_text("4 sur 5")
    expect(page.locator("#rating-given")).to_contain_text("Réponse rapide.")
    expect(page.locator("#rating-form")).to_have_count(0)
    assert_accessible(page)

    open_messages(page, device)
    expect(page.locator("#threads")).to_contain_text(subject)
    with Session(app_engine) as db:
        thread = db.exec(select(SupportThread).where(SupportThread.subject == subject)).one()
        assert (thread.status, thread.rating, thread.holder_id) == ("resolved", 4, holder["id"])


def test_messages_pages_fit_a_360_px_phone_and_stay_private(new_page, app_engine):
    with Session(app_engine) as db:
        holder_id = db.exec(select(Account.holder_id).where(Account.email == DEMO_EMAIL)).one()
        waiting = db.exec(
            select(SupportThread).where(
                SupportThread.holder_id == holder_id, SupportThread.status == "waiting"
            )
        ).first()
    page = new_page("phone")
    page.set_viewport_size({"width": 360, "height": 740})
    login(page)
    problems = {}
    for path in ("/messages", "/messages/nouveau", f"/message?n={waiting.id}"):
        page.goto(path)
        expect(page.locator("main")).to_be_visible()
        page.wait_for_timeout(200)
        width, small = (
            page.evaluate("document.documentElement.scrollWidth"),
            page.evaluate(SMALL_TARGETS),
        )
        if width > 360 or small:
            problems[path] = {"scroll_width": width, "small_targets": small[:8]}
    assert not problems, problems
    expect(page.locator("#thread-status")).to_have_text("En attente de votre réponse")

    other = new_holder(app_engine)
    stranger = new_page("desktop")
    login(stranger, other["email"], other["password"])
    stranger.goto(f"/message?n={waiting.id}")
    expect(stranger.get_by_text("Cette conversation est introuvable.")).to_be_visible()
    expect(stranger.locator("#messages")).to_have_count(0)
