"""Second factors: TOTP (authenticator app), 6-digit codes by e-mail or SMS, recovery codes."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

import pyotp
import segno
from sqlalchemy import update
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col, select

from espace.core import crypto
from espace.core import formatting as fmt
from espace.core.insurer import insurer
from espace.core.models import saved_id, utcnow
from espace.identity import stepup
from espace.identity.failures import commit_apart
from espace.identity.models import (
    Account,
    CodePurpose,
    OneTimeCode,
    RecoveryCode,
)

CODE_LIFETIME = timedelta(minutes=10)
CODE_MAX_ATTEMPTS = 5

RECOVERY_CODE_COUNT = 10
_RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


class SecondFactorError(ValueError):
    """A French message for the person: wrong, expired or exhausted code."""


class Method(StrEnum):
    TOTP = "totp"
    RECOVERY = "recovery"
    EMAIL = "email"
    SMS = "sms"


METHOD_LABELS: dict[str, str] = {
    Method.TOTP: "Application d'authentification",
    Method.RECOVERY: "Code de secours",
    Method.EMAIL: "Code par e-mail",
    Method.SMS: "Code par SMS",
}


def verify(*, session: Session, account: Account, method: str, code: str, purpose: str) -> None:
    """Check one second factor of any kind; ``purpose`` applies to e-mail and SMS codes."""
    if method == Method.TOTP:
        verify_totp(session=session, account=account, code=code)
    elif method == Method.RECOVERY:
        use_recovery_code(session=session, account_id=saved_id(account), code=code)
    else:
        verify_code(session=session, account_id=saved_id(account), purpose=purpose, code=code)


# ---- codes by e-mail or SMS (sent by one_time_codes) -------------------------------------


def _owner(*, account_id: int | None = None, staff_id: int | None = None):
    """Codes belong to a holder's account or, for the back office's sign-in, to a staff member."""
    return (
        OneTimeCode.account_id == account_id
        if account_id is not None
        else OneTimeCode.staff_id == staff_id
    )


def verify_code(*, session: Session, account_id: int, purpose: str, code: str) -> None:
    """Accept the latest code once; raise SecondFactorError otherwise."""
    _verify(session, _owner(account_id=account_id), purpose, code)


def verify_staff_code(*, session: Session, staff_id: int, code: str) -> None:
    _verify(session, _owner(staff_id=staff_id), CodePurpose.LOGIN, code)


def _verify(session: Session, owner, purpose: str, code: str) -> None:
    row = session.exec(
        select(OneTimeCode)
        .where(owner, OneTimeCode.purpose == purpose, col(OneTimeCode.used_at).is_(None))
        .order_by(col(OneTimeCode.id).desc())
    ).first()
    if row is None:
        raise SecondFactorError("Aucun code en cours : demandez-en un nouveau.")
    if row.expires_at <= utcnow():
        raise SecondFactorError("Ce code a expiré : demandez-en un nouveau.")
    if row.attempts >= CODE_MAX_ATTEMPTS:
        raise SecondFactorError("Trop d'essais : demandez un nouveau code.")
    if not secrets.compare_digest(row.code_hash, crypto.code_digest(_digits(code))):
        left = CODE_MAX_ATTEMPTS - _count_wrong_try(session, row)
        raise SecondFactorError(
            f"Code incorrect. Il vous reste {fmt.plural(left, 'essai', 'essais')}."
            if left > 0
            else "Code incorrect. Trop d'essais : demandez un nouveau code."
        )
    row.attempts += 1
    row.used_at = utcnow()
    session.add(row)


def _count_wrong_try(session: Session, row: OneTimeCode) -> int:
    """One more try of this code, committed whatever the caller does next; returns the tries
    made."""
    code_id = row.id

    def work(db: Session) -> int:
        db.exec(
            update(OneTimeCode)
            .where(col(OneTimeCode.id) == code_id)
            .values(attempts=OneTimeCode.attempts + 1)
            .execution_options(synchronize_session=False)
        )
        return db.exec(select(OneTimeCode.attempts).where(OneTimeCode.id == code_id)).one()

    attempts = commit_apart(session, work)
    set_committed_value(row, "attempts", attempts)
    return attempts


def _digits(code: str) -> str:
    return "".join(c for c in (code or "") if c.isdigit())


# ---- TOTP ----------------------------------------------------------------------------------
#
# Enrolling, replacing or removing the authenticator app, and regenerating recovery codes, change
# how the account is protected: each needs a step-up proof (``stepup.require_step_up``), i.e. a code
# from a method the account already had, checked in the last 5 minutes in this session. A new app is
# kept apart (``totp_pending_encrypted``) until one of its codes confirms it: beginning an enrolment
# never touches the active secret, so a stolen session that starts one changes nothing.

PENDING_VALIDITY = timedelta(minutes=15)


@dataclass(frozen=True)
class TotpEnrolment:
    secret: str  # shown once as text, for manual entry
    uri: str
    qr_svg_data_uri: str


def begin_totp(
    *, session: Session, account: Account, proof: stepup.StepUpProof, now: datetime | None = None
) -> TotpEnrolment:
    """Store a new secret, encrypted, as *pending* (the active one keeps working) and return what
    the page shows."""
    now = now or utcnow()
    stepup.require_step_up(session=session, proof=proof, account_id=account.id, now=now)
    secret = pyotp.random_base32()
    account.totp_pending_encrypted = crypto.encrypt(secret, purpose=b"totp")
    account.totp_pending_at = now
    session.add(account)
    uri = pyotp.TOTP(secret).provisioning_uri(name=account.email, issuer_name=insurer().name)
    data_uri = segno.make(uri, error="m").svg_data_uri(scale=5, border=2)
    return TotpEnrolment(
        secret=" ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        uri=uri,
        qr_svg_data_uri=data_uri,
    )


def _check_totp(encrypted: str | None, last_step: int, code: str, at: float | None = None) -> int:
    """The time step of a valid code not used before; raise otherwise (replay refused)."""
    if not encrypted:
        raise SecondFactorError("L'application d'authentification n'est pas configurée.")
    totp = pyotp.TOTP(crypto.decrypt(encrypted, purpose=b"totp"))
    now = at if at is not None else time.time()
    digits = _digits(code)
    for offset in (-1, 0, 1):  # one step of clock drift either way
        step = int(now // 30) + offset
        if secrets.compare_digest(totp.at(step * 30), digits):
            if step <= last_step:
                raise SecondFactorError("Ce code a déjà été utilisé : attendez le suivant.")
            return step
    raise SecondFactorError("Code incorrect. Vérifiez l'heure de votre téléphone et réessayez.")


def confirm_totp(
    *,
    session: Session,
    account: Account,
    code: str,
    proof: stepup.StepUpProof,
    now: datetime | None = None,
) -> None:
    """Make the pending app the account's authenticator, once one of its codes is typed (replaces
    any other)."""
    now = now or utcnow()
    stepup.require_step_up(session=session, proof=proof, account_id=account.id, now=now)
    if (
        not account.totp_pending_encrypted
        or account.totp_pending_at is None
        or now - account.totp_pending_at > PENDING_VALIDITY
    ):
        raise SecondFactorError(
            "Aucune application en cours d'ajout : recommencez la configuration."
        )
    step = _check_totp(account.totp_pending_encrypted, 0, code, at=now.timestamp())
    account.totp_secret_encrypted, account.totp_last_step = account.totp_pending_encrypted, step
    account.totp_pending_encrypted = account.totp_pending_at = None
    account.totp_enabled_at = now
    session.add(account)


def cancel_totp(*, session: Session, account: Account) -> None:
    """Forget an enrolment in progress; the active authenticator, if any, is left as it is."""
    account.totp_pending_encrypted = account.totp_pending_at = None
    session.add(account)


def verify_totp(*, session: Session, account: Account, code: str, at: float | None = None) -> None:
    """A code of the *active* authenticator (never of one being enrolled)."""
    if account.totp_enabled_at is None:
        raise SecondFactorError("L'application d'authentification n'est pas activée.")
    account.totp_last_step = _check_totp(
        account.totp_secret_encrypted, account.totp_last_step, code, at=at
    )
    session.add(account)


def disable_totp(
    *, session: Session, account: Account, proof: stepup.StepUpProof, now: datetime | None = None
) -> None:
    stepup.require_step_up(session=session, proof=proof, account_id=account.id, now=now)
    account.totp_secret_encrypted = account.totp_pending_encrypted = account.totp_pending_at = None
    account.totp_enabled_at = None
    account.totp_last_step = 0
    session.add(account)


# ---- recovery codes -----------------------------------------------------------------------


def generate_recovery_codes(
    *, session: Session, account: Account, proof: stepup.StepUpProof, now: datetime | None = None
) -> list[str]:
    """Ten new codes (the old ones stop working); shown once, stored as keyed digests. Needs a
    step-up proof."""
    stepup.require_step_up(session=session, proof=proof, account_id=account.id, now=now)
    for old in session.exec(
        select(RecoveryCode).where(RecoveryCode.account_id == account.id)
    ).all():
        session.delete(old)
    codes = [
        "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))
        for _ in range(RECOVERY_CODE_COUNT)
    ]
    session.add_all(
        RecoveryCode(account_id=saved_id(account), code_hash=crypto.code_digest(c)) for c in codes
    )
    account.recovery_codes_generated_at = utcnow()
    session.add(account)
    session.flush()
    return [f"{c[:5]}-{c[5:]}" for c in codes]


def use_recovery_code(*, session: Session, account_id: int, code: str) -> None:
    normalised = "".join(c for c in (code or "").upper() if c.isalnum())
    row = session.exec(
        select(RecoveryCode).where(
            RecoveryCode.account_id == account_id,
            RecoveryCode.code_hash == crypto.code_digest(normalised),
            col(RecoveryCode.used_at).is_(None),
        )
    ).first()
    if row is None:
        raise SecondFactorError("Code de secours incorrect ou déjà utilisé.")
    row.used_at = utcnow()
    session.add(row)


def recovery_codes_left(*, session: Session, account_id: int) -> int:
    return len(
        session.exec(
            select(RecoveryCode.id).where(
                RecoveryCode.account_id == account_id, col(RecoveryCode.used_at).is_(None)
            )
        ).all()
    )
