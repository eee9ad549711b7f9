"""'Assistant Espace': a chat that answers from the help articles and the holder's own data, and
hands the conversation to an adviser."""

from __future__ import annotations

import reflex as rx

from espace import routes
from espace.components.contact import assistance_link
from espace.components.forms import field_error, form_alert, select_field, submit_button, text_field
from espace.components.layout import app_shell, loading
from espace.state.assistant import ActionView, SourceView, TurnView
from espace.state.assistant import AssistantState as A


def _action(item: ActionView) -> rx.Component:
    return rx.match(
        item.kind,
        (
            "attestation",
            rx.el.button(
                rx.icon("download", size=16, aria_hidden="true"),
                item.label,
                type="button",
                on_click=A.download_attestation(item.contract_id),
                class_name="button-small",
            ),
        ),
        (
            "escalate",
            rx.el.button(
                rx.icon("messages-square", size=16, aria_hidden="true"),
                item.label,
                type="button",
                on_click=A.start_escalation,
                class_name="button-small",
            ),
        ),
        rx.el.a(item.label, href=item.href, class_name="button-small"),
    )


def _source(item: SourceView) -> rx.Component:
    return rx.el.li(rx.el.a(item.label, href=item.href))


def _turn(turn: TurnView) -> rx.Component:
    mine = turn.author == "holder"
    return rx.el.div(
        rx.el.p(rx.cond(mine, "Vous", "Assistant Espace"), class_name="chat-author"),
        rx.foreach(turn.paragraphs, lambda p: rx.el.p(p, class_name="chat-text")),
        rx.cond(
            turn.actions.length() > 0,
            rx.el.div(rx.foreach(turn.actions, _action), class_name="button-row chat-actions"),
        ),
        rx.cond(
            turn.sources.length() > 0,
            rx.el.div(
                rx.el.p("Sources", class_name="chat-sources-title"),
                rx.el.ul(rx.foreach(turn.sources, _source), class_name="chat-sources"),
            ),
        ),
        class_name=rx.cond(
            mine,
            "chat-bubble chat-mine",
            rx.cond(turn.understood, "chat-bubble", "chat-bubble chat-unsure"),
        ),
    )


def _suggestions() -> rx.Component:
    return rx.el.div(
        rx.el.p("Questions fréquentes :", class_name="field-hint"),
        rx.el.div(
            rx.foreach(
                A.suggestions,
                lambda s: rx.el.button(
                    s, type="button", on_click=A.ask_suggestion(s), class_name="button-small"
                ),
            ),
            class_name="button-row",
        ),
    )


def _question_form() -> rx.Component:
    return rx.el.form(
        rx.el.label("Votre question", html_for="assistant-question", class_name="field-label"),
        rx.el.div(
            rx.el.input(
                id="assistant-question",
                name="question",
                class_name="field-input",
                auto_complete="off",
                max_length=500,
                placeholder="Par exemple : quelle est ma franchise vol ?",
                aria_describedby="assistant-question-error",
            ),
            submit_button("Envoyer", block=False),
            class_name="chat-input-row",
        ),
        field_error(A.error, "assistant-question"),
        on_submit=A.ask,
        reset_on_submit=True,
        key=A.form_version.to_string(),
        class_name="chat-form",
    )


def _escalation() -> rx.Component:
    errors = A.escalate_errors
    return rx.el.section(
        rx.el.h2("Parler à un conseiller", class_name="card-title", id="escalate-title"),
        rx.el.p(
            "Votre conseiller recevra toute cette conversation dans votre messagerie sécurisée : "
            "inutile de répéter votre question. Réponse sous 2 jours ouvrés (1 jour pour un "
            "sinistre).",
            class_name="field-hint",
        ),
        rx.el.form(
            text_field(
                field_id="subject",
                label="Objet",
                error=errors.get("subject", ""),
                default_value=A.escalate_subject,
                max_length=120,
            ),
            select_field(
                field_id="category",
                label="Votre demande concerne",
                options=A.category_options,
                value=A.escalate_category,
            ),
            field_error(errors.get("category", ""), "category"),
            rx.el.div(
                rx.el.label("Précisions (facultatif)", html_for="body", class_name="field-label"),
                rx.el.textarea(
                    id="body",
                    name="body",
                    rows=4,
                    max_length=5000,
                    class_name="field-input",
                    aria_describedby="body-error",
                ),
                field_error(errors.get("body", ""), "body"),
                class_name="field",
            ),
            form_alert(errors.get("", "")),
            rx.el.div(
                submit_button("Envoyer au conseiller", block=False),
                rx.el.button(
                    "Annuler", type="button", on_click=A.cancel_escalation, class_name="button"
                ),
                class_name="button-row",
            ),
            on_submit=A.escalate,
            reset_on_submit=False,
            key=A.form_version.to_string(),
        ),
        class_name="card",
        aria_labelledby="escalate-title",
    )


def assistant_page() -> rx.Component:
    return app_shell(
        "Assistant Espace",
        rx.cond(
            A.loaded,
            rx.el.div(
                rx.el.section(
                    rx.el.div(
                        rx.el.div(
                            rx.el.p("Assistant Espace", class_name="chat-author"),
                            rx.el.p(
                                "Bonjour ! Je réponds à partir de vos contrats et de notre aide : "
                                "attestation, franchise, remboursement, sinistre, paiement… Je "
                                "vous dis quand je ne sais pas.",
                                class_name="chat-text",
                            ),
                            class_name="chat-bubble",
                        ),
                        rx.foreach(A.turns, _turn),
                        class_name="chat-log",
                        role="log",
                        aria_live="polite",
                        aria_label="Conversation avec l'assistant",
                        id="assistant-log",
                    ),
                    rx.cond(A.turns.length() == 0, _suggestions()),
                    _question_form(),
                    rx.cond(
                        A.turns.length() > 0,
                        rx.el.div(
                            rx.el.button(
                                rx.icon("messages-square", size=16, aria_hidden="true"),
                                "Parler à un conseiller",
                                type="button",
                                on_click=A.start_escalation,
                                class_name="button-small",
                                id="escalate",
                            ),
                            rx.el.button(
                                "Effacer la conversation",
                                type="button",
                                on_click=A.clear,
                                class_name="button-small",
                            ),
                            class_name="button-row",
                        ),
                    ),
                    class_name="card chat",
                ),
                rx.cond(A.escalating, _escalation()),
                rx.el.p(
                    "Urgence 24 h/24 (fuite, effraction, incendie) : ",
                    assistance_link(),
                    ". Toutes les réponses : ",
                    rx.el.a("Aide", href=routes.HELP),
                    ".",
                    class_name="field-hint",
                ),
                class_name="stack",
            ),
            loading(),
        ),
        subtitle="Posez votre question : réponse immédiate, ou un conseiller prend le relais.",
    )
