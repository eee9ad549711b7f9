"""Delivery of the outbox (e-mails, SMS, push) by the worker, and the failed deliveries managers see.

A message is a row of ``outbox_message`` written in the transaction of the change it announces
(``messaging.send_email`` and co.); after the commit a job ``deliver_message(id)`` is queued
(``espace.core.jobs``). The job claims the row with a conditional update (queued or retry -> sending),
so a second job for the same message, or a second worker, does nothing; it sends, then marks the row
sent. A failure is tried again later (``delivery_retry_seconds``, doubled at each try); after
``delivery_attempts`` tries the row is failed, listed for the managers, who may send it again (audited).
A worker killed mid-send leaves the row 'sending': ``sweep`` gives it back to the queue once stale.

SMTP is at-least-once: if a worker dies after the server accepted a message but before the row is
marked sent, the message goes again, with the same Message-ID (mail systems may drop the copy).
In production the body of a sent message is cleared: codes and links do not stay in the database."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session, func, select

from espace.core import jobs
from espace.models import OutboxMessage, PushSubscription, StaffAuditLog, StaffRole, StaffUser
from espace.models.base import utcnow
from espace.services import messaging, push
from espace.services.staff_access import StaffForbidden
from espace.settings import Settings, get_settings

log = logging.getLogger(__name__)

CLAIMABLE = ("queued", "retry")
SENT_BODY = "[contenu supprimé après envoi]"
SWEEP_BATCH = 1000
CHANNEL_LABELS = {"email": "E-mail", "sms": "SMS", "push": "Notification push"}


class DeliveryError(RuntimeError):
    """A sender could not deliver (the worker tries again later)."""


class NotResendable(ValueError):
    """The message is not (or no longer) a failed delivery."""


@dataclass(frozen=True)
class Outcome:
    status: str  # sent | outbox | cancelled | retry | failed | skipped
    retry_in: float | None = None  # seconds before the next try (status retry)


# ----- one delivery ----------------------------------------------------------------------------------


class PushSender:
    """Sends a push row to the holder's browsers; fails (to be retried) only if none accepted it."""

    def __init__(self, bind: Engine | Connection) -> None:
        self.bind = bind

    def send(self, message: OutboxMessage, settings: Settings) -> None:
        holder_id = int(message.recipient.removeprefix("holder:"))
        with Session(self.bind, expire_on_commit=False) as db:
            delivered = push.send_to_holder(
                session=db, holder_id=holder_id, title=message.subject, body="", link=message.body
            )
            errors = db.exec(
                select(PushSubscription.last_error).where(
                    PushSubscription.holder_id == holder_id, PushSubscription.last_error != ""
                )
            ).all()
            db.commit()
        if delivered == 0 and errors:
            raise DeliveryError(f"aucun navigateur n'a accepté la notification ({errors[0]})")


def _sender(message: OutboxMessage, settings: Settings, bind: Engine | Connection):
    if message.channel == "email":
        return messaging.SmtpSender() if settings.smtp_host else None
    if message.channel == "sms":
        return messaging.sms_sender()
    if message.channel == "push":
        return PushSender(bind) if push.configured() else None
    return None


def _erased(message: OutboxMessage) -> bool:
    """Its recipient was erased (GDPR) before it left: it must not go (``.invalid`` never resolves)."""
    return not message.recipient or message.recipient.endswith(".invalid")


def _update(bind: Engine | Connection, where: list, values: dict) -> bool:
    with Session(bind) as db:
        result = db.exec(
            update(OutboxMessage)
            .where(*where)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        db.commit()
        return result.rowcount == 1


def retry_delay(attempts: int, settings: Settings | None = None) -> float:
    """Seconds before the next try after ``attempts`` tries: the first delay, doubled each time."""
    settings = settings or get_settings()
    return float(settings.delivery_retry_seconds * 2 ** max(attempts - 1, 0))


def deliver(
    *, message_id: int, bind: Engine | Connection | None = None, now: datetime | None = None
) -> Outcome:
    """Claim, send and mark one message. Safe to call twice, from two workers, or for a message gone."""
    from espace.db import get_engine

    bind = bind if bind is not None else get_engine()
    settings, now = get_settings(), now or utcnow()
    with Session(bind, expire_on_commit=False) as db:
        claimed = db.exec(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id, OutboxMessage.status.in_(CLAIMABLE))
            .values(
                status="sending",
                attempts=OutboxMessage.attempts + 1,
                claimed_at=now,
                due_at=None,
            )
            .execution_options(synchronize_session=False)
        )
        if claimed.rowcount != 1:
            db.rollback()
            return Outcome("skipped")  # sent, being sent by another worker, or gone
        message = db.get(OutboxMessage, message_id)
        db.commit()
    mine = [
        OutboxMessage.id == message_id,
        OutboxMessage.status == "sending",
        OutboxMessage.attempts == message.attempts,
    ]
    if _erased(message):
        _update(bind, mine, {"status": "cancelled", "error": ""})
        return Outcome("cancelled")
    sender = _sender(message, settings, bind)
    if sender is None:  # development: the outbox is the delivery (/dev/boite-mail)
        _update(bind, mine, {"status": "outbox"})
        return Outcome("outbox")
    try:
        sender.send(message, settings)
    except Exception as error:  # noqa: BLE001 - recorded on the row and tried again
        text = f"{type(error).__name__}: {error}"[:500]
        if message.attempts >= settings.delivery_attempts:
            log.warning("message %s failed after %s tries: %s", message_id, message.attempts, text)
            _update(bind, mine, {"status": "failed", "error": text})
            return Outcome("failed")
        delay = retry_delay(message.attempts, settings)
        log.info(
            "message %s: try %s failed (%s), next in %ss", message_id, message.attempts, text, delay
        )
        _update(
            bind,
            mine,
            {"status": "retry", "error": text, "due_at": now + timedelta(seconds=delay)},
        )
        return Outcome("retry", delay)
    values = {"status": "sent", "sent_at": utcnow(), "error": ""}
    if settings.env == "prod":
        values["body"] = SENT_BODY  # codes and links do not stay in the database
    if not _update(bind, mine, values):
        log.warning("message %s was sent but taken back meanwhile (stale claim)", message_id)
    return Outcome("sent")


def release(*, message_id: int, bind: Engine | Connection | None = None) -> bool:
    """A worker stopped in the middle of a send: the message goes back to the queue."""
    from espace.db import get_engine

    return _update(
        bind if bind is not None else get_engine(),
        [OutboxMessage.id == message_id, OutboxMessage.status == "sending"],
        {"status": "queued", "due_at": utcnow()},
    )


def sweep(*, bind: Engine | Connection | None = None, now: datetime | None = None) -> list[int]:
    """Messages to queue again: claimed by a worker that died ('sending' for too long, given back to
    'queued'), or queued/retrying long past their due time (the job was lost). Each is stamped, so it
    is queued again at most once per ``delivery_stale_seconds``."""
    from espace.db import get_engine

    bind = bind if bind is not None else get_engine()
    now = now or utcnow()
    cutoff = now - timedelta(seconds=get_settings().delivery_stale_seconds)
    with Session(bind) as db:
        stuck = db.exec(
            select(OutboxMessage.id)
            .where(OutboxMessage.status == "sending", OutboxMessage.claimed_at < cutoff)
            .limit(SWEEP_BATCH)
        ).all()
        lost = db.exec(
            select(OutboxMessage.id)
            .where(OutboxMessage.status.in_(CLAIMABLE), OutboxMessage.due_at < cutoff)
            .limit(SWEEP_BATCH)
        ).all()
    ids = [
        i
        for i in stuck
        if _update(
            bind,
            [
                OutboxMessage.id == i,
                OutboxMessage.status == "sending",
                OutboxMessage.claimed_at < cutoff,
            ],
            {"status": "queued", "due_at": now},
        )
    ]
    ids += [
        i
        for i in lost
        if _update(
            bind,
            [
                OutboxMessage.id == i,
                OutboxMessage.status.in_(CLAIMABLE),
                OutboxMessage.due_at < cutoff,
            ],
            {"due_at": now},
        )
    ]
    return ids


# ----- failed deliveries, for the managers ----------------------------------------------------------


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
    """The messages that could not be delivered, newest first (never their content: codes, links)."""
    _manager(session, staff_id)
    rows = session.exec(
        select(OutboxMessage)
        .where(OutboxMessage.status == "failed")
        .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
        .limit(limit)
    ).all()
    return [
        FailedRow(
            m.id,
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


def failed_count(*, session: Session) -> dict[str, int]:
    """How many messages are failed now, per channel (for metrics)."""
    rows = session.exec(
        select(OutboxMessage.channel, func.count())
        .where(OutboxMessage.status == "failed")
        .group_by(OutboxMessage.channel)
    ).all()
    return {channel: count for channel, count in rows}


def resend(*, session: Session, staff_id: int, message_id: int) -> OutboxMessage:
    """A manager sends a failed message again: back to the queue with fresh tries; audited."""
    staff = _manager(session, staff_id)
    taken = session.exec(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.status == "failed")
        .values(status="queued", attempts=0, error="", due_at=utcnow(), claimed_at=None)
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount != 1:
        raise NotResendable("Ce message n'est plus en échec : il a peut-être déjà été renvoyé.")
    message = session.get(OutboxMessage, message_id)
    session.refresh(message)
    label = CHANNEL_LABELS.get(message.channel, message.channel)
    session.add(
        StaffAuditLog(
            staff_id=staff.id,
            action="resend_message",
            object_type="outbox_message",
            object_id=message.id,
            detail=f"{label} à {message.recipient} : {message.subject}"[:1000],
        )
    )
    session.flush()
    jobs.enqueue_after_commit(session, jobs.deliver_message, message.id)
    return message
