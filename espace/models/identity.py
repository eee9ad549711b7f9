"""People and their access: policyholders, portal accounts, staff, sessions."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field, SQLModel

from espace.models.base import utcnow


class Civility(StrEnum):
    MR = "M."
    MRS = "Mme"


class StaffRole(StrEnum):
    HANDLER = "handler"  # gestionnaire sinistres
    EXPERT = "expert"
    MANAGER = "manager"


class Policyholder(SQLModel, table=True):
    """A person holding one or more contracts, as known by the insurer's core system."""

    id: int | None = Field(default=None, primary_key=True)
    civility: str = Field(max_length=4)
    first_name: str = Field(max_length=100)
    last_name: str = Field(max_length=100, index=True)
    birth_date: date
    email: str = Field(max_length=254, index=True)
    phone: str = Field(default="", max_length=20)
    address_line1: str = Field(max_length=200)
    address_line2: str = Field(default="", max_length=200)
    postal_code: str = Field(max_length=10)
    city: str = Field(max_length=100)
    country: str = Field(default="FR", max_length=2)
    created_at: datetime = Field(default_factory=utcnow)

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Account(SQLModel, table=True):
    """A policyholder's portal credentials (one account at most per policyholder)."""

    id: int | None = Field(default=None, primary_key=True)
    holder_id: int = Field(foreign_key="policyholder.id", unique=True)
    email: str = Field(max_length=254, unique=True)  # login identifier, lower-cased
    password_hash: str = Field(max_length=255)
    is_active: bool = True
    created_at: datetime = Field(default_factory=utcnow)
    activated_at: datetime | None = None  # None: activation link not used yet
    password_changed_at: datetime = Field(default_factory=utcnow)
    last_login_at: datetime | None = None
    failed_login_count: int = 0  # wrong passwords in a row (a right password resets it)
    failed_code_count: int = (
        0  # wrong second-factor codes in a row: only a right code resets it, not a password
    )
    locked_until: datetime | None = None
    # TOTP secret, AES-GCM encrypted with a key derived from the secret key; None when not enrolled.
    totp_secret_encrypted: str | None = Field(default=None, max_length=200)
    totp_enabled_at: datetime | None = None
    # A new authenticator being enrolled (encrypted the same way): it replaces the secret above only when
    # confirmed with one of its codes; until then the active secret keeps working.
    totp_pending_encrypted: str | None = Field(default=None, max_length=200)
    totp_pending_at: datetime | None = None
    totp_last_step: int = 0  # replay protection: the last accepted 30-second step
    phone_verified_at: datetime | None = None
    recovery_codes_generated_at: datetime | None = None


class StaffUser(SQLModel, table=True):
    """An insurer employee using the back office."""

    __tablename__ = "staff_user"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True)
    full_name: str = Field(max_length=200)
    role: str = Field(max_length=20)
    password_hash: str = Field(max_length=255)
    is_active: bool = True
    created_at: datetime = Field(default_factory=utcnow)
    last_login_at: datetime | None = None
    failed_login_count: int = 0  # wrong passwords in a row
    failed_code_count: int = 0  # wrong e-mailed codes in a row
    locked_until: datetime | None = None


class AuthSession(SQLModel, table=True):
    """A server-side login session. Only SHA-256 digests of tokens are stored.

    A session is created by a successful sign-in in a *pending* state with a one-time
    hand-off code; the browser exchanges that code at ``/api/auth/handoff``, which mints
    the session token and sets it in an HttpOnly cookie.
    """

    __tablename__ = "auth_session"
    __table_args__ = (
        CheckConstraint("(account_id IS NULL) <> (staff_id IS NULL)", name="one_principal"),
        UniqueConstraint("token_hash"),
        UniqueConstraint("handoff_hash"),
    )

    id: int | None = Field(default=None, primary_key=True)
    account_id: int | None = Field(default=None, foreign_key="account.id", index=True)
    staff_id: int | None = Field(default=None, foreign_key="staff_user.id", index=True)
    token_hash: str | None = Field(default=None, max_length=64)
    handoff_hash: str | None = Field(default=None, max_length=64)
    handoff_expires_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)
    activated_at: datetime | None = None
    last_seen_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime  # absolute expiry
    revoked_at: datetime | None = None
    revoked_reason: str = Field(default="", max_length=40)
    ip_address: str = Field(default="", max_length=45)
    user_agent: str = Field(default="", max_length=400)
    device_id: int | None = Field(default=None, foreign_key="known_device.id")
    trust_device: bool = False  # asked at login: "faire confiance à cet appareil"
    step_up_at: datetime | None = (
        None  # last second-factor check within this session (see services/stepup.py)
    )
    step_up_method: str = Field(
        default="", max_length=10
    )  # how it was checked: totp, recovery, email, sms
    step_up_spent_at: datetime | None = None  # a signature-grade action used that check up
