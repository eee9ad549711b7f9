"""The filter form of the staff queues (claims, complaints, messages): one component for all.

On a wide screen the form is open above the list. On a phone (768 px and less) it folds behind a
"Filtrer" disclosure that says how many filters differ from the queue's default view, so the list
comes first and the filters stay out of the way until needed. The fold is a native
``<details>``: it opens with the keyboard and needs no script; the wide layout shows its content
with ``::details-content`` (where a browser lacks it, the disclosure simply stays at every width).
"""

from __future__ import annotations

import reflex as rx

from espace.components.forms import submit_button
from espace.components.text import plural


def filter_check(check_id: str, name: str, text: str, **props) -> rx.Component:
    """A labelled checkbox of a filter form (``checked``/``on_change`` or ``default_checked``)."""
    return rx.el.label(
        rx.el.input(type="checkbox", id=check_id, name=name, class_name="checkbox", **props),
        text,
        class_name="check-row",
    )


def queue_filters(
    *fields: rx.Component,
    checks: tuple[rx.Component, ...] = (),
    buttons: tuple[rx.Component, ...] = (),
    active: rx.Var,
    on_submit,
    label: str,
    form_id: str,
    submit_id: str,
) -> rx.Component:
    """The filters of a staff queue: ``fields`` in a grid, then the checkboxes and the buttons.

    ``active`` is the number of filters that differ from the default view (a State var): the
    folded disclosure shows it, so a phone user knows the list is narrowed without opening it.
    """
    return rx.el.details(
        rx.el.summary(
            rx.icon("sliders-horizontal", size=18, aria_hidden="true"),
            rx.el.span("Filtrer", class_name="filters-summary-label"),
            rx.cond(
                active > 0,
                rx.el.span(
                    plural(active, "filtre actif", "filtres actifs"),
                    class_name="badge filters-count",
                    data_count=active.to_string(),
                ),
            ),
            class_name="filters-summary",
            id=f"{form_id}-toggle",
        ),
        rx.el.form(
            rx.el.div(*fields, class_name="filters-grid"),
            rx.el.div(
                *checks,
                submit_button("Filtrer", block=False, id=submit_id),
                *buttons,
                class_name="button-row",
            ),
            on_submit=on_submit,
            reset_on_submit=False,
            no_validate=True,
            role="search",
            aria_label=label,
            id=form_id,
        ),
        class_name="card staff-queue-filters queue-filters",
        id=f"{form_id}-fold",
    )


__all__ = ["filter_check", "queue_filters"]
