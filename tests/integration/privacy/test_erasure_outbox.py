"""GDPR erasure also strips the outbox (issue 16): the e-mails and SMS sent to the holder lose their
address, subject and content; only what proves a message was sent (channel, category, dates, status)
stays. The erasure confirmation keeps its address until it is delivered, and is stripped when staff
complete the request."""

from __future__ import annotations

from sqlmodel import select

from espace.identity import account_recovery
from espace.identity.models import ProfileChange
from espace.notifications import notices, outbox
from espace.notifications.models import OutboxMessage
from espace.privacy import rights
from tests import factories


def _sent_to(db, *points: str) -> list[OutboxMessage]:
    return list(db.exec(select(OutboxMessage).where(OutboxMessage.recipient.in_(points))).all())


def test_erasure_strips_addresses_and_bodies_from_the_outbox(db):
    alice, bob = factories.holder(db), factories.holder(db)
    account, bob_account = factories.account_of(db, alice), factories.account_of(db, bob)
    old_email, old_phone = "alice.avant@example.com", "+33699999999"
    db.add(
        ProfileChange(holder_id=alice.id, field="email", old_value=old_email, new_value=alice.email)
    )
    db.add(
        ProfileChange(holder_id=alice.id, field="phone", old_value=old_phone, new_value=alice.phone)
    )
    account_recovery.request_reset(
        session=db, identifier=alice.email, channel="email"
    )  # a secret link in the body
    notices.notify(
        session=db,
        holder_id=alice.id,
        category="claims",
        title="Sinistre SIN-1",
        body="Dégât",
        email_subject="Votre sinistre de la cuisine",
        email_body="Le plombier passe demain.",
    )
    outbox.send_email(
        session=db, to=old_email, subject="Ancienne adresse", body="Bonjour Alice"
    )  # no account id
    outbox.send_sms(session=db, to=old_phone, body="Votre code : 123456")
    outbox.send_sms(session=db, to=alice.phone, body="Votre code : 654321", account_id=account.id)
    account_recovery.request_reset(session=db, identifier=bob.email, channel="email")
    original_email, phone = alice.email, alice.phone
    before = {
        m.id: (m.channel, m.category, m.created_at, m.status)
        for m in _sent_to(db, original_email, old_email, old_phone, phone)
    }
    assert len(before) == 5

    proof = factories.step_up(
        db, alice
    )  # the erasure needs a fresh second factor (its code e-mail is stripped too)
    request = rights.request_erasure(
        session=db, holder_id=alice.id, account_id=account.id, proof=proof
    )

    anonymous = f"supprime-{account.id}@anonyme.invalid"
    (confirmation,) = _sent_to(
        db, original_email, old_email, old_phone, phone
    )  # only the confirmation is left
    assert "effacement" in confirmation.subject and confirmation.account_id == account.id
    stripped = [db.get(OutboxMessage, message_id) for message_id in before]
    for message in stripped:
        assert message.recipient in (anonymous, "") and message.subject == ""
        assert message.body == rights.ERASED_BODY
        assert "jeton=" not in message.body and "plombier" not in message.body
        assert (message.channel, message.category, message.created_at, message.status) == before[
            message.id
        ]
    assert "contenus des e-mails et SMS" in request.note
    # Bob's messages are untouched.
    assert "jeton=" in _sent_to(db, bob.email)[0].body and bob_account.email == bob.email

    staff = factories.staff(db)
    rights.complete(session=db, request_id=request.id, staff_id=staff.id, note="Archivé")
    db.refresh(confirmation)
    assert confirmation.recipient == anonymous and confirmation.body == rights.ERASED_BODY
    assert _sent_to(db, original_email, old_email, old_phone, phone) == []
