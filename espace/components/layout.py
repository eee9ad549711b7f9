"""The app shell: skip link, header with the holder's menu, navigation, main landmark.

Side navigation on desktop; a bottom tab bar on phones (<= 768 px), both from the same links
(see ``assets/espace.css``).
"""

from __future__ import annotations

import reflex as rx

from espace import routes
from espace.components.search_box import search_box
from espace.components.text import plural
from espace.state.session import SessionState

# Only pages that exist appear here.
NAV_ITEMS = [  # (route, label, short label for the phone tab bar (None: not in the tab bar), icon)
    (routes.DASHBOARD, "Tableau de bord", "Accueil", "layout-dashboard"),
    (routes.CONTRACTS, "Mes contrats", "Contrats", "file-text"),
    (routes.CLAIMS, "Mes sinistres", "Sinistres", "life-buoy"),
    (routes.PAYMENTS, "Mes paiements", "Paiements", "credit-card"),
    (
        routes.DOCUMENTS,
        "Mes documents",
        None,
        "folder-open",
    ),  # on phones: from the dashboard and contracts
    (routes.MESSAGES, "Mes messages", None, "mail"),  # on phones: in the account menu
    (routes.SECURITY, "Sécurité", None, "shield-check"),  # on phones: in the account menu
    (routes.PROFILE, "Mon profil", "Profil", "user-round"),
]


def brand() -> rx.Component:
    return rx.el.a(
        rx.el.span("E", class_name="brand-mark", aria_hidden="true"),
        rx.el.span("Espace", class_name="brand-name"),
        rx.el.span(" — accueil", class_name="sr-only"),
        href=routes.HOME,
        class_name="brand",
    )


def _nav_link(href: str, text: str, short: str | None, icon: str) -> rx.Component:
    return rx.el.a(
        rx.icon(icon, size=20, aria_hidden="true"),
        rx.el.span(text, class_name="nav-long"),
        rx.el.span(short or text, class_name="nav-short", aria_hidden="true"),
        href=href,
        class_name="nav-link" if short else "nav-link nav-desktop-only",
        aria_current=rx.cond(rx.State.router.page.path == href, "page", "false"),
    )


def user_menu() -> rx.Component:
    return rx.el.details(
        rx.el.summary(
            rx.icon("circle-user-round", size=22, aria_hidden="true"),
            rx.el.span(SessionState.holder_name, class_name="user-name"),
            rx.el.span(" — menu du compte", class_name="sr-only"),
            rx.icon("chevron-down", size=16, aria_hidden="true"),
            class_name="user-menu-button",
        ),
        rx.el.div(
            rx.el.a(
                rx.icon("user-round", size=18, aria_hidden="true"),
                "Mon profil",
                href=routes.PROFILE,
                class_name="menu-item",
            ),
            rx.el.a(
                rx.icon("shield-check", size=18, aria_hidden="true"),
                "Sécurité",
                href=routes.SECURITY,
                class_name="menu-item",
            ),
            rx.el.a(
                rx.icon("mail", size=18, aria_hidden="true"),
                "Messages",
                href=routes.MESSAGES,
                class_name="menu-item",
            ),
            rx.el.a(
                rx.icon("database", size=18, aria_hidden="true"),
                "Mes données",
                href=routes.PRIVACY,
                class_name="menu-item",
            ),
            rx.el.a(
                rx.icon("circle-help", size=18, aria_hidden="true"),
                "Aide",
                href=routes.HELP,
                class_name="menu-item",
            ),
            rx.el.button(
                rx.icon("log-out", size=18, aria_hidden="true"),
                "Se déconnecter",
                type="button",
                on_click=SessionState.logout,
                class_name="menu-item",
                id="logout",
            ),
            class_name="user-menu-panel",
        ),
        class_name="user-menu",
    )


def notification_bell() -> rx.Component:
    count = SessionState.unread_notifications
    return rx.el.a(
        rx.icon("bell", size=22, aria_hidden="true"),
        rx.cond(count > 0, rx.el.span(count, class_name="bell-count", aria_hidden="true")),
        rx.el.span(
            rx.cond(
                count > 0,
                "Notifications : " + plural(count, "non lue", "non lues"),
                "Notifications",
            ),
            class_name="sr-only",
        ),
        href=routes.NOTIFICATIONS,
        class_name="bell",
        id="notification-bell",
    )


def assistant_link() -> rx.Component:
    return rx.el.a(
        rx.icon("message-circle-question", size=22, aria_hidden="true"),
        rx.el.span("Assistant Espace", class_name="sr-only"),
        href=routes.ASSISTANT,
        class_name="bell",
        id="assistant-link",
        title="Assistant Espace",
        aria_current=rx.cond(rx.State.router.page.path == routes.ASSISTANT, "page", "false"),
    )


def site_footer(*, with_help: bool = False) -> rx.Component:
    """Every page's footer: the accessibility statement (the mention RGAA asks for), and help in
    the holder's portal."""
    return rx.el.footer(
        rx.el.a("Accessibilité : partiellement conforme", href=routes.ACCESSIBILITY),
        *([rx.el.a("Aide", href=routes.HELP)] if with_help else []),
        rx.el.span("Espace Assurances", class_name="muted"),
        class_name="site-footer",
    )


def app_shell(title: str, *children: rx.Component, subtitle: str | rx.Var = "") -> rx.Component:
    return rx.el.div(
        rx.el.a("Aller au contenu", href="#contenu", class_name="skip-link"),
        rx.el.header(
            brand(),
            search_box(),
            rx.el.div(
                assistant_link(), notification_bell(), user_menu(), class_name="topbar-actions"
            ),
            class_name="topbar",
        ),
        rx.el.div(
            rx.el.nav(
                *[_nav_link(href, text, short, icon) for href, text, short, icon in NAV_ITEMS],
                class_name="mainnav",
                aria_label="Navigation principale",
            ),
            rx.el.main(
                rx.el.h1(title, class_name="page-title"),
                *(
                    [rx.el.p(subtitle, class_name="page-subtitle")]
                    if isinstance(subtitle, rx.Var) or subtitle
                    else []
                ),
                *children,
                id="contenu",
                tab_index=-1,
                class_name="content",
            ),
            class_name="shell",
        ),
        site_footer(with_help=True),
        class_name="app",
        data_hydrated=rx.State.is_hydrated.to_string(),
    )


def loading(label: str = "Chargement…") -> rx.Component:
    return rx.el.p(label, class_name="loading", role="status")
