"""'Mes paiements' and the card regularisation of a rejected debit."""

from __future__ import annotations

import reflex as rx

from espace import routes
from espace.billing.card_payments import TEST_CARDS
from espace.billing.payment_changes import ALLOWED_DEBIT_DAYS
from espace.components.forms import form_alert, notice, select_field, submit_button, text_field
from espace.components.layout import app_shell, loading
from espace.components.stepup import step_up_panel
from espace.contracts import labels
from espace.state.payments import (
    AccountRow,
    ContractBilling,
    PaymentRow,
    PaymentsState,
    PreviewRow,
    RefundView,
    RegularisationState,
    YearTotal,
)

P = PaymentsState
SECTIONS = [
    ("echeancier", "Échéancier"),
    ("historique", "Historique"),
    ("prelevement", "Date et fractionnement"),
    ("comptes", "Comptes et mandats"),
    ("export", "Export comptable"),
]


def _status_badge(row: PaymentRow) -> rx.Component:
    return rx.el.span(row.status_label, class_name="badge", data_status=row.status)


def _payment_table(rows, *, caption: str, table_id: str, with_receipt: bool) -> rx.Component:
    headings = ["Échéance", "Contrat", "Période", "Montant", "Statut"] + (
        ["Reçu"] if with_receipt else []
    )
    return rx.el.div(
        rx.el.table(
            rx.el.caption(caption, class_name="sr-only"),
            rx.el.thead(
                rx.el.tr(
                    *[
                        rx.el.th(h, scope="col", class_name="hide-phone" if h == "Période" else "")
                        for h in headings
                    ]
                )
            ),
            rx.el.tbody(
                rx.foreach(
                    rows,
                    lambda r: rx.el.tr(
                        rx.el.td(r.due, data_label="Échéance"),
                        rx.el.td(r.contract, data_label="Contrat"),
                        rx.el.td(r.period, class_name="hide-phone", data_label="Période"),
                        rx.el.td(r.amount, class_name="num", data_label="Montant"),
                        rx.el.td(
                            _status_badge(r),
                            rx.cond(
                                r.reason != "", rx.el.span(r.reason, class_name="field-hint block")
                            ),
                            data_label="Statut",
                        ),
                        *(
                            [
                                rx.el.td(
                                    rx.cond(
                                        r.receipt_url != "",
                                        rx.el.a(
                                            "PDF",
                                            rx.el.span(" — reçu du ", r.due, class_name="sr-only"),
                                            href=r.receipt_url,
                                            download=True,
                                            custom_attrs={"reloadDocument": True},
                                        ),
                                        "—",
                                    ),
                                    data_label="Reçu",
                                )
                            ]
                            if with_receipt
                            else []
                        ),
                    ),
                )
            ),
            class_name="table table-cards",
            id=table_id,
        ),
        class_name="table-wrap",
        tab_index=0,
        role="region",
        aria_label=caption,
    )


def rejected_alert() -> rx.Component:
    return rx.cond(
        P.rejected.length() > 0,
        rx.el.section(
            rx.el.h2("Prélèvement rejeté", class_name="card-title"),
            rx.foreach(
                P.rejected,
                lambda r: rx.el.div(
                    rx.el.p(
                        rx.el.strong(r.amount),
                        " dû le ",
                        r.due,
                        " (contrat ",
                        r.contract,
                        ") : ",
                        r.reason,
                    ),
                    rx.el.a(
                        "Régulariser par carte",
                        href=routes.PAYMENT_REGULARISE + "?p=" + r.id.to_string(),
                        class_name="button button-primary",
                        id="regularise-" + r.id.to_string(),
                    ),
                    class_name="stack-sm",
                ),
            ),
            class_name="card card-alert",
            role="alert",
            id="rejected",
        ),
    )


def _refund_item(r: RefundView) -> rx.Component:
    return rx.el.li(
        rx.el.p(rx.el.strong(r.text)),
        rx.el.p(
            "Référence ",
            r.reference,
            " · contrat ",
            r.contract,
            " · résiliation ",
            r.origin,
            class_name="field-hint",
        ),
        class_name="stack-sm",
        data_status=r.status,
        id="refund-" + r.id.to_string(),
    )


def refunds_section() -> rx.Component:
    """Money we owe the holder (the unearned premium of a cancelled contract)."""
    return rx.cond(
        P.refunds.length() > 0,
        rx.el.section(
            rx.el.h2("Remboursements", class_name="card-title", id="remboursements"),
            rx.el.ul(rx.foreach(P.refunds, _refund_item), class_name="plain-list stack"),
            rx.cond(
                P.refund_awaiting_account,
                rx.el.p(
                    "Pour recevoir votre remboursement par virement, indiquez un compte bancaire "
                    "à votre nom. ",
                    rx.el.a("Ajouter un compte", href="#comptes", class_name="button-small"),
                    class_name="notice",
                    role="status",
                    id="refund-iban-needed",
                ),
            ),
            class_name="card",
        ),
    )


def schedule_section() -> rx.Component:
    return rx.el.section(
        rx.el.h2("Échéancier", class_name="card-title", id="echeancier"),
        rx.cond(
            P.upcoming.length() == 0,
            rx.el.p("Aucune échéance à venir.", class_name="empty"),
            _payment_table(
                P.upcoming, caption="Prochaines échéances", table_id="schedule", with_receipt=False
            ),
        ),
        class_name="card",
    )


def history_section() -> rx.Component:
    return rx.el.section(
        rx.el.h2("Historique des paiements", class_name="card-title", id="historique"),
        rx.el.form(
            rx.el.div(
                select_field(
                    field_id="f_year",
                    label="Année",
                    options=P.year_options,
                    value=P.f_year,
                    first="Les 10 dernières années",
                ),
                select_field(
                    field_id="f_contract",
                    label="Contrat",
                    options=P.contract_options,
                    value=P.f_contract,
                    first="Tous les contrats",
                ),
                class_name="grid-2",
            ),
            submit_button("Afficher", block=False),
            on_submit=P.filter_history,
            reset_on_submit=False,
            no_validate=True,
        ),
        rx.el.div(
            rx.el.table(
                rx.el.caption("Total payé par année", class_name="sr-only"),
                rx.el.thead(
                    rx.el.tr(
                        rx.el.th("Année", scope="col"),
                        rx.el.th("Paiements", scope="col"),
                        rx.el.th("Total payé", scope="col"),
                    )
                ),
                rx.el.tbody(
                    rx.foreach(
                        P.totals,
                        lambda t: rx.el.tr(
                            rx.el.th(t.year, scope="row"),
                            rx.el.td(t.count),
                            rx.el.td(t.total, class_name="num"),
                        ),
                    )
                ),
                rx.el.tfoot(
                    rx.el.tr(
                        rx.el.th("Total", scope="row", col_span=2),
                        rx.el.td(P.history_total, class_name="num"),
                    )
                ),
                class_name="table",
                id="year-totals",
            ),
            class_name="table-wrap",
            tab_index=0,
            role="region",
            aria_label="Totaux par année",
        ),
        rx.cond(
            P.history.length() == 0,
            rx.el.p("Aucun paiement sur cette période.", class_name="empty"),
            _payment_table(
                P.history, caption="Paiements passés", table_id="history", with_receipt=True
            ),
        ),
        class_name="card",
    )


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


def export_section() -> rx.Component:
    return rx.el.section(
        rx.el.h2("Export pour votre comptabilité", class_name="card-title", id="export"),
        rx.el.p(
            "Les paiements effectués sur la période : CSV pour un tableur (séparateur "
            "point-virgule, virgule décimale), OFX pour un logiciel de gestion de comptes.",
            class_name="field-hint",
        ),
        rx.el.div(
            text_field(
                field_id="export_start",
                label="Du",
                type="date",
                default_value=P.export_start,
                on_change=P.set_export_start,
            ),
            text_field(
                field_id="export_end",
                label="Au",
                type="date",
                default_value=P.export_end,
                on_change=P.set_export_end,
            ),
            class_name="grid-2",
        ),
        rx.el.div(
            rx.el.a(
                "Télécharger le CSV",
                href=P.export_csv_url,
                download=True,
                custom_attrs={"reloadDocument": True},
                class_name="button button-secondary",
                id="export-csv",
            ),
            rx.el.a(
                "Télécharger l'OFX",
                href=P.export_ofx_url,
                download=True,
                custom_attrs={"reloadDocument": True},
                class_name="button button-secondary",
                id="export-ofx",
            ),
            class_name="button-row",
        ),
        class_name="card",
    )


def payments_page() -> rx.Component:
    return app_shell(
        "Mes paiements",
        rx.cond(
            P.loaded,
            rx.el.div(
                notice(P.flash, kind="ok"),
                rejected_alert(),
                rx.el.nav(
                    *[
                        rx.el.a(label, href=f"#{anchor}", class_name="button-small")
                        for anchor, label in SECTIONS
                    ],
                    class_name="button-row toc-wide",
                    aria_label="Sections de la page",
                ),
                # Phones: one folded line instead of five buttons over the first screen.
                rx.el.details(
                    rx.el.summary("Aller à une section", class_name="filters-summary"),
                    rx.el.nav(
                        rx.el.ul(
                            *[
                                rx.el.li(rx.el.a(label, href=f"#{anchor}", class_name="menu-item"))
                                for anchor, label in SECTIONS
                            ],
                            class_name="plain-list",
                        ),
                        aria_label="Sections de la page (mobile)",
                    ),
                    class_name="filters filters-fold toc-phone",
                ),
                refunds_section(),
                schedule_section(),
                history_section(),
                accounts_section(),
                debit_section(),
                export_section(),
                rx.el.p(
                    "Un désaccord sur un prélèvement ou un remboursement ? ",
                    rx.el.a(
                        "Faire une réclamation",
                        href=routes.COMPLAINTS + "?objet=payment",
                        id="payment-complaint-link",
                    ),
                    " (réponse sous deux mois au plus).",
                ),
                class_name="stack",
            ),
            loading(),
        ),
        subtitle="Vos échéances, vos paiements depuis 10 ans, vos comptes de prélèvement.",
    )


# ----- regularisation ------------------------------------------------------------------------

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


__all__ = ["payments_page", "regularisation_page", "PreviewRow", "YearTotal"]
