"""'Mes messages': one conversation (/message?n=…), with the assistant's transcript, the
resolution and its rating, and the reply form."""

from __future__ import annotations

import reflex as rx

from espace import routes
from espace.components.forms import field_error, form_alert, notice, submit_button
from espace.components.layout import app_shell, loading
from espace.pages.messages import _described, attachment_zone, textarea
from espace.state.messages import REPLY_UPLOAD_ID, FileLink, MessageView, ThreadState
from espace.support import thread_rules


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
