"""Outgoing e-mail and SMS. Every message is written to the outbox table first; then a sender
delivers it: SMTP when configured, otherwise nothing (the outbox is the delivery in development,
and a development-only page shows it). SMS providers plug in through ``SmsSender``."""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Protocol

from sqlmodel import Session

from espace.core.models import utcnow
from espace.core.settings import Settings, get_settings
from espace.notifications.models import OutboxMessage

log = logging.getLogger(__name__)

EMAIL_SIGNATURE = (
    "\n\n—\nEspace Assurances · Votre espace client\n"
    "Cet e-mail est envoyé automatiquement, merci de ne pas y répondre."
)


class EmailSender(Protocol):
    def send(self, message: OutboxMessage, settings: Settings) -> None: ...


class SmsSender(Protocol):
    def send(self, message: OutboxMessage, settings: Settings) -> None: ...


class SmtpSender:
    def send(self, message: OutboxMessage, settings: Settings) -> None:
        email = EmailMessage()
        email["From"] = settings.mail_from
        email["To"] = message.recipient
        email["Subject"] = message.subject
        email["Date"] = formatdate(localtime=True)
        email["Message-ID"] = make_msgid(domain="espace")
        email.set_content(message.body)
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=15) as smtp:
            if settings.smtp_starttls:
                smtp.starttls()
            if settings.smtp_user:
                smtp.login(settings.smtp_user, settings.smtp_password.get_secret_value())
            smtp.send_message(email)


_sms_sender: SmsSender | None = None


def configure_sms_sender(sender: SmsSender | None) -> None:
    """Plug in an SMS provider (an insurer's gateway); without one, SMS stay in the outbox."""
    global _sms_sender
    _sms_sender = sender


def _deliver(
    session: Session,
    message: OutboxMessage,
    sender: EmailSender | SmsSender | None,
    settings: Settings,
) -> None:
    if sender is None:
        message.status = "outbox"
        return
    try:
        sender.send(message, settings)
    except Exception as error:  # noqa: BLE001 - delivery failures are recorded, never raised to the user
        log.warning("delivery of message %s failed: %s", message.id, error)
        message.status, message.error = "failed", str(error)[:500]
        return
    message.status, message.sent_at = "sent", utcnow()
    if settings.env == "prod":
        message.body = (
            "[contenu supprimé après envoi]"  # codes and links do not stay in the database
        )


def send_email(
    *,
    session: Session,
    to: str,
    subject: str,
    body: str,
    account_id: int | None = None,
    category: str = "security",
) -> OutboxMessage:
    settings = get_settings()
    message = OutboxMessage(
        channel="email",
        recipient=to,
        subject=subject,
        body=body + EMAIL_SIGNATURE,
        account_id=account_id,
        category=category,
    )
    session.add(message)
    session.flush()
    _deliver(session, message, SmtpSender() if settings.smtp_host else None, settings)
    session.add(message)
    return message


def send_sms(
    *,
    session: Session,
    to: str,
    body: str,
    account_id: int | None = None,
    category: str = "security",
) -> OutboxMessage:
    message = OutboxMessage(
        channel="sms", recipient=to, body=body, account_id=account_id, category=category
    )
    session.add(message)
    session.flush()
    _deliver(session, message, _sms_sender, get_settings())
    session.add(message)
    return message


def link(path: str) -> str:
    return f"{get_settings().public_base_url}{path}"


def latest(*, session: Session, limit: int = 50) -> list[OutboxMessage]:
    from sqlmodel import select

    return list(
        session.exec(select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(limit)).all()
    )


def split_links(text: str) -> list[tuple[str, bool]]:
    """'see https://x/y now' -> [('see ', False), ('https://x/y', True), (' now', False)]"""
    import re

    parts: list[tuple[str, bool]] = []
    position = 0
    for match in re.finditer(r"https?://\S+", text):
        if match.start() > position:
            parts.append((text[position : match.start()], False))
        parts.append((match.group(0), True))
        position = match.end()
    if position < len(text):
        parts.append((text[position:], False))
    return parts
