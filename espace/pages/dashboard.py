"""'Tableau de bord': widgets the holder adds, removes, reorders (drag and drop, or the arrow
buttons for keyboard and touch) and widens; saved per holder."""

from __future__ import annotations

import reflex as rx

from espace import routes
from espace.components.contact import assistance_link, customer_service_link
from espace.components.forms import form_alert, notice
from espace.components.layout import app_shell, loading
from espace.state.dashboard import (
    AttentionView,
    CatalogueItem,
    ClaimCardView,
    DashboardState,
    SlotView,
)
from espace.state.session import SessionState

D = DashboardState


def _empty(text: str) -> rx.Component:
    return rx.el.p(text, class_name="empty")


def w_next_payment() -> rx.Component:
    return rx.el.div(
        rx.cond(
            D.next_payment.length() > 0,
            rx.el.dl(
                rx.foreach(
                    D.next_payment,
                    lambda p: rx.el.div(rx.el.dt(p.label), rx.el.dd(p.value), class_name="fact"),
                ),
                class_name="facts",
            ),
            _empty("Aucune échéance à venir."),
        ),
        rx.cond(
            D.next_payment_note != "", rx.el.p(D.next_payment_note, class_name="notice notice-warn")
        ),
        rx.el.a("Mes paiements", href=routes.PAYMENTS, class_name="widget-link"),
    )


def _claim(card: ClaimCardView) -> rx.Component:
    return rx.el.a(
        rx.el.strong(card.peril, " — ", card.number),
        rx.el.span(card.stage, " · ", card.step, class_name="field-hint"),
        rx.el.div(
            rx.el.div(class_name="progress-bar", style={"width": card.progress.to_string() + "%"}),
            class_name="progress",
            aria_hidden="true",
        ),
        rx.cond(card.next != "", rx.el.span(card.next, class_name="field-hint")),
        href=card.link,
        class_name="mini-claim",
    )


def w_claims() -> rx.Component:
    return rx.el.div(
        rx.cond(
            D.claims.length() > 0,
            rx.el.div(rx.foreach(D.claims, _claim), class_name="stack-sm"),
            _empty("Aucun sinistre en cours."),
        ),
        rx.el.div(
            rx.el.a("Déclarer un sinistre", href=routes.CLAIM_NEW, class_name="button-small"),
            rx.el.a("Tous mes sinistres", href=routes.CLAIMS, class_name="widget-link"),
            class_name="button-row",
        ),
    )


def w_attestations() -> rx.Component:
    return rx.el.div(
        form_alert(D.attestation_error, element_id="attestation-error"),
        rx.foreach(
            D.contracts,
            lambda c: rx.el.button(
                rx.icon("file-down", size=18, aria_hidden="true"),
                "Attestation ",
                c.place,
                type="button",
                on_click=D.quick_attestation(c.id),
                class_name="button button-secondary button-block",
                id="quick-attestation-" + c.number,
            ),
        ),
        rx.cond(D.contracts.length() == 0, _empty("Aucun contrat en cours.")),
        rx.el.a("Autres attestations", href=routes.DOCUMENTS, class_name="widget-link"),
        class_name="stack-sm",
    )


def _link_list(items, empty: str) -> rx.Component:
    return rx.cond(
        items.length() > 0,
        rx.el.ul(
            rx.foreach(
                items,
                lambda i: rx.el.li(
                    rx.el.a(i.title, href=i.link),
                    rx.cond(i.detail != "", rx.el.p(i.detail, class_name="field-hint")),
                    rx.el.span(i.date, class_name="field-hint"),
                    class_name=rx.cond(i.unread, "unread", ""),
                ),
            ),
            class_name="widget-list",
        ),
        _empty(empty),
    )


def _doc_list() -> rx.Component:
    return rx.cond(
        D.documents.length() > 0,
        rx.el.ul(
            rx.foreach(
                D.documents,
                lambda i: rx.el.li(
                    rx.el.a(
                        i.title, href=i.link, download=True, custom_attrs={"reloadDocument": True}
                    ),
                    rx.el.span(" · ", i.date, class_name="field-hint"),
                ),
            ),
            class_name="widget-list",
        ),
        _empty("Aucun document."),
    )


def w_guarantees() -> rx.Component:
    return rx.el.div(
        rx.foreach(
            D.contracts,
            lambda c: rx.el.div(
                rx.el.a(rx.el.strong(c.place), " · formule ", c.formula, href=c.link),
                rx.el.div(
                    rx.foreach(c.categories, lambda cat: rx.el.span(cat, class_name="badge")),
                    rx.cond(c.more > 0, rx.el.span("+", c.more.to_string(), class_name="badge")),
                    class_name="badge-row",
                ),
                class_name="stack-sm",
            ),
        ),
        class_name="stack",
    )


def w_security() -> rx.Component:
    return rx.el.div(
        rx.el.p(rx.el.strong(D.security_score.to_string(), " / 100"), class_name="score"),
        rx.foreach(D.security_todo, lambda t: rx.el.p("À faire : ", t, class_name="field-hint")),
        rx.el.a("Améliorer ma sécurité", href=routes.SECURITY, class_name="widget-link"),
    )


def w_contacts() -> rx.Component:
    return rx.el.div(
        rx.el.p("Assistance 24 h/24 : ", assistance_link()),
        rx.el.p("Service client : ", customer_service_link()),
        rx.el.a("Aide et questions fréquentes", href=routes.HELP, class_name="widget-link"),
    )


def widget_body(widget_id) -> rx.Component:
    return rx.match(
        widget_id,
        ("next_payment", w_next_payment()),
        ("claims", w_claims()),
        ("attestations", w_attestations()),
        (
            "notifications",
            rx.el.div(
                _link_list(D.notifications, "Aucune notification."),
                rx.el.a(
                    "Toutes les notifications", href=routes.NOTIFICATIONS, class_name="widget-link"
                ),
            ),
        ),
        ("guarantees", w_guarantees()),
        ("messages", _link_list(D.messages, "Aucun message.")),
        ("security", w_security()),
        (
            "documents",
            rx.el.div(
                _doc_list(),
                rx.el.a("Mes documents", href=routes.DOCUMENTS, class_name="widget-link"),
            ),
        ),
        ("contacts", w_contacts()),
        rx.fragment(),
    )


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
