"""The insurer's API clients, their calls (audit), rate-limit windows and idempotency keys."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from espace.core.models import utcnow


class ApiClient(SQLModel, table=True):
    """A machine of the insurer. Its secret is shown once and stored as a SHA-256 digest (a random
    256-bit secret needs no slow hash). ``staff_id``: the back-office identity its claim actions
    are recorded under (role manager, unable to sign in)."""

    __tablename__ = "api_client"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100)
    key_id: str = Field(
        max_length=40, unique=True
    )  # public part of the token: "esp_<key_id>.<secret>"
    secret_hash: str = Field(max_length=64)
    scopes: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    rate_limit_per_minute: int = 600
    staff_id: int | None = Field(default=None, foreign_key="staff_user.id")
    created_at: datetime = Field(default_factory=utcnow)
    rotated_at: datetime | None = None
    revoked_at: datetime | None = None
    last_used_at: datetime | None = None


class ApiCall(SQLModel, table=True):
    """The audit of every call: who, which route, which object, what result."""

    __tablename__ = "api_call"

    id: int | None = Field(default=None, primary_key=True)
    client_id: int | None = Field(default=None, foreign_key="api_client.id", index=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    method: str = Field(max_length=8)
    route: str = Field(max_length=200)
    path: str = Field(max_length=300)
    object_ref: str = Field(default="", max_length=80)  # e.g. "holder:12"
    status_code: int
    idempotency_key: str = Field(default="", max_length=100)
    ip_address: str = Field(default="", max_length=45)


class ApiRateWindow(SQLModel, table=True):
    """Calls of a client in one minute: the limit holds across processes (a database row)."""

    __tablename__ = "api_rate_window"
    __table_args__ = (UniqueConstraint("client_id", "window"),)

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="api_client.id", index=True)
    window: str = Field(max_length=16)  # "2026-12-06T15:42" (UTC minute)
    count: int = 0


class ApiIdempotencyKey(SQLModel, table=True):
    """A write's ``Idempotency-Key``: saved with the response in the write's own transaction, so a
    retried call gets the first answer back and never writes twice."""

    __tablename__ = "api_idempotency_key"
    __table_args__ = (UniqueConstraint("client_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="api_client.id", index=True)
    key: str = Field(max_length=100)
    request_hash: str = Field(max_length=64)
    status_code: int = 0
    response_body: str = Field(default="", sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, index=True)
