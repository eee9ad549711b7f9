"""Webhooks: ``emit`` records an event and one delivery per subscribed endpoint (nothing for a
rolled-back change); each try is signed (Standard Webhooks), logged, retried with backoff, failed
after the last try and replayable; the domain functions emit the events of the issue."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select
from standardwebhooks import Webhook, WebhookVerificationError

from espace.core.models import utcnow
from espace.webhooks import delivery
from espace.webhooks.events import UnknownEvent, emit
from espace.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEvent
from tests import factories


class Receiver:
    """A fake HTTP endpoint: answers the scripted status codes, records what it got."""

    def __init__(self, *codes: int) -> None:
        self.codes = list(codes)
        self.calls: list[tuple[str, bytes, dict]] = []

    def __call__(self, url, body, headers, timeout):
        self.calls.append((url, body, dict(headers)))
        code = self.codes.pop(0) if self.codes else 200
        if code == 0:
            raise ConnectionError("connexion refusée")
        return delivery.Response(code, "ok" if code < 300 else "indisponible")


def _endpoint(db, *types: str, url: str = "https://assureur.example/hooks"):
    return delivery.create_endpoint(session=db, url=url, event_types=list(types))


def _deliveries(db, event: WebhookEvent) -> list[WebhookDelivery]:
    return list(db.exec(select(WebhookDelivery).where(WebhookDelivery.event_id == event.id)).all())


def test_emit_makes_one_delivery_per_subscribed_active_endpoint(db):
    claims, _ = _endpoint(db, "claim.declared")
    everything, _ = _endpoint(db, "*")
    other, _ = _endpoint(db, "mandate.signed")
    off, _ = _endpoint(db, "claim.declared")
    delivery.update_endpoint(session=db, endpoint_id=off.id, is_active=False)
    event = emit("claim.declared", {"claim_id": 1}, session=db)
    assert event.event_uid.startswith("evt_")
    targets = {d.endpoint_id for d in _deliveries(db, event)}
    assert claims.id in targets and everything.id in targets
    assert other.id not in targets and off.id not in targets
    with pytest.raises(UnknownEvent):
        emit("claim.exploded", {}, session=db)


def test_endpoints_are_checked_and_their_secret_is_stored_encrypted(db):
    with pytest.raises(delivery.EndpointError):
        _endpoint(db, "claim.declared", url="ftp://x")
    with pytest.raises(delivery.EndpointError):
        _endpoint(db, "nope")
    endpoint, secret = _endpoint(db, "claim.declared")
    assert secret.startswith("whsec_") and secret not in endpoint.secret_encrypted
    assert delivery.endpoint_secret(endpoint) == secret


def test_a_rolled_back_change_emits_nothing(engine):
    from espace.core.db import session_scope

    with pytest.raises(RuntimeError), session_scope() as db:
        _endpoint(db, "claim.declared")
        emit("claim.declared", {"claim_id": -42}, session=db)
        raise RuntimeError("the change fails after the emit")
    with session_scope() as db:
        assert [
            e for e in db.exec(select(WebhookEvent)).all() if e.payload == {"claim_id": -42}
        ] == []


def _commit_delivery(*codes: int):
    """An endpoint and an event delivered to it, committed (``deliver`` opens its own sessions)."""
    from espace.core.db import session_scope

    with session_scope() as db:
        endpoint, secret = _endpoint(db, "payment.rejected")
        event = emit("payment.rejected", {"payment_id": 7, "code": "AM04"}, session=db)
        row = db.exec(
            select(WebhookDelivery).where(
                WebhookDelivery.event_id == event.id, WebhookDelivery.endpoint_id == endpoint.id
            )
        ).one()
        return row.id, secret, event.event_uid


def _row(delivery_id: int) -> WebhookDelivery:
    from espace.core.db import session_scope

    with session_scope() as db:
        return db.get(WebhookDelivery, delivery_id)


def test_a_receiver_failing_twice_then_accepting_gets_a_signed_event_after_retries(engine):
    delivery_id, secret, uid = _commit_delivery()
    receiver = Receiver(500, 0, 200)
    now = utcnow()
    outcomes = [
        delivery.deliver(delivery_id=delivery_id, post=receiver, now=now + timedelta(minutes=i))
        for i in range(3)
    ]
    assert [o.status for o in outcomes] == ["retry", "retry", "delivered"]
    assert outcomes[1].retry_in == 2 * outcomes[0].retry_in  # backoff doubles
    assert delivery.deliver(delivery_id=delivery_id, post=receiver).status == "skipped"
    assert len(receiver.calls) == 3
    signatures = set()
    for _, body, headers in receiver.calls:
        assert headers["webhook-id"] == uid  # the same id on every try: receivers deduplicate
        assert Webhook(secret).verify(body, headers)["data"] == {"payment_id": 7, "code": "AM04"}
        signatures.add(headers["webhook-signature"])
    assert len(signatures) == 3  # each try signs its own timestamp
    _, body, headers = receiver.calls[-1]
    with pytest.raises(WebhookVerificationError):
        Webhook(delivery.new_secret()).verify(body, headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(body.replace(b"AM04", b"AM05"), headers)
    row = _row(delivery_id)
    assert (row.status, row.attempts, row.last_status_code) == ("delivered", 3, 200)
    from espace.core.db import session_scope

    with session_scope() as db:
        log = delivery.attempts(session=db, delivery_id=delivery_id)
    assert [(a.number, a.status_code) for a in log] == [(1, 500), (2, None), (3, 200)]
    assert "ConnectionError" in log[1].error


def test_a_receiver_that_never_accepts_fails_after_the_last_try_and_can_be_replayed(
    engine, monkeypatch
):
    from espace.core.db import session_scope
    from espace.core.settings import get_settings

    monkeypatch.setattr(get_settings(), "webhook_attempts", 3)
    delivery_id, _, _ = _commit_delivery()
    receiver = Receiver(503, 503, 503, 200)
    statuses = [delivery.deliver(delivery_id=delivery_id, post=receiver).status for _ in range(3)]
    assert statuses == ["retry", "retry", "failed"]
    assert delivery.deliver(delivery_id=delivery_id, post=receiver).status == "skipped"
    with session_scope() as db:
        delivery.replay(session=db, delivery_id=delivery_id)
    assert delivery.deliver(delivery_id=delivery_id, post=receiver).status == "delivered"
    assert receiver.calls[0][2]["webhook-id"] == receiver.calls[-1][2]["webhook-id"]
    with session_scope() as db:
        assert (
            len(
                db.exec(
                    select(WebhookAttempt).where(WebhookAttempt.delivery_id == delivery_id)
                ).all()
            )
            == 4
        )


# ----- the domain emits -------------------------------------------------------------------------


def _events(db, event_type: str) -> list[WebhookEvent]:
    return list(db.exec(select(WebhookEvent).where(WebhookEvent.type == event_type)).all())


def test_a_holder_message_on_a_claim_is_emitted_a_staff_reply_is_not(db):
    from espace.claims import declaration_contents
    from espace.claims.models import Claim, ClaimStatus

    person = factories.holder(db)
    contract = factories.contract(db, person)
    claim = Claim(
        holder_id=person.id, contract_id=contract.id, status=ClaimStatus.RECEIVED, number="SIN-T-1"
    )
    db.add(claim)
    db.flush()
    before = len(_events(db, "claim.message_posted"))
    declaration_contents.post_message(
        session=db, claim=claim, body="Bonjour, où en est mon dossier ?"
    )
    declaration_contents.post_message(
        session=db, claim=claim, body="Réponse", staff_id=factories.staff(db).id
    )
    events = _events(db, "claim.message_posted")
    assert len(events) == before + 1 and events[-1].payload["claim_id"] == claim.id


def test_bank_accounts_and_mandates_emit_their_events(db):
    from espace.billing import bank_accounts, mandates
    from espace.identity.insurer_authority import InsurerRecord

    person = factories.holder(db)
    authority = InsurerRecord("paper", "courrier du 01/12")
    account = bank_accounts.add_account(
        session=db,
        holder_id=person.id,
        iban="FR1420041010050500013M02606",
        bic="",
        account_holder=person.display_name,
        authority=authority,
    )
    mandate = mandates.sign_mandate(
        session=db, holder_id=person.id, account_id=account.id, signed_ip="", authority=authority
    )
    iban = _events(db, "holder.iban_changed")[-1]
    assert iban.payload == {
        "holder_id": person.id,
        "bank_account_id": account.id,
        "change": "added",
    }
    assert "FR14" not in str(iban.payload)  # never the IBAN itself
    assert _events(db, "mandate.signed")[-1].payload["mandate_id"] == mandate.id


def test_an_address_change_emits_the_field_not_the_value(db):
    from espace.identity import profile

    person = factories.holder(db)
    proof = factories.step_up(db, person)
    profile.update_address(
        session=db,
        holder_id=person.id,
        line1="8 rue Neuve",
        line2="",
        postal_code="69001",
        city="Lyon",
        proof=proof,
    )
    event = _events(db, "holder.profile_changed")[-1]
    assert event.payload == {"holder_id": person.id, "field": "address"}
