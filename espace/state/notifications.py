"""The holder's notifications: the list behind the bell, marking them read."""

from __future__ import annotations

import dataclasses

import reflex as rx

from espace import formatting as fmt
from espace.db import session_scope
from espace.services import notifications
from espace.state.session import SessionState

CATEGORY_LABELS = {"claims": "Sinistres", "payments": "Paiements", "documents": "Documents", "security": "Sécurité",
                   "prevention": "Prévention", "offers": "Offres"}


@dataclasses.dataclass
class NoticeView:
    id: int = 0
    category: str = ""
    title: str = ""
    body: str = ""
    link: str = ""
    date: str = ""
    unread: bool = False


class NotificationsState(SessionState):
    loaded: bool = False
    notices: list[NoticeView] = []

    @rx.event
    def load(self):
        holder_id = self._holder_id()
        if holder_id is None:
            return self._to_login()
        self._refresh(holder_id)
        self.loaded = True
        return None

    def _refresh(self, holder_id: int) -> None:
        self._load_header(holder_id)
        with session_scope() as db:
            rows = notifications.latest(session=db, holder_id=holder_id, limit=100)
            self.notices = [NoticeView(id=n.id, category=CATEGORY_LABELS.get(n.category, n.category), title=n.title,
                                       body=n.body, link=n.link, date=fmt.datetime_fr(n.created_at), unread=n.read_at is None)
                            for n in rows]

    @rx.event
    def open_notice(self, notification_id: int):
        """Mark as read, then go to the object it is about (only an internal page of ours)."""
        holder_id = self._holder_id()
        if holder_id is None:
            return self._to_login()
        with session_scope() as db:
            notice = notifications.mark_read(session=db, holder_id=holder_id, notification_id=int(notification_id))
            link = notice.link if notice is not None and notice.link.startswith("/") and not notice.link.startswith("//") else ""
        self._refresh(holder_id)
        return rx.redirect(link) if link else None

    @rx.event
    def mark_read(self, notification_id: int):
        holder_id = self._holder_id()
        if holder_id is None:
            return self._to_login()
        with session_scope() as db:
            notifications.mark_read(session=db, holder_id=holder_id, notification_id=int(notification_id))
        self._refresh(holder_id)
        return None

    @rx.event
    def mark_all_read(self):
        holder_id = self._holder_id()
        if holder_id is None:
            return self._to_login()
        with session_scope() as db:
            notifications.mark_all_read(session=db, holder_id=holder_id)
        self._refresh(holder_id)
        return None
