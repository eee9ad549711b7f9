"""Public pages of the account flows: sign-up, activation, "not me" (getting an account back:
``pages/account_recovery.py``)."""

from __future__ import annotations

import reflex as rx

from espace import routes
from espace.components.forms import (
    form_alert,
    new_password_fields,
    notice,
    submit_button,
    text_field,
)
from espace.components.public import back_to_login, public_page
from espace.state.account_flows import LinkState, SignupState
from espace.state.meter import PasswordMeterState


def identity_fields(state) -> rx.Component:
    err = state.errors
    return rx.fragment(
        text_field(
            field_id="contract",
            label="Numéro de contrat",
            hint="Il figure sur vos conditions particulières : MRH suivi de 7 chiffres.",
            error=err.get("contract", ""),
            type="text",
            auto_capitalize="characters",
            auto_complete="off",
            max_length=14,
        ),
        text_field(
            field_id="last_name",
            label="Nom de famille",
            error=err.get("last_name", ""),
            type="text",
            auto_complete="family-name",
            max_length=100,
        ),
        text_field(
            field_id="birth_date",
            label="Date de naissance",
            error=err.get("birth_date", ""),
            type="date",
            auto_complete="bday",
            min="1900-01-01",
        ),
        text_field(
            field_id="postal_code",
            label="Code postal du logement assuré",
            error=err.get("postal_code", ""),
            type="text",
            input_mode="numeric",
            auto_complete="off",
            max_length=5,
        ),
    )


def signup_page() -> rx.Component:
    s = SignupState
    return public_page(
        "Créer mon espace",
        notice(s.notice),
        form_alert(s.form_error),
        rx.match(
            s.step,
            (
                "credentials",
                rx.el.form(
                    rx.el.p(
                        "Bonjour ",
                        s.holder_first_name,
                        ", votre contrat est bien reconnu. Choisissez maintenant vos identifiants.",
                        class_name="notice notice-ok",
                        role="status",
                    ),
                    text_field(
                        field_id="email",
                        label="Adresse e-mail",
                        hint="Elle vous servira d'identifiant.",
                        error=s.errors.get("email", ""),
                        type="email",
                        auto_complete="email",
                        max_length=254,
                    ),
                    new_password_fields(
                        state=PasswordMeterState,
                        password_error=s.errors.get("password", ""),
                        confirm_error=s.errors.get("confirm", ""),
                        password_label="Mot de passe",
                    ),
                    submit_button("Créer mon espace"),
                    on_submit=s.create,
                    reset_on_submit=False,
                    no_validate=True,
                    class_name="login-form",
                ),
            ),
            (
                "sent",
                rx.el.div(
                    rx.el.p(
                        "Dernière étape : nous avons envoyé un lien d'activation à ",
                        rx.el.strong(s.sent_to),
                        ". Il est valable 72 heures.",
                        class_name="notice notice-ok",
                        role="status",
                    ),
                    rx.el.p(
                        "Pensez à vérifier vos courriers indésirables.", class_name="field-hint"
                    ),
                    rx.el.button(
                        "Renvoyer l'e-mail",
                        type="button",
                        on_click=s.resend,
                        class_name="button button-secondary button-block",
                    ),
                ),
            ),
            rx.el.form(
                rx.el.p(
                    "Pour vérifier que vous êtes bien titulaire d'un contrat, saisissez ces "
                    "quatre informations.",
                    class_name="field-hint",
                ),
                identity_fields(s),
                submit_button("Continuer"),
                on_submit=s.check_identity,
                reset_on_submit=False,
                no_validate=True,
                class_name="login-form",
            ),
        ),
        back_to_login(),
        lead="Votre espace client est rattaché à votre contrat d'assurance habitation.",
    )


def activation_page() -> rx.Component:
    return public_page(
        "Activation de votre espace",
        rx.cond(
            LinkState.outcome == "invalid",
            rx.el.div(
                rx.el.p(
                    "Ce lien d'activation n'est plus valable : il a déjà servi ou il a expiré "
                    "(72 heures).",
                    class_name="form-error",
                    role="alert",
                ),
                rx.el.p(
                    "Connectez-vous avec votre adresse e-mail et votre mot de passe : vous "
                    "pourrez demander un nouveau lien.",
                    class_name="field-hint",
                ),
            ),
            rx.el.p("Activation en cours…", role="status", class_name="loading"),
        ),
        back_to_login(),
    )


def not_me_page() -> rx.Component:
    return public_page(
        "Connexion inhabituelle",
        rx.match(
            LinkState.outcome,
            (
                "ok",
                rx.el.div(
                    rx.el.p(
                        "Merci. Toutes les sessions de votre espace ont été fermées et votre mot "
                        "de passe a été désactivé.",
                        class_name="notice notice-ok",
                        role="status",
                    ),
                    rx.el.p(
                        "Nous venons de vous envoyer un e-mail pour choisir un nouveau mot de "
                        "passe. Activez ensuite la double authentification depuis la page "
                        "Sécurité.",
                        class_name="field-hint",
                    ),
                ),
            ),
            (
                "invalid",
                rx.el.p(
                    "Ce lien n'est plus valable. Si vous pensez que quelqu'un accède à votre "
                    "espace, réinitialisez votre mot de passe.",
                    class_name="form-error",
                    role="alert",
                ),
            ),
            rx.el.p("Sécurisation en cours…", role="status", class_name="loading"),
        ),
        rx.el.p(
            rx.el.a("Réinitialiser mon mot de passe", href=routes.FORGOT), class_name="card-links"
        ),
        back_to_login(),
    )
