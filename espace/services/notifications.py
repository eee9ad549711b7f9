"""Notifications to a holder: an in-app notice (the bell) and, where wanted, an e-mail.

Every feature that tells a holder something goes through ``notify`` so that the channels are
chosen in one place."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, func, select

from espace.models import Account, Notification, NotificationCategory
from espace.models.base import utcnow
from espace.services import messaging


@dataclass(frozen=True)
class Sent:
    notification: Notification
    emailed: bool


def notify(*, session: Session, holder_id: int, category: NotificationCategory | str, title: str, body: str = "",
           link: str = "", email_subject: str = "", email_body: str = "") -> Sent:
    """Record the in-app notice; e-mail the holder's account address when an e-mail body is given."""
    notice = Notification(holder_id=holder_id, category=str(category), title=title[:200], body=body[:1000], link=link[:200])
    session.add(notice)
    emailed = False
    account = session.exec(select(Account).where(Account.holder_id == holder_id, Account.is_active)).first()
    if email_body and account is not None:
        messaging.send_email(session=session, to=account.email, subject=email_subject or title, body=email_body,
                             account_id=account.id, category=str(category))
        emailed = True
    session.flush()
    return Sent(notice, emailed)


def unread_count(*, session: Session, holder_id: int) -> int:
    return session.exec(select(func.count()).select_from(Notification)
                        .where(Notification.holder_id == holder_id, Notification.read_at.is_(None))).one()


def latest(*, session: Session, holder_id: int, limit: int = 50) -> list[Notification]:
    return list(session.exec(select(Notification).where(Notification.holder_id == holder_id)
                             .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit)).all())


def mark_read(*, session: Session, holder_id: int, notification_id: int) -> Notification | None:
    notice = session.exec(select(Notification).where(Notification.id == notification_id,
                                                     Notification.holder_id == holder_id)).first()
    if notice is not None and notice.read_at is None:
        notice.read_at = utcnow()
        session.add(notice)
    return notice


def mark_all_read(*, session: Session, holder_id: int) -> int:
    notices = session.exec(select(Notification).where(Notification.holder_id == holder_id,
                                                      Notification.read_at.is_(None))).all()
    now = utcnow()
    for notice in notices:
        notice.read_at = now
        session.add(notice)
    return len(notices)
