"""Outgoing e-mail, SMS and push: the transactional outbox. Every message is a row written in the
caller's transaction; once it commits, the worker delivers it (``espace.notifications.deliveries``,
queued by ``espace.core.jobs``): SMTP when configured, otherwise nothing (the outbox is the delivery
in development, and a development-only page shows it). A rolled-back change sends nothing, and no
network call is made inside the request. SMS providers plug in through ``SmsSender``."""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage
from email.utils import formatdate
from typing import Any, Protocol
from urllib.parse import urlsplit

from sqlmodel import Session, col

from espace.core import jobs
from espace.core.insurer import insurer
from espace.core.settings import Settings, get_settings
from espace.notifications import messages
from espace.notifications.models import OutboxMessage

log = logging.getLogger(__name__)


def email_signature() -> str:
    return (
        f"\n\n—\n{insurer().name} · Votre espace client\n"
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
        email["Message-ID"] = message_id(message, settings)
        email.set_content(message.body)
        email.add_alternative(messages.html(message.subject, message.body), subtype="html")
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=15) as smtp:
            if settings.smtp_starttls:
                smtp.starttls()
            if settings.smtp_user:
                smtp.login(settings.smtp_user, settings.smtp_password.get_secret_value())
            smtp.send_message(email)


def message_id(message: OutboxMessage, settings: Settings) -> str:
    """The same Message-ID at every try of a message: a mail system may drop a copy it already
    has."""
    host = urlsplit(settings.public_base_url).hostname or "espace"
    return f"<outbox-{message.id}-{int(message.created_at.timestamp())}@{host}>"


_sms_sender: SmsSender | None = None


def configure_sms_sender(sender: SmsSender | None) -> None:
    """Plug in an SMS provider (an insurer's gateway); without one, SMS stay in the outbox. The
    worker sends SMS: call this in a module listed in ESPACE_PLUGINS, which ``espace worker``
    imports."""
    global _sms_sender
    _sms_sender = sender


def sms_sender() -> SmsSender | None:
    return _sms_sender


def _queue(session: Session, message: OutboxMessage) -> OutboxMessage:
    """Write the message in the caller's transaction; the worker delivers it after the commit."""
    # The task lives with the delivery, which uses this module's senders: imported when first used.
    from espace.notifications.deliveries import deliver_message

    session.add(message)
    session.flush()
    jobs.enqueue_after_commit(session, deliver_message, message.id)
    return message


def send_email(
    *,
    session: Session,
    to: str,
    subject: str,
    body: str,
    account_id: int | None = None,
    category: str = "security",
) -> OutboxMessage:
    message = OutboxMessage(
        channel="email",
        recipient=to,
        subject=subject,
        body=body + email_signature(),
        account_id=account_id,
        category=category,
    )
    return _queue(session, message)


def send_email_template(
    *,
    session: Session,
    to: str,
    template: str,
    account_id: int | None = None,
    category: str = "security",
    **context: Any,
) -> OutboxMessage:
    """Queue the e-mail ``templates/email/<template>.txt`` rendered with ``context``."""
    email = messages.email(template, **context)
    return send_email(
        session=session,
        to=to,
        subject=email.subject,
        body=email.body,
        account_id=account_id,
        category=category,
    )


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
    return _queue(session, message)


def send_push(
    *,
    session: Session,
    holder_id: int,
    title: str,
    link: str = "",
    account_id: int | None = None,
    category: str = "security",
) -> OutboxMessage:
    """A Web Push to the holder's browsers: the title and the portal page only (the lock screen
    shows it; details stay behind the sign-in)."""
    message = OutboxMessage(
        channel="push",
        recipient=f"holder:{holder_id}",
        subject=title[:200],
        body=link[:200],
        account_id=account_id,
        category=category,
    )
    return _queue(session, message)


def link(path: str) -> str:
    return f"{get_settings().public_base_url}{path}"


def latest(*, session: Session, limit: int = 50) -> list[OutboxMessage]:
    from sqlmodel import select

    return list(
        session.exec(
            select(OutboxMessage)
            .where(OutboxMessage.channel != "push")
            .order_by(col(OutboxMessage.id).desc())
            .limit(limit)
        ).all()
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
