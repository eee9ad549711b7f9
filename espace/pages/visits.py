"""The expert's visit: the holder's slot picker on the claim tracker, the staff card that offers
slots and reschedules."""

from __future__ import annotations

import reflex as rx

from espace.components.forms import field_error, notice, submit_button
from espace.state.visits import StaffVisitState as T
from espace.state.visits import VisitState as V


def _reason_field(field_id: str, label: str, errors) -> rx.Component:
    return rx.el.div(
        rx.el.label(label, html_for=field_id, class_name="field-label"),
        rx.el.input(
            id=field_id,
            name="reason",
            type="text",
            max_length=300,
            class_name="field-input",
            aria_describedby=f"{field_id}-error",
        ),
        field_error(errors.get("reason", ""), f"{field_id}"),
        class_name="field",
    )


def holder_visit_section() -> rx.Component:
    pick = rx.el.form(
        rx.el.div(
            rx.el.label(
                "Créneaux proposés par l'expert", html_for="visit-slot", class_name="field-label"
            ),
            rx.el.select(
                rx.el.option("Choisissez un créneau", value=""),
                rx.foreach(V.offered, lambda s: rx.el.option(s[1], value=s[0])),
                id="visit-slot",  # unlike the name: see pages/settlement.py
                name="slot",
                class_name="field-input",
                aria_describedby="slot-error",
            ),
            field_error(V.errors.get("slot", ""), "slot"),
            class_name="field",
        ),
        submit_button("Confirmer ce créneau", block=False, id="choose-slot"),
        on_submit=V.choose,
        reset_on_submit=False,
        no_validate=True,
        class_name="stack",
        id="visit-slots",
    )
    others = rx.el.form(
        _reason_field("others-reason", "Aucun ne convient ? Indiquez vos disponibilités", V.errors),
        submit_button("Demander d'autres créneaux", block=False, id="ask-other-slots"),
        on_submit=V.ask_others,
        reset_on_submit=True,
        no_validate=True,
        class_name="stack",
    )
    reschedule = rx.el.form(
        _reason_field("reschedule-reason", "Un empêchement ? Raison du report", V.errors),
        submit_button("Reporter la visite", block=False, id="reschedule-visit"),
        on_submit=V.reschedule,
        reset_on_submit=True,
        no_validate=True,
        class_name="stack",
    )
    return rx.cond(
        (V.offered.length() > 0) | (V.chosen != "") | (V.history.length() > 0),
        rx.el.section(
            rx.el.h2("Visite de l'expert", class_name="card-title"),
            notice(V.flash, kind="ok"),
            rx.cond(
                V.chosen != "",
                rx.el.p(
                    rx.el.strong("Visite prévue le "),
                    V.chosen,
                    class_name="notice",
                    id="visit-chosen",
                ),
            ),
            rx.cond(V.offered.length() > 0, rx.fragment(pick, others)),
            rx.cond(V.chosen != "", reschedule),
            rx.cond(
                V.history.length() > 0,
                rx.el.ul(rx.foreach(V.history, lambda h: rx.el.li(h)), class_name="field-hint"),
            ),
            rx.el.p(V.response_targets, class_name="field-hint", id="response-targets"),
            class_name="card stack",
            id="visit",
        ),
    )


def staff_visit_card() -> rx.Component:
    def slot_inputs(i: int) -> rx.Component:
        return rx.el.div(
            rx.el.label(
                f"Créneau {i} : date (JJ/MM/AAAA)",
                html_for=f"slot-day{i}",
                class_name="field-label",
            ),
            rx.el.input(id=f"slot-day{i}", name=f"day{i}", type="text", class_name="field-input"),
            rx.el.label(f"Créneau {i} : heure", html_for=f"slot-time{i}", class_name="field-label"),
            rx.el.input(id=f"slot-time{i}", name=f"time{i}", type="time", class_name="field-input"),
            class_name="field",
        )

    return rx.cond(
        T.visible,
        rx.el.section(
            rx.el.h2("Créneaux de visite", class_name="card-title"),
            notice(T.flash, kind="ok"),
            rx.cond(
                T.slots.length() > 0,
                rx.el.ul(
                    rx.foreach(T.slots, lambda s: rx.el.li(s[0], " — ", s[1])),
                    id="staff-slots",
                    class_name="stack-sm",
                ),
            ),
            rx.el.form(
                slot_inputs(1),
                slot_inputs(2),
                slot_inputs(3),
                field_error(T.errors.get("slots", ""), "slots"),
                submit_button("Proposer ces créneaux", block=False, id="offer-slots"),
                on_submit=T.offer,
                reset_on_submit=True,
                no_validate=True,
                class_name="stack",
            ),
            rx.el.form(
                _reason_field("staff-reschedule-reason", "Reporter la visite : raison", T.errors),
                submit_button("Reporter", block=False, id="staff-reschedule"),
                on_submit=T.reschedule,
                reset_on_submit=True,
                no_validate=True,
                class_name="stack",
            ),
            class_name="card stack",
            id="staff-visit",
        ),
    )
