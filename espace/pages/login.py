"""/connexion: sign in with e-mail or contract number."""

from __future__ import annotations

import reflex as rx

from espace.components.layout import brand
from espace.state.login import LoginState


def field_error(message: rx.Var, field_id: str) -> rx.Component:
    return rx.cond(
        message != "",
        rx.el.p(rx.icon("circle-alert", size=16, aria_hidden="true"), message, id=f"{field_id}-error",
                class_name="field-error"),
    )


def text_field(*, field_id: str, label: str, error: rx.Var, hint: str = "", **input_props) -> rx.Component:
    described = " ".join(x for x in (f"{field_id}-hint" if hint else "", f"{field_id}-error") if x)
    return rx.el.div(
        rx.el.label(label, html_for=field_id, class_name="field-label"),
        rx.el.p(hint, id=f"{field_id}-hint", class_name="field-hint") if hint else rx.fragment(),
        rx.el.input(
            id=field_id,
            name=field_id,
            class_name="field-input",
            aria_invalid=rx.cond(error != "", "true", "false"),
            aria_describedby=described,
            **input_props,
        ),
        field_error(error, field_id),
        class_name="field",
    )


def login_page() -> rx.Component:
    return rx.el.div(
        rx.el.main(
            rx.el.div(brand(), class_name="login-brand"),
            rx.el.h1("Connexion à votre espace", class_name="login-title"),
            rx.el.p("Suivez vos contrats, vos sinistres et vos documents en toute sécurité.",
                    class_name="login-lead"),
            rx.cond(LoginState.notice != "", rx.el.p(LoginState.notice, class_name="notice", role="status")),
            rx.cond(
                LoginState.form_error != "",
                rx.el.div(rx.icon("circle-alert", size=18, aria_hidden="true"), LoginState.form_error,
                          class_name="form-error", role="alert", id="login-error"),
            ),
            rx.el.form(
                text_field(
                    field_id="identifier",
                    label="Adresse e-mail ou numéro de contrat",
                    hint="Exemple : nom@exemple.fr ou MRH1234567",
                    error=LoginState.identifier_error,
                    type="text",
                    auto_complete="username",
                    auto_capitalize="none",
                    spell_check=False,
                ),
                text_field(
                    field_id="password",
                    label="Mot de passe",
                    error=LoginState.password_error,
                    type="password",
                    auto_complete="current-password",
                ),
                rx.el.button(
                    rx.cond(LoginState.busy, "Connexion…", "Se connecter"),
                    type="submit",
                    class_name="button button-primary button-block",
                    disabled=LoginState.busy,
                ),
                on_submit=LoginState.submit,
                reset_on_submit=False,
                class_name="login-form",
                no_validate=True,
            ),
            rx.el.p(
                "Vos données sont protégées : la connexion est chiffrée et votre session se ferme "
                "après 30 minutes d'inactivité.",
                class_name="login-footnote",
            ),
            class_name="login-card",
            id="contenu",
        ),
        class_name="login-page",
    )
