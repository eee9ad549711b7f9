"""Getting back in: the forgotten password (a link by e-mail or a code by SMS), lost access to the
login e-mail, and « ce n'était pas moi »."""

from __future__ import annotations

import secrets
from contextlib import suppress
from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import Session, col, func, select

from espace.contracts.models import Contract
from espace.core.models import get_existing, saved_id, utcnow
from espace.core.settings import get_settings
from espace.identity import one_time_codes, second_factor, sessions
from espace.identity.accounts import (
    AccountError,
    _consume_token,
    _issue_token,
    _notify_password_changed,
    _store_password,
    _validate_new_password,
    account_of_holder,
    clean_email,
    peek_token,
)
from espace.identity.models import (
    AccessRecoveryRequest,
    Account,
    ActionToken,
    CodePurpose,
    LoginEvent,
    LoginResult,
    Policyholder,
    TokenPurpose,
)
from espace.notifications import outbox

RESET_VALIDITY = timedelta(hours=24)
NOT_ME_VALIDITY = timedelta(days=7)
RECOVERY_TARGET = timedelta(hours=48)
RESET_WINDOW = timedelta(hours=1)


# ---- forgotten password ----------------------------------------------------------------------


def request_reset(
    *, session: Session, identifier: str, channel: str, ip: str = "", user_agent: str = ""
) -> int | None:
    """Send a reset link (e-mail) or code (SMS to the phone on file). Returns the account id for the
    SMS step, or None; the caller answers the same way in every case.

    Throttled like one-time codes, silently (the answer never changes): per account, a pause of
    ``code_resend_seconds`` between two links and ``codes_per_hour`` links an hour; per client
    address, ``reset_requests_per_ip_hour`` requests an hour whatever the accounts asked for (e-mail
    or SMS)."""
    from espace.identity.auth import find_account, record_event  # avoid a cycle at import time

    if _reset_requests_from(session, ip) >= get_settings().reset_requests_per_ip_hour:
        return None
    if ip:  # counted for the address, tied to no account: the history of an account never shows it
        record_event(
            session=session, result=LoginResult.RESET_REQUESTED, ip=ip, user_agent=user_agent
        )
    account = find_account(session=session, identifier=identifier)
    if account is None or not account.is_active:
        return None
    holder = get_existing(session, Policyholder, account.holder_id)
    if channel == "sms" and holder.phone:
        with suppress(
            one_time_codes.CodeThrottled
        ):  # the code sent moments ago still works; same answer
            one_time_codes.send_code(
                session=session, account=account, purpose=CodePurpose.RESET, channel="sms"
            )
        return account.id
    if not _reset_links_throttled(session, account):
        _send_reset_link(session, account)
    return None if channel == "email" else account.id


def _reset_requests_from(session: Session, ip: str) -> int:
    if not ip:
        return 0
    return session.exec(
        select(func.count())
        .select_from(LoginEvent)
        .where(
            LoginEvent.ip_address == ip[:45],
            LoginEvent.result == LoginResult.RESET_REQUESTED,
            LoginEvent.occurred_at > utcnow() - RESET_WINDOW,
        )
    ).one()


def _reset_links_throttled(session: Session, account: Account) -> bool:
    settings, now = get_settings(), utcnow()
    sent = session.exec(
        select(ActionToken.created_at).where(
            ActionToken.account_id == account.id,
            ActionToken.purpose == TokenPurpose.RESET,
            ActionToken.created_at > now - RESET_WINDOW,
        )
    ).all()
    return len(sent) >= settings.codes_per_hour or any(
        at > now - timedelta(seconds=settings.code_resend_seconds) for at in sent
    )


def _send_reset_link(session: Session, account: Account) -> None:
    token = _issue_token(session, account, TokenPurpose.RESET, RESET_VALIDITY)
    outbox.send_email_template(
        session=session,
        to=account.email,
        account_id=account.id,
        template="reset_link",
        link=outbox.link("/mot-de-passe/nouveau?jeton=" + token),
    )


def _finish_reset(session: Session, account: Account, password: str, confirm: str) -> None:
    holder = get_existing(session, Policyholder, account.holder_id)
    _validate_new_password(
        session=session, holder=holder, password=password, confirm=confirm, account=account
    )
    _store_password(session=session, account=account, password=password)
    for other in session.exec(
        select(ActionToken).where(
            ActionToken.account_id == account.id,
            ActionToken.purpose == TokenPurpose.RESET,
            col(ActionToken.used_at).is_(None),
        )
    ).all():
        other.used_at = utcnow()
        session.add(other)
    if account.activated_at is None:  # a reset link proves the e-mail address too
        account.activated_at = utcnow()
    sessions.revoke_all_for_account(
        session=session, account_id=saved_id(account), reason="password_reset"
    )
    _notify_password_changed(session, account)


def reset_with_token(*, session: Session, token: str, password: str, confirm: str) -> Account:
    row = peek_token(session=session, token=token, purpose=TokenPurpose.RESET)
    if row is None:
        raise AccountError(
            "Ce lien n'est plus valable (déjà utilisé ou expiré). Demandez-en un nouveau."
        )
    account = get_existing(session, Account, row.account_id)
    _finish_reset(
        session, account, password, confirm
    )  # raises before the token is spent on a bad password
    _consume_token(session, token, TokenPurpose.RESET)
    return account


WRONG_RESET_CODE = "Code incorrect ou expiré : demandez-en un nouveau."


def reset_with_code(
    *, session: Session, account_id: int | None, code: str, password: str, confirm: str
) -> Account:
    """The reset by SMS code. Whoever types an identifier gets the same answers whether an account
    has it or not (``account_id`` None): one message for every wrong, expired, exhausted or missing
    code, and the code checked before the password (a password refused only for a known account
    would tell it exists). A right code is spent only if the caller commits: the form handler
    rolls it back when the password is refused."""
    account = session.get(Account, account_id) if account_id is not None else None
    if account is None:
        raise AccountError(WRONG_RESET_CODE, "code")
    try:
        second_factor.verify_code(
            session=session, account_id=saved_id(account), purpose=CodePurpose.RESET, code=code
        )
    except second_factor.SecondFactorError:
        raise AccountError(WRONG_RESET_CODE, "code") from None
    holder = get_existing(session, Policyholder, account.holder_id)
    _validate_new_password(
        session=session, holder=holder, password=password, confirm=confirm, account=account
    )
    _finish_reset(session, account, password, confirm)
    return account


# ---- lost e-mail access ----------------------------------------------------------------------


@dataclass(frozen=True)
class RecoveryStart:
    kind: str  # "sms" | "request"
    account_id: int | None = None
    masked_phone: str = ""
    request_id: int | None = None


def mask_email(email: str) -> str:
    """'camille.martin@example.com' -> 'c•••@example.com'."""
    local, _, domain = email.partition("@")
    return f"{local[:1]}•••@{domain}"


def mask_phone(phone: str) -> str:
    digits = [c for c in phone if c.isdigit()]
    return (
        "•• •• •• " + "".join(digits[-4:-2]) + " " + "".join(digits[-2:])
        if len(digits) >= 4
        else "••"
    )


def start_recovery(
    *, session: Session, holder: Policyholder, contact_email: str = "", message: str = ""
) -> RecoveryStart:
    account = account_of_holder(session=session, holder_id=saved_id(holder))
    if account is not None and holder.phone:
        with suppress(one_time_codes.CodeThrottled):
            one_time_codes.send_code(
                session=session, account=account, purpose=CodePurpose.RECOVERY, channel="sms"
            )
        return RecoveryStart(
            kind="sms", account_id=account.id, masked_phone=mask_phone(holder.phone)
        )
    number = session.exec(select(Contract.number).where(Contract.holder_id == holder.id)).first()
    request = AccessRecoveryRequest(
        holder_id=saved_id(holder),
        contract_number=number or "",
        contact_email=contact_email[:254],
        message=message[:1000],
        due_at=utcnow() + RECOVERY_TARGET,
    )
    session.add(request)
    session.flush()
    return RecoveryStart(kind="request", request_id=request.id)


def finish_recovery(
    *, session: Session, account_id: int, code: str, new_email: str, password: str, confirm: str
) -> Account:
    """SMS code verified: new login e-mail and password; the old address is told."""
    account = session.get(Account, account_id)
    if account is None:
        raise AccountError("Code incorrect ou expiré : demandez-en un nouveau.", "code")
    email = clean_email(new_email)
    taken = session.exec(
        select(Account).where(Account.email == email, Account.id != account.id)
    ).first()
    if taken is not None:
        raise AccountError("Cette adresse e-mail est déjà utilisée par un autre espace.", "email")
    holder = get_existing(session, Policyholder, account.holder_id)
    _validate_new_password(
        session=session,
        holder=holder,
        password=password,
        confirm=confirm,
        account=account,
        email=email,
    )
    try:
        second_factor.verify_code(
            session=session, account_id=saved_id(account), purpose=CodePurpose.RECOVERY, code=code
        )
    except second_factor.SecondFactorError as error:
        raise AccountError(str(error), "code") from None
    old_email = account.email
    account.email = email
    _store_password(session=session, account=account, password=password)
    sessions.revoke_all_for_account(
        session=session, account_id=saved_id(account), reason="access_recovered"
    )
    if old_email != email:
        outbox.send_email_template(
            session=session,
            to=old_email,
            account_id=account.id,
            template="login_address_replaced",
            new_email=email,
        )
    outbox.send_email_template(
        session=session, to=email, account_id=account.id, template="access_recovered"
    )
    return account


# ---- "ce n'était pas moi" --------------------------------------------------------------------


def not_me_link(*, session: Session, account: Account) -> str:
    return outbox.link(
        "/pas-moi?jeton=" + _issue_token(session, account, TokenPurpose.NOT_ME, NOT_ME_VALIDITY)
    )


def report_not_me(*, session: Session, token: str) -> bool:
    """End every session, make the current password unusable, and send a reset link."""
    row = _consume_token(session, token, TokenPurpose.NOT_ME)
    if row is None:
        return False
    account = get_existing(session, Account, row.account_id)
    account.password_hash = "!" + secrets.token_hex(16)  # matches no password
    account.password_changed_at = utcnow()
    session.add(account)
    sessions.revoke_all_for_account(session=session, account_id=saved_id(account), reason="not_me")
    if account.is_active:
        _send_reset_link(session, account)  # never throttled: the holder has no other way back in
    return True
