"""The refund of a cancellation's unearned premium (created once, in the request's transaction,
with the holder's account at that time, or waiting for an IBAN), and the staff actions on a
request: its detail (role-checked, audited), its refusal (restores exactly what the request
changed) and the refund marked paid by transfer."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from espace.billing import bank_accounts, refunds
from espace.billing.models import Payment, PaymentStatus, PremiumRefund, RefundStatus
from espace.claims.models import StaffAuditLog
from espace.contracts.models import Attestation, Contract, PaymentFrequency
from espace.documents.models import Document
from espace.identity import staff_access
from espace.identity.insurer_authority import InsurerRecord
from espace.identity.models import StaffReadLog
from espace.lifecycle import (
    cancellation,
    cancellation_rules,
    cancellation_staff,
    cancellation_views,
)
from espace.lifecycle.cancellation import UploadedFile
from espace.lifecycle.cancellation_rules import CancellationError, CancellationRequest
from espace.lifecycle.models import Cancellation
from espace.notifications.models import Notification, OutboxMessage
from espace.webhooks.models import WebhookEvent
from tests import factories
from tests.integration.lifecycle.test_cancellation import (  # noqa: F401  (_clock: autouse)
    HAMON,
    TODAY,
    _clock,
    _holder_with_contract,
    pdf_bytes,
)

IBAN = "FR1420041010050500013M02606"
ANNUAL = PaymentFrequency.ANNUAL
MOVE = CancellationRequest(ground="move", event_date=date(2026, 12, 15))


def _account(db, person):
    return bank_accounts.add_account(
        session=db,
        holder_id=person.id,
        iban=IBAN,
        bic="",
        account_holder=f"{person.first_name} {person.last_name}",
        authority=InsurerRecord("paper", "RIB reçu"),
    )


def _cancel(db, person, contract, request=HAMON, files=()):
    return cancellation.request_cancellation(
        session=db,
        holder_id=person.id,
        contract_id=contract.id,
        request=request,
        files=list(files),
        proof=factories.step_up(db, person),
        today=TODAY,
    )


def _refunds(db, contract):
    return db.exec(select(PremiumRefund).where(PremiumRefund.contract_id == contract.id)).all()


def test_the_refund_is_created_once_with_the_amount_and_the_iban_of_the_day(db):
    person, contract = _holder_with_contract(db, frequency=ANNUAL)
    account = _account(db, person)
    row = _cancel(db, person, contract)
    assert row.refund_cents > 0
    [refund] = _refunds(db, contract)
    assert (refund.amount_cents, refund.holder_id, refund.cancellation_id) == (
        row.refund_cents,
        person.id,
        row.id,
    )
    assert refund.origin_reference == row.reference and refund.status == RefundStatus.TO_PAY
    assert refund.bank_account_id == account.id
    assert refund.iban_masked.startswith("FR14") and refund.iban_masked.endswith("2606")
    assert IBAN[4:-4] not in refund.iban_masked
    # created once: asking again for the same cancellation returns the same row
    again = refunds.create_for_cancellation(
        session=db,
        holder_id=person.id,
        contract_id=contract.id,
        cancellation_id=row.id,
        cancellation_reference=row.reference,
        amount_cents=row.refund_cents,
    )
    assert again.id == refund.id and len(_refunds(db, contract)) == 1
    assert db.exec(select(WebhookEvent).where(WebhookEvent.type == "refund.created")).first()
    # "Mes paiements": the holder's row, and no one else's
    [shown] = refunds.for_holder(session=db, holder_id=person.id)
    assert shown.sentence.startswith("Remboursement de cotisation — ")
    assert "à verser sur FR14" in shown.sentence
    assert refunds.for_holder(session=db, holder_id=factories.holder(db).id) == []


def test_without_a_bank_account_the_refund_waits_for_an_iban_then_takes_the_new_one(db):
    person, contract = _holder_with_contract(db, frequency=ANNUAL)
    _cancel(db, person, contract)
    [refund] = _refunds(db, contract)
    assert (refund.status, refund.bank_account_id, refund.iban_masked) == (
        RefundStatus.AWAITING_BANK,
        None,
        "",
    )
    assert (
        "coordonnées bancaires" in refunds.for_holder(session=db, holder_id=person.id)[0].sentence
    )
    account = _account(db, person)
    db.refresh(refund)
    assert (refund.status, refund.bank_account_id) == (RefundStatus.TO_PAY, account.id)


def test_nothing_is_owed_nothing_is_created(db):
    person, contract = _holder_with_contract(db, frequency=ANNUAL)
    for payment in db.exec(select(Payment).where(Payment.contract_id == contract.id)).all():
        if payment.status == PaymentStatus.PAID:
            payment.status = PaymentStatus.SCHEDULED  # nothing paid yet
            db.add(payment)
    db.flush()
    row = _cancel(db, person, contract)
    assert row.refund_cents == 0 and _refunds(db, contract) == []


def _snapshot(db, contract):
    payments = sorted(
        (p.id, p.due_date, p.period_start, p.period_end, p.amount_cents, p.tax_cents, p.status)
        for p in db.exec(select(Payment).where(Payment.contract_id == contract.id)).all()
    )
    atts = sorted(
        (a.id, a.valid_until, a.revoked_at, a.revoked_reason)
        for a in db.exec(select(Attestation).where(Attestation.contract_id == contract.id)).all()
    )
    docs = sorted(
        (d.id, d.period_end)
        for d in db.exec(
            select(Document).where(
                Document.contract_id == contract.id, Document.kind == "attestation"
            )
        ).all()
    )
    return payments, atts, docs, db.get(Contract, contract.id).end_date


@pytest.mark.parametrize(
    "frequency", [PaymentFrequency.MONTHLY, PaymentFrequency.QUARTERLY, ANNUAL]
)
def test_a_refused_move_restores_exactly_what_the_request_changed(db, frequency):
    # a year from 1 June: January's instalment straddles the effective date (31/01), later ones
    # are deleted
    person, contract = _holder_with_contract(db, start=date(2024, 6, 1), frequency=frequency)
    _account(db, person)
    before = _snapshot(db, contract)
    row = _cancel(db, person, contract, MOVE, [UploadedFile("bail.pdf", pdf_bytes())])
    assert _snapshot(db, contract) != before
    if frequency == PaymentFrequency.MONTHLY:  # later debits deleted, January's reduced
        assert row.changes["deleted_payments"] and row.changes["reduced_payments"]
    else:  # the unearned premium paid is owed back
        assert row.refund_cents > 0
    handler = factories.staff(db, role="handler")
    with pytest.raises(CancellationError) as error:
        cancellation_staff.refuse(
            session=db, staff_id=handler.id, cancellation_id=row.id, reason="non"
        )
    assert "reason" in error.value.errors
    cancellation_staff.refuse(
        session=db,
        staff_id=handler.id,
        cancellation_id=row.id,
        reason="Le bail joint ne mentionne pas votre nouvelle adresse.",
        today=TODAY,
    )
    db.expire_all()
    assert _snapshot(db, contract) == before
    refused = db.get(Cancellation, row.id)
    assert refused.status == "refused" and refused.refused_by_staff_id == handler.id
    assert [r.status for r in _refunds(db, contract)] == (
        [RefundStatus.CANCELLED] if row.refund_cents else []
    )
    mail = db.exec(
        select(OutboxMessage).where(
            OutboxMessage.subject == f"Votre demande de résiliation — {contract.number}"
        )
    ).one()
    assert "ne mentionne pas votre nouvelle adresse" in mail.body
    assert db.exec(
        select(Notification).where(
            Notification.holder_id == person.id, Notification.title.like("%refusée%")
        )
    ).first()
    assert db.exec(
        select(StaffAuditLog).where(StaffAuditLog.action == "refuse_cancellation")
    ).first()
    # the holder's page offers the form again, not the refused request
    screen = cancellation_views.screen(
        session=db, holder_id=person.id, number=contract.number, today=TODAY
    )
    assert screen.existing is None
    # refused once: a second refusal is refused, and the holder may ask again
    with pytest.raises(CancellationError):
        cancellation_staff.refuse(
            session=db, staff_id=handler.id, cancellation_id=row.id, reason="Encore une fois."
        )
    assert cancellation_rules.preview(
        session=db, holder_id=person.id, contract_id=contract.id, request=HAMON, today=TODAY
    )


def test_hamon_cannot_be_refused_nor_a_refund_already_sent(db):
    person, contract = _holder_with_contract(db, frequency=ANNUAL)
    _account(db, person)
    row = _cancel(db, person, contract)
    manager = factories.staff(db, role="manager")
    with pytest.raises(CancellationError) as error:
        cancellation_staff.refuse(
            session=db, staff_id=manager.id, cancellation_id=row.id, reason="Motif quelconque."
        )
    assert "Hamon" in error.value.errors["cancellation"]
    other, other_contract = _holder_with_contract(db, frequency=ANNUAL)
    _account(db, other)
    moved = _cancel(db, other, other_contract, MOVE, [UploadedFile("bail.pdf", pdf_bytes())])
    [refund] = _refunds(db, other_contract)
    refunds.mark_sent(session=db, refund=refund, message_id="MSG-1")
    with pytest.raises(CancellationError) as error:
        cancellation_staff.refuse(
            session=db,
            staff_id=manager.id,
            cancellation_id=moved.id,
            reason="Justificatif illisible.",
        )
    assert "banque" in error.value.errors["cancellation"]
    assert db.get(Contract, other_contract.id).end_date is not None


def test_only_handlers_and_managers_open_refuse_or_mark_paid(db):
    person, contract = _holder_with_contract(db, frequency=ANNUAL)
    _account(db, person)
    row = _cancel(db, person, contract, MOVE, [UploadedFile("bail.pdf", pdf_bytes())])
    [refund] = _refunds(db, contract)
    expert = factories.staff(db, role="expert")
    [file_row] = cancellation_staff.detail_for_staff(
        session=db, staff_id=factories.staff(db, role="handler").id, cancellation_id=row.id
    ).files
    for call in (
        lambda: cancellation_staff.detail_for_staff(
            session=db, staff_id=expert.id, cancellation_id=row.id
        ),
        lambda: cancellation_staff.refuse(
            session=db, staff_id=expert.id, cancellation_id=row.id, reason="Pas de justificatif."
        ),
        lambda: cancellation_staff.file_for_staff(
            session=db, staff_id=expert.id, file_id=file_row.id
        ),
        lambda: cancellation_staff.acknowledgement_for_staff(
            session=db, staff_id=expert.id, cancellation_id=row.id
        ),
        lambda: refunds.mark_paid(
            session=db, refund_id=refund.id, via="transfer", staff_id=expert.id
        ),
    ):
        with pytest.raises(staff_access.StaffForbidden):
            call()
    assert db.get(Contract, contract.id).end_date is not None
    assert db.get(PremiumRefund, refund.id).status == RefundStatus.TO_PAY
    # a holder reaches only their own supporting document
    intruder = factories.holder(db)
    assert (
        cancellation_views.file_for_holder(session=db, holder_id=intruder.id, file_id=file_row.id)
        is None
    )
    assert cancellation_views.file_for_holder(session=db, holder_id=person.id, file_id=file_row.id)


def test_the_detail_is_audited_and_a_transfer_marks_the_refund_paid(db):
    person, contract = _holder_with_contract(db, frequency=ANNUAL)
    _account(db, person)
    row = _cancel(db, person, contract, MOVE, [UploadedFile("bail.pdf", pdf_bytes())])
    handler = factories.staff(db, role="handler")
    detail = cancellation_staff.detail_for_staff(
        session=db, staff_id=handler.id, cancellation_id=row.id
    )
    assert detail.can_refuse and detail.refund.amount_cents == row.refund_cents
    assert [f.filename for f in detail.files] == ["bail.pdf"]
    assert db.exec(
        select(StaffReadLog).where(
            StaffReadLog.staff_id == handler.id,
            StaffReadLog.holder_id == person.id,
            StaffReadLog.object_type == "cancellation",
        )
    ).first()
    assert db.exec(select(StaffAuditLog).where(StaffAuditLog.action == "view_cancellation")).first()
    document = cancellation_staff.acknowledgement_for_staff(
        session=db, staff_id=handler.id, cancellation_id=row.id
    )
    assert document.id == row.document_id
    refund, changed = refunds.mark_paid(
        session=db,
        refund_id=detail.refund.id,
        via="transfer",
        reference="VIR 778",
        staff_id=handler.id,
    )
    assert changed and refund.status == RefundStatus.PAID and refund.paid_by_staff_id == handler.id
    assert refunds.mark_paid(session=db, refund_id=refund.id, via="sepa")[1] is False
    [shown] = refunds.for_holder(session=db, holder_id=person.id)
    assert " — versé le " in shown.sentence and "sur FR14" in shown.sentence
    assert db.exec(select(WebhookEvent).where(WebhookEvent.type == "refund.paid")).first()
    # paid: the request can no longer be refused
    assert not cancellation_staff.detail_for_staff(
        session=db, staff_id=handler.id, cancellation_id=row.id
    ).can_refuse
