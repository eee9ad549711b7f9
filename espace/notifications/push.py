"""Web Push (VAPID) to the browsers a holder subscribed. Off unless the deployment sets VAPID keys.

A push message says no more than the in-app notice: its title, its text and the portal page to
open. The push service (Google, Mozilla, Apple, Microsoft) only sees it encrypted."""

from __future__ import annotations

import base64
import binascii
import json
import logging
import re
from urllib.parse import urlsplit

from sqlmodel import Session, col, select

from espace.core.settings import get_settings
from espace.notifications.models import PushSubscription

log = logging.getLogger(__name__)

MAX_MESSAGE_BYTES = 3 * 1024
MAX_SUBSCRIPTIONS_PER_HOLDER = 10
TTL_SECONDS = 86400
SEND_TIMEOUT_SECONDS = 10
# The server POSTs to the endpoint a browser gives: only the browsers' push services are accepted,
# so that a subscription cannot make the server call an internal address.
PUSH_SERVICE_HOSTS = (
    "fcm.googleapis.com",  # Chrome, Edge on Android, Opera, Samsung Internet
    "android.googleapis.com",
    "updates.push.services.mozilla.com",  # Firefox
    "push.services.mozilla.com",
    "web.push.apple.com",  # Safari (macOS, iOS home-screen apps)
    "notify.windows.com",  # Edge on Windows (wns2-xxx.notify.windows.com)
)
_B64URL = re.compile(r"^[A-Za-z0-9_-]+={0,2}$")


class PushError(ValueError):
    """A subscription the browser sent is not usable; the message is shown to the holder."""


def configured() -> bool:
    settings = get_settings()
    return bool(settings.vapid_public_key and settings.vapid_private_key.get_secret_value())


def public_key() -> str:
    return get_settings().vapid_public_key if configured() else ""


# ---- subscriptions -----------------------------------------------------------------------------


def _b64url_key(value: object, *, size: int, prefix: bytes = b"") -> str:
    if not isinstance(value, str) or not value or len(value) > 200 or not _B64URL.match(value):
        raise PushError("Abonnement invalide : clé de chiffrement mal formée.")
    text = value.rstrip("=")
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as error:
        raise PushError("Abonnement invalide : clé de chiffrement mal formée.") from error
    if len(raw) != size or not raw.startswith(prefix):
        raise PushError("Abonnement invalide : clé de chiffrement de taille inattendue.")
    return text


def _endpoint(value: object) -> str:
    if (
        not isinstance(value, str)
        or not value
        or len(value) > 1000
        or any(c.isspace() for c in value)
    ):
        raise PushError(
            "Abonnement invalide : adresse du service de notification manquante ou trop longue."
        )
    parts = urlsplit(value)
    host = (parts.hostname or "").lower()
    if (
        parts.scheme != "https"
        or not host
        or parts.username
        or parts.password
        or parts.port not in (None, 443)
    ):
        raise PushError("Abonnement invalide : le service de notification doit être en HTTPS.")
    if not any(host == known or host.endswith("." + known) for known in PUSH_SERVICE_HOSTS):
        raise PushError("Ce service de notification n'est pas pris en charge.")
    return value


def validate(subscription: object) -> tuple[str, str, str]:
    """The browser's ``PushSubscription.toJSON()`` → (endpoint, p256dh, auth), or PushError."""
    if not isinstance(subscription, dict):
        raise PushError("Abonnement invalide.")
    keys = subscription.get("keys")
    if not isinstance(keys, dict):
        raise PushError("Abonnement invalide : clés de chiffrement manquantes.")
    endpoint = _endpoint(subscription.get("endpoint"))
    p256dh = _b64url_key(keys.get("p256dh"), size=65, prefix=b"\x04")  # an uncompressed P-256 point
    auth = _b64url_key(keys.get("auth"), size=16)
    return endpoint, p256dh, auth


def subscribe(
    *, session: Session, holder_id: int, subscription: dict, user_agent: str = ""
) -> PushSubscription:
    """Record (or refresh) a browser's subscription. An endpoint known for another holder moves to
    this one: the device is shared, and only its latest signed-in holder should get the notices."""
    endpoint, p256dh, auth = validate(subscription)
    row = session.exec(
        select(PushSubscription).where(PushSubscription.endpoint == endpoint)
    ).first()
    if row is None:
        row = PushSubscription(holder_id=holder_id, endpoint=endpoint, p256dh=p256dh, auth=auth)
    row.holder_id, row.p256dh, row.auth = holder_id, p256dh, auth
    row.user_agent, row.last_error = (user_agent or "")[:400], ""
    session.add(row)
    session.flush()
    _trim(session, holder_id)
    return row


def _trim(session: Session, holder_id: int) -> None:
    """Keep the holder's most recent subscriptions only (old browsers rarely unsubscribe)."""
    rows = list_for(session=session, holder_id=holder_id)
    for stale in rows[MAX_SUBSCRIPTIONS_PER_HOLDER:]:
        session.delete(stale)
    if len(rows) > MAX_SUBSCRIPTIONS_PER_HOLDER:
        session.flush()


def unsubscribe(*, session: Session, holder_id: int, endpoint: str) -> bool:
    row = session.exec(
        select(PushSubscription).where(
            PushSubscription.endpoint == endpoint, PushSubscription.holder_id == holder_id
        )
    ).first()
    if row is None:
        return False
    session.delete(row)
    session.flush()
    return True


def list_for(*, session: Session, holder_id: int) -> list[PushSubscription]:
    return list(
        session.exec(
            select(PushSubscription)
            .where(PushSubscription.holder_id == holder_id)
            .order_by(col(PushSubscription.created_at).desc(), col(PushSubscription.id).desc())
        ).all()
    )


# ---- messages ------------------------------------------------------------------------------------


def _safe_link(link: str) -> str:
    """Only a page of the portal: an absolute path, never another site."""
    link = (link or "").strip()
    if not link.startswith("/") or link.startswith("//") or "\\" in link or len(link) > 200:
        return "/"
    return link


def _encode(payload: dict) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def build_message(title: str, body: str, link: str) -> bytes:
    """The JSON the service worker shows: {"title", "body", "url", "tag"}, at most 3 KB."""
    url = _safe_link(link)
    payload = {
        "title": (title or "Espace")[:200],
        "body": (body or "")[:1000],
        "url": url,
        "tag": f"espace:{url}"[:120],
    }
    data = _encode(payload)
    while len(data) > MAX_MESSAGE_BYTES:
        field = "body" if payload["body"] else "title"  # shorten the text first, the title last
        excess = len(data) - MAX_MESSAGE_BYTES  # every character takes at least one byte
        text = payload[field].removesuffix("…")
        payload[field] = text[: len(text) - excess - 3] + "…" if len(text) > excess + 3 else ""
        data = _encode(payload)
    return data


def send_to_holder(
    *, session: Session, holder_id: int, title: str, body: str = "", link: str = ""
) -> int:
    """Push to each of the holder's browsers; returns how many accepted. Never raises: a gone
    subscription (404/410) is deleted, another failure is noted on the subscription."""
    if not configured():
        return 0
    import pywebpush

    settings = get_settings()
    data = build_message(title, body, link)
    delivered = 0
    for row in list_for(session=session, holder_id=holder_id):
        info = {"endpoint": row.endpoint, "keys": {"p256dh": row.p256dh, "auth": row.auth}}
        try:
            pywebpush.webpush(
                info,
                data,
                settings.vapid_private_key.get_secret_value(),
                vapid_claims={"sub": settings.vapid_subject},
                ttl=TTL_SECONDS,
                timeout=SEND_TIMEOUT_SECONDS,
            )
        except Exception as error:  # noqa: BLE001 - a push failure never stops the notice
            status = (
                getattr(error, "status_code", None)
                if isinstance(error, pywebpush.WebPushException)
                else None
            )
            if status in (404, 410):
                session.delete(row)
                continue
            log.warning("web push to subscription %s failed: %s", row.id, error)
            row.last_error = (f"{status} " if status else "") + str(
                getattr(error, "message", error)
            )
            row.last_error = row.last_error[:300]
            session.add(row)
            continue
        delivered += 1
        if row.last_error:
            row.last_error = ""
            session.add(row)
    session.flush()
    return delivered
