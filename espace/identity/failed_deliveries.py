"""The failed deliveries managers see (/gestion/envois) and send again, audited.

The delivery itself is ``espace.notifications.deliveries``. This part checks a staff role and
refuses with identity's ``StaffForbidden``, like the other staff services; notifications sits below
identity and may not import it, so the managers' side of the outbox lives here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, col, select

from espace.claims.models import StaffAuditLog
from espace.core import jobs
from espace.core.models import get_existing, saved_id, utcnow
from espace.identity.models import StaffRole, StaffUser
from espace.identity.staff_access import StaffForbidden
from espace.notifications.deliveries import CHANNEL_LABELS, deliver_message
from espace.notifications.models import OutboxMessage


class NotResendable(ValueError):
    """The message is not (or no longer) a failed delivery."""


@dataclass(frozen=True)
class FailedRow:
    id: int
    channel: str
    recipient: str
    subject: str
    category: str
    attempts: int
    error: str
    created_at: datetime
    last_try_at: datetime | None


def _manager(session: Session, staff_id: int | None) -> StaffUser:
    staff = session.get(StaffUser, staff_id) if staff_id else None
    if staff is None or not staff.is_active:
        raise StaffForbidden("Votre session de gestion n'est plus valable.")
    if staff.role != StaffRole.MANAGER:
        raise StaffForbidden("Seuls les responsables voient et renvoient les envois en échec.")
    return staff


def failed(*, session: Session, staff_id: int, limit: int = 200) -> list[FailedRow]:
    """The messages that could not be delivered, newest first (never their content: codes,
    links)."""
    _manager(session, staff_id)
    rows = session.exec(
        select(OutboxMessage)
        .where(OutboxMessage.status == "failed")
        .order_by(col(OutboxMessage.created_at).desc(), col(OutboxMessage.id).desc())
        .limit(limit)
    ).all()
    return [
        FailedRow(
            saved_id(m),
            m.channel,
            m.recipient,
            m.subject,
            m.category,
            m.attempts,
            m.error,
            m.created_at,
            m.claimed_at,
        )
        for m in rows
    ]


def resend(*, session: Session, staff_id: int, message_id: int) -> OutboxMessage:
    """A manager sends a failed message again: back to the queue with fresh tries; audited."""
    staff = _manager(session, staff_id)
    taken = session.exec(
        update(OutboxMessage)
        .where(col(OutboxMessage.id) == message_id, col(OutboxMessage.status) == "failed")
        .values(status="queued", attempts=0, error="", due_at=utcnow(), claimed_at=None)
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount != 1:
        raise NotResendable("Ce message n'est plus en échec : il a peut-être déjà été renvoyé.")
    message = get_existing(session, OutboxMessage, message_id)
    session.refresh(message)
    label = CHANNEL_LABELS.get(message.channel, message.channel)
    session.add(
        StaffAuditLog(
            staff_id=saved_id(staff),
            action="resend_message",
            object_type="outbox_message",
            object_id=saved_id(message),
            detail=f"{label} à {message.recipient} : {message.subject}"[:1000],
        )
    )
    session.flush()
    jobs.enqueue_after_commit(session, deliver_message, message.id)
    return message
