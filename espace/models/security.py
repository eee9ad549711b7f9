"""Account security: one-time codes, action tokens, recovery codes, devices, login history."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, CheckConstraint, Column, Index
from sqlmodel import Field, SQLModel

from espace.models.base import utcnow


class CodePurpose(StrEnum):
    LOGIN = "login"  # second factor at sign-in
    STEP_UP = "step_up"  # sensitive action
    RESET = "reset"  # forgotten password by SMS
    PHONE = "phone"  # verification of the number on file (Sécurité)
    NEW_PHONE = "new_phone"  # a new number typed in "Mon profil", sent to that number only
    RECOVERY = "recovery"  # lost e-mail access, by SMS


class TokenPurpose(StrEnum):
    ACTIVATION = "activation"
    RESET = "reset"
    NOT_ME = "not_me"
    EMAIL_CHANGE = "email_change"


class LoginResult(StrEnum):
    SUCCESS = "success"
    BAD_CREDENTIALS = "bad_credentials"
    LOCKED = "locked"
    NOT_ACTIVATED = "not_activated"
    SECOND_FACTOR_FAILED = "second_factor_failed"
    THROTTLED = "throttled"
    IDENTITY_MISMATCH = (
        "identity_mismatch"  # sign-up or access recovery with data matching no contract
    )
    RESET_REQUESTED = (
        "reset_requested"  # a "forgotten password" request, counted per address (no account)
    )


class OneTimeCode(SQLModel, table=True):
    """A 6-digit code sent by e-mail or SMS: 10 minutes, single use, 5 tries."""

    __tablename__ = "one_time_code"
    __table_args__ = (
        CheckConstraint("(account_id IS NULL) <> (staff_id IS NULL)", name="one_owner"),
    )

    id: int | None = Field(default=None, primary_key=True)
    account_id: int | None = Field(default=None, foreign_key="account.id", index=True)
    staff_id: int | None = Field(
        default=None, foreign_key="staff_user.id", index=True
    )  # staff sign-in codes
    purpose: str = Field(max_length=12)
    channel: str = Field(max_length=5)  # email | sms
    code_hash: str = Field(max_length=64)  # HMAC-SHA256 keyed with the secret key
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    used_at: datetime | None = None
    attempts: int = 0


class ActionToken(SQLModel, table=True):
    """A link sent by e-mail (activation 72 h, reset 24 h, 'ce n'était pas moi')."""

    __tablename__ = "action_token"

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", index=True)
    purpose: str = Field(max_length=14)
    token_hash: str = Field(max_length=64, unique=True)
    payload: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    used_at: datetime | None = None


class RecoveryCode(SQLModel, table=True):
    __tablename__ = "recovery_code"

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", index=True)
    code_hash: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=utcnow)
    used_at: datetime | None = None


class PasswordHistory(SQLModel, table=True):
    __tablename__ = "password_history"

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", index=True)
    password_hash: str = Field(max_length=255)
    created_at: datetime = Field(default_factory=utcnow)


class KnownDevice(SQLModel, table=True):
    """A browser that signed in to an account (identified by an HttpOnly device cookie)."""

    __tablename__ = "known_device"

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", index=True)
    device_hash: str = Field(max_length=64, index=True)
    label: str = Field(default="", max_length=120)  # "Chrome 156 · Linux"
    first_seen_at: datetime = Field(default_factory=utcnow)
    last_seen_at: datetime = Field(default_factory=utcnow)
    trusted_until: datetime | None = None


class LoginEvent(SQLModel, table=True):
    """Connection history, kept 13 months at most."""

    __tablename__ = "login_event"

    id: int | None = Field(default=None, primary_key=True)
    account_id: int | None = Field(default=None, foreign_key="account.id", index=True)
    occurred_at: datetime = Field(default_factory=utcnow, index=True)
    ip_address: str = Field(default="", max_length=45, index=True)
    user_agent: str = Field(default="", max_length=400)
    result: str = Field(max_length=24)
    new_device: bool = False


class AccessRecoveryRequest(SQLModel, table=True):
    """Lost e-mail access with no phone on file: handled by staff (48 h target)."""

    __tablename__ = "access_recovery_request"

    id: int | None = Field(default=None, primary_key=True)
    holder_id: int = Field(foreign_key="policyholder.id", index=True)
    contract_number: str = Field(max_length=10)
    contact_email: str = Field(default="", max_length=254)
    contact_phone: str = Field(default="", max_length=20)
    message: str = Field(default="", max_length=1000)
    created_at: datetime = Field(default_factory=utcnow)
    due_at: datetime
    status: str = Field(default="open", max_length=10)  # open | handled
    handled_at: datetime | None = None
    handled_by_id: int | None = Field(default=None, foreign_key="staff_user.id")
    handling_note: str = Field(default="", max_length=1000)


class OutboxMessage(SQLModel, table=True):
    """Every e-mail, SMS and push the portal sends (the transactional outbox): written in the
    transaction of the change it announces, delivered by the worker after the commit
    (``espace.services.deliveries``). In development, without SMTP, this is the only delivery.

    status: queued (waiting for a worker) | sending (claimed by one) | retry (failed, tried again at
    ``due_at``) | sent | failed (after the last try: shown to managers) | outbox (no sender configured).
    A push message: ``recipient`` is ``holder:<id>``, ``subject`` the title, ``body`` the portal link."""

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
