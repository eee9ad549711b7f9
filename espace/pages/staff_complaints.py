"""/gestion/reclamations (the complaints queue, with the deadlines and late flags) and
/gestion/reclamation?n=… (one complaint: assignment, answer, audit)."""

from __future__ import annotations

import reflex as rx

from espace import routes
from espace.components.facts import fact
from espace.components.filters import filter_check, queue_filters
from espace.components.forms import form_alert, notice, submit_button
from espace.components.layout import loading
from espace.pages.complaints import _exchange_item
from espace.pages.staff import staff_shell
from espace.pages.staff_fields import select_field, textarea_field
from espace.state.staff_complaints import ASSIGNED_FILTERS, STATUS_FILTERS, QueueItem
from espace.state.staff_complaints import StaffComplaintsState as Q
from espace.state.staff_complaints import StaffComplaintState as C
from espace.support import complaint_rules

COLUMNS = (
    "Référence",
    "Assuré",
    "Objet",
    "Statut",
    "Déposée le",
    "Accusé dû le",
    "Réponse due le",
    "Délai",
    "Attribuée à",
)


def _filters() -> rx.Component:
    return queue_filters(
        select_field(
            field_id="c-status",
            name="status",
            label="Statut",
            options=STATUS_FILTERS,
            default_value=Q.f_status,
        ),
        select_field(
            field_id="c-assigned",
            name="assigned",
            label="Attribution",
            options=ASSIGNED_FILTERS,
            default_value=Q.f_assigned,
        ),
        checks=(filter_check("c-late", "late", "En retard seulement", default_checked=Q.f_late),),
        active=Q.active_filters,
        on_submit=Q.apply_filters,
        label="Filtrer les réclamations",
        form_id="complaint-filters",
        submit_id="apply-complaint-filters",
    )


def _row(row: QueueItem) -> rx.Component:
    # Each cell carries its column's name: under 900 px the rows become cards (as the claims queue).
    return rx.el.tr(
        rx.el.th(
            rx.el.a(row.reference, href=row.url),
            rx.cond(
                row.disputed_offer,
                rx.el.span(" ", rx.el.span("Offre contestée", class_name="badge badge-warn")),
            ),
            scope="row",
        ),
        rx.el.td(row.holder, data_label=COLUMNS[1]),
        rx.el.td(row.topic, " : ", row.subject, data_label=COLUMNS[2]),
        rx.el.td(row.status, data_label=COLUMNS[3]),
        rx.el.td(row.filed, data_label=COLUMNS[4]),
        rx.el.td(row.acknowledgement_due, data_label=COLUMNS[5]),
        rx.el.td(row.answer_due, data_label=COLUMNS[6]),
        rx.el.td(
            row.left,
            rx.cond(
                row.late, rx.el.span(" ", rx.el.span("En retard", class_name="badge badge-warn"))
            ),
            data_label=COLUMNS[7],
        ),
        rx.el.td(row.assignee, data_label=COLUMNS[8]),
        data_late=rx.cond(row.late, "true", "false"),
    )


def staff_complaints_page() -> rx.Component:
    table = rx.el.div(
        rx.el.table(
            rx.el.caption("Réclamations, l'échéance la plus proche d'abord", class_name="sr-only"),
            rx.el.thead(rx.el.tr(*[rx.el.th(col, scope="col") for col in COLUMNS])),
            rx.el.tbody(rx.foreach(Q.rows, _row)),
            class_name="table staff-queue-table",
            id="complaints-queue",
        ),
        class_name="staff-table-scroll",
        role="region",
        tab_index=0,
        aria_label="Liste des réclamations (faites défiler horizontalement sur petit écran)",
    )
    return staff_shell(
        "Réclamations",
        form_alert(Q.error),
        rx.cond(
            ~Q.loaded,
            loading(),
            rx.cond(
                Q.error == "",
                rx.fragment(
                    rx.el.section(
                        rx.el.h2("Chiffres des réclamations", class_name="sr-only"),
                        rx.el.dl(
                            rx.foreach(Q.figures, lambda f: fact(f[0], f[1])), class_name="facts"
                        ),
                        class_name="card",
                        id="complaint-figures",
                        aria_label="Chiffres des réclamations",
                    ),
                    _filters(),
                    rx.cond(
                        Q.rows.length() == 0,
                        rx.el.p(
                            "Aucune réclamation ne correspond à ces filtres.", class_name="empty"
                        ),
                        table,
                    ),
                ),
            ),
        ),
        subtitle=(
            "Recommandation ACPR 2022-R-01 : accusé de réception sous 10 jours ouvrables (fait "
            "par le portail à l'envoi), réponse sous deux mois ; la réponse clôt la réclamation."
        ),
    )


def _assignment() -> rx.Component:
    return rx.el.section(
        rx.el.h2("Attribution", class_name="card-title"),
        rx.el.p("Attribuée à : ", rx.el.strong(C.assignee), id="complaint-assignee"),
        rx.el.div(
            rx.el.button(
                "Prendre en charge",
                type="button",
                on_click=C.take,
                class_name="button button-secondary",
                id="take-complaint",
            ),
            class_name="button-row",
        ),
        rx.cond(
            C.is_manager,
            rx.el.form(
                select_field(
                    # an id unlike the name: Reflex replaces a submitted field by the ref of the
                    # control whose id equals its name, and keeps no ref for this select (the
                    # choice arrived empty); see pages/settlement.py
                    field_id="complaint-assign-to",
                    name="assignee",
                    label="Attribuer à",
                    options=C.assignable,
                    default_value=C.assignee_id,
                    error=C.errors.get("assignee", ""),
                ),
                submit_button("Attribuer", block=False, id="assign-complaint"),
                on_submit=C.assign,
                reset_on_submit=False,
                no_validate=True,
                class_name="stack",
            ),
        ),
        class_name="card stack",
    )


def _answer_form() -> rx.Component:
    return rx.el.form(
        rx.el.h2("Répondre", class_name="card-title"),
        textarea_field(
            field_id="complaint-answer",
            name="body",
            label="Réponse à l'assuré (elle clôt la réclamation)",
            error=C.errors.get("body", ""),
            rows=6,
            max_length=complaint_rules.BODY_MAX,
            hint="La réponse rappelle au besoin la possibilité de saisir le médiateur.",
        ),
        submit_button("Envoyer la réponse", block=False, id="send-complaint-answer"),
        on_submit=C.answer,
        reset_on_submit=True,
        no_validate=True,
        class_name="card stack",
        key=C.form_version.to_string(),
    )


def _audit() -> rx.Component:
    return rx.el.section(
        rx.el.h2("Journal", class_name="card-title"),
        rx.cond(
            C.audit.length() == 0,
            rx.el.p("Aucune action pour le moment.", class_name="empty"),
            rx.el.ul(
                rx.foreach(
                    C.audit,
                    lambda a: rx.el.li(a[2], " — ", rx.el.strong(a[0]), " : ", a[1], " ", a[3]),
                ),
                class_name="stack-sm",
                id="complaint-audit",
            ),
        ),
        class_name="card",
    )


def staff_complaint_page() -> rx.Component:
    row = C.complaint
    body = rx.fragment(
        notice(C.flash, kind="ok"),
        rx.el.section(
            rx.el.h2("Délais", class_name="sr-only"),
            rx.el.dl(
                fact("Assuré", C.holder),
                fact("Statut", row.status_label),
                fact("Concerne", rx.cond(row.linked != "", row.linked, row.topic)),
                fact("Objet", row.subject),
                fact("Déposée et accusée le", row.filed),
                fact("Accusé dû le", row.acknowledgement_due),
                fact("Réponse due le", row.answer_due),
                rx.cond(row.left != "", fact("Délai", row.left)),
                rx.cond(C.answered != "", fact("Répondue le", C.answered)),
                class_name="facts",
                id="complaint-facts",
            ),
            rx.cond(row.late, rx.el.p("Réponse en retard", class_name="badge badge-warn")),
            class_name="card",
            aria_label="Délais",
        ),
        rx.el.section(
            rx.el.h2("Échange", class_name="card-title"),
            rx.el.ol(rx.foreach(C.exchange, _exchange_item), class_name="stack", id="exchange"),
            class_name="stack",
        ),
        rx.cond(row.status == "open", rx.fragment(_assignment(), _answer_form())),
        _audit(),
    )
    return staff_shell(
        rx.cond(C.found, "Réclamation " + row.reference, "Réclamation"),
        form_alert(C.errors.get("form", "")),
        rx.cond(
            C.loaded,
            rx.cond(
                C.found, body, rx.el.p("Cette réclamation est introuvable.", class_name="empty")
            ),
            loading(),
        ),
        rx.el.p(rx.el.a("← Toutes les réclamations", href=routes.STAFF_COMPLAINTS)),
    )


__all__ = ["staff_complaint_page", "staff_complaints_page"]
