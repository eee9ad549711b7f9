"""The settlement offer in the browser: staff send an offer broken down, the holder accepts it to
an account on file (the signed acceptance lands in the claim's documents); a second claim's offer
is disputed and becomes a complaint."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlmodel import Session

from espace.billing.models import BankAccount
from espace.claims import settlement
from espace.claims.models import Claim, ClaimStatus
from espace.core.models import utcnow
from espace.demo.seed import STAFF
from espace.identity.models import StaffUser
from tests.e2e.conftest import assert_accessible, login, new_holder, staff_login, wait_ready

HANDLER = STAFF[0][0]
EXPERT = STAFF[1][0]


@pytest.fixture(autouse=True)
def patient_expectations():
    """This machine runs several suites at once: give this module's assertions more time (the
    setting is global, so it is put back afterwards)."""
    expect.set_options(timeout=45_000)
    yield
    expect.set_options(timeout=10_000)


def _setup(engine) -> tuple[dict, str, str]:
    holder = new_holder(engine)
    with Session(engine) as db:
        from sqlmodel import select

        from espace.contracts.models import Contract

        contract = db.exec(select(Contract).where(Contract.number == holder["contract"])).one()
        numbers = []
        for n in (1, 2):
            claim = Claim(
                holder_id=holder["id"],
                contract_id=contract.id,
                status=ClaimStatus.INDEMNITY_COMPUTED,
                peril="water_damage",
                number=f"SIN-2026-5{holder['id']:04d}{n}",
                submitted_at=utcnow(),
                assessed_damage_cents=300_000,
                deductible_cents=15_000,
                ceiling_cents=1_000_000,
                indemnity_cents=285_000,
            )
            db.add(claim)
            db.flush()
            numbers.append((claim.number, claim.id))
        db.add(
            BankAccount(
                holder_id=holder["id"],
                label="Compte courant",
                account_holder="Alix Assurée",
                iban_encrypted="chiffré",
                iban_fingerprint=f"fp-e2e-{holder['id']}",
                iban_prefix="FR76",
                iban_last4="4321",
                bic="AGRIFRPP",
                is_default=True,
            )
        )
        staff_id = db.exec(select(StaffUser.id).where(StaffUser.email == HANDLER)).one()
        # The second claim's offer is made here; the first one in the browser.
        settlement.make_offer(session=db, staff_id=staff_id, claim_id=numbers[1][1])
        db.commit()
    return holder, numbers[0][0], numbers[1][0]


def test_an_offer_is_accepted_and_another_disputed_into_a_complaint(new_page, app_engine):
    holder, first, second = _setup(app_engine)

    staff = new_page("desktop")
    staff.goto("/gestion/connexion")
    staff_login(staff, HANDLER)
    staff.goto(f"/gestion/sinistre?n={first}")
    card = staff.locator("#staff-offer")
    card.get_by_label("Vétusté (€)").fill("400")
    card.get_by_label("Valeur à neuf : vétusté versée sur justificatif de remplacement").check()
    card.locator("#make-offer").click()
    expect(staff.locator("#staff-offer-status")).to_have_text("Proposée, en attente de l'assuré")

    page = new_page("phone")
    login(page, holder["email"], holder["password"])
    page.goto(f"/sinistre?n={first}")
    breakdown = page.locator("#offer-breakdown")
    expect(breakdown).to_contain_text("Vétusté")
    expect(breakdown).to_contain_text("2 450,00")  # 3 000 − 400 − 150
    expect(breakdown).to_contain_text("Versé sur justificatif de remplacement")
    page.locator("#accept-offer").click()
    expect(page.locator("#account-error")).to_contain_text("Choisissez le compte")
    assert_accessible(page)
    page.get_by_label("Compte qui recevra le virement").select_option(index=1)
    page.locator("#accept-offer").click()
    expect(page.locator("#offer-decision")).to_contain_text("Acceptée le")
    expect(page.locator("#offer-decision")).to_contain_text("4321")
    page.goto(f"/sinistre?n={first}")
    expect(page.locator("#claim-documents")).to_contain_text("Acceptation de l'offre")

    page.goto(f"/sinistre?n={second}")
    expect(page.locator("#offer-breakdown")).to_contain_text("Dommages retenus")
    page.get_by_label("Suite souhaitée").select_option("complaint")
    page.get_by_label("Raison de votre désaccord").fill(
        "Le devis du plombier dépasse largement le montant retenu."
    )
    page.locator("#dispute-offer").click()
    wait_ready(page, re.compile(r"/reclamation\?n=\d+"))
    expect(page.locator("#exchange")).to_contain_text("Je conteste l'offre d'indemnisation")
    expect(page.locator("#complaint-status")).to_have_text("En cours d'examen")


def test_the_expert_offers_three_slots_and_the_holder_picks_one(new_page, app_engine):
    from datetime import timedelta

    from sqlmodel import select

    from espace.contracts.models import Contract

    holder = new_holder(app_engine)
    with Session(app_engine) as db:
        contract = db.exec(select(Contract).where(Contract.number == holder["contract"])).one()
        expert_id = db.exec(select(StaffUser.id).where(StaffUser.email == EXPERT)).one()
        claim = Claim(
            holder_id=holder["id"],
            contract_id=contract.id,
            status=ClaimStatus.EXPERT_APPOINTED,
            peril="water_damage",
            number=f"SIN-2026-3{holder['id']:05d}",
            submitted_at=utcnow(),
            expert_id=expert_id,
        )
        db.add(claim)
        db.commit()
        number = claim.number
    days = [(utcnow() + timedelta(days=n)).strftime("%d/%m/%Y") for n in (3, 4, 5)]

    expert = new_page("desktop")
    expert.goto("/gestion/connexion")
    staff_login(expert, EXPERT)
    expert.goto(f"/gestion/sinistre?n={number}")
    card = expert.locator("#staff-visit")
    for i, day in enumerate(days, start=1):
        card.get_by_label(f"Créneau {i} : date (JJ/MM/AAAA)").fill(day)
        card.get_by_label(f"Créneau {i} : heure").fill("09:30")
    card.locator("#offer-slots").click()
    expect(expert.locator("#staff-slots li")).to_have_count(3)

    page = new_page("phone")
    login(page, holder["email"], holder["password"])
    page.goto(f"/sinistre?n={number}")
    slots = page.locator("#visit-slot option")
    expect(slots).to_have_count(4)  # "Choisissez un créneau" and three slots
    expect(page.locator("#response-targets")).to_contain_text("messagerie du dossier")
    assert_accessible(page)
    page.get_by_label("Créneaux proposés par l'expert").select_option(label=f"{days[1]} à 09:30")
    page.locator("#choose-slot").click()
    expect(page.locator("#visit-chosen")).to_contain_text(f"{days[1]} à 09:30")
    expect(page.locator("#claim-status")).to_have_text(re.compile("Visite planifiée"))
