"""/gestion/sinistre, the action panel: taking and assigning the claim, documents, refusal,
closing, reopening, adding a file (``claims.workflow``), and the panel itself."""

from __future__ import annotations

import reflex as rx

from espace.components.forms import form_alert, notice, submit_button
from espace.pages.staff_claim_assessment import (
    appoint_action,
    assess_action,
    payment_action,
    report_action,
    visit_action,
)
from espace.pages.staff_claim_parts import _action, _allowed, _dropzone, _err, _form, _version
from espace.pages.staff_fields import select_field, textarea_field
from espace.state.staff_claim_rows import DOCUMENT_KINDS
from espace.state.staff_claims import StaffClaimState as C


def assign_action() -> rx.Component:
    return rx.fragment(
        rx.cond(
            _allowed("take"),
            _action(
                "Gestionnaire",
                "take",
                form_alert(_err("assign"), element_id="assign-alert"),
                rx.el.button(
                    "Prendre le dossier",
                    type="button",
                    on_click=C.take_claim,
                    class_name="button button-primary",
                    id="take-claim",
                ),
            ),
        ),
        rx.cond(
            _allowed("assign"),
            _action(
                "Gestionnaire",
                "assign",
                _form(
                    "assign",
                    C.assign_handler,
                    select_field(
                        field_id="handler",
                        label="Attribuer le dossier à",
                        options=C.handler_options,
                        first="Choisissez un gestionnaire",
                        error=_err("handler"),
                        default_value="",
                    ),
                    submit_button("Attribuer", block=False, id="assign-handler"),
                ),
            ),
        ),
    )


def documents_action() -> rx.Component:
    return rx.cond(
        _allowed("documents"),
        _action(
            "Demander des documents",
            "documents",
            _form(
                "documents",
                C.request_documents,
                textarea_field(
                    field_id="requested",
                    label="Documents attendus de l'assuré",
                    error=_err("requested"),
                ),
                submit_button("Demander les documents", block=False, id="request-documents"),
            ),
        ),
    )


def refuse_action() -> rx.Component:
    return rx.cond(
        _allowed("refuse"),
        _action(
            "Refuser la prise en charge",
            "refuse",
            _form(
                "refuse",
                C.refuse,
                textarea_field(
                    field_id="refusal",
                    label="Motif du refus (montré à l'assuré)",
                    error=_err("refusal"),
                    hint="20 caractères au moins : citez la garantie ou l'exclusion en cause.",
                ),
                submit_button("Refuser la prise en charge", block=False, id="refuse"),
            ),
        ),
    )


def close_action() -> rx.Component:
    return rx.cond(
        _allowed("close"),
        _action(
            "Clôturer",
            "close",
            form_alert(_err("close"), element_id="close-alert"),
            rx.el.p(
                "Le paiement est envoyé : le dossier peut être clôturé.", class_name="field-hint"
            ),
            rx.el.button(
                "Clôturer le dossier",
                type="button",
                on_click=C.close_claim,
                class_name="button button-primary",
                id="close-claim",
            ),
        ),
    )


def reopen_action() -> rx.Component:
    return rx.cond(
        _allowed("reopen"),
        _action(
            "Rouvrir le dossier",
            "reopen",
            rx.el.form(
                textarea_field(
                    field_id="reopen-reason", label="Motif de la réouverture", error=_err("reopen")
                ),
                submit_button("Rouvrir le dossier", block=False, id="reopen"),
                on_submit=C.reopen,
                reset_on_submit=False,
                no_validate=True,
                key=_version("reopen"),
            ),
        ),
    )


def upload_action() -> rx.Component:
    return rx.cond(
        _allowed("upload"),
        _action(
            "Ajouter un document",
            "upload",
            form_alert(_err("upload"), element_id="upload-alert"),
            select_field(
                field_id="document-kind",
                label="Type de document",
                options=DOCUMENT_KINDS,
                first="Choisissez le type",
                error=_err("kind"),
                value=C.document_kind,
                on_change=C.set_document_kind,
            ),
            _dropzone(
                "document-upload",
                "Fichier",
                C.upload_document(rx.upload_files(upload_id="document-upload")),
                C.document_rejected,
                _err("upload_file"),
            ),
        ),
    )


def action_panel() -> rx.Component:
    return rx.el.aside(
        rx.el.h2("Actions", class_name="card-title", id="actions-title"),
        notice(C.flash, kind="ok"),
        assign_action(),
        appoint_action(),
        visit_action(),
        report_action(),
        assess_action(),
        payment_action(),
        documents_action(),
        refuse_action(),
        close_action(),
        reopen_action(),
        upload_action(),
        class_name="card staff-actions",
        aria_labelledby="actions-title",
        id="actions",
    )
