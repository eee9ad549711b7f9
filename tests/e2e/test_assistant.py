"""Assistant Espace in the browser: the five common questions answered from the demo holder's
contracts (figures checked against the contract), then the hand-over to an adviser: the thread
reaches the staff inbox with the conversation, the adviser answers, the holder gets the e-mail."""

from __future__ import annotations

import re
from datetime import date

from playwright.sync_api import expect
from sqlmodel import Session, select

from espace.claims import indemnity
from espace.contracts import coverage
from espace.contracts.models import Contract
from espace.core import formatting as fmt
from espace.core.models import today_paris
from espace.demo.seed import DEMO_CONTRACTS, DEMO_EMAIL, STAFF
from tests.e2e.conftest import assert_accessible, login, outbox_text, staff_login, wait_ready


def _expected(app_engine) -> tuple[list[str], list[str]]:
    """The demo contracts' water-damage franchise and the reimbursement of an 800 € stolen TV."""
    deductibles, refunds = [], []
    with Session(app_engine) as db:
        for number in DEMO_CONTRACTS:
            contract = db.exec(select(Contract).where(Contract.number == number)).one()
            line = next(
                cover
                for cover in coverage.cover_lines(session=db, contract=contract, on=today_paris())
                if cover.category == "water_damage"
            )
            deductibles.append(f"Contrat {number}")
            deductibles.append(f"est de {line.deductible}")
            result = indemnity.compute(
                session=db,
                contract=contract,
                peril_code="theft",
                damage_cents=80_000,
                on=date.today(),
                category="theft_vandalism",
            )
            refunds.append(f"vous seriez remboursé {fmt.money(result.indemnity_cents)}")
    return deductibles, refunds


def _ask(page, question: str):
    page.get_by_label("Votre question").fill(question)
    page.get_by_role("button", name="Envoyer", exact=True).click()
    answer = page.locator(".chat-bubble").last
    expect(page.locator(".chat-mine").last).to_have_text(re.compile(re.escape(question)))
    return answer


def test_five_questions_then_an_adviser_takes_over(new_page, app_engine, device):
    deductibles, refunds = _expected(app_engine)
    page = new_page(device)
    login(page)
    page.locator("#assistant-link").click()
    wait_ready(page, re.compile(r"/assistant"))
    expect(page.get_by_role("heading", name="Assistant Espace", level=1)).to_be_visible()

    # 1. The attestation: offered for download, a real PDF.
    page.get_by_role("button", name="Où est mon attestation ?").click()
    answer = page.locator(".chat-bubble").last
    expect(answer).to_contain_text("Votre attestation d'assurance habitation est prête")
    with page.expect_download() as download:
        answer.get_by_role(
            "button", name=re.compile(f"Télécharger l'attestation — {DEMO_CONTRACTS[0]}")
        ).click()
    assert open(download.value.path(), "rb").read(5) == b"%PDF-"

    # 2. The water-damage franchise, read from each contract.
    answer = _ask(page, "Quelle est ma franchise dégât des eaux ?")
    for piece in deductibles:
        expect(answer).to_contain_text(piece)
    expect(
        answer.get_by_role("link", name=re.compile(f"Vos garanties — contrat {DEMO_CONTRACTS[0]}"))
    ).to_be_visible()

    # 3. The reimbursement of a stolen 800 € TV: amount − franchise within the ceiling.
    answer = _ask(page, "Combien serai-je remboursé pour une télé de 800 € volée ?")
    for piece in refunds:
        expect(answer).to_contain_text(piece)

    # 4. The forgotten password: the recovery path.
    answer = _ask(page, "J'ai oublié mon mot de passe")
    expect(answer.get_by_role("link", name="Mot de passe oublié")).to_have_attribute(
        "href", "/mot-de-passe-oublie"
    )

    # 5. Declaring a claim: the wizard.
    answer = _ask(page, "Déclarer un sinistre")
    declare = answer.get_by_role("link", name="Déclarer un sinistre", exact=True)
    expect(declare).to_have_attribute("href", "/sinistres/declarer")

    # Something it cannot know: it says so.
    answer = _ask(page, "Quelle est la recette de la tarte tatin ?")
    expect(answer).to_contain_text("Je ne sais pas répondre")
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    assert_accessible(page)

    # Hand-over: the thread carries the conversation.
    subject = f"Franchise et vol ({device})"
    page.locator("#escalate").click()
    page.get_by_label("Objet").fill(subject)
    page.get_by_label("Votre demande concerne").select_option("contract")
    page.get_by_label("Précisions (facultatif)").fill("Pouvez-vous me confirmer ces montants ?")
    page.get_by_role("button", name="Envoyer au conseiller").click()
    wait_ready(page, re.compile(r"/message\?n=\d+"))
    expect(page.get_by_text("Quelle est ma franchise dégât des eaux ?")).to_be_visible()
    expect(page.get_by_text("Pouvez-vous me confirmer ces montants ?")).to_be_visible()
    thread_url = page.url

    staff = new_page("desktop")
    staff.goto("/gestion/connexion")
    staff_login(staff, STAFF[0][0])
    staff.goto("/gestion/messages")
    row = staff.locator("#inbox tr", has_text=subject)
    expect(row).to_be_visible()
    row.get_by_role("link", name=subject).click()
    wait_ready(staff, re.compile(r"/gestion/message\?n=\d+"))
    expect(
        staff.get_by_text("Combien serai-je remboursé pour une télé de 800 € volée ?")
    ).to_be_visible()
    expect(staff.get_by_text(refunds[0]).first).to_be_visible()
    staff.get_by_label("Votre réponse").fill(
        "Bonjour, je confirme les montants indiqués par l'assistant."
    )
    staff.locator("#send-staff-reply").click()
    expect(staff.locator("#messages")).to_contain_text("je confirme les montants")

    mail = outbox_text(app_engine, DEMO_EMAIL)
    assert subject in mail and "je confirme les montants" not in mail

    page.goto(thread_url)
    expect(page.get_by_text("je confirme les montants")).to_be_visible()
    page.goto("/sinistres/declarer")
    expect(page.get_by_role("heading", name="Déclarer un sinistre", level=1)).to_be_visible()
