"""'Déclarer un sinistre': the declaration wizard's page, its stepper, the summary step and the
panel shown once sent (the other steps: claim_wizard_event.py, claim_wizard_damage.py)."""

from __future__ import annotations

import reflex as rx

from espace import routes
from espace.claims import declaration
from espace.components.facts import fact
from espace.components.forms import field_error, form_alert
from espace.components.layout import app_shell, loading
from espace.components.text import plural
from espace.pages.claim_wizard_damage import step_files, step_items, step_where
from espace.pages.claim_wizard_event import step_contract, step_peril, step_questions, step_when
from espace.pages.claims import _facts, offline_callout
from espace.state.claim_wizard import ClaimWizardState

W = ClaimWizardState


def step_summary() -> rx.Component:
    return rx.el.div(
        rx.el.section(
            rx.el.h2("Estimation de votre indemnité", class_name="card-title"),
            rx.cond(W.estimate.length() > 0, _facts(W.estimate)),
            rx.el.p(W.estimate_note, class_name="field-hint", id="estimate-note"),
            rx.el.p(
                "Estimation indicative à partir de vos montants : l'indemnité définitive dépend "
                "de l'évaluation des dommages (expertise, justificatifs).",
                class_name="field-hint",
            ),
            rx.cond(W.express_hint != "", rx.el.p(W.express_hint, class_name="notice")),
            class_name="card estimate",
            id="estimate",
        ),
        rx.el.section(
            rx.el.h2("Votre déclaration", class_name="card-title"),
            rx.el.dl(
                fact("Événement", W.peril_label),
                fact("Date", W.occurred_date),
                fact(
                    "Lieu",
                    W.location_text,
                ),
                class_name="facts",
            ),
            rx.cond(W.summary_answers.length() > 0, _facts(W.summary_answers)),
            rx.el.p(W.description, class_name="quote"),
            rx.el.ul(
                rx.foreach(W.items, lambda i: rx.el.li(i.description, " — ", i.estimate)),
                class_name="plain-list",
            ),
            rx.el.p(plural(W.files.length(), "fichier joint", "fichiers joints"), "."),
            rx.cond(W.deadline_text != "", rx.el.p(W.deadline_text, class_name="field-hint")),
            rx.cond(W.late_text != "", rx.el.p(W.late_text, class_name="notice notice-warn")),
            class_name="card",
        ),
        rx.cond(
            W.missing.length() > 0,
            rx.el.div(
                rx.el.p("Avant d'envoyer :", class_name="field-label"),
                rx.el.ul(rx.foreach(W.missing, lambda m: rx.el.li(m))),
                class_name="form-error",
                role="alert",
            ),
        ),
        rx.el.form(
            rx.el.label(
                rx.el.input(
                    type="checkbox",
                    name="certify",
                    value="yes",
                    class_name="checkbox",
                    id="certify",
                ),
                rx.el.span(
                    "Je certifie l'exactitude de ma déclaration. Une fausse déclaration peut "
                    "entraîner la perte du droit à indemnité."
                ),
                class_name="check-row",
            ),
            field_error(W.errors.get("certify", ""), "certify"),
            rx.el.div(
                rx.el.button(
                    "Retour", type="button", on_click=W.back, class_name="button button-secondary"
                ),
                rx.el.button(
                    "Envoyer ma déclaration",
                    type="submit",
                    class_name="button button-primary",
                    id="send-claim",
                ),
                class_name="button-row wizard-nav",
            ),
            on_submit=W.send,
            reset_on_submit=False,
            no_validate=True,
            key=W.form_version.to_string(),
        ),
        class_name="stack",
    )


def sent_panel() -> rx.Component:
    return rx.el.section(
        rx.icon("circle-check", size=36, aria_hidden="true", class_name="sent-icon"),
        rx.el.h2("Déclaration envoyée", class_name="card-title"),
        rx.el.p("Votre numéro de sinistre : ", rx.el.strong(W.sent_number, id="claim-number")),
        rx.el.p(rx.el.strong("Prochaine étape : "), W.sent_next_step),
        rx.cond(
            W.sent_express != "",
            rx.el.p("Règlement express : ", W.sent_express, class_name="notice notice-ok"),
        ),
        rx.el.p("Un accusé de réception vous a été envoyé par e-mail."),
        rx.el.div(
            rx.el.a(
                "Suivre mon sinistre",
                href=routes.CLAIM + "?n=" + W.sent_number,
                class_name="button button-primary",
                id="follow-claim",
            ),
            rx.el.a("Mes sinistres", href=routes.CLAIMS, class_name="button button-secondary"),
            class_name="button-row",
        ),
        class_name="card sent-panel",
        role="status",
    )


def stepper() -> rx.Component:
    return rx.el.nav(
        rx.el.p(W.step_number, " : ", W.step_label, class_name="stepper-label", id="step-label"),
        rx.el.div(
            rx.el.div(class_name="progress-bar", style={"width": W.progress}),
            class_name="progress",
            role="progressbar",
            aria_valuenow=W.step + 1,
            aria_valuemin=1,
            aria_valuemax=len(declaration.STEPS),
            aria_label="Avancement de la déclaration",
        ),
        rx.el.ol(
            *[
                rx.el.li(
                    rx.cond(
                        (i <= W.reached) & ((W.claim_id > 0) | (i == 0)) & (W.step != i),
                        rx.el.button(
                            label, type="button", on_click=W.go_to(i), class_name="button-link"
                        ),
                        rx.el.span(label, aria_current=rx.cond(W.step == i, "step", "false")),
                    )
                )
                for i, label in enumerate(declaration.STEPS)
            ],
            class_name="stepper-steps",
        ),
        aria_label="Étapes de la déclaration",
        class_name="stepper",
    )


def claim_wizard_page() -> rx.Component:
    return app_shell(
        "Déclarer un sinistre",
        offline_callout(),
        rx.cond(
            W.loaded,
            rx.cond(
                W.sent_number != "",
                sent_panel(),
                rx.el.div(
                    form_alert(W.errors.get("claim", "")),
                    rx.cond(
                        W.contracts.length() == 0,
                        rx.el.p(
                            "Aucun contrat en cours : la déclaration en ligne n'est pas possible.",
                            class_name="empty",
                        ),
                        rx.el.div(
                            stepper(),
                            rx.el.div(
                                rx.match(
                                    W.step,
                                    (0, step_contract()),
                                    (1, step_peril()),
                                    (2, step_questions()),
                                    (3, step_when()),
                                    (4, step_where()),
                                    (5, step_items()),
                                    (6, step_files()),
                                    (7, step_summary()),
                                    step_contract(),
                                ),
                                class_name="card wizard-card",
                            ),
                            class_name="stack",
                        ),
                    ),
                    class_name="stack",
                ),
            ),
            loading(),
        ),
        subtitle=(
            "Votre déclaration est enregistrée à chaque étape : vous pouvez la reprendre plus tard."
        ),
    )


__all__ = ["claim_wizard_page"]
