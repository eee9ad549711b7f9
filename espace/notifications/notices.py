"""Notifications to a holder: an in-app notice (the bell), an e-mail, an SMS and a Web Push,
each as the holder's preferences allow (see ``preferences``).

Every feature that tells a holder something goes through ``notify`` so that the channels are
chosen in one place."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlmodel import Session, col, func, select

from espace.core.models import utcnow
from espace.identity.models import Account, Policyholder
from espace.notifications import outbox, preferences, push
from espace.notifications.models import Notification, NotificationCategory

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Sent:
    notification: (
        Notification | None
    )  # None when the holder turned the in-app notice off for this category
    emailed: bool
    texted: bool = False
    pushed: int = 0  # browsers that accepted the push


def notify(
    *,
    session: Session,
    holder_id: int,
    category: NotificationCategory | str,
    title: str,
    body: str = "",
    link: str = "",
    email_subject: str = "",
    email_body: str = "",
    sms_body: str = "",
    critical: bool = False,
) -> Sent:
    """Tell the holder on the channels their preferences allow for this category.

    In-app: always for security and critical notices. E-mail: when an e-mail body is given, to the
    active account's address. SMS: when an SMS text is given and the holder has a phone. Push: to
    the browsers the holder subscribed, when VAPID keys are configured."""
    category = str(category)
    prefs = preferences.settings_for(session=session, holder_id=holder_id)

    def wants(channel: str) -> bool:
        return preferences.decide(prefs, category=category, channel=channel, critical=critical)

    notice = None
    if wants("in_app"):
        notice = Notification(
            holder_id=holder_id,
            category=category,
            title=title[:200],
            body=body[:1000],
            link=link[:200],
            critical=critical,
        )
        session.add(notice)
    account = session.exec(
        select(Account).where(Account.holder_id == holder_id, Account.is_active)
    ).first()
    emailed = bool(email_body) and account is not None and wants("email")
    if emailed and account is not None:
        outbox.send_email(
            session=session,
            to=account.email,
            subject=email_subject or title,
            body=email_body,
            account_id=account.id,
            category=category,
        )
    texted = False
    if sms_body and wants("sms"):
        holder = session.get(Policyholder, holder_id)
        if holder is not None and holder.phone:
            outbox.send_sms(
                session=session,
                to=holder.phone,
                body=sms_body,
                account_id=account.id if account else None,
                category=category,
            )
            texted = True
    session.flush()
    pushed = 0
    if push.configured() and wants("push"):
        # An outbox row like the e-mail: the worker sends it after the commit (a rolled-back change
        # is never announced, and no network call holds the request); the lock screen shows the
        # title only.
        outbox.send_push(
            session=session,
            holder_id=holder_id,
            title=title,
            link=link,
            account_id=account.id if account else None,
            category=category,
        )
        pushed = 1
    return Sent(notice, emailed, texted, pushed)


def unread_count(*, session: Session, holder_id: int) -> int:
    return session.exec(
        select(func.count())
        .select_from(Notification)
        .where(Notification.holder_id == holder_id, col(Notification.read_at).is_(None))
    ).one()


def latest(*, session: Session, holder_id: int, limit: int = 50) -> list[Notification]:
    return list(
        session.exec(
            select(Notification)
            .where(Notification.holder_id == holder_id)
            .order_by(col(Notification.created_at).desc(), col(Notification.id).desc())
            .limit(limit)
        ).all()
    )


def mark_read(*, session: Session, holder_id: int, notification_id: int) -> Notification | None:
    notice = session.exec(
        select(Notification).where(
            Notification.id == notification_id, Notification.holder_id == holder_id
        )
    ).first()
    if notice is not None and notice.read_at is None:
        notice.read_at = utcnow()
        session.add(notice)
    return notice


def mark_all_read(*, session: Session, holder_id: int) -> int:
    notices = session.exec(
        select(Notification).where(
            Notification.holder_id == holder_id, col(Notification.read_at).is_(None)
        )
    ).all()
    now = utcnow()
    for notice in notices:
        notice.read_at = now
        session.add(notice)
    return len(notices)
