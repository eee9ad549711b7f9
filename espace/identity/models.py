"""People and their access: policyholders, portal accounts, staff, sessions; account security
(one-time codes, action tokens, recovery codes, devices, login history); staff reads; profile
changes."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, CheckConstraint, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from espace.core.models import utcnow


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
    # A new authenticator being enrolled (encrypted the same way): it replaces the secret above only
    # when confirmed with one of its codes; until then the active secret keeps working.
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
        None  # last second-factor check within this session (see identity/stepup.py)
    )
    step_up_method: str = Field(
        default="", max_length=10
    )  # how it was checked: totp, recovery, email, sms
    step_up_spent_at: datetime | None = None  # a signature-grade action used that check up


# Account security: one-time codes, action tokens, recovery codes, devices, login history.


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


class StaffReadLog(SQLModel, table=True):
    """A staff member opened a holder's data (a claim, a conversation, a file, an access request):
    who, when, what.

    Separate from the audit log of actions: reads are far more numerous, are tied to the holder (for
    the GDPR export "qui a consulté mon dossier"), and are purged after 13 months like connection
    logs."""

    __tablename__ = "staff_read_log"
    __table_args__ = (Index("ix_staff_read_log_object", "object_type", "object_id"),)

    id: int | None = Field(default=None, primary_key=True)
    staff_id: int = Field(foreign_key="staff_user.id", index=True)
    holder_id: int = Field(foreign_key="policyholder.id", index=True)
    object_type: str = Field(
        max_length=20
    )  # claim | claim_file | support_thread | support_attachment | access_request
    object_id: int
    detail: str = Field(
        default="", max_length=200
    )  # what was opened, in words the holder understands
    at: datetime = Field(default_factory=utcnow, index=True)


class ProfileChange(SQLModel, table=True):
    """One change of the holder's contact details, as shown in their history ("Historique")."""

    __tablename__ = "profile_change"

    id: int | None = Field(default=None, primary_key=True)
    holder_id: int = Field(foreign_key="policyholder.id", index=True)
    field: str = Field(max_length=12)  # address | phone | email
    old_value: str = Field(default="", max_length=300)
    new_value: str = Field(default="", max_length=300)
    status: str = Field(
        default="done", max_length=10
    )  # pending (waiting for a confirmation) | done | cancelled
    second_factor: str = Field(
        default="", max_length=10
    )  # how the change was confirmed: totp, email, sms, recent
    changed_at: datetime = Field(default_factory=utcnow, index=True)
