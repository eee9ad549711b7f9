"""The second step of a profile change: the code sent to the new number and the link e-mailed to the
new address confirm it; resending them, and cancelling a pending change."""

from __future__ import annotations

from sqlmodel import Session, col, select

from espace import routes
from espace.core import formatting as fmt
from espace.core.models import get_existing, saved_id, utcnow
from espace.identity import accounts, second_factor, signup
from espace.identity.account_recovery import mask_email
from espace.identity.models import (
    Account,
    ActionToken,
    CodePurpose,
    OneTimeCode,
    Policyholder,
    ProfileChange,
    TokenPurpose,
)
from espace.identity.profile import (
    CANCELLED,
    DONE,
    PENDING,
    _alert,
    _burn_email_links,
    _emit_changed,
    _holder_and_account,
    _live,
    _pending,
    _refuse_taken,
    _security_email,
    _send_email_link,
    _send_phone_code,
    _supersede,
)
from espace.identity.profile_validation import (
    EMAIL,
    PHONE,
    ProfileError,
    masked,
)
from espace.notifications import messages, outbox

LINK_INVALID = (
    "Lien expiré ou déjà utilisé : un lien de confirmation ne sert qu'une fois, pendant 24 "
    "heures, et une demande plus récente le remplace."
)


def _live_pending(session: Session, holder_id: int, field: str) -> ProfileChange:
    change = next((c for c in _pending(session, holder_id, field) if _live(c)), None)
    if change is None:
        what = "de numéro" if field == PHONE else "d'adresse e-mail"
        raise ProfileError(
            f"Aucun changement {what} en attente : recommencez.",
            "code" if field == PHONE else "email",
        )
    return change


# ---- mobile phone --------------------------------------------------------------------------------


def resend_phone_code(*, session: Session, holder_id: int) -> ProfileChange:
    _, account = _holder_and_account(session, holder_id)
    change = _live_pending(session, holder_id, PHONE)
    _send_phone_code(session, account, change, field="code")
    return change


def _code_is_for(session: Session, account: Account, change: ProfileChange) -> bool:
    """No phone code was sent after this change's (e.g. the 'Sécurité' page's check of the old
    number)."""
    later = session.exec(
        select(OneTimeCode.id).where(
            OneTimeCode.account_id == account.id,
            OneTimeCode.purpose == CodePurpose.NEW_PHONE,
            OneTimeCode.created_at > change.changed_at,
        )
    ).first()
    return later is None


def confirm_phone_change(*, session: Session, holder_id: int, code: str) -> ProfileChange:
    """Check the code sent to the new number, then switch to it (verified) and warn the old one.

    A wrong code raises ProfileError *after* counting the attempt: commit the session anyway."""
    holder, account = _holder_and_account(session, holder_id)
    change = _live_pending(session, holder_id, PHONE)
    if not _code_is_for(session, account, change):
        raise ProfileError(
            "Ce code ne correspond plus à votre demande : demandez un nouveau code.", "code"
        )
    try:
        second_factor.verify_code(
            session=session, account_id=saved_id(account), purpose=CodePurpose.NEW_PHONE, code=code
        )
    except second_factor.SecondFactorError as error:
        raise ProfileError(str(error), "code") from None
    old = holder.phone
    holder.phone = change.new_value
    account.phone_verified_at = utcnow()
    change.status, change.changed_at = DONE, utcnow()
    session.add_all([holder, account, change])
    _emit_changed(session, holder_id, PHONE)
    _alert_phone_changed(session, account, old, change.new_value)
    return change


def _alert_phone_changed(session: Session, account: Account, old: str, new: str) -> None:
    _alert(
        session,
        account.holder_id,
        title="Votre numéro de mobile a été modifié",
        body=f"Nouveau numéro : {fmt.phone(new)}.",
        email=_security_email(
            "phone_changed", session, account, old=masked(PHONE, old), new=masked(PHONE, new)
        ),
    )
    if old:
        outbox.send_sms(
            session=session,
            to=old,
            account_id=account.id,
            body=messages.sms("phone_replaced", new=masked(PHONE, new)),
        )


# ---- e-mail address ------------------------------------------------------------------------------


def resend_email_link(*, session: Session, holder_id: int) -> ProfileChange:
    """A new link for the pending change (the previous one stops working), at most once a minute."""
    _, account = _holder_and_account(session, holder_id)
    change = _live_pending(session, holder_id, EMAIL)
    last = session.exec(
        select(ActionToken.created_at)
        .where(
            ActionToken.account_id == account.id, ActionToken.purpose == TokenPurpose.EMAIL_CHANGE
        )
        .order_by(col(ActionToken.created_at).desc())
    ).first()
    if last is not None and last > utcnow() - signup.RESEND_INTERVAL:
        raise ProfileError(
            "Un e-mail vient d'être envoyé : patientez une minute avant de le redemander.", "email"
        )
    _send_email_link(session, account, change)
    change.changed_at = utcnow()
    session.add(change)
    return change


def confirm_email_change(*, session: Session, token: str) -> ProfileChange:
    """The link's token alone (it may be opened on another device, signed out) switches the address.

    A request that can no longer succeed is cancelled before ProfileError is raised: commit
    anyway."""
    found = _email_request(session, token)
    if found is None:
        raise ProfileError(LINK_INVALID)
    account, change = found
    if (
        account.password_changed_at > change.changed_at
    ):  # "ce n'était pas moi" or a reset since the request
        _cancel(session, change, account)
        raise ProfileError(LINK_INVALID)
    try:
        _refuse_taken(session, account, change.new_value)
    except ProfileError:
        _cancel(session, change, account)
        raise ProfileError(
            "Cette adresse e-mail est désormais utilisée par un autre espace : la demande est "
            "annulée. Connectez-vous pour en choisir une autre."
        ) from None
    return _switch_email(session, account, change)


def _email_request(session: Session, token: str) -> tuple[Account, ProfileChange] | None:
    """The active account and the pending change a link's token stands for, or None."""
    row = accounts.peek_token(session=session, token=token, purpose=TokenPurpose.EMAIL_CHANGE)
    if row is None:
        return None
    account = session.get(Account, row.account_id)
    if account is None or not account.is_active:
        return None
    change_id, email = row.payload.get("change_id"), row.payload.get("email")
    change = session.exec(
        select(ProfileChange).where(
            ProfileChange.id == int(change_id or 0),
            ProfileChange.holder_id == account.holder_id,
            ProfileChange.field == EMAIL,
            ProfileChange.status == PENDING,
        )
    ).first()
    return (account, change) if change is not None and change.new_value == email else None


def _switch_email(session: Session, account: Account, change: ProfileChange) -> ProfileChange:
    holder = get_existing(session, Policyholder, account.holder_id)
    old = account.email
    account.email = holder.email = change.new_value.lower()
    change.status, change.changed_at = DONE, utcnow()
    session.add_all([account, holder, change])
    _emit_changed(session, saved_id(holder), EMAIL)
    _supersede(session, holder, account, EMAIL)  # burns this link and any other
    outbox.send_email_template(
        session=session,
        to=old,
        account_id=account.id,
        template="email_changed",
        new=mask_email(change.new_value),
        date=fmt.datetime_fr(utcnow()),
        lost_access_link=outbox.link(routes.LOST_ACCESS),
    )
    _alert(
        session,
        account.holder_id,
        title="Votre adresse e-mail a été modifiée",
        body=f"Votre nouvelle adresse, {change.new_value}, sert désormais à vous connecter.",
    )
    return change


def _cancel(session: Session, change: ProfileChange, account: Account) -> None:
    change.status = CANCELLED
    session.add(change)
    if change.field == EMAIL:
        _burn_email_links(session, saved_id(account))


def cancel_change(*, session: Session, holder_id: int, change_id: int) -> bool:
    """Cancel one of *this holder's* pending changes (another holder's id matches nothing)."""
    change = session.exec(
        select(ProfileChange).where(
            ProfileChange.id == change_id,
            ProfileChange.holder_id == holder_id,
            ProfileChange.status == PENDING,
        )
    ).first()
    account = accounts.account_of_holder(session=session, holder_id=holder_id)
    if change is None or account is None:
        return False
    _cancel(session, change, account)
    return True
