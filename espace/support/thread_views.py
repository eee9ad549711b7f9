"""Secure messaging: what the holder reads (their threads and unread answers, the messages and
files of one thread, what it is about, its link).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from espace import routes
from espace.claims.models import Claim
from espace.contracts.models import Contract
from espace.core.models import saved_id
from espace.support.models import MessageAuthor, SupportAttachment, SupportMessage, SupportThread
from espace.support.thread_rules import T


def _last_staff_message():
    return (
        select(SupportMessage.thread_id, func.max(SupportMessage.created_at).label("at"))
        .where(SupportMessage.author == MessageAuthor.STAFF)
        .group_by(col(SupportMessage.thread_id))
        .subquery()
    )


def _unread_for_holder(thread: SupportThread, last_staff: datetime | None) -> bool:
    return last_staff is not None and (
        thread.holder_read_at is None or last_staff > thread.holder_read_at
    )


@dataclass(frozen=True)
class ThreadSummary:
    id: int
    subject: str
    category: str
    status: str
    origin: str
    last_message_at: datetime
    unread: bool
    rating: int | None


def list_threads(*, session: Session, holder_id: int) -> list[ThreadSummary]:
    """The holder's threads, the most recent first, each with its unread flag (an adviser's new
    message)."""
    last = _last_staff_message()
    rows = session.exec(
        select(SupportThread, last.c.at)
        .join(last, last.c.thread_id == SupportThread.id, isouter=True)
        .where(SupportThread.holder_id == holder_id)
        .order_by(col(SupportThread.last_message_at).desc(), col(SupportThread.id).desc())
    ).all()
    return [
        ThreadSummary(
            saved_id(t),
            t.subject,
            t.category,
            t.status,
            t.origin,
            t.last_message_at,
            _unread_for_holder(t, at),
            t.rating,
        )
        for t, at in rows
    ]


def needing_attention(*, session: Session, holder_id: int, limit: int = 3) -> list[ThreadSummary]:
    """Threads with an unread answer or waiting for the holder (the dashboard's messages widget)."""
    return [
        t
        for t in list_threads(session=session, holder_id=holder_id)
        if t.unread or t.status == T.WAITING
    ][:limit]


def messages(*, session: Session, thread_id: int) -> list[SupportMessage]:
    return list(
        session.exec(
            select(SupportMessage)
            .where(SupportMessage.thread_id == thread_id)
            .order_by(col(SupportMessage.created_at), col(SupportMessage.id))
        ).all()
    )


def attachments_by_message(
    *, session: Session, thread_id: int
) -> dict[int, list[SupportAttachment]]:
    grouped: dict[int, list[SupportAttachment]] = {}
    for row in session.exec(
        select(SupportAttachment)
        .where(SupportAttachment.thread_id == thread_id)
        .order_by(col(SupportAttachment.id))
    ).all():
        grouped.setdefault(row.message_id, []).append(row)
    return grouped


def in_transcript(thread: SupportThread, message: SupportMessage) -> bool:
    """Whether the message is part of the assistant conversation carried into the thread."""
    return message.from_assistant_chat


def attachment_for_holder(
    *, session: Session, holder_id: int, attachment_id: int
) -> SupportAttachment | None:
    return session.exec(
        select(SupportAttachment)
        .join(SupportThread, col(SupportThread.id) == SupportAttachment.thread_id)
        .where(SupportAttachment.id == attachment_id, SupportThread.holder_id == holder_id)
    ).first()


def linked_label(*, session: Session, thread: SupportThread) -> str:
    """'Sinistre SIN-…' or 'Contrat MRH…' when the thread is about one ('' otherwise)."""
    if thread.claim_id:
        number = session.exec(select(Claim.number).where(Claim.id == thread.claim_id)).first()
        return f"Sinistre {number}" if number else ""
    if thread.contract_id:
        number = session.exec(
            select(Contract.number).where(Contract.id == thread.contract_id)
        ).first()
        return f"Contrat {number}" if number else ""
    return ""


def thread_link(thread: SupportThread) -> str:
    return f"{routes.MESSAGE}?n={thread.id}"
