"""What the 'Sécurité' page shows and does: connection history, open sessions, security score,
phone confirmation. The step-up checks themselves are in ``stepup``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlmodel import Session, col, select

from espace.core.models import get_existing, saved_id, utcnow
from espace.identity import devices, second_factor, sessions
from espace.identity.models import Account, AuthSession, LoginEvent, LoginResult, Policyholder

PASSWORD_MAX_AGE = timedelta(days=365)

RESULT_LABELS: dict[str, str] = {  # the column holds the LoginResult value
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
    events = session.exec(
        select(LoginEvent)
        .where(LoginEvent.account_id == account_id)
        .order_by(col(LoginEvent.occurred_at).desc(), col(LoginEvent.id).desc())
        .limit(limit)
    ).all()
    rows = []
    for event in events:
        label = devices.describe(event.user_agent)
        rows.append(
            HistoryRow(
                occurred_at=event.occurred_at,
                device=str(label),
                kind=label.kind,
                ip=devices.mask_ip(event.ip_address),
                result=RESULT_LABELS.get(event.result, event.result),
                success=event.result == LoginResult.SUCCESS,
                new_device=event.new_device,
            )
        )
    return rows


def open_sessions(
    *, session: Session, account_id: int, current_session_id: int | None
) -> list[OpenSession]:
    now = utcnow()
    rows = session.exec(
        select(AuthSession)
        .where(
            AuthSession.account_id == account_id,
            col(AuthSession.revoked_at).is_(None),
            col(AuthSession.token_hash).is_not(None),
            AuthSession.expires_at > now,
        )
        .order_by(col(AuthSession.last_seen_at).desc())
    ).all()
    result = []
    for row in rows:
        label = devices.describe(row.user_agent)
        result.append(
            OpenSession(
                id=saved_id(row),
                device=str(label),
                kind=label.kind,
                ip=devices.mask_ip(row.ip_address),
                started_at=row.activated_at or row.created_at,
                last_seen_at=row.last_seen_at,
                current=row.id == current_session_id,
                known_device=row.device_id is not None,
            )
        )
    return result


def end_session(*, session: Session, account_id: int, session_id: int) -> bool:
    """End one of *this account's* sessions (another account's id matches nothing)."""
    row = session.exec(
        select(AuthSession).where(
            AuthSession.id == session_id,
            AuthSession.account_id == account_id,
            col(AuthSession.revoked_at).is_(None),
        )
    ).first()
    if row is None:
        return False
    row.revoked_at, row.revoked_reason = utcnow(), "ended_by_holder"
    session.add(row)
    return True


def end_other_sessions(*, session: Session, account_id: int, current_session_id: int) -> int:
    return sessions.revoke_all_for_account(
        session=session,
        account_id=account_id,
        reason="ended_by_holder",
        except_session_id=current_session_id,
    )


def security_score(
    *, session: Session, account: Account, current_session_id: int | None
) -> SecurityScore:
    others = [
        s
        for s in open_sessions(
            session=session, account_id=saved_id(account), current_session_id=current_session_id
        )
        if not s.current
    ]
    holder = get_existing(session, Policyholder, account.holder_id)
    items = [
        ScoreItem(
            "totp",
            "Double authentification par application",
            35,
            account.totp_enabled_at is not None,
            "Activer",
        ),
        ScoreItem(
            "recovery",
            "Codes de secours générés",
            15,
            second_factor.recovery_codes_left(session=session, account_id=saved_id(account)) > 0,
            "Générer",
        ),
        ScoreItem(
            "phone",
            "Téléphone mobile vérifié",
            15,
            account.phone_verified_at is not None and bool(holder.phone),
            "Vérifier",
        ),
        ScoreItem(
            "password",
            "Mot de passe changé depuis moins d'un an",
            20,
            utcnow() - account.password_changed_at < PASSWORD_MAX_AGE,
            "Changer",
        ),
        ScoreItem(
            "sessions",
            "Aucune autre session ouverte sur un appareil inconnu",
            15,
            all(s.known_device for s in others),
            "Fermer les autres sessions",
        ),
    ]
    return SecurityScore(score=sum(i.points for i in items if i.done), items=items)


def purge_login_events(*, session: Session, older_than: datetime) -> int:
    result = session.exec(delete(LoginEvent).where(col(LoginEvent.occurred_at) < older_than))
    return result.rowcount or 0


def confirm_phone(*, session: Session, account: Account, code: str) -> None:
    second_factor.verify_code(
        session=session, account_id=saved_id(account), purpose="phone", code=code
    )
    account.phone_verified_at = utcnow()
    session.add(account)
