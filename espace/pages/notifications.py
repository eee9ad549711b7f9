"""The notification centre: what happened on the holder's claims, payments, documents, security."""

from __future__ import annotations

import reflex as rx

from espace.components.layout import app_shell, loading
from espace.state.notifications import NoticeView, NotificationsState

N = NotificationsState


def notice_row(item: NoticeView) -> rx.Component:
    return rx.el.li(
        rx.el.div(
            rx.el.span(item.category, class_name="badge"),
            rx.cond(item.unread, rx.el.span("Non lue", class_name="badge badge-warn")),
            rx.el.span(item.date, class_name="field-hint"),
            class_name="button-row",
        ),
        rx.el.p(rx.el.strong(item.title)),
        rx.cond(item.body != "", rx.el.p(item.body)),
        rx.el.div(
            rx.cond(item.link != "", rx.el.button("Voir", type="button", on_click=N.open_notice(item.id), class_name="button-small")),
            rx.cond(item.unread, rx.el.button("Marquer comme lue", type="button", on_click=N.mark_read(item.id),
                                              class_name="button-link")),
            class_name="button-row",
        ),
        class_name=rx.cond(item.unread, "card notice-item notice-unread", "card notice-item"),
    )


def notifications_page() -> rx.Component:
    return app_shell(
        "Notifications",
        rx.cond(N.loaded, rx.el.div(
            rx.cond(N.unread_notifications > 0,
                    rx.el.button("Tout marquer comme lu", type="button", on_click=N.mark_all_read,
                                 class_name="button button-secondary", id="mark-all-read")),
            rx.cond(N.notices.length() == 0, rx.el.p("Aucune notification.", class_name="empty")),
            rx.el.ul(rx.foreach(N.notices, notice_row), class_name="stack plain-list", id="notifications"),
            class_name="stack",
        ), loading()),
        subtitle="Les étapes de vos sinistres et les messages de votre gestionnaire.",
    )
