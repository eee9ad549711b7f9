"""/gestion/message?n=…: one conversation of a holder's secure messages, for an adviser (the
holder, the assistant's transcript, the messages, the reply, the actions and their audit)."""

from __future__ import annotations

import reflex as rx

from espace import routes
from espace.components.facts import fact
from espace.components.forms import field_error, form_alert, notice, submit_button
from espace.components.layout import loading
from espace.pages.message_thread import message_item
from espace.pages.messages import attachment_zone
from espace.pages.staff import staff_shell
from espace.pages.staff_fields import select_field, textarea_field
from espace.state.staff_thread import STAFF_REPLY_UPLOAD_ID, AuditItem
from espace.state.staff_thread import StaffThreadState as T
from espace.support import thread_rules


def _err(name: str) -> rx.Var:
    return T.errors.get(name, "")


def _section(title: str, section_id: str, *children) -> rx.Component:
    return rx.el.section(
        rx.el.h2(title, class_name="card-title", id=f"{section_id}-title"),
        *children,
        class_name="card",
        aria_labelledby=f"{section_id}-title",
        id=section_id,
    )


def holder_card() -> rx.Component:
    return _section(
        "Assuré et demande",
        "thread-holder",
        rx.el.dl(
            fact("Assuré", T.holder_name),
            fact("E-mail", T.holder_email),
            fact("Contrats", T.contract_numbers),
            fact("Sujet", T.category),
            rx.cond(T.linked != "", fact("Concerne", T.linked)),
            fact("Origine", T.origin),
            fact("Ouverte le", T.created),
            fact("Attribuée à", rx.cond(T.assignee != "", T.assignee, "Personne")),
            rx.cond(T.due != "", fact("Réponse attendue", rx.fragment(T.due, " (", T.left, ")"))),
            rx.cond(T.rating != "", fact("Avis de l'assuré", T.rating)),
            class_name="facts",
        ),
    )


def transcript_card() -> rx.Component:
    return rx.cond(
        T.transcript.length() > 0,
        _section(
            "Conversation avec l'assistant",
            "assistant-transcript",
            rx.el.p(
                "Échange de l'assuré avec l'assistant Espace, avant la transmission à un "
                "conseiller.",
                class_name="field-hint",
            ),
            rx.el.ol(rx.foreach(T.transcript, message_item), class_name="messages"),
        ),
    )


def conversation_card() -> rx.Component:
    return _section(
        "Messages",
        "thread-messages",
        rx.el.ol(rx.foreach(T.conversation, message_item), class_name="messages", id="messages"),
    )


def reply_card() -> rx.Component:
    return rx.cond(
        T.status != "resolved",
        _section(
            "Répondre à l'assuré",
            "thread-reply",
            rx.el.form(
                textarea_field(
                    field_id="staff-reply-body",
                    name="body",
                    label="Votre réponse",
                    error=_err("body"),
                    rows=6,
                    max_length=thread_rules.BODY_MAX,
                    hint=(
                        "L'assuré est prévenu par e-mail ; votre texte n'est lisible que dans son "
                        "espace."
                    ),
                ),
                attachment_zone(STAFF_REPLY_UPLOAD_ID, _err("files")),
                rx.el.div(
                    submit_button("Envoyer la réponse", block=False, id="send-staff-reply"),
                    class_name="button-row",
                ),
                on_submit=lambda form_data: T.reply(
                    rx.upload_files(upload_id=STAFF_REPLY_UPLOAD_ID), form_data
                ),
                reset_on_submit=False,
                no_validate=True,
                key=T.form_version.to_string(),
                class_name="stack",
            ),
        ),
    )


def _audit_row(item: AuditItem) -> rx.Component:
    return rx.el.li(
        rx.el.strong(item.action),
        " — ",
        item.at,
        " (",
        item.who,
        ")",
        rx.cond(item.detail != "", rx.fragment(" : ", item.detail)),
    )


def actions_panel() -> rx.Component:
    return rx.el.aside(
        rx.el.h2("Actions", class_name="card-title", id="thread-actions-title"),
        notice(T.flash, kind="ok"),
        form_alert(_err("action"), element_id="action-alert"),
        rx.cond(
            T.can_take,
            rx.el.button(
                "Prendre la conversation",
                type="button",
                on_click=T.take,
                class_name="button button-primary",
                id="take-thread",
            ),
        ),
        rx.cond(
            T.can_assign,
            rx.el.form(
                select_field(
                    field_id="thread-assign-to",  # unlike the name: see pages/staff_complaints.py
                    name="assignee",
                    label="Attribuer à",
                    options=T.assignee_options,
                    first="Choisissez un gestionnaire",
                    error=_err("assignee"),
                    default_value="",
                ),
                submit_button("Attribuer", block=False, id="assign-thread"),
                on_submit=T.assign,
                reset_on_submit=False,
                no_validate=True,
                key=T.form_version.to_string(),
            ),
        ),
        rx.cond(
            T.status != "resolved",
            rx.el.button(
                "Marquer comme résolue",
                type="button",
                on_click=T.resolve,
                class_name="button button-secondary",
                id="resolve-thread",
            ),
            rx.el.button(
                "Rouvrir la conversation",
                type="button",
                on_click=T.reopen,
                class_name="button button-secondary",
                id="reopen-thread",
            ),
        ),
        rx.cond(
            T.audit.length() > 0,
            rx.fragment(
                rx.el.h3("Journal", class_name="card-subtitle"),
                rx.el.ul(
                    rx.foreach(T.audit, _audit_row), class_name="plain-list", id="thread-audit"
                ),
            ),
        ),
        rx.cond(
            T.reads.length() > 0,
            rx.fragment(
                rx.el.h3("Consultations", class_name="card-subtitle"),
                rx.el.ul(
                    rx.foreach(T.reads, _audit_row), class_name="plain-list", id="thread-reads"
                ),
            ),
        ),
        class_name="card staff-actions stack",
        aria_labelledby="thread-actions-title",
        id="thread-actions",
    )


def staff_thread_page() -> rx.Component:
    return staff_shell(
        rx.cond(T.found, T.subject, rx.cond(T.loaded, "Conversation introuvable", "Conversation")),
        rx.el.p(
            rx.el.a("← Retour aux messages", href=routes.STAFF_INBOX), class_name="staff-back-link"
        ),
        form_alert(_err("form")),
        rx.cond(
            ~T.loaded,
            loading(),
            rx.cond(
                T.found,
                rx.fragment(
                    rx.el.div(
                        rx.el.span(
                            T.status_label,
                            class_name="badge",
                            data_status=T.badge,
                            id="thread-status",
                        ),
                        rx.cond(T.late, rx.el.span("En retard", class_name="badge badge-warn")),
                        class_name="staff-badges staff-claim-head",
                    ),
                    rx.el.div(
                        rx.el.div(
                            holder_card(),
                            transcript_card(),
                            conversation_card(),
                            reply_card(),
                            field_error(_err("thread"), "thread"),
                            class_name="stack",
                        ),
                        actions_panel(),
                        class_name="staff-claim-grid",
                    ),
                ),
                rx.el.div(
                    rx.el.p("Conversation introuvable.", id="thread-not-found"),
                    rx.el.p(rx.el.a("Revenir aux messages", href=routes.STAFF_INBOX)),
                    class_name="card",
                ),
            ),
        ),
    )
