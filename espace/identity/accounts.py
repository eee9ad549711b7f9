"""Accounts: finding a holder's account, passwords (their rules, history and change), the tokens
sent by e-mail. Sign-up is in ``signup``, getting back in in ``account_recovery``."""

from __future__ import annotations

from datetime import datetime, timedelta

from email_validator import EmailNotValidError, validate_email
from sqlmodel import Session, col, select

from espace.core.models import get_existing, saved_id, utcnow
from espace.core.tokens import digest, new_token
from espace.identity import sessions, stepup
from espace.identity.identifiers import normalise_email
from espace.identity.models import (
    Account,
    ActionToken,
    LoginResult,
    PasswordHistory,
    Policyholder,
)
from espace.identity.password_policy import check_password, personal_words
from espace.identity.passwords import hash_password, verify_password
from espace.identity.stepup import StepUpProof
from espace.notifications import outbox

PASSWORD_HISTORY = 5


class AccountError(ValueError):
    """A French message for the person, optionally tied to a form field."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


# ---- identity ------------------------------------------------------------------------------


def account_of_holder(*, session: Session, holder_id: int) -> Account | None:
    return session.exec(select(Account).where(Account.holder_id == holder_id)).first()


def account(*, session: Session, account_id: int | None) -> Account | None:
    """The account behind a principal (``Principal.account_id``), or None."""
    return session.get(Account, account_id) if account_id else None


def account_and_holder(*, session: Session, account_id: int) -> tuple[Account, Policyholder]:
    """The account behind a principal and its policyholder (where codes are sent)."""
    found = session.get(Account, account_id)
    if found is None:
        raise LookupError(account_id)
    return found, get_existing(session, Policyholder, found.holder_id)


def holder_personal_words(holder: Policyholder, email: str = "") -> list[str]:
    return personal_words(
        first_name=holder.first_name,
        last_name=holder.last_name,
        email=email or holder.email,
        birth_date=holder.birth_date,
    )


def clean_email(raw: str) -> str:
    try:
        return normalise_email(validate_email(raw.strip(), check_deliverability=False).normalized)
    except EmailNotValidError:
        raise AccountError(
            "Saisissez une adresse e-mail valide, par exemple nom@exemple.fr.", "email"
        ) from None


# ---- passwords -----------------------------------------------------------------------------


def _validate_new_password(
    *,
    session: Session,
    holder: Policyholder,
    password: str,
    confirm: str,
    account: Account | None,
    email: str = "",
) -> None:
    if password != confirm:
        raise AccountError("Les deux mots de passe ne sont pas identiques.", "confirm")
    result = check_password(password, personal=holder_personal_words(holder, email))
    if not result.ok:
        raise AccountError(" ".join(result.errors), "password")
    if account is not None:
        previous = session.exec(
            select(PasswordHistory.password_hash)
            .where(PasswordHistory.account_id == account.id)
            .order_by(col(PasswordHistory.id).desc())
            .limit(PASSWORD_HISTORY)
        ).all()
        if any(verify_password(password, old) for old in {account.password_hash, *previous}):
            raise AccountError(
                "Vous avez déjà utilisé ce mot de passe récemment : choisissez-en un nouveau.",
                "password",
            )


def _store_password(*, session: Session, account: Account, password: str) -> None:
    account.password_hash = hash_password(password)
    account.password_changed_at = utcnow()
    account.failed_login_count = account.failed_code_count = 0  # a new password (a reset) unlocks
    account.locked_until = None
    session.add(account)
    session.add(PasswordHistory(account_id=saved_id(account), password_hash=account.password_hash))
    session.flush()
    old = session.exec(
        select(PasswordHistory)
        .where(PasswordHistory.account_id == account.id)
        .order_by(col(PasswordHistory.id).desc())
        .offset(PASSWORD_HISTORY)
    ).all()
    for row in old:
        session.delete(row)


def _notify_password_changed(session: Session, account: Account) -> None:
    outbox.send_email_template(
        session=session,
        to=account.email,
        account_id=account.id,
        template="password_changed",
        reset_link=outbox.link("/mot-de-passe-oublie"),
    )


PASSWORD_CHANGE_LOCKED = (
    "Trop d'essais : par sécurité, votre espace est verrouillé pendant 30 minutes et cette "
    "session est fermée. Un e-mail vous a été envoyé."
)


def change_password(
    *,
    session: Session,
    account_id: int,
    current: str,
    new: str,
    confirm: str,
    proof: StepUpProof,
    ip: str = "",
    user_agent: str = "",
    now: datetime | None = None,
) -> None:
    """Needs a step-up proof of this account and the current password; ends every session but the
    proof's.

    A wrong current password counts like a failed sign-in (``auth.record_failure``: connection
    history, per-address throttle, committed whatever the caller does): the fifth in a row locks the
    account for 30 minutes and ends this session."""
    from espace.identity import auth

    now = now or utcnow()
    stepup.require_step_up(session=session, proof=proof, account_id=account_id, now=now)
    account = get_existing(session, Account, account_id)
    if auth.ip_blocked(auth.recent_failures_from(session=session, ip=ip)):
        raise AccountError(auth.THROTTLED_MESSAGE, "current")
    if not verify_password(current, account.password_hash):
        if auth.record_failure(
            session=session,
            principal=account,
            counter=auth.PASSWORD,
            result=LoginResult.BAD_CREDENTIALS,
            ip=ip,
            user_agent=user_agent,
            end_session_id=proof.session_id,
            now=now,
        ):
            raise AccountError(PASSWORD_CHANGE_LOCKED, "current")
        raise AccountError("Mot de passe actuel incorrect.", "current")
    holder = get_existing(session, Policyholder, account.holder_id)
    _validate_new_password(
        session=session, holder=holder, password=new, confirm=confirm, account=account
    )
    _store_password(session=session, account=account, password=new)
    sessions.revoke_all_for_account(
        session=session,
        account_id=saved_id(account),
        reason="password_changed",
        except_session_id=proof.session_id,
    )
    _notify_password_changed(session, account)


# ---- tokens sent by e-mail -------------------------------------------------------------------


def _issue_token(
    session: Session,
    account: Account,
    purpose: str,
    validity: timedelta,
    payload: dict | None = None,
) -> str:
    token = new_token()
    session.add(
        ActionToken(
            account_id=saved_id(account),
            purpose=purpose,
            token_hash=digest(token),
            expires_at=utcnow() + validity,
            payload=payload or {},
        )
    )
    session.flush()
    return token


def _consume_token(session: Session, token: str, purpose: str) -> ActionToken | None:
    row = session.exec(
        select(ActionToken).where(
            ActionToken.token_hash == digest(token or ""), ActionToken.purpose == purpose
        )
    ).first()
    if row is None or row.used_at is not None or row.expires_at <= utcnow():
        return None
    row.used_at = utcnow()
    session.add(row)
    return row


def peek_token(*, session: Session, token: str, purpose: str) -> ActionToken | None:
    row = session.exec(
        select(ActionToken).where(
            ActionToken.token_hash == digest(token or ""), ActionToken.purpose == purpose
        )
    ).first()
    if row is None or row.used_at is not None or row.expires_at <= utcnow():
        return None
    return row
