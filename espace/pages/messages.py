"""'Mes messages': the holder's conversations with the insurer's advisers and a new message (one
conversation: ``pages/message_thread.py``), and the fields both share."""

from __future__ import annotations

import reflex as rx

from espace import routes
from espace.components.forms import (
    field_error,
    form_alert,
    labelled_upload,
    select_field,
    submit_button,
    text_field,
)
from espace.components.layout import app_shell, loading
from espace.state.messages import (
    CATEGORY_OPTIONS,
    NEW_UPLOAD_ID,
    MessagesState,
    NewMessageState,
    ThreadCard,
)
from espace.support import thread_rules

FILES_HINT = (
    f"Facultatif. Photos (JPEG, PNG, HEIC) ou PDF, 10 Mo au plus par fichier, "
    f"{thread_rules.MAX_FILES_PER_MESSAGE} fichiers au plus par message."
)


def _described(field_id: str, error: rx.Var, hint: bool = False) -> dict:
    ids = f"{field_id}-hint {field_id}-error" if hint else f"{field_id}-error"
    return {"aria_describedby": ids, "aria_invalid": rx.cond(error != "", "true", "false")}


def textarea(
    field_id: str, label: str, error: rx.Var, *, hint: str = "", rows: int = 6
) -> rx.Component:
    return rx.el.div(
        rx.el.label(label, html_for=field_id, class_name="field-label"),
        rx.el.p(hint, id=f"{field_id}-hint", class_name="field-hint") if hint else rx.fragment(),
        rx.el.textarea(
            id=field_id,
            name="body",
            rows=rows,
            max_length=thread_rules.BODY_MAX,
            class_name="field-input",
            **_described(field_id, error, bool(hint)),
        ),
        field_error(error, field_id),
        class_name="field",
    )


def attachment_zone(upload_id: str, error: rx.Var) -> rx.Component:
    """Files chosen here are sent with the message (same checks as claim photos and documents)."""
    chosen = rx.selected_files(upload_id)
    return rx.el.div(
        rx.el.p("Pièces jointes", class_name="field-label"),
        labelled_upload(
            rx.upload(
                rx.el.div(
                    rx.icon("paperclip", size=24, aria_hidden="true"),
                    rx.el.p(rx.el.strong("Choisir ou déposer des fichiers")),
                    rx.el.p(FILES_HINT, class_name="field-hint", id=f"{upload_id}-hint"),
                    class_name="dropzone-inner",
                ),
                id=upload_id,
                multiple=True,
                class_name="dropzone",
            ),
            "Joindre des fichiers au message",
        ),
        rx.cond(
            chosen.length() > 0,
            rx.el.div(
                rx.el.ul(
                    rx.foreach(
                        chosen,
                        lambda name: rx.el.li(
                            rx.icon("file", size=16, aria_hidden="true"), " ", name
                        ),
                    ),
                    class_name="plain-list",
                    id=f"{upload_id}-chosen",
                    aria_label="Fichiers choisis",
                ),
                rx.el.button(
                    "Retirer les fichiers choisis",
                    type="button",
                    on_click=rx.clear_selected_files(upload_id),
                    class_name="button-link",
                ),
            ),
        ),
        field_error(error, upload_id),
        class_name="field",
    )


# ----- list ---------------------------------------------------------------------------------------


def thread_card(card: ThreadCard) -> rx.Component:
    return rx.el.article(
        rx.el.div(
            rx.el.h2(
                rx.el.a(
                    card.subject,
                    rx.cond(card.unread, rx.el.span(" (nouvelle réponse)", class_name="sr-only")),
                    href=card.url,
                ),
                class_name="card-title",
            ),
            rx.el.div(
                rx.cond(
                    card.unread,
                    rx.el.span("Nouveau", class_name="badge badge-warn", aria_hidden="true"),
                ),
                rx.el.span(card.status, class_name="badge", data_status=card.badge),
                class_name="button-row",
            ),
            class_name="card-head",
        ),
        rx.el.p(
            card.category,
            rx.cond(card.from_assistant, " · transmis par l'assistant", ""),
            class_name="field-hint",
        ),
        rx.el.p("Dernier message le ", card.date),
        class_name=rx.cond(card.unread, "card notice-unread", "card"),
        data_unread=rx.cond(card.unread, "true", "false"),
    )


def messages_page() -> rx.Component:
    S = MessagesState
    return app_shell(
        "Mes messages",
        rx.cond(
            S.loaded,
            rx.el.div(
                rx.el.div(
                    rx.el.a(
                        rx.icon("plus", size=18, aria_hidden="true"),
                        "Nouveau message",
                        href=routes.MESSAGE_NEW,
                        class_name="button button-primary",
                        id="new-message",
                    ),
                    class_name="button-row",
                ),
                rx.cond(
                    S.threads.length() == 0,
                    rx.el.p(
                        "Aucune conversation pour l'instant. Posez votre question à un conseiller "
                        ": il vous répond ici, en toute confidentialité.",
                        class_name="empty",
                    ),
                ),
                rx.el.div(rx.foreach(S.threads, thread_card), class_name="stack", id="threads"),
                class_name="stack",
            ),
            loading(),
        ),
        subtitle=(
            "Échangez en toute sécurité avec nos conseillers. Nous répondons sous 1 jour ouvré "
            "pour un sinistre, 2 jours ouvrés pour les autres questions."
        ),
    )


# ----- new message --------------------------------------------------------------------------------


def _link_select(field_id: str, label: str, options: rx.Var, first: str) -> rx.Component:
    error = NewMessageState.errors.get(field_id, "")
    return rx.el.div(
        select_field(
            field_id=field_id,
            label=label,
            options=options,
            value="",
            first=first,
            **_described(field_id, error),
        ),
        field_error(error, field_id),
    )


def new_message_page() -> rx.Component:
    S = NewMessageState
    err = S.errors
    form = rx.el.form(
        form_alert(err.get("form", "")),
        text_field(
            field_id="subject",
            label="Objet",
            error=err.get("subject", ""),
            type="text",
            max_length=thread_rules.SUBJECT_MAX,
            hint=f"De {thread_rules.SUBJECT_MIN} à {thread_rules.SUBJECT_MAX} caractères.",
        ),
        rx.el.div(
            select_field(
                field_id="category",
                label="Votre demande concerne",
                options=CATEGORY_OPTIONS,
                value=S.category,
                first="Choisissez",
                on_change=S.set_category,
                **_described("category", err.get("category", "")),
            ),
            field_error(err.get("category", ""), "category"),
        ),
        rx.cond(
            S.category == "contract",
            _link_select(
                "contract", "Contrat concerné", S.contract_options, "Aucun contrat en particulier"
            ),
        ),
        rx.cond(
            S.category == "claim",
            _link_select(
                "claim", "Sinistre concerné", S.claim_options, "Aucun sinistre en particulier"
            ),
        ),
        textarea(
            "message-body",
            "Votre message",
            err.get("body", ""),
            hint="N'indiquez jamais vos mots de passe ni vos codes de connexion.",
        ),
        attachment_zone(NEW_UPLOAD_ID, err.get("files", "")),
        rx.el.div(
            submit_button("Envoyer le message", block=False, id="send-new-message"),
            rx.el.a("Annuler", href=routes.MESSAGES, class_name="button button-secondary"),
            class_name="button-row",
        ),
        on_submit=lambda form_data: S.send(rx.upload_files(upload_id=NEW_UPLOAD_ID), form_data),
        reset_on_submit=False,
        no_validate=True,
        class_name="card stack",
        id="new-message-form",
    )
    return app_shell(
        "Nouveau message",
        rx.cond(S.loaded, form, loading()),
        rx.el.p(rx.el.a("← Mes messages", href=routes.MESSAGES)),
        subtitle="Un conseiller vous répond dans votre espace ; vous êtes prévenu par e-mail.",
    )


__all__ = ["messages_page", "new_message_page"]
