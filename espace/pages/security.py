"""/securite: security score and one-click fixes, second factors, password, sessions, history."""

from __future__ import annotations

import reflex as rx

from espace.components.forms import new_password_fields, submit_button, text_field
from espace.components.layout import app_shell, loading
from espace.components.stepup import step_up_panel
from espace.pages.security_factors import phone_card, two_factor_card
from espace.state.meter import PasswordMeterState
from espace.state.security import HistoryItem, ScoreRow, SecurityState, SessionItem

S = SecurityState


def _fix_button(row: ScoreRow) -> rx.Component:
    return rx.match(
        row.key,
        (
            "totp",
            rx.el.button(
                "Activer", type="button", on_click=S.start_totp, class_name="button button-small"
            ),
        ),
        (
            "recovery",
            rx.el.button(
                "Générer",
                type="button",
                on_click=S.ask_recovery_codes,
                class_name="button button-small",
            ),
        ),
        (
            "phone",
            rx.el.button(
                "Vérifier",
                type="button",
                on_click=S.send_phone_code,
                class_name="button button-small",
            ),
        ),
        ("password", rx.el.a("Changer", href="#mot-de-passe", class_name="button button-small")),
        (
            "sessions",
            rx.el.button(
                "Fermer les autres sessions",
                type="button",
                on_click=S.end_others,
                class_name="button button-small",
            ),
        ),
        rx.fragment(),
    )


def score_row(row: ScoreRow) -> rx.Component:
    return rx.el.li(
        rx.icon(
            rx.cond(row.done, "circle-check", "circle-dashed"),
            size=20,
            aria_hidden="true",
            class_name=rx.cond(row.done, "ok", "todo"),
        ),
        rx.el.span(row.label, class_name="score-label"),
        rx.el.span("+", row.points.to_string(), " pts", class_name="score-points"),
        rx.cond(row.done, rx.el.span("Fait", class_name="sr-only"), _fix_button(row)),
        class_name="score-row",
        data_done=row.done.to_string(),
    )


def score_card() -> rx.Component:
    return rx.el.section(
        rx.el.div(
            rx.el.div(
                rx.el.span(S.score.to_string(), class_name="score-value", id="security-score"),
                rx.el.span("/100", class_name="score-max"),
                class_name="score-number",
            ),
            rx.el.div(
                rx.el.h2("Votre score de sécurité", class_name="card-title"),
                rx.el.div(
                    rx.el.div(
                        class_name="progress-bar", style={"width": S.score.to_string() + "%"}
                    ),
                    class_name="progress",
                    role="progressbar",
                    aria_valuenow=S.score,
                    aria_valuemin=0,
                    aria_valuemax=100,
                    aria_label="Score de sécurité",
                ),
            ),
            class_name="score-head",
        ),
        rx.el.ul(rx.foreach(S.score_rows, score_row), class_name="score-list"),
        class_name="card",
        aria_labelledby="score-title",
    )


def password_card() -> rx.Component:
    return rx.el.section(
        rx.el.h2("Mot de passe", class_name="card-title"),
        rx.el.form(
            text_field(
                field_id="current",
                label="Mot de passe actuel",
                error=S.pw_current_error,
                type="password",
                auto_complete="current-password",
                max_length=128,
            ),
            new_password_fields(
                state=PasswordMeterState,
                password_error=S.pw_new_error,
                confirm_error=S.pw_confirm_error,
            ),
            submit_button("Changer le mot de passe", block=False),
            on_submit=S.change_password,
            reset_on_submit=False,
            no_validate=True,
            id="password-form",
        ),
        step_up_panel(S, only=("password",)),
        class_name="card",
        id="mot-de-passe",
    )


def session_row(item: SessionItem) -> rx.Component:
    return rx.el.li(
        rx.icon(
            rx.cond(item.kind == "Téléphone", "smartphone", "monitor"), size=20, aria_hidden="true"
        ),
        rx.el.div(
            rx.el.p(
                rx.el.strong(item.device),
                rx.cond(item.current, rx.el.span("Cette session", class_name="badge")),
            ),
            rx.el.p(
                "Ouverte le ",
                item.started,
                " · active le ",
                item.last_seen,
                " · IP ",
                item.ip,
                class_name="field-hint",
            ),
        ),
        rx.cond(
            ~item.current,
            rx.el.button(
                "Déconnecter",
                type="button",
                on_click=S.end_session(item.id),
                class_name="button button-small",
                aria_label="Déconnecter " + item.device,
            ),
        ),
        class_name="session-row",
    )


def history_row(item: HistoryItem) -> rx.Component:
    return rx.el.tr(
        rx.el.td(item.when),
        rx.el.td(
            item.device,
            rx.cond(item.new_device, rx.el.span(" (nouvel appareil)", class_name="field-hint")),
        ),
        rx.el.td(item.ip),
        rx.el.td(
            rx.el.span(item.result, class_name=rx.cond(item.success, "status-ok", "status-bad"))
        ),
    )


def security_page() -> rx.Component:
    return app_shell(
        "Sécurité",
        rx.cond(
            S.loaded,
            rx.el.div(
                rx.cond(
                    S.flash != "", rx.el.p(S.flash, class_name="notice notice-ok", role="status")
                ),
                score_card(),
                two_factor_card(),
                phone_card(),
                password_card(),
                rx.el.section(
                    rx.el.div(
                        rx.el.h2("Sessions ouvertes", class_name="card-title"),
                        rx.el.button(
                            "Fermer les autres sessions",
                            type="button",
                            on_click=S.end_others,
                            class_name="button button-small",
                        ),
                        class_name="card-head",
                    ),
                    rx.el.ul(rx.foreach(S.open_sessions, session_row), class_name="session-list"),
                    class_name="card",
                ),
                rx.el.section(
                    rx.el.h2("Historique des connexions", class_name="card-title"),
                    rx.el.div(
                        rx.el.table(
                            rx.el.caption(
                                "Les 30 dernières tentatives, conservées 13 mois",
                                class_name="sr-only",
                            ),
                            rx.el.thead(
                                rx.el.tr(
                                    rx.el.th("Date", scope="col"),
                                    rx.el.th("Appareil", scope="col"),
                                    rx.el.th("Adresse IP", scope="col"),
                                    rx.el.th("Résultat", scope="col"),
                                )
                            ),
                            rx.el.tbody(rx.foreach(S.history, history_row)),
                            class_name="table",
                        ),
                        class_name="table-wrap",
                        tab_index=0,
                        role="region",
                        aria_label="Historique des connexions",
                    ),
                    class_name="card",
                ),
                class_name="stack",
            ),
            loading(),
        ),
        subtitle=(
            "Protégez l'accès à votre espace : vos contrats, vos sinistres et vos coordonnées "
            "bancaires."
        ),
    )
