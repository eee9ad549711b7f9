"""/reclamations (the holder's complaints and the form to file one) and /reclamation?n=… (one
complaint: deadlines, the exchange, the mediator route, the PDF)."""

from __future__ import annotations

import reflex as rx

from espace import routes
from espace.components.facts import fact
from espace.components.forms import field_error, form_alert, notice, submit_button, text_field
from espace.components.layout import app_shell, loading
from espace.state.complaints import TOPIC_OPTIONS, ComplaintRow, ExchangeRow
from espace.state.complaints import ComplaintsState as L
from espace.state.complaints import ComplaintState as C
from espace.support import complaint_rules


def _described(field_id: str, error: rx.Var, hint: bool = False) -> dict:
    ids = f"{field_id}-hint {field_id}-error" if hint else f"{field_id}-error"
    return {"aria_describedby": ids, "aria_invalid": rx.cond(error != "", "true", "false")}


def _select(field_id: str, label: str, options, value, first: str, **props) -> rx.Component:
    error = L.errors.get(field_id, "")
    return rx.el.div(
        rx.el.label(label, html_for=field_id, class_name="field-label"),
        rx.el.select(
            rx.el.option(first, value=""),
            rx.foreach(options, lambda o: rx.el.option(o[1], value=o[0]))
            if isinstance(options, rx.Var)
            else rx.fragment(*[rx.el.option(text, value=v) for v, text in options]),
            id=field_id,
            name=field_id,
            default_value=value,
            class_name="field-input",
            **_described(field_id, error),
            **props,
        ),
        field_error(error, field_id),
        class_name="field",
    )


def _textarea(field_id: str, name: str, label: str, error: rx.Var, hint: str) -> rx.Component:
    return rx.el.div(
        rx.el.label(label, html_for=field_id, class_name="field-label"),
        rx.el.p(hint, id=f"{field_id}-hint", class_name="field-hint"),
        rx.el.textarea(
            id=field_id,
            name=name,
            rows=6,
            max_length=complaint_rules.BODY_MAX,
            class_name="field-input",
            **_described(field_id, error, True),
        ),
        field_error(error, field_id),
        class_name="field",
    )


def deadlines_note() -> rx.Component:
    return rx.el.p(
        "Nous accusons réception de votre réclamation immédiatement (le délai légal est de 10 "
        "jours ouvrables) et vous répondons dans un délai de deux mois au plus. Sans réponse "
        "dans ce délai, ou si notre réponse ne vous satisfait pas, vous pourrez saisir La "
        "Médiation de l'Assurance.",
        class_name="field-hint",
        id="complaint-deadlines",
    )


def complaint_form() -> rx.Component:
    err = L.errors
    return rx.el.form(
        rx.el.h2("Déposer une réclamation", class_name="card-title"),
        deadlines_note(),
        form_alert(err.get("form", "")),
        _select(
            "topic",
            "Votre réclamation concerne",
            TOPIC_OPTIONS,
            L.topic,
            "Choisissez",
            on_change=L.set_topic,
        ),
        rx.cond(
            L.topic == "claim",
            _select("claim", "Sinistre concerné", L.claim_options, L.chosen_claim, "Choisissez"),
        ),
        rx.cond(
            (L.topic == "contract") | (L.topic == "payment"),
            _select(
                "contract",
                "Contrat concerné",
                L.contract_options,
                L.chosen_contract,
                rx.cond(L.topic == "payment", "Aucun contrat en particulier", "Choisissez"),
            ),
        ),
        text_field(
            field_id="subject",
            label="Objet",
            error=err.get("subject", ""),
            type="text",
            max_length=complaint_rules.SUBJECT_MAX,
            hint=f"De {complaint_rules.SUBJECT_MIN} à {complaint_rules.SUBJECT_MAX} caractères.",
        ),
        _textarea(
            "complaint-body",
            "body",
            "Votre réclamation",
            err.get("body", ""),
            "Décrivez ce qui s'est passé et ce que vous attendez de nous.",
        ),
        rx.el.div(
            submit_button("Envoyer la réclamation", block=False, id="send-complaint"),
            class_name="button-row",
        ),
        on_submit=L.file,
        reset_on_submit=False,
        no_validate=True,
        class_name="card stack",
        id="complaint-form",
    )


def _row(row: ComplaintRow) -> rx.Component:
    return rx.el.li(
        rx.el.div(
            rx.el.a(row.reference, " · ", row.subject, href=row.url, class_name="card-title"),
            rx.el.span(row.status_label, class_name="badge", data_status=row.status),
            rx.cond(row.late, rx.el.span("Réponse en retard", class_name="badge badge-warn")),
            class_name="button-row",
        ),
        rx.el.p(
            row.topic,
            rx.cond(row.linked != "", rx.el.span(" · ", row.linked)),
            " · déposée le ",
            row.filed,
            " · réponse au plus tard le ",
            row.answer_due,
            class_name="field-hint",
        ),
        class_name="card",
    )


def complaints_page() -> rx.Component:
    return app_shell(
        "Mes réclamations",
        rx.cond(
            L.loaded,
            rx.el.div(
                rx.cond(
                    L.rows.length() > 0,
                    rx.el.ul(rx.foreach(L.rows, _row), class_name="stack", id="complaints"),
                    rx.el.p("Vous n'avez déposé aucune réclamation.", class_name="empty"),
                ),
                complaint_form(),
                class_name="stack",
            ),
            loading(),
        ),
        subtitle=(
            "Un désaccord sur un sinistre, un paiement, votre contrat ou notre service ? Une "
            "réclamation est examinée par notre service Réclamations, à part des messages."
        ),
    )


# ----- one complaint ---------------------------------------------------------------------------


def _exchange_item(item: ExchangeRow) -> rx.Component:
    return rx.el.li(
        rx.el.p(rx.el.strong(item.title), " · ", item.at, class_name="field-hint"),
        rx.el.p(item.body, class_name="message-body", white_space="pre-wrap"),
        class_name="card",
        data_kind=item.kind,
    )


def mediator_block() -> rx.Component:
    return rx.el.section(
        rx.el.h2("Saisir le médiateur de l'assurance", class_name="card-title"),
        rx.el.p(
            rx.el.strong(C.mediator_name),
            ", ",
            C.mediator_address,
            " — ",
            rx.el.a(C.mediator_url, href=C.mediator_url, rel="noopener", target="_blank"),
        ),
        rx.el.p(C.mediator_conditions),
        class_name="card",
        id="mediator",
        role="region",
        aria_label="Médiation",
    )


def disagree_form() -> rx.Component:
    err = C.errors
    return rx.el.form(
        rx.el.h2("Notre réponse ne vous satisfait pas ?", class_name="card-title"),
        rx.el.div(
            rx.el.label("Dites-nous pourquoi", html_for="reason", class_name="field-label"),
            rx.el.textarea(
                id="reason",
                name="reason",
                rows=3,
                max_length=complaint_rules.BODY_MAX,
                class_name="field-input",
                **_described("reason", err.get("reason", "")),
            ),
            field_error(err.get("reason", ""), "reason"),
            class_name="field",
        ),
        submit_button("Je ne suis pas d'accord", block=False, id="disagree"),
        on_submit=C.disagree,
        reset_on_submit=False,
        no_validate=True,
        class_name="card stack",
        id="disagree-form",
    )


def complaint_page() -> rx.Component:
    row = C.complaint
    body = rx.el.div(
        notice(C.flash, kind="ok"),
        form_alert(C.errors.get("form", "")),
        rx.el.div(
            rx.el.span(
                row.status_label, class_name="badge", data_status=row.status, id="complaint-status"
            ),
            rx.cond(row.late, rx.el.span("Réponse en retard", class_name="badge badge-warn")),
            class_name="button-row",
        ),
        rx.el.section(
            rx.el.h2("Délais", class_name="sr-only"),
            rx.el.dl(
                fact("Concerne", rx.cond(row.linked != "", row.linked, row.topic)),
                fact("Déposée le", row.filed),
                fact("Accusé de réception", row.filed),
                fact("Accusé de réception dû au plus tard le", row.acknowledgement_due),
                fact("Réponse due au plus tard le", row.answer_due),
                rx.cond(C.answered != "", fact("Répondue le", C.answered)),
                rx.cond(row.left != "", fact("Délai", row.left)),
                class_name="facts",
                id="complaint-deadlines",
            ),
            class_name="card",
            aria_label="Délais",
        ),
        rx.el.section(
            rx.el.h2("Échange", class_name="card-title"),
            rx.el.ol(rx.foreach(C.exchange, _exchange_item), class_name="stack", id="exchange"),
            class_name="stack",
        ),
        rx.cond((row.status == "answered") & ~C.disagreed, disagree_form()),
        rx.cond(row.mediator_open, mediator_block()),
        rx.el.div(
            rx.el.button(
                rx.icon("download", size=16, aria_hidden="true"),
                "Télécharger l'échange (PDF)",
                type="button",
                on_click=C.download,
                class_name="button button-secondary",
                id="complaint-pdf",
            ),
            class_name="button-row",
        ),
        class_name="stack",
    )
    return app_shell(
        rx.cond(C.found, "Réclamation " + row.reference, "Réclamation"),
        rx.cond(
            C.loaded,
            rx.cond(
                C.found,
                body,
                rx.el.p("Cette réclamation est introuvable.", class_name="empty"),
            ),
            loading(),
        ),
        rx.el.p(rx.el.a("← Mes réclamations", href=routes.COMPLAINTS)),
    )


__all__ = ["complaint_page", "complaints_page"]
