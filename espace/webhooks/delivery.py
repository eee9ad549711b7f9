"""Signed delivery of webhook events by the worker, with retries, a log of attempts and replay.

Signature: the Standard Webhooks scheme (https://www.standardwebhooks.com, library
``standardwebhooks``): headers ``webhook-id`` (the event's id, the same on every retry and replay:
receivers drop duplicates with it), ``webhook-timestamp`` (Unix seconds of this try) and
``webhook-signature: v1,<base64 HMAC-SHA256(key, "{id}.{timestamp}.{body}")>`` where the key is the
endpoint secret ``whsec_<base64>`` decoded. ``docs/integration-guide.md`` has a receiver's check.

A delivery is claimed with a conditional update (pending/retry -> sending), so a second job or a
second worker does nothing; the try is recorded (``WebhookAttempt``); a 2xx marks it delivered,
anything else is retried after ``webhook_retry_seconds`` doubled at each try, and after
``webhook_attempts`` tries it is failed (listed, replayable). A worker killed mid-try leaves it
'sending': ``requeue_stale`` queues it again at the worker's next start.

The worker imports this module at start (``jobs.TASK_MODULES``)."""

from __future__ import annotations

import base64
import json
import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlparse

from huey.exceptions import RetryTask
from sqlalchemy import update
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session, col, select
from standardwebhooks import Webhook

from espace.core import crypto, jobs
from espace.core.models import utcnow
from espace.core.settings import get_settings
from espace.webhooks.events import EVENT_TYPES
from espace.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEvent

log = logging.getLogger(__name__)

CLAIMABLE = ("pending", "retry")
SECRET_PURPOSE = b"webhook-secret"
STALE = timedelta(minutes=10)


class EndpointError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


# ----- endpoints ----------------------------------------------------------------------------------


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


def _check(url: str, event_types: list[str]) -> None:
    parsed = urlparse(url or "")
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise EndpointError("url", "L'adresse doit être une URL http(s) complète.")
    if get_settings().env == "prod" and parsed.scheme != "https":
        raise EndpointError("url", "En production, l'adresse doit être en https.")
    if not event_types:
        raise EndpointError("event_types", "Choisissez au moins un type d'événement.")
    unknown = [t for t in event_types if t != "*" and t not in EVENT_TYPES]
    if unknown:
        raise EndpointError("event_types", f"Types d'événement inconnus : {', '.join(unknown)}.")


def create_endpoint(
    *, session: Session, url: str, event_types: list[str], description: str = ""
) -> tuple[WebhookEndpoint, str]:
    """Register an endpoint; returns it with its signing secret (shown once)."""
    _check(url, event_types)
    secret = new_secret()
    endpoint = WebhookEndpoint(
        url=url,
        event_types=sorted(set(event_types)),
        description=(description or "")[:200],
        secret_encrypted=crypto.encrypt(secret, purpose=SECRET_PURPOSE),
    )
    session.add(endpoint)
    session.flush()
    return endpoint, secret


def update_endpoint(
    *,
    session: Session,
    endpoint_id: int,
    url: str | None = None,
    event_types: list[str] | None = None,
    is_active: bool | None = None,
) -> WebhookEndpoint:
    endpoint = session.get(WebhookEndpoint, endpoint_id)
    if endpoint is None:
        raise LookupError("endpoint")
    new_url = endpoint.url if url is None else url
    new_types = endpoint.event_types if event_types is None else event_types
    _check(new_url, new_types)
    endpoint.url, endpoint.event_types = new_url, sorted(set(new_types))
    if is_active is not None:
        endpoint.is_active = is_active
        endpoint.disabled_at = None if is_active else utcnow()
    session.add(endpoint)
    session.flush()
    return endpoint


def rotate_secret(*, session: Session, endpoint_id: int) -> tuple[WebhookEndpoint, str]:
    endpoint = session.get(WebhookEndpoint, endpoint_id)
    if endpoint is None:
        raise LookupError("endpoint")
    secret = new_secret()
    endpoint.secret_encrypted = crypto.encrypt(secret, purpose=SECRET_PURPOSE)
    session.add(endpoint)
    session.flush()
    return endpoint, secret


def endpoint_secret(endpoint: WebhookEndpoint) -> str:
    return crypto.decrypt(endpoint.secret_encrypted, purpose=SECRET_PURPOSE)


# ----- one delivery -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Response:
    status_code: int
    text: str = ""


Post = Callable[[str, bytes, dict[str, str], float], Response]


def http_post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> Response:
    import httpx

    reply = httpx.post(url, content=body, headers=headers, timeout=timeout, follow_redirects=False)
    return Response(reply.status_code, reply.text[:300])


def body_of(event: WebhookEvent) -> bytes:
    """What is sent and signed: the event as JSON (compact, keys sorted)."""
    document = {
        "id": event.event_uid,
        "type": event.type,
        "created_at": event.created_at.isoformat(),
        "data": event.payload,
    }
    return json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def signed_headers(secret: str, event_uid: str, body: bytes, at: datetime) -> dict[str, str]:
    signature = Webhook(secret).sign(event_uid, at, body.decode())
    return {
        "content-type": "application/json",
        "user-agent": "Espace-Webhooks/1",
        "webhook-id": event_uid,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": signature,
    }


def retry_delay(attempts: int) -> float:
    return float(get_settings().webhook_retry_seconds * 2 ** max(attempts - 1, 0))


@dataclass(frozen=True)
class Outcome:
    status: str  # delivered | retry | failed | skipped
    retry_in: float | None = None


def _bind(bind):
    from espace.core.db import get_engine

    return bind if bind is not None else get_engine()


def deliver(
    *,
    delivery_id: int,
    bind: Engine | Connection | None = None,
    now: datetime | None = None,
    post: Post | None = None,
) -> Outcome:
    """Claim, send, record one delivery. Safe to run twice, from two workers, or for a row gone."""
    bind, now, post = _bind(bind), now or utcnow(), post or http_post
    settings = get_settings()
    with Session(bind, expire_on_commit=False) as db:
        claimed = db.exec(
            update(WebhookDelivery)
            .where(
                col(WebhookDelivery.id) == delivery_id, col(WebhookDelivery.status).in_(CLAIMABLE)
            )
            .values(status="sending", attempts=WebhookDelivery.attempts + 1, claimed_at=now)
            .execution_options(synchronize_session=False)
        )
        if claimed.rowcount != 1:
            db.rollback()
            return Outcome("skipped")
        row = db.get(WebhookDelivery, delivery_id)
        assert row is not None  # claimed by the update above, in the same transaction
        event = db.get(WebhookEvent, row.event_id)
        endpoint = db.get(WebhookEndpoint, row.endpoint_id)
        db.commit()
    assert event is not None and endpoint is not None  # foreign keys of the delivery
    body = body_of(event)
    started = time.monotonic()
    status_code, error, excerpt = None, "", ""
    if not endpoint.is_active:
        error = "point de réception désactivé"
    else:
        try:
            headers = signed_headers(endpoint_secret(endpoint), event.event_uid, body, now)
            reply = post(endpoint.url, body, headers, settings.webhook_timeout_seconds)
            status_code, excerpt = reply.status_code, reply.text
            if not 200 <= reply.status_code < 300:
                error = f"HTTP {reply.status_code}"
        except Exception as exc:  # noqa: BLE001 - recorded on the attempt and retried
            error = f"{type(exc).__name__}: {exc}"[:300]
    duration = int((time.monotonic() - started) * 1000)
    with Session(bind) as db:
        db.add(
            WebhookAttempt(
                delivery_id=delivery_id,
                number=row.attempts,
                at=now,
                status_code=status_code,
                error=error,
                duration_ms=duration,
                response_excerpt=excerpt[:300],
            )
        )
        if not error:
            values, outcome = {"status": "delivered", "delivered_at": now}, Outcome("delivered")
        elif row.attempts >= settings.webhook_attempts or not endpoint.is_active:
            values, outcome = {"status": "failed"}, Outcome("failed")
        else:
            delay = retry_delay(row.attempts)
            values = {"status": "retry", "next_attempt_at": now + timedelta(seconds=delay)}
            outcome = Outcome("retry", delay)
        db.exec(
            update(WebhookDelivery)
            .where(col(WebhookDelivery.id) == delivery_id, col(WebhookDelivery.status) == "sending")
            .values(last_status_code=status_code, last_error=error, **values)
            .execution_options(synchronize_session=False)
        )
        db.commit()
    return outcome


def replay(*, session: Session, delivery_id: int, now: datetime | None = None) -> WebhookDelivery:
    """Send a delivery again (failed, or delivered and lost by the receiver): same webhook-id."""
    row = session.get(WebhookDelivery, delivery_id)
    if row is None:
        raise LookupError("delivery")
    if row.status == "sending":
        raise EndpointError("delivery", "Cet envoi est en cours.")
    row.status, row.next_attempt_at = "pending", now or utcnow()
    session.add(row)
    session.flush()
    jobs.enqueue_after_commit(session, deliver_webhook, row.id)
    return row


def attempts(*, session: Session, delivery_id: int) -> list[WebhookAttempt]:
    return list(
        session.exec(
            select(WebhookAttempt)
            .where(WebhookAttempt.delivery_id == delivery_id)
            .order_by(col(WebhookAttempt.number))
        ).all()
    )


def sweep(*, bind: Engine | Connection | None = None, now: datetime | None = None) -> list[int]:
    """Deliveries to queue again: 'sending' too long (a dead worker), or due long ago (lost job)."""
    bind, now = _bind(bind), now or utcnow()
    cutoff = now - STALE
    with Session(bind) as db:
        db.exec(
            update(WebhookDelivery)
            .where(
                col(WebhookDelivery.status) == "sending", col(WebhookDelivery.claimed_at) < cutoff
            )
            .values(status="retry", next_attempt_at=now)
            .execution_options(synchronize_session=False)
        )
        ids = db.exec(
            select(WebhookDelivery.id).where(
                col(WebhookDelivery.status).in_(CLAIMABLE),
                col(WebhookDelivery.next_attempt_at) < cutoff,
            )
        ).all()
        db.commit()
    return [i for i in ids if i is not None]  # primary keys: never None


# ----- the jobs -----------------------------------------------------------------------------------


@jobs.huey.task()
def deliver_webhook(delivery_id: int) -> None:
    """One try of a delivery; retried with backoff by the queue."""
    outcome = deliver(delivery_id=delivery_id)
    if outcome.retry_in is not None:
        raise RetryTask(delay=outcome.retry_in)


@jobs.at_worker_start
def requeue_stale(*, now: datetime | None = None) -> int:
    ids = sweep(now=now)
    for delivery_id in ids:
        jobs.huey.enqueue(deliver_webhook.s(delivery_id))
    if ids:
        log.warning("re-queued %d webhook delivery(ies) left behind", len(ids))
    return len(ids)
