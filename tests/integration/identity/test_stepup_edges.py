"""The step-up's edges, written for the mutants that survived the first mutation run of
``identity/stepup`` (docs/security-testing.md): the exact end of a proof's five minutes and of a
session, a closed account, a lock judged at the time given, the database's own refusal of a second
spend, the SMS method, and the method a recent proof carries."""

from __future__ import annotations

from datetime import timedelta

import pytest

from espace.core.models import utcnow
from espace.identity import auth, stepup
from espace.identity.models import AuthSession
from espace.identity.stepup import StepUpRequired
from tests import factories


def _require(db, proof, now, *, single_use=False):
    return stepup.require_step_up(
        session=db, proof=proof, account_id=proof.account_id, now=now, single_use=single_use
    )


def test_a_proof_ends_exactly_five_minutes_after_the_check(db):
    proof = factories.step_up(db, factories.holder(db))
    end = proof.verified_at + stepup.STEP_UP_VALIDITY
    _require(db, proof, end - timedelta(microseconds=1))
    with pytest.raises(StepUpRequired):
        _require(db, proof, end)


def test_a_proof_ends_with_its_session(db):
    proof = factories.step_up(db, factories.holder(db))
    row = db.get(AuthSession, proof.session_id)
    row.expires_at = proof.verified_at + timedelta(minutes=1)
    db.add(row)
    db.flush()
    with pytest.raises(StepUpRequired):
        _require(db, proof, row.expires_at)


def test_a_closed_account_passes_no_step_up(db):
    person = factories.holder(db)
    proof = factories.step_up(db, person)
    account = factories.account_of(db, person)
    account.is_active = False
    db.add(account)
    db.flush()
    with pytest.raises(StepUpRequired):
        _require(db, proof, proof.verified_at + timedelta(seconds=30))


def test_the_lock_is_judged_at_the_time_given(db):
    """Locked two hours ago for 30 minutes: a proof of that moment is refused, whatever the clock
    says now."""
    person = factories.holder(db)
    then = utcnow() - timedelta(hours=2)
    proof = factories.step_up(db, person, now=then)
    for _ in range(auth.MAX_FAILURES):
        auth.record_failure(session=db, principal=factories.account_of(db, person), now=then)
    with pytest.raises(StepUpRequired):
        _require(db, proof, then + timedelta(minutes=1))


def test_the_database_refuses_a_second_spend_even_when_the_read_raced(db, monkeypatch):
    """Two requests read the check as unspent; the first spends it, the second's conditional update
    finds nothing to spend."""
    proof = factories.step_up(db, factories.holder(db))
    now = proof.verified_at + timedelta(seconds=30)
    _require(db, proof, now, single_use=True)
    monkeypatch.setattr(stepup, "_unspent", lambda row: True)  # the second request's stale read
    with pytest.raises(StepUpRequired):
        _require(db, proof, now + timedelta(seconds=1), single_use=True)


@pytest.mark.parametrize(
    ("spent_after_check", "unspent"), [(None, True), (-1, True), (0, False), (1, False)]
)
def test_a_check_is_unspent_until_an_action_uses_it(spent_after_check, unspent):
    checked = utcnow()
    row = AuthSession(
        step_up_at=checked,
        step_up_spent_at=None
        if spent_after_check is None
        else checked + timedelta(seconds=spent_after_check),
    )
    assert stepup._unspent(row) is unspent


def test_a_spent_check_without_a_check_time_is_spent():
    assert stepup._unspent(AuthSession(step_up_at=None, step_up_spent_at=utcnow())) is False


def test_a_verified_phone_offers_the_sms_method(db):
    person = factories.holder(db)
    account = factories.account_of(db, person)
    assert stepup.step_up_methods(session=db, account=account) == ["email"]
    account.phone_verified_at = utcnow()
    db.add(account)
    db.flush()
    assert stepup.step_up_methods(session=db, account=account) == ["email", "sms"]


def test_a_recent_proof_carries_its_method_and_ends_at_the_time_given(db):
    person = factories.holder(db)
    proof = factories.step_up(db, person)
    now = proof.verified_at + timedelta(seconds=30)
    recent = stepup.recent_proof(
        session=db, account_id=proof.account_id, session_id=proof.session_id, now=now
    )
    assert recent is not None and recent.method == "email" and recent.recent
    assert stepup.has_recent_step_up(session=db, session_id=proof.session_id, now=now)
    later = proof.verified_at + stepup.STEP_UP_VALIDITY + timedelta(seconds=1)
    assert not stepup.has_recent_step_up(session=db, session_id=proof.session_id, now=later)


def test_a_new_check_after_a_spent_one_can_be_spent_again(db):
    person = factories.holder(db)
    proof = factories.step_up(db, person)
    _require(db, proof, proof.verified_at + timedelta(seconds=30), single_use=True)
    again = factories.step_up(
        db, person, session_id=proof.session_id, now=proof.verified_at + timedelta(minutes=1)
    )
    assert _require(db, again, again.verified_at + timedelta(seconds=30), single_use=True)
