"""'Tableau de bord': widgets the holder adds, removes, reorders (drag and drop, or the arrow
buttons for keyboard and touch) and widens; saved per holder."""

from __future__ import annotations

import reflex as rx

from espace import routes
from espace.components.forms import notice
from espace.components.layout import app_shell, loading
from espace.pages.dashboard_widgets import widget_body
from espace.state.dashboard import AttentionView, CatalogueItem, DashboardState, SlotView
from espace.state.session import SessionState

D = DashboardState


def widget(slot: SlotView) -> rx.Component:
    tools = rx.cond(
        D.editing,
        rx.el.div(
            rx.el.button(
                rx.icon("arrow-up", size=16, aria_hidden="true"),
                rx.el.span("Monter « ", slot.title, " »", class_name="sr-only"),
                type="button",
                on_click=D.move_widget(slot.id, -1),
                disabled=slot.first,
                class_name="button-small",
                id="move-" + slot.id + "-up",
            ),
            rx.el.button(
                rx.icon("arrow-down", size=16, aria_hidden="true"),
                rx.el.span("Descendre « ", slot.title, " »", class_name="sr-only"),
                type="button",
                on_click=D.move_widget(slot.id, 1),
                disabled=slot.last,
                class_name="button-small",
                id="move-" + slot.id + "-down",
            ),
            rx.el.button(
                rx.cond(slot.size == 2, "Réduire", "Élargir"),
                rx.el.span(" « ", slot.title, " »", class_name="sr-only"),
                type="button",
                on_click=D.resize_widget(slot.id),
                class_name="button-small hide-phone",
            ),
            rx.el.button(
                rx.icon("x", size=16, aria_hidden="true"),
                rx.el.span("Retirer « ", slot.title, " »", class_name="sr-only"),
                type="button",
                on_click=D.remove_widget(slot.id),
                class_name="button-small",
                id="remove-" + slot.id,
            ),
            class_name="widget-tools",
        ),
    )
    return rx.el.section(
        rx.el.header(
            rx.cond(
                D.editing,
                rx.el.span(
                    rx.icon("grip-vertical", size=18), class_name="grip", aria_hidden="true"
                ),
            ),
            rx.el.h2(slot.title, class_name="card-title"),
            tools,
            class_name="widget-head",
        ),
        widget_body(slot.id),
        class_name=rx.cond(slot.size == 2, "card widget widget-wide", "card widget"),
        data_widget=slot.id,
        draggable=D.editing,
        aria_label=slot.title,
    )


def catalogue_item(item: CatalogueItem) -> rx.Component:
    return rx.el.li(
        rx.el.div(
            rx.el.strong(item.title),
            rx.el.span(item.description, class_name="field-hint"),
            class_name="item-text",
        ),
        rx.el.button(
            "Ajouter",
            rx.el.span(" « ", item.title, " »", class_name="sr-only"),
            type="button",
            on_click=D.add_widget(item.id),
            class_name="button-small",
            id="add-" + item.id,
        ),
        class_name="item-row",
    )


def _attention_item(item: AttentionView) -> rx.Component:
    return rx.el.li(
        rx.el.p(item.text),
        rx.el.a(item.action, href=item.link, class_name="button button-primary"),
        class_name="attention-item",
        data_kind=item.kind,
    )


def greeting() -> rx.Component:
    """The first thing on the first screen (phones included): who is signed in, and what needs the
    holder now (a rejected or due payment, a claim waiting for the holder, a visit slot to choose,
    an offer to answer, an adviser's answer), whatever widgets the holder chose."""
    return rx.el.section(
        rx.el.p(
            "Bonjour ",
            rx.el.strong(SessionState.holder_name),
            ".",
            class_name="greeting",
        ),
        rx.cond(
            D.attention.length() > 0,
            rx.el.div(
                rx.icon("circle-alert", size=20, aria_hidden="true"),
                rx.el.div(
                    rx.el.h2("À faire maintenant", class_name="attention-title"),
                    rx.el.ul(
                        rx.foreach(D.attention, _attention_item),
                        class_name="attention-list",
                    ),
                    class_name="attention-body",
                ),
                class_name="attention",
                id="attention",
            ),
            rx.el.p(
                "Rien ne demande votre attention aujourd'hui.",
                class_name="field-hint",
                id="attention-none",
            ),
        ),
        aria_label="Bienvenue",
        class_name="greeting-card",
    )


def dashboard_page() -> rx.Component:
    return app_shell(
        "Tableau de bord",
        rx.cond(
            D.loaded,
            rx.el.div(
                greeting(),
                rx.el.a(
                    rx.icon("siren", size=18, aria_hidden="true"),
                    "Urgence : fuite, effraction, incendie",
                    href=routes.EMERGENCY,
                    class_name="button button-secondary",
                    id="emergency-link",
                ),
                notice(D.flash, kind="ok"),
                rx.el.div(
                    rx.el.button(
                        rx.cond(D.editing, "Terminer", "Personnaliser"),
                        type="button",
                        on_click=D.toggle_editing,
                        class_name="button button-secondary",
                        id="customise",
                    ),
                    rx.cond(
                        D.editing,
                        rx.el.button(
                            "Rétablir l'original",
                            type="button",
                            on_click=D.reset_layout,
                            class_name="button-link",
                            id="reset-layout",
                        ),
                    ),
                    rx.el.button(
                        rx.icon("download", size=18, aria_hidden="true"),
                        "Installer l'application",
                        type="button",
                        class_name="button-small",
                        custom_attrs={"data-install-app": "true"},
                    ),
                    class_name="button-row",
                ),
                rx.cond(
                    D.editing,
                    rx.el.p(
                        "Glissez-déposez les modules, ou utilisez les flèches.",
                        class_name="field-hint",
                    ),
                ),
                rx.el.form(
                    rx.el.input(type="hidden", name="order", id="dashboard-order"),
                    rx.el.button(
                        "Enregistrer l'ordre",
                        type="submit",
                        id="dashboard-order-submit",
                        hidden=True,
                    ),
                    on_submit=D.reorder,
                    reset_on_submit=False,
                    id="dashboard-order-form",
                ),
                rx.el.div(rx.foreach(D.slots, widget), class_name="widget-grid", id="widgets"),
                rx.cond(
                    D.editing & (D.catalogue.length() == 0),
                    rx.el.p(
                        "Tous les modules sont affichés : retirez-en un pour le remplacer, ou "
                        "changez leur ordre avec les flèches.",
                        class_name="field-hint",
                        id="catalogue-empty",
                    ),
                ),
                rx.cond(
                    D.editing & (D.catalogue.length() > 0),
                    rx.el.section(
                        rx.el.h2("Ajouter un module", class_name="card-title"),
                        rx.el.ul(
                            rx.foreach(D.catalogue, catalogue_item),
                            class_name="item-list",
                            id="catalogue",
                        ),
                        class_name="card",
                    ),
                ),
                class_name="stack",
            ),
            loading(),
        ),
    )
