"""The settlement offer: breakdown (vétusté, deductible, ceiling, deferred new-for-old part),
acceptance (account on file or repair in kind, signed PDF in the claim), dispute (a complaint or a
counter-assessment); another holder reaches nothing."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader
from sqlmodel import select

from espace.billing.models import BankAccount
from espace.claims import settlement, settlement_views
from espace.claims.declaration import ClaimInputError
from espace.claims.models import Claim, ClaimFile, ClaimStatus, StaffAuditLog
from espace.core import storage
from espace.core.models import utcnow
from espace.support import complaints
from espace.support.models import Complaint
from tests import factories

NOW = datetime(2026, 12, 23, 10, 0, tzinfo=UTC)


def _assessed_claim(db, person=None) -> Claim:
    person = person or factories.holder(db)
    contract = factories.contract(db, person)
    claim = Claim(
        holder_id=person.id,
        contract_id=contract.id,
        status=ClaimStatus.INDEMNITY_COMPUTED,
        peril="water_damage",
        submitted_at=utcnow(),
        number=f"SIN-2026-7{person.id:05d}",
        assessed_damage_cents=300_000,
        deductible_cents=15_000,
        ceiling_cents=250_000,
        indemnity_cents=250_000,
    )
    db.add(claim)
    db.flush()
    return claim


def _account(db, person) -> BankAccount:
    account = BankAccount(
        holder_id=person.id,
        account_holder="Alix Assurée",
        iban_encrypted="chiffré",
        iban_fingerprint=f"fp-offer-{person.id}",
        iban_prefix="FR76",
        iban_last4="1234",
        bic="AGRIFRPP",
    )
    db.add(account)
    db.flush()
    return account


def test_split_now_and_on_proof_of_replacement():
    # 3 000 € of damage, 600 € vétusté, 150 € deductible, 2 500 € ceiling.
    assert settlement.split(
        damage_cents=300_000,
        obsolescence_cents=60_000,
        deductible_cents=15_000,
        ceiling_cents=250_000,
        new_for_old=True,
    ) == (225_000, 25_000)  # the ceiling caps the total at 2 500 €
    assert settlement.split(
        damage_cents=300_000,
        obsolescence_cents=60_000,
        deductible_cents=15_000,
        ceiling_cents=250_000,
        new_for_old=False,
    ) == (225_000, 0)


def test_offer_accepted_to_an_account_on_file_is_signed_in_the_claim(db, test_tmp):
    claim = _assessed_claim(db)
    person_id = claim.holder_id
    handler = factories.staff(db)
    offer = settlement.make_offer(
        session=db,
        staff_id=handler.id,
        claim_id=claim.id,
        obsolescence_text="600",
        new_for_old=True,
        repair_in_kind=False,
    )
    assert (offer.immediate_cents, offer.deferred_cents) == (225_000, 25_000)
    assert db.exec(
        select(StaffAuditLog.action).where(StaffAuditLog.object_id == claim.id)
    ).all() == ["settlement_offer"]
    shown = settlement_views.holder_offer(session=db, holder_id=person_id, number=claim.number)
    assert ("Vétusté", "− 600,00\u00a0€") in shown.rows
    with pytest.raises(ClaimInputError):  # repair in kind is not offered here
        settlement.accept(session=db, holder_id=person_id, number=claim.number, choice="repair")
    other = factories.holder(db)
    foreign = _account(db, other)
    with pytest.raises(ClaimInputError):  # someone else's account
        settlement.accept(
            session=db,
            holder_id=person_id,
            number=claim.number,
            choice="transfer",
            bank_account_id=foreign.id,
        )
    account = _account(db, db.get(type(other), person_id))
    accepted = settlement.accept(
        session=db,
        holder_id=person_id,
        number=claim.number,
        choice="transfer",
        bank_account_id=account.id,
        signer="Mme Alix Assurée",
        now=NOW,
    )
    assert accepted.status == "accepted" and accepted.iban_masked.endswith("1234")
    record = db.get(ClaimFile, accepted.acceptance_file_id)
    assert record.kind == "acceptance" and record.claim_id == claim.id
    text = " ".join(
        page.extract_text() for page in PdfReader(io.BytesIO(storage.get(record.storage_key))).pages
    )
    assert "Signé électroniquement par Mme Alix Assurée" in " ".join(text.split())
    with pytest.raises(ClaimInputError):  # once only
        settlement.accept(
            session=db,
            holder_id=person_id,
            number=claim.number,
            choice="transfer",
            bank_account_id=account.id,
        )


def test_another_holder_can_neither_see_accept_nor_dispute(db):
    claim = _assessed_claim(db)
    settlement.make_offer(session=db, staff_id=factories.staff(db).id, claim_id=claim.id)
    intruder = factories.holder(db)
    assert (
        settlement_views.holder_offer(session=db, holder_id=intruder.id, number=claim.number)
        is None
    )
    account = _account(db, intruder)
    with pytest.raises(ClaimInputError):
        settlement.accept(
            session=db,
            holder_id=intruder.id,
            number=claim.number,
            choice="transfer",
            bank_account_id=account.id,
        )
    with pytest.raises(ClaimInputError):
        complaints.dispute_offer(
            session=db,
            holder_id=intruder.id,
            number=claim.number,
            action="complaint",
            reason="Je conteste le dossier d'un autre.",
        )
    assert settlement.current_offer(db, claim.id).status == "proposed"


def test_a_disputed_offer_becomes_a_complaint(db):
    claim = _assessed_claim(db)
    settlement.make_offer(
        session=db, staff_id=factories.staff(db).id, claim_id=claim.id, repair_in_kind=True
    )
    with pytest.raises(ClaimInputError):
        complaints.dispute_offer(
            session=db,
            holder_id=claim.holder_id,
            number=claim.number,
            action="complaint",
            reason="",
        )
    found = complaints.dispute_offer(
        session=db,
        holder_id=claim.holder_id,
        number=claim.number,
        action="complaint",
        reason="La vétusté retenue sur le parquet est excessive.",
        now=NOW,
    )
    assert found.origin == "settlement_dispute" and found.claim_id == claim.id
    offer = settlement.current_offer(db, claim.id)
    assert offer.status == "disputed" and offer.complaint_id == found.id
    assert db.exec(select(Complaint).where(Complaint.holder_id == claim.holder_id)).one()


def test_the_offer_needs_the_assessment_and_a_staff_role(db):
    claim = _assessed_claim(db)
    claim.status = ClaimStatus.RECEIVED
    with pytest.raises(ClaimInputError):
        settlement.make_offer(session=db, staff_id=factories.staff(db).id, claim_id=claim.id)
