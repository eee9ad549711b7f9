"""'Mon profil': the holder changes their postal address, mobile phone and e-mail address.

Every change is written to ``ProfileChange`` (the history the page shows) and announced as a
security notice (in-app and e-mail, whatever the holder's preferences). The phone and the e-mail
change in two steps: a pending change, then a proof that the new number or address is the
holder's (a code by SMS to the new number; a link e-mailed to the new address).

The ``start_*``/``update_*`` functions check their own step-up proof (``stepup.require_step_up``): a
fresh second factor of this holder's account; the phone and the e-mail changes spend it. The history
records how it was passed (the method, or "recent" for a check passed shortly before).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

import phonenumbers
from sqlmodel import Session, col, select

from espace import routes
from espace.core import formatting as fmt
from espace.core.models import get_existing, saved_id, utcnow
from espace.identity import account_recovery, accounts, second_factor, signup, stepup
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
from espace.identity.stepup import StepUpProof
from espace.notifications import messages, notices, outbox
from espace.notifications.models import NotificationCategory
from espace.webhooks.events import emit

ADDRESS, PHONE, EMAIL = "address", "phone", "email"
PENDING, DONE, CANCELLED = "pending", "done", "cancelled"
PENDING_VALIDITY = timedelta(
    hours=24
)  # a pending change (and its e-mailed link) lapses after a day
LINE_MAX, CITY_MAX = 100, 100
MOBILE_TYPES = (
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
)
LINK_INVALID = (
    "Lien expiré ou déjà utilisé : un lien de confirmation ne sert qu'une fois, pendant 24 "
    "heures, et une demande plus récente le remplace."
)


class ProfileError(ValueError):
    """A French message for the person, tied to a form field when ``field`` is set."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


# ---- validation (no database) ------------------------------------------------------------------


@dataclass(frozen=True)
class Address:
    line1: str
    line2: str
    postal_code: str
    city: str
    country: str = "FR"

    def one_line(self) -> str:
        return ", ".join(
            x for x in (self.line1, self.line2, f"{self.postal_code} {self.city}") if x
        )


def _text(raw: str) -> str:
    """Trimmed, one line, single spaces (no control characters reach a postal label)."""
    return " ".join("".join(c if c.isprintable() else " " for c in (raw or "")).split())


def _departement_exists(code: str) -> bool:
    """Metropolitan départements 01–95 (Corsica's 20xxx: 200–206), overseas 971–976, 986–988."""
    prefix, three = int(code[:2]), int(code[:3])
    if prefix == 20:
        return three <= 206
    if prefix == 97:
        return 971 <= three <= 976
    if prefix == 98:
        return (
            986 <= three <= 988
        )  # Wallis-et-Futuna, Polynésie, Nouvelle-Calédonie (980: Monaco, not France)
    return 1 <= prefix <= 95


def clean_postal_code(raw: str) -> str:
    code = re.sub(r"\s", "", raw or "")
    if not code:
        raise ProfileError("Saisissez le code postal.", "postal_code")
    if not re.fullmatch(r"\d{5}", code):
        raise ProfileError("Le code postal compte 5 chiffres, par exemple 44000.", "postal_code")
    if not _departement_exists(code):
        raise ProfileError(
            "Ce code postal ne correspond à aucun département français.", "postal_code"
        )
    return code


def clean_address(*, line1: str, line2: str, postal_code: str, city: str) -> Address:
    """Raises ProfileError on the first wrong field (see ``address_errors`` for all of them)."""
    errors = address_errors(line1=line1, line2=line2, postal_code=postal_code, city=city)
    if errors:
        field, message = next(iter(errors.items()))
        raise ProfileError(message, field)
    return Address(_text(line1), _text(line2), clean_postal_code(postal_code), _text(city))


def address_errors(*, line1: str, line2: str, postal_code: str, city: str) -> dict[str, str]:
    """Every wrong field of an address form, by input name (empty when the address is fine)."""
    errors: dict[str, str] = {}
    first, second, town = _text(line1), _text(line2), _text(city)
    if not first:
        errors["line1"] = "Saisissez le numéro et la voie, par exemple 12 rue des Lilas."
    elif len(first) > LINE_MAX:
        errors["line1"] = (
            f"{LINE_MAX} caractères au plus : utilisez le complément d'adresse pour la suite."
        )
    if len(second) > LINE_MAX:
        errors["line2"] = f"{LINE_MAX} caractères au plus."
    try:
        clean_postal_code(postal_code)
    except ProfileError as error:
        errors["postal_code"] = str(error)
    if not town or not any(c.isalpha() for c in town):
        errors["city"] = "Saisissez la commune."
    elif len(town) > CITY_MAX:
        errors["city"] = f"{CITY_MAX} caractères au plus."
    return errors


def clean_mobile(raw: str) -> str:
    """A mobile number able to receive SMS, in E.164 (``+33612345678``); French by default."""
    text = (raw or "").strip()
    if not text:
        raise ProfileError("Saisissez votre numéro de mobile.", "phone")
    try:
        number = phonenumbers.parse(text[:40], "FR")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or number.extension or not phonenumbers.is_valid_number(number):
        raise ProfileError(
            "Ce numéro n'est pas valide : saisissez par exemple 06 12 34 56 78, ou +32 470 12 34 "
            "56 pour un numéro étranger.",
            "phone",
        )
    if phonenumbers.number_type(number) not in MOBILE_TYPES:
        raise ProfileError(
            "Ce numéro n'est pas un mobile : saisissez un numéro qui peut recevoir des SMS "
            "(06 ou 07 en France).",
            "phone",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def clean_new_email(raw: str, *, current: str) -> str:
    """Format and 'not the current one': what can be checked without looking at other accounts."""
    try:
        email = accounts.clean_email((raw or "")[:254])
    except accounts.AccountError as error:
        raise ProfileError(str(error), "email") from None
    if email == (current or "").lower():
        raise ProfileError("C'est déjà votre adresse e-mail actuelle.", "email")
    return email


def masked(field: str, value: str) -> str:
    """What the history shows of a value: phone and e-mail partly hidden, the address in full."""
    if not value:
        return "—"
    if field == PHONE:
        return account_recovery.mask_phone(value)
    return mask_email(value) if field == EMAIL else value


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
        row = second_factor.send_code_to_phone(
            session=session, account=account, phone=change.new_value
        )
    except second_factor.CodeThrottled as error:  # nothing sent
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


def _live_pending(session: Session, holder_id: int, field: str) -> ProfileChange:
    change = next((c for c in _pending(session, holder_id, field) if _live(c)), None)
    if change is None:
        what = "de numéro" if field == PHONE else "d'adresse e-mail"
        raise ProfileError(
            f"Aucun changement {what} en attente : recommencez.",
            "code" if field == PHONE else "email",
        )
    return change


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
