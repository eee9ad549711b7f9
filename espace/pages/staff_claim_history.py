"""/gestion/sinistre: what happened (the timeline, the messages with the holder, the audit log and
the reads of the claim)."""

from __future__ import annotations

import reflex as rx

from espace.components.forms import form_alert, submit_button
from espace.pages.staff_claim_parts import _allowed, _err, _section, _version
from espace.pages.staff_fields import textarea_field
from espace.state.staff_claim_rows import AuditRow, EventRow, MessageRow
from espace.state.staff_claims import StaffClaimState as C


def _event(item: EventRow) -> rx.Component:
    return rx.el.li(
        rx.el.p(
            rx.el.strong(item.label),
            " — ",
            item.at,
            rx.cond(item.by != "", rx.el.span(" (", item.by, ")", class_name="muted")),
        ),
        rx.cond(item.detail != "", rx.el.p(item.detail, class_name="staff-prewrap")),
        rx.cond(
            item.next_step != "",
            rx.el.p("Annoncé à l'assuré : ", item.next_step, class_name="muted"),
        ),
        class_name="staff-timeline-item",
    )


def timeline_card() -> rx.Component:
    return _section(
        "Historique",
        "staff-timeline",
        rx.el.ol(rx.foreach(C.timeline, _event), class_name="staff-timeline"),
    )


def _message(item: MessageRow) -> rx.Component:
    return rx.el.li(
        rx.el.p(rx.el.strong(item.author), " — ", item.at, class_name="staff-message-head"),
        rx.el.p(item.body, class_name="staff-prewrap"),
        class_name=rx.cond(
            item.from_staff, "staff-message staff-msg-mine", "staff-message staff-msg-holder"
        ),
    )


def messages_card() -> rx.Component:
    return rx.cond(
        _allowed("messages"),
        _section(
            "Messages avec l'assuré",
            "messages",
            rx.cond(
                C.messages.length() == 0,
                rx.el.p("Aucun message pour le moment.", class_name="empty"),
                rx.el.ol(rx.foreach(C.messages, _message), class_name="staff-message-list"),
            ),
            rx.el.form(
                form_alert(_err("messages"), element_id="reply-alert"),
                textarea_field(
                    field_id="reply-body",
                    label="Votre message à l'assuré",
                    error=_err("message"),
                    rows=4,
                    max_length=4000,
                    hint=(
                        "L'assuré est prévenu par e-mail ; le texte n'est lisible que dans son "
                        "espace."
                    ),
                ),
                submit_button("Envoyer le message", block=False, id="reply"),
                on_submit=C.reply,
                reset_on_submit=False,
                no_validate=True,
                key=_version("messages"),
            ),
        ),
    )


def _audit_row(item: AuditRow) -> rx.Component:
    return rx.el.tr(
        rx.el.td(item.at),
        rx.el.td(item.who),
        rx.el.th(item.action, scope="row"),
        rx.el.td(item.detail),
    )


def _read_row(item) -> rx.Component:
    return rx.el.tr(
        rx.el.td(item.at), rx.el.th(item.who, scope="row"), rx.el.td(item.role), rx.el.td(item.what)
    )


def audit_card() -> rx.Component:
    return rx.cond(
        _allowed("audit"),
        _section(
            "Journal des actions",
            "audit",
            rx.cond(
                C.audit.length() == 0,
                rx.el.p("Aucune action enregistrée.", class_name="empty"),
                rx.el.div(
                    rx.el.table(
                        rx.el.thead(
                            rx.el.tr(
                                *[
                                    rx.el.th(c, scope="col")
                                    for c in ("Quand", "Qui", "Action", "Détail")
                                ]
                            )
                        ),
                        rx.el.tbody(rx.foreach(C.audit, _audit_row)),
                        class_name="table",
                    ),
                    class_name="table-wrap",
                    tab_index=0,
                    role="region",
                    aria_label="Journal des actions",
                ),
            ),
            rx.el.h3("Consultations du dossier", class_name="card-subtitle"),
            rx.el.p(
                "Chaque ouverture du dossier ou d'un de ses fichiers par un collaborateur "
                "(l'assuré en voit la date, le rôle et l'objet dans « Mes données »).",
                class_name="field-hint",
            ),
            rx.cond(
                C.reads.length() == 0,
                rx.el.p("Aucune consultation enregistrée.", class_name="empty"),
                rx.el.div(
                    rx.el.table(
                        rx.el.thead(
                            rx.el.tr(
                                *[
                                    rx.el.th(c, scope="col")
                                    for c in ("Quand", "Qui", "Rôle", "Consulté")
                                ]
                            )
                        ),
                        rx.el.tbody(rx.foreach(C.reads, _read_row)),
                        class_name="table",
                        id="claim-reads",
                    ),
                    class_name="table-wrap",
                    tab_index=0,
                    role="region",
                    aria_label="Consultations du dossier",
                ),
            ),
        ),
    )
