"""The back office's second factor: a code e-mailed to the staff member at every sign-in."""

from __future__ import annotations

import types
from types import SimpleNamespace

import pytest
from sqlmodel import select

from espace.identity import one_time_codes, second_factor
from espace.identity.models import OneTimeCode
from espace.identity.second_factor import SecondFactorError
from espace.notifications.models import OutboxMessage
from espace.state.staff import StaffLoginState
from tests import factories
from tests.events import run_handler


def _code_sent_to(db, email: str) -> str:
    import re

    message = db.exec(
        select(OutboxMessage)
        .where(OutboxMessage.recipient == email)
        .order_by(OutboxMessage.id.desc())
    ).first()
    return re.search(r"\b(\d{6})\b", message.body).group(1)


def test_a_staff_code_works_once_and_only_for_its_staff_member(db):
    alice, bob = factories.staff(db, role="handler"), factories.staff(db, role="manager")
    one_time_codes.send_staff_code(session=db, staff=alice)
    code = _code_sent_to(db, alice.email)
    row = db.exec(select(OneTimeCode).where(OneTimeCode.staff_id == alice.id)).one()
    assert row.account_id is None and row.code_hash != code  # only a keyed digest is stored
    with pytest.raises(SecondFactorError):
        second_factor.verify_staff_code(session=db, staff_id=bob.id, code=code)
    second_factor.verify_staff_code(session=db, staff_id=alice.id, code=code)
    with pytest.raises(SecondFactorError):
        second_factor.verify_staff_code(session=db, staff_id=alice.id, code=code)


def test_wrong_staff_codes_run_out_and_a_holder_code_is_no_staff_code(db):
    staff = factories.staff(db)
    person = factories.holder(db)
    account = factories.account_of(db, person)
    one_time_codes.send_code(session=db, account=account, purpose="login", channel="email")
    holder_code = _code_sent_to(db, account.email)
    one_time_codes.send_staff_code(session=db, staff=staff)
    real = _code_sent_to(db, staff.email)
    wrong = "000000" if real != "000000" else "111111"
    if holder_code != real:
        with pytest.raises(SecondFactorError):
            second_factor.verify_staff_code(session=db, staff_id=staff.id, code=holder_code)
    for _ in range(4):
        with pytest.raises(SecondFactorError):
            second_factor.verify_staff_code(session=db, staff_id=staff.id, code=wrong)
    with pytest.raises(SecondFactorError, match="Trop d'essais"):
        second_factor.verify_staff_code(session=db, staff_id=staff.id, code=real)


def test_resending_too_soon_is_refused(db):
    staff = factories.staff(db)
    one_time_codes.send_staff_code(session=db, staff=staff)
    with pytest.raises(one_time_codes.CodeThrottled):
        one_time_codes.send_staff_code(session=db, staff=staff)


def test_the_code_step_needs_the_password_step_first(engine):
    me = SimpleNamespace(
        _pending_staff_id=0, _pending_since=0.0, form_error="", code_error="", reset=lambda: None
    )
    me._pending_valid = types.MethodType(StaffLoginState._pending_valid, me)
    assert run_handler(StaffLoginState.verify, me, {"code": "123456"}) is None
    assert "mot de passe" in me.form_error


def test_a_pending_sign_in_expires_after_ten_minutes(engine):
    import time

    me = SimpleNamespace(
        _pending_staff_id=7,
        _pending_since=time.time() - 601,
        form_error="",
        code_error="",
        reset=lambda: None,
    )
    me._pending_valid = types.MethodType(StaffLoginState._pending_valid, me)
    assert run_handler(StaffLoginState.resend, me) is None and "expirée" in me.form_error
