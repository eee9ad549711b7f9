"""The trace of staff reads: every time a staff member opens a holder's claim, conversation, file or
access request, who, when and what.

The services that give staff a holder's data record the read themselves
(``claims.workflow_views.visible_claim`` and ``file_for_staff``,
``support.thread_inbox.staff_thread`` and ``attachment_for_staff``,
``staff_access.list_requests``), so no screen, API or job can read without leaving a trace.
Managers see the reads of a claim or a conversation next to its audit log; the holder sees them on
"Mes données" and in the GDPR export.

Opening the same thing again within ``REPEAT_WINDOW`` is one read (a page refreshed after each
action, the thumbnails of a claim's photos), so the log stays readable.

What the holder is shown: when, the staff member's role and what was opened, not the staff member's
name (CJEU C-579/21, 22 June 2023: the data subject is entitled to the dates and purposes of
consultations, not necessarily to the identity of the employees who made them). Managers see
names."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, or_
from sqlmodel import Session, col, select

from espace.core.models import utcnow
from espace.identity.models import StaffReadLog, StaffRole, StaffUser

REPEAT_WINDOW = timedelta(minutes=10)
ROLE_LABELS: dict[str, str] = {  # the column holds the StaffRole value
    StaffRole.HANDLER: "Gestionnaire",
    StaffRole.EXPERT: "Expert mandaté",
    StaffRole.MANAGER: "Responsable",
}
OBJECT_LABELS = {
    "claim": "Dossier sinistre",
    "claim_file": "Fichier d'un sinistre",
    "support_thread": "Conversation avec un conseiller",
    "support_attachment": "Pièce jointe d'un message",
    "access_request": "Demande de récupération d'accès",
    "complaint": "Réclamation",
    "cancellation": "Demande de résiliation",
}


def record(
    *,
    session: Session,
    staff_id: int,
    holder_id: int,
    object_type: str,
    object_id: int,
    detail: str = "",
    now: datetime | None = None,
) -> StaffReadLog | None:
    """Log a read (None when the same staff member opened the same thing within
    ``REPEAT_WINDOW``)."""
    if object_type not in OBJECT_LABELS:
        raise ValueError(f"unknown object type: {object_type!r}")
    now = now or utcnow()
    recent = session.exec(
        select(StaffReadLog.id).where(
            StaffReadLog.staff_id == staff_id,
            StaffReadLog.object_type == object_type,
            StaffReadLog.object_id == object_id,
            StaffReadLog.at > now - REPEAT_WINDOW,
        )
    ).first()
    if recent is not None:
        return None
    row = StaffReadLog(
        staff_id=staff_id,
        holder_id=holder_id,
        object_type=object_type,
        object_id=object_id,
        detail=detail[:200],
        at=now,
    )
    session.add(row)
    session.flush()
    return row


@dataclass(frozen=True)
class HolderRead:
    """One consultation as the holder sees it."""

    at: datetime
    role: str
    what: str
    detail: str


def for_holder(*, session: Session, holder_id: int, limit: int | None = None) -> list[HolderRead]:
    """Who (by role) consulted the holder's file, most recent first."""
    query = (
        select(StaffReadLog, StaffUser.role)
        .join(StaffUser, col(StaffUser.id) == StaffReadLog.staff_id)
        .where(StaffReadLog.holder_id == holder_id)
        .order_by(col(StaffReadLog.at).desc(), col(StaffReadLog.id).desc())
    )
    if limit:
        query = query.limit(limit)
    return [
        HolderRead(
            log.at,
            ROLE_LABELS.get(role, "Collaborateur"),
            OBJECT_LABELS.get(log.object_type, ""),
            log.detail,
        )
        for log, role in session.exec(query).all()
    ]


def count_for_holder(*, session: Session, holder_id: int) -> int:
    return session.exec(
        select(func.count()).select_from(StaffReadLog).where(StaffReadLog.holder_id == holder_id)
    ).one()


def for_objects(
    *, session: Session, objects: Sequence[tuple[str, Sequence[int]]], limit: int = 200
) -> list[tuple[StaffReadLog, StaffUser]]:
    """The reads of the given objects ((type, ids) pairs) with the staff member, most recent first
    (for managers:
    the caller checks the role)."""
    conditions = [
        (col(StaffReadLog.object_type) == kind) & col(StaffReadLog.object_id).in_(list(ids))
        for kind, ids in objects
        if ids
    ]
    if not conditions:
        return []
    return list(
        session.exec(
            select(StaffReadLog, StaffUser)
            .join(StaffUser, col(StaffUser.id) == StaffReadLog.staff_id)
            .where(or_(*conditions))
            .order_by(col(StaffReadLog.at).desc(), col(StaffReadLog.id).desc())
            .limit(limit)
        ).all()
    )


def purge(*, session: Session, older_than: datetime) -> int:
    """Delete reads older than the retention of connection logs (13 months)."""
    return session.exec(delete(StaffReadLog).where(col(StaffReadLog.at) < older_than)).rowcount or 0
