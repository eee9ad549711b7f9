"""A claim's files: each file's tile and the upload zone, shared by the declaration wizard's
files step and the claim tracker."""

from __future__ import annotations

import reflex as rx

from espace.components.forms import labelled_upload
from espace.state.claim_rows import HOLDER_FILE_KINDS, FileView

UPLOAD_HINT = (
    "Photos (JPEG, PNG, HEIC) ou PDF, 10 Mo au plus par fichier, 20 fichiers au plus par sinistre."
)


def file_tile(item: FileView, on_remove=None) -> rx.Component:
    return rx.el.li(
        rx.cond(
            item.is_photo,
            rx.el.img(
                src=item.thumb_url,
                alt="Photo " + item.name,
                class_name="file-thumb",
                loading="lazy",
            ),
            rx.el.span(
                rx.icon("file-text", size=28, aria_hidden="true"), class_name="file-thumb file-icon"
            ),
        ),
        rx.el.div(
            rx.el.a(
                item.name,
                href=item.preview_url,
                target="_blank",
                rel="noopener",
                class_name="file-name",
            ),
            rx.el.span(item.kind, " · ", item.size, " · ", item.uploaded, class_name="field-hint"),
            rx.cond(
                item.note != "",
                rx.el.span(
                    item.note,
                    class_name=rx.cond(item.warn, "field-hint file-warn", "field-hint"),
                    data_warn=rx.cond(item.warn, "true", "false"),
                ),
            ),
            class_name="file-text",
        ),
        *(
            [
                rx.el.button(
                    rx.icon("trash-2", size=16, aria_hidden="true"),
                    rx.el.span("Retirer ", item.name, class_name="sr-only"),
                    type="button",
                    on_click=on_remove(item.id),
                    class_name="button-small",
                )
            ]
            if on_remove
            else []
        ),
        class_name="file-row",
    )


def upload_zone(upload_id: str, handler, kind_setter, errors) -> rx.Component:
    return rx.el.div(
        rx.el.div(
            rx.el.label("Type de fichier", html_for=upload_id + "-kind", class_name="field-label"),
            rx.el.select(
                *[rx.el.option(label, value=value) for value, label in HOLDER_FILE_KINDS],
                id=upload_id + "-kind",
                on_change=kind_setter,
                class_name="field-input",
            ),
            class_name="field",
        ),
        labelled_upload(
            rx.upload(
                rx.el.div(
                    rx.icon("camera", size=28, aria_hidden="true"),
                    rx.el.p(rx.el.strong("Prendre une photo ou choisir des fichiers")),
                    rx.el.p(UPLOAD_HINT, class_name="field-hint"),
                    class_name="dropzone-inner",
                ),
                id=upload_id,
                multiple=True,
                on_drop=handler(rx.upload_files(upload_id=upload_id)),
                class_name="dropzone",
            ),
            "Ajouter des photos ou documents",
        ),
        rx.cond(
            errors.length() > 0,
            rx.el.div(
                rx.foreach(
                    errors,
                    lambda e: rx.el.p(
                        rx.icon("circle-alert", size=16, aria_hidden="true"),
                        e,
                        class_name="field-error",
                    ),
                ),
                role="alert",
                id=upload_id + "-errors",
            ),
        ),
    )
