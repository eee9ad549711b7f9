"""'Suivi du sinistre': the claim tracker (stages, assistance, settlement, expert visit and offer,
messages, documents, history and the declaration as sent)."""

from __future__ import annotations

import reflex as rx

from espace import routes
from espace.components.contact import assistance_link
from espace.components.facts import fact
from espace.components.forms import field_error, notice, submit_button
from espace.components.layout import app_shell, loading
from espace.pages.claim_files import file_tile, upload_zone
from espace.pages.claims import _facts
from espace.pages.settlement import holder_offer_section
from espace.pages.visits import holder_visit_section
from espace.state.claim_rows import AssistanceView, EventView, MessageView, StepView
from espace.state.claims import ClaimState


def tracker_step(step: StepView) -> rx.Component:
    return rx.el.li(
        rx.el.span(class_name="tracker-dot", aria_hidden="true"),
        rx.el.span(step.label, class_name="tracker-label"),
        rx.el.span(
            rx.match(
                step.state,
                ("done", step.date),
                ("current", "En cours · " + step.date),
                ("skipped", "Sans objet"),
                "À venir",
            ),
            class_name="tracker-date",
        ),
        class_name="tracker-step",
        data_state=step.state,
    )


def history_row(event: EventView) -> rx.Component:
    return rx.el.li(
        rx.el.p(rx.el.strong(event.label), " · ", rx.el.time(event.date)),
        rx.cond(event.detail != "", rx.el.p(event.detail)),
        rx.cond(
            event.next_step != "", rx.el.p("Ensuite : ", event.next_step, class_name="field-hint")
        ),
        class_name="history-row",
    )


def message_row(message: MessageView) -> rx.Component:
    return rx.el.li(
        rx.el.p(rx.el.strong(message.author), " · ", message.date, class_name="field-hint"),
        rx.el.p(message.body, class_name="message-body"),
        class_name=rx.cond(message.mine, "message message-mine", "message message-theirs"),
    )


def assistance_row(row: AssistanceView) -> rx.Component:
    return rx.el.li(
        rx.el.div(
            rx.el.strong(row.what),
            rx.el.span(row.status, class_name="badge", data_status=row.stage),
            class_name="card-head",
        ),
        rx.cond(row.detail != "", rx.el.p(row.detail, class_name="field-hint")),
        class_name="history-row",
    )


def assistance_section() -> rx.Component:
    """Emergency help for this claim (plumber, locksmith, rehousing...) and its status."""
    S = ClaimState
    return rx.el.section(
        rx.el.h2("Assistance d'urgence", class_name="card-title"),
        rx.cond(
            S.assistance.length() > 0,
            rx.el.ul(
                rx.foreach(S.assistance, assistance_row),
                class_name="history",
                id="claim-assistance",
            ),
            rx.el.p(
                "Fuite à arrêter, serrure à changer, logement inhabitable : l'assistance peut "
                "envoyer un professionnel ou vous reloger.",
                class_name="field-hint",
            ),
        ),
        rx.el.div(
            rx.el.a(
                rx.icon("siren", size=18, aria_hidden="true"),
                "Demander un dépannage",
                href=routes.EMERGENCY + "?sinistre=" + S.number,
                class_name="button button-secondary",
                id="claim-emergency-link",
            ),
            class_name="button-row",
        ),
        rx.el.p("Ou appelez l'assistance 24 h/24 : ", assistance_link(), class_name="field-hint"),
        class_name="card",
        id="assistance",
    )


def claim_page() -> rx.Component:
    S = ClaimState
    body = rx.el.div(
        rx.el.section(
            rx.el.div(
                rx.el.h2(S.peril, " — ", S.number, class_name="card-title"),
                rx.el.span(S.status, class_name="badge", data_status=S.stage, id="claim-status"),
                class_name="card-head",
            ),
            rx.el.p(S.contract, class_name="field-hint"),
            rx.el.ol(
                rx.foreach(S.steps, tracker_step),
                class_name="tracker",
                aria_label="Étapes du sinistre",
                id="tracker",
            ),
            rx.cond(
                S.next_step != "",
                rx.el.p(
                    rx.el.strong("Prochaine étape : "),
                    S.next_step,
                    class_name="notice",
                    id="next-step",
                ),
            ),
            rx.cond(
                S.late,
                rx.el.p(
                    "Cette étape a pris du retard : votre gestionnaire en est informé. Vous "
                    "pouvez lui écrire ci-dessous.",
                    class_name="notice notice-warn",
                ),
            ),
            rx.cond(
                S.requested != "",
                rx.el.p(
                    rx.el.strong("Documents demandés : "),
                    S.requested,
                    class_name="notice notice-warn",
                ),
            ),
            rx.cond(
                S.express_reason != "",
                rx.el.p(
                    rx.el.strong("Règlement express : "),
                    S.express_reason,
                    class_name="notice notice-ok",
                ),
            ),
            rx.cond(
                S.refusal_reason != "",
                rx.el.p(
                    rx.el.strong("Motif du refus : "),
                    S.refusal_reason,
                    class_name="notice notice-warn",
                ),
            ),
            rx.el.dl(
                fact("Déclaré le", S.submitted),
                fact("Survenu le", S.occurred),
                fact("Gestionnaire", rx.cond(S.handler != "", S.handler, "En cours d'attribution")),
                rx.cond(S.expert != "", fact("Expert", S.expert)),
                rx.cond(S.visit != "", fact("Visite de l'expert", S.visit)),
                class_name="facts",
            ),
            class_name="card",
        ),
        rx.cond(
            S.settlement.length() > 0,
            rx.el.section(
                rx.el.h2("Votre indemnité", class_name="card-title"),
                _facts(S.settlement),
                class_name="card",
                id="settlement",
            ),
        ),
        assistance_section(),
        holder_visit_section(),
        holder_offer_section(),
        rx.el.section(
            rx.el.h2("Estimation à la déclaration", class_name="card-title"),
            rx.cond(S.estimate.length() > 0, _facts(S.estimate)),
            rx.el.p(S.estimate_note, class_name="field-hint"),
            class_name="card",
        ),
        rx.el.section(
            rx.el.h2("Messages avec votre gestionnaire", class_name="card-title"),
            rx.cond(
                S.messages.length() == 0,
                rx.el.p("Aucun message pour l'instant.", class_name="empty"),
            ),
            rx.el.ul(rx.foreach(S.messages, message_row), class_name="messages", id="messages"),
            rx.el.form(
                rx.el.label("Votre message", html_for="message", class_name="field-label"),
                rx.el.textarea(
                    id="message",
                    name="message",
                    rows=3,
                    max_length=4000,
                    class_name="field-input",
                    aria_describedby="message-error",
                ),
                field_error(S.message_error, "message"),
                submit_button("Envoyer le message", block=False, id="send-message"),
                on_submit=S.send_message,
                reset_on_submit=False,
                no_validate=True,
                key=S.message_version.to_string(),
            ),
            class_name="card",
        ),
        rx.el.section(
            rx.el.h2("Documents du dossier", class_name="card-title"),
            notice(S.flash, kind="ok"),
            rx.el.ul(
                rx.foreach(S.files, lambda f: file_tile(f)),
                class_name="file-list",
                id="claim-documents",
            ),
            rx.el.h3("Ajouter un document", class_name="card-subtitle"),
            upload_zone("claim-documents-upload", S.upload, S.set_upload_kind, S.upload_errors),
            class_name="card",
        ),
        rx.el.section(
            rx.el.h2("Historique", class_name="card-title"),
            rx.el.ol(rx.foreach(S.history, history_row), class_name="history", id="history"),
            class_name="card",
        ),
        rx.el.p(
            "Un désaccord sur ce dossier ? ",
            rx.el.a(
                "Faire une réclamation",
                href=routes.COMPLAINTS + "?sinistre=" + S.number,
                id="claim-complaint-link",
            ),
            " (réponse sous deux mois au plus).",
        ),
        rx.el.section(
            rx.el.h2("Votre déclaration", class_name="card-title"),
            rx.el.dl(
                fact("Lieu", S.location),
                rx.cond(
                    S.declared_deadline != "", fact("Délai de déclaration", S.declared_deadline)
                ),
                class_name="facts",
            ),
            rx.cond(S.answers.length() > 0, _facts(S.answers)),
            rx.el.p(S.description, class_name="quote"),
            rx.el.div(
                rx.el.table(
                    rx.el.thead(
                        rx.el.tr(
                            rx.el.th("Bien", scope="col"),
                            rx.el.th("Catégorie", scope="col"),
                            rx.el.th("Achat", scope="col"),
                            rx.el.th("Estimation", scope="col"),
                        )
                    ),
                    rx.el.tbody(
                        rx.foreach(
                            S.items,
                            lambda i: rx.el.tr(
                                rx.el.td(i.description),
                                rx.el.td(i.category),
                                rx.el.td(i.purchase),
                                rx.el.td(i.estimate),
                            ),
                        )
                    ),
                    rx.el.tfoot(
                        rx.el.tr(rx.el.th("Total", scope="row", col_span=3), rx.el.td(S.total))
                    ),
                    class_name="table",
                ),
                class_name="table-wrap",
                tab_index=0,
                role="region",
                aria_label="Biens déclarés",
            ),
            class_name="card",
        ),
        class_name="stack",
    )
    return app_shell(
        "Suivi du sinistre",
        rx.cond(
            S.loaded,
            rx.cond(
                S.found,
                body,
                rx.el.div(
                    rx.el.p("Ce sinistre est introuvable.", class_name="empty"),
                    rx.el.a(
                        "Voir mes sinistres",
                        href=routes.CLAIMS,
                        class_name="button button-secondary",
                    ),
                ),
            ),
            loading(),
        ),
        rx.el.p(rx.el.a("← Tous mes sinistres", href=routes.CLAIMS)),
    )


__all__ = ["claim_page"]
