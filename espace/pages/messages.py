"""'Mes messages': the holder's conversations with the insurer's advisers, a new message, one
conversation."""

from __future__ import annotations

import reflex as rx

from espace import routes
from espace.components.forms import (
    field_error,
    form_alert,
    labelled_upload,
    notice,
    select_field,
    submit_button,
    text_field,
)
from espace.components.layout import app_shell, loading
from espace.state.messages import (
    CATEGORY_OPTIONS,
    NEW_UPLOAD_ID,
    REPLY_UPLOAD_ID,
    FileLink,
    MessagesState,
    MessageView,
    NewMessageState,
    ThreadCard,
    ThreadState,
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


# ----- one conversation ---------------------------------------------------------------------------


def _file_link(item: FileLink) -> rx.Component:
    return rx.el.li(
        rx.el.a(
            rx.icon("paperclip", size=16, aria_hidden="true"),
            " ",
            item.name,
            href=item.url,
            download=True,
            custom_attrs={"reloadDocument": True},
        ),
        rx.el.span(" · ", item.size, class_name="field-hint"),
    )


def message_item(message: MessageView) -> rx.Component:
    return rx.el.li(
        rx.el.p(rx.el.strong(message.author), " · ", message.date, class_name="field-hint"),
        rx.el.p(message.body, class_name="message-body"),
        rx.cond(
            message.files.length() > 0,
            rx.el.ul(
                rx.foreach(message.files, _file_link),
                class_name="plain-list",
                aria_label="Pièces jointes",
            ),
        ),
        class_name=rx.cond(message.mine, "message message-mine", "message message-theirs"),
        data_author=message.kind,
    )


def _transcript() -> rx.Component:
    S = ThreadState
    return rx.cond(
        S.transcript.length() > 0,
        rx.el.section(
            rx.el.h2("Conversation avec l'assistant", class_name="card-title"),
            rx.el.p(
                "Votre échange avec l'assistant Espace, transmis à votre conseiller avec "
                "votre demande.",
                class_name="field-hint",
            ),
            rx.el.ol(
                rx.foreach(S.transcript, message_item), class_name="messages", id="transcript"
            ),
            class_name="card",
        ),
    )


def _resolve_and_rate() -> rx.Component:
    S = ThreadState
    err = S.errors
    rating_form = rx.el.form(
        rx.el.fieldset(
            rx.el.legend(
                "La réponse vous a-t-elle aidé ? Notez-la de 1 (pas du tout) à 5 (tout à fait).",
                class_name="field-label",
            ),
            rx.el.div(
                *[
                    rx.el.label(
                        rx.el.input(
                            type="radio", name="rating", value=str(n), class_name="checkbox"
                        ),
                        rx.el.span(f"{n} sur 5"),
                        class_name="check-row choice-card",
                    )
                    for n in range(1, 6)
                ],
                class_name="button-row",
            ),
            field_error(err.get("rating", ""), "rating"),
            class_name="field fieldset",
        ),
        rx.el.div(
            rx.el.label(
                "Un commentaire ? (facultatif)", html_for="comment", class_name="field-label"
            ),
            rx.el.textarea(
                id="comment",
                name="comment",
                rows=3,
                max_length=thread_rules.RATING_COMMENT_MAX,
                class_name="field-input",
                **_described("comment", err.get("comment", "")),
            ),
            field_error(err.get("comment", ""), "comment"),
            class_name="field",
        ),
        submit_button("Donner mon avis", block=False, id="send-rating"),
        on_submit=S.rate,
        reset_on_submit=False,
        no_validate=True,
        id="rating-form",
    )
    return rx.cond(
        S.status != "resolved",
        rx.el.div(
            rx.el.button(
                rx.icon("circle-check", size=18, aria_hidden="true"),
                "Marquer comme résolue",
                type="button",
                on_click=S.resolve,
                class_name="button button-secondary",
                id="resolve-thread",
            ),
            class_name="button-row",
        ),
        rx.cond(
            S.rating > 0,
            rx.el.section(
                rx.el.h2("Votre avis", class_name="card-title"),
                rx.el.p(
                    rx.el.strong(S.rating.to_string(), " sur 5"),
                    rx.cond(S.rating_comment != "", rx.fragment(" — ", S.rating_comment)),
                ),
                class_name="card",
                id="rating-given",
            ),
            rx.el.section(
                rx.el.h2("Votre avis sur la réponse", class_name="card-title"),
                rating_form,
                class_name="card",
                key=S.form_version.to_string(),
            ),
        ),
    )


def _reply_form() -> rx.Component:
    S = ThreadState
    err = S.errors
    return rx.el.section(
        rx.el.h2("Répondre", class_name="card-title"),
        rx.cond(
            S.status == "resolved",
            rx.el.p(
                "Cette conversation est résolue : écrire à nouveau la rouvre.",
                class_name="field-hint",
            ),
        ),
        rx.el.form(
            form_alert(err.get("thread", "")),
            textarea("reply-body", "Votre message", err.get("body", ""), rows=4),
            attachment_zone(REPLY_UPLOAD_ID, err.get("files", "")),
            rx.el.div(
                submit_button("Envoyer", block=False, id="send-reply"), class_name="button-row"
            ),
            on_submit=lambda form_data: S.reply(
                rx.upload_files(upload_id=REPLY_UPLOAD_ID), form_data
            ),
            reset_on_submit=False,
            no_validate=True,
            key=S.form_version.to_string(),
            class_name="stack",
        ),
        class_name="card",
    )


def thread_page() -> rx.Component:
    S = ThreadState
    body = rx.el.div(
        rx.el.div(
            rx.el.span(S.status_label, class_name="badge", data_status=S.badge, id="thread-status"),
            rx.el.span(rx.cond(S.linked != "", S.linked, S.category), class_name="field-hint"),
            class_name="button-row",
        ),
        notice(S.flash, kind="ok"),
        _transcript(),
        rx.el.section(
            rx.el.h2("Messages", class_name="card-title"),
            rx.el.ol(
                rx.foreach(S.conversation, message_item), class_name="messages", id="messages"
            ),
            class_name="card",
        ),
        _resolve_and_rate(),
        _reply_form(),
        class_name="stack",
    )
    return app_shell(
        rx.cond(S.found, S.subject, "Conversation"),
        rx.cond(
            S.loaded,
            rx.cond(
                S.found,
                body,
                rx.el.div(
                    rx.el.p("Cette conversation est introuvable.", class_name="empty"),
                    rx.el.a(
                        "Voir mes messages",
                        href=routes.MESSAGES,
                        class_name="button button-secondary",
                    ),
                ),
            ),
            loading(),
        ),
        rx.el.p(rx.el.a("← Mes messages", href=routes.MESSAGES)),
    )


__all__ = ["messages_page", "new_message_page", "thread_page"]
