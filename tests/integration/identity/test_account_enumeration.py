"""Anonymous account flows neither flood mailboxes nor reveal accounts (issue 16, low findings):
- "forgotten password" e-mails are throttled per account and per client address, silently;
- sign-up step 2 answers the same for an address that already has an espace, and tells its owner
  instead.

Handlers are called as Reflex would call them (a stand-in ``self``), on the real database."""

from __future__ import annotations

import types
from datetime import timedelta
from types import SimpleNamespace

import time_machine
from sqlmodel import Session, select

from espace.core.db import get_engine
from espace.core.models import utcnow
from espace.core.settings import get_settings
from espace.identity import account_recovery, accounts, signup
from espace.identity.models import Account
from espace.notifications.models import OutboxMessage
from espace.state.account_flows import ForgotState, SignupState
from tests import factories
from tests.events import run_handler

RESET_SUBJECT = "Réinitialisez votre mot de passe"
NEW_PASSWORD = "Girafe#Bleue-Quai2027"


def _mails(to: str, subject: str) -> list[OutboxMessage]:
    with Session(get_engine()) as db:
        return list(
            db.exec(
                select(OutboxMessage).where(
                    OutboxMessage.recipient == to, OutboxMessage.subject == subject
                )
            ).all()
        )


def _forgot(ip: str):
    return SimpleNamespace(
        step="request",
        identifier_error="",
        code_error="",
        password_error="",
        confirm_error="",
        form_error="",
        _account_id=None,
        router=SimpleNamespace(
            session=SimpleNamespace(client_ip=ip), headers=SimpleNamespace(user_agent="flood/1.0")
        ),
    )


def _answer(me) -> tuple:
    return me.step, me.identifier_error, me.form_error, me._account_id


def test_reset_emails_to_one_account_are_throttled_like_codes(engine):
    email = factories.committed(lambda db: factories.holder(db).email)
    answers = set()
    for _ in range(20):  # 20 requests in a burst: one e-mail, the same answer every time
        me = _forgot("203.0.113.50")
        run_handler(ForgotState.request, me, {"identifier": email, "channel": "email"})
        answers.add(_answer(me))
    assert answers == {("sent", "", "", None)}
    assert len(_mails(email, RESET_SUBJECT)) == 1
    settings = get_settings()
    start = utcnow()
    for n in range(
        1, 2 * settings.codes_per_hour
    ):  # one request after each pause, from fresh addresses
        with time_machine.travel(start + timedelta(seconds=(settings.code_resend_seconds + 1) * n)):
            me = _forgot(f"203.0.113.{100 + n}")
            run_handler(ForgotState.request, me, {"identifier": email, "channel": "email"})
            assert _answer(me) == ("sent", "", "", None)
    assert len(_mails(email, RESET_SUBJECT)) == settings.codes_per_hour  # the hourly cap


def test_reset_requests_from_one_address_are_capped_whatever_the_accounts(engine):
    emails = factories.committed(lambda db: [factories.holder(db).email for _ in range(25)])
    ghost = _forgot("198.51.100.77")
    run_handler(
        ForgotState.request, ghost, {"identifier": "personne@example.com", "channel": "email"}
    )
    for email in emails:
        me = _forgot("198.51.100.77")
        run_handler(ForgotState.request, me, {"identifier": email, "channel": "email"})
        assert _answer(me) == _answer(ghost) == ("sent", "", "", None)
    sent = [email for email in emails if _mails(email, RESET_SUBJECT)]
    assert (
        len(sent) == get_settings().reset_requests_per_ip_hour - 1
    )  # the unknown address counted too
    late = emails[-1]
    assert late not in sent
    run_handler(
        ForgotState.request, _forgot("198.51.100.78"), {"identifier": late, "channel": "email"}
    )  # another address
    assert len(_mails(late, RESET_SUBJECT)) == 1
    sms = _forgot("198.51.100.77")  # the SMS channel is capped for the address as well
    run_handler(ForgotState.request, sms, {"identifier": emails[0], "channel": "sms"})
    assert (sms.step, sms._account_id) == ("sms", None)


def test_ce_n_etait_pas_moi_still_sends_a_link_after_a_flood(db):
    person = factories.holder(db)
    account = factories.account_of(db, person)
    for _ in range(3):
        account_recovery.request_reset(
            session=db, identifier=person.email, channel="email", ip="192.0.2.40"
        )
    before = db.exec(
        select(OutboxMessage).where(
            OutboxMessage.subject == RESET_SUBJECT, OutboxMessage.account_id == account.id
        )
    ).all()
    token = account_recovery.not_me_link(session=db, account=account).rsplit("=", 1)[1]
    assert account_recovery.report_not_me(session=db, token=token)
    after = db.exec(
        select(OutboxMessage).where(
            OutboxMessage.subject == RESET_SUBJECT, OutboxMessage.account_id == account.id
        )
    ).all()
    assert len(before) == 1 and len(after) == 2


# ----- sign-up step 2 -----------------------------------------------------------------------------


def _signup(holder_id: int):
    me = SimpleNamespace(
        step="credentials",
        holder_first_name="Alix",
        sent_to="",
        notice="",
        errors={},
        form_error="",
        _holder_id=holder_id,
        _account_id=None,
        _email="",
        _sent_times=[],
    )
    me._apply = types.MethodType(SignupState._apply, me)
    return me


def _shown(me) -> tuple:
    return me.step, me.errors, me.form_error, me.notice, me.sent_to[:1], me.sent_to.split("@")[1]


def test_sign_up_with_a_taken_address_answers_like_a_free_one_and_tells_the_owner(engine):
    def setup(db):
        owner, newcomer, other = (
            factories.holder(db),
            factories.holder(db, with_account=False),
            factories.holder(db, with_account=False),
        )
        return owner.email, newcomer.id, other.id

    owner_email, newcomer_id, other_id = factories.committed(setup)
    free_email = f"t{owner_email}"  # same first letter and domain: the masked addresses look alike
    free, taken = _signup(newcomer_id), _signup(other_id)
    form = {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    run_handler(SignupState.create, free, {**form, "email": free_email})
    run_handler(SignupState.create, taken, {**form, "email": owner_email.upper()})
    assert _shown(taken) == _shown(free) and taken.step == "sent" and taken.errors == {}
    assert "déjà utilisée" not in repr(vars(taken))

    with Session(get_engine()) as db:
        assert (
            db.exec(select(Account).where(Account.holder_id == other_id)).first() is None
        )  # nothing created
        assert (
            db.exec(select(Account).where(Account.holder_id == newcomer_id)).one().email
            == free_email
        )
    (warning,) = _mails(owner_email, signup.ADDRESS_TAKEN_SUBJECT)
    assert "/connexion" in warning.body and "/mot-de-passe-oublie" in warning.body
    assert _mails(owner_email, "Activez votre espace client") == []

    # "Send it again": the same answers, in the same order, for both.
    for me in (free, taken):
        run_handler(SignupState.resend, me)
    assert free.form_error == taken.form_error and "patientez" in taken.form_error
    with time_machine.travel(utcnow() + timedelta(seconds=61)):
        for me in (free, taken):
            run_handler(SignupState.resend, me)
    assert (
        free.notice == taken.notice == "Un nouvel e-mail vient de vous être envoyé."
        and taken.form_error == ""
    )
    assert len(_mails(owner_email, signup.ADDRESS_TAKEN_SUBJECT)) == 2


def test_the_owner_is_not_flooded_by_repeated_attempts(db):
    owner = factories.holder(db)
    for _ in range(10):
        newcomer = factories.holder(db, with_account=False)
        assert (
            signup.sign_up(
                session=db,
                holder=newcomer,
                email=owner.email,
                password=NEW_PASSWORD,
                confirm=NEW_PASSWORD,
            )
            is None
        )
    assert (
        len(db.exec(select(OutboxMessage).where(OutboxMessage.recipient == owner.email)).all()) == 1
    )


def test_password_errors_come_first_for_taken_and_free_addresses_alike(db):
    owner = factories.holder(db)
    newcomer = factories.holder(db, with_account=False)
    for email in (owner.email, "libre@example.com"):
        try:
            signup.sign_up(
                session=db, holder=newcomer, email=email, password="court", confirm="court"
            )
        except accounts.AccountError as error:
            assert error.field == "password"
        else:
            raise AssertionError("a weak password must be refused")


def _visible(me) -> tuple:
    return me.step, me.code_error, me.password_error, me.confirm_error, me.form_error


def test_a_reset_by_sms_code_answers_the_same_for_an_unknown_identifier(engine):
    """Typing codes into the SMS reset form does not tell whether the identifier has an account:
    a wrong code, a weak password or both get the answers an unknown identifier gets (before, a
    known account said "Il vous reste 4 essais" or refused the password first)."""
    email = factories.committed(lambda db: factories.holder(db).email)
    answers: dict[str, set[tuple]] = {"known": set(), "unknown": set()}
    for who, identifier in (("known", email), ("unknown", "personne@example.org")):
        for n, (code, password) in enumerate(
            [("000000", NEW_PASSWORD), ("000000", "faible"), ("", NEW_PASSWORD)]
        ):
            me = _forgot(f"192.0.2.{10 * n + (who == 'known')}")
            run_handler(ForgotState.request, me, {"identifier": identifier, "channel": "sms"})
            form = {"code": code, "password": password, "confirm": password}
            run_handler(ForgotState.reset_by_code, me, form)
            answers[who].add(_visible(me))
    assert answers["known"] == answers["unknown"]
    assert len(answers["known"]) == 2  # a wrong code (whatever the password), an empty one


def test_a_right_code_with_a_refused_password_can_be_used_again(engine):
    """The code is checked first; a password refused then leaves the code unspent."""
    email, phone = factories.committed(
        lambda db: (lambda p: (p.email, p.phone))(factories.holder(db))
    )
    me = _forgot("192.0.2.177")
    run_handler(ForgotState.request, me, {"identifier": email, "channel": "sms"})
    with Session(get_engine()) as db:
        code = factories.last_code(db, phone, "sms")
    run_handler(
        ForgotState.reset_by_code, me, {"code": code, "password": "faible", "confirm": "faible"}
    )
    assert me.password_error and not me.code_error
    run_handler(
        ForgotState.reset_by_code,
        me,
        {"code": code, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert not me.code_error and not me.password_error
