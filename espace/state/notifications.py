"""The holder's notifications: the list behind the bell, marking them read."""

from __future__ import annotations

import dataclasses

import reflex as rx

from espace.core import formatting as fmt
from espace.core.db import session_scope
from espace.identity.sessions import Principal
from espace.notifications import notices as notifications
from espace.notifications import preferences as prefs
from espace.state.handlers import holder_event
from espace.state.session import SessionState


@dataclasses.dataclass
class NoticeView:
    id: int = 0
    category: str = ""
    title: str = ""
    body: str = ""
    link: str = ""
    date: str = ""
    unread: bool = False


@dataclasses.dataclass
class PrefCell:
    name: str = ""  # form field: "<category>.<channel>"
    label: str = ""  # for screen readers: "Sinistres par e-mail"
    checked: bool = False
    locked: bool = False


@dataclasses.dataclass
class PrefRow:
    category: str = ""
    label: str = ""
    cells: list[PrefCell] = dataclasses.field(default_factory=list)


class NotificationsState(SessionState):
    loaded: bool = False
    notices: list[NoticeView] = []
    pref_rows: list[PrefRow] = []
    channel_labels: list[str] = []
    critical_only: bool = False
    prefs_version: int = 0
    prefs_message: str = ""
    push_available: bool = False
    push_message: str = ""

    @holder_event
    def load(self, me: Principal):
        holder_id = me.holder_id
        self._refresh(holder_id)
        self.loaded = True
        return None

    def _refresh(self, holder_id: int) -> None:
        from espace.notifications import push

        self._load_header(holder_id)
        with session_scope() as db:
            current = prefs.settings_for(session=db, holder_id=holder_id)
        self.channel_labels = [prefs.CHANNEL_LABELS[c] for c in prefs.CHANNELS]
        self.critical_only = current.critical_only
        self.pref_rows = [
            PrefRow(
                category,
                prefs.CATEGORY_LABELS[category],
                [
                    PrefCell(
                        f"{category}.{channel}",
                        f"{prefs.CATEGORY_LABELS[category]} : {prefs.CHANNEL_LABELS[channel]}",
                        current.matrix[category][channel],
                        prefs.is_locked(category, channel),
                    )
                    for channel in prefs.CHANNELS
                ],
            )
            for category in prefs.CATEGORIES
        ]
        self.push_available = push.configured()
        with session_scope() as db:
            rows = notifications.latest(session=db, holder_id=holder_id, limit=100)
            self.notices = [
                NoticeView(
                    id=n.id,
                    category=prefs.SHORT_CATEGORY_LABELS.get(n.category, n.category),
                    title=n.title,
                    body=n.body,
                    link=n.link,
                    date=fmt.datetime_fr(n.created_at),
                    unread=n.read_at is None,
                )
                for n in rows
            ]

    @holder_event
    def open_notice(self, me: Principal, notification_id: int):
        """Mark as read, then go to the object it is about (only an internal page of ours)."""
        holder_id = me.holder_id
        with session_scope() as db:
            notice = notifications.mark_read(
                session=db, holder_id=holder_id, notification_id=int(notification_id)
            )
            link = (
                notice.link
                if notice is not None
                and notice.link.startswith("/")
                and not notice.link.startswith("//")
                else ""
            )
        self._refresh(holder_id)
        return rx.redirect(link) if link else None

    @holder_event
    def mark_read(self, me: Principal, notification_id: int):
        holder_id = me.holder_id
        with session_scope() as db:
            notifications.mark_read(
                session=db, holder_id=holder_id, notification_id=int(notification_id)
            )
        self._refresh(holder_id)
        return None

    @holder_event
    def save_preferences(self, me: Principal, form: dict):
        holder_id = me.holder_id
        matrix = {
            category: {
                channel: bool(form.get(f"{category}.{channel}")) for channel in prefs.CHANNELS
            }
            for category in prefs.CATEGORIES
        }
        with session_scope() as db:
            prefs.save(
                session=db,
                holder_id=holder_id,
                matrix=matrix,
                critical_only=bool(form.get("critical_only")),
            )
        self.prefs_message = "Vos préférences sont enregistrées."
        self.prefs_version += 1
        self._refresh(holder_id)
        return None

    @rx.event
    def subscribe_push(self):
        """The browser subscribes (assets/pwa.js) and posts its subscription to
        /api/push/abonnement."""
        return rx.call_script(
            "window.espacePush ? window.espacePush.subscribe() : "
            "Promise.resolve('Votre navigateur ne permet pas les notifications.')",
            callback=NotificationsState.push_done,
        )

    @rx.event
    def push_done(self, message: str):
        self.push_message = str(message or "")[:200]

    @holder_event
    def mark_all_read(self, me: Principal):
        holder_id = me.holder_id
        with session_scope() as db:
            notifications.mark_all_read(session=db, holder_id=holder_id)
        self._refresh(holder_id)
        return None
