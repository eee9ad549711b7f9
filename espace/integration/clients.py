"""The insurer's API clients: creation (secret shown once, stored as a digest), rotation,
revocation, scopes, per-client rate limits shared by every process, the audit of each call and
idempotency keys.

A client's token is ``esp_<key_id>.<secret>``: the key id finds the row, the secret is compared
with its SHA-256 digest in constant time. Each client also gets a back-office identity
(``StaffUser`` role manager, no password: it cannot sign in) so the claim actions it makes go
through the same workflow functions, permission checks and audit log as the staff's own.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from espace.core import tokens
from espace.core.db import savepoint
from espace.core.models import utcnow
from espace.core.settings import get_settings
from espace.identity.insurer_authority import InsurerRecord
from espace.identity.models import StaffRole, StaffUser
from espace.integration.models import ApiCall, ApiClient, ApiIdempotencyKey, ApiRateWindow

RESOURCES = {
    "holders": "assurés, biens assurés",
    "contracts": "contrats, conditions, catalogue",
    "payments": "échéanciers, paiements, fichiers bancaires",
    "documents": "documents publiés",
    "claims": "sinistres, messages, étapes",
    "requests": "demandes des assurés",
    "webhooks": "points de réception et livraisons",
}
SCOPES = frozenset(f"{r}:{a}" for r in RESOURCES for a in ("read", "write"))
TOKEN_PREFIX = "esp_"


class ClientError(ValueError):
    pass


@dataclass(frozen=True)
class ApiClientAuthority:
    """An authenticated API client acting for the insurer: what the integration operations accept
    instead of a holder's step-up proof. Minted only by ``authenticate`` (or the CLI for its own
    client rows), it carries the client's scopes and its back-office identity."""

    client_id: int
    name: str
    scopes: frozenset[str]
    staff_id: int | None

    def allows(self, scope: str) -> bool:
        return scope in self.scopes

    def record(self) -> InsurerRecord:
        """The insurer's authority over bank details for what the client's core system reports."""
        return InsurerRecord("core_system", reference=f"api-client:{self.client_id}")


def parse_scopes(raw: str | list[str]) -> list[str]:
    """ "holders,claims:write" -> ["holders:read", "holders:write", "claims:write"]; "*" -> all."""
    items = raw.split(",") if isinstance(raw, str) else raw
    scopes: set[str] = set()
    for item in (i.strip() for i in items):
        if not item:
            continue
        if item == "*":
            scopes |= SCOPES
        elif item in RESOURCES:
            scopes |= {f"{item}:read", f"{item}:write"}
        elif item in SCOPES:
            scopes.add(item)
        else:
            raise ClientError(f"portée inconnue : {item} (connues : {', '.join(sorted(SCOPES))})")
    if not scopes:
        raise ClientError("indiquez au moins une portée (--scopes)")
    return sorted(scopes)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _new_secret(client: ApiClient) -> str:
    secret = secrets.token_urlsafe(32)
    client.secret_hash = _digest(secret)
    return f"{TOKEN_PREFIX}{client.key_id}.{secret}"


def create_client(
    *,
    session: Session,
    name: str,
    scopes: str | list[str],
    rate_limit_per_minute: int | None = None,
) -> tuple[ApiClient, str]:
    """A new client and its token (shown once)."""
    name = (name or "").strip()
    if not name:
        raise ClientError("indiquez un nom (--name)")
    staff = StaffUser(
        email=f"api-client-{secrets.token_hex(6)}@api.invalid",
        full_name=f"Système « {name[:150]} » (API)",
        role=StaffRole.MANAGER,
        password_hash="!",  # no password verifies against it: this identity cannot sign in
    )
    session.add(staff)
    session.flush()
    client = ApiClient(
        name=name[:100],
        key_id=secrets.token_hex(8),
        secret_hash="",
        scopes=parse_scopes(scopes),
        rate_limit_per_minute=rate_limit_per_minute or get_settings().api_rate_limit_per_minute,
        staff_id=staff.id,
    )
    token = _new_secret(client)
    session.add(client)
    session.flush()
    return client, token


def _client(session: Session, client_id: int) -> ApiClient:
    client = session.get(ApiClient, client_id)
    if client is None:
        raise ClientError(f"client API inconnu : {client_id}")
    return client


def rotate(*, session: Session, client_id: int, now: datetime | None = None) -> str:
    """A new token for the client; the old one stops working at once."""
    client = _client(session, client_id)
    if client.revoked_at is not None:
        raise ClientError("ce client est révoqué")
    token = _new_secret(client)
    client.rotated_at = now or utcnow()
    session.add(client)
    session.flush()
    return token


def revoke(*, session: Session, client_id: int, now: datetime | None = None) -> ApiClient:
    client = _client(session, client_id)
    client.revoked_at = client.revoked_at or now or utcnow()
    if client.staff_id is not None:
        staff = session.get(StaffUser, client.staff_id)
        staff.is_active = False
        session.add(staff)
    session.add(client)
    session.flush()
    return client


def set_scopes(*, session: Session, client_id: int, scopes: str | list[str]) -> ApiClient:
    client = _client(session, client_id)
    client.scopes = parse_scopes(scopes)
    session.add(client)
    session.flush()
    return client


def list_clients(*, session: Session) -> list[ApiClient]:
    return list(session.exec(select(ApiClient).order_by(ApiClient.id)).all())


def authenticate(*, session: Session, token: str) -> ApiClientAuthority | None:
    """The authority of a valid, unrevoked client's token; None otherwise."""
    if not token.startswith(TOKEN_PREFIX) or "." not in token:
        return None
    key_id, _, secret = token.removeprefix(TOKEN_PREFIX).partition(".")
    client = session.exec(select(ApiClient).where(ApiClient.key_id == key_id[:40])).first()
    if client is None:
        tokens.same_digest(_digest(secret), "0" * 64)  # the same work for an unknown key id
        return None
    if not tokens.same_digest(_digest(secret), client.secret_hash) or client.revoked_at:
        return None
    return ApiClientAuthority(client.id, client.name, frozenset(client.scopes), client.staff_id)


# ----- rate limits (a row per client and minute: shared by every process) ------------------


def take_call(
    *, session: Session, client_id: int, limit: int | None = None, now: datetime | None = None
) -> tuple[bool, int]:
    """Count one call in the client's current minute; (allowed, seconds until the next minute).
    Run in its own short transaction, committed whatever the request does."""
    now = now or utcnow()
    window = now.strftime("%Y-%m-%dT%H:%M")
    if limit is None:
        limit = session.get(ApiClient, client_id).rate_limit_per_minute
    bumped = session.exec(
        update(ApiRateWindow)
        .where(ApiRateWindow.client_id == client_id, ApiRateWindow.window == window)
        .values(count=ApiRateWindow.count + 1)
        .execution_options(synchronize_session=False)
    )
    if bumped.rowcount == 0:
        try:
            with savepoint(session):
                session.add(ApiRateWindow(client_id=client_id, window=window, count=1))
        except IntegrityError:  # another process created the row meanwhile
            session.exec(
                update(ApiRateWindow)
                .where(ApiRateWindow.client_id == client_id, ApiRateWindow.window == window)
                .values(count=ApiRateWindow.count + 1)
                .execution_options(synchronize_session=False)
            )
    count = session.exec(
        select(ApiRateWindow.count).where(
            ApiRateWindow.client_id == client_id, ApiRateWindow.window == window
        )
    ).one()
    client = session.get(ApiClient, client_id)
    client.last_used_at = now
    session.add(client)
    return count <= limit, 60 - now.second


# ----- audit ---------------------------------------------------------------------------------


def audit(
    *,
    session: Session,
    client_id: int | None,
    method: str,
    route: str,
    path: str,
    status_code: int,
    object_ref: str = "",
    idempotency_key: str = "",
    ip: str = "",
) -> None:
    session.add(
        ApiCall(
            client_id=client_id,
            method=method[:8],
            route=route[:200],
            path=path[:300],
            status_code=status_code,
            object_ref=object_ref[:80],
            idempotency_key=idempotency_key[:100],
            ip_address=ip[:45],
        )
    )


def calls(*, session: Session, client_id: int | None = None, limit: int = 50) -> list[ApiCall]:
    query = select(ApiCall).order_by(ApiCall.id.desc()).limit(limit)
    if client_id is not None:
        query = query.where(ApiCall.client_id == client_id)
    return list(session.exec(query).all())


# ----- idempotency ---------------------------------------------------------------------------


class IdempotencyConflict(Exception):
    """The key was used for another request, or its first request is still running (409)."""

    def __init__(self, status_code: int, message: str) -> None:
        super().__init__(message)
        self.status_code = status_code


def request_hash(method: str, path: str, body: bytes) -> str:
    try:
        canonical = json.dumps(json.loads(body or b"null"), sort_keys=True).encode()
    except ValueError:
        canonical = body
    return hashlib.sha256(method.encode() + b" " + path.encode() + b"\n" + canonical).hexdigest()


def begin_idempotent(
    *, session: Session, client_id: int, key: str, fingerprint: str
) -> tuple[ApiIdempotencyKey | None, ApiIdempotencyKey | None]:
    """(row to complete, None) for a new key, inserted in the request's transaction; (None, row)
    with the saved response for a key already answered. Raises IdempotencyConflict otherwise.

    The row commits with the write and its answer, or not at all. Two requests racing with one
    key: the second one's insert fails on the unique key (or waits for the first, on PostgreSQL)
    and it gets a 409; its retry gets the first answer."""
    done = session.exec(
        select(ApiIdempotencyKey).where(
            ApiIdempotencyKey.client_id == client_id, ApiIdempotencyKey.key == key
        )
    ).first()
    if done is None:
        row = ApiIdempotencyKey(client_id=client_id, key=key, request_hash=fingerprint)
        session.add(row)
        try:
            session.flush()
        except IntegrityError:
            raise IdempotencyConflict(
                409, "Une requête avec cette clé d'idempotence est en cours."
            ) from None
        return row, None
    if done.request_hash != fingerprint:
        raise IdempotencyConflict(
            409, "Cette clé d'idempotence a déjà servi pour une autre requête (corps différent)."
        )
    return None, done


# ----- retention ---------------------------------------------------------------------------------

IDEMPOTENCY_KEPT = timedelta(days=7)  # a retry comes within minutes; a week is generous
CALLS_KEPT = timedelta(days=395)  # the audit of calls, like connection logs: 13 months


@dataclass(frozen=True)
class Purged:
    windows: int
    keys: int
    calls: int


def purge(*, session: Session, now: datetime | None = None) -> Purged:
    """The periodic job ``purge-api``: old rate windows, idempotency keys and call audit rows."""
    now = now or utcnow()
    windows = session.exec(
        delete(ApiRateWindow).where(
            ApiRateWindow.window < (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
        )
    ).rowcount
    keys = session.exec(
        delete(ApiIdempotencyKey).where(ApiIdempotencyKey.created_at < now - IDEMPOTENCY_KEPT)
    ).rowcount
    calls = session.exec(delete(ApiCall).where(ApiCall.at < now - CALLS_KEPT)).rowcount
    return Purged(windows, keys, calls)
