"""/contrat/modifier: compare formulas, change the cover with an instant price, simulations,
avenant."""

from __future__ import annotations

import reflex as rx

from espace import routes
from espace.components.forms import field_error, submit_button
from espace.components.layout import app_shell, loading
from espace.contracts.catalogue_data import FORMULA_NAMES
from espace.contracts.cover_change import CONSENT_TEXT
from espace.pages.cover_quote import price_bar, quote_panel, simulations
from espace.state.cover import CoverState as V
from espace.state.cover_rows import FormulaColumn


def compare_table() -> rx.Component:
    def header(col: FormulaColumn) -> rx.Component:
        return rx.el.th(
            rx.el.div(rx.el.strong(col.name)),
            rx.cond(
                col.premium != "",
                rx.el.div(col.premium, " / an", class_name="premium"),
                rx.el.div(col.error, class_name="field-hint"),
            ),
            rx.cond(
                col.current,
                rx.el.span("Votre formule", class_name="badge"),
                rx.el.button(
                    "Choisir",
                    type="button",
                    on_click=V.choose_formula(col.code),
                    class_name="button button-small",
                    aria_label="Choisir la formule " + col.name,
                ),
            ),
            scope="col",
            data_formula=col.code,
        )

    return rx.el.section(
        rx.el.h2("Comparer les formules", class_name="card-title"),
        rx.el.p(
            "Prix calculés pour votre logement, avec vos options et votre franchise actuelles.",
            class_name="field-hint",
        ),
        rx.el.div(
            rx.el.table(
                rx.el.thead(
                    rx.el.tr(rx.el.th("Garantie", scope="col"), rx.foreach(V.formulas, header))
                ),
                rx.el.tbody(
                    rx.foreach(
                        V.categories,
                        lambda label, i: rx.el.tr(
                            rx.el.th(label, scope="row"),
                            rx.foreach(
                                V.formulas,
                                # "Incluse dans la formule", not "Non couvert": a formula
                                # without a guarantee still insures the home.
                                lambda col: rx.el.td(
                                    rx.cond(
                                        col.cells[i] == "Oui",
                                        rx.fragment(
                                            rx.el.span("✓", aria_hidden="true"),
                                            rx.el.span(" Incluse", class_name="cell-word"),
                                        ),
                                        rx.fragment(
                                            rx.el.span("—", aria_hidden="true"),
                                            rx.el.span(" Non incluse", class_name="cell-word"),
                                        ),
                                    ),
                                    class_name=rx.cond(col.cells[i] == "Oui", "ok", "muted"),
                                ),
                            ),
                        ),
                    )
                ),
                class_name="table compare",
            ),
            class_name="table-wrap",
            tab_index=0,
            role="region",
            aria_label="Comparaison des formules",
        ),
        class_name="card",
        id="formules",
    )


def choice_form() -> rx.Component:
    err = V.errors
    return rx.el.section(
        rx.el.h2("Modifier ma couverture", class_name="card-title"),
        rx.el.fieldset(
            rx.el.legend("Formule", class_name="field-label"),
            rx.el.div(
                *[
                    rx.el.button(
                        name,
                        type="button",
                        on_click=V.set_formula(code),
                        aria_pressed=V.c_formula == code,
                        class_name="segment",
                    )
                    for code, name in FORMULA_NAMES.items()
                ],
                class_name="segments",
            ),
            class_name="field fieldset",
        ),
        rx.el.div(
            rx.el.div(
                rx.el.label("Capital mobilier (€)", html_for="c_capital", class_name="field-label"),
                rx.el.input(
                    id="c_capital",
                    default_value=V.c_capital,
                    key="cap-" + V.form_version.to_string(),
                    on_change=V.set_capital.debounce(300),
                    input_mode="numeric",
                    class_name="field-input",
                    aria_invalid=rx.cond(err.get("capital", "") != "", "true", "false"),
                    aria_describedby="c_capital-error",
                ),
                field_error(err.get("capital", ""), "c_capital"),
                class_name="field",
            ),
            rx.el.div(
                rx.el.label("Franchise", html_for="c_deductible", class_name="field-label"),
                rx.el.select(
                    rx.foreach(V.deductible_choices, lambda d: rx.el.option(d[1], value=d[0])),
                    id="c_deductible",
                    default_value=V.c_deductible,
                    key="ded-" + V.form_version.to_string(),
                    on_change=V.set_deductible,
                    class_name="field-input",
                ),
                field_error(err.get("deductible", ""), "c_deductible"),
                class_name="field",
            ),
            rx.el.div(
                rx.el.label("Nombre de pièces", html_for="c_rooms", class_name="field-label"),
                rx.el.input(
                    id="c_rooms",
                    default_value=V.c_rooms,
                    key="rooms-" + V.form_version.to_string(),
                    on_change=V.set_rooms.debounce(300),
                    input_mode="numeric",
                    class_name="field-input",
                    aria_describedby="c_rooms-error",
                ),
                field_error(err.get("rooms", ""), "c_rooms"),
                class_name="field",
            ),
            rx.el.div(
                rx.el.label(
                    "Surface habitable (m²)", html_for="c_surface", class_name="field-label"
                ),
                rx.el.input(
                    id="c_surface",
                    default_value=V.c_surface,
                    key="surf-" + V.form_version.to_string(),
                    on_change=V.set_surface.debounce(300),
                    input_mode="numeric",
                    class_name="field-input",
                    aria_describedby="c_surface-error",
                ),
                field_error(err.get("surface", ""), "c_surface"),
                class_name="field",
            ),
            class_name="grid-2",
        ),
        rx.el.fieldset(
            rx.el.legend("Options", class_name="field-label"),
            rx.foreach(
                V.option_choices,
                lambda o: rx.el.label(
                    rx.el.input(
                        type="checkbox",
                        default_checked=V.c_options.contains(o[0]),
                        on_change=V.toggle_option(o[0]),
                        class_name="checkbox",
                        key=o[0] + V.form_version.to_string(),
                    ),
                    rx.el.span(
                        rx.el.strong(o[1]), rx.el.br(), rx.el.span(o[2], class_name="field-hint")
                    ),
                    class_name="check-row option-check",
                ),
            ),
            field_error(err.get("options", ""), "options"),
            class_name="field fieldset",
        ),
        rx.el.label(
            rx.el.input(
                type="checkbox",
                default_checked=V.moving,
                on_change=V.set_moving,
                class_name="checkbox",
                key="move-" + V.form_version.to_string(),
            ),
            "Je déménage : nouvelle adresse du logement assuré",
            class_name="check-row",
        ),
        rx.cond(
            V.moving,
            rx.el.form(
                rx.el.div(
                    rx.el.div(
                        rx.el.label("Adresse", html_for="c_address", class_name="field-label"),
                        rx.el.input(
                            id="c_address",
                            name="c_address",
                            default_value=V.c_address,
                            class_name="field-input",
                        ),
                        field_error(err.get("address_line1", ""), "c_address"),
                        class_name="field",
                    ),
                    rx.el.div(
                        rx.el.label("Code postal", html_for="c_postal", class_name="field-label"),
                        rx.el.input(
                            id="c_postal",
                            name="c_postal",
                            default_value=V.c_postal,
                            input_mode="numeric",
                            max_length=5,
                            class_name="field-input",
                        ),
                        field_error(err.get("postal", ""), "c_postal"),
                        class_name="field",
                    ),
                    rx.el.div(
                        rx.el.label("Ville", html_for="c_city", class_name="field-label"),
                        rx.el.input(
                            id="c_city",
                            name="c_city",
                            default_value=V.c_city,
                            class_name="field-input",
                        ),
                        class_name="field",
                    ),
                    class_name="grid-2",
                ),
                submit_button("Calculer pour cette adresse", block=False),
                on_submit=V.set_move,
                reset_on_submit=False,
                no_validate=True,
            ),
        ),
        rx.el.button(
            "Revenir à mon contrat actuel",
            type="button",
            on_click=V.reset_choice,
            class_name="button button-link",
        ),
        class_name="card",
    )


def validation() -> rx.Component:
    return rx.el.section(
        rx.el.h2("Valider la modification", class_name="card-title"),
        rx.cond(
            V.done_url != "",
            rx.el.div(
                rx.icon("circle-check", size=20, aria_hidden="true"),
                rx.el.span(V.done_text),
                rx.el.a(
                    "Télécharger l'avenant",
                    href=V.done_url,
                    download="",
                    class_name="button button-small",
                    id="avenant-link",
                    custom_attrs={"reloadDocument": True},
                ),
                class_name="notice notice-ok issued",
                role="status",
            ),
        ),
        rx.el.form(
            rx.el.div(
                rx.el.label("Date d'effet", html_for="effective", class_name="field-label"),
                rx.el.input(
                    id="effective",
                    name="effective",
                    type="date",
                    default_value=V.effective,
                    min=V.min_effective,
                    max=V.max_effective,
                    on_change=V.set_effective,
                    class_name="field-input",
                ),
                class_name="field",
            ),
            rx.el.label(
                rx.el.input(type="checkbox", name="consent", value="1", class_name="checkbox"),
                CONSENT_TEXT,
                class_name="check-row",
            ),
            rx.cond(
                V.endorse_error != "",
                rx.el.p(V.endorse_error, class_name="form-error", role="alert", id="endorse-error"),
            ),
            submit_button("Valider la modification", block=False),
            on_submit=V.endorse,
            reset_on_submit=False,
            no_validate=True,
            id="endorse-form",
        ),
        class_name="card",
    )


def cover_page() -> rx.Component:
    return app_shell(
        "Modifier ma couverture",
        rx.cond(
            V.loaded,
            rx.cond(
                V.found,
                rx.el.div(
                    rx.el.p(
                        "Contrat ",
                        rx.el.a(V.number, href=routes.CONTRACT + "?n=" + V.number),
                        " · cotisation actuelle ",
                        rx.el.strong(V.current_premium),
                        " par an",
                        class_name="field-hint",
                    ),
                    rx.cond(
                        V.pending != "",
                        rx.el.p(V.pending, class_name="notice", role="status", id="pending-change"),
                    ),
                    compare_table(),
                    rx.el.div(choice_form(), price_bar(), quote_panel(), class_name="cover-grid"),
                    simulations(),
                    validation(),
                    class_name="stack",
                ),
                rx.el.p(
                    "Ce contrat est introuvable dans votre espace.",
                    class_name="empty",
                    role="alert",
                ),
            ),
            loading(),
        ),
        subtitle=(
            "Chaque changement est chiffré immédiatement ; rien n'est modifié avant votre "
            "validation."
        ),
    )
