"""Signing in: credentials, lockout, per-address throttling, and which second factor is needed."""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import update
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col, func, select

from espace.contracts.models import Contract
from espace.core.models import get_existing, saved_id, utcnow
from espace.core.settings import get_settings
from espace.identity import devices, one_time_codes, second_factor, sessions
from espace.identity.failures import commit_apart
from espace.identity.identifiers import normalise_contract_number, normalise_email
from espace.identity.models import Account, LoginEvent, LoginResult, Policyholder, StaffUser
from espace.identity.passwords import burn_verification_time, verify_password
from espace.identity.second_factor import Method
from espace.notifications import messages, outbox

# One message for every failure: it never tells whether the account exists or is locked
# (a locked holder learns it by e-mail).
LOGIN_FAILED_MESSAGE = "Identifiant ou mot de passe incorrect."
THROTTLED_MESSAGE = "Trop de tentatives depuis votre connexion. Réessayez dans 15 minutes."
NOT_ACTIVATED_MESSAGE = (
    "Votre espace n'est pas encore activé : cliquez sur le lien reçu par e-mail "
    "lors de votre inscription."
)

MAX_FAILURES = 5
LOCK_DURATION = timedelta(minutes=30)
IP_WINDOW = timedelta(minutes=15)
_FAILURES = (
    LoginResult.BAD_CREDENTIALS,
    LoginResult.LOCKED,
    LoginResult.SECOND_FACTOR_FAILED,
    LoginResult.IDENTITY_MISMATCH,
)


class Outcome(StrEnum):
    OK = "ok"
    SECOND_FACTOR = "second_factor"
    FAILED = "failed"
    NOT_ACTIVATED = "not_activated"
    THROTTLED = "throttled"


@dataclass(frozen=True)
class LoginAttempt:
    outcome: Outcome
    account_id: int | None = None
    methods: list[Method] = field(default_factory=list)
    delay_seconds: float = 0.0  # the caller waits this long before answering (slows guessing)

    @property
    def message(self) -> str:
        return {
            Outcome.FAILED: LOGIN_FAILED_MESSAGE,
            Outcome.THROTTLED: THROTTLED_MESSAGE,
            Outcome.NOT_ACTIVATED: NOT_ACTIVATED_MESSAGE,
        }.get(self.outcome, "")


def find_account(*, session: Session, identifier: str) -> Account | None:
    """Find a portal account by e-mail or by one of the holder's contract numbers."""
    number = normalise_contract_number(identifier)
    if number:
        statement = (
            select(Account)
            .join(Contract, col(Contract.holder_id) == Account.holder_id)
            .where(Contract.number == number)
        )
    else:
        statement = select(Account).where(Account.email == normalise_email(identifier))
    return session.exec(statement).first()


def record_event(
    *,
    session: Session,
    result: str,
    account_id: int | None = None,
    ip: str = "",
    user_agent: str = "",
    new_device: bool = False,
) -> None:
    session.add(
        LoginEvent(
            account_id=account_id,
            result=result,
            ip_address=ip[:45],
            user_agent=user_agent[:400],
            new_device=new_device,
        )
    )


def recent_failures_from(*, session: Session, ip: str) -> int:
    if not ip:
        return 0
    return session.exec(
        select(func.count())
        .select_from(LoginEvent)
        .where(
            LoginEvent.ip_address == ip,
            LoginEvent.occurred_at > utcnow() - IP_WINDOW,
            col(LoginEvent.result).in_(_FAILURES),
        )
    ).one()


def ip_delay(failures: int) -> float:
    """Half a second more per failure from one address past the threshold (5 by default), at most 5
    s."""
    return min(5.0, max(0, failures - get_settings().ip_slowdown_after + 1) * 0.5)


def ip_blocked(failures: int) -> bool:
    return failures >= get_settings().ip_block_after


def is_locked(account: Account | StaffUser, now: datetime | None = None) -> bool:
    return account.locked_until is not None and account.locked_until > (now or utcnow())


PASSWORD, CODE = "password", "code"  # the two failure counters: neither resets the other
_LOCK_TEXTS = {
    PASSWORD: "Cinq tentatives de connexion successives ont échoué",
    CODE: "Cinq codes de vérification erronés ont été saisis",
}


def record_failure(
    *,
    session: Session,
    principal: Account | StaffUser,
    counter: str = PASSWORD,
    result: str | None = None,
    ip: str = "",
    user_agent: str = "",
    end_session_id: int | None = None,
    now: datetime | None = None,
) -> bool:
    """Count one failed password or second-factor code of an account (or a staff member); True if it
    locks.

    The fifth failure in a row of one counter locks for 30 minutes and tells the person by e-mail;
    ``end_session_id`` is then ended too (a stolen session cannot keep guessing). The count, the
    lock, the connection-history line (``result``, holders only) and the e-mail are committed on
    their own (``failures.commit_apart``): a caller that rolls back its work does not erase them."""
    model, target_id, now = type(principal), principal.id, now or utcnow()
    field = "failed_code_count" if counter == CODE else "failed_login_count"
    column = col(getattr(model, field))

    def work(db: Session) -> tuple[int, datetime | None]:
        db.exec(
            update(model)
            .where(col(model.id) == target_id)
            .values({column: column + 1})
            .execution_options(synchronize_session=False)
        )
        count, locked_until = db.exec(
            select(column, model.locked_until).where(model.id == target_id)
        ).one()
        if count >= MAX_FAILURES:
            count, locked_until = 0, now + LOCK_DURATION
            db.exec(
                update(model)
                .where(col(model.id) == target_id)
                .values({column: 0, model.locked_until: locked_until})
                .execution_options(synchronize_session=False)
            )
            _lock_email(db, principal, counter)
            if end_session_id is not None:
                sessions.revoke_by_id(
                    session=db, session_id=end_session_id, reason="too_many_failures"
                )
        if result and model is Account:
            record_event(
                session=db, result=result, account_id=target_id, ip=ip, user_agent=user_agent
            )
        return count, locked_until

    count, locked_until = commit_apart(session, work)
    set_committed_value(principal, field, count)
    set_committed_value(principal, "locked_until", locked_until)
    return is_locked(principal, now)


def _lock_email(db: Session, principal: Account | StaffUser, counter: str) -> None:
    why = _LOCK_TEXTS[counter]
    if isinstance(principal, StaffUser):
        email = messages.email("staff_locked", why=why)
        outbox.send_email(session=db, to=principal.email, subject=email.subject, body=email.body)
        return
    email = messages.email(
        "account_locked", why=why, reset_link=outbox.link("/mot-de-passe-oublie")
    )
    outbox.send_email(
        session=db,
        to=principal.email,
        account_id=principal.id,
        subject=email.subject,
        body=email.body,
    )


def attempt_password(
    *,
    session: Session,
    identifier: str,
    password: str,
    ip: str = "",
    user_agent: str = "",
    device_token: str | None = None,
) -> LoginAttempt:
    """First step of signing in. Same work and same answer for unknown, wrong and locked."""
    failures = recent_failures_from(session=session, ip=ip)
    if ip_blocked(failures):
        record_event(session=session, result=LoginResult.THROTTLED, ip=ip, user_agent=user_agent)
        return LoginAttempt(Outcome.THROTTLED, delay_seconds=ip_delay(failures))
    delay = ip_delay(failures)
    account = find_account(session=session, identifier=identifier)
    if account is None:
        burn_verification_time(password)
        record_event(
            session=session, result=LoginResult.BAD_CREDENTIALS, ip=ip, user_agent=user_agent
        )
        return LoginAttempt(Outcome.FAILED, delay_seconds=delay)
    password_ok = verify_password(password, account.password_hash)
    if is_locked(account) or not account.is_active:
        record_event(
            session=session,
            result=LoginResult.LOCKED,
            account_id=account.id,
            ip=ip,
            user_agent=user_agent,
        )
        return LoginAttempt(Outcome.FAILED, delay_seconds=delay)
    if not password_ok:
        record_failure(
            session=session,
            principal=account,
            counter=PASSWORD,
            result=LoginResult.BAD_CREDENTIALS,
            ip=ip,
            user_agent=user_agent,
        )
        return LoginAttempt(Outcome.FAILED, delay_seconds=delay)
    account.failed_login_count = 0  # the second-factor counter stays: only a right code resets it
    session.add(account)
    if account.activated_at is None:
        record_event(
            session=session,
            result=LoginResult.NOT_ACTIVATED,
            account_id=account.id,
            ip=ip,
            user_agent=user_agent,
        )
        return LoginAttempt(Outcome.NOT_ACTIVATED, account_id=account.id)
    methods = second_factor_methods(session=session, account=account, device_token=device_token)
    if not methods:
        return LoginAttempt(Outcome.OK, account_id=account.id)
    if (
        methods[0] is Method.EMAIL
    ):  # new device without an authenticator app: e-mail code by default
        with suppress(one_time_codes.CodeThrottled):  # the previous code is still valid
            one_time_codes.send_code(
                session=session, account=account, purpose="login", channel="email"
            )
    return LoginAttempt(Outcome.SECOND_FACTOR, account_id=account.id, methods=methods)


def second_factor_methods(
    *, session: Session, account: Account, device_token: str | None
) -> list[Method]:
    """None on a device trusted less than 30 days ago ("Faire confiance à cet appareil"); otherwise
    the app (or a recovery code) when enrolled, else a code by e-mail (or SMS). A browser that
    signed in before without that tick is asked again at every new sign-in."""
    device = devices.find_device(
        session=session, account_id=saved_id(account), device_token=device_token
    )
    if devices.is_trusted(device):
        return []
    if account.totp_enabled_at is not None:
        return [Method.TOTP, Method.RECOVERY]
    holder = get_existing(session, Policyholder, account.holder_id)
    return (
        [Method.EMAIL, Method.SMS] if account.phone_verified_at and holder.phone else [Method.EMAIL]
    )


LOCKED_BY_CODES = (
    "Trop de codes erronés : par sécurité, votre espace est verrouillé pendant 30 minutes. "
    "Un e-mail vous a été envoyé."
)


def verify_second_factor(
    *, session: Session, account_id: int, method: str, code: str, ip: str = "", user_agent: str = ""
) -> None:
    """Check the second factor of a sign-in.

    Wrong codes count on their own (``failed_code_count``, committed whatever the caller does): a
    right password in between does not reset them, and the fifth in a row locks the account for 30
    minutes."""
    account = session.get(Account, account_id)
    if account is None or is_locked(account):
        raise second_factor.SecondFactorError("Session de connexion expirée : recommencez.")
    if method not in second_factor_methods(session=session, account=account, device_token=None):
        raise second_factor.SecondFactorError("Cette méthode de vérification n'est pas disponible.")
    try:
        second_factor.verify(
            session=session, account=account, method=method, code=code, purpose="login"
        )
    except second_factor.SecondFactorError:
        if record_failure(
            session=session,
            principal=account,
            counter=CODE,
            result=LoginResult.SECOND_FACTOR_FAILED,
            ip=ip,
            user_agent=user_agent,
        ):
            raise second_factor.SecondFactorError(LOCKED_BY_CODES) from None
        raise
    account.failed_code_count = 0
    session.add(account)


def authenticate(*, session: Session, identifier: str, password: str) -> Account | None:
    """Password check alone (no lockout bookkeeping): for scripts and tests of the hashing."""
    account = find_account(session=session, identifier=identifier)
    if account is None:
        burn_verification_time(password)
        return None
    if not verify_password(password, account.password_hash) or not account.is_active:
        return None
    return account


def authenticate_staff(*, session: Session, email: str, password: str) -> StaffUser | None:
    """The staff member if the password is right and the access is not locked; None otherwise,
    alike.

    Staff have the holders' lockout: 5 wrong passwords in a row (or 5 wrong e-mailed codes, see
    ``verify_staff_code``) lock the access for 30 minutes and e-mail the staff member."""
    staff = session.exec(select(StaffUser).where(StaffUser.email == normalise_email(email))).first()
    if staff is None:
        burn_verification_time(password)
        return None
    password_ok = verify_password(password, staff.password_hash)
    if not staff.is_active or is_locked(staff):
        return None
    if not password_ok:
        record_failure(session=session, principal=staff, counter=PASSWORD)
        return None
    staff.failed_login_count = 0
    staff.last_login_at = utcnow()
    session.add(staff)
    return staff


def verify_staff_code(*, session: Session, staff_id: int, code: str) -> None:
    """The code e-mailed at a staff sign-in; 5 wrong codes in a row lock the access for 30
    minutes."""
    staff = session.get(StaffUser, staff_id)
    if staff is None or not staff.is_active or is_locked(staff):
        raise second_factor.SecondFactorError(
            "Connexion expirée : saisissez à nouveau votre mot de passe."
        )
    try:
        second_factor.verify_staff_code(session=session, staff_id=staff_id, code=code)
    except second_factor.SecondFactorError:
        if record_failure(session=session, principal=staff, counter=CODE):
            raise second_factor.SecondFactorError(
                "Trop de codes erronés : par sécurité, votre accès est verrouillé pendant 30 "
                "minutes."
            ) from None
        raise
    staff.failed_code_count = 0
    session.add(staff)
