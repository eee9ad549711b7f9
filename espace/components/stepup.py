"""The step-up panel, for any state that mixes in ``StepUpMixin``."""

from __future__ import annotations

import functools
import operator

import reflex as rx

from espace.components.forms import code_field, submit_button


def step_up_panel(
    state, *, only: tuple[str, ...] = (), besides: tuple[str, ...] = ()
) -> rx.Component:
    """The panel, shown while an action waits for its code; ``only``/``besides`` place some actions'
    panel elsewhere on the page (one panel at a time is on the page, whatever the action)."""
    shown = state.stepup_for != ""
    if only:
        shown = functools.reduce(operator.or_, [state.stepup_for == action for action in only])
    for action in besides:
        shown = shown & (state.stepup_for != action)
    return rx.cond(
        shown,
        rx.el.div(
            rx.el.h3("Confirmez votre identité", class_name="card-subtitle"),
            rx.el.p(state.stepup_reason, class_name="field-hint"),
            rx.el.p(state.stepup_help, class_name="field-hint"),
            rx.el.form(
                code_field(
                    field_id="stepup_code", label="Code de confirmation", error=state.stepup_error
                ),
                rx.el.div(
                    submit_button("Confirmer", block=False),
                    rx.el.button(
                        "Annuler",
                        type="button",
                        on_click=state.stepup_cancel,
                        class_name="button button-secondary",
                    ),
                    class_name="button-row",
                ),
                on_submit=state.stepup_submit,
                reset_on_submit=True,
                no_validate=True,
            ),
            rx.foreach(
                state.stepup_methods,
                lambda m: rx.cond(
                    m[0] != state.stepup_method,
                    rx.el.button(
                        "Utiliser plutôt : ",
                        m[1],
                        type="button",
                        on_click=state.stepup_choose(m[0]),
                        class_name="button button-link",
                    ),
                ),
            ),
            class_name="stepup",
            role="group",
            aria_label="Confirmation par un second facteur",
        ),
    )
