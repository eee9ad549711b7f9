"""'Mes paiements': the debit date and frequency of each contract, the accounts and mandates."""

from __future__ import annotations

import reflex as rx

from espace.billing.payment_changes import ALLOWED_DEBIT_DAYS
from espace.components.forms import form_alert, submit_button, text_field
from espace.components.stepup import step_up_panel
from espace.contracts import labels
from espace.state.payment_rows import AccountRow, ContractBilling
from espace.state.payments import PaymentsState

P = PaymentsState


def _preview_table() -> rx.Component:
    return rx.el.div(
        rx.el.p(P.change_note, class_name="notice"),
        rx.el.div(
            rx.el.table(
                rx.el.caption("Nouvel échéancier", class_name="sr-only"),
                rx.el.thead(
                    rx.el.tr(
                        rx.el.th("Période", scope="col"),
                        rx.el.th("Avant", scope="col"),
                        rx.el.th("Après", scope="col"),
                        rx.el.th("Montant", scope="col"),
                    )
                ),
                rx.el.tbody(
                    rx.foreach(
                        P.change_preview,
                        lambda r: rx.el.tr(
                            rx.el.td(r.period),
                            rx.el.td(r.before),
                            rx.el.td(rx.el.strong(r.after)),
                            rx.el.td(r.amount, class_name="num"),
                        ),
                    )
                ),
                class_name="table",
                id="change-preview",
            ),
            class_name="table-wrap",
            tab_index=0,
            role="region",
            aria_label="Aperçu du nouvel échéancier",
        ),
        rx.el.div(
            rx.el.button(
                "Confirmer le changement",
                type="button",
                on_click=P.confirm_change,
                class_name="button button-primary",
                id="confirm-change",
            ),
            rx.el.button(
                "Annuler",
                type="button",
                on_click=P.cancel_change,
                class_name="button button-secondary",
            ),
            class_name="button-row",
        ),
        class_name="stack-sm",
    )


def _contract_change(contract: ContractBilling) -> rx.Component:
    return rx.el.article(
        rx.el.h3(contract.label, class_name="card-subtitle"),
        rx.el.p(
            "Fractionnement : ",
            rx.el.strong(contract.frequency_label),
            rx.cond(
                contract.by_debit,
                rx.fragment(
                    " · prélèvement le ", rx.el.strong(contract.debit_day.to_string()), " du mois"
                ),
            ),
        ),
        rx.cond(
            contract.by_debit,
            rx.el.form(
                rx.el.input(type="hidden", name="contract_id", value=contract.id.to_string()),
                rx.el.input(type="hidden", name="kind", value="debit_day"),
                rx.el.div(
                    rx.el.label(
                        "Nouvelle date de prélèvement",
                        html_for="debit-day-" + contract.id.to_string(),
                        class_name="field-label",
                    ),
                    rx.el.select(
                        *[
                            rx.el.option(f"le {day} du mois", value=str(day))
                            for day in ALLOWED_DEBIT_DAYS
                        ],
                        id="debit-day-" + contract.id.to_string(),
                        name="value",
                        class_name="field-input",
                    ),
                    class_name="field",
                ),
                rx.el.button(
                    "Voir le nouvel échéancier",
                    type="submit",
                    class_name="button button-secondary",
                    id="preview-day-" + contract.id.to_string(),
                ),
                on_submit=P.preview_change,
                reset_on_submit=False,
                no_validate=True,
            ),
        ),
        rx.el.form(
            rx.el.input(type="hidden", name="contract_id", value=contract.id.to_string()),
            rx.el.input(type="hidden", name="kind", value="frequency"),
            rx.el.div(
                rx.el.label(
                    "Changer de fractionnement",
                    html_for="frequency-" + contract.id.to_string(),
                    class_name="field-label",
                ),
                rx.el.select(
                    *[
                        rx.el.option(label, value=str(value))
                        for value, label in labels.PAYMENT_FREQUENCY.items()
                    ],
                    id="frequency-" + contract.id.to_string(),
                    name="value",
                    default_value=contract.frequency,
                    class_name="field-input",
                ),
                class_name="field",
            ),
            rx.el.button(
                "Voir le nouvel échéancier",
                type="submit",
                class_name="button button-secondary",
                id="preview-frequency-" + contract.id.to_string(),
            ),
            on_submit=P.preview_change,
            reset_on_submit=False,
            no_validate=True,
        ),
        rx.cond(
            P.change_contract == contract.id.to_string(),
            rx.el.div(
                rx.foreach(
                    P.change_errors.values(),
                    lambda e: rx.el.p(e, class_name="field-error", role="alert"),
                ),
                rx.cond(P.change_preview.length() > 0, _preview_table()),
            ),
        ),
        class_name="contract-billing",
    )


def debit_section() -> rx.Component:
    return rx.el.section(
        rx.el.h2(
            "Date de prélèvement et fractionnement", class_name="card-title", id="prelevement"
        ),
        rx.el.details(
            rx.el.summary("Les règles en détail", class_name="filters-summary"),
            rx.el.p(P.debit_day_rules, class_name="field-hint"),
            rx.el.p(P.frequency_rules, class_name="field-hint"),
            class_name="filters filters-fold",
        ),
        rx.foreach(P.contracts, _contract_change),
        class_name="card",
    )


def account_card(account: AccountRow) -> rx.Component:
    return rx.el.article(
        rx.el.div(
            rx.el.h3(account.label, class_name="card-subtitle"),
            rx.cond(account.is_default, rx.el.span("Compte de prélèvement", class_name="badge")),
            class_name="card-head",
        ),
        rx.el.p(rx.el.span(account.masked, class_name="mono iban-masked"), " · ", account.owner),
        rx.cond(account.bank != "", rx.el.p(account.bank, class_name="field-hint")),
        rx.el.p(account.mandate, class_name="field-hint"),
        rx.el.div(
            rx.cond(
                account.mandate_url != "",
                rx.el.a(
                    "Mandat (PDF)",
                    href=account.mandate_url,
                    download=True,
                    custom_attrs={"reloadDocument": True},
                    class_name="button-small",
                    id="mandate-pdf-" + account.id.to_string(),
                ),
            ),
            rx.cond(
                ~account.has_mandate,
                rx.el.button(
                    "Signer le mandat de prélèvement",
                    type="button",
                    on_click=P.ask_sign_mandate(account.id),
                    class_name="button button-primary",
                    id="sign-mandate-" + account.id.to_string(),
                ),
            ),
            rx.cond(
                account.has_mandate & ~account.is_default,
                rx.el.button(
                    "Utiliser pour les prélèvements",
                    type="button",
                    on_click=P.make_default(account.id),
                    class_name="button button-secondary",
                    id="make-default-" + account.id.to_string(),
                ),
            ),
            rx.el.button(
                "Retirer",
                rx.el.span(" le compte ", account.masked, class_name="sr-only"),
                type="button",
                on_click=P.remove_account(account.id),
                class_name="button-link",
            ),
            class_name="button-row",
        ),
        class_name="account-card",
        data_account=account.id,
    )


def accounts_section() -> rx.Component:
    err = P.account_errors
    return rx.el.section(
        rx.el.h2("Comptes bancaires et mandats", class_name="card-title", id="comptes"),
        form_alert(P.accounts_error, element_id="accounts-error"),
        step_up_panel(P),
        rx.cond(P.accounts.length() == 0, rx.el.p("Aucun compte enregistré.", class_name="empty")),
        rx.el.div(rx.foreach(P.accounts, account_card), class_name="stack", id="accounts"),
        rx.el.form(
            rx.el.h3("Ajouter un compte", class_name="card-subtitle"),
            text_field(
                field_id="account_holder",
                label="Titulaire du compte",
                error=err.get("account_holder", ""),
                auto_complete="name",
                max_length=140,
            ),
            text_field(
                field_id="iban",
                label="IBAN",
                error=err.get("iban", ""),
                auto_complete="off",
                spell_check=False,
                auto_capitalize="characters",
                max_length=50,
                hint=(
                    "27 caractères pour un compte français : FR76 suivi de 23 chiffres ou lettres."
                ),
            ),
            rx.el.div(
                text_field(
                    field_id="bic",
                    label="BIC (facultatif)",
                    error=err.get("bic", ""),
                    auto_complete="off",
                    auto_capitalize="characters",
                    max_length=11,
                    hint="Retrouvé à partir de l'IBAN si vous le laissez vide.",
                ),
                text_field(
                    field_id="label",
                    label="Nom du compte (facultatif)",
                    error=err.get("label", ""),
                    max_length=60,
                    hint="Par exemple « Compte joint ».",
                ),
                class_name="grid-2",
            ),
            submit_button("Ajouter ce compte", block=False, id="add-account"),
            on_submit=P.add_account,
            reset_on_submit=False,
            no_validate=True,
            key=P.account_form_version.to_string(),
            class_name="stack-sm",
            id="account-form",
        ),
        class_name="card",
    )
