"""Account security against a real database: lockout, throttling, second factors, tokens,
recovery."""

from __future__ import annotations

import itertools
import re
import time
from datetime import date, timedelta

import pyotp
import pytest
import time_machine
from sqlmodel import select

from espace.core import crypto
from espace.core.models import utcnow
from espace.identity import (
    account_recovery,
    accounts,
    auth,
    one_time_codes,
    passwords,
    second_factor,
    security_page,
    sessions,
    signin,
    signup,
    stepup,
)
from espace.identity.auth import Method, Outcome
from espace.identity.models import (
    AccessRecoveryRequest,
    Account,
    AuthSession,
    LoginEvent,
    LoginResult,
    Policyholder,
    RecoveryCode,
)
from espace.identity.second_factor import SecondFactorError
from espace.notifications.models import OutboxMessage
from tests import factories
from tests.events import run_handler
from tests.integration.identity.conftest import argon2_cost

IP = "198.51.100.23"
NEW_PASSWORD = "Girafe#Bleue-Quai2027"


def outbox(db, to: str, channel: str = "email") -> list[OutboxMessage]:
    return list(
        db.exec(
            select(OutboxMessage)
            .where(OutboxMessage.recipient == to, OutboxMessage.channel == channel)
            .order_by(OutboxMessage.id)
        ).all()
    )


def last_code(db, to: str, channel: str = "email") -> str:
    return re.search(r"\b(\d{6})\b", outbox(db, to, channel)[-1].body).group(1)


def last_link_token(db, to: str) -> str:
    return re.search(r"jeton=([\w-]+)", outbox(db, to)[-1].body).group(1)


def attempt(db, person, password=factories.PASSWORD, ip=IP, device=None):
    return auth.attempt_password(
        session=db,
        identifier=person.email,
        password=password,
        ip=ip,
        user_agent="pytest",
        device_token=device,
    )


def login_session(db, person, *, device="device-1", trust=False) -> tuple[str, AuthSession]:
    account = factories.account_of(db, person)
    code = sessions.begin_login(
        session=db,
        account_id=account.id,
        user_agent="pytest",
        trust_device=trust,
        binding="this-browser",
    )
    finished = signin.finish_login(
        session=db,
        code=code,
        binding="this-browser",
        previous_token=None,
        device_token=device,
        user_agent="pytest",
    )
    row = db.exec(
        select(AuthSession)
        .where(AuthSession.activated_at.is_not(None), AuthSession.account_id == account.id)
        .order_by(AuthSession.id.desc())
    ).first()
    return finished.session_token, row


# ---- lockout and throttling -------------------------------------------------------------------


def test_five_failures_lock_for_30_minutes_and_the_right_password_is_refused(db):
    person = factories.holder(db)
    factories.contract(db, person)
    for _ in range(5):
        assert attempt(db, person, password="Wrong#Password2026").outcome is Outcome.FAILED
    locked = attempt(db, person)
    assert locked.outcome is Outcome.FAILED and locked.message == auth.LOGIN_FAILED_MESSAGE
    mails = outbox(db, person.email)
    assert [m.subject for m in mails] == ["Votre espace est verrouillé pendant 30 minutes"]
    assert "/mot-de-passe-oublie" in mails[0].body
    with time_machine.travel(utcnow() + timedelta(minutes=31)):
        assert attempt(db, person).outcome is not Outcome.FAILED


def test_a_reset_unlocks_the_account(db):
    person = factories.holder(db)
    for _ in range(5):
        attempt(db, person, password="Wrong#Password2026")
    account_recovery.request_reset(session=db, identifier=person.email, channel="email")
    account_recovery.reset_with_token(
        session=db,
        token=last_link_token(db, person.email),
        password=NEW_PASSWORD,
        confirm=NEW_PASSWORD,
    )
    assert attempt(db, person, password=NEW_PASSWORD).outcome is not Outcome.FAILED
    assert attempt(db, person).outcome is Outcome.FAILED  # the old password is gone


def test_unknown_and_known_accounts_answer_alike(db, verified_hashes):
    person = factories.holder(db)
    unknown = auth.attempt_password(
        session=db, identifier="ghost@example.com", password="x", ip="192.0.2.1"
    )
    wrong = attempt(db, person, password="x", ip="192.0.2.2")
    assert (unknown.outcome, unknown.message) == (wrong.outcome, wrong.message)
    # Same work: the unknown identifier still runs one argon2id verification, against a hash of
    # the very cost a real account's has.
    assert len(verified_hashes) == 2
    assert argon2_cost(verified_hashes[0]) == argon2_cost(passwords.hash_password("any"))
    real_hash = factories.account_of(db, person).password_hash
    assert argon2_cost(verified_hashes[1]) == argon2_cost(real_hash)


def test_failures_from_one_address_across_accounts_are_slowed_then_blocked(db):
    people = [factories.holder(db) for _ in range(3)]
    ip = "192.0.2.99"
    delays = []
    for i in range(30):
        delays.append(
            auth.attempt_password(
                session=db, identifier=people[i % 3].email, password="nope", ip=ip
            ).delay_seconds
        )
    assert delays[0] == 0 and delays[-1] == 5.0 and delays == sorted(delays)
    blocked = attempt(db, people[0], ip=ip)
    assert blocked.outcome is Outcome.THROTTLED and "15 minutes" in blocked.message
    assert (
        attempt(db, people[0], ip="192.0.2.100").outcome is not Outcome.THROTTLED
    )  # another address is fine


# ---- second factor at sign-in --------------------------------------------------------------------


def test_only_a_trusted_device_skips_the_code(db):
    person = factories.holder(db)
    first = attempt(db, person, device=None)
    assert first.outcome is Outcome.SECOND_FACTOR and first.methods == [Method.EMAIL]
    code = last_code(db, person.email)
    auth.verify_second_factor(session=db, account_id=first.account_id, method="email", code=code)
    with pytest.raises(SecondFactorError):  # single use
        auth.verify_second_factor(
            session=db, account_id=first.account_id, method="email", code=code
        )
    login_session(db, person, device="laptop")  # "Faire confiance à cet appareil" not ticked
    assert attempt(db, person, device="laptop").outcome is Outcome.SECOND_FACTOR
    login_session(db, person, device="laptop", trust=True)
    assert attempt(db, person, device="laptop").outcome is Outcome.OK


def test_email_code_expires_after_10_minutes_and_allows_5_tries(db):
    person = factories.holder(db)
    account = factories.account_of(db, person)
    one_time_codes.send_code(session=db, account=account, purpose="login", channel="email")
    code = last_code(db, person.email)
    later = utcnow() + timedelta(minutes=11)
    with time_machine.travel(later):
        with pytest.raises(SecondFactorError, match="expiré"):
            second_factor.verify_code(session=db, account_id=account.id, purpose="login", code=code)
        one_time_codes.send_code(session=db, account=account, purpose="login", channel="email")
        code = last_code(db, person.email)
        for _ in range(5):
            with pytest.raises(SecondFactorError):
                second_factor.verify_code(
                    session=db,
                    account_id=account.id,
                    purpose="login",
                    code="000000" if code != "000000" else "111111",
                )
        with pytest.raises(SecondFactorError, match="Trop d'essais"):
            second_factor.verify_code(session=db, account_id=account.id, purpose="login", code=code)


def test_totp_enrolment_verification_and_replay_refused(db):
    person = factories.holder(db)
    account = factories.account_of(db, person)
    proof = factories.step_up(db, person)
    enrolment = second_factor.begin_totp(session=db, account=account, proof=proof)
    assert enrolment.qr_svg_data_uri.startswith("data:image/svg+xml")
    secret = enrolment.secret.replace(" ", "")
    assert secret not in (account.totp_pending_encrypted or "")  # encrypted at rest
    assert crypto.decrypt(account.totp_pending_encrypted, purpose=b"totp") == secret
    assert (
        account.totp_secret_encrypted is None and account.totp_enabled_at is None
    )  # pending until confirmed
    totp = pyotp.TOTP(secret)
    with pytest.raises(SecondFactorError):
        second_factor.confirm_totp(
            session=db,
            account=account,
            code="000000" if totp.now() != "000000" else "111111",
            proof=proof,
        )
    now = time.time()
    with time_machine.travel(now, tick=False):
        second_factor.confirm_totp(session=db, account=account, code=totp.at(now), proof=proof)
        with pytest.raises(SecondFactorError, match="déjà été utilisé"):
            second_factor.verify_totp(session=db, account=account, code=totp.at(now))
    with time_machine.travel(now + 30, tick=False):
        second_factor.verify_totp(session=db, account=account, code=totp.at(now + 30))
    assert attempt(db, person, device="any").methods == [Method.TOTP, Method.RECOVERY]
    assert crypto.decrypt(account.totp_secret_encrypted, purpose=b"totp") == secret
    assert account.totp_pending_encrypted is None


def enable_totp(db, account) -> pyotp.TOTP:
    """An authenticator app set up directly in the database (the enrolment itself is tested
    above)."""
    secret = pyotp.random_base32()
    account.totp_secret_encrypted, account.totp_enabled_at = (
        crypto.encrypt(secret, purpose=b"totp"),
        utcnow(),
    )
    db.add(account)
    db.flush()
    return pyotp.TOTP(secret)


def test_trusted_device_skips_the_second_factor_for_30_days(db):
    person = factories.holder(db)
    account = factories.account_of(db, person)
    enable_totp(db, account)
    login_session(db, person, device="phone", trust=True)
    assert attempt(db, person, device="phone").outcome is Outcome.OK
    assert attempt(db, person, device="other").outcome is Outcome.SECOND_FACTOR
    with time_machine.travel(utcnow() + timedelta(days=31)):
        assert attempt(db, person, device="phone").outcome is Outcome.SECOND_FACTOR


def test_recovery_codes_are_ten_single_use_and_replaced_when_regenerated(db):
    person = factories.holder(db)
    account = factories.account_of(db, person)
    proof = factories.step_up(db, person)
    codes = second_factor.generate_recovery_codes(session=db, account=account, proof=proof)
    assert len(codes) == 10 and len(set(codes)) == 10
    stored = db.exec(
        select(RecoveryCode.code_hash).where(RecoveryCode.account_id == account.id)
    ).all()
    assert not set(c.replace("-", "") for c in codes) & set(stored)
    second_factor.use_recovery_code(session=db, account_id=account.id, code=codes[0].lower())
    with pytest.raises(SecondFactorError):
        second_factor.use_recovery_code(session=db, account_id=account.id, code=codes[0])
    assert second_factor.recovery_codes_left(session=db, account_id=account.id) == 9
    fresh = second_factor.generate_recovery_codes(session=db, account=account, proof=proof)
    with pytest.raises(SecondFactorError):
        second_factor.use_recovery_code(session=db, account_id=account.id, code=codes[1])
    second_factor.use_recovery_code(session=db, account_id=account.id, code=fresh[1])


def test_second_factor_failures_count_toward_the_lockout(db):
    person = factories.holder(db)
    first = attempt(db, person)
    wrong = "000000" if last_code(db, person.email) != "000000" else "111111"
    for _ in range(5):
        with pytest.raises(SecondFactorError):
            auth.verify_second_factor(
                session=db, account_id=first.account_id, method="email", code=wrong
            )
    assert auth.is_locked(factories.account_of(db, person))


# ---- sign-up and activation -------------------------------------------------------------------


def _identity(db):
    person = factories.holder(
        db, with_account=False, last_name="Le Bihan", birth_date=date(1979, 6, 2)
    )
    contract = factories.contract(db, person)
    return person, contract


def test_identity_must_match_all_four_fields(db):
    person, contract = _identity(db)
    good = dict(
        contract_number=contract.number,
        last_name="le bihan",
        birth_date=date(1979, 6, 2),
        postal_code="44000",
    )
    assert signup.match_contract_identity(session=db, **good).id == person.id
    for field, wrong in [
        ("contract_number", "MRH0000001"),
        ("last_name", "Le Bian"),
        ("birth_date", date(1979, 6, 3)),
        ("postal_code", "44100"),
    ]:
        assert signup.match_contract_identity(session=db, **{**good, field: wrong}) is None


def test_sign_up_activation_and_login(db):
    person, _ = _identity(db)
    account = signup.sign_up(
        session=db,
        holder=person,
        email="Nouveau.Client@Example.com",
        password=NEW_PASSWORD,
        confirm=NEW_PASSWORD,
    )
    assert account.email == "nouveau.client@example.com" and account.activated_at is None
    pending = auth.attempt_password(session=db, identifier=account.email, password=NEW_PASSWORD)
    assert pending.outcome is Outcome.NOT_ACTIVATED
    token = last_link_token(db, account.email)
    assert signup.activate(session=db, token=token).id == account.id
    assert signup.activate(session=db, token=token) is None  # single use
    assert (
        auth.attempt_password(session=db, identifier=account.email, password=NEW_PASSWORD).outcome
        is Outcome.SECOND_FACTOR
    )
    with pytest.raises(accounts.AccountError, match="existe déjà"):
        signup.sign_up(
            session=db,
            holder=person,
            email="autre@example.com",
            password=NEW_PASSWORD,
            confirm=NEW_PASSWORD,
        )


def test_activation_link_expires_after_72_hours_and_can_be_resent(db):
    person, _ = _identity(db)
    account = signup.sign_up(
        session=db,
        holder=person,
        email="tardif@example.com",
        password=NEW_PASSWORD,
        confirm=NEW_PASSWORD,
    )
    token = last_link_token(db, account.email)
    with time_machine.travel(utcnow() + timedelta(hours=73)):
        assert signup.activate(session=db, token=token) is None
        signup.resend_activation(session=db, account_id=account.id)
        with pytest.raises(accounts.AccountError, match="patientez"):
            signup.resend_activation(session=db, account_id=account.id)
        assert signup.activate(session=db, token=last_link_token(db, account.email)) is not None


@pytest.mark.parametrize(
    "email, password, confirm, field",
    [
        ("pas-une-adresse", NEW_PASSWORD, NEW_PASSWORD, "email"),
        ("ok@example.com", "court", "court", "password"),
        ("ok@example.com", NEW_PASSWORD, NEW_PASSWORD + "x", "confirm"),
        ("ok@example.com", "LeBihan#Nantes2026", "LeBihan#Nantes2026", "password"),
    ],
)
def test_sign_up_refusals_point_at_the_field(db, email, password, confirm, field):
    person, _ = _identity(db)
    with pytest.raises(accounts.AccountError) as error:
        signup.sign_up(session=db, holder=person, email=email, password=password, confirm=confirm)
    assert error.value.field == field
    assert accounts.account_of_holder(session=db, holder_id=person.id) is None


# ---- passwords ------------------------------------------------------------------------------


def test_reset_link_is_single_use_expires_and_ends_sessions(db):
    person = factories.holder(db)
    token_a, _ = login_session(db, person)
    account_recovery.request_reset(session=db, identifier=person.email, channel="email")
    link = last_link_token(db, person.email)
    with time_machine.travel(utcnow() + timedelta(hours=25)):
        with pytest.raises(accounts.AccountError, match="plus valable"):
            account_recovery.reset_with_token(
                session=db, token=link, password=NEW_PASSWORD, confirm=NEW_PASSWORD
            )
    with pytest.raises(accounts.AccountError):  # a weak password does not spend the link
        account_recovery.reset_with_token(
            session=db, token=link, password="faible", confirm="faible"
        )
    account_recovery.reset_with_token(
        session=db, token=link, password=NEW_PASSWORD, confirm=NEW_PASSWORD
    )
    with pytest.raises(accounts.AccountError, match="plus valable"):
        account_recovery.reset_with_token(
            session=db, token=link, password=NEW_PASSWORD + "9", confirm=NEW_PASSWORD + "9"
        )
    assert sessions.validate(session=db, token=token_a) is None
    assert outbox(db, person.email)[-1].subject == "Votre mot de passe a été modifié"


def test_reset_by_sms_code(db):
    person = factories.holder(db)
    account_id = account_recovery.request_reset(session=db, identifier=person.email, channel="sms")
    code = last_code(db, person.phone, "sms")
    account_recovery.reset_with_code(
        session=db, account_id=account_id, code=code, password=NEW_PASSWORD, confirm=NEW_PASSWORD
    )
    assert auth.authenticate(session=db, identifier=person.email, password=NEW_PASSWORD) is not None


def test_reset_request_for_unknown_account_sends_nothing(db):
    before = len(db.exec(select(OutboxMessage)).all())
    assert (
        account_recovery.request_reset(session=db, identifier="ghost@example.com", channel="email")
        is None
    )
    assert (
        account_recovery.request_reset(session=db, identifier="ghost@example.com", channel="sms")
        is None
    )
    assert len(db.exec(select(OutboxMessage)).all()) == before


def test_password_history_refuses_the_last_five(db):
    person = factories.holder(db)
    account = factories.account_of(db, person)
    proof = factories.step_up(db, person)
    passwords = [factories.PASSWORD] + [f"Girafe#Bleue-Quai{i}x" for i in range(5)]
    for current, new in itertools.pairwise(passwords):
        accounts.change_password(
            session=db, account_id=account.id, current=current, new=new, confirm=new, proof=proof
        )
    for old in passwords[1:]:
        with pytest.raises(accounts.AccountError, match="déjà utilisé"):
            accounts.change_password(
                session=db,
                account_id=account.id,
                current=passwords[-1],
                new=old,
                confirm=old,
                proof=proof,
            )
    # the oldest fell out of the 5 kept
    accounts.change_password(
        session=db,
        account_id=account.id,
        current=passwords[-1],
        new=passwords[0],
        confirm=passwords[0],
        proof=proof,
    )


def test_change_password_needs_the_current_one_and_ends_other_sessions(db):
    person = factories.holder(db)
    mine, row = login_session(db, person, device="a")
    other, _ = login_session(db, person, device="b")
    account = factories.account_of(db, person)
    proof = factories.step_up(db, person, session_id=row.id)
    with pytest.raises(accounts.AccountError, match="actuel incorrect"):
        accounts.change_password(
            session=db,
            account_id=account.id,
            current="nope",
            new=NEW_PASSWORD,
            confirm=NEW_PASSWORD,
            proof=proof,
        )
    accounts.change_password(
        session=db,
        account_id=account.id,
        current=factories.PASSWORD,
        new=NEW_PASSWORD,
        confirm=NEW_PASSWORD,
        proof=proof,
    )
    assert sessions.validate(session=db, token=mine) is not None
    assert sessions.validate(session=db, token=other) is None


# ---- lost access, new devices, "ce n'était pas moi" ----------------------------------------------


def test_lost_access_with_a_phone_goes_through_an_sms_code(db):
    person = factories.holder(db)
    start = account_recovery.start_recovery(session=db, holder=person)
    assert start.kind == "sms" and start.masked_phone.endswith(
        f"{person.phone[-4:-2]} {person.phone[-2:]}"
    )
    code = last_code(db, person.phone, "sms")
    old_email = person.email
    account_recovery.finish_recovery(
        session=db,
        account_id=start.account_id,
        code=code,
        new_email="nouvelle@example.com",
        password=NEW_PASSWORD,
        confirm=NEW_PASSWORD,
    )
    assert factories.account_of(db, person).email == "nouvelle@example.com"
    assert outbox(db, old_email)[-1].subject == "Votre adresse de connexion a changé"


def test_lost_access_without_a_phone_becomes_a_staff_request(db):
    person = factories.holder(db, phone="")
    start = account_recovery.start_recovery(
        session=db, holder=person, contact_email="joignable@example.com"
    )
    assert start.kind == "request"
    request = db.get(AccessRecoveryRequest, start.request_id)
    assert request.status == "open" and timedelta(
        hours=47
    ) < request.due_at - utcnow() <= timedelta(hours=48)
    assert factories.account_of(db, person).email == person.email  # nothing taken over


def test_new_device_alert_and_not_me_link(db):
    person = factories.holder(db)
    token, _ = login_session(db, person, device="new-one")
    alert = outbox(db, person.email)[-1]
    assert alert.subject == "Nouvelle connexion à votre espace" and "Navigateur" in alert.body
    login_session(db, person, device="new-one")
    assert outbox(db, person.email)[-1].id == alert.id  # same device: no second alert
    not_me = re.search(r"jeton=([\w-]+)", alert.body).group(1)
    assert account_recovery.report_not_me(session=db, token=not_me)
    assert sessions.validate(session=db, token=token) is None
    assert (
        auth.authenticate(session=db, identifier=person.email, password=factories.PASSWORD) is None
    )
    assert outbox(db, person.email)[-1].subject == "Réinitialisez votre mot de passe"
    assert not account_recovery.report_not_me(session=db, token=not_me)


# ---- security page services ----------------------------------------------------------------------


def test_history_sessions_and_score(db):
    person = factories.holder(db)
    attempt(db, person, password="bad")
    _, current = login_session(db, person, device="d1")
    account = factories.account_of(db, person)
    history = security_page.connection_history(session=db, account_id=account.id)
    assert [h.success for h in history][:2] == [True, False]
    assert history[0].ip in ("inconnue",) or history[0].ip.endswith("xxx")
    score = security_page.security_score(session=db, account=account, current_session_id=current.id)
    assert score.score == 35  # recent password, no other session
    # a session opened without going through the device bookkeeping counts as an unknown device
    sessions.complete_handoff(
        session=db, code=sessions.begin_login(session=db, account_id=account.id)
    )
    assert (
        security_page.security_score(
            session=db, account=account, current_session_id=current.id
        ).score
        == 20
    )
    assert (
        security_page.end_other_sessions(
            session=db, account_id=account.id, current_session_id=current.id
        )
        == 1
    )
    proof = factories.step_up(db, person, session_id=current.id)
    second_factor.generate_recovery_codes(session=db, account=account, proof=proof)
    enable_totp(db, account)
    account.phone_verified_at = utcnow()
    assert (
        security_page.security_score(
            session=db, account=account, current_session_id=current.id
        ).score
        == 100
    )
    with time_machine.travel(utcnow() + timedelta(days=366)):
        assert (
            security_page.security_score(session=db, account=account, current_session_id=None).score
            == 80
        )


def test_a_holder_cannot_end_another_holders_session(db):
    alice, bob = factories.holder(db), factories.holder(db)
    alice_token, alice_row = login_session(db, alice)
    bob_account = factories.account_of(db, bob)
    assert not security_page.end_session(
        session=db, account_id=bob_account.id, session_id=alice_row.id
    )
    assert sessions.validate(session=db, token=alice_token) is not None
    assert security_page.end_session(
        session=db, account_id=alice_row.account_id, session_id=alice_row.id
    )
    assert sessions.validate(session=db, token=alice_token) is None


def test_step_up_is_valid_five_minutes(db):
    person = factories.holder(db)
    _, row = login_session(db, person)
    account = factories.account_of(db, person)
    assert stepup.step_up_methods(session=db, account=account) == [Method.EMAIL]
    stepup.start_step_up(session=db, account=account, method="email")
    with pytest.raises(SecondFactorError):
        stepup.complete_step_up(
            session=db, account=account, session_id=row.id, method="email", code="999999x"
        )
    assert not stepup.has_recent_step_up(session=db, session_id=row.id)
    stepup.complete_step_up(
        session=db,
        account=account,
        session_id=row.id,
        method="email",
        code=last_code(db, person.email),
    )
    assert stepup.has_recent_step_up(session=db, session_id=row.id)
    with time_machine.travel(utcnow() + timedelta(minutes=6)):
        assert not stepup.has_recent_step_up(session=db, session_id=row.id)


def test_login_events_older_than_13_months_are_purged(db):
    person = factories.holder(db)
    attempt(db, person, password="bad")
    account = factories.account_of(db, person)
    db.add(
        LoginEvent(
            account_id=account.id, result="success", occurred_at=utcnow() - timedelta(days=400)
        )
    )
    db.flush()
    assert (
        security_page.purge_login_events(session=db, older_than=utcnow() - timedelta(days=396)) >= 1
    )
    remaining = db.exec(select(LoginEvent).where(LoginEvent.account_id == account.id)).all()
    assert len(remaining) == 1


def test_phone_verification(db):
    person = factories.holder(db)
    account = factories.account_of(db, person)
    one_time_codes.send_code(session=db, account=account, purpose="phone", channel="sms")
    security_page.confirm_phone(
        session=db, account=account, code=last_code(db, person.phone, "sms")
    )
    assert account.phone_verified_at is not None
    assert db.get(Policyholder, person.id).phone == person.phone
    assert (
        db.exec(select(Account).where(Account.id == account.id)).one().phone_verified_at is not None
    )


def test_codes_cannot_be_pumped(db):
    person = factories.holder(db)
    account = factories.account_of(db, person)
    one_time_codes.send_code(session=db, account=account, purpose="login", channel="email")
    with pytest.raises(one_time_codes.CodeThrottled, match="30 secondes"):
        one_time_codes.send_code(session=db, account=account, purpose="login", channel="email")
    one_time_codes.send_code(
        session=db, account=account, purpose="login", channel="sms"
    )  # another channel
    start = utcnow()
    for i in range(1, 7):
        with time_machine.travel(start + timedelta(seconds=31 * i)):
            one_time_codes.send_code(session=db, account=account, purpose="login", channel="email")
    with time_machine.travel(start + timedelta(seconds=31 * 7)):
        with pytest.raises(one_time_codes.CodeThrottled, match="une heure"):
            one_time_codes.send_code(session=db, account=account, purpose="login", channel="email")
        one_time_codes.send_code(
            session=db, account=account, purpose="step_up", channel="email"
        )  # other purpose
    assert len(outbox(db, person.email)) == 8  # 7 login + 1 step-up: nothing sent when refused


def test_a_throttled_reset_by_sms_answers_the_same_and_the_first_code_still_works(db):
    person = factories.holder(db)
    first = account_recovery.request_reset(session=db, identifier=person.email, channel="sms")
    code = last_code(db, person.phone, "sms")
    again = account_recovery.request_reset(session=db, identifier=person.email, channel="sms")
    assert first == again and len(outbox(db, person.phone, "sms")) == 1
    account_recovery.reset_with_code(
        session=db, account_id=again, code=code, password=NEW_PASSWORD, confirm=NEW_PASSWORD
    )


def test_a_used_code_does_not_delay_the_next_sign_in(db):
    person = factories.holder(db)
    account = factories.account_of(db, person)
    one_time_codes.send_code(session=db, account=account, purpose="login", channel="email")
    second_factor.verify_code(
        session=db, account_id=account.id, purpose="login", code=last_code(db, person.email)
    )
    one_time_codes.send_code(
        session=db, account=account, purpose="login", channel="email"
    )  # not throttled
    second_factor.verify_code(
        session=db, account_id=account.id, purpose="login", code=last_code(db, person.email)
    )


def test_switching_channel_does_not_bypass_the_pause_and_old_codes_die(db):
    person = factories.holder(db)
    account = factories.account_of(db, person)
    one_time_codes.send_code(session=db, account=account, purpose="login", channel="email")
    first = last_code(db, person.email)
    one_time_codes.send_code(session=db, account=account, purpose="login", channel="sms")
    with pytest.raises(one_time_codes.CodeThrottled):
        one_time_codes.send_code(session=db, account=account, purpose="login", channel="email")
    with pytest.raises(SecondFactorError):  # superseded by the SMS code
        second_factor.verify_code(
            session=db,
            account_id=account.id,
            purpose="login",
            code=first if first != last_code(db, person.phone, "sms") else "000000",
        )


def test_wrong_app_codes_at_a_step_up_lock_the_account_and_end_the_session(db):
    """An app code has no per-code try limit: step-up failures count like sign-in ones, and the
    fifth locks the account and ends the session that was guessing."""
    person = factories.holder(db)
    account = factories.account_of(db, person)
    totp = enable_totp(db, account)
    token = sessions.complete_handoff(
        session=db, code=sessions.begin_login(session=db, account_id=account.id)
    )
    session_id = sessions.validate(session=db, token=token).session_id
    wrong = "000000" if totp.now() != "000000" else "111111"
    for _ in range(5):
        with pytest.raises(SecondFactorError) as error:
            stepup.complete_step_up(
                session=db, account=account, session_id=session_id, method="totp", code=wrong
            )
    assert "verrouillé" in str(error.value) and auth.is_locked(account)
    assert sessions.validate(session=db, token=token) is None
    failures = db.exec(
        select(LoginEvent).where(
            LoginEvent.account_id == account.id,
            LoginEvent.result == LoginResult.SECOND_FACTOR_FAILED,
        )
    ).all()
    assert len(failures) == 5
    with pytest.raises(SecondFactorError, match="verrouillé"):  # even the right code, while locked
        stepup.complete_step_up(
            session=db, account=account, session_id=session_id, method="totp", code=totp.now()
        )


def test_wrong_sms_codes_of_a_reset_stay_counted_through_the_handler(engine):
    """The handler's transaction keeps the counted attempt of a wrong code (it used to roll it
    back)."""
    from types import SimpleNamespace

    from sqlmodel import Session as _Session

    from espace.core.db import get_engine
    from espace.state.account_flows import ForgotState

    with _Session(get_engine(), expire_on_commit=False) as db:
        person = factories.holder(db)
        account_id = account_recovery.request_reset(
            session=db, identifier=person.email, channel="sms"
        )
        db.commit()
        code = last_code(db, person.phone, "sms")
    me = SimpleNamespace(
        _account_id=account_id, code_error="", password_error="", confirm_error="", form_error=""
    )
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        run_handler(
            ForgotState.reset_by_code,
            me,
            {"code": wrong, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
        )
    run_handler(
        ForgotState.reset_by_code,
        me,
        {"code": code, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    # the right code after five wrong ones is refused (the form says only that the code is wrong
    # or expired: the tries left would tell an account exists, see test_account_enumeration.py)
    assert me.code_error == account_recovery.WRONG_RESET_CODE
    with _Session(get_engine()) as db:
        assert auth.authenticate(session=db, identifier=person.email, password=NEW_PASSWORD) is None
