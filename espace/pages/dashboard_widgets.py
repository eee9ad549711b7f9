"""'Tableau de bord': what each widget shows (next payment, claims, attestations,
notifications, guarantees, messages, security, documents, contacts)."""

from __future__ import annotations

import reflex as rx

from espace import routes
from espace.components.contact import assistance_link, customer_service_link
from espace.components.forms import form_alert
from espace.state.dashboard import ClaimCardView, DashboardState

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
