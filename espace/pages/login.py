"""/connexion: sign in with e-mail or contract number, then a second factor when needed."""

from __future__ import annotations

import reflex as rx

from espace import routes
from espace.components.forms import code_field, form_alert, notice, submit_button, text_field
from espace.components.public import public_page
from espace.state.login import LoginState


def password_step() -> rx.Component:
    return rx.fragment(
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
            rx.el.p(rx.el.a("Mot de passe oublié ?", href=routes.FORGOT), class_name="field-aside"),
            submit_button("Se connecter", busy=LoginState.busy, busy_label="Connexion…"),
            on_submit=LoginState.submit,
            reset_on_submit=False,
            no_validate=True,
            class_name="login-form",
        ),
        rx.cond(
            LoginState.can_resend_activation,
            rx.el.button(
                "Renvoyer l'e-mail d'activation",
                type="button",
                on_click=LoginState.resend_activation,
                class_name="button button-secondary button-block",
            ),
        ),
        rx.el.div(
            rx.el.p("Première visite ? ", rx.el.a("Créer mon espace", href=routes.SIGNUP)),
            rx.el.p(rx.el.a("Je n'ai plus accès à mon adresse e-mail", href=routes.LOST_ACCESS)),
            class_name="card-links",
        ),
    )


def second_factor_step() -> rx.Component:
    return rx.fragment(
        rx.el.h2("Vérification en deux étapes", class_name="step-title"),
        rx.el.p(LoginState.method_help, class_name="field-hint", id="method-help"),
        rx.el.form(
            code_field(
                field_id="code",
                label=rx.cond(
                    LoginState.method == "recovery", "Code de secours", "Code de vérification"
                ),
                error=LoginState.code_error,
            ),
            rx.el.label(
                rx.el.input(type="checkbox", name="trust", value="1", class_name="checkbox"),
                rx.el.span("Faire confiance à cet appareil pendant 30 jours"),
                class_name="check-row",
            ),
            submit_button("Valider", busy=LoginState.busy, busy_label="Connexion…"),
            on_submit=LoginState.verify,
            reset_on_submit=True,
            no_validate=True,
            class_name="login-form",
        ),
        rx.cond(
            (LoginState.method == "email") | (LoginState.method == "sms"),
            rx.el.button(
                "Renvoyer un code",
                type="button",
                on_click=LoginState.resend_code,
                class_name="button button-link",
            ),
        ),
        rx.cond(
            LoginState.method_choices.length() > 0,
            rx.el.div(
                rx.el.p("Autre moyen :", class_name="field-hint"),
                rx.foreach(
                    LoginState.method_choices,
                    lambda choice: rx.el.button(
                        choice[1],
                        type="button",
                        on_click=LoginState.choose_method(choice[0]),
                        class_name="button button-secondary button-block",
                    ),
                ),
                class_name="stack-sm",
            ),
        ),
        rx.el.button(
            "← Revenir à l'identifiant",
            type="button",
            on_click=LoginState.back,
            class_name="button button-link",
        ),
    )


def login_page() -> rx.Component:
    return public_page(
        "Connexion à votre espace",
        notice(LoginState.notice),
        form_alert(LoginState.form_error, element_id="login-error"),
        rx.cond(LoginState.step == "second_factor", second_factor_step(), password_step()),
        rx.el.p(
            "Vos données sont protégées : la connexion est chiffrée et votre session se ferme "
            "après 30 minutes d'inactivité.",
            class_name="login-footnote",
        ),
        lead="Suivez vos contrats, vos sinistres et vos documents en toute sécurité.",
    )
