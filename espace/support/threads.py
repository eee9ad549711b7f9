"""Secure messaging between holders and the insurer's advisers (and the assistant's escalations).

A thread is ``open`` while the insurer owes an answer (``reply_due_at`` is the response-time
target), ``waiting`` once an adviser answered (the holder's turn), ``resolved`` when closed by
either side; the holder writing again reopens it. Holder functions check ownership in the query
itself, so "not yours" and "does not exist" look the same; staff functions check the role
(handlers and managers; experts have no inbox) and write each action to the staff audit log.

E-mails never copy what an adviser wrote: they say a message is waiting in the secure space.

This module posts messages (with their files) and holds what the holder does; the rules and labels
are in ``thread_rules``, what the holder reads in ``thread_views``, the advisers' inbox in
``thread_inbox`` and what they do with a thread in ``thread_handling``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from espace.claims import uploads
from espace.claims.models import Claim
from espace.contracts.models import Contract
from espace.core.models import saved_id, utcnow
from espace.documents import private_files
from espace.support.models import MessageAuthor, SupportAttachment, SupportMessage, SupportThread
from espace.support.thread_rules import (
    BODY_MAX,
    MAX_FILES_PER_MESSAGE,
    MAX_FILES_PER_THREAD,
    MAX_TRANSCRIPT_MESSAGES,
    ORIGINS,
    RATING_COMMENT_MAX,
    SupportError,
    T,
    clean_body,
    clean_category,
    clean_subject,
    reply_due,
)
from espace.webhooks.events import emit

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
