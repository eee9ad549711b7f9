"""In-app notifications (the bell), one row per message to a holder; preferences, push
subscriptions, the e-mail/SMS outbox."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel

from espace.core.models import utcnow


class NotificationCategory(StrEnum):
    CLAIMS = "claims"
    PAYMENTS = "payments"
    MESSAGES = "messages"  # advisers' answers in the secure messaging
    DOCUMENTS = "documents"
    SECURITY = "security"
    PREVENTION = "prevention"
    OFFERS = "offers"


class Notification(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    holder_id: int = Field(foreign_key="policyholder.id", index=True)
    category: str = Field(max_length=20)
    title: str = Field(max_length=200)
    body: str = Field(default="", max_length=1000)
    link: str = Field(
        default="", max_length=200
    )  # an internal page, e.g. /sinistre?n=SIN-2026-000123
    created_at: datetime = Field(default_factory=utcnow, index=True)
    read_at: datetime | None = None
    critical: bool = Field(
        default=False, sa_column_kwargs={"server_default": "0"}
    )  # sent even with "critical only"


class NotificationSettings(SQLModel, table=True):
    """A holder's choices: channels per category, and "critical only"."""

    __tablename__ = "notification_settings"

    id: int | None = Field(default=None, primary_key=True)
    holder_id: int = Field(foreign_key="policyholder.id", unique=True)
    critical_only: bool = False
    # {"claims": {"email": true, "sms": false, "push": true, "in_app": true}, ...}; missing = the
    # default
    channels: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    updated_at: datetime = Field(default_factory=utcnow)


class PushSubscription(SQLModel, table=True):
    """A browser's Web Push subscription (where the deployment configures VAPID keys)."""

    __tablename__ = "push_subscription"

    id: int | None = Field(default=None, primary_key=True)
    holder_id: int = Field(foreign_key="policyholder.id", index=True)
    endpoint: str = Field(max_length=1000, unique=True)
    p256dh: str = Field(max_length=200)
    auth: str = Field(max_length=100)
    user_agent: str = Field(default="", max_length=400)
    created_at: datetime = Field(default_factory=utcnow)
    last_error: str = Field(default="", max_length=300)


class OutboxMessage(SQLModel, table=True):
    """Every e-mail, SMS and push the portal sends (the transactional outbox): written in the
    transaction of the change it announces, delivered by the worker after the commit
    (``espace.notifications.deliveries``). In development, without SMTP, this is the only delivery.

    status: queued (waiting for a worker) | sending (claimed by one) | retry (failed, tried again at
    ``due_at``) | sent | failed (after the last try: shown to managers) | outbox (no sender
    configured). A push message: ``recipient`` is ``holder:<id>``, ``subject`` the title, ``body``
    the portal link."""

    __tablename__ = "outbox_message"
    __table_args__ = (Index("ix_outbox_message_status_due", "status", "due_at"),)

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=5)  # email | sms
    recipient: str = Field(max_length=254, index=True)
    subject: str = Field(default="", max_length=200)
    body: str = Field(max_length=10_000)
    category: str = Field(default="security", max_length=20)
    account_id: int | None = Field(default=None, foreign_key="account.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)
    sent_at: datetime | None = None
    status: str = Field(default="queued", max_length=10)
    error: str = Field(default="", max_length=500)
    attempts: int = 0
    # When a worker should take it (queued, retry); the sweeper queues it again long after.
    due_at: datetime | None = Field(default_factory=utcnow)
    claimed_at: datetime | None = None  # when the last try started (sending)
