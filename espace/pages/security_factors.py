"""/securite: the second factor (authenticator app, recovery codes) and the mobile phone."""

from __future__ import annotations

import reflex as rx

from espace.components.forms import code_field, submit_button
from espace.components.stepup import step_up_panel
from espace.state.security import SecurityState

S = SecurityState


def two_factor_card() -> rx.Component:
    enrol = rx.el.div(
        rx.el.ol(
            rx.el.li(
                "Ouvrez votre application d'authentification (Google Authenticator, Microsoft "
                "Authenticator, FreeOTP, Aegis…)."
            ),
            rx.el.li("Scannez ce QR code, ou saisissez la clé à la main."),
            rx.el.li("Saisissez le code à 6 chiffres affiché pour confirmer."),
            class_name="steps",
        ),
        rx.el.div(
            rx.el.img(
                src=S.enrol_qr,
                alt="QR code à scanner avec votre application d'authentification",
                class_name="qr",
                width=200,
                height=200,
            ),
            rx.el.div(
                rx.el.p("Clé de configuration", class_name="field-label"),
                rx.el.code(S.enrol_key, class_name="secret-key", id="totp-key"),
            ),
            class_name="enrol-grid",
        ),
        rx.el.form(
            code_field(
                field_id="totp_code", label="Code affiché par l'application", error=S.enrol_error
            ),
            rx.el.div(
                submit_button("Valider le code", block=False),
                rx.el.button(
                    "Annuler",
                    type="button",
                    on_click=S.cancel_totp,
                    class_name="button button-secondary",
                ),
                class_name="button-row",
            ),
            on_submit=S.confirm_totp,
            reset_on_submit=True,
            no_validate=True,
        ),
        class_name="enrol",
    )
    return rx.el.section(
        rx.el.h2("Double authentification", class_name="card-title"),
        rx.cond(
            S.app_factor_on,
            rx.el.div(
                rx.el.p(
                    rx.icon("shield-check", size=18, aria_hidden="true"),
                    "Application d'authentification activée",
                    class_name="status-ok",
                ),
                rx.el.button(
                    "Désactiver",
                    type="button",
                    on_click=S.ask_disable_totp,
                    class_name="button button-secondary",
                ),
            ),
            rx.cond(
                S.enrolling,
                enrol,
                rx.el.div(
                    rx.el.p(
                        "Sans application, un code vous est envoyé par e-mail à chaque connexion "
                        "depuis un nouvel appareil. Avec une application, vous êtes protégé(e) "
                        "même si votre messagerie est piratée.",
                        class_name="field-hint",
                    ),
                    rx.el.button(
                        "Configurer une application",
                        type="button",
                        on_click=S.start_totp,
                        class_name="button button-primary",
                    ),
                ),
            ),
        ),
        rx.el.div(
            rx.el.h3("Codes de secours", class_name="card-subtitle"),
            rx.el.p(
                "Ils vous permettent de vous connecter si vous perdez votre téléphone. Chacun "
                "ne sert qu'une fois. ",
                rx.cond(
                    S.codes_left > 0,
                    rx.el.span("Codes restants : ", rx.el.strong(S.codes_left.to_string()), "."),
                    rx.el.span("Aucun code généré."),
                ),
                class_name="field-hint",
            ),
            rx.cond(
                S.shown_codes.length() > 0,
                rx.el.div(
                    rx.el.ul(
                        rx.foreach(S.shown_codes, lambda c: rx.el.li(rx.el.code(c))),
                        class_name="codes",
                        id="recovery-codes",
                    ),
                    rx.el.button(
                        "J'ai noté mes codes",
                        type="button",
                        on_click=S.hide_codes,
                        class_name="button button-secondary",
                    ),
                ),
                rx.el.button(
                    rx.cond(
                        S.codes_left > 0,
                        "Générer de nouveaux codes",
                        "Générer mes codes de secours",
                    ),
                    type="button",
                    on_click=S.ask_recovery_codes,
                    class_name="button button-secondary",
                ),
            ),
        ),
        step_up_panel(S, besides=("password",)),
        class_name="card",
        id="double-authentification",
    )


def phone_card() -> rx.Component:
    return rx.el.section(
        rx.el.h2("Téléphone mobile", class_name="card-title"),
        rx.cond(
            S.phone_masked == "",
            rx.el.p("Aucun numéro de mobile n'est enregistré.", class_name="field-hint"),
            rx.el.div(
                rx.el.p(
                    "Numéro : ",
                    rx.el.strong(S.phone_masked),
                    " — ",
                    rx.cond(
                        S.phone_verified,
                        rx.el.span("vérifié", class_name="status-ok"),
                        rx.el.span("non vérifié", class_name="status-todo"),
                    ),
                ),
                rx.cond(
                    S.awaiting_phone_check,
                    rx.el.form(
                        code_field(
                            field_id="phone_code", label="Code reçu par SMS", error=S.phone_error
                        ),
                        submit_button("Vérifier", block=False),
                        on_submit=S.confirm_phone,
                        reset_on_submit=True,
                        no_validate=True,
                    ),
                    rx.cond(
                        ~S.phone_verified,
                        rx.el.button(
                            "Vérifier mon numéro",
                            type="button",
                            on_click=S.send_phone_code,
                            class_name="button button-secondary",
                        ),
                    ),
                ),
            ),
        ),
        class_name="card",
    )
