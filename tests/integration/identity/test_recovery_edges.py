"""The edges of getting back in, written for the mutants that survived the mutation run of
``identity/account_recovery`` (docs/security-testing.md): the per-address cap on reset requests
(only reset requests count, for one hour to the microsecond, a caller without an address is never
counted, an oversized address is capped too), the per-account pause and hourly cap of reset links
to the microsecond, a reset that spends the account's other reset links and nothing else and
activates an account not yet activated, another account's SMS code refused, the refusals of a
reset or a recovery on the field they name, the staff request of a lost access keeping what the
holder wrote, the taken or kept login address of a recovery, its password rules, its ended
sessions and its alerts filed under the account."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from sqlmodel import select

from espace.core.models import utcnow
from espace.core.settings import get_settings
from espace.identity import account_recovery, auth, one_time_codes, sessions, signup
from espace.identity.accounts import AccountError
from espace.identity.models import (
    AccessRecoveryRequest,
    AuthSession,
    CodePurpose,
    LoginEvent,
    LoginResult,
)
from espace.notifications.models import OutboxMessage
from espace.privacy import rights
from tests import factories
from tests.integration.identity.test_account_security import last_link_token, outbox

TICK = timedelta(microseconds=1)
NEW_PASSWORD = "Girafe#Bleue-Quai2027"
OTHER_PASSWORD = "Otarie#Verte-Quai2028"
RESET_SUBJECT = "Réinitialisez votre mot de passe"


def _at(instant):
    return time_machine.travel(instant, tick=False)


def _mails(db, to: str, subject: str) -> list[OutboxMessage]:
    return [m for m in outbox(db, to) if m.subject == subject]


def _ask(db, identifier: str, ip: str = "", channel: str = "sms") -> int | None:
    return account_recovery.request_reset(
        session=db, identifier=identifier, channel=channel, ip=ip, user_agent="pytest"
    )


def _reset_with_link(db, token: str, password: str = NEW_PASSWORD):
    return account_recovery.reset_with_token(
        session=db, token=token, password=password, confirm=password
    )


def _recover(db, account_id: int, code: str, email: str, password: str = NEW_PASSWORD):
    return account_recovery.finish_recovery(
        session=db,
        account_id=account_id,
        code=code,
        new_email=email,
        password=password,
        confirm=password,
    )


# ---- the per-address cap of reset requests -------------------------------------------------------


def test_a_reset_request_is_recorded_with_its_browser(db):
    person = factories.holder(db)
    ip = "192.0.2.201"
    _ask(db, person.email, ip=ip)
    event = db.exec(
        select(LoginEvent).where(
            LoginEvent.ip_address == ip, LoginEvent.result == LoginResult.RESET_REQUESTED
        )
    ).one()
    assert event.user_agent == "pytest" and event.account_id is None


def test_a_caller_without_an_address_is_never_capped(db):
    person = factories.holder(db)
    account = factories.account_of(db, person)
    for _ in range(get_settings().reset_requests_per_ip_hour + 2):
        assert (
            account_recovery.request_reset(session=db, identifier=person.email, channel="sms")
            == account.id
        )


def test_only_reset_requests_count_toward_the_address_cap(db):
    person = factories.holder(db)
    ip = "192.0.2.202"
    for _ in range(get_settings().reset_requests_per_ip_hour):
        auth.record_event(session=db, result=LoginResult.BAD_CREDENTIALS, ip=ip)
    assert _ask(db, person.email, ip=ip) == factories.account_of(db, person).id


def test_reset_requests_count_for_one_hour_to_the_microsecond(db):
    person = factories.holder(db)
    account = factories.account_of(db, person)
    ip = "192.0.2.203"
    start = utcnow() - timedelta(hours=3)
    with _at(start):
        for _ in range(get_settings().reset_requests_per_ip_hour):
            _ask(db, "personne.inconnue@example.com", ip=ip)
    with _at(start + account_recovery.RESET_WINDOW - TICK):
        assert _ask(db, person.email, ip=ip, channel="email") is None
        assert not _mails(db, person.email, RESET_SUBJECT)  # capped
    with _at(start + account_recovery.RESET_WINDOW):
        # the requests of an hour ago no longer count (a capped request is not recorded)
        assert _ask(db, person.email, ip=ip) == account.id


def test_an_oversized_address_is_capped_all_the_same(db):
    person = factories.holder(db)
    ip = "2001:db8::" + "f" * 50  # longer than the column: stored cut to 45 characters
    for _ in range(get_settings().reset_requests_per_ip_hour):
        _ask(db, "personne.inconnue@example.com", ip=ip)
    assert _ask(db, person.email, ip=ip) is None


# ---- the per-account pause and hourly cap of reset links -----------------------------------------


def test_the_pause_between_two_links_ends_to_the_microsecond(db):
    person = factories.holder(db)
    pause = timedelta(seconds=get_settings().code_resend_seconds)
    start = utcnow() - timedelta(hours=3)
    for offset in (timedelta(0), pause - TICK, pause):
        with _at(start + offset):
            _ask(db, person.email, channel="email")
    assert len(_mails(db, person.email, RESET_SUBJECT)) == 2


def test_the_hourly_cap_of_links_counts_one_hour_to_the_microsecond(db):
    person = factories.holder(db)
    settings = get_settings()
    pause = timedelta(seconds=settings.code_resend_seconds + 1)
    start = utcnow() - timedelta(hours=3)
    for n in range(settings.codes_per_hour):
        with _at(start + n * pause):
            _ask(db, person.email, channel="email")
    assert len(_mails(db, person.email, RESET_SUBJECT)) == settings.codes_per_hour
    with _at(start + account_recovery.RESET_WINDOW - TICK):
        _ask(db, person.email, channel="email")
    assert len(_mails(db, person.email, RESET_SUBJECT)) == settings.codes_per_hour
    with _at(start + account_recovery.RESET_WINDOW):  # the first link left the hour
        _ask(db, person.email, channel="email")
    assert len(_mails(db, person.email, RESET_SUBJECT)) == settings.codes_per_hour + 1


# ---- a reset spends the account's other reset links, and nothing else ------------------------


def test_a_reset_spends_the_accounts_other_links_and_no_other_link(db):
    person, other = factories.holder(db), factories.holder(db)
    start = utcnow() - timedelta(minutes=10)
    with _at(start):
        _ask(db, person.email, channel="email")
        _ask(db, other.email, channel="email")
    first, others = last_link_token(db, person.email), last_link_token(db, other.email)
    not_me = account_recovery.not_me_link(session=db, account=factories.account_of(db, person))
    with _at(start + timedelta(minutes=1)):
        _ask(db, person.email, channel="email")
    second = last_link_token(db, person.email)
    assert second != first
    _reset_with_link(db, second)
    with pytest.raises(AccountError, match="plus valable"):
        _reset_with_link(db, first, OTHER_PASSWORD)
    assert _reset_with_link(db, others).id == factories.account_of(db, other).id
    assert account_recovery.report_not_me(session=db, token=not_me.rsplit("=", 1)[1])


def test_a_reset_link_activates_an_account_and_leaves_an_activation_date_alone(db):
    waiting, active = factories.holder(db), factories.holder(db)
    pending = factories.account_of(db, waiting)
    pending.activated_at = None
    db.add(pending)
    activated_at = factories.account_of(db, active).activated_at
    db.flush()
    with _at(utcnow() + timedelta(minutes=5)):
        for person in (waiting, active):
            _ask(db, person.email, channel="email")
            _reset_with_link(db, last_link_token(db, person.email))
    assert pending.activated_at is not None
    assert factories.account_of(db, active).activated_at == activated_at


# ---- SMS codes belong to their account -----------------------------------------------------------


def test_another_accounts_reset_code_is_refused(db):
    victim, attacker = factories.holder(db), factories.holder(db)
    _ask(db, attacker.email)
    code = factories.last_code(db, attacker.phone, "sms")
    with pytest.raises(AccountError) as refused:
        account_recovery.reset_with_code(
            session=db,
            account_id=factories.account_of(db, victim).id,
            code=code,
            password=NEW_PASSWORD,
            confirm=NEW_PASSWORD,
        )
    assert refused.value.field == "code"
    assert auth.authenticate(session=db, identifier=victim.email, password=NEW_PASSWORD) is None


def test_another_accounts_recovery_code_is_refused(db):
    victim, attacker = factories.holder(db), factories.holder(db)
    account_recovery.start_recovery(session=db, holder=attacker)
    code = factories.last_code(db, attacker.phone, "sms")
    with pytest.raises(AccountError) as refused:
        _recover(db, factories.account_of(db, victim).id, code, "pirate.boite@example.org")
    assert refused.value.field == "code"
    assert factories.account_of(db, victim).email == victim.email


# ---- refusals name their field -------------------------------------------------------------------


@pytest.mark.parametrize("account_id", [None, 10**9])
def test_a_reset_code_for_no_account_is_refused_on_the_code_field(db, account_id):
    """No account (an unknown identifier) or one gone since: the code field, as for a wrong code."""
    with pytest.raises(AccountError) as refused:
        account_recovery.reset_with_code(
            session=db, account_id=account_id, code="123456", password="x", confirm="x"
        )
    assert refused.value.field == "code" and "incorrect" in str(refused.value).lower()


def test_a_recovery_for_an_account_gone_is_refused_on_the_code_field(db):
    with pytest.raises(AccountError) as refused:
        _recover(db, 10**9, "123456", "nouvelle.boite@example.org")
    assert refused.value.field == "code" and "incorrect" in str(refused.value).lower()


def test_a_recovery_without_a_code_sent_says_so_on_the_code_field(db):
    person = factories.holder(db)
    with pytest.raises(AccountError) as refused:
        _recover(db, factories.account_of(db, person).id, "123456", "nouvelle.boite@example.org")
    assert refused.value.field == "code" and "aucun code" in str(refused.value).lower()


# ---- lost access: the staff request keeps what the holder wrote ----------------------------------


def test_a_staff_request_keeps_the_contact_message_and_contract_cut_to_their_columns(db):
    person = factories.holder(db, phone="")
    contract = factories.contract(db, person)
    start = account_recovery.start_recovery(
        session=db, holder=person, contact_email="j" * 300, message="m" * 1200
    )
    request = db.get(AccessRecoveryRequest, start.request_id)
    assert (request.contact_email, request.message) == ("j" * 254, "m" * 1000)
    assert request.contract_number == contract.number and request.holder_id == person.id


def test_a_staff_request_with_nothing_written_and_no_contract_keeps_nothing(db):
    person = factories.holder(db, phone="")
    start = account_recovery.start_recovery(session=db, holder=person)
    request = db.get(AccessRecoveryRequest, start.request_id)
    assert (request.contact_email, request.message, request.contract_number) == ("", "", "")


def test_starting_again_at_once_answers_the_same_and_the_first_code_still_works(db):
    person = factories.holder(db)
    first = account_recovery.start_recovery(session=db, holder=person)
    code = factories.last_code(db, person.phone, "sms")
    again = account_recovery.start_recovery(session=db, holder=person)
    assert again == first
    _recover(db, first.account_id, code, "nouvelle.boite@example.org")


# ---- lost access: the new login address, the password, the sessions, the alerts ------------------


def test_a_recovery_to_another_accounts_address_is_refused_on_the_email_field(db):
    person, other = factories.holder(db), factories.holder(db)
    start = account_recovery.start_recovery(session=db, holder=person)
    code = factories.last_code(db, person.phone, "sms")
    with pytest.raises(AccountError) as refused:
        _recover(db, start.account_id, code, other.email)
    assert refused.value.field == "email" and "déjà utilisée" in str(refused.value).lower()
    assert factories.account_of(db, person).email == person.email
    _recover(db, start.account_id, code, "nouvelle.boite@example.org")  # the code still works


def test_a_recovery_may_keep_the_login_address(db):
    person = factories.holder(db)
    start = account_recovery.start_recovery(session=db, holder=person)
    _recover(db, start.account_id, factories.last_code(db, person.phone, "sms"), person.email)
    assert auth.authenticate(session=db, identifier=person.email, password=NEW_PASSWORD)
    subjects = [mail.subject for mail in outbox(db, person.email)]
    assert "Votre adresse de connexion a changé" not in subjects


def test_a_recovery_refuses_the_current_password(db):
    person = factories.holder(db)
    start = account_recovery.start_recovery(session=db, holder=person)
    code = factories.last_code(db, person.phone, "sms")
    with pytest.raises(AccountError) as refused:
        _recover(db, start.account_id, code, "nouvelle.boite@example.org", factories.PASSWORD)
    assert refused.value.field == "password" and "déjà utilisé" in str(refused.value)


def test_a_recovery_password_may_not_hold_the_new_address(db):
    """The address typed, not the one on the holder's file."""
    person = factories.holder(db)
    start = account_recovery.start_recovery(session=db, holder=person)
    code = factories.last_code(db, person.phone, "sms")
    password = "Quetzalcoatl#Vk29-qzT"
    with pytest.raises(AccountError) as refused:
        _recover(db, start.account_id, code, "zephyrin.quetzalcoatl@example.org", password)
    assert refused.value.field == "password"


def test_a_recovery_ends_every_session(db):
    person = factories.holder(db)
    token = factories.signed_in(db, person)[0]
    start = account_recovery.start_recovery(session=db, holder=person)
    _recover(db, start.account_id, factories.last_code(db, person.phone, "sms"), person.email)
    assert sessions.validate(session=db, token=token) is None
    rows = db.exec(select(AuthSession).where(AuthSession.account_id == start.account_id)).all()
    assert rows and all(row.revoked_at is not None for row in rows)


def test_the_alerts_of_a_recovery_name_the_new_address_and_are_erased_with_the_account(db):
    """Signed up with an address not on the holder's file, recovered twice: every alert sent to the
    addresses given up is found by its account only."""
    person = factories.holder(db, with_account=False)
    typed, first, second = (
        "adresse.saisie@example.org",
        "premiere.boite@example.org",
        "seconde.boite@example.org",
    )
    account = signup.sign_up(
        session=db,
        holder=person,
        email=typed,
        password=factories.PASSWORD,
        confirm=factories.PASSWORD,
    )
    start = utcnow() - timedelta(minutes=10)
    for n, (email, password) in enumerate(((first, NEW_PASSWORD), (second, OTHER_PASSWORD))):
        with _at(start + n * timedelta(minutes=1)):
            one_time_codes.send_code(
                session=db, account=account, purpose=CodePurpose.RECOVERY, channel="sms"
            )
            code = factories.last_code(db, person.phone, "sms")
            _recover(db, account.id, code, email, password)
    assert first in _mails(db, typed, "Votre adresse de connexion a changé")[-1].body
    given_up = outbox(db, typed) + outbox(db, first)
    assert len(given_up) >= 3
    rights.request_erasure(
        session=db,
        holder_id=person.id,
        account_id=account.id,
        proof=factories.step_up(db, person),
    )
    for mail in given_up:
        db.refresh(mail)
        assert mail.body == rights.ERASED_BODY
