"""/gestion/recherche: search the back office (claims, holders, messages, threads) within one's
rights."""

from __future__ import annotations

import reflex as rx

from espace.components.forms import form_alert
from espace.pages.staff import staff_shell
from espace.state.staff_search import StaffHitView, StaffSearchState

S = StaffSearchState


def _hit(hit: StaffHitView) -> rx.Component:
    return rx.el.li(
        rx.el.span(hit.label, class_name="badge"),
        " ",
        rx.cond(
            hit.url != "",
            rx.el.a(hit.title, href=hit.url, class_name="hit-title"),
            rx.el.span(hit.title, class_name="hit-title"),
        ),
        rx.el.p(hit.detail, class_name="field-hint"),
        class_name="hit",
        data_kind=hit.kind,
    )


def staff_search_page() -> rx.Component:
    return staff_shell(
        "Recherche",
        rx.el.form(
            rx.el.label("Rechercher", html_for="staff-q", class_name="field-label"),
            rx.el.input(
                id="staff-q",
                name="q",
                type="search",
                default_value=S.query,
                class_name="field-input",
                auto_complete="off",
                max_length=200,
            ),
            rx.el.button("Rechercher", type="submit", class_name="button button-primary"),
            on_submit=S.submit,
            reset_on_submit=False,
            role="search",
            class_name="stack-sm search-form",
        ),
        form_alert(S.error),
        rx.cond(
            S.searched & (S.hits.length() == 0) & (S.error == ""),
            rx.el.p(
                "Aucun résultat dans les dossiers auxquels vous avez accès.", class_name="empty"
            ),
        ),
        rx.el.ul(rx.foreach(S.hits, _hit), class_name="hits", id="staff-results"),
        subtitle=(
            "Sinistres, assurés (nom, e-mail, numéro de contrat ou de sinistre), messages et"
            " conversations."
        ),
    )
