"""'Mes sinistres': the list of claims and drafts (the declaration wizard is in claim_wizard.py,
the claim tracker in claim_tracker.py)."""

from __future__ import annotations

import reflex as rx

from espace import routes
from espace.components.contact import assistance_link
from espace.components.facts import fact
from espace.components.forms import notice
from espace.components.layout import app_shell, loading
from espace.state.claim_rows import ClaimCard
from espace.state.claims import ClaimsState


def _facts(rows) -> rx.Component:
    return rx.el.dl(rx.foreach(rows, lambda f: fact(f.label, f.value)), class_name="facts")


# ----- list ----------------------------------------------------------------------------------


def claim_card(card: ClaimCard) -> rx.Component:
    return rx.el.article(
        rx.el.div(
            rx.el.h2(
                rx.el.a(card.peril, " — ", card.number, href=routes.CLAIM + "?n=" + card.number),
                class_name="card-title",
            ),
            rx.el.span(card.status, class_name="badge", data_status=card.stage),
            rx.cond(card.late, rx.el.span("En retard", class_name="badge badge-warn")),
            class_name="card-head",
        ),
        rx.el.p(card.contract, class_name="field-hint"),
        rx.el.p(card.date),
        rx.cond(card.next_step != "", rx.el.p(rx.el.strong("Prochaine étape : "), card.next_step)),
        rx.cond(card.amount != "", rx.el.p(card.amount)),
        rx.el.div(
            rx.el.a(
                "Suivre ce sinistre",
                href=routes.CLAIM + "?n=" + card.number,
                class_name="button-small",
            ),
            class_name="button-row",
        ),
        class_name="card",
    )


def draft_card(card: ClaimCard) -> rx.Component:
    return rx.el.article(
        rx.el.div(
            rx.el.h3(card.peril, class_name="card-title"),
            rx.el.span("Brouillon", class_name="badge badge-warn"),
            class_name="card-head",
        ),
        rx.el.p(card.contract, class_name="field-hint"),
        rx.el.p(card.date),
        rx.el.div(
            rx.el.a(
                "Reprendre la déclaration",
                href=routes.CLAIM_NEW + "?brouillon=" + card.draft_id.to_string(),
                class_name="button button-primary",
            ),
            rx.el.button(
                "Supprimer le brouillon",
                type="button",
                on_click=ClaimsState.delete_draft(card.draft_id),
                class_name="button-link",
            ),
            class_name="button-row",
        ),
        class_name="card",
    )


def offline_callout() -> rx.Component:
    """Shown only while the browser is offline (pwa.js sets ``html.espace-offline``): the page
    itself cannot load anything without the network, the offline declaration can."""
    return rx.el.p(
        rx.icon("wifi-off", size=18, aria_hidden="true"),
        "Pas de réseau ? ",
        rx.el.a(
            "Déclarez hors ligne",
            href=routes.OFFLINE_CLAIM,
            id="offline-claim-link",
            custom_attrs={"reloadDocument": True},  # a static page, not a route of the app
        ),
        " : votre déclaration reste sur ce téléphone et part au retour de la connexion.",
        class_name="notice notice-warn offline-callout",
        custom_attrs={"data-offline-only": "true"},
    )


def claims_page() -> rx.Component:
    S = ClaimsState
    return app_shell(
        "Mes sinistres",
        offline_callout(),
        rx.cond(
            S.loaded,
            rx.el.div(
                notice(S.flash, kind="ok"),
                rx.cond(
                    S.can_declare,
                    rx.el.a(
                        rx.icon("plus", size=18, aria_hidden="true"),
                        "Déclarer un sinistre",
                        href=routes.CLAIM_NEW,
                        class_name="button button-primary",
                        id="declare-claim",
                    ),
                    rx.el.p(
                        "Aucun contrat en cours : la déclaration en ligne n'est pas possible.",
                        class_name="empty",
                    ),
                ),
                rx.cond(
                    S.drafts.length() > 0,
                    rx.el.section(
                        rx.el.h2("Déclarations à terminer", class_name="section-title"),
                        rx.el.div(rx.foreach(S.drafts, draft_card), class_name="stack"),
                        aria_label="Brouillons",
                    ),
                ),
                rx.el.section(
                    rx.el.h2("Mes dossiers", class_name="section-title"),
                    rx.cond(
                        S.cards.length() == 0,
                        rx.el.p(
                            "Vous n'avez déclaré aucun sinistre. En cas de besoin, la déclaration "
                            "prend quelques minutes, 24 h/24.",
                            class_name="empty",
                        ),
                    ),
                    rx.el.div(rx.foreach(S.cards, claim_card), class_name="stack"),
                    aria_label="Dossiers sinistres",
                ),
                rx.el.p(
                    "Urgence (fuite, effraction, incendie) : Assistance 24 h/24 au ",
                    assistance_link(),
                    ".",
                    class_name="notice",
                ),
                rx.el.p(
                    "Un sous-sol sans réseau ? ",
                    rx.el.a(
                        "Préparez la déclaration hors ligne",
                        href=routes.OFFLINE_CLAIM,
                        id="prepare-offline-claim",
                        custom_attrs={"reloadDocument": True},
                    ),
                    " : ouverte une fois ici, elle fonctionne ensuite sans connexion sur ce "
                    "téléphone.",
                    class_name="hint",
                ),
                class_name="stack",
            ),
            loading(),
        ),
        subtitle="Déclarez un sinistre en ligne et suivez chaque étape de son règlement.",
    )


__all__ = ["claims_page"]
