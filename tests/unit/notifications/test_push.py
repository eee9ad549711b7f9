"""Web Push: the message the service worker shows, and the subscriptions a browser may register."""

import base64
import json
import os

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from espace.notifications import push
from espace.notifications.push import PushError, build_message, validate

ENDPOINT = "https://fcm.googleapis.com/fcm/send/abc:DEF-123"


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def subscription(endpoint: str = ENDPOINT, **keys) -> dict:
    point = (
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    )
    return {
        "endpoint": endpoint,
        "expirationTime": None,
        "keys": {"p256dh": _b64(point), "auth": _b64(os.urandom(16)), **keys},
    }


def test_message_holds_the_notice_and_a_portal_link_only():
    data = build_message(
        "Nouveau message sur votre sinistre SIN-2026-000123",
        "Votre gestionnaire vous a écrit.",
        "/sinistre?n=SIN-2026-000123",
    )
    message = json.loads(data)
    assert set(message) == {"title", "body", "url", "tag"}
    assert message["title"] == "Nouveau message sur votre sinistre SIN-2026-000123"
    assert message["body"] == "Votre gestionnaire vous a écrit."
    assert message["url"] == "/sinistre?n=SIN-2026-000123"
    assert message["tag"].startswith("espace:")
    assert "é" in data.decode()  # UTF-8, not \\u escapes (smaller)


@pytest.mark.parametrize(
    "link", ["https://evil.example/x", "//evil.example", "javascript:alert(1)", "", "/\\evil"]
)
def test_message_never_links_outside_the_portal(link):
    assert json.loads(build_message("Titre", "Texte", link))["url"] == "/"


@pytest.mark.parametrize("body", ["€" * 5000, "\u0000" * 3000, "a" * 10_000, '"' * 4000])
def test_message_stays_under_3_kb(body):
    data = build_message("Ω" * 500, body, "/paiements")
    assert len(data) <= 3 * 1024
    message = json.loads(data)
    assert message["url"] == "/paiements" and message["title"]


def test_a_browser_subscription_is_accepted():
    sub = subscription()
    endpoint, p256dh, auth = validate(sub)
    assert endpoint == ENDPOINT and p256dh == sub["keys"]["p256dh"] and auth == sub["keys"]["auth"]
    padded = dict(
        sub, keys={"p256dh": sub["keys"]["p256dh"] + "=", "auth": sub["keys"]["auth"] + "=="}
    )
    assert validate(padded)[1:] == (p256dh, auth)
    for endpoint in (
        "https://updates.push.services.mozilla.com/wpush/v2/gAAA",
        "https://web.push.apple.com/QGx",
        "https://wns2-par02p.notify.windows.com/w/?token=BQYAAA",
    ):
        assert validate(subscription(endpoint))[0] == endpoint


@pytest.mark.parametrize(
    "endpoint",
    [
        "http://fcm.googleapis.com/fcm/send/x",  # not HTTPS
        "https://169.254.169.254/latest/meta-data",  # an internal address
        "https://localhost/push",
        "https://evil.example/push",
        "https://fcm.googleapis.com.evil.example/x",
        "https://user:pw@fcm.googleapis.com/x",
        "https://fcm.googleapis.com:8443/x",
        "https://fcm.googleapis.com/" + "x" * 1000,
        "",
        None,
        42,
        "https://fcm.googleapis.com/a b",
    ],
)
def test_bad_endpoints_are_refused(endpoint):
    with pytest.raises(PushError):
        validate(subscription(endpoint))


@pytest.mark.parametrize(
    "keys",
    [
        {"p256dh": "not base64!"},
        {"p256dh": _b64(b"\x04" + b"x" * 63)},
        {"p256dh": _b64(b"\x02" + b"x" * 64)},
        {"p256dh": ""},
        {"p256dh": None},
        {"auth": _b64(b"x" * 15)},
        {"auth": _b64(b"x" * 32)},
        {"auth": "a" * 300},
    ],
)
def test_bad_keys_are_refused(keys):
    with pytest.raises(PushError):
        validate(subscription(**keys))


@pytest.mark.parametrize(
    "bad", [None, [], "x", {"endpoint": ENDPOINT}, {"endpoint": ENDPOINT, "keys": "x"}]
)
def test_malformed_subscriptions_are_refused(bad):
    with pytest.raises(PushError):
        validate(bad)


def test_not_configured_without_vapid_keys(monkeypatch):
    from pydantic import SecretStr

    from espace.core.settings import get_settings

    settings = get_settings()
    monkeypatch.setattr(settings, "vapid_public_key", "")
    assert push.configured() is False and push.public_key() == ""
    monkeypatch.setattr(settings, "vapid_public_key", "BPub")
    monkeypatch.setattr(settings, "vapid_private_key", SecretStr(""))
    assert push.configured() is False
    monkeypatch.setattr(settings, "vapid_private_key", SecretStr("priv"))
    assert push.configured() is True and push.public_key() == "BPub"
