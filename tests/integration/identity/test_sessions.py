from datetime import timedelta

import pytest
import time_machine
from sqlmodel import select

from espace.core.models import utcnow
from espace.core.tokens import digest
from espace.identity import sessions
from espace.identity.models import AuthSession
from tests import factories


def _login(db, person=None):
    person = person or factories.holder(db)
    account = factories.account_of(db, person)
    code = sessions.begin_login(
        session=db, account_id=account.id, ip_address="203.0.113.7", user_agent="pytest"
    )
    return person, account, code


def test_handoff_mints_a_token_once(db):
    person, account, code = _login(db)
    token = sessions.complete_handoff(session=db, code=code)
    assert token and token != code
    principal = sessions.validate(session=db, token=token)
    assert principal.holder_id == person.id and principal.account_id == account.id
    assert sessions.complete_handoff(session=db, code=code) is None  # single use


def test_only_digests_are_stored(db):
    _, account, code = _login(db)
    token = sessions.complete_handoff(session=db, code=code)
    row = db.exec(AuthSession.__table__.select().where(AuthSession.account_id == account.id)).one()
    assert row.token_hash == digest(token)
    assert token not in str(tuple(row)) and code not in str(tuple(row))


def test_handoff_code_expires_after_a_minute(db):
    _, _, code = _login(db)
    with time_machine.travel(utcnow() + timedelta(seconds=61)):
        assert sessions.complete_handoff(session=db, code=code) is None


def test_forged_and_empty_tokens_are_refused(db):
    assert sessions.validate(session=db, token="forged-token") is None
    assert sessions.validate(session=db, token="") is None
    assert sessions.validate(session=db, token=None) is None
    assert sessions.complete_handoff(session=db, code="forged") is None


def test_idle_expiry_after_30_minutes(db):
    _, _, code = _login(db)
    token = sessions.complete_handoff(session=db, code=code)
    start = utcnow()
    with time_machine.travel(start + timedelta(minutes=29)):
        assert sessions.validate(session=db, token=token) is not None  # and refreshes last_seen
    with time_machine.travel(start + timedelta(minutes=58)):
        assert sessions.validate(session=db, token=token) is not None
    with time_machine.travel(start + timedelta(minutes=89)):
        assert sessions.validate(session=db, token=token) is None
    # once idle-expired it stays dead
    assert sessions.validate(session=db, token=token) is None


def test_absolute_expiry_after_12_hours_even_when_active(db):
    _, _, code = _login(db)
    token = sessions.complete_handoff(session=db, code=code)
    start = utcnow()
    for minutes in range(20, 12 * 60, 20):
        with time_machine.travel(start + timedelta(minutes=minutes)):
            assert sessions.validate(session=db, token=token) is not None
    with time_machine.travel(start + timedelta(hours=12, minutes=1)):
        assert sessions.validate(session=db, token=token) is None


def test_token_rotates_at_login_and_old_one_is_revoked(db):
    person, _, code = _login(db)
    first = sessions.complete_handoff(session=db, code=code)
    _, _, code2 = _login(db, person)
    second = sessions.complete_handoff(session=db, code=code2, previous_token=first)
    assert second != first
    assert sessions.validate(session=db, token=first) is None
    assert sessions.validate(session=db, token=second) is not None


def test_logout_revokes_server_side(db):
    _, _, code = _login(db)
    token = sessions.complete_handoff(session=db, code=code)
    assert sessions.revoke(session=db, token=token)
    assert sessions.validate(session=db, token=token) is None
    assert not sessions.revoke(session=db, token=token)


def test_disabled_account_loses_its_sessions(db):
    person, account, code = _login(db)
    token = sessions.complete_handoff(session=db, code=code)
    account.is_active = False
    db.add(account)
    assert sessions.validate(session=db, token=token) is None


def test_revoke_all_but_current(db):
    person, account, code = _login(db)
    keep = sessions.complete_handoff(session=db, code=code)
    _, _, code2 = _login(db, person)
    other = sessions.complete_handoff(session=db, code=code2)
    current = sessions.validate(session=db, token=keep)
    assert (
        sessions.revoke_all_for_account(
            session=db, account_id=account.id, reason="test", except_session_id=current.session_id
        )
        == 1
    )
    assert sessions.validate(session=db, token=keep) is not None
    assert sessions.validate(session=db, token=other) is None


def test_purge_removes_sessions_older_than_retention(db):
    """Only this account's session is looked at: the session's database may hold sessions other
    tests committed, expired by now."""
    _, account, code = _login(db)
    token = sessions.complete_handoff(session=db, code=code)
    assert token
    sessions.purge_sessions(session=db, older_than=utcnow())
    assert sessions.validate(session=db, token=token) is not None  # not ended: kept
    assert sessions.purge_sessions(session=db, older_than=utcnow() + timedelta(days=1)) >= 1
    assert sessions.validate(session=db, token=token) is None


def test_session_scope_rolls_back_on_any_error(engine):
    """Failed checks are committed by the services themselves
    (tests/integration/identity/test_failure_counting.py)."""
    from sqlmodel import Session as _Session

    from espace.core.db import session_scope
    from espace.notifications.models import OutboxMessage

    recipient = "scope-rollback@example.com"
    with pytest.raises(ValueError):
        with session_scope(engine) as db:
            db.add(OutboxMessage(recipient=recipient, channel="email", subject="s", body="b"))
            db.flush()
            raise ValueError("stop")
    with _Session(engine) as db:
        assert (
            db.exec(select(OutboxMessage).where(OutboxMessage.recipient == recipient)).first()
            is None
        )
