"""/profil: 'Mon profil', identity and contact details."""

from __future__ import annotations

import reflex as rx

from espace.components.layout import app_shell, loading
from espace.state.profile import ProfileState


def _row(label: str, value: rx.Var) -> rx.Component:
    return rx.el.div(rx.el.dt(label), rx.el.dd(value), class_name="fact")


def profile_page() -> rx.Component:
    return app_shell(
        "Mon profil",
        rx.cond(
            ProfileState.loaded,
            rx.el.div(
                rx.el.section(
                    rx.el.h2("Identité", class_name="card-title"),
                    rx.el.dl(
                        _row("Nom", ProfileState.civility_name),
                        _row("Date de naissance", ProfileState.birth_date),
                        class_name="facts facts-wide",
                    ),
                    class_name="card",
                ),
                rx.el.section(
                    rx.el.h2("Coordonnées", class_name="card-title"),
                    rx.el.dl(
                        _row("Adresse e-mail", ProfileState.email),
                        _row("Téléphone mobile", ProfileState.phone),
                        _row("Adresse postale", ProfileState.address),
                        class_name="facts facts-wide",
                    ),
                    class_name="card",
                ),
                class_name="stack",
            ),
            loading(),
        ),
        subtitle="Les informations que nous utilisons pour vos contrats et pour vous joindre.",
    )
