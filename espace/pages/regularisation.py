"""The card regularisation of a rejected debit."""

from __future__ import annotations

import reflex as rx

from espace import routes
from espace.billing.card_payments import TEST_CARDS
from espace.components.forms import submit_button, text_field
from espace.components.layout import app_shell, loading
from espace.state.regularisation import RegularisationState

R = RegularisationState


def card_form() -> rx.Component:
    err = R.errors
    return rx.el.form(
        text_field(
            field_id="card_holder",
            label="Nom sur la carte",
            error=err.get("card_holder", ""),
            auto_complete="cc-name",
        ),
        text_field(
            field_id="card_number",
            label="Numéro de carte",
            error=err.get("card_number", ""),
            auto_complete="cc-number",
            input_mode="numeric",
            max_length=23,
        ),
        rx.el.div(
            text_field(
                field_id="card_expiry",
                label="Date d'expiration (MM/AA)",
                error=err.get("card_expiry", ""),
                auto_complete="cc-exp",
                max_length=7,
                placeholder="MM/AA",
            ),
            text_field(
                field_id="card_cvc",
                label="Cryptogramme",
                error=err.get("card_cvc", ""),
                auto_complete="cc-csc",
                input_mode="numeric",
                max_length=4,
                hint="3 chiffres au dos de la carte.",
            ),
            class_name="grid-2",
        ),
        submit_button(rx.el.span("Payer ", R.amount), block=False, id="pay"),
        on_submit=R.pay,
        reset_on_submit=False,
        no_validate=True,
        key=R.form_version.to_string(),
        class_name="stack-sm",
    )


def secure_step() -> rx.Component:
    return rx.el.section(
        rx.el.h2("Authentification de votre banque (3-D Secure)", class_name="card-title"),
        rx.el.p(R.challenge, class_name="field-hint"),
        rx.el.form(
            text_field(
                field_id="secure_code",
                label="Code de confirmation",
                error=err_or_empty(),
                input_mode="numeric",
                auto_complete="one-time-code",
                max_length=12,
            ),
            submit_button("Confirmer le paiement", block=False, id="confirm-3ds"),
            on_submit=R.confirm,
            reset_on_submit=True,
            no_validate=True,
        ),
        class_name="card",
        id="secure-step",
    )


def err_or_empty():
    return R.errors.get("secure_code", "")


def test_cards_help() -> rx.Component:
    return rx.el.details(
        rx.el.summary("Cartes de test (prestataire de paiement de démonstration)"),
        rx.el.ul(
            *[
                rx.el.li(rx.el.span(number, class_name="mono"), " — ", text)
                for number, text in TEST_CARDS
            ]
        ),
        class_name="field-hint",
    )


def regularisation_page() -> rx.Component:
    return app_shell(
        "Régulariser un paiement",
        rx.cond(
            R.loaded,
            rx.cond(
                R.done,
                rx.el.section(
                    rx.el.h2("Paiement accepté", class_name="card-title"),
                    rx.el.p(R.message, id="payment-result"),
                    rx.el.a(
                        "Retour à mes paiements",
                        href=routes.PAYMENTS,
                        class_name="button button-primary",
                    ),
                    class_name="card sent-panel",
                    role="status",
                ),
                rx.cond(
                    R.found,
                    rx.el.div(
                        rx.el.section(
                            rx.el.h2("Échéance rejetée", class_name="card-title"),
                            rx.el.p(
                                "Contrat ",
                                R.contract,
                                " · échéance du ",
                                R.due,
                                " · ",
                                rx.el.strong(R.amount),
                            ),
                            rx.el.p("Motif du rejet : ", R.reason, class_name="field-hint"),
                            class_name="card",
                        ),
                        rx.cond(
                            R.message != "",
                            rx.el.p(
                                R.message,
                                class_name="form-error",
                                role="alert",
                                id="payment-result",
                            ),
                        ),
                        rx.cond(
                            R.challenge != "",
                            secure_step(),
                            rx.el.section(
                                rx.el.h2("Payer par carte bancaire", class_name="card-title"),
                                card_form(),
                                rx.cond(R.test_mode, test_cards_help()),
                                class_name="card",
                            ),
                        ),
                        class_name="stack",
                    ),
                    rx.el.div(
                        rx.el.p("Aucune échéance à régulariser ici.", class_name="empty"),
                        rx.el.a(
                            "Mes paiements",
                            href=routes.PAYMENTS,
                            class_name="button button-secondary",
                        ),
                    ),
                ),
            ),
            loading(),
        ),
        subtitle="Le numéro de votre carte n'est jamais conservé.",
    )
