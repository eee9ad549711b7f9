"""Small pieces shared by the parts of /gestion/sinistre: badges, cards, the action blocks and
their forms, the upload zone."""

from __future__ import annotations

import reflex as rx

from espace.claims.uploads import MAX_BYTES
from espace.components.forms import field_error, form_alert, labelled_upload
from espace.state.staff_claims import StaffClaimState as C


def _badge(text: str, kind: str = "") -> rx.Component:
    return rx.el.span(
        text,
        class_name={
            "": "badge",
            "warn": "badge badge-warn",
            "express-staff": "badge staff-badge-express",
        }[kind],
    )


def _err(name: str) -> rx.Var:
    return C.errors.get(name, "")


def _allowed(name: str) -> rx.Var:
    return C.allowed.get(name, False)


def _version(name: str) -> rx.Var:
    return name + "-" + C.form_versions.get(name, 0).to_string()


def _section(title: str, section_id: str, *children, **props) -> rx.Component:
    return rx.el.section(
        rx.el.h2(title, class_name="card-title", id=f"{section_id}-title"),
        *children,
        class_name="card",
        aria_labelledby=f"{section_id}-title",
        id=section_id,
        **props,
    )


def _action(title: str, action_id: str, *children) -> rx.Component:
    return rx.el.div(
        rx.el.h3(title, class_name="card-subtitle"),
        *children,
        class_name="staff-action",
        id=f"action-{action_id}",
    )


def _form(name: str, handler, *children, **props) -> rx.Component:
    return rx.el.form(
        form_alert(_err(name), element_id=f"{name}-alert"),
        *children,
        on_submit=handler,
        reset_on_submit=False,
        no_validate=True,
        key=_version(name),
        **props,
    )


def _dropzone(upload_id: str, label: str, on_drop, on_rejected, error: rx.Var) -> rx.Component:
    return rx.el.div(
        rx.el.p(label, class_name="field-label", id=f"{upload_id}-label"),
        labelled_upload(
            rx.upload.root(
                rx.el.button(
                    rx.icon("upload", size=18, aria_hidden="true"),
                    "Choisir ou déposer le fichier",
                    type="button",
                    class_name="button button-secondary",
                    aria_describedby=f"{upload_id}-label {upload_id}-hint {upload_id}-error",
                ),
                rx.el.p(
                    "PDF ou photo (JPEG, PNG, HEIC), 10 Mo au plus.",
                    id=f"{upload_id}-hint",
                    class_name="field-hint",
                ),
                id=upload_id,
                multiple=False,
                max_files=1,
                max_size=MAX_BYTES,
                no_keyboard=True,
                on_drop=on_drop,
                on_drop_rejected=on_rejected,
                class_name="staff-dropzone",
            ),
            label,
        ),
        field_error(error, upload_id),
        class_name="field",
    )
