"""/contrat/resilier?n=…: "Résilier mon contrat" in a few steps (ground, date and refund shown, a
code to confirm, the acknowledgement); /gestion/resiliations: the staff list, and
/gestion/resiliation?n=…: one request (files, refund, acknowledgement, refusal, refund paid)."""

from __future__ import annotations

import reflex as rx

from espace import routes
from espace.components.facts import fact
from espace.components.forms import (
    field_error,
    form_alert,
    labelled_upload,
    notice,
    submit_button,
    text_field,
)
from espace.components.layout import app_shell, loading
from espace.components.stepup import step_up_panel
from espace.pages.staff import staff_shell
from espace.pages.staff_fields import textarea_field
from espace.state.cancellation import GROUND_OPTIONS, StaffCancellationItem
from espace.state.cancellation import CancellationState as S
from espace.state.cancellation import StaffCancellationsState as T
from espace.state.cancellation import StaffCancellationState as D

UPLOAD_ID = "cancellation-files"


def _error(name: str) -> rx.Var:
    return S.errors.get(name, "")


def ground_field() -> rx.Component:
    return rx.el.div(
        rx.el.label("Motif de la résiliation", html_for="ground", class_name="field-label"),
        rx.el.select(
            rx.el.option("Choisissez un motif", value=""),
            *[rx.el.option(label, value=value) for value, label in GROUND_OPTIONS],
            id="ground",
            name="ground",
            value=S.ground,
            on_change=S.choose_ground,
            class_name="field-input",
            aria_describedby="ground-error",
        ),
        field_error(_error("ground"), "ground"),
        class_name="field",
    )


def files_zone() -> rx.Component:
    return rx.el.div(
        rx.el.p(rx.el.strong("Justificatif : "), S.file_help, class_name="field-hint"),
        labelled_upload(
            rx.upload(
                rx.el.div(
                    rx.icon("paperclip", size=22, aria_hidden="true"),
                    rx.el.p(rx.el.strong("Choisir un fichier (PDF ou photo, 10 Mo au plus)")),
                    class_name="dropzone-inner",
                ),
                id=UPLOAD_ID,
                multiple=True,
                on_drop=S.upload(rx.upload_files(upload_id=UPLOAD_ID)),
                class_name="dropzone",
            ),
            "Ajouter un justificatif",
        ),
        rx.el.ul(
            rx.foreach(
                S.files,
                lambda name, i: rx.el.li(
                    name,
                    rx.el.button(
                        "Retirer",
                        type="button",
                        on_click=S.remove_file(i),
                        class_name="button button-link",
                    ),
                ),
            ),
            class_name="plain-list",
            id="cancellation-file-list",
        ),
        field_error(_error("files"), "files"),
    )


def request_form() -> rx.Component:
    return rx.el.form(
        ground_field(),
        rx.cond(
            S.ground == "hamon",
            rx.el.div(
                rx.el.p(
                    "Possible après la première année de contrat (à partir du ",
                    S.hamon_from,
                    "). La résiliation prend effet un mois après la réception de votre demande. "
                    "Si un nouvel assureur reprend votre logement, indiquez-le : nous lui "
                    "confirmerons la date de fin.",
                    class_name="field-hint",
                ),
                text_field(
                    field_id="new_insurer_name",
                    label="Nouvel assureur (facultatif)",
                    error=_error("new_insurer_name"),
                    max_length=120,
                ),
                text_field(
                    field_id="new_insurer_address",
                    label="Adresse du nouvel assureur (facultatif)",
                    max_length=300,
                ),
                text_field(
                    field_id="new_insurer_contract",
                    label="Numéro du nouveau contrat (facultatif)",
                    max_length=40,
                ),
            ),
        ),
        rx.cond(
            S.ground == "chatel",
            rx.el.p(
                "Votre contrat prendra fin à son échéance du ",
                S.anniversary,
                ". Date limite pour refuser la reconduction : ",
                S.chatel_deadline,
                ".",
                class_name="field-hint",
            ),
        ),
        rx.cond(
            S.event_label != "",
            rx.el.div(
                rx.el.label(S.event_label, html_for="event_date", class_name="field-label"),
                rx.el.input(
                    id="event_date",
                    name="event_date",
                    type="date",
                    class_name="field-input",
                    aria_describedby="event_date-error",
                ),
                field_error(_error("event_date"), "event_date"),
                class_name="field",
            ),
        ),
        rx.cond(S.file_help != "", files_zone()),
        rx.cond(
            S.ground != "",
            rx.el.div(
                rx.el.label(
                    "Précisions (facultatif)", html_for="details", class_name="field-label"
                ),
                rx.el.textarea(
                    id="details", name="details", max_length=1000, class_name="field-input"
                ),
                field_error(_error("details"), "details"),
                class_name="field",
            ),
        ),
        field_error(_error("contract"), "contract"),
        submit_button("Voir la date d'effet et le remboursement", block=False),
        on_submit=S.preview,
        reset_on_submit=False,
        no_validate=True,
        id="cancellation-form",
    )


def preview_card() -> rx.Component:
    return rx.el.section(
        rx.el.h2("Avant de confirmer", class_name="card-title"),
        rx.el.p(S.explanation),
        rx.el.dl(
            fact("Date d'effet de la résiliation", S.effective),
            fact("Vous êtes couvert jusqu'au", S.last_day),
            fact("Cotisation non courue remboursée", S.refund),
            fact("Prélèvements", S.debits),
            class_name="facts",
            id="cancellation-preview",
        ),
        rx.el.p(
            "Vos attestations d'assurance cesseront d'être valables à la date d'effet. Un accusé "
            "de réception daté vous sera remis ici, par e-mail et en PDF dans « Mes documents ».",
            class_name="field-hint",
        ),
        rx.cond(
            S.stepup_for == "",
            rx.el.div(
                rx.el.button(
                    "Confirmer la résiliation",
                    type="button",
                    on_click=S.confirm,
                    class_name="button button-danger button-primary",
                ),
                rx.el.button(
                    "Modifier ma demande",
                    type="button",
                    on_click=S.edit,
                    class_name="button button-secondary",
                ),
                class_name="button-row",
            ),
        ),
        step_up_panel(S),
        class_name="card",
    )


def acknowledgement() -> rx.Component:
    return rx.el.section(
        rx.el.h2("Votre demande de résiliation est enregistrée", class_name="card-title"),
        rx.el.p(
            "Nous avons reçu votre demande le ",
            S.received,
            ". Un e-mail de confirmation vous a été envoyé.",
            role="status",
        ),
        rx.el.dl(
            fact("Référence", S.reference),
            fact("Date de réception", S.received),
            fact("Date d'effet", S.ack_effective),
            fact("Remboursement", S.ack_refund),
            class_name="facts",
            id="cancellation-ack",
        ),
        rx.cond(
            S.ack_url != "",
            rx.el.a(
                "Télécharger l'accusé de réception (PDF)",
                href=S.ack_url,
                download="",
                class_name="button button-primary",
                custom_attrs={"reloadDocument": True},
            ),
        ),
        class_name="card",
    )


def cancellation_page() -> rx.Component:
    body = rx.el.div(
        rx.el.section(
            rx.el.dl(
                fact("Contrat n°", S.number),
                fact("Formule", S.formula),
                fact("Logement", S.address),
                class_name="facts",
            ),
            rx.el.a(
                "Retour au contrat",
                href=routes.CONTRACT + "?n=" + S.number,
                class_name="button button-secondary",
            ),
            class_name="card",
        ),
        rx.cond(
            S.done,
            acknowledgement(),
            rx.el.div(
                rx.el.section(
                    rx.el.h2("Votre demande", class_name="card-title"),
                    rx.cond(
                        S.previewed, rx.el.p("Motif choisi : vérifiez ci-dessous."), request_form()
                    ),
                    class_name="card",
                ),
                rx.cond(S.previewed, preview_card()),
                class_name="stack",
            ),
        ),
        class_name="stack",
    )
    return app_shell(
        "Résilier mon contrat",
        rx.cond(
            S.loaded,
            rx.cond(
                S.found,
                body,
                rx.el.p(
                    "Ce contrat est introuvable dans votre espace.",
                    class_name="empty",
                    role="alert",
                ),
            ),
            loading(),
        ),
        subtitle="En quelques étapes : le motif, la date d'effet et le remboursement, un code.",
    )


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
