"""Server-side sessions: pending hand-off, activation, validation with idle/absolute expiry,
revocation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session, col, select

from espace.core.models import saved_id, utcnow
from espace.core.settings import Settings, get_settings
from espace.core.tokens import digest, new_token
from espace.identity.models import Account, AuthSession, StaffUser

# Write last_seen_at at most this often, so that every event does not cost a write.
_TOUCH_EVERY = timedelta(seconds=30)


@dataclass(frozen=True)
class Principal:
    """Who a valid session belongs to."""

    session_id: int
    account_id: int | None = None
    holder_id: int | None = None
    staff_id: int | None = None
    staff_role: str | None = None


def begin_login(
    *,
    session: Session,
    account_id: int | None = None,
    staff_id: int | None = None,
    ip_address: str = "",
    user_agent: str = "",
    trust_device: bool = False,
    binding: str = "",
    settings: Settings | None = None,
) -> str:
    """Create a pending session and return its one-time hand-off code.

    ``binding`` is a random value only the browser that signed in holds (the sign-in handler gives
    it to that tab alone, which sets it in the hand-off cookie): the code is then redeemable only
    together with it, so a code sent to someone else's browser signs nobody in (login CSRF)."""
    settings = settings or get_settings()
    now = utcnow()
    code = new_token()
    session.add(
        AuthSession(
            account_id=account_id,
            staff_id=staff_id,
            handoff_hash=_handoff_digest(code, binding),
            handoff_expires_at=now + timedelta(seconds=settings.login_handoff_seconds),
            created_at=now,
            last_seen_at=now,
            expires_at=now + timedelta(hours=settings.session_absolute_hours),
            ip_address=ip_address[:45],
            user_agent=user_agent[:400],
            trust_device=trust_device,
        )
    )
    session.flush()
    return code


def _handoff_digest(code: str, binding: str) -> str:
    """What is stored for a hand-off: the digest of the code, bound to the browser's value when
    given."""
    return digest(f"{code}.{binding}") if binding else digest(code)


def complete_handoff(
    *, session: Session, code: str, previous_token: str | None = None, binding: str = ""
) -> str | None:
    """See ``activate``; returns only the token."""
    activated = activate(session=session, code=code, previous_token=previous_token, binding=binding)
    return activated[0] if activated else None


def activate(
    *, session: Session, code: str, previous_token: str | None = None, binding: str = ""
) -> tuple[str, AuthSession] | None:
    """Exchange a hand-off code (single use, short-lived) for a fresh session token.

    A code begun with a ``binding`` is redeemed only with that same binding. Any session the
    browser still presented is revoked: the token rotates at every login.
    """
    if not code:
        return None
    now = utcnow()
    token = new_token()
    result = session.exec(
        update(AuthSession)
        .where(
            col(AuthSession.handoff_hash) == _handoff_digest(code, binding),
            col(AuthSession.token_hash).is_(None),
            col(AuthSession.revoked_at).is_(None),
            col(AuthSession.handoff_expires_at) > now,
        )
        .values(token_hash=digest(token), handoff_hash=None, activated_at=now, last_seen_at=now)
    )
    if result.rowcount != 1:
        return None
    if previous_token:
        revoke(session=session, token=previous_token, reason="rotated")
    row = session.exec(select(AuthSession).where(AuthSession.token_hash == digest(token))).one()
    return token, row


def validate(
    *, session: Session, token: str | None, settings: Settings | None = None
) -> Principal | None:
    """The principal of a valid session token, or None (unknown, revoked, idle or expired)."""
    if not token:
        return None
    settings = settings or get_settings()
    row = session.exec(select(AuthSession).where(AuthSession.token_hash == digest(token))).first()
    if row is None or row.revoked_at is not None:
        return None
    now = utcnow()
    if now >= row.expires_at:
        _revoke_row(session, row, "expired", now)
        return None
    if now - row.last_seen_at >= timedelta(minutes=settings.session_idle_minutes):
        _revoke_row(session, row, "idle", now)
        return None
    principal = _principal(session, row)
    if principal is None:
        _revoke_row(session, row, "disabled", now)
        return None
    if now - row.last_seen_at >= _TOUCH_EVERY:
        row.last_seen_at = now
        session.add(row)
    return principal


def _principal(session: Session, row: AuthSession) -> Principal | None:
    if row.account_id is not None:
        account = session.get(Account, row.account_id)
        if account is None or not account.is_active:
            return None
        return Principal(
            session_id=saved_id(row), account_id=account.id, holder_id=account.holder_id
        )
    staff = session.get(StaffUser, row.staff_id)
    if staff is None or not staff.is_active:
        return None
    return Principal(session_id=saved_id(row), staff_id=staff.id, staff_role=staff.role)


def revoke(*, session: Session, token: str | None, reason: str = "logout") -> bool:
    if not token:
        return False
    row = session.exec(select(AuthSession).where(AuthSession.token_hash == digest(token))).first()
    if row is None or row.revoked_at is not None:
        return False
    _revoke_row(session, row, reason, utcnow())
    return True


def revoke_by_id(*, session: Session, session_id: int, reason: str) -> bool:
    """End one session by its id (e.g. the one that exhausted its second-factor tries)."""
    row = session.get(AuthSession, session_id)
    if row is None or row.revoked_at is not None:
        return False
    _revoke_row(session, row, reason, utcnow())
    return True


def revoke_all_for_account(
    *, session: Session, account_id: int, reason: str, except_session_id: int | None = None
) -> int:
    rows = session.exec(
        select(AuthSession).where(
            AuthSession.account_id == account_id, col(AuthSession.revoked_at).is_(None)
        )
    ).all()
    now = utcnow()
    count = 0
    for row in rows:
        if row.id != except_session_id:
            _revoke_row(session, row, reason, now)
            count += 1
    return count


def purge_sessions(*, session: Session, older_than: datetime) -> int:
    """Delete sessions that ended before ``older_than`` (connection data is kept 13 months at
    most)."""
    rows = session.exec(select(AuthSession).where(AuthSession.expires_at < older_than)).all()
    for row in rows:
        session.delete(row)
    return len(rows)


def _revoke_row(session: Session, row: AuthSession, reason: str, now: datetime) -> None:
    row.revoked_at = now
    row.revoked_reason = reason
    row.handoff_hash = None
    session.add(row)
