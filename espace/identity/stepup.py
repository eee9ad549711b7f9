"""Step-up: the proof of a fresh second factor, which every sensitive service function checks
itself.

Sensitive functions (signing and revoking a SEPA mandate, adding or removing a bank account,
changing the postal address, the mobile phone or the e-mail address, erasing the account, every
change to a second factor, changing the password) take a ``proof`` and call ``require_step_up``
before anything else. No caller, whether a Reflex handler, the insurer's API, the CLI or a job, can
make them act by forgetting a check or by passing a flag: the function refuses (``StepUpRequired``)
and changes nothing.

How a proof is obtained
  ``complete_step_up`` checks a code from a method the account *already* has (``step_up_methods``:
  the authenticator app or a recovery code when one is enrolled, otherwise a code by e-mail, or SMS
  to a verified mobile). Wrong codes count toward the lockout on their own counter and are committed
  whatever the caller's transaction does (``auth.record_failure``); the fifth locks the account for
  30 minutes and ends the session. A right code records the check on the session's row
  (``step_up_at``, ``step_up_method``) and returns a ``StepUpProof``: the account, the session and
  the time of that check. ``recent_proof`` returns the proof of the session's last check again while
  it is valid, for pages that ask only when no check was passed recently. Nothing else records a
  check.

What ``require_step_up`` verifies, against the database, at ``now`` (a parameter)
  The session row exists, belongs to the account the function acts on (``account_id`` or
  ``holder_id``), is signed in, neither revoked nor expired; its last check is the proof's one and
  less than 5 minutes old; the account is active and not locked. The proof is a claim and the
  database the truth: building a ``StepUpProof`` by hand gains nothing, it passes only where a
  genuine check was recorded. ``single_use=True`` (a mandate signature, an e-mail or phone change,
  an erasure: what the holder confirms as such) also needs a check that no such action used yet, and
  uses it up in the caller's transaction: two signatures never rest on one code. Ordinary changes
  (address, bank accounts, second factors, password) accept any valid check, used up or not, for its
  5 minutes.

No second factor at all?
  Every account able to sign in has one: its e-mail address, proven by the activation link (or a
  reset link, or the SMS of the lost-access flow). Sign-up creates nothing else, so the first
  authenticator app is enrolled after an e-mail code (or SMS to a verified mobile). Once an app is
  enrolled, only the app or a recovery code pass a step-up: a stolen mailbox alone can no longer
  replace the app.

Callers that are not the holder in a signed-in session
  There is no bypass flag. Such a caller brings another *kind* of authority, a distinct type that
  the function names in its signature and verifies in its own way:
  - ``insurer_authority.InsurerRecord``: the insurer records what the holder did outside the portal
    (a paper mandate received by post, a revocation notified by the bank, data from its core system,
    the demo data). Only the bank-account and mandate functions accept it (``require_authority``),
    and the UI, State and API layers never import its module (a test checks it): a handler cannot
    pass one.
  - the future insurer API gets its own type (e.g. ``ApiClientAuthority``), minted by the API layer
    once the client is authenticated (mutual TLS or a signed request), checked against a table of
    clients and their scopes, and audited at each use. What needs the holder's own consent (mandate
    signature, e-mail or phone change, erasure, second-factor and password changes) stays
    ``StepUpProof``-only: the API may start such a request, the holder confirms it with a second
    factor.
  - jobs act for the insurer and hold no holder authority; a job that must change a holder's bank
    details does it from an ``InsurerRecord`` of the event it processes (e.g. a bank's revocation
    notice).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeGuard

from sqlalchemy import or_, update
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col, select

from espace.core.models import get_existing, saved_id, utcnow
from espace.identity.insurer_authority import InsurerRecord
from espace.identity.models import Account, AuthSession, LoginResult, Policyholder

STEP_UP_VALIDITY = timedelta(minutes=5)

STEP_UP_NEEDED = (
    "Pour des raisons de sécurité, confirmez votre identité avec un code avant de continuer."
)
LOCKED_STEP_UP = (
    "Trop de codes erronés : par sécurité, votre espace est verrouillé pendant 30 minutes et cette "
    "session est fermée. Un e-mail vous a été envoyé."
)


class StepUpRequired(PermissionError):
    """No valid proof of a recent second factor: nothing was done. The message is in French."""

    def __init__(self, message: str = STEP_UP_NEEDED) -> None:
        super().__init__(message)


@dataclass(frozen=True)
class StepUpProof:
    """A second-factor check passed in a signed-in session (see the module's docstring)."""

    account_id: int
    session_id: int
    verified_at: datetime
    method: str  # totp | recovery | email | sms
    recent: bool = False  # re-obtained by ``recent_proof``, not typed for this very action


# ---- reading the session's last check ------------------------------------------------------------


def _session_row(session: Session, session_id: int) -> AuthSession | None:
    return session.exec(
        select(AuthSession)
        .where(AuthSession.id == session_id)
        .execution_options(populate_existing=True)
    ).first()


def _signed_in(row: AuthSession | None, account_id: int, now: datetime) -> TypeGuard[AuthSession]:
    return (
        row is not None
        and row.account_id == account_id
        and row.revoked_at is None
        and row.token_hash is not None
        and row.expires_at > now
    )


def _fresh(row: AuthSession, now: datetime) -> bool:
    checked = row.step_up_at
    return checked is not None and timedelta(0) <= now - checked < STEP_UP_VALIDITY


def _unspent(row: AuthSession) -> bool:
    spent, checked = row.step_up_spent_at, row.step_up_at
    return spent is None or (checked is not None and spent < checked)


def recent_proof(
    *, session: Session, account_id: int, session_id: int, now: datetime | None = None
) -> StepUpProof | None:
    """The proof of this session's last check if it is still valid (less than 5 minutes old), else
    None."""
    now = now or utcnow()
    row = _session_row(session, session_id)
    if not _signed_in(row, account_id, now) or not _fresh(row, now):
        return None
    assert row.step_up_at is not None  # _fresh checked it
    return StepUpProof(
        account_id=account_id,
        session_id=saved_id(row),
        verified_at=row.step_up_at,
        method=row.step_up_method,
        recent=True,
    )


def has_recent_step_up(*, session: Session, session_id: int, now: datetime | None = None) -> bool:
    row = _session_row(session, session_id)
    return (
        row is not None
        and row.account_id is not None
        and recent_proof(session=session, account_id=row.account_id, session_id=session_id, now=now)
        is not None
    )


# ---- the check every sensitive function makes ----------------------------------------------------


def require_step_up(
    *,
    session: Session,
    proof: StepUpProof | None,
    account_id: int | None = None,
    holder_id: int | None = None,
    now: datetime | None = None,
    single_use: bool = False,
) -> Account:
    """The account the proof stands for, if it proves a recent second factor for *this* account (or
    holder).

    Raises StepUpRequired otherwise. ``single_use`` spends the check (see the module's
    docstring)."""
    from espace.identity.auth import is_locked

    if account_id is None and holder_id is None:
        raise TypeError("require_step_up needs the account_id or the holder_id acted on")
    now = now or utcnow()
    if not isinstance(proof, StepUpProof):
        raise StepUpRequired()
    account = session.get(Account, proof.account_id)
    if (
        account is None
        or not account.is_active
        or is_locked(account, now)
        or (account_id is not None and account.id != account_id)
        or (holder_id is not None and account.holder_id != holder_id)
    ):
        raise StepUpRequired()
    row = _session_row(session, proof.session_id)
    if (
        not _signed_in(row, saved_id(account), now)
        or not _fresh(row, now)
        or row.step_up_at != proof.verified_at
    ):
        raise StepUpRequired()
    if single_use:
        if not _unspent(row):
            raise StepUpRequired()
        spent = session.exec(
            update(AuthSession)
            .where(
                col(AuthSession.id) == row.id,
                col(AuthSession.step_up_at).is_not(None),
                or_(
                    col(AuthSession.step_up_spent_at).is_(None),
                    col(AuthSession.step_up_spent_at) < AuthSession.step_up_at,
                ),
            )
            .values(step_up_spent_at=now)
            .execution_options(synchronize_session=False)
        )
        if spent.rowcount != 1:  # spent meanwhile by another request
            raise StepUpRequired()
        set_committed_value(row, "step_up_spent_at", now)
    return account


def require_authority(
    *,
    session: Session,
    authority: StepUpProof | InsurerRecord | None,
    holder_id: int,
    now: datetime | None = None,
    single_use: bool = False,
) -> str:
    """For the bank-account and mandate functions: the holder's step-up, or the insurer's own record
    of what the holder did elsewhere. Returns how it was authorised (a step-up method, or the
    record's source)."""
    if isinstance(authority, InsurerRecord):
        return authority.source
    proof = authority if isinstance(authority, StepUpProof) else None
    require_step_up(
        session=session, proof=proof, holder_id=holder_id, now=now, single_use=single_use
    )
    assert proof is not None  # require_step_up refuses a missing proof
    return proof.method


# ---- passing a check -----------------------------------------------------------------------------


def step_up_methods(*, session: Session, account: Account) -> list[str]:
    """The methods the account already has: the app (or a recovery code) once enrolled, else e-mail
    (or SMS)."""
    from espace.identity.second_factor import Method

    if account.totp_enabled_at is not None:
        return [Method.TOTP, Method.RECOVERY]
    holder = get_existing(session, Policyholder, account.holder_id)
    return (
        [Method.EMAIL, Method.SMS] if account.phone_verified_at and holder.phone else [Method.EMAIL]
    )


def start_step_up(*, session: Session, account: Account, method: str) -> None:
    """Send the code of an e-mail or SMS step-up (nothing to send for the app or a recovery
    code)."""
    from espace.identity import one_time_codes, second_factor

    if method not in step_up_methods(session=session, account=account):
        raise second_factor.SecondFactorError("Cette méthode de vérification n'est pas disponible.")
    if method in (second_factor.Method.EMAIL, second_factor.Method.SMS):
        one_time_codes.send_code(
            session=session, account=account, purpose="step_up", channel=str(method)
        )


def complete_step_up(
    *,
    session: Session,
    account: Account,
    session_id: int,
    method: str,
    code: str,
    now: datetime | None = None,
    ip: str = "",
    user_agent: str = "",
) -> StepUpProof:
    """Check a code of one of the account's methods in this signed-in session and return the proof.

    Wrong codes count like those of a sign-in (``failed_code_count``, committed whatever the
    caller's transaction does): the fifth in a row locks the account for 30 minutes, ends this
    session (a stolen session cannot keep guessing) and tells the holder by e-mail."""
    from espace.identity import auth, second_factor

    now = now or utcnow()
    if auth.is_locked(account, now):
        raise second_factor.SecondFactorError(LOCKED_STEP_UP)
    row = _session_row(session, session_id)
    if not _signed_in(row, saved_id(account), now):
        raise second_factor.SecondFactorError("Votre session a expiré : reconnectez-vous.")
    if method not in step_up_methods(session=session, account=account):
        raise second_factor.SecondFactorError("Cette méthode de vérification n'est pas disponible.")
    try:
        second_factor.verify(
            session=session, account=account, method=method, code=code, purpose="step_up"
        )
    except second_factor.SecondFactorError:
        if auth.record_failure(
            session=session,
            principal=account,
            counter=auth.CODE,
            result=LoginResult.SECOND_FACTOR_FAILED,
            ip=ip,
            user_agent=user_agent,
            end_session_id=session_id,
            now=now,
        ):
            raise second_factor.SecondFactorError(LOCKED_STEP_UP) from None
        raise
    account.failed_code_count = 0
    row.step_up_at, row.step_up_method, row.step_up_spent_at = now, str(method)[:10], None
    session.add_all([account, row])
    session.flush()
    return StepUpProof(
        account_id=saved_id(account), session_id=saved_id(row), verified_at=now, method=str(method)
    )
