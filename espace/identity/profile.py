"""'Mon profil': the holder changes their postal address, mobile phone and e-mail address.

Every change is written to ``ProfileChange`` (the history the page shows) and announced as a
security notice (in-app and e-mail, whatever the holder's preferences). The phone and the e-mail
change in two steps: a pending change, then a proof that the new number or address is the
holder's (a code by SMS to the new number; a link e-mailed to the new address).

The ``start_*``/``update_*`` functions check their own step-up proof (``stepup.require_step_up``): a
fresh second factor of this holder's account; the phone and the e-mail changes spend it. The history
records how it was passed (the method, or "recent" for a check passed shortly before).

This module starts the changes; ``profile_validation`` checks the values, ``profile_confirmation``
completes, resends and cancels the pending ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from espace import routes
from espace.core import formatting as fmt
from espace.core.models import saved_id, utcnow
from espace.identity import account_recovery, accounts, one_time_codes, stepup
from espace.identity.account_recovery import mask_email
from espace.identity.models import (
    Account,
    ActionToken,
    Policyholder,
    ProfileChange,
    TokenPurpose,
)
from espace.identity.profile_validation import (
    ADDRESS,
    EMAIL,
    PHONE,
    Address,
    ProfileError,
    clean_address,
    clean_mobile,
    clean_new_email,
    masked,
)
from espace.identity.stepup import StepUpProof
from espace.notifications import messages, notices, outbox
from espace.notifications.models import NotificationCategory
from espace.webhooks.events import emit

PENDING, DONE, CANCELLED = "pending", "done", "cancelled"
PENDING_VALIDITY = timedelta(
    hours=24
)  # a pending change (and its e-mailed link) lapses after a day


# ---- shared steps --------------------------------------------------------------------------------


def _holder_and_account(session: Session, holder_id: int) -> tuple[Policyholder, Account]:
    holder = session.get(Policyholder, holder_id)
    account = accounts.account_of_holder(session=session, holder_id=holder_id)
    if holder is None or account is None or not account.is_active:
        raise ProfileError("Votre espace n'est pas accessible : reconnectez-vous.")
    return holder, account


def _checked(
    session: Session, holder_id: int, proof: StepUpProof, now: datetime | None, single_use: bool
) -> str:
    """Verify the step-up proof for this holder; how it was passed, as the history shows it."""
    stepup.require_step_up(
        session=session, proof=proof, holder_id=holder_id, now=now, single_use=single_use
    )
    return "recent" if proof.recent else proof.method


def _record(
    session: Session, holder_id: int, field: str, old: str, new: str, status: str, method: str
) -> ProfileChange:
    change = ProfileChange(
        holder_id=holder_id,
        field=field,
        old_value=old[:300],
        new_value=new[:300],
        status=status,
        second_factor=(method or "recent")[:10],
    )
    session.add(change)
    session.flush()
    return change


def _emit_changed(session: Session, holder_id: int, field: str) -> None:
    """Tell the insurer's systems (webhook holder.profile_changed): which field, not its value."""
    emit("holder.profile_changed", {"holder_id": holder_id, "field": field}, session=session)


def _pending(session: Session, holder_id: int, field: str) -> list[ProfileChange]:
    return list(
        session.exec(
            select(ProfileChange).where(
                ProfileChange.holder_id == holder_id,
                ProfileChange.field == field,
                ProfileChange.status == PENDING,
            )
        ).all()
    )


def _live(change: ProfileChange) -> bool:
    return change.status == PENDING and change.changed_at > utcnow() - PENDING_VALIDITY


def _burn_email_links(session: Session, account_id: int) -> None:
    for row in session.exec(
        select(ActionToken).where(
            ActionToken.account_id == account_id,
            ActionToken.purpose == TokenPurpose.EMAIL_CHANGE,
            col(ActionToken.used_at).is_(None),
        )
    ).all():
        row.used_at = utcnow()
        session.add(row)


def _supersede(session: Session, holder: Policyholder, account: Account, field: str) -> None:
    """Cancel the holder's pending changes of this field (an e-mail change's links stop working)."""
    for change in _pending(session, saved_id(holder), field):
        change.status = CANCELLED
        session.add(change)
    if field == EMAIL:
        _burn_email_links(session, saved_id(account))


def _alert(
    session: Session, holder_id: int, *, title: str, body: str, email: messages.Email | None = None
) -> None:
    notices.notify(
        session=session,
        holder_id=holder_id,
        category=NotificationCategory.SECURITY,
        title=title,
        body=body,
        link=routes.PROFILE,
        email_subject=email.subject if email else "",
        email_body=email.body if email else "",
    )


def _security_email(
    name: str, session: Session, account: Account, **context: str
) -> messages.Email:
    """A profile change's e-mail: its date, and the 'not me' link (``email/_not_me.txt``)."""
    return messages.email(
        name,
        date=fmt.datetime_fr(utcnow()),
        not_me_link=account_recovery.not_me_link(session=session, account=account),
        **context,
    )


# ---- postal address ------------------------------------------------------------------------------


def update_address(
    *,
    session: Session,
    holder_id: int,
    line1: str,
    line2: str,
    postal_code: str,
    city: str,
    proof: StepUpProof,
    now: datetime | None = None,
) -> ProfileChange:
    how = _checked(session, holder_id, proof, now, single_use=False)
    holder, account = _holder_and_account(session, holder_id)
    address = clean_address(line1=line1, line2=line2, postal_code=postal_code, city=city)
    old = current_address(holder)
    if address.one_line() == old:
        raise ProfileError("C'est déjà votre adresse enregistrée.")
    holder.address_line1, holder.address_line2 = address.line1, address.line2
    holder.postal_code, holder.city, holder.country = (
        address.postal_code,
        address.city,
        address.country,
    )
    session.add(holder)
    change = _record(session, holder_id, ADDRESS, old, address.one_line(), DONE, how)
    _emit_changed(session, holder_id, ADDRESS)
    _alert(
        session,
        holder_id,
        title="Votre adresse postale a été modifiée",
        body=f"Nouvelle adresse : {address.one_line()}.",
        email=_security_email("address_changed", session, account, old=old, new=address.one_line()),
    )
    return change


def current_address(holder: Policyholder) -> str:
    return Address(
        holder.address_line1, holder.address_line2, holder.postal_code, holder.city
    ).one_line()


# ---- mobile phone --------------------------------------------------------------------------------


def check_new_phone(*, session: Session, holder_id: int, phone: str) -> str:
    """The new number in E.164, or ProfileError (invalid, not a mobile, the current one)."""
    number = clean_mobile(phone)
    holder = session.get(Policyholder, holder_id)
    if holder is not None and number == holder.phone:
        raise ProfileError("C'est déjà votre numéro enregistré.", "phone")
    return number


def _send_phone_code(
    session: Session, account: Account, change: ProfileChange, *, field: str
) -> None:
    try:
        row = one_time_codes.send_code_to_phone(
            session=session, account=account, phone=change.new_value
        )
    except one_time_codes.CodeThrottled as error:  # nothing sent
        raise ProfileError(str(error), field) from None
    change.changed_at = (
        row.created_at
    )  # ties the change to this code: a later phone code cannot confirm it
    session.add(change)


def start_phone_change(
    *, session: Session, holder_id: int, phone: str, proof: StepUpProof, now: datetime | None = None
) -> ProfileChange:
    """A pending change and a 6-digit code by SMS to the new number; an earlier pending change is
    cancelled."""
    how = _checked(session, holder_id, proof, now, single_use=True)
    holder, account = _holder_and_account(session, holder_id)
    number = check_new_phone(session=session, holder_id=holder_id, phone=phone)
    _supersede(session, holder, account, PHONE)
    change = _record(session, holder_id, PHONE, holder.phone, number, PENDING, how)
    _send_phone_code(session, account, change, field="phone")
    return change


# ---- e-mail address ------------------------------------------------------------------------------


def check_new_email(*, session: Session, holder_id: int, email: str) -> str:
    """The new address, lower-cased, or ProfileError (invalid, the current one, another
    account's)."""
    _, account = _holder_and_account(session, holder_id)
    new = clean_new_email(email, current=account.email)
    _refuse_taken(session, account, new)
    return new


def _refuse_taken(session: Session, account: Account, email: str) -> None:
    taken = session.exec(
        select(Account.id).where(Account.email == email, Account.id != account.id)
    ).first()
    if taken is not None:
        raise ProfileError("Cette adresse e-mail est déjà utilisée par un autre espace.", "email")


def start_email_change(
    *, session: Session, holder_id: int, email: str, proof: StepUpProof, now: datetime | None = None
) -> ProfileChange:
    """A pending change, a link to the new address and an alert to the current one."""
    how = _checked(session, holder_id, proof, now, single_use=True)
    holder, account = _holder_and_account(session, holder_id)
    new = check_new_email(session=session, holder_id=holder_id, email=email)
    _supersede(session, holder, account, EMAIL)
    change = _record(session, holder_id, EMAIL, account.email, new, PENDING, how)
    _send_email_link(session, account, change)
    _alert(
        session,
        holder_id,
        title="Demande de changement d'adresse e-mail",
        body=f"Un lien de confirmation a été envoyé à {new}.",
        email=_security_email("email_change_requested", session, account, new=mask_email(new)),
    )
    return change


def _send_email_link(session: Session, account: Account, change: ProfileChange) -> None:
    _burn_email_links(session, saved_id(account))  # only the latest link works
    token = accounts._issue_token(
        session,
        account,
        TokenPurpose.EMAIL_CHANGE,
        PENDING_VALIDITY,
        {"email": change.new_value, "change_id": change.id},
    )
    outbox.send_email_template(
        session=session,
        to=change.new_value,
        account_id=account.id,
        template="email_change_link",
        link=outbox.link(f"{routes.EMAIL_CONFIRM}?jeton={token}"),
    )


# ---- reading -------------------------------------------------------------------------------------


def pending_changes(*, session: Session, holder_id: int) -> dict[str, ProfileChange]:
    """The live pending change of each field that has one (``phone``, ``email``)."""
    return {c.field: c for f in (PHONE, EMAIL) for c in _pending(session, holder_id, f) if _live(c)}


def history(*, session: Session, holder_id: int, limit: int = 50) -> list[ProfileChange]:
    return list(
        session.exec(
            select(ProfileChange)
            .where(ProfileChange.holder_id == holder_id)
            .order_by(col(ProfileChange.changed_at).desc(), col(ProfileChange.id).desc())
            .limit(limit)
        ).all()
    )


FIELD_LABELS = {ADDRESS: "Adresse postale", PHONE: "Téléphone mobile", EMAIL: "Adresse e-mail"}
STATUS_LABELS = {
    PENDING: "En attente",
    DONE: "Effectuée",
    CANCELLED: "Annulée",
    "expired": "Expirée",
}
FACTOR_LABELS = {
    "totp": "Application d'authentification",
    "recovery": "Code de secours",
    "email": "Code par e-mail",
    "sms": "Code par SMS",
    "recent": "Vérification récente",
}
PROOF_LABELS = {PHONE: "code SMS au nouveau numéro", EMAIL: "lien ouvert à la nouvelle adresse"}


@dataclass(frozen=True)
class ChangeView:
    """One line of the history, as shown to the holder."""

    changed_at: datetime
    what: str
    old: str
    new: str
    status: str  # pending | done | cancelled | expired
    status_label: str
    how: str


def describe(change: ProfileChange) -> ChangeView:
    status = "expired" if change.status == PENDING and not _live(change) else change.status
    how = FACTOR_LABELS.get(change.second_factor, change.second_factor)
    if change.field in PROOF_LABELS and status == DONE:
        how += f", puis {PROOF_LABELS[change.field]}"
    return ChangeView(
        changed_at=change.changed_at,
        what=FIELD_LABELS.get(change.field, change.field),
        old=masked(change.field, change.old_value),
        new=masked(change.field, change.new_value),
        status=status,
        status_label=STATUS_LABELS.get(status, status),
        how=how,
    )
