"""Public pages for getting an account back: forgotten password, new password, lost access to the
e-mail address."""

from __future__ import annotations

import reflex as rx

from espace import routes
from espace.components.forms import (
    code_field,
    form_alert,
    new_password_fields,
    submit_button,
    text_field,
)
from espace.components.public import back_to_login, public_page
from espace.pages.account_flows import identity_fields
from espace.state.account_flows import ForgotState, LostAccessState, ResetState
from espace.state.meter import PasswordMeterState


def forgot_page() -> rx.Component:
    s = ForgotState
    return public_page(
        "Mot de passe oublié",
        form_alert(s.form_error),
        rx.match(
            s.step,
            (
                "sent",
                rx.el.p(
                    "Si un espace correspond, un e-mail contenant un lien de réinitialisation "
                    "vient d'être envoyé à l'adresse enregistrée. Le lien est valable 24 heures.",
                    class_name="notice notice-ok",
                    role="status",
                ),
            ),
            (
                "sms",
                rx.el.form(
                    rx.el.p(
                        "Si un espace correspond et qu'un téléphone mobile est enregistré, un "
                        "code vient d'être envoyé par SMS. Il est valable 10 minutes.",
                        class_name="notice notice-ok",
                        role="status",
                    ),
                    code_field(field_id="code", label="Code reçu par SMS", error=s.code_error),
                    new_password_fields(
                        state=PasswordMeterState,
                        password_error=s.password_error,
                        confirm_error=s.confirm_error,
                    ),
                    submit_button("Enregistrer le nouveau mot de passe"),
                    on_submit=s.reset_by_code,
                    reset_on_submit=False,
                    no_validate=True,
                    class_name="login-form",
                ),
            ),
            rx.el.form(
                text_field(
                    field_id="identifier",
                    label="Adresse e-mail ou numéro de contrat",
                    error=s.identifier_error,
                    type="text",
                    auto_complete="username",
                    auto_capitalize="none",
                ),
                rx.el.fieldset(
                    rx.el.legend("Recevoir", class_name="field-label"),
                    rx.el.label(
                        rx.el.input(
                            type="radio",
                            name="channel",
                            value="email",
                            default_checked=True,
                            class_name="checkbox",
                        ),
                        "un lien par e-mail",
                        class_name="check-row",
                    ),
                    rx.el.label(
                        rx.el.input(
                            type="radio", name="channel", value="sms", class_name="checkbox"
                        ),
                        "un code par SMS sur mon mobile",
                        class_name="check-row",
                    ),
                    class_name="field fieldset",
                ),
                submit_button("Continuer"),
                on_submit=s.request,
                reset_on_submit=False,
                no_validate=True,
                class_name="login-form",
            ),
        ),
        rx.el.p(
            rx.el.a("Je n'ai plus accès à mon adresse e-mail", href=routes.LOST_ACCESS),
            class_name="card-links",
        ),
        back_to_login(),
        lead="Choisissez comment recevoir de quoi définir un nouveau mot de passe.",
    )


def reset_page() -> rx.Component:
    s = ResetState
    return public_page(
        "Nouveau mot de passe",
        form_alert(s.form_error),
        rx.cond(
            s.loaded,
            rx.cond(
                s.valid,
                rx.el.form(
                    new_password_fields(
                        state=PasswordMeterState,
                        password_error=s.password_error,
                        confirm_error=s.confirm_error,
                    ),
                    submit_button("Enregistrer"),
                    on_submit=s.save,
                    reset_on_submit=False,
                    no_validate=True,
                    class_name="login-form",
                ),
                rx.el.div(
                    rx.el.p(
                        "Ce lien n'est plus valable : il a déjà servi ou il a expiré (24 heures).",
                        class_name="form-error",
                        role="alert",
                    ),
                    rx.el.a(
                        "Demander un nouveau lien",
                        href=routes.FORGOT,
                        class_name="button button-primary",
                    ),
                ),
            ),
            rx.el.p("Vérification du lien…", role="status", class_name="loading"),
        ),
        back_to_login(),
    )


def lost_access_page() -> rx.Component:
    s = LostAccessState
    return public_page(
        "Je n'ai plus accès à mon e-mail",
        form_alert(s.form_error),
        rx.match(
            s.step,
            (
                "sms",
                rx.el.form(
                    rx.el.p(
                        "Un code vient d'être envoyé par SMS au ",
                        rx.el.strong(s.masked_phone),
                        ". Saisissez-le, puis votre nouvelle adresse e-mail et un nouveau mot "
                        "de passe.",
                        class_name="notice notice-ok",
                        role="status",
                    ),
                    code_field(
                        field_id="code", label="Code reçu par SMS", error=s.errors.get("code", "")
                    ),
                    text_field(
                        field_id="email",
                        label="Nouvelle adresse e-mail",
                        error=s.errors.get("email", ""),
                        type="email",
                        auto_complete="email",
                        max_length=254,
                    ),
                    new_password_fields(
                        state=PasswordMeterState,
                        password_error=s.errors.get("password", ""),
                        confirm_error=s.errors.get("confirm", ""),
                    ),
                    submit_button("Récupérer mon accès"),
                    on_submit=s.finish,
                    reset_on_submit=False,
                    no_validate=True,
                    class_name="login-form",
                ),
            ),
            (
                "request",
                rx.el.p(
                    "Votre demande est enregistrée. Aucun téléphone n'étant enregistré sur votre "
                    "dossier, un conseiller vérifiera votre identité et vous recontactera sous 48 "
                    "heures.",
                    class_name="notice notice-ok",
                    role="status",
                ),
            ),
            (
                "done",
                rx.el.div(
                    rx.el.p(
                        "C'est fait : votre nouvelle adresse e-mail et votre nouveau mot de "
                        "passe sont enregistrés.",
                        class_name="notice notice-ok",
                        role="status",
                    ),
                    rx.el.a(
                        "Me connecter",
                        href=routes.LOGIN,
                        class_name="button button-primary button-block",
                    ),
                ),
            ),
            rx.el.form(
                rx.el.p(
                    "Vérifions votre identité à partir de votre contrat.", class_name="field-hint"
                ),
                identity_fields(s),
                text_field(
                    field_id="contact_email",
                    label="Adresse e-mail où vous joindre (facultatif)",
                    hint="Utile si un conseiller doit vous recontacter.",
                    type="email",
                    auto_complete="email",
                    max_length=254,
                ),
                submit_button("Continuer"),
                on_submit=s.check_identity,
                reset_on_submit=False,
                no_validate=True,
                class_name="login-form",
            ),
        ),
        back_to_login(),
    )
