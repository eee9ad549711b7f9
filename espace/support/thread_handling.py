"""Secure messaging: what advisers do with a thread (assign, take, answer, resolve, reopen, mark
read), each action written to the staff audit log and the holder told by notice and e-mail.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session

from espace.claims.models import StaffAuditLog
from espace.core.models import saved_id, utcnow
from espace.identity.models import StaffRole, StaffUser
from espace.identity.staff_access import StaffForbidden
from espace.notifications import messages, notices, outbox
from espace.notifications.models import NotificationCategory
from espace.support.models import MessageAuthor, SupportMessage, SupportThread
from espace.support.thread_inbox import inbox_staff
from espace.support.thread_rules import INBOX_ROLES, SupportError, T, clean_body, reply_due
from espace.support.thread_views import thread_link
from espace.support.threads import _checked_files, _close, _post, _thread_files


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


def _thread_for(session: Session, staff_id: int, thread_id: int) -> tuple[StaffUser, SupportThread]:
    staff = inbox_staff(session, staff_id)
    thread = session.get(SupportThread, thread_id) if thread_id else None
    if thread is None:
        raise SupportError("Cette conversation est introuvable.", "thread")
    return staff, thread


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
    email = messages.email("thread_reply", subject=thread.subject, link=outbox.link(link))
    notices.notify(
        session=session,
        holder_id=thread.holder_id,
        category=NotificationCategory.MESSAGES,
        title=f"Nouveau message : « {thread.subject} »",
        body=f"{staff.full_name} vous a répondu.",
        link=link,
        email_subject=email.subject,
        email_body=email.body,
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
    email = messages.email("thread_resolved", subject=thread.subject, link=outbox.link(link))
    notices.notify(
        session=session,
        holder_id=thread.holder_id,
        category=NotificationCategory.MESSAGES,
        title=f"Demande résolue : « {thread.subject} »",
        body="Notez la réponse reçue : votre avis nous aide.",
        link=link,
        email_subject=email.subject,
        email_body=email.body,
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
