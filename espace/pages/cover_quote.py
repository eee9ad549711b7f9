"""/contrat/modifier: the new price of the cover being chosen, and the saved simulations."""

from __future__ import annotations

import reflex as rx

from espace.components.forms import field_error, submit_button
from espace.state.cover import CoverState as V
from espace.state.cover_rows import SimItem


def price_bar() -> rx.Component:
    """Phones and tablets: the new price stays in sight (sticky above the tab bar) while the
    deductible or an option changes; the full quote follows the form."""
    return rx.el.div(
        rx.cond(
            V.q_ok,
            rx.fragment(
                rx.el.span("Nouvelle cotisation", class_name="price-bar-label"),
                rx.el.strong(V.q_annual, " / an", class_name="price-bar-amount"),
                rx.el.span(V.q_diff, class_name=rx.cond(V.q_increase, "status-todo", "status-ok")),
            ),
            rx.el.span("Corrigez les informations signalées pour obtenir un prix."),
        ),
        rx.el.a("Détail", href="#quote", class_name="button-small"),
        class_name="price-bar",
    )


def quote_panel() -> rx.Component:
    return rx.el.section(
        rx.el.h2("Votre nouvelle cotisation", class_name="card-title"),
        rx.cond(
            V.q_ok,
            rx.el.div(
                rx.el.p(
                    rx.el.span(V.q_annual, class_name="big-amount", id="quote-annual"),
                    " TTC par an · ",
                    V.q_instalment,
                ),
                rx.el.p(
                    V.q_diff,
                    class_name=rx.cond(V.q_increase, "status-todo", "status-ok"),
                    id="quote-diff",
                ),
                rx.el.p(V.q_prorata, class_name="field-hint", id="quote-prorata"),
                rx.el.details(
                    rx.el.summary("Détail du calcul"),
                    rx.el.table(
                        rx.el.tbody(
                            rx.foreach(
                                V.q_lines,
                                lambda row: rx.el.tr(
                                    rx.el.td(row[0]), rx.el.td(row[1], class_name="num")
                                ),
                            ),
                        ),
                        class_name="table breakdown",
                    ),
                    open=True,
                ),
                rx.cond(
                    V.q_advice.length() > 0,
                    rx.el.ul(
                        rx.foreach(
                            V.q_advice,
                            lambda a: rx.el.li(
                                rx.icon("lightbulb", size=16, aria_hidden="true"), a
                            ),
                        ),
                        class_name="advice",
                        aria_label="Conseils",
                    ),
                ),
            ),
            rx.el.p(
                "Corrigez les informations signalées pour obtenir un prix.", class_name="field-hint"
            ),
        ),
        class_name="card quote",
        aria_live="polite",
        id="quote",
    )


def sim_card(sim: SimItem) -> rx.Component:
    return rx.el.li(
        rx.el.div(
            rx.el.p(rx.el.strong(sim.name), " · ", sim.premium, " / an"),
            rx.el.p(sim.summary, class_name="field-hint"),
        ),
        rx.el.label(
            rx.el.input(
                type="checkbox",
                default_checked=sim.selected,
                on_change=V.toggle_compare(sim.id),
                class_name="checkbox",
            ),
            "Comparer",
            class_name="check-row",
        ),
        rx.el.button(
            "Reprendre",
            type="button",
            on_click=V.apply_simulation(sim.id),
            class_name="button button-small",
            aria_label="Reprendre la simulation " + sim.name,
        ),
        rx.el.button(
            "Supprimer",
            type="button",
            on_click=V.delete_simulation(sim.id),
            class_name="button button-small",
            aria_label="Supprimer la simulation " + sim.name,
        ),
        class_name="sim-row",
        data_simulation=sim.name,
    )


def simulations() -> rx.Component:
    return rx.el.section(
        rx.el.h2("Mes simulations", class_name="card-title"),
        rx.el.form(
            rx.el.div(
                rx.el.div(
                    rx.el.label(
                        "Nom de la simulation", html_for="sim_name", class_name="field-label"
                    ),
                    rx.el.input(
                        id="sim_name",
                        name="sim_name",
                        max_length=60,
                        class_name="field-input",
                        placeholder="Par exemple : Franchise 300 €",
                        aria_describedby="sim_name-error",
                    ),
                    field_error(V.sim_error, "sim_name"),
                    class_name="field",
                ),
                submit_button("Enregistrer la simulation", block=False),
                class_name="inline-form",
            ),
            on_submit=V.save_simulation,
            reset_on_submit=False,
            no_validate=True,
            id="sim-form",
        ),
        rx.cond(
            V.sims.length() > 0,
            rx.el.ul(rx.foreach(V.sims, sim_card), class_name="plain-list"),
            rx.el.p("Enregistrez plusieurs simulations pour les comparer.", class_name="empty"),
        ),
        rx.cond(
            V.compared.length() > 0,
            rx.el.div(
                rx.foreach(
                    V.compared,
                    lambda sim: rx.el.div(
                        rx.el.h3(sim.name, class_name="card-subtitle"),
                        rx.el.p(rx.el.strong(sim.premium), " / an"),
                        rx.el.table(
                            rx.el.tbody(
                                rx.foreach(
                                    sim.lines,
                                    lambda row: rx.el.tr(
                                        rx.el.td(row[0]), rx.el.td(row[1], class_name="num")
                                    ),
                                )
                            ),
                            class_name="table breakdown",
                        ),
                        class_name="sim-column",
                    ),
                ),
                class_name="sim-compare",
                role="region",
                aria_label="Comparaison des simulations",
                id="sim-compare",
            ),
        ),
        class_name="card",
    )
