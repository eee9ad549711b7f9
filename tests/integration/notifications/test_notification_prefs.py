"""Notification preferences: channels per category, "critical only", security always on,
SMS and Web Push delivery, push subscriptions and their browser-facing routes."""

from __future__ import annotations

import base64
import json
import os

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from pydantic import SecretStr
from sqlmodel import delete, select
from starlette.applications import Starlette
from starlette.testclient import TestClient

from espace.api import push_routes
from espace.core.db import session_scope
from espace.core.settings import get_settings
from espace.identity import sessions
from espace.notifications import notices, push
from espace.notifications import preferences as prefs
from espace.notifications.models import Notification, OutboxMessage, PushSubscription
from espace.notifications.models import NotificationCategory as C
from tests import factories

ENDPOINT = "https://updates.push.services.mozilla.com/wpush/v2/gAAAAABtest"
COOKIE = "espace_session"


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _browser_keys() -> tuple[ec.EllipticCurvePrivateKey, bytes]:
    private = ec.generate_private_key(ec.SECP256R1())
    return private, os.urandom(16)


def _subscription(endpoint: str = ENDPOINT, keys=None) -> dict:
    private, auth = keys or _browser_keys()
    point = private.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return {
        "endpoint": endpoint,
        "expirationTime": None,
        "keys": {"p256dh": _b64(point), "auth": _b64(auth)},
    }


def _outbox(db, person, channel="email"):
    account = factories.account_of(db, person)
    return db.exec(
        select(OutboxMessage).where(
            OutboxMessage.account_id == account.id, OutboxMessage.channel == channel
        )
    ).all()


def _deliver_pushes(db, person) -> list[str]:
    """What the worker does after the commit: deliver the holder's queued push rows (same
    connection)."""
    from espace.notifications import deliveries

    rows = db.exec(
        select(OutboxMessage).where(
            OutboxMessage.recipient == f"holder:{person.id}",
            OutboxMessage.channel == "push",
            OutboxMessage.status.in_(("queued", "retry")),
        )
    ).all()
    outcomes = [deliveries.deliver(message_id=row.id, bind=db.connection()).status for row in rows]
    db.expire_all()
    return outcomes


def _notices(db, person):
    return db.exec(select(Notification).where(Notification.holder_id == person.id)).all()


def _notify(db, person, category=C.CLAIMS, **extra):
    return notices.notify(
        session=db,
        holder_id=person.id,
        category=category,
        title="Votre dossier avance",
        body="L'expert est désigné.",
        link="/sinistre?n=SIN-2026-000001",
        email_subject="Votre dossier avance",
        email_body="Bonjour, l'expert est désigné.",
        **extra,
    )


@pytest.fixture
def vapid(monkeypatch):
    settings = get_settings()
    monkeypatch.setattr(settings, "vapid_public_key", "BPublicKeyForTests")
    monkeypatch.setattr(settings, "vapid_private_key", SecretStr("private-key-for-tests"))
    return settings


@pytest.fixture
def pushes(monkeypatch, vapid):
    """Replaces pywebpush.webpush; set ``pushes.fail`` to an exception to raise it."""
    import pywebpush

    class Calls(list):
        fail: Exception | None = None

    calls = Calls()

    def fake_webpush(
        subscription_info, data=None, vapid_private_key=None, vapid_claims=None, **kwargs
    ):
        calls.append(
            {
                "info": subscription_info,
                "data": data,
                "key": vapid_private_key,
                "claims": dict(vapid_claims or {}),
                **kwargs,
            }
        )
        if calls.fail is not None:
            raise calls.fail

    monkeypatch.setattr(pywebpush, "webpush", fake_webpush)
    return calls


# ---- preferences ---------------------------------------------------------------------------------


def test_defaults(db):
    person = factories.holder(db)
    got = prefs.settings_for(session=db, holder_id=person.id)
    assert got.critical_only is False
    assert got.matrix == prefs.DEFAULTS
    assert set(got.matrix) == set(prefs.CATEGORY_LABELS) == {c.value for c in C}
    assert all(list(row) == list(prefs.CHANNELS) for row in got.matrix.values())
    assert all(row["in_app"] and not row["sms"] and not row["push"] for row in got.matrix.values())
    assert [c for c, row in got.matrix.items() if row["email"]] == [
        "claims",
        "payments",
        "messages",
        "documents",
        "security",
    ]
    assert prefs.CATEGORY_LABELS["prevention"] == "Conseils de prévention"
    assert prefs.is_locked("security", "email") and prefs.is_locked(C.SECURITY, "in_app")
    assert not prefs.is_locked("security", "sms") and not prefs.is_locked("claims", "email")


def test_save_validates_and_merges(db):
    person = factories.holder(db)
    for bad in (
        {"sinistres": {"email": False}},
        {"claims": {"fax": True}},
        {"claims": {"email": "non"}},
        {"claims": True},
        ["claims"],
    ):
        with pytest.raises(prefs.PrefsError):
            prefs.save(session=db, holder_id=person.id, matrix=bad, critical_only=False)
    prefs.save(
        session=db, holder_id=person.id, matrix={"claims": {"email": False}}, critical_only=False
    )
    saved = prefs.save(
        session=db, holder_id=person.id, matrix={C.OFFERS: {"email": True}}, critical_only=True
    )
    again = prefs.settings_for(session=db, holder_id=person.id)
    assert saved == again
    assert again.critical_only is True
    assert again.matrix["claims"]["email"] is False and again.matrix["offers"]["email"] is True
    assert again.matrix["payments"] == prefs.DEFAULTS["payments"]


def test_claims_emails_off_keeps_the_in_app_notice(db):
    person = factories.holder(db)
    prefs.save(
        session=db, holder_id=person.id, matrix={"claims": {"email": False}}, critical_only=False
    )
    sent = _notify(db, person)
    assert sent.emailed is False and sent.notification is not None
    assert _outbox(db, person) == []
    assert [n.title for n in _notices(db, person)] == ["Votre dossier avance"]
    # payments still e-mailed
    assert _notify(db, person, category=C.PAYMENTS).emailed is True
    assert [m.category for m in _outbox(db, person)] == ["payments"]


def test_in_app_off_means_no_notice_but_the_caller_still_works(db):
    person = factories.holder(db)
    prefs.save(
        session=db, holder_id=person.id, matrix={"offers": {"in_app": False}}, critical_only=False
    )
    sent = _notify(db, person, category=C.OFFERS)
    assert (
        sent.notification is None and sent.emailed is False
    )  # offers: no e-mail by default (consent)
    assert _notices(db, person) == []
    critical = _notify(db, person, category=C.OFFERS, critical=True)
    assert critical.notification is not None and critical.notification.critical is True


def test_critical_only_keeps_critical_notices(db):
    person = factories.holder(db)
    prefs.save(
        session=db, holder_id=person.id, matrix={"claims": {"sms": True}}, critical_only=True
    )
    routine = _notify(db, person, sms_body="Votre dossier avance.")
    assert routine.notification is not None and routine.notification.critical is False
    assert routine.emailed is False and routine.texted is False
    urgent = _notify(db, person, critical=True, sms_body="Action requise sur votre dossier.")
    assert urgent.emailed is True and urgent.texted is True and urgent.notification.critical is True
    assert len(_outbox(db, person)) == 1 and len(_outbox(db, person, "sms")) == 1
    assert len(_notices(db, person)) == 2


def test_security_emails_cannot_be_turned_off(db):
    person = factories.holder(db)
    saved = prefs.save(
        session=db,
        holder_id=person.id,
        critical_only=True,
        matrix={"security": {"email": False, "in_app": False, "sms": False}},
    )
    assert saved.matrix["security"] == {"in_app": True, "email": True, "sms": False, "push": False}
    assert prefs.settings_for(session=db, holder_id=person.id).matrix["security"]["email"] is True
    for channel in ("in_app", "email"):
        assert (
            prefs.wants(session=db, holder_id=person.id, category="security", channel=channel)
            is True
        )
    sent = _notify(db, person, category=C.SECURITY)
    assert sent.emailed is True and sent.notification is not None
    assert [m.category for m in _outbox(db, person)] == ["security"]


def test_sms_only_when_enabled_and_the_phone_is_known(db):
    person = factories.holder(db)
    assert _notify(db, person, sms_body="Votre dossier avance.").texted is False  # off by default
    prefs.save(
        session=db, holder_id=person.id, matrix={"claims": {"sms": True}}, critical_only=False
    )
    assert _notify(db, person).texted is False  # no SMS text given
    assert _notify(db, person, sms_body="Votre dossier avance.").texted is True
    [sms] = _outbox(db, person, "sms")
    assert (
        sms.recipient == person.phone
        and sms.body == "Votre dossier avance."
        and sms.category == "claims"
    )

    no_phone = factories.holder(db, phone="")
    prefs.save(
        session=db, holder_id=no_phone.id, matrix={"claims": {"sms": True}}, critical_only=False
    )
    assert _notify(db, no_phone, sms_body="Votre dossier avance.").texted is False
    assert _outbox(db, no_phone, "sms") == []


def test_the_existing_call_shape_still_works(db):
    person = factories.holder(db)
    sent = notices.notify(
        session=db, holder_id=person.id, category="claims", title="Titre", email_body="Corps"
    )
    assert sent.emailed is True and sent.notification.id and sent.notification.critical is False
    assert sent.texted is False and sent.pushed == 0


# ---- push ----------------------------------------------------------------------------------------


def test_push_is_sent_only_when_enabled_and_configured(db, pushes, monkeypatch):
    person = factories.holder(db)
    sub = push.subscribe(
        session=db, holder_id=person.id, subscription=_subscription(), user_agent="Firefox"
    )
    assert _notify(db, person).pushed == 0 and pushes == []  # push off by default

    prefs.save(
        session=db, holder_id=person.id, matrix={"claims": {"push": True}}, critical_only=False
    )
    assert _notify(db, person).pushed == 1
    assert (
        pushes == []
    )  # queued: sent by the worker after the commit, never for a change rolled back
    [row] = _outbox(db, person, "push")
    assert (row.subject, row.body, row.status) == (
        "Votre dossier avance",
        "/sinistre?n=SIN-2026-000001",
        "queued",
    )
    assert _deliver_pushes(db, person) == ["sent"]
    [call] = pushes
    assert call["info"] == {"endpoint": ENDPOINT, "keys": {"p256dh": sub.p256dh, "auth": sub.auth}}
    link = "/sinistre?n=SIN-2026-000001"
    message = json.loads(call["data"])  # the lock screen shows the title only
    assert (
        message["title"] == "Votre dossier avance"
        and not message.get("body")
        and message["url"] == link
    )
    assert call["key"] == "private-key-for-tests" and call["ttl"] == 86400
    assert call["claims"]["sub"] == "mailto:dpo@espace-assurances.example"

    monkeypatch.setattr(get_settings(), "vapid_private_key", SecretStr(""))
    assert _notify(db, person).pushed == 0 and len(pushes) == 1  # no keys: nothing sent


def test_a_gone_subscription_is_deleted_and_other_errors_are_recorded(db, pushes):
    import pywebpush

    class Response:
        def __init__(self, status):
            self.status_code, self.text = status, "gone"

    person = factories.holder(db)
    gone = push.subscribe(
        session=db, holder_id=person.id, subscription=_subscription(ENDPOINT + "-gone")
    )
    pushes.fail = pywebpush.WebPushException("Push failed: 410 Gone", response=Response(410))
    assert push.send_to_holder(session=db, holder_id=person.id, title="T", body="B", link="/") == 0
    assert db.get(PushSubscription, gone.id) is None

    flaky = push.subscribe(
        session=db, holder_id=person.id, subscription=_subscription(ENDPOINT + "-flaky")
    )
    pushes.fail = pywebpush.WebPushException(
        "Push failed: 503 Service Unavailable", response=Response(503)
    )
    assert push.send_to_holder(session=db, holder_id=person.id, title="T", body="B", link="/") == 0
    assert db.get(PushSubscription, flaky.id).last_error.startswith("503 Push failed")
    pushes.fail = ConnectionError("réseau indisponible")
    prefs.save(
        session=db, holder_id=person.id, matrix={"claims": {"push": True}}, critical_only=False
    )
    sent = _notify(db, person)
    assert sent.pushed == 1 and sent.notification is not None
    assert _deliver_pushes(db, person) == ["retry"]  # never raised: the worker tries again later
    assert db.get(PushSubscription, flaky.id).last_error == "réseau indisponible"
    [row] = _outbox(db, person, "push")
    assert row.status == "retry" and "réseau indisponible" in row.error
    pushes.fail = None
    assert push.send_to_holder(session=db, holder_id=person.id, title="T", body="B", link="/") == 1
    assert db.get(PushSubscription, flaky.id).last_error == ""


def test_real_pywebpush_encrypts_for_the_browser(db, monkeypatch):
    """Real VAPID signing and aes128gcm encryption; only the HTTP POST is intercepted."""
    import http_ece
    import requests
    from py_vapid import Vapid02, b64urlencode

    vapid = Vapid02()
    vapid.generate_keys()
    raw_private = vapid.private_key.private_numbers().private_value.to_bytes(32, "big")
    monkeypatch.setattr(
        get_settings(),
        "vapid_public_key",
        b64urlencode(
            vapid.public_key.public_bytes(
                serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
            )
        ),
    )
    monkeypatch.setattr(get_settings(), "vapid_private_key", SecretStr(b64urlencode(raw_private)))
    posted = []

    class Accepted:
        status_code, text, headers = 201, "", {}

    monkeypatch.setattr(
        requests, "post", lambda url, **kwargs: posted.append((url, kwargs)) or Accepted()
    )
    person = factories.holder(db)
    browser_private, auth = _browser_keys()
    push.subscribe(
        session=db, holder_id=person.id, subscription=_subscription(keys=(browser_private, auth))
    )
    assert (
        push.send_to_holder(
            session=db,
            holder_id=person.id,
            title="Paiement régularisé",
            body="Votre échéance est régularisée.",
            link="/paiements",
        )
        == 1
    )
    [(url, request)] = posted
    assert url == ENDPOINT and request["headers"]["ttl"] == "86400"
    assert request["headers"]["authorization"].startswith("vapid t=")
    plain = http_ece.decrypt(
        request["data"], private_key=browser_private, auth_secret=auth, version="aes128gcm"
    )
    assert json.loads(plain) == {
        "title": "Paiement régularisé",
        "body": "Votre échéance est régularisée.",
        "url": "/paiements",
        "tag": "espace:/paiements",
    }


def test_subscription_ownership(db):
    alice, bob = factories.holder(db), factories.holder(db)
    first = push.subscribe(
        session=db, holder_id=alice.id, subscription=_subscription(), user_agent="Firefox"
    )
    assert push.unsubscribe(session=db, holder_id=bob.id, endpoint=ENDPOINT) is False
    assert db.get(PushSubscription, first.id).holder_id == alice.id
    assert push.list_for(session=db, holder_id=bob.id) == []

    # the same browser, now signed in as Bob: the endpoint moves to him, keys refreshed
    moved = push.subscribe(
        session=db, holder_id=bob.id, subscription=_subscription(), user_agent="Firefox 2"
    )
    assert moved.id == first.id and moved.holder_id == bob.id and moved.user_agent == "Firefox 2"
    assert push.list_for(session=db, holder_id=alice.id) == []
    assert push.unsubscribe(session=db, holder_id=alice.id, endpoint=ENDPOINT) is False
    assert push.unsubscribe(session=db, holder_id=bob.id, endpoint=ENDPOINT) is True
    assert (
        db.exec(select(PushSubscription).where(PushSubscription.endpoint == ENDPOINT)).first()
        is None
    )


def test_old_subscriptions_are_trimmed(db):
    person = factories.holder(db)
    for n in range(push.MAX_SUBSCRIPTIONS_PER_HOLDER + 3):
        push.subscribe(
            session=db, holder_id=person.id, subscription=_subscription(f"{ENDPOINT}-{n}")
        )
    kept = push.list_for(session=db, holder_id=person.id)
    assert len(kept) == push.MAX_SUBSCRIPTIONS_PER_HOLDER
    assert f"{ENDPOINT}-{push.MAX_SUBSCRIPTIONS_PER_HOLDER + 2}" in {row.endpoint for row in kept}


# ---- routes --------------------------------------------------------------------------------------


@pytest.fixture
def api(engine):
    with TestClient(
        Starlette(routes=push_routes.routes()), base_url="http://localhost:8000"
    ) as client:
        yield client


@pytest.fixture
def two_signed_in(engine):
    """Two holders with a live session each (committed: the routes open their own transactions)."""
    with session_scope() as db:
        people = [factories.holder(db), factories.holder(db)]
        ids = [person.id for person in people]
        codes = [
            sessions.begin_login(session=db, account_id=factories.account_of(db, p).id)
            for p in people
        ]
    with session_scope() as db:
        tokens = [sessions.complete_handoff(session=db, code=code) for code in codes]
    yield list(zip(ids, tokens, strict=True))
    with session_scope() as db:
        db.exec(delete(PushSubscription).where(PushSubscription.holder_id.in_(ids)))


def _post(api, token, body, **headers):
    api.cookies.clear()
    if token:
        api.cookies.set(COOKIE, token)
    return api.post(
        "/api/push/abonnement",
        content=json.dumps(body),
        headers={"content-type": "application/json", "sec-fetch-site": "same-origin", **headers},
    )


def _delete(api, token, endpoint, **headers):
    api.cookies.clear()
    api.cookies.set(COOKIE, token)
    return api.request(
        "DELETE",
        "/api/push/abonnement",
        content=json.dumps({"endpoint": endpoint}),
        headers={"content-type": "application/json", **headers},
    )


def _owner(endpoint):
    with session_scope() as db:
        row = db.exec(select(PushSubscription).where(PushSubscription.endpoint == endpoint)).first()
        return row.holder_id if row else None


def test_public_key_route(api, monkeypatch):
    monkeypatch.setattr(get_settings(), "vapid_public_key", "")
    missing = api.get("/api/push/cle")
    assert missing.status_code == 404 and missing.headers["cache-control"] == "no-store"
    assert "disponibles" in missing.json()["error"]
    monkeypatch.setattr(get_settings(), "vapid_public_key", "BPublicKeyForTests")
    monkeypatch.setattr(get_settings(), "vapid_private_key", SecretStr("private"))
    found = api.get("/api/push/cle")
    assert found.status_code == 200 and found.json() == {"publicKey": "BPublicKeyForTests"}
    assert found.headers["cache-control"] == "no-store"


def test_subscribe_and_unsubscribe_routes(api, vapid, two_signed_in):
    (alice, alice_token), (bob, bob_token) = two_signed_in
    endpoint = ENDPOINT + "-api"
    created = _post(api, alice_token, _subscription(endpoint), **{"user-agent": "Firefox/140"})
    assert created.status_code == 201 and created.json() == {"subscribed": True}
    assert created.headers["cache-control"] == "no-store"
    assert _owner(endpoint) == alice

    refused = _delete(api, bob_token, endpoint, **{"sec-fetch-site": "same-origin"})
    assert refused.status_code == 200 and refused.json() == {"removed": False}
    assert _owner(endpoint) == alice
    removed = _delete(api, alice_token, endpoint)  # no Sec-Fetch-Site (older browser): accepted
    assert removed.json() == {"removed": True} and _owner(endpoint) is None


def test_routes_refuse_strangers_cross_site_and_bad_bodies(api, vapid, two_signed_in):
    (alice, token), _ = two_signed_in
    endpoint = ENDPOINT + "-refused"
    anonymous = _post(api, None, _subscription(endpoint))
    assert anonymous.status_code == 401 and "Connectez-vous" in anonymous.json()["error"]
    assert _post(api, "jeton-inconnu", _subscription(endpoint)).status_code == 401
    cross = _post(api, token, _subscription(endpoint), **{"sec-fetch-site": "cross-site"})
    assert cross.status_code == 403 and "refusée" in cross.json()["error"]
    foreign = _post(api, token, _subscription(endpoint), origin="https://evil.example")
    assert foreign.status_code == 403
    assert _delete(api, token, endpoint, **{"sec-fetch-site": "same-site"}).status_code == 403
    form = api.post(
        "/api/push/abonnement",
        content="endpoint=x",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert form.status_code == 400
    bad = _post(api, token, _subscription("http://fcm.googleapis.com/fcm/send/x"))
    assert bad.status_code == 400 and "HTTPS" in bad.json()["error"]
    internal = _post(api, token, _subscription("https://10.0.0.1/push"))
    assert internal.status_code == 400 and "pas pris en charge" in internal.json()["error"]
    assert _post(api, token, ["pas", "un", "objet"]).status_code == 400
    assert _post(api, token, {"endpoint": "x" * 5000}).status_code == 400
    assert _delete(api, token, "").status_code == 400
    assert _owner(endpoint) is None


def test_subscribe_route_is_off_without_vapid_keys(api, two_signed_in, monkeypatch):
    monkeypatch.setattr(get_settings(), "vapid_public_key", "")
    (alice, token), _ = two_signed_in
    response = _post(api, token, _subscription(ENDPOINT + "-off"))
    assert response.status_code == 404 and _owner(ENDPOINT + "-off") is None
