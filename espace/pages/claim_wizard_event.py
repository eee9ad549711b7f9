"""The declaration wizard's first steps: the home concerned (with the emergency panel), what
happened, the peril's questions, when and how."""

from __future__ import annotations

import reflex as rx

from espace import routes
from espace.claims import peril_data
from espace.components.contact import assistance_call_button
from espace.components.forms import field_error, text_field
from espace.state.claim_rows import Option, QuestionView
from espace.state.claim_wizard import ClaimWizardState

W = ClaimWizardState


def _radio_card(name: str, option: Option, checked, on_change=None, hint=None) -> rx.Component:
    props = {"on_change": on_change} if on_change is not None else {}
    return rx.el.label(
        rx.el.input(
            type="radio",
            name=name,
            value=option.value,
            default_checked=checked,
            class_name="checkbox",
            **props,
        ),
        rx.el.span(option.label, hint) if hint is not None else rx.el.span(option.label),
        class_name="check-row choice-card",
    )


def _nav(next_label: str = "Continuer", *, next_props: dict | None = None) -> rx.Component:
    return rx.el.div(
        rx.cond(
            W.step > 0,
            rx.el.button(
                "Retour", type="button", on_click=W.back, class_name="button button-secondary"
            ),
        ),
        rx.el.button(
            next_label,
            type="submit",
            class_name="button button-primary",
            id="wizard-next",
            **(next_props or {}),
        ),
        class_name="button-row wizard-nav",
    )


def emergency_panel() -> rx.Component:
    """Before declaring: an emergency needs help now (the declaration can wait)."""
    return rx.el.aside(
        rx.el.h2(
            rx.icon("siren", size=20, aria_hidden="true"), "Une urgence ?", class_name="card-title"
        ),
        rx.el.p(
            "Fuite d'eau, cambriolage, incendie, logement inhabitable : l'assistance intervient "
            "24 h/24 (plombier, serrurier, vitrier, relogement, gardiennage). Vous déclarerez le "
            "sinistre ensuite."
        ),
        rx.el.div(
            assistance_call_button("wizard-emergency-phone"),
            rx.el.a(
                "Demander un dépannage",
                href=rx.cond(
                    W.contract_id != "",
                    routes.EMERGENCY + "?contrat=" + W.contract_id,
                    routes.EMERGENCY,
                ),
                class_name="button button-secondary",
                id="wizard-emergency-link",
            ),
            class_name="button-row",
        ),
        class_name="notice notice-warn emergency-panel",
        id="emergency-panel",
        aria_label="Urgence",
    )


def step_contract() -> rx.Component:
    return rx.el.div(
        emergency_panel(),
        rx.el.form(
            rx.el.fieldset(
                rx.el.legend("Quel logement est concerné ?", class_name="field-label"),
                rx.foreach(
                    W.contracts,
                    lambda o: _radio_card(
                        "contract", o, o.value == W.contract_id, W.pick_contract(o.value)
                    ),
                ),
                field_error(W.errors.get("contract", ""), "contract"),
                class_name="field fieldset",
            ),
            _nav(),
            on_submit=W.choose_contract,
            reset_on_submit=False,
            no_validate=True,
            key=W.form_version.to_string(),
        ),
        class_name="stack",
    )


def _peril_option(peril) -> rx.Component:
    return rx.el.label(
        rx.el.input(
            type="radio",
            name="peril",
            value=peril.code,
            default_checked=W.peril == peril.code,
            class_name="checkbox",
        ),
        rx.icon(peril.icon, size=22, aria_hidden="true"),
        rx.el.span(rx.el.strong(peril.label), rx.el.span(peril.summary, class_name="field-hint")),
        class_name="check-row choice-card peril-card",
    )


def step_peril() -> rx.Component:
    return rx.el.form(
        rx.el.fieldset(
            rx.el.legend("Que s'est-il passé ?", class_name="field-label"),
            rx.el.div(*[_peril_option(p) for p in peril_data.PERILS], class_name="peril-grid"),
            field_error(W.errors.get("peril", ""), "peril"),
            class_name="field fieldset",
        ),
        _nav(),
        on_submit=W.choose_peril,
        reset_on_submit=False,
        no_validate=True,
        key=W.form_version.to_string(),
    )


def question_field(q: QuestionView) -> rx.Component:
    choice = rx.el.fieldset(
        rx.el.legend(q.label, class_name="field-label"),
        rx.cond(q.hint != "", rx.el.p(q.hint, class_name="field-hint")),
        rx.foreach(
            q.options,
            lambda o: rx.el.label(
                rx.el.input(
                    type="radio",
                    name=q.id,
                    value=o.value,
                    default_checked=q.value == o.value,
                    class_name="checkbox",
                    on_change=W.set_answer(q.id, o.value),
                ),
                rx.el.span(o.label),
                class_name="check-row",
            ),
        ),
        field_error(q.error, "q-" + q.id),
        class_name="field fieldset",
    )
    entry = rx.el.div(
        rx.el.label(
            q.label,
            rx.cond(q.required, "", " (facultatif)"),
            html_for="q-" + q.id,
            class_name="field-label",
        ),
        rx.cond(q.hint != "", rx.el.p(q.hint, class_name="field-hint")),
        rx.el.input(
            id="q-" + q.id,
            name=q.id,
            type=rx.cond(q.kind == "date", "date", "text"),
            default_value=q.value,
            class_name="field-input",
            aria_invalid=rx.cond(q.error != "", "true", "false"),
            aria_describedby="q-" + q.id + "-error",
        ),
        field_error(q.error, "q-" + q.id),
        class_name="field",
    )
    return rx.el.div(
        rx.cond(q.kind == "choice", choice, entry), hidden=~q.visible, data_question=q.id
    )


def step_questions() -> rx.Component:
    return rx.el.form(
        rx.el.h2(W.peril_label, class_name="section-title"),
        rx.cond(
            W.questions.length() == 0,
            rx.el.p(
                "Pas de question particulière pour cet événement : continuez.", class_name="empty"
            ),
        ),
        rx.foreach(W.questions, question_field),
        _nav(),
        on_submit=W.save_answers,
        reset_on_submit=False,
        no_validate=True,
        key=W.form_version.to_string(),
    )


def step_when() -> rx.Component:
    return rx.el.form(
        rx.el.div(
            text_field(
                field_id="occurred_date",
                label="Date du sinistre (ou de sa découverte)",
                type="date",
                default_value=W.occurred_date,
                error=W.errors.get("occurred_date", ""),
                on_change=W.preview_deadline,
            ),
            text_field(
                field_id="occurred_time",
                label="Heure approximative (facultatif)",
                type="time",
                default_value=W.occurred_time,
                error=W.errors.get("occurred_time", ""),
            ),
            class_name="grid-2",
        ),
        rx.cond(
            W.deadline_text != "",
            rx.el.p(W.deadline_text, class_name="field-hint", id="deadline-text"),
        ),
        rx.cond(
            W.late_text != "",
            rx.el.p(W.late_text, class_name="notice notice-warn", id="late-text", role="status"),
        ),
        rx.el.div(
            rx.el.label("Que s'est-il passé ?", html_for="description", class_name="field-label"),
            rx.el.p(
                "Les circonstances, ce qui est abîmé, ce que vous avez déjà fait.",
                class_name="field-hint",
                id="description-hint",
            ),
            rx.el.textarea(
                id="description",
                name="description",
                default_value=W.description,
                rows=5,
                max_length=4000,
                class_name="field-input",
                aria_describedby="description-hint description-error",
                aria_invalid=rx.cond(W.errors.get("description", "") != "", "true", "false"),
            ),
            field_error(W.errors.get("description", ""), "description"),
            class_name="field",
        ),
        _nav(),
        on_submit=W.save_when,
        reset_on_submit=False,
        no_validate=True,
        key=W.form_version.to_string(),
    )
