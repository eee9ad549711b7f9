"""The 'Sécurité' page: connection history, open sessions, security score, step-up checks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlmodel import Session, select

from espace.models import Account, AuthSession, LoginEvent, LoginResult, Policyholder
from espace.models.base import utcnow
from espace.services import devices, second_factor, sessions
from espace.services.second_factor import Method

STEP_UP_VALIDITY = timedelta(minutes=5)
PASSWORD_MAX_AGE = timedelta(days=365)

RESULT_LABELS = {
    LoginResult.SUCCESS: "Connexion réussie",
    LoginResult.BAD_CREDENTIALS: "Mot de passe incorrect",
    LoginResult.LOCKED: "Refusée (espace verrouillé)",
    LoginResult.NOT_ACTIVATED: "Refusée (espace non activé)",
    LoginResult.SECOND_FACTOR_FAILED: "Code de vérification incorrect",
    LoginResult.THROTTLED: "Refusée (trop de tentatives)",
}


@dataclass(frozen=True)
class HistoryRow:
    occurred_at: datetime
    device: str
    kind: str
    ip: str
    result: str
    success: bool
    new_device: bool


@dataclass(frozen=True)
class OpenSession:
    id: int
    device: str
    kind: str
    ip: str
    started_at: datetime
    last_seen_at: datetime
    current: bool
    known_device: bool


@dataclass(frozen=True)
class ScoreItem:
    key: str
    label: str
    points: int
    done: bool
    fix: str  # what the one-click fix does, in French


@dataclass(frozen=True)
class SecurityScore:
    score: int
    items: list[ScoreItem]


def connection_history(*, session: Session, account_id: int, limit: int = 30) -> list[HistoryRow]:
    events = session.exec(select(LoginEvent).where(LoginEvent.account_id == account_id)
                          .order_by(LoginEvent.occurred_at.desc(), LoginEvent.id.desc()).limit(limit)).all()
    rows = []
    for event in events:
        label = devices.describe(event.user_agent)
        rows.append(HistoryRow(occurred_at=event.occurred_at, device=str(label), kind=label.kind,
                               ip=devices.mask_ip(event.ip_address),
                               result=RESULT_LABELS.get(event.result, event.result),
                               success=event.result == LoginResult.SUCCESS, new_device=event.new_device))
    return rows


def open_sessions(*, session: Session, account_id: int, current_session_id: int | None) -> list[OpenSession]:
    now = utcnow()
    rows = session.exec(select(AuthSession).where(
        AuthSession.account_id == account_id, AuthSession.revoked_at.is_(None), AuthSession.token_hash.is_not(None),
        AuthSession.expires_at > now).order_by(AuthSession.last_seen_at.desc())).all()
    result = []
    for row in rows:
        label = devices.describe(row.user_agent)
        result.append(OpenSession(id=row.id, device=str(label), kind=label.kind, ip=devices.mask_ip(row.ip_address),
                                  started_at=row.activated_at or row.created_at, last_seen_at=row.last_seen_at,
                                  current=row.id == current_session_id, known_device=row.device_id is not None))
    return result


def end_session(*, session: Session, account_id: int, session_id: int) -> bool:
    """End one of *this account's* sessions (another account's id matches nothing)."""
    row = session.exec(select(AuthSession).where(AuthSession.id == session_id, AuthSession.account_id == account_id,
                                                 AuthSession.revoked_at.is_(None))).first()
    if row is None:
        return False
    row.revoked_at, row.revoked_reason = utcnow(), "ended_by_holder"
    session.add(row)
    return True


def end_other_sessions(*, session: Session, account_id: int, current_session_id: int) -> int:
    return sessions.revoke_all_for_account(session=session, account_id=account_id, reason="ended_by_holder",
                                           except_session_id=current_session_id)


def security_score(*, session: Session, account: Account, current_session_id: int | None) -> SecurityScore:
    others = [s for s in open_sessions(session=session, account_id=account.id, current_session_id=current_session_id)
              if not s.current]
    holder = session.get(Policyholder, account.holder_id)
    items = [
        ScoreItem("totp", "Double authentification par application", 35, account.totp_enabled_at is not None,
                  "Activer"),
        ScoreItem("recovery", "Codes de secours générés", 15,
                  second_factor.recovery_codes_left(session=session, account_id=account.id) > 0, "Générer"),
        ScoreItem("phone", "Téléphone mobile vérifié", 15, account.phone_verified_at is not None and bool(holder.phone),
                  "Vérifier"),
        ScoreItem("password", "Mot de passe changé depuis moins d'un an", 20,
                  utcnow() - account.password_changed_at < PASSWORD_MAX_AGE, "Changer"),
        ScoreItem("sessions", "Aucune autre session ouverte sur un appareil inconnu", 15,
                  all(s.known_device for s in others), "Fermer les autres sessions"),
    ]
    return SecurityScore(score=sum(i.points for i in items if i.done), items=items)


def purge_login_events(*, session: Session, older_than: datetime) -> int:
    result = session.exec(delete(LoginEvent).where(LoginEvent.occurred_at < older_than))
    return result.rowcount or 0


# ---- step-up: a fresh second factor before a sensitive action ---------------------------------

def step_up_methods(*, session: Session, account: Account) -> list[Method]:
    if account.totp_enabled_at is not None:
        return [Method.TOTP, Method.RECOVERY]
    holder = session.get(Policyholder, account.holder_id)
    return [Method.EMAIL, Method.SMS] if account.phone_verified_at and holder.phone else [Method.EMAIL]


def has_recent_step_up(*, session: Session, session_id: int) -> bool:
    row = session.get(AuthSession, session_id)
    return bool(row and row.step_up_at and utcnow() - row.step_up_at < STEP_UP_VALIDITY)


def start_step_up(*, session: Session, account: Account, method: str) -> None:
    if method in (Method.EMAIL, Method.SMS):
        second_factor.send_code(session=session, account=account, purpose="step_up", channel=str(method))


def complete_step_up(*, session: Session, account: Account, session_id: int, method: str, code: str) -> None:
    """Verify the code (TOTP, recovery code, or e-mail/SMS code) and mark this session as stepped up.

    Wrong codes count like those of a sign-in, whatever the method (an app code has no per-code try
    limit of its own): the fifth in a row locks the account for 30 minutes, ends this session (a
    stolen session cannot keep guessing) and tells the holder by e-mail. The caller commits the count
    (``session_scope(keep_on=...)``)."""
    from espace.services import auth

    if auth.is_locked(account):
        raise second_factor.SecondFactorError(LOCKED_STEP_UP)
    try:
        second_factor.verify(session=session, account=account, method=method, code=code, purpose="step_up")
    except second_factor.SecondFactorError:
        auth.register_failure(session=session, account=account)
        auth.record_event(session=session, result=LoginResult.SECOND_FACTOR_FAILED, account_id=account.id)
        if auth.is_locked(account):
            sessions.revoke_by_id(session=session, session_id=session_id, reason="step_up_locked")
            raise second_factor.SecondFactorError(LOCKED_STEP_UP) from None
        raise
    account.failed_login_count = 0
    session.add(account)
    sessions.mark_step_up(session=session, session_id=session_id)


LOCKED_STEP_UP = ("Trop de codes erronés : par sécurité, votre espace est verrouillé pendant 30 minutes et cette "
                  "session est fermée. Un e-mail vous a été envoyé.")


def confirm_phone(*, session: Session, account: Account, code: str) -> None:
    second_factor.verify_code(session=session, account_id=account.id, purpose="phone", code=code)
    account.phone_verified_at = utcnow()
    session.add(account)
