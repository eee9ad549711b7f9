"""'Mes données': what we keep, why and how long, consents, export and erasure."""

from __future__ import annotations

import reflex as rx

from espace import content, routes
from espace.components.forms import notice
from espace.components.layout import app_shell, loading
from espace.components.stepup import step_up_panel
from espace.state.privacy import PrivacyState

P = PrivacyState


def inventory() -> rx.Component:
    return rx.el.section(
        rx.el.h2("Ce que nous conservons", class_name="card-title"),
        rx.el.div(
            rx.el.table(
                rx.el.caption(
                    "Données conservées, finalité, durée et destinataires", class_name="sr-only"
                ),
                rx.el.thead(
                    rx.el.tr(
                        *[
                            rx.el.th(h, scope="col")
                            for h in (
                                "Données",
                                "Détail",
                                "Pourquoi",
                                "Combien de temps",
                                "Qui les reçoit",
                            )
                        ]
                    )
                ),
                rx.el.tbody(
                    rx.foreach(
                        P.inventory,
                        lambda r: rx.el.tr(
                            rx.el.th(r.category, scope="row"),
                            rx.el.td(r.what),
                            rx.el.td(r.why),
                            rx.el.td(r.how_long),
                            rx.el.td(r.recipients),
                        ),
                    )
                ),
                class_name="table",
                id="inventory",
            ),
            class_name="table-wrap",
            tab_index=0,
            role="region",
            aria_label="Données conservées",
        ),
        class_name="card",
    )


def consents() -> rx.Component:
    return rx.el.section(
        rx.el.h2("Mes consentements", class_name="card-title"),
        rx.el.form(
            rx.foreach(
                P.consent_rows,
                lambda c: rx.el.label(
                    rx.el.input(
                        type="checkbox",
                        name=c.purpose,
                        default_checked=c.granted,
                        class_name="checkbox",
                        id="consent-" + c.purpose,
                    ),
                    rx.el.span(c.label),
                    class_name="check-row",
                ),
            ),
            rx.el.button(
                "Enregistrer mes choix",
                type="submit",
                class_name="button button-primary",
                id="save-consents",
            ),
            on_submit=P.save_consents,
            reset_on_submit=False,
            no_validate=True,
            key=P.consents_version.to_string(),
            class_name="stack-sm",
        ),
        rx.cond(
            P.history.length() > 0,
            rx.el.details(
                rx.el.summary("Historique de mes choix"),
                rx.el.ul(
                    rx.foreach(
                        P.history, lambda h: rx.el.li(h.date, " — ", h.label, " : ", h.granted)
                    ),
                    class_name="plain-list",
                    id="consent-history",
                ),
            ),
        ),
        class_name="card",
    )


def staff_reads() -> rx.Component:
    return rx.el.section(
        rx.el.h2("Qui a consulté mon dossier", class_name="card-title"),
        rx.el.p(
            "Chaque fois qu'un de nos collaborateurs ouvre un de vos sinistres, une de vos "
            "conversations, un de vos fichiers ou une de vos demandes, nous l'enregistrons (13 "
            "mois).",
            class_name="field-hint",
        ),
        rx.cond(
            P.reads.length() == 0,
            rx.el.p("Aucune consultation enregistrée.", class_name="empty"),
            rx.el.div(
                rx.el.table(
                    rx.el.caption(
                        "Consultations de votre dossier par nos collaborateurs",
                        class_name="sr-only",
                    ),
                    rx.el.thead(
                        rx.el.tr(*[rx.el.th(h, scope="col") for h in ("Quand", "Par", "Consulté")])
                    ),
                    rx.el.tbody(
                        rx.foreach(
                            P.reads,
                            lambda r: rx.el.tr(
                                rx.el.td(r.date), rx.el.td(r.role), rx.el.td(r.what)
                            ),
                        )
                    ),
                    class_name="table",
                    id="staff-reads",
                ),
                class_name="table-wrap",
                tab_index=0,
                role="region",
                aria_label="Consultations de votre dossier",
            ),
        ),
        rx.cond(
            P.reads_total > P.reads.length(),
            rx.el.p(
                "Les ",
                P.reads.length().to_string(),
                " plus récentes sur ",
                P.reads_total.to_string(),
                " : la liste complète figure dans l'export de vos données.",
                class_name="field-hint",
            ),
        ),
        class_name="card",
        id="staff-reads-card",
    )


def rights() -> rx.Component:
    return rx.el.section(
        rx.el.h2("Exercer mes droits", class_name="card-title"),
        rx.el.p(
            "Accès et portabilité : téléchargez toutes vos données, lisibles par un tableur ou un "
            "autre service (fichiers JSON et CSV dans une archive ZIP)."
        ),
        rx.el.a(
            rx.icon("download", size=18, aria_hidden="true"),
            "Télécharger mes données",
            href=routes.DATA_EXPORT,
            download=True,
            custom_attrs={"reloadDocument": True},
            class_name="button button-secondary",
            id="export-data",
        ),
        rx.el.p(
            "Rectification : vos coordonnées se modifient depuis ",
            rx.el.a("Mon profil", href=routes.PROFILE),
            " ; pour le reste, écrivez-nous depuis un dossier ou au délégué à la protection des "
            f"données ({content.DPO_EMAIL}).",
            class_name="field-hint",
        ),
        rx.el.h3("Supprimer mon espace client", class_name="card-subtitle"),
        rx.el.p(P.erasure_text, class_name="field-hint", id="erasure-text"),
        step_up_panel(P),
        rx.cond(
            P.stepup_for == "",
            rx.el.button(
                "Supprimer mon espace client",
                type="button",
                on_click=P.ask_erasure,
                class_name="button button-danger",
                id="ask-erasure",
            ),
        ),
        class_name="card",
    )


def privacy_page() -> rx.Component:
    return app_shell(
        "Mes données",
        rx.cond(
            P.loaded,
            rx.el.div(
                notice(P.flash, kind="ok"),
                inventory(),
                consents(),
                staff_reads(),
                rights(),
                class_name="stack",
            ),
            loading(),
        ),
        subtitle=(
            "Vos données personnelles : ce que nous en faisons, vos choix et vos droits (RGPD)."
        ),
    )
