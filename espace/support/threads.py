"""Secure messaging between holders and the insurer's advisers (and the assistant's escalations).

A thread is ``open`` while the insurer owes an answer (``reply_due_at`` is the response-time
target), ``waiting`` once an adviser answered (the holder's turn), ``resolved`` when closed by
either side; the holder writing again reopens it. Holder functions check ownership in the query
itself, so "not yours" and "does not exist" look the same; staff functions check the role
(handlers and managers; experts have no inbox) and write each action to the staff audit log.

E-mails never copy what an adviser wrote: they say a message is waiting in the secure space."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median
from typing import Protocol

from sqlalchemy import func
from sqlmodel import Session, col, select

from espace import routes
from espace.claims import stages, uploads
from espace.claims.models import Claim, StaffAuditLog
from espace.contracts.models import Contract
from espace.core.models import saved_id, utcnow
from espace.documents import private_files
from espace.identity import staff_reads
from espace.identity.models import Policyholder, StaffRole, StaffUser
from espace.identity.staff_access import StaffForbidden
from espace.notifications import notices, outbox
from espace.notifications.models import NotificationCategory
from espace.support.models import (
    MessageAuthor,
    SupportAttachment,
    SupportMessage,
    SupportThread,
    ThreadCategory,
    ThreadStatus,
)
from espace.webhooks.events import emit

T = ThreadStatus

# Response-time targets, in working days (France, public holidays excluded): the answer is due by
# 18:00 Paris time on that working day. A claim question is answered by the next working day.
REPLY_TARGET_WORKING_DAYS: dict[str, int] = {
    ThreadCategory.CLAIM: 1,
    ThreadCategory.CONTRACT: 2,
    ThreadCategory.PAYMENT: 2,
    ThreadCategory.OTHER: 2,
}
SUBJECT_MIN, SUBJECT_MAX = 3, 120
BODY_MAX = 5000
RATING_COMMENT_MAX = 1000
MAX_FILES_PER_MESSAGE = 5
MAX_FILES_PER_THREAD = 20
MAX_TRANSCRIPT_MESSAGES = 100
ORIGINS = ("portal", "assistant")
INBOX_ROLES = (StaffRole.HANDLER, StaffRole.MANAGER)  # experts have no inbox
FIGURES_DAYS = 30

CATEGORY_LABELS = {
    ThreadCategory.CONTRACT: "Contrat",
    ThreadCategory.CLAIM: "Sinistre",
    ThreadCategory.PAYMENT: "Paiement",
    ThreadCategory.OTHER: "Autre question",
}
HOLDER_STATUS_LABELS = {
    T.OPEN: "En cours de traitement",
    T.WAITING: "En attente de votre réponse",
    T.RESOLVED: "Résolu",
}
STAFF_STATUS_LABELS = {
    T.OPEN: "À traiter",
    T.WAITING: "En attente de l'assuré",
    T.RESOLVED: "Résolu",
}
ASSISTANT_NAME = "Assistant Espace"


class SupportError(ValueError):
    """A French message for the person, tied to a form field when ``field`` is set."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


# ----- pure rules ------------------------------------------------------------------------------


def reply_due(category: str, start: datetime) -> datetime:
    """When the insurer's answer is due for a message written at ``start``."""
    due = stages.due_after(start, REPLY_TARGET_WORKING_DAYS.get(category, 2))
    assert due is not None  # None only without a number of days
    return due


def time_left(due: datetime | None, now: datetime) -> str:
    """'Reste 3 h', 'Reste 1 j 4 h', 'En retard de 2 h' ('' without a target)."""
    if due is None:
        return ""
    seconds = int((due - now).total_seconds())
    hours = abs(seconds) // 3600
    days, rest = divmod(hours, 24)
    text = (
        f"{days} j {rest} h"
        if days
        else (f"{hours} h" if hours else f"{max(1, abs(seconds) // 60)} min")
    )
    return f"Reste {text}" if seconds >= 0 else f"En retard de {text}"


def duration_text(delta: timedelta | None) -> str:
    """'2 h 05 min', '45 min', '1 j 3 h' ('—' when unknown)."""
    if delta is None:
        return "—"
    minutes = max(0, int(delta.total_seconds()) // 60)
    hours, mins = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    if days:
        return f"{days} j {hours} h"
    return f"{hours} h {mins:02d} min" if hours else f"{mins} min"


def _clean_text(text: str | None, *, field: str, minimum: int, maximum: int, what: str) -> str:
    cleaned = (text or "").strip()
    if len(cleaned) < minimum:
        raise SupportError(
            f"Écrivez {what} ({minimum} caractère{'s' if minimum > 1 else ''} au moins).", field
        )
    if len(cleaned) > maximum:
        raise SupportError(
            f"{what[0].upper()}{what[1:]} est trop long : {maximum:,} caractères au plus.".replace(
                ",", "\u202f"
            ),
            field,
        )
    return cleaned


def clean_subject(subject: str | None) -> str:
    return _clean_text(
        subject,
        field="subject",
        minimum=SUBJECT_MIN,
        maximum=SUBJECT_MAX,
        what="l'objet du message",
    )


def clean_body(body: str | None) -> str:
    return _clean_text(body, field="body", minimum=1, maximum=BODY_MAX, what="votre message")


def clean_category(category: str | None) -> str:
    if category not in set(ThreadCategory):
        raise SupportError("Choisissez le sujet de votre demande.", "category")
    return str(category)


# ----- attachments -----------------------------------------------------------------------------


def _checked_files(
    files: Sequence[tuple[bytes, str]], already: int
) -> list[tuple[bytes, uploads.CheckedUpload]]:
    """Check every file (by content, like claim uploads) before storing any: all or nothing."""
    if len(files) > MAX_FILES_PER_MESSAGE:
        raise SupportError(
            f"Joignez au plus {MAX_FILES_PER_MESSAGE} fichiers par message.", "files"
        )
    if already + len(files) > MAX_FILES_PER_THREAD:
        raise SupportError(
            f"Une conversation compte au plus {MAX_FILES_PER_THREAD} fichiers : "
            f"{max(0, MAX_FILES_PER_THREAD - already)} peuvent encore être joints.",
            "files",
        )
    checked = []
    for data, name in files:
        try:
            checked.append((data, uploads.check_upload(data=data, filename=name)))
        except uploads.UploadRejected as error:
            raise SupportError(error.message, "files") from None
    return checked


def _thread_files(session: Session, thread_id: int) -> int:
    return session.exec(
        select(func.count())
        .select_from(SupportAttachment)
        .where(SupportAttachment.thread_id == thread_id)
    ).one()


def _store(
    session: Session, message: SupportMessage, checked: list[tuple[bytes, uploads.CheckedUpload]]
) -> None:
    for data, upload in checked:
        key, digest = private_files.put(session=session, data=data, extension=upload.extension)
        session.add(
            SupportAttachment(
                thread_id=message.thread_id,
                message_id=saved_id(message),
                filename=upload.filename,
                mime_type=upload.mime_type,
                size_bytes=upload.size_bytes,
                sha256=digest,
                storage_key=key,
            )
        )
    session.flush()


def _post(
    session: Session,
    thread: SupportThread,
    *,
    author: str,
    body: str,
    staff_id: int | None = None,
    at: datetime | None = None,
    checked: list | None = None,
    from_assistant_chat: bool = False,
) -> SupportMessage:
    """A message (and its already checked files) in the thread."""
    message = SupportMessage(
        thread_id=saved_id(thread),
        author=author,
        staff_id=staff_id,
        body=body,
        created_at=at or utcnow(),
        from_assistant_chat=from_assistant_chat,
    )
    session.add(message)
    session.flush()
    _store(session, message, checked or [])
    thread.last_message_at = message.created_at
    session.add(thread)
    if author == MessageAuthor.HOLDER:
        emit(
            "support.message_posted",
            {"thread_id": thread.id, "message_id": message.id, "holder_id": thread.holder_id},
            session=session,
        )
    return message


# ----- the holder ------------------------------------------------------------------------------


def _owned_link(
    session: Session, holder_id: int, contract_id: int | None, claim_id: int | None
) -> None:
    if (
        contract_id is not None
        and session.exec(
            select(Contract.id).where(Contract.id == contract_id, Contract.holder_id == holder_id)
        ).first()
        is None
    ):
        raise SupportError("Choisissez un de vos contrats.", "contract")
    if (
        claim_id is not None
        and session.exec(
            select(Claim.id).where(
                Claim.id == claim_id, Claim.holder_id == holder_id, col(Claim.number).is_not(None)
            )
        ).first()
        is None
    ):
        raise SupportError("Choisissez un de vos sinistres déclarés.", "claim")


def _clean_transcript(transcript: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    kept = []
    for author, text in transcript:
        if author not in (MessageAuthor.HOLDER, MessageAuthor.ASSISTANT):
            raise ValueError(f"transcript author must be 'holder' or 'assistant', not {author!r}")
        if (text or "").strip():
            kept.append((str(author), text.strip()[:BODY_MAX]))
    return kept[-MAX_TRANSCRIPT_MESSAGES:]


def open_thread(
    *,
    session: Session,
    holder_id: int,
    subject: str,
    category: str,
    body: str,
    contract_id: int | None = None,
    claim_id: int | None = None,
    origin: str = "portal",
    transcript: Sequence[tuple[str, str]] = (),
    attachments: Sequence[tuple[bytes, str]] = (),
) -> SupportThread:
    """A new conversation. ``transcript`` (the assistant conversation, (author, text) pairs with
    author "holder" or "assistant") is stored before the holder's ``body``, marked as such, so that
    advisers read the whole exchange. Raises SupportError (French, ``field``)."""
    subject, category, body = clean_subject(subject), clean_category(category), clean_body(body)
    if origin not in ORIGINS:
        raise ValueError(f"origin must be one of {ORIGINS}")
    _owned_link(session, holder_id, contract_id, claim_id)
    lines = _clean_transcript(transcript)
    checked = _checked_files(attachments, 0)  # every check passes before anything is written
    now = utcnow()
    thread = SupportThread(
        holder_id=holder_id,
        subject=subject,
        category=category,
        contract_id=contract_id,
        claim_id=claim_id,
        origin=origin,
        status=T.OPEN,
        created_at=now,
        last_message_at=now,
        reply_due_at=reply_due(category, now),
        holder_read_at=now,
    )
    session.add(thread)
    session.flush()
    for author, text in lines:
        _post(session, thread, author=author, body=text, at=now, from_assistant_chat=True)
    _post(session, thread, author=MessageAuthor.HOLDER, body=body, at=now, checked=checked)
    session.flush()
    return thread


def holder_thread(*, session: Session, holder_id: int, thread_id: int) -> SupportThread | None:
    return session.exec(
        select(SupportThread).where(
            SupportThread.id == thread_id, SupportThread.holder_id == holder_id
        )
    ).first()


def _holder_thread_or_fail(session: Session, holder_id: int, thread_id: int) -> SupportThread:
    thread = holder_thread(session=session, holder_id=holder_id, thread_id=thread_id)
    if thread is None:
        raise SupportError("Cette conversation est introuvable.", "thread")
    return thread


def reply(
    *,
    session: Session,
    holder_id: int,
    thread_id: int,
    body: str,
    attachments: Sequence[tuple[bytes, str]] = (),
) -> SupportMessage:
    """The holder writes in their thread; a resolved or waiting thread is open again (the insurer's
    turn)."""
    body = clean_body(body)
    thread = _holder_thread_or_fail(session, holder_id, thread_id)
    checked = _checked_files(attachments, _thread_files(session, saved_id(thread)))
    message = _post(session, thread, author=MessageAuthor.HOLDER, body=body, checked=checked)
    if (
        thread.status != T.OPEN or thread.reply_due_at is None
    ):  # an answer already owed keeps its target
        thread.reply_due_at = reply_due(thread.category, message.created_at)
    thread.status, thread.resolved_at, thread.holder_read_at = T.OPEN, None, message.created_at
    session.add(thread)
    session.flush()
    return message


def mark_read(*, session: Session, holder_id: int, thread_id: int) -> bool:
    thread = holder_thread(session=session, holder_id=holder_id, thread_id=thread_id)
    if thread is None:
        return False
    thread.holder_read_at = utcnow()
    session.add(thread)
    return True


def _close(thread: SupportThread) -> None:
    thread.status, thread.resolved_at, thread.reply_due_at = T.RESOLVED, utcnow(), None


def resolve_by_holder(*, session: Session, holder_id: int, thread_id: int) -> SupportThread:
    thread = _holder_thread_or_fail(session, holder_id, thread_id)
    if thread.status != T.RESOLVED:
        _close(thread)
        session.add(thread)
        session.flush()
    return thread


def rate(
    *, session: Session, holder_id: int, thread_id: int, rating: int, comment: str = ""
) -> SupportThread:
    """A satisfaction rating (1 to 5, optional comment), once the thread is resolved, and only
    once."""
    thread = _holder_thread_or_fail(session, holder_id, thread_id)
    if thread.status != T.RESOLVED:
        raise SupportError("Vous pourrez noter la réponse une fois la demande résolue.", "rating")
    if thread.rating is not None:
        raise SupportError("Vous avez déjà donné votre avis sur cette conversation.", "rating")
    if not isinstance(rating, int) or isinstance(rating, bool) or not 1 <= rating <= 5:
        raise SupportError("Choisissez une note de 1 à 5.", "rating")
    comment = (comment or "").strip()
    if len(comment) > RATING_COMMENT_MAX:
        raise SupportError(
            f"Votre commentaire est trop long : {RATING_COMMENT_MAX} caractères au plus.", "comment"
        )
    thread.rating, thread.rating_comment, thread.rated_at = rating, comment, utcnow()
    session.add(thread)
    session.flush()
    return thread


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


# ----- staff -------------------------------------------------------------------------------------


def inbox_staff(session: Session, staff_id: int | None) -> StaffUser:
    """The signed-in staff member if they may use the inbox (handlers and managers); StaffForbidden
    otherwise."""
    staff = session.get(StaffUser, staff_id) if staff_id else None
    if staff is None or not staff.is_active:
        raise StaffForbidden("Votre session de gestion n'est plus valable.")
    if staff.role not in INBOX_ROLES:
        raise StaffForbidden("Votre rôle ne donne pas accès aux messages des assurés.")
    return staff


def _audit(
    session: Session, staff: StaffUser, action: str, thread: SupportThread, detail: str = ""
) -> None:
    session.add(
        StaffAuditLog(
            staff_id=saved_id(staff),
            action=action,
            object_type="support_thread",
            object_id=saved_id(thread),
            detail=detail[:1000],
        )
    )
    session.flush()


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


def _thread_for(session: Session, staff_id: int, thread_id: int) -> tuple[StaffUser, SupportThread]:
    staff = inbox_staff(session, staff_id)
    thread = session.get(SupportThread, thread_id) if thread_id else None
    if thread is None:
        raise SupportError("Cette conversation est introuvable.", "thread")
    return staff, thread


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
    from espace.claims.workflow import staff_names

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


def assign(*, session: Session, staff_id: int, thread_id: int, assignee_id: int) -> SupportThread:
    """A manager assigns the thread to any handler or manager; a handler only takes it for
    themself."""
    staff, thread = _thread_for(session, staff_id, thread_id)
    if staff.role == StaffRole.HANDLER and assignee_id != staff.id:
        raise StaffForbidden("Un gestionnaire ne peut prendre une conversation que pour lui-même.")
    assignee = session.get(StaffUser, assignee_id) if assignee_id else None
    if assignee is None or not assignee.is_active or assignee.role not in INBOX_ROLES:
        raise SupportError("Choisissez un gestionnaire.", "assignee")
    thread.assigned_staff_id = assignee.id
    session.add(thread)
    taken = assignee.id == staff.id
    _audit(
        session, staff, "take" if taken else "assign", thread, "" if taken else assignee.full_name
    )
    return thread


def take(*, session: Session, staff_id: int, thread_id: int) -> SupportThread:
    return assign(session=session, staff_id=staff_id, thread_id=thread_id, assignee_id=staff_id)


def staff_reply(
    *,
    session: Session,
    staff_id: int,
    thread_id: int,
    body: str,
    attachments: Sequence[tuple[bytes, str]] = (),
) -> SupportMessage:
    """An adviser answers: the holder's turn ("en attente de votre réponse"), told by notice and
    e-mail."""
    body = clean_body(body)
    staff, thread = _thread_for(session, staff_id, thread_id)
    if thread.status == T.RESOLVED:
        raise SupportError("Cette conversation est résolue : rouvrez-la avant de répondre.", "body")
    checked = _checked_files(attachments, _thread_files(session, saved_id(thread)))
    message = _post(
        session, thread, author=MessageAuthor.STAFF, body=body, staff_id=staff.id, checked=checked
    )
    thread.status, thread.reply_due_at, thread.staff_read_at = T.WAITING, None, message.created_at
    thread.first_reply_at = thread.first_reply_at or message.created_at
    thread.assigned_staff_id = thread.assigned_staff_id or staff.id
    session.add(thread)
    _audit(session, staff, "reply", thread)
    _notify_reply(session, thread, staff)
    return message


def _notify_reply(session: Session, thread: SupportThread, staff: StaffUser) -> None:
    link = thread_link(thread)
    notices.notify(
        session=session,
        holder_id=thread.holder_id,
        category=NotificationCategory.MESSAGES,
        title=f"Nouveau message : « {thread.subject} »",
        body=f"{staff.full_name} vous a répondu.",
        link=link,
        email_subject=f"Nouveau message au sujet de « {thread.subject} »",
        email_body=(
            f"Bonjour,\n\nUn nouveau message au sujet de « {thread.subject} » vous attend dans "
            "votre espace sécurisé. Pour votre confidentialité, il n'est pas copié dans cet "
            f"e-mail.\n\nLire le message : {outbox.link(link)}"
        ),
    )


def resolve(*, session: Session, staff_id: int, thread_id: int) -> SupportThread:
    staff, thread = _thread_for(session, staff_id, thread_id)
    if thread.status == T.RESOLVED:
        raise SupportError("Cette conversation est déjà résolue.", "action")
    _close(thread)
    session.add(thread)
    _audit(session, staff, "resolve", thread)
    _invite_rating(session, thread)
    return thread


def _invite_rating(session: Session, thread: SupportThread) -> None:
    link = thread_link(thread)
    notices.notify(
        session=session,
        holder_id=thread.holder_id,
        category=NotificationCategory.MESSAGES,
        title=f"Demande résolue : « {thread.subject} »",
        body="Notez la réponse reçue : votre avis nous aide.",
        link=link,
        email_subject=f"Votre demande « {thread.subject} » est résolue",
        email_body=(
            f"Bonjour,\n\nVotre demande « {thread.subject} » est résolue. Dites-nous en un clic "
            "si la réponse vous a aidé, et écrivez-nous à nouveau dans la même conversation si "
            f"besoin : {outbox.link(link)}"
        ),
    )


def reopen(*, session: Session, staff_id: int, thread_id: int) -> SupportThread:
    staff, thread = _thread_for(session, staff_id, thread_id)
    if thread.status != T.RESOLVED:
        raise SupportError("Seule une conversation résolue peut être rouverte.", "action")
    now = utcnow()
    thread.status, thread.resolved_at, thread.reply_due_at = (
        T.OPEN,
        None,
        reply_due(thread.category, now),
    )
    session.add(thread)
    _audit(session, staff, "reopen", thread)
    return thread


def mark_staff_read(*, session: Session, staff_id: int, thread_id: int) -> None:
    _staff, thread = _thread_for(session, staff_id, thread_id)
    thread.staff_read_at = utcnow()
    session.add(thread)


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
