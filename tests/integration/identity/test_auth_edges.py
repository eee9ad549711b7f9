"""Sign-in edges, written for the mutants that survived the mutation run of ``identity/auth`` and
``identity/signin`` (docs/security-testing.md).

What they pin, through the services a browser reaches:

- the per-address limit: the exact half-second steps past the slowdown threshold (the same for an
  unknown identifier as for a wrong password), the 5 s a refused address waits, which events count
  (failures only, of every kind, younger than 15 minutes to the microsecond) and that a caller
  without an address is never counted;
- the lockout: exactly 30 minutes from the time given, a right password or code (holder or staff)
  starting the count again, a lock taken by a concurrent request reported as such, the lock e-mail's
  reason and reset link, a closed or unknown staff member refused at the code step, an unknown staff
  address costing the same argon2id work;
- the second step: the SMS method of a verified mobile, an authenticator code accepted, a second
  password submission keeping the pending e-mailed code;
- the connection history and the new-device alert: each attempt listed on its own account with its
  browser, address and "new device" mark, the hand-off falling back to the sign-in's browser and
  address, the device cookie handed back, the alert's date, device and address, the alert tied to
  its account (an erasure finds it after the login address changed), and values cut to their column
  (PostgreSQL refuses longer ones, and the refused insert would undo the failure count).
"""

from __future__ import annotations

from datetime import timedelta

import pyotp
import pytest
import time_machine
from sqlalchemy import update
from sqlmodel import select

from espace import routes
from espace.core import crypto
from espace.core import formatting as fmt
from espace.core.models import utcnow
from espace.core.settings import get_settings
from espace.identity import (
    account_recovery,
    auth,
    devices,
    one_time_codes,
    security_page,
    sessions,
    signin,
)
from espace.identity.auth import Method, Outcome
from espace.identity.models import Account, CodePurpose, LoginEvent, LoginResult
from espace.identity.second_factor import SecondFactorError
from espace.notifications import outbox
from espace.privacy import rights
from tests import factories
from tests.integration.identity.conftest import argon2_cost
from tests.integration.identity.test_account_security import outbox as sent_to

IP = "203.0.113.57"
UA = "Mozilla/5.0 (X11; Linux x86_64; rv:130.0) Gecko/20100101 Firefox/130.0"
WRONG = "Mauvais#Essai2026"
NEW_PASSWORD = "Girafe#Bleue-Quai2027"
NEW_DEVICE_SUBJECT = "Nouvelle connexion à votre espace"


def _wrong(right: str) -> str:
    return "000000" if right != "000000" else "111111"


def _password(db, identifier: str, password: str = factories.PASSWORD, **kwargs):
    return auth.attempt_password(session=db, identifier=identifier, password=password, **kwargs)


def _events_from(db, ip: str, count: int, *, result=LoginResult.BAD_CREDENTIALS, at=None):
    """``count`` earlier events of ``result`` from ``ip`` (now, or at ``at``)."""
    when = {} if at is None else {"occurred_at": at}
    db.add_all([LoginEvent(ip_address=ip, result=result, **when) for _ in range(count)])
    db.flush()


def _finish(db, account, *, device=None, ip=IP, user_agent=UA):
    """The hand-off of a sign-in made from ``IP`` with ``UA``; the hand-off request itself carries
    ``ip`` and ``user_agent``."""
    code = sessions.begin_login(
        session=db, account_id=account.id, ip_address=IP, user_agent=UA, binding="this-tab"
    )
    return signin.finish_login(
        session=db,
        code=code,
        binding="this-tab",
        previous_token=None,
        device_token=device,
        ip=ip,
        user_agent=user_agent,
    )


def _history(db, account):
    return security_page.connection_history(session=db, account_id=account.id)


# ---- the per-address limit -----------------------------------------------------------------------


@pytest.mark.parametrize(("past_threshold", "delay"), [(-1, 0.0), (0, 0.5), (1, 1.0), (12, 5.0)])
def test_answers_are_slowed_half_a_second_per_failure_past_the_threshold(db, past_threshold, delay):
    """Failures seen from the address before this attempt: the threshold gives 0.5 s, each more
    0.5 s, 5 s at most (threshold 5 by default); an unknown identifier waits exactly as long as a
    wrong password."""
    person = factories.holder(db)
    before = get_settings().ip_slowdown_after + past_threshold
    _events_from(db, "192.0.2.11", before)
    _events_from(db, "192.0.2.12", before)
    unknown = _password(db, "personne@example.com", WRONG, ip="192.0.2.11")
    wrong = _password(db, person.email, WRONG, ip="192.0.2.12")
    assert (unknown.outcome, unknown.delay_seconds) == (Outcome.FAILED, delay)
    assert (wrong.outcome, wrong.delay_seconds) == (Outcome.FAILED, delay)


def test_a_refused_address_waits_five_seconds_even_with_the_right_password(db):
    person = factories.holder(db)
    _events_from(db, IP, get_settings().ip_block_after)
    refused = _password(db, person.email, ip=IP)
    assert (refused.outcome, refused.delay_seconds) == (Outcome.THROTTLED, 5.0)
    assert refused.message == auth.THROTTLED_MESSAGE


def _unknown_identifier(db, account, ip):
    _password(db, "personne@example.com", WRONG, ip=ip)


def _wrong_code(db, account, ip):
    one_time_codes.send_code(session=db, account=account, purpose="login", channel="email")
    code = factories.last_code(db, account.email)
    with pytest.raises(SecondFactorError):
        auth.verify_second_factor(
            session=db, account_id=account.id, method="email", code=_wrong(code), ip=ip
        )


@pytest.mark.parametrize("failure", [_unknown_identifier, _wrong_code])
def test_unknown_identifiers_and_wrong_codes_count_toward_the_address_limit(db, failure):
    person = factories.holder(db)
    _events_from(db, IP, get_settings().ip_block_after - 1)
    failure(db, factories.account_of(db, person), IP)
    assert _password(db, person.email, ip=IP).outcome is Outcome.THROTTLED


def test_only_failures_count_toward_the_address_limit(db):
    """A busy shared address (an office, a mobile carrier) that signs in successfully is not
    refused."""
    person = factories.holder(db)
    limit = get_settings().ip_block_after
    for result in (LoginResult.SUCCESS, LoginResult.RESET_REQUESTED, LoginResult.THROTTLED):
        _events_from(db, IP, limit, result=result)
    _events_from(db, "192.0.2.13", limit)  # another address's failures
    attempt = _password(db, person.email, WRONG, ip=IP)
    assert (attempt.outcome, attempt.delay_seconds) == (Outcome.FAILED, 0.0)


def test_failures_count_for_fifteen_minutes_to_the_microsecond(db):
    person = factories.holder(db)
    limit = get_settings().ip_block_after
    now = utcnow()
    with time_machine.travel(now, tick=False):
        _events_from(db, "192.0.2.14", limit, at=now - auth.IP_WINDOW)
        _events_from(db, "192.0.2.15", limit, at=now - auth.IP_WINDOW + timedelta(microseconds=1))
        assert _password(db, person.email, ip="192.0.2.14").outcome is not Outcome.THROTTLED
        assert _password(db, person.email, ip="192.0.2.15").outcome is Outcome.THROTTLED


def test_a_caller_without_an_address_is_never_counted(db, monkeypatch):
    """With the slowdown from the first failure, an address is slowed at once; callers without one
    do not share one count (one of them could otherwise slow or refuse all the others)."""
    monkeypatch.setattr(get_settings(), "ip_slowdown_after", 1)
    with_address = [_password(db, "personne@example.com", WRONG, ip=IP) for _ in range(2)]
    without = [_password(db, "personne@example.com", WRONG) for _ in range(2)]
    assert [a.delay_seconds for a in with_address] == [0.0, 0.5]
    assert [a.delay_seconds for a in without] == [0.0, 0.0]


# ---- the lockout ---------------------------------------------------------------------------------


def test_the_fifth_failure_locks_for_thirty_minutes_from_the_time_given(db):
    """Two hours ago: the fifth failure of that moment reports the lock, which ends 30 minutes
    after it to the microsecond. The caller's copy of the account follows the committed count
    (``failures.commit_apart``: nothing it holds is stale)."""
    account = factories.account_of(db, factories.holder(db))
    then = utcnow() - timedelta(hours=2)
    reported, counts = [], []
    for _ in range(auth.MAX_FAILURES):
        reported.append(auth.record_failure(session=db, principal=account, now=then))
        counts.append(account.failed_login_count)
    assert reported == [False, False, False, False, True]
    assert counts == [1, 2, 3, 4, 0]
    end = then + auth.LOCK_DURATION
    assert account.locked_until == end
    assert auth.is_locked(account, end - timedelta(microseconds=1))
    assert not auth.is_locked(account, end)


def test_a_right_password_starts_the_wrong_password_count_again(db):
    person = factories.holder(db)
    for _ in range(auth.MAX_FAILURES - 1):
        _password(db, person.email, WRONG)
    assert _password(db, person.email).outcome is Outcome.SECOND_FACTOR
    for _ in range(auth.MAX_FAILURES - 1):
        _password(db, person.email, WRONG)
    assert not auth.is_locked(factories.account_of(db, person))
    assert _password(db, person.email).outcome is Outcome.SECOND_FACTOR


def _with_app(db, account) -> pyotp.TOTP:
    secret = pyotp.random_base32()
    account.totp_secret_encrypted = crypto.encrypt(secret, purpose=b"totp")
    account.totp_enabled_at = utcnow()
    db.add(account)
    db.flush()
    return pyotp.TOTP(secret)


def test_the_right_app_code_signs_in_and_starts_the_code_count_again(db):
    """Four wrong codes, the right one (accepted), four wrong again: not locked; the fifth in a row
    locks, and its answer says so."""
    account = factories.account_of(db, factories.holder(db))
    app = _with_app(db, account)

    def verify(code):
        auth.verify_second_factor(session=db, account_id=account.id, method="totp", code=code)

    for _ in range(auth.MAX_FAILURES - 1):
        with pytest.raises(SecondFactorError):
            verify(_wrong(app.now()))
    verify(app.now())
    for _ in range(auth.MAX_FAILURES - 1):
        with pytest.raises(SecondFactorError):
            verify(_wrong(app.now()))
    assert not auth.is_locked(account)
    with pytest.raises(SecondFactorError) as locked:
        verify(_wrong(app.now()))
    assert str(locked.value) == auth.LOCKED_BY_CODES and auth.is_locked(account)


def test_a_wrong_code_after_another_request_locked_the_account_says_it_is_locked(db):
    """This request read the account unlocked; another one locked it before the code was checked."""
    account = factories.account_of(db, factories.holder(db))
    one_time_codes.send_code(session=db, account=account, purpose="login", channel="email")
    code = factories.last_code(db, account.email)
    db.exec(
        update(Account)
        .where(Account.id == account.id)
        .values(locked_until=utcnow() + auth.LOCK_DURATION)
        .execution_options(synchronize_session=False)
    )
    with pytest.raises(SecondFactorError) as refused:
        auth.verify_second_factor(
            session=db, account_id=account.id, method="email", code=_wrong(code)
        )
    assert str(refused.value) == auth.LOCKED_BY_CODES


def test_the_lock_email_says_why_and_links_to_the_reset_page(db):
    person = factories.holder(db)
    for _ in range(auth.MAX_FAILURES):
        _password(db, person.email, WRONG)
    mail = sent_to(db, person.email)[-1]
    assert auth._LOCK_TEXTS[auth.PASSWORD] in mail.body
    assert f"{outbox.link(routes.FORGOT)}\n" in mail.body


# ---- staff ---------------------------------------------------------------------------------------


def test_an_unknown_staff_address_is_refused_after_the_same_work(db, verified_hashes):
    staff = factories.staff(db)
    assert (
        auth.authenticate_staff(session=db, email="personne@espace.example", password=WRONG) is None
    )
    assert auth.authenticate_staff(session=db, email=staff.email, password=WRONG) is None
    assert len(verified_hashes) == 2
    assert argon2_cost(verified_hashes[0]) == argon2_cost(verified_hashes[1])


def test_a_right_staff_password_starts_the_count_again_and_records_the_sign_in(db):
    staff = factories.staff(db)

    def sign_in(password):
        return auth.authenticate_staff(session=db, email=staff.email, password=password)

    for _ in range(auth.MAX_FAILURES - 1):
        assert sign_in(WRONG) is None
    before = utcnow()
    assert sign_in(factories.PASSWORD) is staff
    assert before <= staff.last_login_at <= utcnow()
    for _ in range(auth.MAX_FAILURES - 1):
        assert sign_in(WRONG) is None
    assert not auth.is_locked(staff)
    assert sign_in(factories.PASSWORD) is staff


def test_a_right_staff_code_starts_the_count_again_and_the_fifth_wrong_one_locks(db):
    staff = factories.staff(db)

    def new_code():
        one_time_codes.send_staff_code(session=db, staff=staff)
        return factories.last_code(db, staff.email)

    def verify(code):
        auth.verify_staff_code(session=db, staff_id=staff.id, code=code)

    code = new_code()
    for _ in range(auth.MAX_FAILURES - 1):
        with pytest.raises(SecondFactorError):
            verify(_wrong(code))
    verify(code)
    code = new_code()  # the next sign-in
    for _ in range(auth.MAX_FAILURES - 1):
        with pytest.raises(SecondFactorError):
            verify(_wrong(code))
    assert not auth.is_locked(staff)
    with pytest.raises(SecondFactorError) as locked:
        verify(_wrong(code))
    assert "verrouillé" in str(locked.value).lower() and auth.is_locked(staff)
    assert auth._LOCK_TEXTS[auth.CODE] in sent_to(db, staff.email)[-1].body


def test_a_staff_code_is_refused_once_the_access_is_closed_or_for_nobody(db):
    staff = factories.staff(db)
    one_time_codes.send_staff_code(session=db, staff=staff)
    code = factories.last_code(db, staff.email)
    staff.is_active = False  # closed between the password and the code
    db.add(staff)
    db.flush()
    with pytest.raises(SecondFactorError):
        auth.verify_staff_code(session=db, staff_id=staff.id, code=code)
    with pytest.raises(SecondFactorError):
        auth.verify_staff_code(session=db, staff_id=10**9, code=code)


# ---- the second step -----------------------------------------------------------------------------


def test_a_verified_mobile_offers_the_sms_code_at_sign_in(db):
    person = factories.holder(db)
    account = factories.account_of(db, person)
    account.phone_verified_at = utcnow()
    db.add(account)
    db.flush()
    attempt = _password(db, person.email)
    assert (attempt.outcome, attempt.methods) == (Outcome.SECOND_FACTOR, [Method.EMAIL, Method.SMS])


def test_a_second_password_submission_keeps_the_pending_code(db):
    """The e-mailed code of the first submission still works: no second e-mail, and the pause
    before another e-mailed code holds."""
    person = factories.holder(db)
    account = factories.account_of(db, person)
    assert _password(db, person.email).outcome is Outcome.SECOND_FACTOR
    assert _password(db, person.email).outcome is Outcome.SECOND_FACTOR
    assert len(sent_to(db, person.email)) == 1
    with pytest.raises(one_time_codes.CodeThrottled):
        one_time_codes.send_code(session=db, account=account, purpose="login", channel="email")


def test_a_holder_not_yet_activated_is_answered_for_their_own_account(db):
    """The sign-in page keeps the account to send the activation link again."""
    person = factories.holder(db)
    account = factories.account_of(db, person)
    account.activated_at = None
    db.add(account)
    db.flush()
    attempt = _password(db, person.email)
    assert (attempt.outcome, attempt.account_id) == (Outcome.NOT_ACTIVATED, account.id)


# ---- connection history --------------------------------------------------------------------------


def _locked(db, person, account):
    account.locked_until = utcnow() + timedelta(minutes=10)
    db.add(account)
    db.flush()
    _password(db, person.email, ip=IP, user_agent=UA)


def _closed(db, person, account):
    account.is_active = False
    db.add(account)
    db.flush()
    _password(db, person.email, ip=IP, user_agent=UA)


def _not_activated(db, person, account):
    account.activated_at = None
    db.add(account)
    db.flush()
    _password(db, person.email, ip=IP, user_agent=UA)


def _wrong_password(db, person, account):
    _password(db, person.email, WRONG, ip=IP, user_agent=UA)


def _wrong_code_from_the_browser(db, person, account):
    one_time_codes.send_code(session=db, account=account, purpose="login", channel="email")
    code = factories.last_code(db, account.email)
    with pytest.raises(SecondFactorError):
        auth.verify_second_factor(
            session=db,
            account_id=account.id,
            method="email",
            code=_wrong(code),
            ip=IP,
            user_agent=UA,
        )


@pytest.mark.parametrize(
    ("refused", "result"),
    [
        (_wrong_password, LoginResult.BAD_CREDENTIALS),
        (_locked, LoginResult.LOCKED),
        (_closed, LoginResult.LOCKED),
        (_not_activated, LoginResult.NOT_ACTIVATED),
        (_wrong_code_from_the_browser, LoginResult.SECOND_FACTOR_FAILED),
    ],
)
def test_a_refused_sign_in_is_in_the_holders_history_with_its_browser_and_address(
    db, refused, result
):
    person = factories.holder(db)
    account = factories.account_of(db, person)
    refused(db, person, account)
    (row,) = _history(db, account)
    assert (row.result, row.device, row.ip, row.success, row.new_device) == (
        security_page.RESULT_LABELS[result],
        str(devices.describe(UA)),
        devices.mask_ip(IP),
        False,
        False,
    )


def test_the_history_marks_the_first_sign_in_from_a_browser_and_only_that_one(db):
    """The browser keeps the device token it is handed: the next sign-in with it is known (no
    second alert)."""
    account = factories.account_of(db, factories.holder(db))
    first = _finish(db, account)
    _finish(db, account, device=first.device_token)
    seen = [(h.success, h.new_device, h.device, h.ip) for h in _history(db, account)]
    label, ip = str(devices.describe(UA)), devices.mask_ip(IP)
    assert seen == [(True, False, label, ip), (True, True, label, ip)]
    assert [m.subject for m in sent_to(db, account.email)] == [NEW_DEVICE_SUBJECT]


def test_a_staff_sign_in_hands_back_the_browsers_device_token(db):
    staff = factories.staff(db)
    code = sessions.begin_login(session=db, staff_id=staff.id, binding="this-tab")
    finished = signin.finish_login(
        session=db,
        code=code,
        binding="this-tab",
        previous_token=None,
        device_token="the-browsers-device-token",
        ip=IP,
        user_agent=UA,
    )
    assert finished.device_token == "the-browsers-device-token"


def test_a_hand_off_without_address_or_browser_takes_those_of_the_sign_in(db):
    account = factories.account_of(db, factories.holder(db))
    _finish(db, account, ip="", user_agent="")
    (row,) = _history(db, account)
    label = devices.describe(UA)
    assert (row.device, row.ip) == (str(label), devices.mask_ip(IP))
    (alert,) = sent_to(db, account.email)
    assert f"Navigateur : {label.browser}" in alert.body
    assert f"Adresse IP : {devices.mask_ip(IP)}" in alert.body


def test_the_new_device_alert_says_when_from_which_device_and_address(db):
    account = factories.account_of(db, factories.holder(db))
    now = utcnow()
    with time_machine.travel(now, tick=False):
        _finish(db, account)
    (alert,) = sent_to(db, account.email)
    label = devices.describe(UA)
    for line in (
        f"Date : {fmt.datetime_fr(now)}",
        f"Appareil : {label.kind}",
        f"Navigateur : {label.browser}",
        f"Système : {label.system}",
        f"Adresse IP : {devices.mask_ip(IP)}",
    ):
        assert line in alert.body
    assert account.last_login_at == now  # in the holder's data export


def test_an_erasure_strips_the_new_device_alert_sent_to_a_former_login_address(db):
    """A login address of its own (sign-up allows one), replaced through lost-access recovery (which
    records no profile change): the alert sent to it is found by its account."""
    person = factories.holder(db)
    account = factories.account_of(db, person)
    account.email = former = f"connexion.{person.email}"
    db.add(account)
    db.flush()
    _finish(db, account)
    (alert,) = sent_to(db, former)
    one_time_codes.send_code(
        session=db, account=account, purpose=CodePurpose.RECOVERY, channel="sms"
    )
    account_recovery.finish_recovery(
        session=db,
        account_id=account.id,
        code=factories.last_code(db, person.phone, "sms"),
        new_email=f"nouvelle.{person.email}",
        password=NEW_PASSWORD,
        confirm=NEW_PASSWORD,
    )
    proof = factories.signed_in_with_step_up(db, person)[2]
    rights.request_erasure(session=db, holder_id=person.id, account_id=account.id, proof=proof)
    db.refresh(alert)
    assert alert.body == rights.ERASED_BODY and alert.recipient != former


def test_a_session_signed_in_through_the_hand_off_is_on_a_known_device(db):
    """The security score's "no other session on an unknown device" holds for two browsers that
    both signed in normally."""
    account = factories.account_of(db, factories.holder(db))
    _finish(db, account, device="laptop")
    _finish(db, account, device="phone")
    current = security_page.open_sessions(
        session=db, account_id=account.id, current_session_id=None
    )
    score = security_page.security_score(
        session=db, account=account, current_session_id=current[0].id
    )
    (item,) = [i for i in score.items if i.key == "sessions"]
    assert item.done


def test_an_oversized_address_or_browser_name_is_cut_to_its_column(db):
    """45 and 400 characters: PostgreSQL refuses more, and the refused insert would undo the
    failure count committed with it."""
    person = factories.holder(db)
    account = factories.account_of(db, person)
    _password(db, person.email, WRONG, ip="2001:db8::1%" + "e" * 60, user_agent=UA + "x" * 600)
    event = db.exec(select(LoginEvent).where(LoginEvent.account_id == account.id)).one()
    assert (len(event.ip_address), len(event.user_agent)) == (45, 400)
