"""/documents: 'Mes documents' — attestations and certificates on demand, the filterable library."""

from __future__ import annotations

import reflex as rx

from espace.components.forms import field_error, select_field, submit_button, text_field
from espace.components.layout import app_shell, loading
from espace.components.text import plural
from espace.contracts.attestations import KIND_LABELS
from espace.state.documents import DocItem
from espace.state.documents import DocumentsState as D

# A holder with one contract finds it already chosen in the forms.
ONLY_CONTRACT = rx.cond(D.active_contracts.length() == 1, D.active_contracts[0][0], "")

KIND_ICONS = {"attestation": "badge-check", "certificate": "shield", "receipt": "receipt"}


def attestation_form() -> rx.Component:
    err = D.att_errors
    kinds = rx.el.fieldset(
        rx.el.legend("Type d'attestation", class_name="field-label"),
        *[
            rx.el.label(
                rx.el.input(
                    type="radio",
                    name="att_kind",
                    value=kind,
                    default_checked=kind == "standard",
                    on_change=D.choose_kind,
                    class_name="checkbox",
                ),
                label,
                class_name="check-row",
            )
            for kind, label in KIND_LABELS.items()
        ],
        class_name="field fieldset choice-grid",
    )
    period = rx.el.div(
        text_field(field_id="att_start", label="Du", type="date", error=err.get("start", "")),
        text_field(field_id="att_end", label="Au", type="date", error=err.get("end", "")),
        class_name="grid-2",
    )
    return rx.el.form(
        select_field(
            field_id="att_contract",
            label="Contrat",
            options=D.active_contracts,
            value=ONLY_CONTRACT,
            first="Choisissez un contrat",
        ),
        field_error(err.get("contract", ""), "att_contract"),
        kinds,
        rx.cond(
            D.att_kind == "seasonal",
            text_field(
                field_id="att_place",
                label="Adresse de la location saisonnière",
                type="text",
                max_length=150,
                error=err.get("place", ""),
            ),
        ),
        rx.cond((D.att_kind == "seasonal") | (D.att_kind == "temporary"), period),
        field_error(err.get("kind", ""), "att_kind"),
        submit_button("Générer l'attestation", block=False),
        on_submit=D.issue_attestation,
        reset_on_submit=False,
        no_validate=True,
        id="attestation-form",
    )


def issue_card() -> rx.Component:
    return rx.el.section(
        rx.el.h2("Obtenir une attestation", class_name="card-title"),
        rx.el.p(
            "Chaque attestation porte un QR code : votre bailleur, votre syndic ou votre banque "
            "peut vérifier en ligne qu'elle est authentique et en vigueur.",
            class_name="field-hint",
        ),
        attestation_form(),
        rx.el.h3("Certificat de garanties", class_name="card-subtitle"),
        rx.el.form(
            rx.el.div(
                select_field(
                    field_id="cert_contract",
                    label="Contrat",
                    options=D.active_contracts,
                    value=ONLY_CONTRACT,
                    first="Choisissez un contrat",
                ),
                submit_button("Obtenir le certificat", block=False),
                class_name="inline-form",
            ),
            on_submit=D.issue_certificate,
            reset_on_submit=False,
            no_validate=True,
        ),
        rx.cond(
            D.issued_url != "",
            rx.el.div(
                rx.icon("circle-check", size=20, aria_hidden="true"),
                rx.el.span(D.flash),
                rx.el.a(
                    "Télécharger",
                    href=D.issued_url,
                    class_name="button button-small",
                    id="issued-link",
                    download="",
                    on_click=D.downloaded,
                    custom_attrs={"reloadDocument": True},
                ),
                class_name="notice notice-ok issued",
                role="status",
            ),
        ),
        class_name="card",
    )


def filters_form() -> rx.Component:
    """Folded by default: most holders look for a recent document, not a filtered list."""
    return rx.el.details(
        rx.el.summary(
            rx.icon("sliders-horizontal", size=18, aria_hidden="true"),
            "Filtrer et trier",
            class_name="filters-summary",
        ),
        _filters(),
        class_name="filters filters-fold",
        id="filters-fold",
    )


def _filters() -> rx.Component:
    return rx.el.form(
        rx.el.div(
            select_field(
                field_id="f_kind",
                label="Type",
                options=D.kind_options,
                value=D.f_kind,
                first="Tous",
            ),
            select_field(
                field_id="f_contract",
                label="Contrat / logement",
                options=D.contract_options,
                value=D.f_contract,
                first="Tous",
            ),
            rx.cond(
                D.category_options.length() > 0,
                select_field(
                    field_id="f_category",
                    label="Garantie",
                    options=D.category_options,
                    value=D.f_category,
                    first="Toutes",
                ),
            ),
            text_field(
                field_id="f_from",
                label="Du",
                type="date",
                default_value=D.f_from,
                error=D.date_error,
            ),
            text_field(field_id="f_to", label="Au", type="date", default_value=D.f_to),
            text_field(
                field_id="f_min",
                label="Montant min. (€)",
                type="text",
                input_mode="decimal",
                default_value=D.f_min,
                error=D.amount_error,
            ),
            text_field(
                field_id="f_max",
                label="Montant max. (€)",
                type="text",
                input_mode="decimal",
                default_value=D.f_max,
            ),
            select_field(
                field_id="f_sort",
                label="Trier par",
                options=[
                    ["date_desc", "Plus récents"],
                    ["date_asc", "Plus anciens"],
                    ["amount_desc", "Montant décroissant"],
                    ["amount_asc", "Montant croissant"],
                ],
                value=D.f_sort,
            ),
            class_name="filters-grid",
        ),
        rx.el.div(
            submit_button("Filtrer", block=False),
            rx.el.button(
                "Effacer les filtres",
                type="button",
                on_click=D.clear_filters,
                class_name="button button-secondary",
            ),
            class_name="button-row",
        ),
        on_submit=D.apply_filters,
        reset_on_submit=False,
        no_validate=True,
        id="filters",
        aria_label="Filtrer les documents",
    )


def document_row(item: DocItem) -> rx.Component:
    return rx.el.li(
        rx.el.span(
            rx.match(
                item.kind,
                *[
                    (k, rx.icon(icon, size=22, aria_hidden="true"))
                    for k, icon in KIND_ICONS.items()
                ],
                rx.icon("file-text", size=22, aria_hidden="true"),
            ),
            class_name="doc-icon",
        ),
        rx.el.div(
            rx.el.p(rx.el.strong(item.title), class_name="doc-title"),
            rx.el.p(
                item.kind_label,
                " · ",
                item.reference,
                " · ",
                item.issued,
                rx.cond(item.period != "", rx.el.span(" · ", item.period)),
                rx.cond(item.amount != "", rx.el.span(" · ", rx.el.strong(item.amount))),
                class_name="field-hint",
            ),
            rx.el.p(item.contract, " · ", item.downloaded, class_name="field-hint doc-downloaded"),
            class_name="doc-body",
        ),
        rx.el.div(
            rx.el.button(
                "Aperçu",
                type="button",
                on_click=D.open_preview(item.id),
                class_name="button button-small",
                aria_label="Aperçu : " + item.title + " " + item.reference,
            ),
            rx.el.a(
                "Télécharger",
                href=item.url,
                class_name="button button-small",
                download=item.reference + ".pdf",
                on_click=D.downloaded,
                custom_attrs={"reloadDocument": True},
                aria_label="Télécharger : " + item.title + " " + item.reference,
            ),
            class_name="doc-actions",
        ),
        class_name="doc-row",
        data_document=item.reference,
    )


def preview_dialog() -> rx.Component:
    return rx.cond(
        D.preview_url != "",
        rx.el.div(
            rx.el.div(
                rx.el.div(
                    rx.el.h2(D.preview_title, class_name="card-title", id="preview-title"),
                    rx.el.button(
                        rx.icon("x", size=20, aria_hidden="true"),
                        rx.el.span("Fermer l'aperçu", class_name="sr-only"),
                        type="button",
                        on_click=D.close_preview,
                        class_name="button button-small",
                    ),
                    class_name="card-head",
                ),
                rx.el.iframe(
                    src=D.preview_url, title="Aperçu du document", class_name="preview-frame"
                ),
                class_name="dialog",
                role="dialog",
                aria_modal="true",
                aria_labelledby="preview-title",
            ),
            class_name="dialog-backdrop",
        ),
    )


def documents_page() -> rx.Component:
    return app_shell(
        "Mes documents",
        rx.cond(
            D.loaded,
            rx.el.div(
                issue_card(),
                rx.el.section(
                    rx.el.h2("Tous mes documents", class_name="card-title"),
                    filters_form(),
                    rx.cond(
                        D.total > 0,
                        rx.el.p(
                            plural(D.items.length(), "document", "documents"),
                            " sur ",
                            D.total.to_string(),
                            class_name="field-hint result-count",
                            role="status",
                            id="result-count",
                        ),
                    ),
                    rx.cond(
                        D.items.length() > 0,
                        rx.el.ul(rx.foreach(D.items, document_row), class_name="doc-list"),
                        rx.cond(
                            D.total > 0,
                            rx.el.p(
                                "Aucun document ne correspond à ces critères.", class_name="empty"
                            ),
                            rx.el.p(
                                "Vous n'avez pas encore de document. Les attestations et "
                                "certificats que vous obtenez ci-dessus, et les reçus de vos "
                                "cotisations, apparaîtront ici.",
                                class_name="empty",
                            ),
                        ),
                    ),
                    class_name="card",
                ),
                preview_dialog(),
                class_name="stack",
            ),
            loading(),
        ),
        subtitle="Attestations, certificats et reçus : téléchargez-les quand vous en avez besoin.",
    )
