"""/dev/boite-mail: development-only view of sent e-mails and SMS (never registered in
production)."""

from __future__ import annotations

import reflex as rx

from espace.components.layout import brand
from espace.state.dev_outbox import OutboxItem, OutboxState


def message(item: OutboxItem) -> rx.Component:
    return rx.el.article(
        rx.el.header(
            rx.el.span(rx.cond(item.channel == "sms", "SMS", "E-mail"), class_name="badge"),
            rx.el.strong(item.subject),
            rx.el.span("à ", item.recipient, " · ", item.when, class_name="field-hint"),
            class_name="outbox-head",
        ),
        rx.el.p(
            rx.foreach(
                item.parts,
                lambda part: rx.cond(
                    part[1] == "link", rx.el.a(part[0], href=part[0]), rx.el.span(part[0])
                ),
            ),
            class_name="outbox-body",
        ),
        class_name="card outbox-item",
        data_recipient=item.recipient,
    )


def outbox_page() -> rx.Component:
    return rx.el.div(
        rx.el.header(
            brand(), rx.el.span("Développement", class_name="badge badge-warn"), class_name="topbar"
        ),
        rx.el.main(
            rx.el.h1("Messages envoyés", class_name="page-title"),
            rx.el.p(
                "En développement, les e-mails et SMS ne partent pas : ils sont affichés ici. "
                "Cette page n'existe pas en production.",
                class_name="page-subtitle",
            ),
            rx.el.button(
                "Actualiser",
                type="button",
                on_click=OutboxState.load,
                class_name="button button-secondary",
            ),
            rx.el.div(rx.foreach(OutboxState.items, message), class_name="stack outbox"),
            id="contenu",
            class_name="content content-wide",
        ),
        data_hydrated=rx.State.is_hydrated.to_string(),
    )
