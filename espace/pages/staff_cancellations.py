"""/gestion/resiliations: the staff list of cancellations, and /gestion/resiliation?n=…: one
request (files, refund, acknowledgement, refusal, refund paid)."""

from __future__ import annotations

import reflex as rx

from espace import routes
from espace.components.facts import fact
from espace.components.forms import form_alert, notice, submit_button, text_field
from espace.components.layout import loading
from espace.pages.staff import staff_shell
from espace.pages.staff_fields import textarea_field
from espace.state.staff_cancellations import StaffCancellationItem
from espace.state.staff_cancellations import StaffCancellationsState as T
from espace.state.staff_cancellations import StaffCancellationState as D


def staff_row(item: StaffCancellationItem) -> rx.Component:
    return rx.el.tr(
        rx.el.td(rx.el.a(item.reference, href=item.url)),
        rx.el.td(item.contract),
        rx.el.td(item.holder),
        rx.el.td(item.ground),
        rx.el.td(item.received),
        rx.el.td(item.effective),
        rx.el.td(item.refund, class_name="num"),
        rx.el.td(item.status),
        rx.el.td(item.new_insurer),
    )


def staff_cancellations_page() -> rx.Component:
    return staff_shell(
        "Résiliations",
        form_alert(T.error),
        rx.cond(
            T.loaded & (T.rows.length() == 0) & (T.error == ""),
            rx.el.p("Aucune demande de résiliation.", class_name="empty"),
        ),
        rx.cond(
            T.rows.length() > 0,
            rx.el.table(
                rx.el.thead(
                    rx.el.tr(
                        *[
                            rx.el.th(h, scope="col")
                            for h in (
                                "Référence",
                                "Contrat",
                                "Assuré",
                                "Motif",
                                "Reçue le",
                                "Effet le",
                                "Remboursement",
                                "Statut",
                                "Nouvel assureur",
                            )
                        ]
                    )
                ),
                rx.el.tbody(rx.foreach(T.rows, staff_row)),
                class_name="table",
                id="staff-cancellations",
            ),
        ),
        subtitle="Demandes de résiliation reçues en ligne : chaque consultation est tracée.",
    )


def _staff_file(item) -> rx.Component:
    return rx.el.li(rx.el.a(item.name, href=item.url), " · ", item.size)


def _refuse_form() -> rx.Component:
    return rx.el.form(
        rx.el.h2("Refuser la demande", class_name="card-title"),
        rx.el.p(
            "Si le justificatif ne prouve pas le motif, refusez la demande : le contrat, ses "
            "garanties, ses attestations et ses échéances sont rétablis tels qu'ils étaient, le "
            "remboursement est annulé, et l'assuré reçoit le motif par notification et e-mail.",
            class_name="field-hint",
        ),
        textarea_field(
            field_id="refusal-reason",
            name="reason",
            label="Motif du refus (envoyé à l'assuré)",
            error=D.errors.get("reason", ""),
            rows=4,
            max_length=1000,
        ),
        submit_button("Refuser la demande", block=False, id="refuse-cancellation"),
        on_submit=D.refuse,
        reset_on_submit=True,
        no_validate=True,
        class_name="card stack",
        key=D.form_version.to_string(),
    )


def _paid_form() -> rx.Component:
    return rx.el.form(
        text_field(
            field_id="refund-reference",
            name="reference",
            label="Référence du virement (facultatif)",
            error=D.errors.get("refund", ""),
            max_length=40,
        ),
        submit_button(
            "Marquer le remboursement versé par virement", block=False, id="mark-refund-paid"
        ),
        on_submit=D.mark_refund_paid,
        reset_on_submit=True,
        no_validate=True,
        class_name="stack-sm",
        key=D.form_version.to_string(),
    )


def staff_cancellation_page() -> rx.Component:
    body = rx.fragment(
        notice(D.flash, kind="ok"),
        rx.el.section(
            rx.el.h2("La demande", class_name="card-title"),
            rx.el.dl(
                fact("Assuré", D.item.holder),
                fact("Contrat", D.item.contract),
                fact("Statut", D.item.status),
                rx.foreach(D.facts, lambda f: fact(f[0], f[1])),
                class_name="facts",
                id="cancellation-facts",
            ),
            rx.cond(D.refusal != "", rx.el.p(D.refusal, class_name="notice", id="refusal")),
            rx.cond(
                D.ack_url != "",
                rx.el.a(
                    "Accusé de réception (PDF)",
                    href=D.ack_url,
                    class_name="button-small",
                    id="acknowledgement",
                ),
            ),
            class_name="card stack",
        ),
        rx.el.section(
            rx.el.h2("Justificatifs", class_name="card-title"),
            rx.cond(
                D.files.length() == 0,
                rx.el.p("Aucun justificatif (ce motif n'en demande pas).", class_name="empty"),
                rx.el.ul(rx.foreach(D.files, _staff_file), class_name="stack-sm", id="files"),
            ),
            class_name="card",
        ),
        rx.el.section(
            rx.el.h2("Remboursement de cotisation", class_name="card-title"),
            rx.el.p(D.refund_text, id="refund"),
            rx.cond(D.can_mark_paid, _paid_form()),
            class_name="card stack",
        ),
        rx.cond(
            D.can_refuse,
            _refuse_form(),
            rx.cond(
                D.refuse_help != "",
                rx.el.p(D.refuse_help, class_name="field-hint", id="refuse-help"),
            ),
        ),
    )
    return staff_shell(
        rx.cond(D.found, "Résiliation " + D.item.reference, "Résiliation"),
        form_alert(D.errors.get("form", "")),
        rx.cond(
            D.loaded,
            rx.cond(D.found, body, rx.el.p("Cette demande est introuvable.", class_name="empty")),
            loading(),
        ),
        rx.el.p(rx.el.a("← Toutes les résiliations", href=routes.STAFF_CANCELLATIONS)),
        subtitle="Chaque consultation est tracée dans l'historique de l'assuré.",
    )
