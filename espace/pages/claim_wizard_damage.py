"""The declaration wizard's steps on the damage: where the loss happened, the damaged or stolen
items, the photos and documents."""

from __future__ import annotations

import reflex as rx

from espace.claims import perils
from espace.components.forms import field_error, text_field
from espace.pages.claim_files import file_tile, upload_zone
from espace.state.claim_rows import ItemView
from espace.state.claim_wizard import ClaimWizardState

W = ClaimWizardState


def address_form() -> rx.Component:
    """The address where the loss happened, typed when it is not the insured home."""
    return rx.el.form(
        text_field(
            field_id="location_street",
            label="Numéro et voie",
            error=W.errors.get("location_street", ""),
            default_value=W.address_street,
            auto_complete="street-address",
            max_length=120,
        ),
        rx.el.div(
            text_field(
                field_id="location_postal_code",
                label="Code postal",
                error=W.errors.get("location_postal_code", ""),
                default_value=W.address_zip,
                auto_complete="postal-code",
                input_mode="numeric",
                max_length=5,
            ),
            text_field(
                field_id="location_town",
                label="Commune",
                error=W.errors.get("location_town", ""),
                default_value=W.address_town,
                auto_complete="address-level2",
                max_length=80,
            ),
            class_name="grid-2",
        ),
        rx.el.button(
            "Valider cette adresse",
            type="submit",
            class_name="button button-primary",
            id="save-address",
        ),
        on_submit=W.use_typed_address,
        reset_on_submit=False,
        no_validate=True,
        key=W.form_version.to_string(),
        class_name="stack",
        id="address-form",
    )


def step_where() -> rx.Component:
    return rx.el.div(
        rx.el.p("Où s'est produit le sinistre ?", class_name="field-label"),
        rx.el.div(
            rx.el.h3("À l'adresse du logement assuré", class_name="card-title"),
            rx.el.p(W.property_address),
            rx.el.button(
                "Oui, à cette adresse",
                type="button",
                on_click=W.use_property_address,
                class_name="button button-primary",
                id="use-address",
            ),
            class_name="card",
        ),
        rx.el.div(
            rx.el.h3("Ailleurs, à une autre adresse", class_name="card-title"),
            rx.el.p(
                "Une résidence de vacances, un garage loué, le logement d'un proche : indiquez "
                "l'adresse du lieu du sinistre.",
                class_name="field-hint",
            ),
            rx.cond(
                W.address_open,
                address_form(),
                rx.el.button(
                    "Saisir l'adresse",
                    type="button",
                    on_click=W.open_address,
                    class_name="button button-secondary",
                    id="type-address",
                ),
            ),
            class_name="card",
            id="address-card",
        ),
        rx.el.div(
            rx.el.h3("Tout près, sans adresse (jardin, dépendance)", class_name="card-title"),
            rx.el.p(
                "Avec votre accord, nous enregistrons la position de votre téléphone ou "
                "ordinateur, une seule fois, pour ce sinistre. Votre navigateur vous demandera "
                "l'autorisation.",
                class_name="field-hint",
            ),
            rx.cond(W.position_text != "", rx.el.p(W.position_text)),
            rx.el.button(
                "Utiliser ma position",
                type="button",
                on_click=W.ask_position,
                class_name="button button-secondary",
                id="use-position",
            ),
            class_name="card",
        ),
        field_error(W.errors.get("location", ""), "location"),
        rx.el.div(
            rx.el.button(
                "Retour", type="button", on_click=W.back, class_name="button button-secondary"
            ),
            class_name="button-row wizard-nav",
        ),
        class_name="stack",
    )


def item_row(item: ItemView) -> rx.Component:
    return rx.el.li(
        rx.el.div(
            rx.el.strong(item.description),
            rx.el.span(item.category, class_name="field-hint"),
            rx.el.span("Achat : ", item.purchase, class_name="field-hint"),
            class_name="item-text",
        ),
        rx.el.span(item.estimate, class_name="item-amount"),
        rx.el.button(
            rx.icon("trash-2", size=16, aria_hidden="true"),
            rx.el.span("Retirer ", item.description, class_name="sr-only"),
            type="button",
            on_click=W.remove_item(item.id),
            class_name="button-small",
        ),
        class_name="item-row",
    )


def step_items() -> rx.Component:
    err = W.errors
    return rx.el.div(
        rx.el.p(
            "Listez les biens abîmés ou volés, avec une estimation de leur valeur ou du coût "
            "de remise en état.",
            class_name="field-hint",
        ),
        rx.cond(
            W.items.length() > 0,
            rx.el.div(
                rx.el.ul(rx.foreach(W.items, item_row), class_name="item-list", id="items"),
                rx.el.p("Total déclaré : ", rx.el.strong(W.total), class_name="item-total"),
            ),
        ),
        rx.el.form(
            rx.el.h3("Ajouter un bien", class_name="card-title"),
            text_field(
                field_id="item_description",
                label="Description",
                error=err.get("item_description", ""),
                type="text",
                max_length=200,
                placeholder="Parquet du salon, téléviseur…",
            ),
            rx.el.div(
                rx.el.label("Catégorie", html_for="item_category", class_name="field-label"),
                rx.el.select(
                    rx.el.option("Choisissez", value=""),
                    *[rx.el.option(label, value=value) for value, label in perils.ITEM_CATEGORIES],
                    id="item_category",
                    name="item_category",
                    class_name="field-input",
                    aria_describedby="item_category-error",
                ),
                field_error(err.get("item_category", ""), "item_category"),
                class_name="field",
            ),
            rx.el.div(
                text_field(
                    field_id="item_purchase_date",
                    label="Date d'achat (facultatif)",
                    type="date",
                    error=err.get("item_purchase_date", ""),
                ),
                text_field(
                    field_id="item_purchase_price",
                    label="Prix d'achat en € (facultatif)",
                    type="text",
                    input_mode="decimal",
                    error=err.get("item_purchase_price", ""),
                ),
                class_name="grid-2",
            ),
            text_field(
                field_id="item_estimate",
                label="Estimation du dommage en €",
                type="text",
                input_mode="decimal",
                error=err.get("item_estimate", ""),
                hint="Coût de réparation ou de remplacement, par exemple 1 250,00.",
            ),
            rx.el.button(
                "Ajouter ce bien",
                type="submit",
                class_name="button button-secondary",
                id="add-item",
            ),
            on_submit=W.add_item,
            reset_on_submit=False,
            no_validate=True,
            key=W.form_version.to_string(),
            class_name="card",
        ),
        field_error(err.get("items", ""), "items"),
        rx.el.div(
            rx.el.button(
                "Retour", type="button", on_click=W.back, class_name="button button-secondary"
            ),
            rx.el.button(
                "Continuer",
                type="button",
                on_click=W.items_done,
                class_name="button button-primary",
                id="wizard-next",
            ),
            class_name="button-row wizard-nav",
        ),
        class_name="stack",
    )


def step_files() -> rx.Component:
    return rx.el.div(
        rx.cond(
            W.documents_hint != "",
            rx.el.p("Utile pour ce sinistre : ", W.documents_hint, class_name="notice"),
        ),
        upload_zone("claim-files", W.upload, W.set_upload_kind, W.upload_errors),
        rx.el.ul(
            rx.foreach(W.files, lambda f: file_tile(f, W.remove_file)),
            class_name="file-list",
            id="claim-file-list",
        ),
        rx.el.div(
            rx.el.button(
                "Retour", type="button", on_click=W.back, class_name="button button-secondary"
            ),
            rx.el.button(
                "Continuer",
                type="button",
                on_click=W.files_done,
                class_name="button button-primary",
                id="wizard-next",
            ),
            class_name="button-row wizard-nav",
        ),
        class_name="stack",
    )
