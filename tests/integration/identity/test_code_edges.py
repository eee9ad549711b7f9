"""Edges of the codes sent by e-mail or SMS, written for mutants that survived the mutation run of
``identity/one_time_codes`` (docs/security-testing.md): the hourly cap counts the last hour only,
to the microsecond; the pause before another code ends at its exact second; and a new code
supersedes the pending codes of its owner only, never another account's; a code sent to a phone
not confirmed yet is tied to its account, so an erasure finds it."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from sqlmodel import col, select

from espace.core.models import utcnow
from espace.core.settings import get_settings
from espace.identity import one_time_codes
from espace.identity.models import OneTimeCode
from espace.identity.one_time_codes import CodeThrottled
from espace.notifications.models import OutboxMessage
from espace.privacy import rights
from tests import factories


def _send(db, account) -> OneTimeCode:
    return one_time_codes.send_code(session=db, account=account, purpose="login", channel="email")


def test_the_hourly_cap_counts_the_codes_of_the_last_hour_only(db, monkeypatch):
    monkeypatch.setattr(get_settings(), "codes_per_hour", 3)
    monkeypatch.setattr(get_settings(), "code_resend_seconds", 0)
    account = factories.account_of(db, factories.holder(db))
    start = utcnow()
    with time_machine.travel(start, tick=False):
        for _ in range(3):
            _send(db, account)
        with pytest.raises(CodeThrottled, match="Trop de codes demandés"):
            _send(db, account)
    with time_machine.travel(start + timedelta(minutes=59, seconds=59), tick=False):
        with pytest.raises(CodeThrottled):
            _send(db, account)
    with time_machine.travel(start + timedelta(hours=1), tick=False):
        _send(db, account)  # the first three are exactly an hour old: no longer counted


def test_the_pause_before_another_code_ends_at_its_exact_second(db, monkeypatch):
    monkeypatch.setattr(get_settings(), "code_resend_seconds", 30)
    account = factories.account_of(db, factories.holder(db))
    start = utcnow()
    with time_machine.travel(start, tick=False):
        _send(db, account)
    with time_machine.travel(start + timedelta(seconds=29, microseconds=999_999), tick=False):
        with pytest.raises(CodeThrottled, match="patientez 30 secondes"):
            _send(db, account)
    with time_machine.travel(start + timedelta(seconds=30), tick=False):
        _send(db, account)


def test_a_new_code_supersedes_its_owners_pending_codes_only(db, monkeypatch):
    monkeypatch.setattr(get_settings(), "code_resend_seconds", 0)
    first = factories.account_of(db, factories.holder(db))
    second = factories.account_of(db, factories.holder(db))
    others = _send(db, first)
    mine = _send(db, second)
    _send(db, second)
    db.flush()
    attempts = dict(
        db.exec(
            select(OneTimeCode.id, OneTimeCode.attempts).where(
                col(OneTimeCode.id).in_([others.id, mine.id])
            )
        ).all()
    )
    assert attempts[mine.id] == one_time_codes.CODE_MAX_ATTEMPTS  # superseded by the new one
    assert attempts[others.id] == 0  # the other account's code still works


def test_the_code_sent_to_a_phone_not_confirmed_yet_is_erased_with_the_account(db):
    """The SMS to a new number (not on file: no history row holds it) is found by its account when
    the holder asks for erasure: its number and content go (the other messages' rule too)."""
    person = factories.holder(db)
    account = factories.account_of(db, person)
    one_time_codes.send_code_to_phone(session=db, account=account, phone="+33698765432")
    db.flush()
    sent = db.exec(select(OutboxMessage).where(OutboxMessage.recipient == "+33698765432")).one()
    assert sent.account_id == account.id

    rights.request_erasure(
        session=db,
        holder_id=person.id,
        account_id=account.id,
        proof=factories.step_up(db, person),
    )

    db.refresh(sent)
    assert sent.recipient == "" and sent.body == rights.ERASED_BODY
