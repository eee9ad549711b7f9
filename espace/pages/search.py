"""The search results page, and the search box of the header."""

from __future__ import annotations

import reflex as rx

from espace import routes
from espace.components.forms import form_alert, select_field, text_field
from espace.components.layout import app_shell, loading
from espace.state.search import Group, HitView, Part, SearchState

S = SearchState
EXAMPLES = ("fuite", "attestation", "franchise", "cambriolage", "prélèvement", "vitre cassée")


def _part(part: Part) -> rx.Component:
    return rx.cond(part.mark, rx.el.mark(part.text), rx.el.span(part.text))


def _link(hit: HitView) -> rx.Component:
    title = rx.foreach(hit.title, _part)
    return rx.cond(
        hit.is_file,
        rx.el.a(
            title,
            href=hit.url,
            target="_blank",
            rel="noopener",
            custom_attrs={"reloadDocument": True},
            class_name="hit-title",
        ),
        rx.el.a(title, href=hit.url, class_name="hit-title"),
    )


def hit_row(hit: HitView) -> rx.Component:
    return rx.el.li(
        _link(hit),
        rx.el.p(hit.meta, class_name="field-hint"),
        rx.el.p(rx.foreach(hit.snippet, _part), class_name="hit-snippet"),
        class_name="hit",
    )


def group_section(group: Group) -> rx.Component:
    return rx.el.section(
        rx.el.h2(group.label, " (", group.hits.length().to_string(), ")", class_name="card-title"),
        rx.el.ul(rx.foreach(group.hits, hit_row), class_name="hits"),
        class_name="card",
        data_kind=group.kind,
    )


def filters_form() -> rx.Component:
    return rx.el.form(
        rx.el.div(
            rx.el.label("Rechercher", html_for="q", class_name="field-label"),
            rx.el.input(
                id="q",
                name="q",
                type="search",
                default_value=S.query,
                class_name="field-input",
                auto_complete="off",
                max_length=200,
            ),
            class_name="field",
        ),
        rx.el.details(
            rx.el.summary("Filtres"),
            rx.el.div(
                select_field(
                    field_id="f_kind",
                    label="Type",
                    options=S.kind_options,
                    value=S.f_kind,
                    first="Tout",
                ),
                select_field(
                    field_id="f_contract",
                    label="Contrat",
                    options=S.contract_options,
                    value=S.f_contract,
                    first="Tous",
                ),
                select_field(
                    field_id="f_category",
                    label="Garantie",
                    options=S.category_options,
                    value=S.f_category,
                    first="Toutes",
                ),
                text_field(field_id="f_start", label="Du", default_value=S.f_start, type="date"),
                text_field(field_id="f_end", label="Au", default_value=S.f_end, type="date"),
                text_field(
                    field_id="f_min",
                    label="Montant minimum (€)",
                    default_value=S.f_min,
                    input_mode="decimal",
                ),
                text_field(
                    field_id="f_max",
                    label="Montant maximum (€)",
                    default_value=S.f_max,
                    input_mode="decimal",
                ),
                class_name="filter-grid",
            ),
            rx.el.button(
                "Effacer les filtres",
                type="button",
                on_click=S.clear_filters,
                class_name="button-link",
            ),
            class_name="filters",
            open=(S.f_kind != "")
            | (S.f_contract != "")
            | (S.f_category != "")
            | (S.f_start != "")
            | (S.f_end != "")
            | (S.f_min != "")
            | (S.f_max != ""),
        ),
        form_alert(S.filter_error, element_id="filter-error"),
        rx.el.button(
            "Rechercher", type="submit", class_name="button button-primary", id="search-submit"
        ),
        on_submit=S.apply,
        reset_on_submit=False,
        no_validate=True,
        key=S.form_version.to_string(),
        role="search",
        class_name="stack-sm search-form",
    )


def empty_state() -> rx.Component:
    return rx.el.div(
        rx.el.p("Aucun résultat pour « ", S.query, " ».", class_name="empty", id="no-results"),
        rx.el.p("Essayez des mots plus simples, par exemple :"),
        rx.el.div(
            *[
                rx.el.a(word, href=f"{routes.SEARCH}?q={word}", class_name="button-small")
                for word in EXAMPLES
            ],
            class_name="button-row",
        ),
        rx.el.p(
            "Ou consultez ",
            rx.el.a("l'aide", href=routes.HELP),
            ", ",
            rx.el.a("déclarez un sinistre", href=routes.CLAIM_NEW),
            " ou écrivez-nous depuis un dossier.",
        ),
        class_name="card",
    )


def indexing_notice() -> rx.Component:
    """While the index is being built (a fresh installation): say so, with the progress, instead of
    "Aucun résultat"."""
    return rx.el.p(
        "Indexation en cours",
        rx.cond(S.indexing_progress != "", " (" + S.indexing_progress + ")", ""),
        " : la recherche sera complète dans quelques instants. ",
        rx.el.a("Actualiser", href=routes.SEARCH + "?q=" + S.query, class_name="button-link"),
        class_name="notice",
        id="indexing",
        role="status",
    )


def search_page() -> rx.Component:
    return app_shell(
        "Recherche",
        rx.cond(
            S.loaded,
            rx.el.div(
                filters_form(),
                rx.cond(
                    S.did_you_mean != "",
                    rx.el.p(
                        "Vouliez-vous dire ",
                        rx.el.button(
                            S.did_you_mean,
                            type="button",
                            on_click=S.use_suggestion,
                            class_name="button-link",
                            id="did-you-mean",
                        ),
                        " ? Résultats pour cette orthographe.",
                        class_name="notice",
                    ),
                ),
                rx.cond(S.indexing, indexing_notice()),
                rx.cond(
                    S.query != "",
                    rx.cond(
                        S.total > 0,
                        rx.el.div(
                            rx.el.p(
                                S.total.to_string(),
                                " résultat(s)",
                                class_name="field-hint",
                                role="status",
                            ),
                            rx.foreach(S.groups, group_section),
                            class_name="stack",
                            id="results",
                        ),
                        rx.cond(S.indexing, rx.fragment(), empty_state()),
                    ),
                ),
                class_name="stack",
            ),
            loading(),
        ),
        subtitle=(
            "Garanties, conditions générales, documents, sinistres, messages, paiements et aide."
        ),
    )
