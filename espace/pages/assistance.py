"""/urgence: call the assistance at once, or send a request to the assistance provider."""

from __future__ import annotations

import reflex as rx

from espace import content, routes
from espace.components.forms import field_error, form_alert, notice, submit_button
from espace.components.layout import app_shell, loading
from espace.state.assistance import SITUATION_OPTIONS, RequestRow
from espace.state.assistance import AssistanceState as A


def _select(field_id: str, label: str, options, first: str, **props) -> rx.Component:
    error = A.errors.get(field_id, "")
    return rx.el.div(
        rx.el.label(label, html_for=field_id, class_name="field-label"),
        rx.el.select(
            rx.el.option(first, value=""),
            rx.foreach(options, lambda o: rx.el.option(o[1], value=o[0]))
            if isinstance(options, rx.Var)
            else rx.fragment(*[rx.el.option(t, value=v) for v, t in options]),
            id=field_id,
            name=field_id,
            class_name="field-input",
            aria_describedby=f"{field_id}-error",
            aria_invalid=rx.cond(error != "", "true", "false"),
            **props,
        ),
        field_error(error, field_id),
        class_name="field",
    )


def _row(row: RequestRow) -> rx.Component:
    return rx.el.li(
        rx.el.strong(row.what),
        rx.el.span(" · ", row.status, class_name="badge"),
        rx.cond(row.detail != "", rx.el.p(row.detail, class_name="field-hint")),
        class_name="card",
    )


def assistance_page() -> rx.Component:
    form = rx.el.form(
        rx.el.h2("Demander une intervention", class_name="card-title"),
        form_alert(A.errors.get("form", "")),
        rx.cond(
            A.for_claim != "",
            rx.el.p(
                "Demande liée au sinistre ",
                rx.el.a(A.for_claim, href=routes.CLAIM + "?n=" + A.for_claim),
                " : elle apparaîtra dans son suivi.",
                class_name="notice",
                id="assistance-claim",
            ),
        ),
        _select(
            "contract",
            "Logement concerné",
            A.contract_options,
            "Choisissez",
            value=A.contract_id,
            on_change=A.set_contract,
        ),
        _select(
            "situation",
            "Que se passe-t-il ?",
            SITUATION_OPTIONS,
            "Choisissez",
            value=A.situation,
            on_change=A.set_situation,
        ),
        _select(
            "service",
            "Aide demandée",
            A.service_options,
            "Choisissez",
            value=A.service,
            on_change=A.set_service,
        ),
        rx.cond(
            A.service == "rehousing",
            rx.el.div(
                rx.el.label("Nombre de nuits d'hôtel", html_for="nights", class_name="field-label"),
                rx.el.input(
                    id="nights",
                    name="nights",
                    type="number",
                    min=1,
                    max=60,
                    class_name="field-input",
                    aria_describedby="nights-error",
                ),
                field_error(A.errors.get("nights", ""), "nights"),
                class_name="field",
            ),
        ),
        submit_button("Envoyer la demande", block=False, id="send-assistance"),
        on_submit=A.submit,
        reset_on_submit=False,
        no_validate=True,
        class_name="card stack",
        id="assistance-form",
    )
    return app_shell(
        "Urgence",
        rx.el.section(
            rx.el.p("Une urgence au logement ? Appelez l'assistance 24 h/24 et 7 j/7 :"),
            rx.el.a(
                rx.icon("phone", size=18, aria_hidden="true"),
                content.ASSISTANCE_PHONE,
                href="tel:" + content.ASSISTANCE_PHONE.replace(" ", ""),
                class_name="button",
                id="assistance-phone",
            ),
            class_name="card stack",
        ),
        rx.cond(
            A.loaded,
            rx.el.div(
                notice(A.flash, kind="ok"),
                form,
                rx.el.h2("Mes demandes d'assistance", class_name="section-title"),
                rx.cond(
                    A.requests.length() > 0,
                    rx.el.ul(
                        rx.foreach(A.requests, _row), class_name="stack", id="assistance-requests"
                    ),
                    rx.el.p("Aucune demande.", class_name="empty"),
                ),
                class_name="stack",
            ),
            loading(),
        ),
        subtitle=(
            "Plombier, serrurier, vitrier, relogement d'urgence ou gardiennage : pris en charge "
            "dans les limites de la garantie assistance de votre contrat."
        ),
    )
