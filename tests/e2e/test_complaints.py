"""Complaints in the browser: a holder files one about a claim, staff answer it within the
deadline, the holder sees the answer and downloads the exchange; a complaint left unanswered for
more than two months (its receipt moved back in time) shows the mediator route."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import Session, select

from espace.demo.seed import STAFF
from espace.support.models import Complaint
from tests.e2e.conftest import assert_accessible, login, new_holder, staff_login, wait_ready

HANDLER = STAFF[0][0]
SUBJECT = "Aucune nouvelle depuis la visite"
ANSWER = "Nous avons relancé l'expert : son rapport vous sera transmis sous huit jours."


@pytest.fixture(autouse=True)
def patient_expectations():
    """This machine runs several suites at once: give this module's assertions more time (the
    setting is global, so it is put back afterwards)."""
    expect.set_options(timeout=45_000)
    yield
    expect.set_options(timeout=10_000)


def _holder_with_a_claim(engine) -> tuple[dict, str]:
    """A new holder with one sent claim (the demo holder's pages are shared with other tests)."""
    from espace.claims.models import Claim, ClaimStatus
    from espace.contracts.models import Contract
    from espace.core.models import utcnow

    holder = new_holder(engine)
    with Session(engine) as db:
        contract = db.exec(select(Contract).where(Contract.number == holder["contract"])).one()
        claim = Claim(
            holder_id=holder["id"],
            contract_id=contract.id,
            status=ClaimStatus.EXPERT_APPOINTED,
            peril="water_damage",
            number=f"SIN-2026-1{holder['id']:05d}",
            submitted_at=utcnow(),
        )
        db.add(claim)
        db.commit()
        return holder, claim.number


def _file_complaint(page: Page, number: str, subject: str) -> str:
    page.goto(f"/sinistre?n={number}")
    page.locator("#claim-complaint-link").click()
    wait_ready(page, re.compile(r"/reclamations\?sinistre="))
    expect(page.get_by_role("heading", name="Mes réclamations", level=1)).to_be_visible()
    expect(page.get_by_label("Votre réclamation concerne")).to_have_value("claim")
    expect(page.get_by_label("Sinistre concerné")).to_have_value(re.compile(r"\d+"))
    page.get_by_label("Objet").fill(subject)
    page.get_by_label("Votre réclamation", exact=True).fill("Court")
    page.locator("#send-complaint").click()
    expect(page.locator("#complaint-body-error")).to_contain_text("10 caractères au moins")
    expect(page.get_by_label("Objet")).to_have_value(subject)  # nothing typed is lost
    assert_accessible(page)
    page.get_by_label("Votre réclamation", exact=True).fill(
        "L'expert est passé il y a un mois et je n'ai aucune nouvelle de mon dossier."
    )
    page.locator("#send-complaint").click()
    wait_ready(page, re.compile(r"/reclamation\?n=\d+"))
    expect(
        page.get_by_role("heading", name=re.compile(r"Réclamation REC-\d{4}-\d{6}"))
    ).to_be_visible()
    expect(page.locator("#complaint-status")).to_have_text("En cours d'examen")
    expect(page.locator("#complaint-deadlines")).to_contain_text("Réponse due au plus tard le")
    expect(page.locator("#exchange")).to_contain_text("Accusé de réception")
    expect(page.locator("#mediator")).to_have_count(0)
    assert_accessible(page)
    return page.url.split("n=")[1].split("&")[0]


def test_a_complaint_is_answered_by_staff_and_read_by_the_holder(new_page, app_engine):
    person, number = _holder_with_a_claim(app_engine)
    holder = new_page("phone")
    login(holder, person["email"], person["password"])
    complaint_id = _file_complaint(holder, number, SUBJECT)

    staff = new_page("desktop")
    staff.goto("/gestion/connexion")
    staff_login(staff, HANDLER)
    staff.get_by_role("navigation", name="Navigation de la gestion").get_by_role(
        "link", name="Réclamations"
    ).click()
    wait_ready(staff, re.compile(r"/gestion/reclamations"))
    expect(staff.locator("#complaint-figures")).to_contain_text("Réclamations en cours")
    row = staff.locator("#complaints-queue tr", has_text=SUBJECT)
    expect(row).to_contain_text("Reste")
    assert_accessible(staff)
    row.get_by_role("link").click()
    wait_ready(staff, re.compile(r"/gestion/reclamation\?n="))
    staff.locator("#take-complaint").click()
    expect(staff.locator("#complaint-assignee")).to_contain_text("Sophie Bernard")
    staff.get_by_label("Réponse à l'assuré (elle clôt la réclamation)").fill(ANSWER)
    staff.locator("#send-complaint-answer").click()
    expect(staff.locator("#exchange")).to_contain_text(ANSWER)
    expect(staff.locator("#complaint-audit")).to_contain_text("Réponse envoyée")
    assert_accessible(staff)

    holder.goto(f"/reclamation?n={complaint_id}")
    expect(holder.locator("#complaint-status")).to_have_text("Répondue")
    expect(holder.locator("#exchange")).to_contain_text(ANSWER)
    expect(holder.locator("#mediator")).to_have_count(0)
    with holder.expect_download() as download:
        holder.locator("#complaint-pdf").click()
    assert download.value.suggested_filename.startswith("reclamation-REC-")
    # The holder disagrees: the mediator route opens.
    holder.get_by_label("Dites-nous pourquoi").fill("Le rapport n'est toujours pas arrivé.")
    holder.locator("#disagree").click()
    expect(holder.locator("#mediator")).to_contain_text("La Médiation de l'Assurance")
    assert_accessible(holder)


def test_an_unanswered_complaint_past_two_months_shows_the_mediator(new_page, app_engine):
    person, number = _holder_with_a_claim(app_engine)
    holder = new_page("desktop")
    login(holder, person["email"], person["password"])
    complaint_id = _file_complaint(holder, number, "Sans réponse")
    with Session(app_engine) as db:  # the clock moved: received 2 months and 2 days ago
        complaint = db.get(Complaint, int(complaint_id))
        complaint.filed_at -= timedelta(days=64)
        complaint.answer_due_on -= timedelta(days=64)
        complaint.acknowledgement_due_on -= timedelta(days=64)
        db.add(complaint)
        db.commit()
    holder.goto(f"/reclamation?n={complaint_id}")
    expect(holder.locator("#complaint-deadlines")).to_contain_text("En retard de")
    mediator = holder.locator("#mediator")
    expect(mediator).to_contain_text("La Médiation de l'Assurance")
    expect(mediator).to_contain_text("TSA 50110")
    holder.goto("/reclamations")
    expect(holder.locator("#complaints")).to_contain_text("Réponse en retard")
    with Session(app_engine) as db:
        assert db.exec(select(Complaint).where(Complaint.id == int(complaint_id))).one()
