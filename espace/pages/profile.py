"""/profil: 'Mon profil', identity and contact details."""

from __future__ import annotations

import reflex as rx

from espace.components.facts import fact
from espace.components.layout import app_shell, loading
from espace.state.profile import ProfileState



def profile_page() -> rx.Component:
    return app_shell(
        "Mon profil",
        rx.cond(
            ProfileState.loaded,
            rx.el.div(
                rx.el.section(
                    rx.el.h2("Identité", class_name="card-title"),
                    rx.el.dl(
                        fact("Nom", ProfileState.civility_name),
                        fact("Date de naissance", ProfileState.birth_date),
                        class_name="facts facts-wide",
                    ),
                    class_name="card",
                ),
                rx.el.section(
                    rx.el.h2("Coordonnées", class_name="card-title"),
                    rx.el.dl(
                        fact("Adresse e-mail", ProfileState.email),
                        fact("Téléphone mobile", ProfileState.phone),
                        fact("Adresse postale", ProfileState.address),
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
