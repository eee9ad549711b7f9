"""Structured logs: one JSON object per line (production), with the request id, never a secret.

- ``configure_logging()`` (called when the app starts): JSON lines on stderr when
  ``ESPACE_LOG_FORMAT`` is ``json`` (the default in production), plain text otherwise; the root
  logger, uvicorn's and Reflex's loggers all go through it.
- ``request_id``: a context variable set for each HTTP request (from nginx's ``X-Request-ID`` when
  it comes through a trusted proxy, otherwise generated) and for each Reflex event; every line
  logged while handling it carries it.
- ``ScrubFilter``: removes what must never reach a log: IBANs (only the country, check digits and
  last four characters stay), passwords, tokens, one-time codes, cookies and Authorization headers,
  e-mail/SMS bodies, and the configured secrets themselves (secret key, SMTP password, S3 key).
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import sys
import uuid
from datetime import UTC, datetime

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("espace_request_id", default="")

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


def new_request_id(offered: str | None = None) -> str:
    """``offered`` when it looks like an id (from a trusted proxy), else a fresh one."""
    if offered and _REQUEST_ID.match(offered):
        return offered
    return uuid.uuid4().hex


# ---- scrubbing -----------------------------------------------------------------------------------

_IBAN = re.compile(r"\b([A-Z]{2}\d{2})((?:[ -]?[A-Z0-9]){7,30})\b")
_SECRET_PAIRS = re.compile(
    r"(?i)\b(password|passwd|mot_de_passe|pwd|secret|token|jeton|code|otp|api[_-]?key|"
    r"authorization|cookie|set-cookie|session|csrf|binding|signature|iban|bic|body|body_text|"
    r"body_html)(\s*[=:]\s*|\"\s*:\s*\"|'\s*:\s*')(bearer\s+|basic\s+)?([^\s,;&\"'}]+)"
)
_BEARER = re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}")
_COOKIE_VALUE = re.compile(r"(?i)((?:__Host-)?espace_(?:session|handoff|device))=([^;\s\"']+)")
_REDACTED = "[masqué]"


def _mask_iban(match: re.Match) -> str:
    compact = re.sub(r"[ -]", "", match.group(2))
    if len(compact) < 11:  # too short for an IBAN: leave it
        return match.group(0)
    return f"{match.group(1)}…{compact[-4:]}"


def _configured_secrets() -> list[str]:
    try:
        from espace.core.settings import get_settings

        s = get_settings()
    except Exception:  # noqa: BLE001 - logging must work before (and without) valid settings
        return []
    values = [
        s.secret_key.get_secret_value(),
        s.smtp_password.get_secret_value(),
        s.s3_secret_key.get_secret_value(),
        s.vapid_private_key.get_secret_value(),
        getattr(s, "metrics_token", None) and s.metrics_token.get_secret_value(),
    ]
    return [v for v in values if v and len(v) >= 6]


def scrub(text: str) -> str:
    """``text`` with secrets and IBANs masked."""
    if not text:
        return text
    for secret in _configured_secrets():
        if secret in text:
            text = text.replace(secret, _REDACTED)
    text = _COOKIE_VALUE.sub(lambda m: f"{m.group(1)}={_REDACTED}", text)
    text = _BEARER.sub(lambda m: f"{m.group(1)} {_REDACTED}", text)
    text = _SECRET_PAIRS.sub(lambda m: f"{m.group(1)}{m.group(2)}{_REDACTED}", text)
    return _IBAN.sub(_mask_iban, text)


class ScrubFilter(logging.Filter):
    """Masks secrets in the message (arguments included) and in the exception text."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a bad format string must not lose the line
            message = str(record.msg)
        record.msg, record.args = scrub(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub(record.exc_text)
            record.exc_info = None  # formatted (and scrubbed) already
        if record.stack_info:
            record.stack_info = scrub(record.stack_info)
        return True


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


# ---- formats -------------------------------------------------------------------------------------

_STANDARD = set(vars(logging.LogRecord("x", 0, "x", 0, "", None, None))) | {
    "message",
    "asctime",
    "request_id",
    "color_message",
}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if request := getattr(record, "request_id", ""):
            entry["request_id"] = request
        for key, value in vars(record).items():  # extra={...} fields
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value if isinstance(value, int | float | bool | None) else str(value)
        if record.exc_text:
            entry["exception"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s%(rid)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        rid = getattr(record, "request_id", "")
        record.rid = f" [{rid[:12]}]" if rid else ""
        return super().format(record)


_configured = False


def handler(*, json_lines: bool, stream=None) -> logging.Handler:
    out = logging.StreamHandler(stream or sys.stderr)
    out.addFilter(RequestIdFilter())
    out.addFilter(ScrubFilter())
    out.setFormatter(JsonFormatter() if json_lines else TextFormatter())
    return out


def configure_logging(*, force: bool = False) -> None:
    """Route every logger through one scrubbed handler (JSON in production)."""
    global _configured
    if _configured and not force:
        return
    from espace.core.settings import get_settings

    settings = get_settings()
    json_lines = settings.log_format == "json" or (
        settings.log_format == "auto" and settings.env == "prod"
    )
    root = logging.getLogger()
    for existing in list(root.handlers):
        if getattr(existing, "_espace", False):
            root.removeHandler(existing)
    out = handler(json_lines=json_lines)
    out._espace = True  # type: ignore[attr-defined]
    root.addHandler(out)
    if root.level == logging.WARNING or root.level == logging.NOTSET:
        root.setLevel(logging.INFO)
    for name in (
        "uvicorn",
        "uvicorn.error",
        "granian",
        "reflex",
    ):  # not uvicorn.access: ours is better
        logger = logging.getLogger(name)
        logger.handlers = [h for h in logger.handlers if getattr(h, "_espace", False)]
        logger.propagate = True
    _configured = True
