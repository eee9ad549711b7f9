"""/gestion/sinistres (the claims queue) and /gestion/sinistre?n=… (one claim with its action
panel)."""

from __future__ import annotations

import reflex as rx

from espace import routes
from espace.components.filters import filter_check, queue_filters
from espace.components.forms import form_alert
from espace.components.layout import loading
from espace.components.text import plural
from espace.pages.settlement import staff_offer_card
from espace.pages.staff import staff_shell
from espace.pages.staff_claim_actions import action_panel
from espace.pages.staff_claim_cards import (
    declaration_card,
    files_card,
    indemnity_card,
    items_card,
    people_card,
)
from espace.pages.staff_claim_history import audit_card, messages_card, timeline_card
from espace.pages.staff_claim_parts import _badge
from espace.pages.staff_fields import select_field
from espace.pages.visits import staff_visit_card
from espace.state.staff_claim_rows import AGE_FILTERS, PERIL_FILTERS, STATUS_FILTERS, QueueItem
from espace.state.staff_claims import StaffClaimsState as Q
from espace.state.staff_claims import StaffClaimState as C

# ----- the queue ---------------------------------------------------------------------------------


def filters_form() -> rx.Component:
    return queue_filters(
        select_field(
            field_id="f-status",
            name="status",
            label="Étape",
            options=STATUS_FILTERS,
            value=Q.f_status,
            on_change=Q.filter_status,
        ),
        select_field(
            field_id="f-peril",
            name="peril",
            label="Événement",
            options=PERIL_FILTERS,
            value=Q.f_peril,
            on_change=Q.filter_peril,
        ),
        select_field(
            field_id="f-age",
            name="age",
            label="Ancienneté de la déclaration",
            options=AGE_FILTERS,
            value=Q.f_age,
            on_change=Q.filter_age,
        ),
        checks=(
            filter_check(
                "f-late", "late", "En retard seulement", checked=Q.f_late, on_change=Q.filter_late
            ),
            filter_check(
                "f-mine",
                "mine",
                "Mes dossiers seulement",
                checked=Q.f_mine,
                on_change=Q.filter_mine,
            ),
        ),
        buttons=(
            rx.el.button(
                "Réinitialiser",
                type="button",
                on_click=Q.clear_filters,
                class_name="button button-secondary",
                id="clear-filters",
            ),
        ),
        active=Q.active_filters,
        on_submit=Q.apply_filters,
        label="Filtrer les dossiers",
        form_id="queue-filters",
        submit_id="apply-filters",
    )


# Eight columns fit 1280 px without sideways scrolling: what belongs together shares a cell (the
# holder and the contract, the date and the age, the handler and the expert, the amounts). Under
# 900 px each row becomes a card whose cells carry their column's name (``data-label``).
QUEUE_COLUMNS = (
    "Dossier",
    "Assuré · contrat",
    "Événement",
    "Étape",
    "Reçu",
    "Échéance",
    "Suivi par",
    "Montants",
)


def _cell(label: str, *children, **props) -> rx.Component:
    return rx.el.td(*children, data_label=label, **props)


def queue_row(row: QueueItem) -> rx.Component:
    return rx.el.tr(
        rx.el.th(
            rx.el.a(row.number, href=row.url, class_name="mono"),
            rx.cond(row.express, rx.el.span(" ", _badge("Express", "express-staff"))),
            scope="row",
        ),
        _cell(
            "Assuré · contrat",
            rx.el.span(row.holder, class_name="cell-main"),
            rx.el.span(row.contract, class_name="cell-sub mono"),
        ),
        _cell("Événement", row.peril),
        _cell("Étape", row.status),
        _cell(
            "Reçu",
            rx.el.span(row.received, class_name="cell-main"),
            rx.el.span(plural(row.age, "jour", "jours"), class_name="cell-sub"),
        ),
        _cell(
            "Échéance",
            rx.el.span(row.due, class_name="cell-main"),
            rx.cond(row.late, _badge("En retard", "warn")),
        ),
        _cell(
            "Suivi par",
            rx.el.span(row.handler, class_name="cell-main"),
            rx.el.span("Expert : ", row.expert, class_name="cell-sub"),
        ),
        _cell(
            "Montants",
            rx.el.span("Déclaré ", rx.el.strong(row.declared), class_name="cell-main"),
            rx.el.span("Indemnité ", row.indemnity, class_name="cell-sub"),
            class_name="num",
        ),
        data_late=rx.cond(row.late, "true", "false"),
    )


def queue_table() -> rx.Component:
    return rx.el.div(
        rx.el.table(
            rx.el.caption("Dossiers sinistres, les plus urgents d'abord", class_name="sr-only"),
            rx.el.thead(rx.el.tr(*[rx.el.th(col, scope="col") for col in QUEUE_COLUMNS])),
            rx.el.tbody(rx.foreach(Q.rows, queue_row)),
            class_name="table staff-queue-table",
            id="claims-queue",
        ),
        class_name="staff-table-scroll",
    )


def staff_claims_page() -> rx.Component:
    return staff_shell(
        "Sinistres",
        filters_form(),
        form_alert(Q.error),
        rx.cond(
            ~Q.loaded,
            loading(),
            rx.cond(
                Q.rows.length() == 0,
                rx.cond(
                    Q.error == "",
                    rx.el.p(
                        "Aucun dossier ne correspond à ces filtres.",
                        class_name="empty",
                        id="queue-empty",
                    ),
                ),
                rx.fragment(
                    rx.el.p(
                        plural(Q.rows.length(), "dossier", "dossiers"),
                        class_name="result-count",
                        role="status",
                    ),
                    queue_table(),
                ),
            ),
        ),
        subtitle="Déclarations reçues, de la plus urgente à la moins urgente.",
    )


# ----- one claim ---------------------------------------------------------------------------------


def claim_header() -> rx.Component:
    return rx.el.div(
        rx.el.div(
            rx.el.span(C.status_label, class_name="badge", data_status=C.status, id="claim-status"),
            rx.cond(C.late, _badge("En retard", "warn")),
            rx.cond(C.express, _badge("Express", "express-staff")),
            class_name="staff-badges",
        ),
        rx.cond(
            C.next_due != "",
            rx.el.p("Prochaine échéance : ", rx.el.strong(C.next_due), class_name="muted"),
        ),
        rx.cond(
            C.express,
            rx.el.p(
                "Règlement express : ", C.express_reason, class_name="notice", id="express-reason"
            ),
        ),
        class_name="staff-claim-head",
    )


def staff_claim_page() -> rx.Component:
    return staff_shell(
        rx.cond(
            C.found,
            "Dossier " + C.number,
            rx.cond(C.loaded, "Dossier introuvable", "Dossier sinistre"),
        ),
        rx.el.p(
            rx.el.a("← Retour à la liste des sinistres", href=routes.STAFF_CLAIMS),
            class_name="staff-back-link",
        ),
        rx.cond(
            ~C.loaded,
            loading(),
            rx.cond(
                C.found,
                rx.fragment(
                    claim_header(),
                    rx.el.div(
                        rx.el.div(
                            people_card(),
                            declaration_card(),
                            items_card(),
                            indemnity_card(),
                            staff_visit_card(),
                            staff_offer_card(),
                            files_card(),
                            timeline_card(),
                            messages_card(),
                            audit_card(),
                            class_name="stack",
                        ),
                        action_panel(),
                        class_name="staff-claim-grid",
                    ),
                ),
                rx.el.div(
                    rx.el.p("Dossier introuvable.", id="claim-not-found"),
                    rx.el.p(rx.el.a("Revenir à la liste des sinistres", href=routes.STAFF_CLAIMS)),
                    class_name="card",
                ),
            ),
        ),
    )
