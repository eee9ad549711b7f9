"""'Mes paiements': the schedule, the history, the refunds and the accounting export."""

from __future__ import annotations

import reflex as rx

from espace import routes
from espace.components.forms import notice, select_field, submit_button, text_field
from espace.components.layout import app_shell, loading
from espace.pages.payment_settings import accounts_section, debit_section
from espace.state.payment_rows import PaymentRow, PreviewRow, RefundView, YearTotal
from espace.state.payments import PaymentsState

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


__all__ = ["payments_page", "PreviewRow", "YearTotal"]
