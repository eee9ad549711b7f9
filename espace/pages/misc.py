"""The root redirect and the 404 page."""

from __future__ import annotations

import reflex as rx

from espace import routes
from espace.components.layout import brand


def home_page() -> rx.Component:
    return rx.el.main(
        rx.el.p("Redirection…", role="status", class_name="loading"),
        class_name="login-page",
        data_hydrated=rx.State.is_hydrated.to_string(),
    )


def not_found_page() -> rx.Component:
    return rx.el.div(
        rx.el.main(
            rx.el.div(brand(), class_name="login-brand"),
            rx.el.h1("Page introuvable", class_name="login-title"),
            rx.el.p("La page demandée n'existe pas ou a été déplacée.", class_name="login-lead"),
            rx.el.a("Retour à l'accueil", href=routes.HOME, class_name="button button-primary"),
            class_name="login-card",
            id="contenu",
        ),
        class_name="login-page",
        data_hydrated=rx.State.is_hydrated.to_string(),
    )
