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
            rx.cond(
                item.link != "",
                rx.el.button(
                    "Voir",
                    type="button",
                    on_click=N.open_notice(item.id),
                    class_name="button-small",
                ),
            ),
            rx.cond(
                item.unread,
                rx.el.button(
                    "Marquer comme lue",
                    type="button",
                    on_click=N.mark_read(item.id),
                    class_name="button-link",
                ),
            ),
            class_name="button-row",
        ),
        class_name=rx.cond(item.unread, "card notice-item notice-unread", "card notice-item"),
    )


def _cell(cell) -> rx.Component:
    return rx.el.td(
        rx.el.input(
            type="checkbox",
            name=cell.name,
            default_checked=cell.checked,
            disabled=cell.locked,
            aria_label=cell.label,
            class_name="checkbox",
            value="on",
        )
    )


def preferences() -> rx.Component:
    return rx.el.section(
        rx.el.h2("Préférences de notification", class_name="card-title", id="preferences"),
        rx.el.p(
            "Choisissez comment être prévenu, thème par thème. Les alertes de sécurité (nouvel "
            "appareil, changement de mot de passe) vous sont toujours envoyées.",
            class_name="field-hint",
        ),
        rx.el.form(
            rx.el.div(
                rx.el.table(
                    rx.el.caption("Canaux par thème", class_name="sr-only"),
                    rx.el.thead(
                        rx.el.tr(
                            rx.el.th("Thème", scope="col"),
                            rx.foreach(
                                N.channel_labels, lambda label: rx.el.th(label, scope="col")
                            ),
                        )
                    ),
                    rx.el.tbody(
                        rx.foreach(
                            N.pref_rows,
                            lambda row: rx.el.tr(
                                rx.el.th(row.label, scope="row"),
                                rx.foreach(row.cells, _cell),
                                data_category=row.category,
                            ),
                        )
                    ),
                    class_name="table prefs-table",
                    id="prefs-table",
                ),
                class_name="table-wrap",
                tab_index=0,
                role="region",
                aria_label="Préférences par thème",
            ),
            rx.el.label(
                rx.el.input(
                    type="checkbox",
                    name="critical_only",
                    default_checked=N.critical_only,
                    class_name="checkbox",
                    id="critical-only",
                ),
                rx.el.span(
                    "Seulement l'essentiel : en dehors de mon espace, ne me prévenir que des "
                    "messages importants (sécurité, incidents de paiement, décisions sur mes "
                    "sinistres)."
                ),
                class_name="check-row",
            ),
            rx.el.button(
                "Enregistrer mes préférences",
                type="submit",
                class_name="button button-primary",
                id="save-prefs",
            ),
            rx.cond(
                N.prefs_message != "",
                rx.el.p(N.prefs_message, class_name="notice notice-ok", role="status"),
            ),
            on_submit=N.save_preferences,
            reset_on_submit=False,
            no_validate=True,
            key=N.prefs_version.to_string(),
            class_name="stack-sm",
        ),
        rx.cond(
            N.push_available,
            rx.el.div(
                rx.el.button(
                    "Activer les notifications sur cet appareil",
                    type="button",
                    class_name="button button-secondary",
                    on_click=N.subscribe_push,
                    id="push-subscribe",
                ),
                rx.cond(
                    N.push_message != "",
                    rx.el.p(N.push_message, class_name="field-hint", role="status"),
                ),
                class_name="button-row",
            ),
        ),
        class_name="card",
    )


def notifications_page() -> rx.Component:
    return app_shell(
        "Notifications",
        rx.cond(
            N.loaded,
            rx.el.div(
                rx.cond(
                    N.unread_notifications > 0,
                    rx.el.button(
                        "Tout marquer comme lu",
                        type="button",
                        on_click=N.mark_all_read,
                        class_name="button button-secondary",
                        id="mark-all-read",
                    ),
                ),
                rx.cond(
                    N.notices.length() == 0, rx.el.p("Aucune notification.", class_name="empty")
                ),
                rx.el.ul(
                    rx.foreach(N.notices, notice_row),
                    class_name="stack plain-list",
                    id="notifications",
                ),
                preferences(),
                class_name="stack",
            ),
            loading(),
        ),
        subtitle="Les étapes de vos sinistres et les messages de votre gestionnaire.",
    )
