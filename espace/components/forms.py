"""Form pieces: labelled fields with their error next to them, alerts, the password meter."""

from __future__ import annotations

import reflex as rx

from espace.identity.password_policy import RULES_TEXT


def field_error(message: rx.Var, field_id: str) -> rx.Component:
    return rx.cond(
        message != "",
        rx.el.p(
            rx.icon("circle-alert", size=16, aria_hidden="true"),
            message,
            id=field_id
            + "-error",  # a Var stays a Var: an f-string would embed its (per-process) hash
            class_name="field-error",
        ),
    )


def text_field(
    *, field_id: str, label: str, error: rx.Var | str = "", hint: str = "", **input_props
) -> rx.Component:
    has_error = isinstance(error, rx.Var)
    described = " ".join(
        x
        for x in (f"{field_id}-hint" if hint else "", f"{field_id}-error" if has_error else "")
        if x
    )
    extra = {"aria_describedby": described} if described else {}
    return rx.el.div(
        rx.el.label(label, html_for=field_id, class_name="field-label"),
        rx.el.p(hint, id=f"{field_id}-hint", class_name="field-hint") if hint else rx.fragment(),
        rx.el.input(
            id=field_id,
            name=input_props.pop("name", field_id),
            class_name=input_props.pop("class_name", "field-input"),
            aria_invalid=rx.cond(error != "", "true", "false") if has_error else "false",
            **extra,
            **input_props,
        ),
        field_error(error, field_id) if has_error else rx.fragment(),
        class_name="field",
    )


def select_field(
    *, field_id: str, label: str, options, value, first: str | None = None, **props
) -> rx.Component:
    """A labelled <select> of ``options`` ([value, label] pairs), with an optional empty first
    choice."""
    return rx.el.div(
        rx.el.label(label, html_for=field_id, class_name="field-label"),
        rx.el.select(
            *([rx.el.option(first, value="")] if first is not None else []),
            rx.foreach(options, lambda o: rx.el.option(o[1], value=o[0])),
            id=field_id,
            name=field_id,
            default_value=value,
            class_name="field-input",
            **props,
        ),
        class_name="field",
    )


def code_field(
    *,
    field_id: str = "code",
    label: str = "Code à 6 chiffres",
    error: rx.Var | str = "",
    hint: str = "",
) -> rx.Component:
    return text_field(
        field_id=field_id,
        label=label,
        error=error,
        hint=hint,
        type="text",
        input_mode="numeric",
        auto_complete="one-time-code",
        max_length=12,
        class_name="field-input code-input",
    )


def form_alert(message: rx.Var, *, element_id: str = "form-error") -> rx.Component:
    return rx.cond(
        message != "",
        rx.el.div(
            rx.icon("circle-alert", size=18, aria_hidden="true"),
            rx.el.span(message),
            class_name="form-error",
            role="alert",
            id=element_id,
        ),
    )


def notice(message: rx.Var, *, kind: str = "info") -> rx.Component:
    return rx.cond(
        message != "", rx.el.p(message, class_name=f"notice notice-{kind}", role="status")
    )


def submit_button(
    label: str | rx.Var,
    *,
    busy: rx.Var | bool = False,
    busy_label: str = "Patientez…",
    block: bool = True,
    **props,
) -> rx.Component:
    # Until the page is hydrated the browser would submit the form itself (a GET with the fields,
    # passwords included, in the URL): the button waits for the app.
    not_ready = ~rx.State.is_hydrated
    return rx.el.button(
        rx.cond(busy, busy_label, label) if isinstance(busy, rx.Var) else label,
        type="submit",
        class_name="button button-primary" + (" button-block" if block else ""),
        disabled=(not_ready | busy) if isinstance(busy, rx.Var) else not_ready,
        **props,
    )


def password_meter(level: rx.Var, label: rx.Var, hints: rx.Var, *, field_id: str) -> rx.Component:
    """A live strength meter: five bars, a word, and what is missing."""
    return rx.el.div(
        rx.el.div(
            *[
                rx.el.span(class_name=rx.cond(level >= i, "meter-bar meter-on", "meter-bar"))
                for i in range(5)
            ],
            class_name="meter-bars",
            data_level=level.to_string(),
            aria_hidden="true",
        ),
        rx.el.p(
            "Robustesse : ",
            rx.el.strong(label),
            class_name="meter-label",
            aria_live="polite",
            id=f"{field_id}-meter",
        ),
        rx.cond(
            hints.length() > 0,
            rx.el.ul(
                rx.foreach(hints, lambda h: rx.el.li(h)),
                class_name="meter-hints",
                aria_label="Il manque",
            ),
        ),
        class_name="meter",
    )


def new_password_fields(
    *,
    state,
    password_error: rx.Var,
    confirm_error: rx.Var,
    password_label: str = "Nouveau mot de passe",
) -> rx.Component:
    """New password with the live meter, and its confirmation. ``state`` is a PasswordMeterState
    subclass."""
    return rx.fragment(
        rx.el.div(
            rx.el.label(password_label, html_for="password", class_name="field-label"),
            rx.el.p(RULES_TEXT, id="password-hint", class_name="field-hint"),
            rx.el.input(
                id="password",
                name="password",
                type="password",
                auto_complete="new-password",
                max_length=128,
                class_name="field-input",
                aria_invalid=rx.cond(password_error != "", "true", "false"),
                aria_describedby="password-hint password-meter password-error",
                on_change=state.update_meter.debounce(250),
            ),
            password_meter(
                state.meter_level, state.meter_label, state.meter_hints, field_id="password"
            ),
            field_error(password_error, "password"),
            class_name="field",
        ),
        text_field(
            field_id="confirm",
            label="Confirmez le mot de passe",
            error=confirm_error,
            type="password",
            auto_complete="new-password",
            max_length=128,
        ),
    )


def labelled_upload(zone: rx.Component, label: str) -> rx.Component:
    """Give the file input that ``rx.upload`` generates an accessible name (Reflex offers no prop
    for it)."""
    from reflex_components_core.el.elements.forms import Input

    def visit(component) -> bool:
        for child in getattr(component, "children", []):
            if isinstance(child, Input):
                child.custom_attrs["aria-label"] = label
                return True
            if visit(child):
                return True
        return False

    if not visit(zone):
        raise ValueError("no file input in this upload zone")
    return zone
