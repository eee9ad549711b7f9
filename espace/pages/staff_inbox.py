"""/gestion/messages (the inbox of holders' secure messages) and /gestion/message?n=… (one
conversation)."""

from __future__ import annotations

import reflex as rx

from espace import routes
from espace.components.facts import fact
from espace.components.filters import filter_check, queue_filters
from espace.components.forms import field_error, form_alert, notice, submit_button
from espace.components.layout import loading
from espace.pages.messages import attachment_zone, message_item
from espace.pages.staff import staff_shell
from espace.pages.staff_fields import select_field, textarea_field
from espace.state.staff_inbox import (
    ASSIGNED_FILTERS,
    CATEGORY_FILTERS,
    STAFF_REPLY_UPLOAD_ID,
    STATUS_FILTERS,
    AuditItem,
    InboxItem,
)
from espace.state.staff_inbox import StaffInboxState as I
from espace.state.staff_inbox import StaffThreadState as T
from espace.support import thread_rules

# ----- the inbox ---------------------------------------------------------------------------------


def inbox_filters() -> rx.Component:
    return queue_filters(
        select_field(
            field_id="f-status",
            name="status",
            label="Statut",
            options=STATUS_FILTERS,
            value=I.f_status,
            on_change=I.filter_status,
        ),
        select_field(
            field_id="f-category",
            name="category",
            label="Sujet",
            options=CATEGORY_FILTERS,
            value=I.f_category,
            on_change=I.filter_category,
        ),
        select_field(
            field_id="f-assigned",
            name="assigned",
            label="Attribution",
            options=ASSIGNED_FILTERS,
            value=I.f_assigned,
            on_change=I.filter_assigned,
        ),
        checks=(
            filter_check(
                "f-late", "late", "En retard seulement", checked=I.f_late, on_change=I.filter_late
            ),
        ),
        active=I.active_filters,
        on_submit=I.apply_filters,
        label="Filtrer les conversations",
        form_id="inbox-filters",
        submit_id="apply-inbox-filters",
    )


def inbox_figures() -> rx.Component:
    return rx.el.section(
        rx.el.h2("Délais de réponse", class_name="sr-only"),
        rx.el.dl(rx.foreach(I.figures, lambda f: fact(f[0], f[1])), class_name="facts"),
        class_name="card",
        id="inbox-figures",
        aria_label="Délais de réponse",
    )


INBOX_COLUMNS = (
    "Objet",
    "Assuré",
    "Sujet",
    "Statut",
    "Dernier message",
    "Réponse attendue",
    "Délai",
    "Attribuée à",
)


def inbox_row(row: InboxItem) -> rx.Component:
    # Each cell carries its column's name: under 900 px the rows become cards (as the claims queue).
    return rx.el.tr(
        rx.el.th(
            rx.el.a(row.subject, href=row.url),
            rx.cond(
                row.unread, rx.el.span(" ", rx.el.span("Nouveau", class_name="badge badge-warn"))
            ),
            rx.cond(
                row.from_assistant,
                rx.el.span(" ", rx.el.span("Assistant", class_name="badge staff-badge-express")),
            ),
            scope="row",
            class_name="cell-wrap",
        ),
        rx.el.td(row.holder, data_label="Assuré"),
        rx.el.td(row.category, data_label="Sujet"),
        rx.el.td(
            rx.el.span(row.status, class_name="badge", data_status=row.badge), data_label="Statut"
        ),
        rx.el.td(row.last, data_label="Dernier message"),
        rx.el.td(row.due, data_label="Réponse attendue"),
        rx.el.td(
            row.left,
            rx.cond(
                row.late, rx.el.span(" ", rx.el.span("En retard", class_name="badge badge-warn"))
            ),
            data_label="Délai",
        ),
        rx.el.td(row.assignee, data_label="Attribuée à"),
        data_late=rx.cond(row.late, "true", "false"),
    )


def inbox_table() -> rx.Component:
    return rx.el.div(
        rx.el.table(
            rx.el.caption(
                "Conversations avec les assurés, la réponse la plus urgente d'abord",
                class_name="sr-only",
            ),
            rx.el.thead(rx.el.tr(*[rx.el.th(col, scope="col") for col in INBOX_COLUMNS])),
            rx.el.tbody(rx.foreach(I.rows, inbox_row)),
            class_name="table staff-queue-table",
            id="inbox",
        ),
        class_name="staff-table-scroll",
        role="region",
        tab_index=0,
        aria_label="Liste des conversations (faites défiler horizontalement sur petit écran)",
    )


def unhelpful_articles() -> rx.Component:
    """Help articles holders answered "Non" to "Cet article vous a-t-il aidé ?": what to rewrite
    first."""
    return rx.cond(
        I.unhelpful_articles.length() > 0,
        rx.el.section(
            rx.el.h2("Articles d'aide jugés peu utiles", class_name="card-title"),
            rx.el.ul(
                rx.foreach(
                    I.unhelpful_articles,
                    lambda row: rx.el.li(
                        rx.el.strong(row[0]), " (", rx.el.code(row[1]), ") — ", row[3], ", ", row[2]
                    ),
                ),
                class_name="stack-sm",
            ),
            class_name="card",
            id="help-feedback",
        ),
    )


def staff_inbox_page() -> rx.Component:
    return staff_shell(
        "Messages des assurés",
        form_alert(I.error),
        rx.cond(
            ~I.loaded,
            loading(),
            rx.cond(
                I.error == "",
                rx.fragment(
                    inbox_figures(),
                    inbox_filters(),
                    rx.cond(
                        I.rows.length() == 0,
                        rx.el.p(
                            "Aucune conversation ne correspond à ces filtres.", class_name="empty"
                        ),
                        rx.fragment(
                            rx.el.p(
                                I.rows.length().to_string(),
                                rx.cond(I.rows.length() == 1, " conversation", " conversations"),
                                class_name="result-count",
                                role="status",
                            ),
                            inbox_table(),
                        ),
                    ),
                    unhelpful_articles(),
                ),
            ),
        ),
        subtitle=(
            "Objectifs de réponse : sinistre "
            f"{thread_rules.REPLY_TARGET_WORKING_DAYS['claim']} jour ouvré, autres sujets "
            f"{thread_rules.REPLY_TARGET_WORKING_DAYS['other']} jours ouvrés (avant 18 h)."
        ),
    )


# ----- one conversation ---------------------------------------------------------------------------


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
