"""/gestion: staff sign-in, the shared staff shell (header, navigation) and access-recovery
requests."""

from __future__ import annotations

import reflex as rx

from espace import routes
from espace.components.forms import code_field, form_alert, notice, submit_button, text_field
from espace.components.layout import brand
from espace.components.public import public_page
from espace.state.staff import (
    PrivacyItem,
    RequestItem,
    StaffAccessState,
    StaffLoginState,
    StaffSessionState,
)

STAFF_NAV = [
    (routes.STAFF_CLAIMS, "Sinistres", "folder-open"),
    (routes.STAFF_INBOX, "Messages", "mail"),
    (routes.STAFF_ACCESS_REQUESTS, "Demandes d'accès", "key-round"),
    (routes.STAFF_SEARCH, "Recherche", "search"),
    (routes.STAFF_DELIVERIES, "Envois en échec", "mail-warning"),
]


def staff_login_page() -> rx.Component:
    L = StaffLoginState
    password_form = rx.el.form(
        text_field(
            field_id="email",
            label="Adresse e-mail professionnelle",
            type="email",
            auto_complete="username",
        ),
        text_field(
            field_id="password",
            label="Mot de passe",
            type="password",
            auto_complete="current-password",
        ),
        submit_button("Se connecter"),
        on_submit=L.submit,
        reset_on_submit=False,
        no_validate=True,
        class_name="login-form",
    )
    code_form = rx.el.div(
        rx.el.h2("Vérification en deux étapes", class_name="card-title"),
        notice(L.sent_hint),
        rx.el.form(
            code_field(field_id="code", label="Code reçu par e-mail", error=L.code_error),
            submit_button("Valider"),
            on_submit=L.verify,
            reset_on_submit=False,
            no_validate=True,
            class_name="login-form",
        ),
        rx.el.button(
            "Renvoyer un code", type="button", on_click=L.resend, class_name="button-link"
        ),
    )
    return public_page(
        "Espace gestion",
        form_alert(L.form_error),
        rx.cond(L.second_step, code_form, password_form),
        lead=(
            "Réservé aux collaborateurs. Chaque connexion demande un code envoyé à votre e-mail "
            "professionnel."
        ),
    )


def request_card(item: RequestItem) -> rx.Component:
    return rx.el.article(
        rx.el.header(
            rx.el.h2(item.holder, class_name="card-title"),
            rx.el.span(
                item.status,
                class_name="badge",
                data_status=rx.cond(item.status == "Traitée", "terminated", "active"),
            ),
            rx.cond(item.late, rx.el.span("En retard", class_name="badge badge-warn")),
            class_name="contract-head",
        ),
        rx.el.dl(
            rx.el.div(rx.el.dt("Contrat"), rx.el.dd(item.contract), class_name="fact"),
            rx.el.div(rx.el.dt("Reçue le"), rx.el.dd(item.created), class_name="fact"),
            rx.el.div(rx.el.dt("À traiter avant le"), rx.el.dd(item.due), class_name="fact"),
            rx.el.div(rx.el.dt("E-mail de contact"), rx.el.dd(item.contact), class_name="fact"),
            rx.el.div(rx.el.dt("Téléphone au dossier"), rx.el.dd(item.phone), class_name="fact"),
            class_name="facts",
        ),
        rx.cond(
            item.status == "Traitée",
            rx.el.p("Note : ", item.note, class_name="field-hint"),
            rx.el.form(
                rx.el.input(type="hidden", name="request_id", value=item.id.to_string()),
                text_field(
                    field_id="note-" + item.id.to_string(),
                    name="note",
                    label="Note de traitement (identité vérifiée, action faite)",
                    type="text",
                    max_length=1000,
                ),
                submit_button("Marquer comme traitée", block=False),
                on_submit=StaffAccessState.handle,
                reset_on_submit=True,
                no_validate=True,
            ),
        ),
        class_name="card",
    )


def staff_header() -> rx.Component:
    return rx.el.header(
        rx.el.div(brand(), rx.el.span("Gestion", class_name="badge"), class_name="brand-row"),
        rx.el.div(
            rx.el.span(StaffSessionState.staff_name, class_name="user-name"),
            rx.cond(
                StaffSessionState.staff_role != "",
                rx.el.span(StaffSessionState.staff_role, class_name="staff-role"),
            ),
            rx.el.button(
                "Se déconnecter",
                type="button",
                on_click=StaffSessionState.logout,
                class_name="button button-small",
                id="staff-logout",
            ),
            class_name="brand-row staff-user",
        ),
        class_name="topbar",
    )


def staff_nav() -> rx.Component:
    def link(href: str, text: str, icon: str) -> rx.Component:
        current = rx.State.router.page.path == href
        return rx.el.a(
            rx.icon(icon, size=18, aria_hidden="true"),
            text,
            href=href,
            class_name="staff-nav-link",
            aria_current=rx.cond(current, "page", "false"),
        )

    return rx.el.nav(
        *[link(href, text, icon) for href, text, icon in STAFF_NAV],
        class_name="staff-nav",
        aria_label="Navigation de la gestion",
    )


def staff_shell(
    title: str | rx.Var, *children: rx.Component, subtitle: str | rx.Var = ""
) -> rx.Component:
    """Every staff page: skip link, header with the staff member and sign-out, navigation, one
    <main>."""
    return rx.el.div(
        rx.el.a("Aller au contenu", href="#contenu", class_name="skip-link"),
        staff_header(),
        staff_nav(),
        rx.el.main(
            rx.el.h1(title, class_name="page-title"),
            *(
                [rx.el.p(subtitle, class_name="page-subtitle")]
                if isinstance(subtitle, rx.Var) or subtitle
                else []
            ),
            *children,
            id="contenu",
            tab_index=-1,
            class_name="content content-wide",
        ),
        class_name="staff-app",
        data_hydrated=rx.State.is_hydrated.to_string(),
    )


def staff_access_page() -> rx.Component:
    return staff_shell(
        "Demandes de récupération d'accès",
        form_alert(StaffAccessState.error),
        rx.cond(
            StaffAccessState.loaded
            & (StaffAccessState.items.length() == 0)
            & (StaffAccessState.error == ""),
            rx.el.p("Aucune demande pour le moment.", class_name="empty"),
        ),
        rx.el.div(rx.foreach(StaffAccessState.items, request_card), class_name="stack"),
        rx.el.h2("Demandes RGPD (réponse sous un mois)", class_name="section-title", id="rgpd"),
        rx.cond(
            StaffAccessState.loaded & (StaffAccessState.privacy_items.length() == 0),
            rx.el.p("Aucune demande en cours.", class_name="empty"),
        ),
        rx.el.div(
            rx.foreach(StaffAccessState.privacy_items, privacy_card),
            class_name="stack",
            id="privacy-requests",
        ),
        subtitle=(
            "Assurés sans accès à leur e-mail et sans téléphone au dossier : vérifiez leur "
            "identité et recontactez-les sous 48 heures. Demandes d'exercice des droits RGPD."
        ),
    )


def privacy_card(item: PrivacyItem) -> rx.Component:
    return rx.el.article(
        rx.el.header(
            rx.el.h3(item.kind, " — ", item.holder, class_name="card-title"),
            rx.cond(item.late, rx.el.span("En retard", class_name="badge badge-warn")),
            class_name="contract-head",
        ),
        rx.el.dl(
            rx.el.div(rx.el.dt("Reçue le"), rx.el.dd(item.created), class_name="fact"),
            rx.el.div(rx.el.dt("Réponse avant le"), rx.el.dd(item.due), class_name="fact"),
            class_name="facts",
        ),
        rx.el.p(item.note, class_name="field-hint"),
        rx.el.form(
            rx.el.input(type="hidden", name="request_id", value=item.id.to_string()),
            text_field(
                field_id="privacy-note-" + item.id.to_string(),
                name="note",
                label="Ce qui a été fait (suppression des copies, réponse envoyée…)",
                type="text",
                max_length=1000,
            ),
            submit_button("Marquer comme traitée", block=False),
            on_submit=StaffAccessState.complete_privacy,
            reset_on_submit=True,
            no_validate=True,
        ),
        class_name="card",
    )
