"""Online cancellation: the effective date and the refund computed before confirming, a single-use
step-up checked by the service, the documents each ground needs (checked like a claim's files), and
what a confirmed request changes (end of cover, debits, attestations, acknowledgement PDF, e-mail);
the staff view is role-checked and audited."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine
from fpdf import FPDF
from sqlmodel import select

from espace.billing.instalments import collect_due
from espace.billing.models import Payment, PaymentStatus
from espace.claims.models import StaffAuditLog
from espace.contracts import attestations, terms
from espace.contracts.cover_change import insurance_year
from espace.contracts.models import Attestation, ContractStatus, PaymentFrequency
from espace.core.formatting import PARIS
from espace.documents.models import Document, DocumentKind
from espace.identity import staff_access, stepup
from espace.identity.models import StaffReadLog
from espace.lifecycle import (
    cancellation,
    cancellation_rules,
    cancellation_staff,
    cancellation_views,
    renewal,
    renewal_schedule,
)
from espace.lifecycle.cancellation import UploadedFile
from espace.lifecycle.cancellation_rules import CancellationError, CancellationRequest
from espace.notifications.models import OutboxMessage
from tests import factories

TODAY = date(2026, 12, 31)  # a year-end: the month after is in the next year
NOW = datetime(2026, 12, 31, 10, 0, tzinfo=PARIS)


def pdf_bytes(text: str = "Bail de location") -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text=text)
    return bytes(pdf.output())


@pytest.fixture(autouse=True)
def _clock():
    """The tests' day is 31 December 2026 (sessions and step-ups are checked at that time)."""
    with time_machine.travel(NOW, tick=True):
        yield


def _holder_with_contract(db, *, start=date(2024, 2, 29), frequency=PaymentFrequency.MONTHLY):
    """A contract in its current year: its schedule, the debits due so far collected, an
    attestation."""
    person = factories.holder(db)
    contract = factories.contract(db, person, start_date=start, payment_frequency=frequency)
    year_start, _ = insurance_year(contract, TODAY)
    version = terms.version_on(session=db, contract_id=contract.id, day=year_start)
    renewal_schedule.schedule_year(
        session=db, contract=contract, year_start=year_start, version=version
    )
    collect_due(session=db, contract_id=contract.id, today=TODAY)
    attestations.issue(
        session=db,
        holder_id=person.id,
        contract_id=contract.id,
        request=attestations.AttestationRequest(kind="standard"),
        today=TODAY,
    )
    return person, contract


def _proof(db, person):
    return factories.step_up(db, person)


HAMON = CancellationRequest(
    ground="hamon", new_insurer_name="Mutuelle du Littoral", new_insurer_contract="ML-77812"
)


def test_hamon_preview_shows_the_date_one_month_later_and_the_refund_before_anything_changes(db):
    person, contract = _holder_with_contract(db, frequency=PaymentFrequency.ANNUAL)
    [paid] = db.exec(
        select(Payment).where(Payment.contract_id == contract.id, Payment.period_end >= TODAY)
    ).all()
    assert paid.status == PaymentStatus.PAID  # the year 28/02/2026 - 27/02/2027, paid at its start
    plan = cancellation_rules.preview(
        session=db, holder_id=person.id, contract_id=contract.id, request=HAMON, today=TODAY
    )
    # 31 December + one month: 31 January, cover until the 30th
    assert plan.effective_date == date(2027, 1, 31) and plan.last_day == date(2027, 1, 30)
    assert "un mois" in plan.explanation and not plan.needs_files
    # 28 unearned days (31/01 - 27/02) of 365, refunded pro rata
    assert plan.refund_cents == paid.amount_cents * 28 // 365 > 0
    assert contract.end_date is None and paid.status == PaymentStatus.PAID


def test_hamon_is_refused_in_the_first_year(db):
    person, contract = _holder_with_contract(db, start=date(2026, 6, 1))
    with pytest.raises(CancellationError) as error:
        cancellation_rules.preview(
            session=db, holder_id=person.id, contract_id=contract.id, request=HAMON, today=TODAY
        )
    assert "01/06/2027" in error.value.errors["ground"]


def test_a_confirmed_hamon_cancellation_ends_cover_cancels_debits_and_acknowledges(db):
    person, contract = _holder_with_contract(db)
    attestation_ids = [
        a.id
        for a in db.exec(select(Attestation).where(Attestation.contract_id == contract.id)).all()
    ]
    plan = cancellation_rules.preview(
        session=db, holder_id=person.id, contract_id=contract.id, request=HAMON, today=TODAY
    )
    row = cancellation.request_cancellation(
        session=db,
        holder_id=person.id,
        contract_id=contract.id,
        request=HAMON,
        files=[],
        proof=_proof(db, person),
        today=TODAY,
    )
    assert row.effective_date == plan.effective_date and row.refund_cents == plan.refund_cents
    assert row.new_insurer["name"] == "Mutuelle du Littoral"
    assert contract.end_date == date(2027, 1, 30) and contract.status == ContractStatus.ACTIVE
    later = db.exec(
        select(Payment).where(
            Payment.contract_id == contract.id, Payment.period_end > contract.end_date
        )
    ).all()
    assert all(p.status != PaymentStatus.SCHEDULED for p in later)
    document = db.get(Document, row.document_id)
    assert document.kind == DocumentKind.CANCELLATION
    text = " ".join(document.text_content.split())
    assert "31/12/2026" in text and "31/01/2027" in text and "Mutuelle du Littoral" in text
    mail = db.exec(
        select(OutboxMessage).where(OutboxMessage.subject.like(f"%résiliation%{contract.number}"))
    ).one()
    assert row.reference in mail.body
    # attestations stop at the effective date: "révoquée" once it has passed
    for attestation_id in attestation_ids:
        att = db.get(Attestation, attestation_id)
        assert att.valid_until < row.effective_date or att.revoked_at is not None
    reference = attestations.sign(db.get(Attestation, attestation_ids[-1]).public_id)
    assert attestations.verify(session=db, reference=reference, today=TODAY).status == "valide"
    assert (
        attestations.verify(session=db, reference=reference, today=row.effective_date).status
        == "révoquée"
    )
    # the job ends the contract the day after its last day
    assert renewal.end_cancelled(session=db, today=row.effective_date) >= 1
    assert contract.status == ContractStatus.TERMINATED
    # and never renews it
    assert (
        renewal.renew(session=db, contract=contract, anniversary=date(2027, 2, 28), today=TODAY)
        is None
    )


def test_the_step_up_is_required_and_single_use(db):
    person, contract = _holder_with_contract(db)
    with pytest.raises(stepup.StepUpRequired):
        cancellation.request_cancellation(
            session=db,
            holder_id=person.id,
            contract_id=contract.id,
            request=HAMON,
            files=[],
            proof=None,
            today=TODAY,
        )
    assert contract.end_date is None
    proof = _proof(db, person)
    other_person, other_contract = _holder_with_contract(db)
    # someone else's proof does not cancel this holder's contract, and vice versa
    with pytest.raises((stepup.StepUpRequired, CancellationError)):
        cancellation.request_cancellation(
            session=db,
            holder_id=other_person.id,
            contract_id=other_contract.id,
            request=HAMON,
            files=[],
            proof=proof,
            today=TODAY,
        )
    second = factories.contract(db, person, start_date=date(2024, 1, 10))
    cancellation.request_cancellation(
        session=db,
        holder_id=person.id,
        contract_id=contract.id,
        request=HAMON,
        files=[],
        proof=proof,
        today=TODAY,
    )
    with pytest.raises(stepup.StepUpRequired):  # the proof was used up
        cancellation.request_cancellation(
            session=db,
            holder_id=person.id,
            contract_id=second.id,
            request=HAMON,
            files=[],
            proof=proof,
            today=TODAY,
        )


def test_another_holders_contract_looks_like_an_unknown_one(db):
    person, contract = _holder_with_contract(db)
    intruder = factories.holder(db)
    with pytest.raises(CancellationError) as error:
        cancellation.request_cancellation(
            session=db,
            holder_id=intruder.id,
            contract_id=contract.id,
            request=HAMON,
            files=[],
            proof=_proof(db, intruder),
            today=TODAY,
        )
    assert error.value.errors == {"contract": "Contrat introuvable."}
    assert contract.end_date is None
    assert (
        cancellation_views.for_contract(session=db, holder_id=intruder.id, contract_id=contract.id)
        is None
    )


def test_a_move_needs_its_proof_checked_like_a_claim_file(db):
    person, contract = _holder_with_contract(db)
    move = CancellationRequest(ground="move", event_date=date(2026, 12, 15))
    with pytest.raises(CancellationError) as error:
        cancellation.request_cancellation(
            session=db,
            holder_id=person.id,
            contract_id=contract.id,
            request=move,
            files=[],
            proof=_proof(db, person),
            today=TODAY,
        )
    assert "justificatif" in error.value.errors["files"]
    with pytest.raises(CancellationError) as error:
        cancellation.request_cancellation(
            session=db,
            holder_id=person.id,
            contract_id=contract.id,
            request=move,
            files=[UploadedFile("bail.pdf", b"MZ\x90\x00 not a pdf at all")],
            proof=_proof(db, person),
            today=TODAY,
        )
    assert "bail.pdf" in error.value.errors["files"]
    row = cancellation.request_cancellation(
        session=db,
        holder_id=person.id,
        contract_id=contract.id,
        request=move,
        files=[UploadedFile("bail.pdf", pdf_bytes())],
        proof=_proof(db, person),
        today=TODAY,
    )
    assert row.effective_date == date(2027, 1, 31)
    assert "bail.pdf" in db.get(Document, row.document_id).text_content
    # the proof is kept: the purge of orphan files knows its row
    from espace.documents import private_files
    from espace.lifecycle.models import CancellationFile

    [kept] = db.exec(
        select(CancellationFile).where(CancellationFile.cancellation_id == row.id)
    ).all()
    assert private_files.referenced(db, [kept.storage_key]) == {kept.storage_key}


def test_chatel_takes_effect_at_the_anniversary_until_the_notice_deadline(db):
    person, contract = _holder_with_contract(db, start=date(2024, 4, 1))
    chatel = CancellationRequest(ground="chatel")
    plan = cancellation_rules.preview(
        session=db,
        holder_id=person.id,
        contract_id=contract.id,
        request=chatel,
        today=date(2027, 1, 20),
    )
    assert plan.effective_date == date(2027, 4, 1)
    with pytest.raises(CancellationError) as error:
        cancellation_rules.preview(
            session=db,
            holder_id=person.id,
            contract_id=contract.id,
            request=chatel,
            today=date(2027, 2, 2),
        )
    assert "loi Hamon" in error.value.errors["ground"]


def test_the_staff_view_is_for_handlers_and_managers_and_is_audited(db):
    person, contract = _holder_with_contract(db)
    cancellation.request_cancellation(
        session=db,
        holder_id=person.id,
        contract_id=contract.id,
        request=HAMON,
        files=[],
        proof=_proof(db, person),
        today=TODAY,
    )
    expert, handler = factories.staff(db, role="expert"), factories.staff(db, role="handler")
    with pytest.raises(staff_access.StaffForbidden):
        cancellation_staff.list_for_staff(session=db, staff_id=expert.id)
    rows = cancellation_staff.list_for_staff(session=db, staff_id=handler.id)
    assert any(r.contract_number == contract.number for r in rows)
    assert db.exec(
        select(StaffReadLog).where(
            StaffReadLog.staff_id == handler.id, StaffReadLog.holder_id == person.id
        )
    ).first()
    assert db.exec(
        select(StaffAuditLog).where(
            StaffAuditLog.staff_id == handler.id, StaffAuditLog.action == "list_cancellations"
        )
    ).first()
