"""Webhook endpoints registered by the insurer, the events emitted, and each delivery with its
attempts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from espace.core.models import utcnow


class WebhookEndpoint(SQLModel, table=True):
    """An URL of the insurer that receives the events of the listed types. The signing secret is
    encrypted (signing needs it back), shown once at creation."""

    __tablename__ = "webhook_endpoint"

    id: int | None = Field(default=None, primary_key=True)
    url: str = Field(max_length=500)
    event_types: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    description: str = Field(default="", max_length=200)
    secret_encrypted: str = Field(max_length=300)
    is_active: bool = True
    created_at: datetime = Field(default_factory=utcnow)
    disabled_at: datetime | None = None


class WebhookEvent(SQLModel, table=True):
    """One event, as emitted after the commit of the change it tells about."""

    __tablename__ = "webhook_event"

    id: int | None = Field(default=None, primary_key=True)
    event_uid: str = Field(max_length=40, unique=True)  # "evt_...": the webhook-id header
    type: str = Field(max_length=40, index=True)
    payload: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, index=True)


class WebhookDelivery(SQLModel, table=True):
    """An event to deliver to one endpoint: pending -> sending -> delivered, or retry, or failed
    after the last try (a manager or the API may replay it)."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (UniqueConstraint("event_id", "endpoint_id"),)

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="webhook_event.id", index=True)
    endpoint_id: int = Field(foreign_key="webhook_endpoint.id", index=True)
    status: str = Field(default="pending", max_length=10, index=True)
    attempts: int = 0
    next_attempt_at: datetime | None = None
    claimed_at: datetime | None = None
    delivered_at: datetime | None = None
    last_status_code: int | None = None
    last_error: str = Field(default="", max_length=300)
    created_at: datetime = Field(default_factory=utcnow)


class WebhookAttempt(SQLModel, table=True):
    """One try of a delivery: when, the HTTP status received (or the error), how long it took."""

    __tablename__ = "webhook_attempt"

    id: int | None = Field(default=None, primary_key=True)
    delivery_id: int = Field(foreign_key="webhook_delivery.id", index=True)
    number: int
    at: datetime = Field(default_factory=utcnow)
    status_code: int | None = None
    error: str = Field(default="", max_length=300)
    duration_ms: int = 0
    response_excerpt: str = Field(default="", sa_column=Column(Text, nullable=False))
