"""The back office's side of online cancellation: the list of requests, one request with its files
and refund, its acknowledgement, and the refusal of a request whose ground is not proven (handlers
and managers; the role is checked and every read traced here).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session, select

from espace import routes
from espace.billing import refunds
from espace.claims.models import StaffAuditLog
from espace.contracts.models import Contract, ContractStatus
from espace.core import formatting as fmt
from espace.core.models import today_paris, utcnow
from espace.documents.models import Document
from espace.identity import staff_access, staff_reads
from espace.identity.models import Policyholder
from espace.lifecycle.cancellation import _restore
from espace.lifecycle.cancellation_rules import EVENT_LABELS, MAX_DETAILS, CancellationError, G
from espace.lifecycle.cancellation_views import CancellationRow, _row
from espace.lifecycle.models import Cancellation, CancellationFile, CancellationStatus
from espace.notifications import messages, notices
from espace.notifications.models import NotificationCategory
from espace.webhooks.events import emit


def list_for_staff(*, session: Session, staff_id: int, limit: int = 200) -> list[CancellationRow]:
    """Cancellations, newest first, for handlers and managers (the role is checked here); each one
    shown is logged as a read of that holder's data, and the listing in the staff audit log."""
    staff = staff_access.require_access_role(session=session, staff_id=staff_id)
    rows = session.exec(
        select(Cancellation, Contract.number, Policyholder)
        .join(Contract, Contract.id == Cancellation.contract_id)
        .join(Policyholder, Policyholder.id == Cancellation.holder_id)
        .order_by(Cancellation.received_at.desc(), Cancellation.id.desc())
        .limit(limit)
    ).all()
    for cancellation, _number, holder in rows:
        staff_reads.record(
            session=session,
            staff_id=staff.id,
            holder_id=holder.id,
            object_type="cancellation",
            object_id=cancellation.id,
        )
    session.add(
        StaffAuditLog(
            staff_id=staff.id,
            action="list_cancellations",
            object_type="cancellation",
            object_id=0,
            detail=f"{len(rows)} demande(s) de résiliation consultée(s)",
        )
    )
    session.flush()
    return [_row(*found) for found in rows]


REFUSABLE_GROUNDS = (G.MOVE, G.SALE, G.OTHER)  # grounds resting on an event the holder must prove
MIN_REASON = 10


@dataclass(frozen=True)
class StaffFile:
    id: int
    filename: str
    size_bytes: int
    mime_type: str


@dataclass(frozen=True)
class StaffDetail:
    """One cancellation as handlers and managers see it."""

    row: CancellationRow
    holder_id: int
    ground: str
    event_label: str
    event_date: date | None
    details: str
    last_day: date
    files: list[StaffFile]
    refund: object | None  # billing.models.PremiumRefund
    refusal_reason: str
    refused_at: datetime | None
    can_refuse: bool
    refuse_help: str


def _staff_lookup(session: Session, cancellation_id: int):
    return session.exec(
        select(Cancellation, Contract.number, Policyholder)
        .join(Contract, Contract.id == Cancellation.contract_id)
        .join(Policyholder, Policyholder.id == Cancellation.holder_id)
        .where(Cancellation.id == cancellation_id)
    ).first()


def _refusable(row: Cancellation, refund) -> tuple[bool, str]:
    if row.status != CancellationStatus.RECEIVED:
        return False, "La demande n'est plus en cours : elle ne peut plus être refusée."
    if row.ground not in REFUSABLE_GROUNDS:
        return False, (
            "Ce motif (loi Hamon ou Chatel) ne dépend d'aucun justificatif : la demande ne peut "
            "pas être refusée."
        )
    if refund is not None and refund.status not in (
        refunds.R.AWAITING_BANK,
        refunds.R.TO_PAY,
        refunds.R.CANCELLED,
    ):
        return False, "Le remboursement a déjà été transmis à la banque : refus impossible."
    return True, ""


def detail_for_staff(*, session: Session, staff_id: int, cancellation_id: int) -> StaffDetail:
    """One request with its files and refund, for handlers and managers (the role is checked
    here); the read is logged in the holder's trace and the staff audit log. LookupError when
    unknown."""
    staff = staff_access.require_access_role(session=session, staff_id=staff_id)
    found = _staff_lookup(session, cancellation_id)
    if found is None:
        raise LookupError("cancellation")
    row, number, holder = found
    files = session.exec(
        select(CancellationFile)
        .where(CancellationFile.cancellation_id == row.id)
        .order_by(CancellationFile.id)
    ).all()
    refund = refunds.for_cancellation(session=session, cancellation_id=row.id)
    staff_reads.record(
        session=session,
        staff_id=staff.id,
        holder_id=holder.id,
        object_type="cancellation",
        object_id=row.id,
        detail=f"Demande de résiliation {row.reference}",
    )
    session.add(
        StaffAuditLog(
            staff_id=staff.id,
            action="view_cancellation",
            object_type="cancellation",
            object_id=row.id,
            detail=f"Demande {row.reference} consultée",
        )
    )
    session.flush()
    can_refuse, help_text = _refusable(row, refund)
    return StaffDetail(
        row=_row(row, number, holder),
        holder_id=holder.id,
        ground=row.ground,
        event_label=EVENT_LABELS.get(row.ground, ""),
        event_date=row.event_date,
        details=row.details,
        last_day=row.effective_date - timedelta(days=1),
        files=[StaffFile(f.id, f.filename, f.size_bytes, f.mime_type) for f in files],
        refund=refund,
        refusal_reason=row.refusal_reason,
        refused_at=row.refused_at,
        can_refuse=can_refuse,
        refuse_help=help_text,
    )


def file_for_staff(*, session: Session, staff_id: int, file_id: int) -> CancellationFile | None:
    """A supporting document for handlers and managers (role checked here: StaffForbidden);
    each download is logged in the holder's trace."""
    staff = staff_access.require_access_role(session=session, staff_id=staff_id)
    found = session.exec(
        select(CancellationFile, Cancellation)
        .join(Cancellation, Cancellation.id == CancellationFile.cancellation_id)
        .where(CancellationFile.id == file_id)
    ).first()
    if found is None:
        return None
    record, row = found
    staff_reads.record(
        session=session,
        staff_id=staff.id,
        holder_id=row.holder_id,
        object_type="cancellation",
        object_id=row.id,
        detail=f"Justificatif {record.filename[:80]} ({row.reference})",
    )
    return record


def acknowledgement_for_staff(
    *, session: Session, staff_id: int, cancellation_id: int
) -> Document | None:
    """The acknowledgement PDF of a request, for handlers and managers (role checked, logged)."""
    staff = staff_access.require_access_role(session=session, staff_id=staff_id)
    row = session.get(Cancellation, cancellation_id)
    if row is None or row.document_id is None:
        return None
    staff_reads.record(
        session=session,
        staff_id=staff.id,
        holder_id=row.holder_id,
        object_type="cancellation",
        object_id=row.id,
        detail=f"Accusé de réception {row.reference}",
    )
    return session.exec(
        select(Document).where(Document.id == row.document_id, Document.holder_id == row.holder_id)
    ).first()


def refuse(
    *,
    session: Session,
    staff_id: int,
    cancellation_id: int,
    reason: str,
    today: date | None = None,
    now: datetime | None = None,
) -> Cancellation:
    """A handler refuses a request whose ground is not proven (move, sale, other legal case: never
    Hamon or Chatel, which rest on dates alone). In one transaction: the refund (not yet sent) is
    cancelled, the contract's cover, the deleted debits, the reduced instalment and the
    attestations are restored exactly as the request found them, and the holder is told why (notice
    and e-mail). CancellationError with a French message by field."""
    now = now or utcnow()
    today = today or today_paris()
    staff = staff_access.require_access_role(session=session, staff_id=staff_id)
    reason = " ".join((reason or "").split())
    if len(reason) < MIN_REASON:
        raise CancellationError({"reason": "Expliquez à l'assuré pourquoi la demande est refusée."})
    if len(reason) > MAX_DETAILS:
        raise CancellationError({"reason": f"{MAX_DETAILS} caractères au plus."})
    row = session.get(Cancellation, cancellation_id)
    if row is None:
        raise CancellationError({"cancellation": "Demande introuvable."})
    contract = session.exec(
        select(Contract).where(Contract.id == row.contract_id, Contract.holder_id == row.holder_id)
    ).one()
    refund = refunds.for_cancellation(session=session, cancellation_id=row.id)
    allowed, why = _refusable(row, refund)
    if not allowed or contract.status != ContractStatus.ACTIVE:
        raise CancellationError({"cancellation": why or "Le contrat n'est plus en cours."})
    if refund is not None:
        try:
            refunds.cancel(
                session=session,
                refund=refund,
                reason=f"Résiliation {row.reference} refusée",
                now=now,
            )
        except refunds.RefundError as error:
            raise CancellationError({"cancellation": str(error)}) from None
    _restore(session, contract, row.changes or {}, today)
    row.status, row.refused_at, row.refused_by_staff_id = CancellationStatus.REFUSED, now, staff.id
    row.refusal_reason = reason
    session.add(row)
    session.add(
        StaffAuditLog(
            staff_id=staff.id,
            action="refuse_cancellation",
            object_type="cancellation",
            object_id=row.id,
            detail=f"Résiliation {row.reference} refusée : {reason}"[:1000],
            at=now,
        )
    )
    session.flush()
    email = messages.email(
        "cancellation_refused",
        number=contract.number,
        reference=row.reference,
        received=fmt.datetime_fr(row.received_at),
        reason=reason,
    )
    notices.notify(
        session=session,
        holder_id=row.holder_id,
        category=NotificationCategory.DOCUMENTS,
        title=f"Demande de résiliation refusée — {contract.number}",
        body=f"{reason} Votre contrat continue : vos garanties et vos échéances sont rétablies.",
        link=routes.CONTRACTS,
        email_subject=email.subject,
        email_body=email.body,
        critical=True,
    )
    emit(
        "cancellation.refused",
        {
            "reference": row.reference,
            "contract_id": row.contract_id,
            "holder_id": row.holder_id,
            "refused_at": now.isoformat(),
        },
        session=session,
    )
    return row
