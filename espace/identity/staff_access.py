"""Staff handling of access-recovery requests (lost e-mail access, no phone on file)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from espace.core.models import saved_id, utcnow
from espace.identity.models import AccessRecoveryRequest, Policyholder, StaffRole, StaffUser

ROLES_HANDLING_ACCESS = (StaffRole.HANDLER, StaffRole.MANAGER)


class StaffForbidden(PermissionError):
    pass


@dataclass(frozen=True)
class RequestRow:
    id: int
    holder_name: str
    contract_number: str
    contact_email: str
    holder_phone: str
    created_at: datetime
    due_at: datetime
    status: str
    late: bool
    note: str


def staff_member(*, session: Session, staff_id: int) -> StaffUser | None:
    """A staff member by id (active or not), for the back office's header and sign-in."""
    return session.get(StaffUser, staff_id)


def holder_names(*, session: Session, holder_ids: list[int]) -> dict[int, str]:
    """``Civilité Prénom Nom`` of each policyholder (by id), in one query."""
    if not holder_ids:
        return {}
    return {
        saved_id(p): f"{p.civility} {p.first_name} {p.last_name}"
        for p in session.exec(
            select(Policyholder).where(col(Policyholder.id).in_(holder_ids))
        ).all()
    }


def _require_role(session: Session, staff_id: int) -> StaffUser:
    staff = session.get(StaffUser, staff_id)
    if staff is None or not staff.is_active or staff.role not in ROLES_HANDLING_ACCESS:
        raise StaffForbidden("Votre rôle ne permet pas de traiter ces demandes.")
    return staff


def require_access_role(*, session: Session, staff_id: int) -> StaffUser:
    """Handlers and managers answer access and GDPR requests; experts do not."""
    return _require_role(session, staff_id)


def list_requests(*, session: Session, staff_id: int) -> list[RequestRow]:
    """Every access-recovery request, with the holder's phone and contact address: each one shown is
    logged as a read of that holder's data."""
    from espace.core import formatting as fmt
    from espace.identity import staff_reads

    staff = _require_role(session, staff_id)
    now = utcnow()
    rows = session.exec(
        select(AccessRecoveryRequest, Policyholder)
        .join(Policyholder, col(Policyholder.id) == AccessRecoveryRequest.holder_id)
        .order_by(col(AccessRecoveryRequest.status).desc(), col(AccessRecoveryRequest.due_at))
    ).all()
    for request, holder in rows:
        staff_reads.record(
            session=session,
            staff_id=saved_id(staff),
            holder_id=saved_id(holder),
            object_type="access_request",
            object_id=saved_id(request),
            now=now,
            detail=f"Demande de récupération d'accès du {fmt.date_fr(request.created_at)}",
        )
    return [
        RequestRow(
            id=saved_id(r),
            holder_name=f"{h.civility} {h.first_name} {h.last_name}",
            contract_number=r.contract_number,
            contact_email=r.contact_email,
            holder_phone=h.phone,
            created_at=r.created_at,
            due_at=r.due_at,
            status=r.status,
            late=r.status == "open" and r.due_at < now,
            note=r.handling_note,
        )
        for r, h in rows
    ]


def mark_handled(*, session: Session, staff_id: int, request_id: int, note: str) -> bool:
    _require_role(session, staff_id)
    request = session.exec(
        select(AccessRecoveryRequest).where(
            AccessRecoveryRequest.id == request_id, AccessRecoveryRequest.status == "open"
        )
    ).first()
    if request is None:
        return False
    request.status, request.handled_at, request.handled_by_id = "handled", utcnow(), staff_id
    request.handling_note = note.strip()[:1000]
    session.add(request)
    return True
