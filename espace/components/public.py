"""The frame of public pages (login, sign-up, reset…): a centred card with the brand."""

from __future__ import annotations

import reflex as rx

from espace import routes
from espace.components.layout import brand, site_footer
from espace.core.settings import get_settings


def demo_banner() -> rx.Component:
    """Outside production, e-mails and SMS are not sent: say where to read them."""
    if get_settings().env == "prod":
        return rx.fragment()
    return rx.el.p(
        "Démonstration : les e-mails et SMS envoyés (liens, codes) sont dans la ",
        rx.el.a("boîte d'envoi de développement", href=routes.OUTBOX, target="_blank"),
        ".",
        class_name="demo-banner",
    )


def public_page(
    title: str, *children: rx.Component, lead: str = "", wide: bool = False
) -> rx.Component:
    return rx.el.div(
        rx.el.main(
            rx.el.div(brand(), class_name="login-brand"),
            rx.el.h1(title, class_name="login-title"),
            rx.el.p(lead, class_name="login-lead") if lead else rx.fragment(),
            *children,
            demo_banner(),
            class_name="login-card" + (" login-card-wide" if wide else ""),
            id="contenu",
        ),
        site_footer(),
        class_name="login-page",
        data_hydrated=rx.State.is_hydrated.to_string(),
    )


def back_to_login() -> rx.Component:
    return rx.el.p(rx.el.a("← Retour à la connexion", href="/connexion"), class_name="card-links")
