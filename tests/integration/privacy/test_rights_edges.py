"""Edges of the GDPR rights, written for the mutants that survived the mutation run of
``privacy/rights``: which consent row is the current one (the latest by date, then by id), the
source a consent is recorded with, the retention date told to the holder (no contract, a contract
ending on 29 February, the date in the confirmation e-mail), what the erasure strips (a message tied
to the account at another address, a history address in another case, a message sent to the
anonymous address after the erasure) and what it leaves alone (another holder's sessions and
messages), the ``gdpr.requested`` webhook payload, and the staff completion's audit line and
length bounds."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import time_machine
from sqlmodel import select

from espace.claims.models import StaffAuditLog
from espace.core.models import today_paris, utcnow
from espace.identity.models import AuthSession, KnownDevice, ProfileChange
from espace.notifications import outbox
from espace.notifications.models import OutboxMessage
from espace.privacy import rights
from espace.privacy.models import Consent
from espace.webhooks.models import WebhookEvent
from tests import factories


def _erase(db, person):
    account = factories.account_of(db, person)
    request = rights.request_erasure(
        session=db,
        holder_id=person.id,
        account_id=account.id,
        proof=factories.step_up(db, person),
    )
    return account, request


def _mail(db, to, body, account_id=None):
    return outbox.send_email(session=db, to=to, subject="Sujet", body=body, account_id=account_id)


def test_the_current_consent_is_the_latest_by_date_then_by_id(db):
    person = factories.holder(db)
    at = utcnow()
    for granted, changed_at in ((True, at), (False, at), (True, at - timedelta(days=1))):
        db.add(
            Consent(
                holder_id=person.id,
                purpose="partners",
                granted=granted,
                changed_at=changed_at,
                source="courrier",
            )
        )
        db.flush()
    assert rights.consents(session=db, holder_id=person.id)["partners"] is False
    history = rights.consent_history(session=db, holder_id=person.id)
    assert [row.granted for row in history] == [False, True, True]


def test_a_consent_keeps_its_source(db):
    person = factories.holder(db)
    row = rights.set_consent(session=db, holder_id=person.id, purpose="offers_sms", granted=True)
    assert row.source == "espace"
    row = rights.set_consent(
        session=db, holder_id=person.id, purpose="partners", granted=True, source="c" * 40
    )
    assert row.source == "c" * 30


def test_without_a_contract_the_retention_date_is_today(db):
    person = factories.holder(db)
    moment = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0)
    with time_machine.travel(moment, tick=False):
        today = today_paris().strftime("%d/%m/%Y")
        text = rights.erasure_explanation(session=db, holder_id=person.id)
    assert f"jusqu'au {today} (fin du contrat" in text


def test_a_contract_ending_on_29_february_is_kept_until_28_february(db):
    person = factories.holder(db)
    factories.contract(db, person, end_date=date(2028, 2, 29), status="terminated")
    assert rights.retention_until(session=db, holder_id=person.id) == "28/02/2038"


def test_the_confirmation_names_the_retention_date_of_the_holders_contract(db):
    person = factories.holder(db)
    factories.contract(db, person, end_date=date(2027, 2, 28), status="terminated")
    account, _request = _erase(db, person)
    mail = db.exec(
        select(OutboxMessage)
        .where(OutboxMessage.account_id == account.id)
        .order_by(OutboxMessage.id.desc())
    ).first()
    assert "28/02/2037" in mail.body


def test_the_erasure_leaves_another_holders_sessions_on_their_device(db):
    alice, bob = factories.holder(db), factories.holder(db)
    bob_account = factories.account_of(db, bob)
    device = KnownDevice(account_id=bob_account.id, device_hash="b" * 64, label="Firefox · Linux")
    db.add(device)
    db.flush()
    bob_session = db.get(AuthSession, factories.signed_in(db, bob)[1].session_id)
    bob_session.device_id = device.id
    db.add(bob_session)
    db.flush()
    _erase(db, alice)
    db.refresh(bob_session)
    assert bob_session.device_id == device.id


def test_the_erasure_uses_only_the_holders_own_history_of_addresses(db):
    alice, bob = factories.holder(db), factories.holder(db)
    db.add(
        ProfileChange(
            holder_id=bob.id, field="email", old_value="bob.avant@example.com", new_value=bob.email
        )
    )
    bobs = _mail(db, "bob.avant@example.com", "Bonjour Bob")
    _erase(db, alice)
    db.refresh(bobs)
    assert bobs.recipient == "bob.avant@example.com" and bobs.body.startswith("Bonjour Bob")


def test_an_old_address_is_matched_whatever_its_case(db):
    alice = factories.holder(db)
    db.add(
        ProfileChange(
            holder_id=alice.id,
            field="email",
            old_value="Alice.Avant@Example.COM",
            new_value=alice.email,
        )
    )
    lower = _mail(db, "alice.avant@example.com", "Bonjour Alice")
    _erase(db, alice)
    db.refresh(lower)
    assert lower.body == rights.ERASED_BODY and lower.recipient != "alice.avant@example.com"


def test_a_message_of_the_account_at_another_address_is_stripped(db):
    """E.g. the link sent to a new address not confirmed yet (no history row)."""
    alice = factories.holder(db)
    account = factories.account_of(db, alice)
    pending = _mail(db, "alice.nouvelle@example.com", "Confirmez", account_id=account.id)
    _erase(db, alice)
    db.refresh(pending)
    assert pending.body == rights.ERASED_BODY and pending.recipient != "alice.nouvelle@example.com"


def test_completion_strips_what_was_sent_to_the_anonymous_address_meanwhile(db):
    alice = factories.holder(db)
    account, request = _erase(db, alice)
    later = _mail(db, account.email, "Votre sinistre : le plombier passe.", account_id=account.id)
    rights.complete(session=db, request_id=request.id, staff_id=factories.staff(db).id)
    db.refresh(later)
    assert later.body == rights.ERASED_BODY


def test_the_webhook_tells_the_request_the_holder_and_the_kind(db):
    person = factories.holder(db)
    _account, request = _erase(db, person)
    event = db.exec(
        select(WebhookEvent)
        .where(WebhookEvent.type == "gdpr.requested")
        .order_by(WebhookEvent.id.desc())
    ).first()
    assert event.payload == {"request_id": request.id, "holder_id": person.id, "kind": "erasure"}


def test_completion_audits_the_action_and_the_note_within_1000_characters(db):
    person = factories.holder(db)
    _account, request = _erase(db, person)
    agent = factories.staff(db)
    rights.complete(session=db, request_id=request.id, staff_id=agent.id, note="Archivé " * 150)
    log = db.exec(
        select(StaffAuditLog).where(
            StaffAuditLog.object_type == "privacy_request", StaffAuditLog.object_id == request.id
        )
    ).one()
    assert log.action == "privacy_request_done"
    assert log.detail == ("Archivé " * 150).strip()[:1000] and len(log.detail) == 1000
    assert len(request.note) == 1000 and request.note.endswith("Archivé")


def test_the_request_and_its_one_month_deadline_date_from_the_time_given(db):
    alice = factories.holder(db)
    account = factories.account_of(db, alice)
    at = utcnow() + timedelta(minutes=1)  # within the step-up proof's five minutes
    request = rights.request_erasure(
        session=db,
        holder_id=alice.id,
        account_id=account.id,
        proof=factories.step_up(db, alice),
        now=at,
    )
    assert request.created_at == at
    assert request.due_at == at + rights.REQUEST_DEADLINE
