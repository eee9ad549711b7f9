"""Sending the 6-digit one-time codes by e-mail or SMS (a holder's, or a staff member's at each
sign-in), throttled per purpose and channel; ``second_factor.verify_code`` checks them."""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlmodel import Session, col, select

from espace.core import crypto
from espace.core.models import get_existing, utcnow
from espace.core.settings import get_settings
from espace.identity.models import (
    Account,
    CodePurpose,
    OneTimeCode,
    Policyholder,
    StaffUser,
)
from espace.identity.second_factor import (
    CODE_LIFETIME,
    CODE_MAX_ATTEMPTS,
    SecondFactorError,
    _owner,
)
from espace.notifications import messages, outbox

_CODE_TEXTS = {
    CodePurpose.LOGIN: ("Votre code de connexion", "pour vous connecter à votre espace"),
    CodePurpose.STEP_UP: ("Votre code de confirmation", "pour confirmer une opération sensible"),
    CodePurpose.RESET: ("Votre code de réinitialisation", "pour choisir un nouveau mot de passe"),
    CodePurpose.PHONE: ("Votre code de vérification", "pour vérifier votre numéro de téléphone"),
    CodePurpose.NEW_PHONE: (
        "Votre code de vérification",
        "pour confirmer votre nouveau numéro de téléphone",
    ),
    CodePurpose.RECOVERY: ("Votre code de récupération", "pour récupérer l'accès à votre espace"),
}


class CodeThrottled(SecondFactorError):
    """Too many codes asked for: nothing was sent."""


def _check_throttle(session: Session, owner, purpose: str, channel: str) -> None:
    settings, now = get_settings(), utcnow()
    recent = session.exec(
        select(OneTimeCode).where(
            owner, OneTimeCode.purpose == purpose, OneTimeCode.created_at > now - timedelta(hours=1)
        )
    ).all()
    if len(recent) >= settings.codes_per_hour:
        raise CodeThrottled("Trop de codes demandés : réessayez dans une heure.")
    pause = timedelta(seconds=settings.code_resend_seconds)
    # The pause applies while the last code is still pending: once one was used, a new sign-in
    # (another device) may get its code at once. The hourly cap bounds everything else.
    if any(
        row.channel == channel and row.used_at is None and row.created_at > now - pause
        for row in recent
    ):
        raise CodeThrottled(
            "Un code vient d'être envoyé : patientez 30 secondes avant d'en demander un autre."
        )


def _issue(
    session: Session, owner, owner_fields: dict, purpose: str, channel: str
) -> tuple[OneTimeCode, str]:
    """Throttle, supersede the pending codes of this purpose, store a new one; return it with its
    digits."""
    _check_throttle(session, owner, purpose, channel)
    for old in session.exec(
        select(OneTimeCode).where(
            owner, OneTimeCode.purpose == purpose, col(OneTimeCode.used_at).is_(None)
        )
    ).all():
        old.attempts = (
            CODE_MAX_ATTEMPTS  # superseded: never accepted again, but not "used" (see the pause)
        )
        session.add(old)
    code = f"{secrets.randbelow(1_000_000):06d}"
    row = OneTimeCode(
        **owner_fields,
        purpose=purpose,
        channel=channel,
        code_hash=crypto.code_digest(code),
        expires_at=utcnow() + CODE_LIFETIME,
    )
    session.add(row)
    session.flush()
    return row, code


def send_code(*, session: Session, account: Account, purpose: str, channel: str) -> OneTimeCode:
    """Send a fresh 6-digit code; earlier unused codes of the same purpose stop working.

    Raises CodeThrottled (nothing sent) when asked again too soon on the same channel (30 s by
    default), or past the hourly cap for one purpose (8 by default).
    """
    row, code = _issue(
        session, _owner(account_id=account.id), {"account_id": account.id}, purpose, channel
    )
    subject, why = _CODE_TEXTS[CodePurpose(purpose)]
    if channel == "sms":
        holder = get_existing(session, Policyholder, account.holder_id)
        outbox.send_sms(
            session=session,
            to=holder.phone,
            body=messages.sms("code", code=code, why=why),
            account_id=account.id,
        )
    else:
        email = messages.email("code", subject=subject, code=code, why=why)
        outbox.send_email(
            session=session,
            to=account.email,
            subject=email.subject,
            body=email.body,
            account_id=account.id,
        )
    return row


def send_code_to_phone(*, session: Session, account: Account, phone: str) -> OneTimeCode:
    """A ``CodePurpose.NEW_PHONE`` code by SMS to ``phone``, a number not on file yet (a new mobile
    to verify).

    Throttled, stored and checked like ``send_code`` (``verify_code`` with the same purpose). Its
    own purpose:
    a code sent to the new number cannot verify the number on file, nor the other way round."""
    row, code = _issue(
        session,
        _owner(account_id=account.id),
        {"account_id": account.id},
        CodePurpose.NEW_PHONE,
        "sms",
    )
    outbox.send_sms(
        session=session,
        to=phone,
        body=messages.sms("code", code=code, why=_CODE_TEXTS[CodePurpose.NEW_PHONE][1]),
        account_id=account.id,
    )
    return row


def send_staff_code(*, session: Session, staff: StaffUser) -> OneTimeCode:
    """The back office's second factor: a code to the staff member's professional e-mail at each
    sign-in."""
    row, code = _issue(
        session, _owner(staff_id=staff.id), {"staff_id": staff.id}, CodePurpose.LOGIN, "email"
    )
    email = messages.email("staff_code", code=code)
    outbox.send_email(session=session, to=staff.email, subject=email.subject, body=email.body)
    return row
