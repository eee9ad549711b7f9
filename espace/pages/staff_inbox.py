"""/gestion/messages: the inbox of holders' secure messages (one conversation:
``pages/staff_thread.py``)."""

from __future__ import annotations

import reflex as rx

from espace.components.facts import fact
from espace.components.filters import filter_check, queue_filters
from espace.components.forms import form_alert
from espace.components.layout import loading
from espace.pages.staff import staff_shell
from espace.pages.staff_fields import select_field
from espace.state.staff_inbox import ASSIGNED_FILTERS, CATEGORY_FILTERS, STATUS_FILTERS, InboxItem
from espace.state.staff_inbox import StaffInboxState as I
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
