"""The back office's labelled <select> and <textarea> (claims, inbox, complaints, cancellations)."""

from __future__ import annotations

import reflex as rx

from espace.components.forms import field_error


def _described(field_id: str, error: rx.Var | None, hint: str) -> dict:
    ids = " ".join(
        x
        for x in (
            f"{field_id}-hint" if hint else "",
            f"{field_id}-error" if error is not None else "",
        )
        if x
    )
    props = {"aria_describedby": ids} if ids else {}
    if error is not None:
        props["aria_invalid"] = rx.cond(error != "", "true", "false")
    return props


def _field(
    field_id: str, label: str, control: rx.Component, error: rx.Var | None = None, hint: str = ""
) -> rx.Component:
    return rx.el.div(
        rx.el.label(label, html_for=field_id, class_name="field-label"),
        rx.el.p(hint, id=f"{field_id}-hint", class_name="field-hint") if hint else rx.fragment(),
        control,
        field_error(error, field_id) if error is not None else rx.fragment(),
        class_name="field",
    )


def select_field(
    *,
    field_id: str,
    label: str,
    options,
    name: str | None = None,
    first: str | None = None,
    error: rx.Var | None = None,
    hint: str = "",
    **props,
) -> rx.Component:
    """A labelled <select>; ``options`` is a list of [value, label] (a Var or a Python list)."""
    opts = (
        rx.foreach(options, lambda o: rx.el.option(o[1], value=o[0]))
        if isinstance(options, rx.Var)
        else rx.fragment(*[rx.el.option(text, value=value) for value, text in options])
    )
    return _field(
        field_id,
        label,
        rx.el.select(
            *([rx.el.option(first, value="")] if first is not None else []),
            opts,
            id=field_id,
            name=name or field_id.replace("-", "_"),
            class_name="field-input",
            **_described(field_id, error, hint),
            **props,
        ),
        error,
        hint,
    )


def textarea_field(
    *,
    field_id: str,
    label: str,
    error: rx.Var | None = None,
    hint: str = "",
    rows: int = 3,
    max_length: int = 1000,
    **props,
) -> rx.Component:
    return _field(
        field_id,
        label,
        rx.el.textarea(
            id=field_id,
            name=props.pop("name", field_id.replace("-", "_")),
            rows=rows,
            max_length=max_length,
            class_name="field-input",
            **_described(field_id, error, hint),
            **props,
        ),
        error,
        hint,
    )
