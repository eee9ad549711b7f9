"""Sign-up tied to a contract: matching the contract's identity, creating the account, activation
and its resends."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import Session, col, select

from espace.contracts.models import Contract, InsuredProperty
from espace.core.models import get_existing, saved_id, utcnow
from espace.core.text import fold
from espace.identity.accounts import (
    AccountError,
    _consume_token,
    _issue_token,
    _store_password,
    _validate_new_password,
    account_of_holder,
    clean_email,
)
from espace.identity.identifiers import normalise_contract_number, normalise_email
from espace.identity.models import (
    Account,
    ActionToken,
    Policyholder,
    TokenPurpose,
)
from espace.identity.passwords import hash_password
from espace.notifications import outbox
from espace.notifications.models import OutboxMessage

ACTIVATION_VALIDITY = timedelta(hours=72)
RESEND_INTERVAL = timedelta(seconds=60)
RESEND_PER_DAY = 5
ADDRESS_TAKEN_SUBJECT = "Tentative de création d'un espace avec votre adresse e-mail"
ACCOUNT_EXISTS_MESSAGE = (
    "Un espace existe déjà pour ce contrat. Connectez-vous, ou utilisez « Mot de passe "
    "oublié » si vous ne vous en souvenez plus."
)
IDENTITY_MISMATCH_MESSAGE = (
    "Ces informations ne correspondent à aucun contrat. Vérifiez le numéro de contrat, "
    "le nom, la date de naissance et le code postal du logement assuré."
)


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
