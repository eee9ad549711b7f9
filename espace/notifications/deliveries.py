"""Delivery of the outbox (e-mails, SMS, push) by the worker.

A message is a row of ``outbox_message`` written in the transaction of the change it announces
(``outbox.send_email`` and co.); after the commit a job ``deliver_message(id)`` is queued (on the
queue of ``espace.core.jobs``). The job claims the row with a conditional update (queued or retry ->
sending), so a second job for the same message, or a second worker, does nothing; it sends, then
marks the row sent. A failure is tried again later (``delivery_retry_seconds``, doubled at each
try); after ``delivery_attempts`` tries the row is failed, listed for the managers, who may send it
again (audited: ``espace.identity.failed_deliveries``). A worker killed mid-send leaves the row
'sending': ``sweep`` gives it back to the queue once stale.

SMTP is at-least-once: if a worker dies after the server accepted a message but before the row is
marked sent, the message goes again, with the same Message-ID (mail systems may drop the copy).
In production the body of a sent message is cleared: codes and links do not stay in the database.

The worker imports this module at start (``jobs.TASK_MODULES``) for its tasks."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from huey import crontab
from huey.exceptions import RetryTask
from huey.signals import SIGNAL_INTERRUPTED
from sqlalchemy import update
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session, col, func, select

from espace.core import jobs
from espace.core.models import utcnow
from espace.core.settings import Settings, get_settings
from espace.notifications import outbox, push
from espace.notifications.models import OutboxMessage, PushSubscription

log = logging.getLogger(__name__)

CLAIMABLE = ("queued", "retry")
SENT_BODY = "[contenu supprimé après envoi]"
SWEEP_BATCH = 1000
CHANNEL_LABELS = {"email": "E-mail", "sms": "SMS", "push": "Notification push"}


class DeliveryError(RuntimeError):
    """A sender could not deliver (the worker tries again later)."""


@dataclass(frozen=True)
class Outcome:
    status: str  # sent | outbox | cancelled | retry | failed | skipped
    retry_in: float | None = None  # seconds before the next try (status retry)


# ----- one delivery -------------------------------------------------------------------------------


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
        return outbox.SmtpSender() if settings.smtp_host else None
    if message.channel == "sms":
        return outbox.sms_sender()
    if message.channel == "push":
        return PushSender(bind) if push.configured() else None
    return None


def _erased(message: OutboxMessage) -> bool:
    """Its recipient was erased (GDPR) before it left: it must not go (``.invalid`` never
    resolves)."""
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
    """Claim, send and mark one message. Safe to call twice, from two workers, or for a message
    gone."""
    from espace.core.db import get_engine

    bind = bind if bind is not None else get_engine()
    settings, now = get_settings(), now or utcnow()
    with Session(bind, expire_on_commit=False) as db:
        claimed = db.exec(
            update(OutboxMessage)
            .where(col(OutboxMessage.id) == message_id, col(OutboxMessage.status).in_(CLAIMABLE))
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
    assert message is not None  # claimed by the update above, in the same transaction
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
    from espace.core.db import get_engine

    return _update(
        bind if bind is not None else get_engine(),
        [OutboxMessage.id == message_id, OutboxMessage.status == "sending"],
        {"status": "queued", "due_at": utcnow()},
    )


def sweep(*, bind: Engine | Connection | None = None, now: datetime | None = None) -> list[int]:
    """Messages to queue again: claimed by a worker that died ('sending' for too long, given back to
    'queued'), or queued/retrying long past their due time (the job was lost). Each is stamped, so
    it is queued again at most once per ``delivery_stale_seconds``."""
    from espace.core.db import get_engine

    bind = bind if bind is not None else get_engine()
    now = now or utcnow()
    cutoff = now - timedelta(seconds=get_settings().delivery_stale_seconds)
    with Session(bind) as db:
        stuck = db.exec(
            select(OutboxMessage.id)
            .where(OutboxMessage.status == "sending", col(OutboxMessage.claimed_at) < cutoff)
            .limit(SWEEP_BATCH)
        ).all()
        lost = db.exec(
            select(OutboxMessage.id)
            .where(col(OutboxMessage.status).in_(CLAIMABLE), col(OutboxMessage.due_at) < cutoff)
            .limit(SWEEP_BATCH)
        ).all()
    ids = [
        i
        for i in stuck
        if i is not None
        and _update(
            bind,
            [
                OutboxMessage.id == i,
                OutboxMessage.status == "sending",
                col(OutboxMessage.claimed_at) < cutoff,
            ],
            {"status": "queued", "due_at": now},
        )
    ]
    ids += [
        i
        for i in lost
        if i is not None
        and _update(
            bind,
            [
                OutboxMessage.id == i,
                col(OutboxMessage.status).in_(CLAIMABLE),
                col(OutboxMessage.due_at) < cutoff,
            ],
            {"due_at": now},
        )
    ]
    return ids


# ----- the jobs (run by the worker) ---------------------------------------------------------------


@jobs.huey.task()
def deliver_message(message_id: int) -> None:
    """Send one outbox message (claimed first: a second run does nothing); retried with backoff."""
    outcome = deliver(message_id=message_id)
    if outcome.retry_in is not None:
        raise RetryTask(delay=outcome.retry_in)


@jobs.at_worker_start
def requeue_stale(*, now: datetime | None = None) -> int:
    """Queue again the messages a dead worker left claimed, or whose job was lost; how many."""
    ids = sweep(now=now)
    for message_id in ids:
        jobs.huey.enqueue(deliver_message.s(message_id))
    if ids:
        log.warning("re-queued %d outbox message(s) left behind", len(ids))
    return len(ids)


@jobs.huey.signal(SIGNAL_INTERRUPTED)
def _interrupted(_signal, task, *_args) -> None:
    """The worker stopped at once in the middle of a delivery: give the message back to the
    queue."""
    if isinstance(task, deliver_message.task_class) and task.args:
        if release(message_id=task.args[0]):
            jobs.huey.enqueue(deliver_message.s(task.args[0]))


@jobs.huey.periodic_task(crontab(minute="*"))
def sweep_outbox() -> None:
    # No lock needed: two sweepers at once only re-queue a message twice, and its claim sends it
    # once.
    requeue_stale()


# ----- for the metrics ----------------------------------------------------------------------------


def failed_count(*, session: Session) -> dict[str, int]:
    """How many messages are failed now, per channel (for metrics)."""
    rows = session.exec(
        select(OutboxMessage.channel, func.count())
        .where(OutboxMessage.status == "failed")
        .group_by(OutboxMessage.channel)
    ).all()
    return {channel: count for channel, count in rows}
