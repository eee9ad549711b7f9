"""Online cancellation ("Résilier mon contrat", article L113-14 du Code des assurances).

The holder chooses a ground; ``cancellation_rules.preview`` computes, before anything is confirmed,
the date the cancellation takes effect, the unearned premium refunded and the debits cancelled;
``request`` checks everything again, demands a single-use step-up proof (it checks it itself),
records the request, ends the contract's cover the day before the effective date, revokes its
attestations from that date, cancels the debits after it, adjusts the instalment that straddles it,
and acknowledges receipt on screen (the returned row), by e-mail and as a PDF in "Mes documents"
(``cancellation_acknowledgement``). A refusal (``cancellation_staff.refuse``) restores what the
request changed (``_restore``).

The grounds and their effective dates: ``cancellation_rules``. Supporting documents are checked
like a claim's (type from the content, size, the file must open) and kept privately. What the
holder and the staff read: ``cancellation_views``, ``cancellation_staff``.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session, select

from espace.billing import refunds
from espace.billing.models import Payment, PaymentStatus
from espace.claims.uploads import UploadRejected, check_upload
from espace.contracts import attestations
from espace.contracts.models import Attestation, Contract
from espace.core.models import today_paris, utcnow
from espace.documents import private_files
from espace.documents.models import Document
from espace.identity import stepup
from espace.lifecycle.cancellation_acknowledgement import _acknowledgement, _tell_holder
from espace.lifecycle.cancellation_rules import (
    MAX_DETAILS,
    MAX_FILES,
    CancellationError,
    CancellationRequest,
    G,
    _check_insurer,
    _money_effects,
    _owned_contract,
    preview,
)
from espace.lifecycle.models import Cancellation, CancellationFile
from espace.webhooks.events import emit


@dataclass(frozen=True)
class UploadedFile:
    filename: str
    data: bytes


def request_cancellation(
    *,
    session: Session,
    holder_id: int,
    contract_id: int,
    request: CancellationRequest,
    files: list[UploadedFile],
    proof: stepup.StepUpProof | None,
    today: date | None = None,
    now: datetime | None = None,
) -> Cancellation:
    """Record the cancellation (see the module). Needs a single-use step-up proof of this holder;
    refuses without the documents the ground needs. Returns the acknowledged request."""
    now = now or utcnow()
    today = today or today_paris()
    plan = preview(
        session=session, holder_id=holder_id, contract_id=contract_id, request=request, today=today
    )
    if len(request.details) > MAX_DETAILS:
        raise CancellationError({"details": f"{MAX_DETAILS} caractères au plus."})
    if plan.needs_files and not files:
        raise CancellationError({"files": f"Joignez le justificatif demandé : {plan.file_help}"})
    if len(files) > MAX_FILES:
        raise CancellationError({"files": f"{MAX_FILES} fichiers au plus."})
    checked = []
    for index, upload in enumerate(files):
        try:
            checked.append(
                (
                    check_upload(data=upload.data, filename=upload.filename, existing_count=index),
                    upload.data,
                )
            )
        except UploadRejected as error:
            raise CancellationError({"files": error.message}) from None
    account = stepup.require_step_up(
        session=session, proof=proof, holder_id=holder_id, now=now, single_use=True
    )
    contract = _owned_contract(session, holder_id, contract_id)
    refund, cancelled, reduced = _money_effects(session, contract, plan.effective_date)
    changes = _changes(session, contract, cancelled, reduced)
    row = Cancellation(
        reference=f"RES-{today.year}-{secrets.token_hex(3).upper()}",
        contract_id=contract.id,
        holder_id=holder_id,
        ground=plan.ground,
        event_date=request.event_date if plan.ground not in (G.HAMON, G.CHATEL) else None,
        details=request.details.strip()[:MAX_DETAILS],
        new_insurer=_check_insurer(request),
        received_at=now,
        effective_date=plan.effective_date,
        refund_cents=refund,
        cancelled_debits=len(cancelled),
        account_id=account.id,
        changes=changes,
    )
    session.add(row)
    session.flush()
    for meta, data in checked:
        key, sha = private_files.put(session=session, data=data, extension=meta.extension)
        session.add(
            CancellationFile(
                cancellation_id=row.id,
                filename=meta.filename,
                mime_type=meta.mime_type,
                size_bytes=meta.size_bytes,
                storage_key=key,
                sha256=sha,
                uploaded_at=now,
            )
        )
    for payment in cancelled:
        session.delete(payment)
    for payment, amount in reduced:
        payment.tax_cents = payment.tax_cents * amount // max(payment.amount_cents, 1)
        payment.amount_cents = amount
        payment.period_end = plan.last_day
        session.add(payment)
    contract.end_date = plan.last_day
    session.add(contract)
    attestations.revoke_for_contract(
        session=session,
        contract_id=contract.id,
        reason="Résiliation du contrat",
        effective=plan.effective_date,
        today=today,
    )
    session.flush()
    document = _acknowledgement(session, contract, row, plan, [m for m, _ in checked])
    row.document_id = document.id
    session.add(row)
    session.flush()
    refunds.create_for_cancellation(
        session=session,
        holder_id=holder_id,
        contract_id=contract.id,
        cancellation_id=row.id,
        cancellation_reference=row.reference,
        amount_cents=refund,
        now=now,
    )
    _tell_holder(session, contract, row, plan)
    _emit_cancellation_requested(session, row)
    return row


def _changes(
    session: Session,
    contract: Contract,
    cancelled: list[Payment],
    reduced: list[tuple[Payment, int]],
) -> dict:
    """What the request is about to change, as it was before (JSON), so that a refusal restores
    exactly that: the debits deleted (whole rows), the instalment reduced (its amount, tax and
    period), the attestations not yet revoked (their validity and reason, their PDF's period)."""
    deleted = [p.model_dump(mode="json") for p in cancelled]
    shortened = [
        {
            "id": p.id,
            "amount_cents": p.amount_cents,
            "tax_cents": p.tax_cents,
            "period_end": p.period_end.isoformat(),
        }
        for p, _ in reduced
    ]
    kept = []
    for att in session.exec(
        select(Attestation).where(
            Attestation.contract_id == contract.id, Attestation.revoked_at.is_(None)
        )
    ).all():
        document = session.get(Document, att.document_id) if att.document_id else None
        kept.append(
            {
                "id": att.id,
                "valid_until": att.valid_until.isoformat(),
                "revoked_reason": att.revoked_reason,
                "document_period_end": (
                    document.period_end.isoformat() if document and document.period_end else None
                ),
            }
        )
    return {"deleted_payments": deleted, "reduced_payments": shortened, "attestations": kept}


def _emit_cancellation_requested(session: Session, row: Cancellation) -> None:
    """The integration event "cancellation.requested" for the insurer's systems, in the same
    transaction as the request (delivered by the worker after the commit)."""
    emit("cancellation.requested", cancellation_event(row), session=session)


def cancellation_event(row: Cancellation) -> dict:
    """The payload of the "cancellation.requested" event (no personal data beyond the ids)."""
    return {
        "reference": row.reference,
        "contract_id": row.contract_id,
        "holder_id": row.holder_id,
        "ground": row.ground,
        "received_at": row.received_at.isoformat(),
        "effective_date": row.effective_date.isoformat(),
        "refund_cents": row.refund_cents,
        "new_insurer": row.new_insurer or None,
    }


def check_file(*, data: bytes, filename: str, existing_count: int) -> str:
    """A supporting document checked as the form receives it (the request checks it again);
    returns its display name, or raises CancellationError."""
    if existing_count >= MAX_FILES:
        raise CancellationError({"files": f"{MAX_FILES} fichiers au plus."})
    try:
        return check_upload(data=data, filename=filename, existing_count=existing_count).filename
    except UploadRejected as error:
        raise CancellationError({"files": error.message}) from None


def _restore(session: Session, contract: Contract, changes: dict, today: date) -> None:
    """Undo what ``request_cancellation`` changed (see ``_changes``)."""
    contract.end_date = None
    session.add(contract)
    for data in changes.get("deleted_payments", []):
        if session.get(Payment, data["id"]) is None:
            session.add(Payment.model_validate(data))
    for data in changes.get("reduced_payments", []):
        payment = session.get(Payment, data["id"])
        if payment is None:
            continue
        old_end = date.fromisoformat(data["period_end"])
        if payment.status == PaymentStatus.SCHEDULED:
            payment.amount_cents, payment.tax_cents = data["amount_cents"], data["tax_cents"]
        elif data["amount_cents"] > payment.amount_cents:
            # collected at its reduced amount meanwhile: the rest is due as its own instalment
            session.add(
                Payment(
                    contract_id=payment.contract_id,
                    holder_id=payment.holder_id,
                    due_date=max(today, payment.due_date),
                    period_start=payment.period_end + timedelta(days=1),
                    period_end=old_end,
                    amount_cents=data["amount_cents"] - payment.amount_cents,
                    tax_cents=max(data["tax_cents"] - payment.tax_cents, 0),
                    method=payment.method,
                )
            )
            continue
        payment.period_end = old_end
        session.add(payment)
    for data in changes.get("attestations", []):
        att = session.get(Attestation, data["id"])
        if att is None:
            continue
        att.revoked_at, att.revoked_reason = None, data["revoked_reason"]
        att.valid_until = date.fromisoformat(data["valid_until"])
        session.add(att)
        document = session.get(Document, att.document_id) if att.document_id else None
        if document is not None and data.get("document_period_end"):
            document.period_end = date.fromisoformat(data["document_period_end"])
            session.add(document)
    session.flush()
