"""/contrat/resilier?n=…: "Résilier mon contrat" in a few steps (ground, date and refund shown, a
code to confirm, the acknowledgement). The back office's pages: ``pages/staff_cancellations.py``."""

from __future__ import annotations

import reflex as rx

from espace import routes
from espace.components.facts import fact
from espace.components.forms import field_error, labelled_upload, submit_button, text_field
from espace.components.layout import app_shell, loading
from espace.components.stepup import step_up_panel
from espace.state.cancellation import GROUND_OPTIONS
from espace.state.cancellation import CancellationState as S

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
