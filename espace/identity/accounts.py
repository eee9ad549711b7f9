"""Account lifecycle: sign-up tied to a contract, activation, passwords, reset, lost access."""

from __future__ import annotations

import secrets
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from email_validator import EmailNotValidError, validate_email
from sqlmodel import Session, col, func, select

from espace.contracts.models import Contract, InsuredProperty
from espace.core.models import get_existing, saved_id, utcnow
from espace.core.settings import get_settings
from espace.core.text import fold
from espace.core.tokens import digest, new_token
from espace.identity import second_factor, sessions, stepup
from espace.identity.identifiers import normalise_contract_number, normalise_email
from espace.identity.models import (
    AccessRecoveryRequest,
    Account,
    ActionToken,
    CodePurpose,
    LoginEvent,
    LoginResult,
    PasswordHistory,
    Policyholder,
    TokenPurpose,
)
from espace.identity.password_policy import check_password, personal_words
from espace.identity.passwords import hash_password, verify_password
from espace.identity.stepup import StepUpProof
from espace.notifications import outbox
from espace.notifications.models import OutboxMessage

ACTIVATION_VALIDITY = timedelta(hours=72)
RESET_VALIDITY = timedelta(hours=24)
NOT_ME_VALIDITY = timedelta(days=7)
RECOVERY_TARGET = timedelta(hours=48)
PASSWORD_HISTORY = 5
RESEND_INTERVAL = timedelta(seconds=60)
RESEND_PER_DAY = 5
RESET_WINDOW = timedelta(hours=1)
ADDRESS_TAKEN_SUBJECT = "Tentative de création d'un espace avec votre adresse e-mail"

ACCOUNT_EXISTS_MESSAGE = (
    "Un espace existe déjà pour ce contrat. Connectez-vous, ou utilisez « Mot de passe "
    "oublié » si vous ne vous en souvenez plus."
)
IDENTITY_MISMATCH_MESSAGE = (
    "Ces informations ne correspondent à aucun contrat. Vérifiez le numéro de contrat, "
    "le nom, la date de naissance et le code postal du logement assuré."
)


class AccountError(ValueError):
    """A French message for the person, optionally tied to a form field."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


# ---- identity ------------------------------------------------------------------------------


def _fold_name(text: str) -> str:
    return "".join(c for c in fold(text.strip()) if c.isalnum())


def match_contract_identity(
    *,
    session: Session,
    contract_number: str,
    last_name: str,
    birth_date: date | None,
    postal_code: str,
) -> Policyholder | None:
    """The holder whose contract, name, birth date and insured property's postal code all match."""
    number = normalise_contract_number(contract_number)
    if not number or birth_date is None:
        return None
    row = session.exec(
        select(Policyholder, InsuredProperty)
        .join(Contract, col(Contract.holder_id) == Policyholder.id)
        .join(InsuredProperty, col(InsuredProperty.id) == Contract.property_id)
        .where(Contract.number == number)
    ).first()
    if row is None:
        return None
    holder, prop = row
    if (
        _fold_name(holder.last_name) == _fold_name(last_name)
        and holder.birth_date == birth_date
        and prop.postal_code == postal_code.strip().replace(" ", "")
    ):
        return holder
    return None


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


# ---- sign-up and activation ----------------------------------------------------------------


def sign_up(
    *, session: Session, holder: Policyholder, email: str, password: str, confirm: str
) -> Account | None:
    """Create the holder's account and send the activation link.

    When the address already belongs to another espace, nothing is created and None is returned: the
    owner of the address is told by e-mail instead, and the caller answers exactly as for a new
    account ("check your mailbox"), so that sign-up never tells whether an address has an
    account."""
    if account_of_holder(session=session, holder_id=saved_id(holder)) is not None:
        raise AccountError(ACCOUNT_EXISTS_MESSAGE)
    email = clean_email(email)
    _validate_new_password(
        session=session,
        holder=holder,
        password=password,
        confirm=confirm,
        account=None,
        email=email,
    )
    taken = session.exec(select(Account).where(Account.email == email)).first()
    if taken is not None:
        hash_password(
            password
        )  # the same work as creating the account: no timing difference either
        _warn_address_owner(session, taken)
        return None
    account = Account(holder_id=saved_id(holder), email=email, password_hash="!", activated_at=None)
    session.add(account)
    session.flush()
    _store_password(session=session, account=account, password=password)
    send_activation(session=session, account=account)
    return account


def _warn_address_owner(session: Session, owner: Account) -> None:
    """Tell the owner of an address that someone tried to create an espace with it (at most once a
    minute and 5 times a day per account: whoever repeats the attempt cannot flood the mailbox)."""
    if not owner.is_active:
        return
    sent = list(
        session.exec(
            select(OutboxMessage.created_at)
            .where(
                OutboxMessage.account_id == owner.id,
                OutboxMessage.subject == ADDRESS_TAKEN_SUBJECT,
                OutboxMessage.created_at > utcnow() - timedelta(days=1),
            )
            .order_by(col(OutboxMessage.created_at).desc())
        ).all()
    )
    if len(sent) >= RESEND_PER_DAY or (sent and sent[0] > utcnow() - RESEND_INTERVAL):
        return
    outbox.send_email_template(
        session=session,
        to=owner.email,
        account_id=owner.id,
        template="address_taken",
        subject=ADDRESS_TAKEN_SUBJECT,
        login_link=outbox.link("/connexion"),
        reset_link=outbox.link("/mot-de-passe-oublie"),
    )


def send_activation(*, session: Session, account: Account) -> None:
    token = _issue_token(session, account, TokenPurpose.ACTIVATION, ACTIVATION_VALIDITY)
    outbox.send_email_template(
        session=session,
        to=account.email,
        account_id=account.id,
        template="activation",
        link=outbox.link("/activation?jeton=" + token),
    )


def _check_resend(sent: list) -> None:
    """The same pause and daily cap, and the same words, for every "send it again" of the
    sign-up."""
    now = utcnow()
    recent = sorted((at for at in sent if at > now - timedelta(days=1)), reverse=True)
    if recent and recent[0] > now - RESEND_INTERVAL:
        raise AccountError(
            "Un e-mail vient d'être envoyé : patientez une minute avant de le redemander."
        )
    if len(recent) >= RESEND_PER_DAY:
        raise AccountError(
            "Vous avez demandé trop d'e-mails aujourd'hui : réessayez demain ou contactez-nous."
        )


def resend_activation(*, session: Session, account_id: int) -> None:
    account = session.get(Account, account_id)
    if account is None or account.activated_at is not None:
        return
    _check_resend(
        list(
            session.exec(
                select(ActionToken.created_at).where(
                    ActionToken.account_id == account.id,
                    ActionToken.purpose == TokenPurpose.ACTIVATION,
                    ActionToken.created_at > utcnow() - timedelta(days=1),
                )
            ).all()
        )
    )
    send_activation(session=session, account=account)


def resend_address_warning(*, session: Session, email: str, previous: list) -> None:
    """ "Send it again" after a sign-up with an address that already had an espace: the same pause
    and cap as ``resend_activation``, counted on this sign-up's own sends (``previous``, the times
    the caller keeps), so the answer is the one a new account would get; the owner's mailbox stays
    capped by ``_warn_address_owner``."""
    _check_resend(previous)
    owner = session.exec(select(Account).where(Account.email == normalise_email(email))).first()
    if owner is not None:
        _warn_address_owner(session, owner)


def activate(*, session: Session, token: str) -> Account | None:
    row = _consume_token(session, token, TokenPurpose.ACTIVATION)
    if row is None:
        return None
    account = get_existing(session, Account, row.account_id)
    account.activated_at = account.activated_at or utcnow()
    session.add(account)
    return account


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
            second_factor.CodeThrottled
        ):  # the code sent moments ago still works; same answer
            second_factor.send_code(
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


def reset_with_code(
    *, session: Session, account_id: int | None, code: str, password: str, confirm: str
) -> Account:
    if account_id is None:
        raise AccountError("Code incorrect ou expiré : demandez-en un nouveau.", "code")
    account = session.get(Account, account_id)
    if account is None:
        raise AccountError("Code incorrect ou expiré : demandez-en un nouveau.", "code")
    holder = get_existing(session, Policyholder, account.holder_id)
    _validate_new_password(
        session=session, holder=holder, password=password, confirm=confirm, account=account
    )
    try:
        second_factor.verify_code(
            session=session, account_id=saved_id(account), purpose=CodePurpose.RESET, code=code
        )
    except second_factor.SecondFactorError as error:
        raise AccountError(str(error), "code") from None
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
        with suppress(second_factor.CodeThrottled):
            second_factor.send_code(
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


def verify_identity(
    *,
    session: Session,
    contract_number: str,
    last_name: str,
    birth_date: date | None,
    postal_code: str,
    ip: str = "",
    user_agent: str = "",
) -> Policyholder:
    """Match a contract identity, counting mismatches toward the per-address throttle."""
    from espace.identity.auth import (
        THROTTLED_MESSAGE,
        ip_blocked,
        recent_failures_from,
        record_event,
    )
    from espace.identity.models import LoginResult

    if ip_blocked(recent_failures_from(session=session, ip=ip)):
        raise AccountError(THROTTLED_MESSAGE)
    holder = match_contract_identity(
        session=session,
        contract_number=contract_number,
        last_name=last_name,
        birth_date=birth_date,
        postal_code=postal_code,
    )
    if holder is None:
        record_event(
            session=session, result=LoginResult.IDENTITY_MISMATCH, ip=ip, user_agent=user_agent
        )
        raise AccountError(IDENTITY_MISMATCH_MESSAGE)
    return holder
