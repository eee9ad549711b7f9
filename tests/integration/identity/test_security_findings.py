"""Issue 16's attacks, replayed at the event level: real Reflex states whose websocket handshake
carried the attacker's cookies, their handlers called with the arguments an attacker's client would
send.

Each test failed on the code before the fix (see the issue): the authenticator takeover (finding 1),
second-factor guessing across password re-entries (finding 4), the "current password" oracle
(finding 5), the staff lockout, the "trust this device" tick and removing a bank account without a
step-up (low findings).
"""

from __future__ import annotations

import importlib
import re
import time
from datetime import timedelta

import pyotp
import reflex as rx
import time_machine
from sqlmodel import Session, func, select

from espace import routes
from espace.billing import bank_accounts, mandates
from espace.billing.models import BankAccount, SepaMandate
from espace.core import crypto
from espace.core.db import get_engine
from espace.core.models import utcnow
from espace.core.settings import get_settings
from espace.identity import auth, sessions, signin
from espace.identity.insurer_authority import InsurerRecord
from espace.identity.models import Account, AuthSession, LoginEvent, LoginResult, StaffUser
from espace.notifications.models import OutboxMessage
from espace.state.login import LoginState
from espace.state.payments import PaymentsState
from espace.state.security import SecurityState
from espace.state.staff import StaffLoginState
from tests import factories
from tests.events import run_handler

importlib.import_module("espace.espace")  # registers every state and page


def _state(
    cls,
    *,
    token: str | None = None,
    device: str | None = None,
    ip: str = "198.51.100.10",
    path: str = "/",
):
    """A real state as Reflex builds it for a browser whose handshake carried these cookies."""
    settings = get_settings()
    cookies = [
        f"{settings.session_cookie_name}={token}" if token else "",
        f"{settings.device_cookie_name}={device}" if device else "",
    ]
    root = rx.State(_reflex_internal_init=True)
    state = root.get_substate(cls.get_full_name().split("."))
    state._update_router_vars(
        {
            "headers": {
                "cookie": "; ".join(c for c in cookies if c),
                "user-agent": "attack-client",
                "origin": "http://localhost:8000",
            },
            "ip": ip,
            "pathname": path,
            "asPath": path,
            "query": {},
        },
        {},
    )
    return state


def _account(account_id: int) -> Account:
    with Session(get_engine()) as db:
        return db.get(Account, account_id)


def _outbox(to: str) -> list[OutboxMessage]:
    with Session(get_engine()) as db:
        query = (
            select(OutboxMessage).where(OutboxMessage.recipient == to).order_by(OutboxMessage.id)
        )
        return list(db.exec(query).all())


def _code(to: str) -> str:
    return re.search(r"\b(\d{6})\b", _outbox(to)[-1].body).group(1)


def _wrong(right: str) -> str:
    return "000000" if right != "000000" else "111111"


def _with_app(db, person) -> pyotp.TOTP:
    secret = pyotp.random_base32()
    account = factories.account_of(db, person)
    account.totp_secret_encrypted, account.totp_enabled_at = (
        crypto.encrypt(secret, purpose=b"totp"),
        utcnow(),
    )
    db.add(account)
    db.flush()
    return pyotp.TOTP(secret)


def _passes_step_up(state, email: str):
    """If the handler opened the step-up panel, type the e-mailed code (what the holder does)."""
    if state.stepup_for:
        return run_handler(type(state).stepup_submit, state, {"stepup_code": _code(email)})
    return None


# ---- finding 1: authenticator takeover with a stolen session -------------------------------------


def test_a_stolen_session_cannot_enrol_its_own_authenticator(engine):
    def setup(db):
        person = factories.holder(db)
        totp = _with_app(db, person)
        token, principal = factories.signed_in(db, person)
        return person.email, principal.account_id, token, totp.secret

    email, account_id, token, victim_secret = factories.committed(setup)
    before = _account(account_id)
    attacker = _state(SecurityState, token=token, path=routes.SECURITY)
    run_handler(SecurityState.start_totp, attacker)
    shown_key = attacker.enrol_key.replace(" ", "")
    if (
        shown_key
    ):  # the old code handed out a fresh secret at once: the attacker's app is set up with it
        run_handler(
            SecurityState.confirm_totp, attacker, {"totp_code": pyotp.TOTP(shown_key).now()}
        )
    run_handler(SecurityState.confirm_totp, attacker, {"totp_code": "123456"})
    run_handler(SecurityState.cancel_totp, attacker)
    after = _account(account_id)
    assert shown_key == "" and attacker.enrolling is False
    assert attacker.stepup_for in ("enrol_totp", "confirm_totp")
    assert [m[0] for m in attacker.stepup_methods] == [
        "totp",
        "recovery",
    ]  # methods the account already had
    assert (after.totp_secret_encrypted, after.totp_enabled_at) == (
        before.totp_secret_encrypted,
        before.totp_enabled_at,
    )
    assert crypto.decrypt(after.totp_secret_encrypted, purpose=b"totp") == victim_secret
    assert after.totp_pending_encrypted is None
    assert _outbox(email) == []  # an account with an app is never stepped up by e-mail


def test_replacing_the_authenticator_keeps_the_old_one_until_the_new_one_is_confirmed(engine):
    def setup(db):
        person = factories.holder(db)
        totp = _with_app(db, person)
        token, principal = factories.signed_in(db, person)
        return principal.account_id, token, totp.secret

    account_id, token, old_secret = factories.committed(setup)
    old_app = pyotp.TOTP(old_secret)
    holder = _state(SecurityState, token=token, path=routes.SECURITY)
    start = time.time()
    with time_machine.travel(start, tick=False):
        run_handler(SecurityState.start_totp, holder)
        assert holder.stepup_for == "enrol_totp"
        run_handler(
            SecurityState.stepup_submit, holder, {"stepup_code": old_app.at(start)}
        )  # a method the account had
    new_app = pyotp.TOTP(holder.enrol_key.replace(" ", ""))
    account = _account(account_id)
    assert (
        holder.enrolling and account.totp_enabled_at is not None and account.totp_pending_encrypted
    )
    assert (
        crypto.decrypt(account.totp_secret_encrypted, purpose=b"totp") == old_secret
    )  # still the active one
    with time_machine.travel(start + 30, tick=False):
        from espace.identity import second_factor

        with Session(get_engine()) as db:  # the old app still signs in while the new one is pending
            second_factor.verify_totp(
                session=db, account=db.get(Account, account_id), code=old_app.at(start + 30)
            )
        run_handler(SecurityState.confirm_totp, holder, {"totp_code": new_app.at(start + 30)})
    assert holder.flash == "La double authentification par application est activée."
    account = _account(account_id)
    assert crypto.decrypt(account.totp_secret_encrypted, purpose=b"totp") == new_app.secret
    assert account.totp_pending_encrypted is None


def test_a_first_authenticator_is_enrolled_after_an_email_code(engine):
    """An account without an app still has a second factor: its e-mail address (proven at
    activation)."""

    def setup(db):
        person = factories.holder(db)
        token, principal = factories.signed_in(db, person)
        return person.email, principal.account_id, token

    email, account_id, token = factories.committed(setup)
    holder = _state(SecurityState, token=token, path=routes.SECURITY)
    run_handler(SecurityState.start_totp, holder)
    assert holder.stepup_for == "enrol_totp" and holder.enrol_key == ""
    _passes_step_up(holder, email)
    app = pyotp.TOTP(holder.enrol_key.replace(" ", ""))
    run_handler(SecurityState.confirm_totp, holder, {"totp_code": app.now()})
    assert _account(account_id).totp_enabled_at is not None and holder.app_factor_on


# ---- finding 4: second-factor guessing is limited whatever happens to the password ---------------


def test_wrong_codes_lock_at_five_even_with_the_right_password_in_between(engine):
    def setup(db):
        person = factories.holder(db)
        totp = _with_app(db, person)
        return person.email, factories.account_of(db, person).id, totp.secret

    email, account_id, secret = factories.committed(setup)
    app = pyotp.TOTP(secret)
    ip = "198.51.100.41"
    for _ in range(2):  # 4 wrong codes, the right password again, 4 wrong codes...
        login = _state(LoginState, ip=ip, path=routes.LOGIN)
        run_handler(LoginState.submit, login, {"identifier": email, "password": factories.PASSWORD})
        for _ in range(4):
            if login.step == "second_factor":
                run_handler(LoginState.verify, login, {"code": _wrong(app.now())})
    login = _state(LoginState, ip=ip, path=routes.LOGIN)
    run_handler(LoginState.submit, login, {"identifier": email, "password": factories.PASSWORD})
    if login.step == "second_factor":
        run_handler(
            LoginState.verify, login, {"code": app.now()}
        )  # the right code, after 8 wrong ones
    assert auth.is_locked(_account(account_id))
    with Session(get_engine()) as db:
        opened = db.exec(
            select(func.count())
            .select_from(AuthSession)
            .where(AuthSession.account_id == account_id)
        ).one()
        assert opened == 0
        failed = db.exec(
            select(func.count())
            .select_from(LoginEvent)
            .where(
                LoginEvent.account_id == account_id,
                LoginEvent.result == LoginResult.SECOND_FACTOR_FAILED,
            )
        ).one()
    assert failed == 5  # counted until the lock, whatever the password did in between
    assert _outbox(email)[-1].subject == "Votre espace est verrouillé pendant 30 minutes"


# ---- finding 5: the "current password" of the password change is counted and throttled -----------


def test_guessing_the_current_password_locks_the_account_and_ends_the_session(engine):
    def setup(db):
        person = factories.holder(db)
        token, principal = factories.signed_in(db, person)
        return person.email, principal.account_id, token

    email, account_id, token = factories.committed(setup)
    ip = "198.51.100.51"
    holder = _state(SecurityState, token=token, ip=ip, path=routes.SECURITY)
    guess = {
        "current": "Devine#Peut-Etre2026",
        "password": "Girafe#Bleue-Quai2027",
        "confirm": "Girafe#Bleue-Quai2027",
    }
    run_handler(SecurityState.change_password, holder, guess)
    _passes_step_up(
        holder, email
    )  # the change asks for a second factor first (the stolen session has none)
    answers = []
    for _ in range(6):
        answers.append(run_handler(SecurityState.change_password, holder, guess))
    assert auth.is_locked(_account(account_id))
    with Session(get_engine()) as db:
        failed = db.exec(
            select(LoginEvent).where(
                LoginEvent.account_id == account_id,
                LoginEvent.result == LoginResult.BAD_CREDENTIALS,
            )
        ).all()
        assert sessions.validate(session=db, token=token) is None  # the guessing session is ended
    assert len(failed) == 5 and {e.ip_address for e in failed} == {ip}  # in the connection history
    assert answers[-1] is not None and "connexion" in str(answers[-1])  # sent to the login page


def test_the_password_change_needs_a_step_up_and_keeps_nothing_typed(engine):
    def setup(db):
        person = factories.holder(db)
        token, principal = factories.signed_in(db, person)
        return person.email, principal.account_id, token

    email, account_id, token = factories.committed(setup)
    before = _account(account_id).password_hash
    holder = _state(SecurityState, token=token, path=routes.SECURITY)
    form = {
        "current": factories.PASSWORD,
        "password": "Girafe#Bleue-Quai2027",
        "confirm": "Girafe#Bleue-Quai2027",
    }
    assert run_handler(SecurityState.change_password, holder, form) is None
    assert holder.stepup_for == "password" and _account(account_id).password_hash == before
    assert "Girafe" not in repr(holder.dict())  # the new password is not kept in the state
    resubmit = _passes_step_up(holder, email)
    assert "password-form" in str(resubmit)  # the browser sends the form again
    run_handler(SecurityState.change_password, holder, form)
    assert _account(account_id).password_hash != before and holder.flash.startswith(
        "Mot de passe modifié"
    )


# ---- low: staff lockout --------------------------------------------------------------------------


def test_staff_are_locked_after_five_wrong_passwords(engine):
    email = factories.committed(lambda db: factories.staff(db).email)
    ip = "198.51.100.61"
    for _ in range(5):
        page = _state(StaffLoginState, ip=ip, path=routes.STAFF_LOGIN)
        run_handler(StaffLoginState.submit, page, {"email": email, "password": "Mauvais#Essai2026"})
    page = _state(StaffLoginState, ip=ip, path=routes.STAFF_LOGIN)
    run_handler(StaffLoginState.submit, page, {"email": email, "password": factories.PASSWORD})
    assert page.second_step is False and page.form_error == auth.LOGIN_FAILED_MESSAGE
    with Session(get_engine()) as db:
        staff = db.exec(select(StaffUser).where(StaffUser.email == email)).one()
        assert auth.is_locked(staff)
    assert "verrouillé" in _outbox(email)[-1].subject
    with time_machine.travel(utcnow() + timedelta(minutes=31)):
        page = _state(StaffLoginState, ip="198.51.100.62", path=routes.STAFF_LOGIN)
        run_handler(StaffLoginState.submit, page, {"email": email, "password": factories.PASSWORD})
        assert page.second_step is True


def test_staff_are_locked_after_five_wrong_codes_whatever_the_password_does(engine):
    email = factories.committed(lambda db: factories.staff(db).email)
    ip = "198.51.100.63"
    page = _state(StaffLoginState, ip=ip, path=routes.STAFF_LOGIN)
    run_handler(StaffLoginState.submit, page, {"email": email, "password": factories.PASSWORD})
    for _ in range(4):
        run_handler(StaffLoginState.verify, page, {"code": _wrong(_code(email))})
    start = utcnow()
    with time_machine.travel(start + timedelta(seconds=31)):  # the password again: a new code
        page = _state(StaffLoginState, ip=ip, path=routes.STAFF_LOGIN)
        run_handler(StaffLoginState.submit, page, {"email": email, "password": factories.PASSWORD})
        right = _code(email)
        run_handler(StaffLoginState.verify, page, {"code": _wrong(right)})
        run_handler(StaffLoginState.verify, page, {"code": right})
    assert page.code_error  # the right code is refused: the access is locked
    with Session(get_engine()) as db:
        staff = db.exec(select(StaffUser).where(StaffUser.email == email)).one()
        assert auth.is_locked(staff)
        assert (
            db.exec(
                select(func.count())
                .select_from(AuthSession)
                .where(AuthSession.staff_id == staff.id)
            ).one()
            == 0
        )


# ---- low: "Faire confiance à cet appareil" -------------------------------------------------------


def _sign_in(email: str, device: str, *, trust: bool, ip: str):
    login = _state(LoginState, device=device, ip=ip, path=routes.LOGIN)
    result = run_handler(
        LoginState.submit, login, {"identifier": email, "password": factories.PASSWORD}
    )
    if login.step == "second_factor":
        result = run_handler(
            LoginState.verify, login, {"code": _code(email), "trust": "on" if trust else ""}
        )
    code = re.search(r"code=([\w-]+)", str(result)).group(1)
    binding = re.search(r"handoff=([\w-]+);", str(result)).group(
        1
    )  # the cookie only this tab receives
    with Session(get_engine(), expire_on_commit=False) as db:
        signin.finish_login(
            session=db, code=code, binding=binding, previous_token=None, device_token=device, ip=ip
        )
        db.commit()
    return login


def test_a_browser_seen_once_without_the_tick_is_asked_again(engine):
    email = factories.committed(lambda db: factories.holder(db).email)
    first = _sign_in(email, "browser-A", trust=False, ip="198.51.100.71")
    assert first.step == "second_factor"
    again = _state(LoginState, device="browser-A", ip="198.51.100.71", path=routes.LOGIN)
    run_handler(LoginState.submit, again, {"identifier": email, "password": factories.PASSWORD})
    assert again.step == "second_factor"  # a new session: the code is asked again


def test_a_trusted_browser_is_not_asked_for_30_days(engine):
    email = factories.committed(lambda db: factories.holder(db).email)
    _sign_in(email, "browser-B", trust=True, ip="198.51.100.72")
    again = _state(LoginState, device="browser-B", ip="198.51.100.72", path=routes.LOGIN)
    run_handler(LoginState.submit, again, {"identifier": email, "password": factories.PASSWORD})
    assert again.step == "password"  # signed in straight away
    with time_machine.travel(utcnow() + timedelta(days=31)):
        later = _state(LoginState, device="browser-B", ip="198.51.100.72", path=routes.LOGIN)
        run_handler(LoginState.submit, later, {"identifier": email, "password": factories.PASSWORD})
        assert later.step == "second_factor"


# ---- low: removing a bank account (and its mandates) needs a step-up -----------------------------


def test_a_stolen_session_cannot_remove_a_bank_account_or_add_one(engine):
    def setup(db):
        person = factories.holder(db)
        record = InsurerRecord(source="core_system")
        account = bank_accounts.add_account(
            session=db,
            holder_id=person.id,
            iban="FR7630006000011234567890189",
            bic="",
            account_holder="Alix",
            authority=record,
        )
        mandates.sign_mandate(
            session=db, holder_id=person.id, account_id=account.id, signed_ip="", authority=record
        )
        token, _ = factories.signed_in(db, person)
        return person.id, account.id, token

    holder_id, account_id, token = factories.committed(setup)
    attacker = _state(PaymentsState, token=token, path=routes.PAYMENTS)
    run_handler(PaymentsState.remove_account, attacker, account_id)
    run_handler(
        PaymentsState.add_account,
        attacker,
        {"iban": "DE89370400440532013000", "bic": "", "account_holder": "Mallory", "label": ""},
    )
    with Session(get_engine()) as db:
        assert db.get(BankAccount, account_id).removed_at is None
        assert (
            db.exec(select(SepaMandate).where(SepaMandate.bank_account_id == account_id))
            .one()
            .status
            == "active"
        )
        owned = db.exec(select(BankAccount.id).where(BankAccount.holder_id == holder_id)).all()
        assert list(owned) == [account_id]
    assert attacker.stepup_for in ("remove_account", "add_account")
