"""Secure messaging: the advisers' inbox (handlers and managers; the role is checked here), the
response-time figures, one thread and its files as an adviser reads them (each read traced), and
who read or did what.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median
from typing import Protocol

from sqlalchemy import func
from sqlmodel import Session, col, select

from espace.claims.models import StaffAuditLog
from espace.core.models import saved_id, utcnow
from espace.identity import staff_reads
from espace.identity.models import Policyholder, StaffRole, StaffUser
from espace.identity.staff_access import StaffForbidden
from espace.support.models import (
    MessageAuthor,
    SupportAttachment,
    SupportMessage,
    SupportThread,
    ThreadCategory,
)
from espace.support.thread_rules import FIGURES_DAYS, INBOX_ROLES, T, reply_due, time_left


def inbox_staff(session: Session, staff_id: int | None) -> StaffUser:
    """The signed-in staff member if they may use the inbox (handlers and managers); StaffForbidden
    otherwise."""
    staff = session.get(StaffUser, staff_id) if staff_id else None
    if staff is None or not staff.is_active:
        raise StaffForbidden("Votre session de gestion n'est plus valable.")
    if staff.role not in INBOX_ROLES:
        raise StaffForbidden("Votre rôle ne donne pas accès aux messages des assurés.")
    return staff


def staff_thread(*, session: Session, staff_id: int, thread_id: int) -> SupportThread | None:
    """The conversation for an adviser; the read is logged."""
    staff = inbox_staff(session, staff_id)
    thread = session.get(SupportThread, thread_id) if thread_id else None
    if thread is not None:
        staff_reads.record(
            session=session,
            staff_id=saved_id(staff),
            holder_id=thread.holder_id,
            object_type="support_thread",
            object_id=saved_id(thread),
            detail=f"Conversation « {thread.subject} »",
        )
    return thread


@dataclass(frozen=True)
class InboxFilters:
    status: str = "active"  # active (open + waiting) | open | waiting | resolved | "" (all)
    category: str = ""
    assigned: str = "all"  # all | mine | unassigned
    late_only: bool = False


@dataclass(frozen=True)
class InboxRow:
    id: int
    subject: str
    holder_name: str
    category: str
    status: str
    origin: str
    last_message_at: datetime
    due_at: datetime | None
    late: bool
    time_left: str
    assignee: str
    unread: bool  # the holder wrote since staff last read the thread


def _inbox_query(staff: StaffUser, filters: InboxFilters, now: datetime):
    query = select(SupportThread, Policyholder).join(
        Policyholder, col(Policyholder.id) == SupportThread.holder_id
    )
    if filters.status == "active":
        query = query.where(col(SupportThread.status).in_((T.OPEN, T.WAITING)))
    elif filters.status in set(T):
        query = query.where(SupportThread.status == filters.status)
    if filters.category in set(ThreadCategory):
        query = query.where(SupportThread.category == filters.category)
    if filters.assigned == "mine":
        query = query.where(SupportThread.assigned_staff_id == staff.id)
    elif filters.assigned == "unassigned":
        query = query.where(col(SupportThread.assigned_staff_id).is_(None))
    if filters.late_only:
        query = query.where(
            col(SupportThread.reply_due_at).is_not(None), col(SupportThread.reply_due_at) < now
        )
    return query.order_by(
        col(SupportThread.reply_due_at).is_(None),
        col(SupportThread.reply_due_at),
        col(SupportThread.last_message_at).desc(),
    )


def inbox(
    *,
    session: Session,
    staff_id: int,
    filters: InboxFilters = InboxFilters(),
    now: datetime | None = None,
    limit: int = 200,
) -> list[InboxRow]:
    """Threads for the back office, the most urgent answer first."""
    from espace.claims.workflow_views import staff_names

    staff = inbox_staff(session, staff_id)
    now = now or utcnow()
    rows = session.exec(_inbox_query(staff, filters, now).limit(limit)).all()
    last_holder = dict(
        session.exec(
            select(SupportMessage.thread_id, func.max(SupportMessage.created_at))
            .where(
                SupportMessage.author == MessageAuthor.HOLDER,
                col(SupportMessage.thread_id).in_([t.id for t, _h in rows]),
            )
            .group_by(col(SupportMessage.thread_id))
        ).all()
    )
    names = staff_names(session=session)
    return [
        InboxRow(
            id=t.id,
            subject=t.subject,
            holder_name=f"{h.first_name} {h.last_name}",
            category=t.category,
            status=t.status,
            origin=t.origin,
            last_message_at=t.last_message_at,
            due_at=t.reply_due_at,
            late=t.reply_due_at is not None and t.reply_due_at < now,
            time_left=time_left(t.reply_due_at, now),
            assignee=names.get(t.assigned_staff_id, ""),
            unread=t.id in last_holder
            and (t.staff_read_at is None or last_holder[t.id] > t.staff_read_at),
        )
        for t, h in rows
    ]


@dataclass(frozen=True)
class InboxFigures:
    open_count: int
    late_count: int
    median_first_reply: timedelta | None  # threads opened in the last 30 days and answered
    within_target_share: float | None  # of those whose first answer is known or overdue


class ReplyTimes(Protocol):
    """What the figures read of a thread (a SupportThread, or only these columns)."""

    @property
    def category(self) -> str: ...
    @property
    def created_at(self) -> datetime: ...
    @property
    def first_reply_at(self) -> datetime | None: ...


@dataclass(frozen=True)
class _ThreadTimes:
    category: str
    created_at: datetime
    first_reply_at: datetime | None


def first_reply_stats(
    threads: Sequence[ReplyTimes], now: datetime
) -> tuple[timedelta | None, float | None]:
    """Median first-response time, and the share of first answers given within the target (a thread
    still unanswered after its target counts as missed; one unanswered within its target is not
    counted yet)."""
    delays: list[timedelta] = []
    met, counted = 0, 0
    for thread in threads:
        target = reply_due(thread.category, thread.created_at)
        if thread.first_reply_at is not None:
            delays.append(thread.first_reply_at - thread.created_at)
            counted += 1
            met += thread.first_reply_at <= target
        elif target < now:
            counted += 1
    # statistics.median is typed for numbers; it only sorts and halves, which timedelta supports
    middle = median(delays) if delays else None  # type: ignore[type-var]
    return middle, (met / counted if counted else None)


def figures(*, session: Session, staff_id: int, now: datetime | None = None) -> InboxFigures:
    inbox_staff(session, staff_id)
    now = now or utcnow()
    open_count = session.exec(
        select(func.count()).select_from(SupportThread).where(SupportThread.status == T.OPEN)
    ).one()
    late_count = session.exec(
        select(func.count())
        .select_from(SupportThread)
        .where(
            SupportThread.status == T.OPEN,
            col(SupportThread.reply_due_at).is_not(None),
            col(SupportThread.reply_due_at) < now,
        )
    ).one()
    # Only the three columns the figures need.
    recent = [
        _ThreadTimes(*row)
        for row in session.exec(
            select(
                SupportThread.category, SupportThread.created_at, SupportThread.first_reply_at
            ).where(SupportThread.created_at >= now - timedelta(days=FIGURES_DAYS))
        ).all()
    ]
    delay, share = first_reply_stats(recent, now)
    return InboxFigures(open_count, late_count, delay, share)


def attachment_for_staff(
    *, session: Session, staff_id: int, attachment_id: int
) -> SupportAttachment | None:
    """A file joined to a message, for an adviser; the download is logged."""
    staff = inbox_staff(session, staff_id)
    attachment = session.get(SupportAttachment, attachment_id)
    thread = session.get(SupportThread, attachment.thread_id) if attachment is not None else None
    if attachment is None or thread is None:
        return None
    staff_reads.record(
        session=session,
        staff_id=saved_id(staff),
        holder_id=thread.holder_id,
        object_type="support_attachment",
        object_id=saved_id(attachment),
        detail=f"« {attachment.filename} » (conversation « {thread.subject} »)",
    )
    return attachment


def read_log(*, session: Session, staff_id: int, thread_id: int) -> list[tuple[str, datetime, str]]:
    """Who opened this conversation and its files: (name, when, what), for managers only."""
    staff = inbox_staff(session, staff_id)
    if staff.role != StaffRole.MANAGER:
        return []
    files = [
        i  # primary keys: never None
        for i in session.exec(
            select(SupportAttachment.id).where(SupportAttachment.thread_id == thread_id)
        ).all()
        if i is not None
    ]
    rows = staff_reads.for_objects(
        session=session, objects=[("support_thread", [thread_id]), ("support_attachment", files)]
    )
    return [(user.full_name, log.at, log.detail) for log, user in rows]


def audit_log(
    *, session: Session, staff_id: int, thread_id: int
) -> list[tuple[StaffAuditLog, str]]:
    inbox_staff(session, staff_id)
    rows = session.exec(
        select(StaffAuditLog, StaffUser)
        .join(StaffUser, col(StaffUser.id) == StaffAuditLog.staff_id)
        .where(StaffAuditLog.object_type == "support_thread", StaffAuditLog.object_id == thread_id)
        .order_by(col(StaffAuditLog.at).desc(), col(StaffAuditLog.id).desc())
    ).all()
    return [(log, user.full_name) for log, user in rows]
