"""/profil: 'Mon profil', identity, contact details changed inline, and the history of changes;
/profil/confirmer-email: the link e-mailed to a new address."""

from __future__ import annotations

import reflex as rx

from espace import routes
from espace.components.facts import fact
from espace.components.forms import code_field, form_alert, notice, submit_button, text_field
from espace.components.layout import app_shell, loading
from espace.components.public import back_to_login, public_page
from espace.components.stepup import step_up_panel
from espace.state.profile import ChangeRow, EmailConfirmState, ProfileState

S = ProfileState


def _error(name: str) -> rx.Var:
    return S.errors.get(name, "")


def _buttons(save: str) -> rx.Component:
    return rx.el.div(
        submit_button(save, block=False),
        rx.el.button(
            "Annuler", type="button", on_click=S.close_edit, class_name="button button-secondary"
        ),
        class_name="button-row",
    )


def _form(field: str, *children: rx.Component, on_submit, save: str) -> rx.Component:
    return rx.el.form(
        *children,
        form_alert(_error("form"), element_id=f"{field}-form-error"),
        _buttons(save),
        on_submit=on_submit,
        reset_on_submit=False,
        no_validate=True,
        key=S.form_version,
        id=f"{field}-form",
        class_name="contact-form",
    )


def address_form() -> rx.Component:
    values = S.form_values
    return _form(
        "address",
        text_field(
            field_id="line1",
            label="Numéro et voie",
            error=_error("line1"),
            type="text",
            max_length=100,
            auto_complete="address-line1",
            default_value=values["line1"],
        ),
        text_field(
            field_id="line2",
            label="Complément d'adresse (facultatif)",
            hint="Bâtiment, étage, lieu-dit…",
            error=_error("line2"),
            type="text",
            max_length=100,
            auto_complete="address-line2",
            default_value=values["line2"],
        ),
        rx.el.div(
            text_field(
                field_id="postal_code",
                label="Code postal",
                error=_error("postal_code"),
                type="text",
                input_mode="numeric",
                max_length=5,
                auto_complete="postal-code",
                default_value=values["postal_code"],
            ),
            text_field(
                field_id="city",
                label="Commune",
                error=_error("city"),
                type="text",
                max_length=100,
                auto_complete="address-level2",
                default_value=values["city"],
            ),
            class_name="address-grid",
        ),
        rx.el.p(
            "Pays : France. Le logement assuré ne change pas : pour un déménagement, "
            "contactez-nous.",
            class_name="field-hint",
        ),
        on_submit=S.save_address,
        save="Enregistrer l'adresse",
    )


def phone_form() -> rx.Component:
    return _form(
        "phone",
        text_field(
            field_id="new_phone",
            label="Nouveau numéro de mobile",
            error=_error("phone"),
            type="tel",
            hint=(
                "Un mobile qui reçoit les SMS : 06 ou 07 en France, ou avec l'indicatif (+32…) à "
                "l'étranger."
            ),
            auto_complete="tel",
            max_length=30,
            default_value=S.form_values["new_phone"],
        ),
        on_submit=S.save_phone,
        save="Continuer",
    )


def email_form() -> rx.Component:
    return _form(
        "email",
        text_field(
            field_id="new_email",
            label="Nouvelle adresse e-mail",
            error=_error("email"),
            type="email",
            hint=(
                "Elle deviendra votre identifiant de connexion quand vous aurez ouvert le lien que "
                "nous y enverrons."
            ),
            auto_complete="email",
            max_length=254,
            default_value=S.form_values["new_email"],
        ),
        on_submit=S.save_email,
        save="Continuer",
    )


def _secondary(label: str, on_click) -> rx.Component:
    return rx.el.button(
        label, type="button", on_click=on_click, class_name="button button-secondary"
    )


def pending_phone() -> rx.Component:
    return rx.cond(
        S.pending_phone != "",
        rx.el.div(
            rx.el.p(
                rx.el.strong("Changement en attente. "),
                "Saisissez le code envoyé par SMS au ",
                rx.el.strong(S.pending_phone),
                " : ce numéro remplacera l'actuel.",
            ),
            rx.el.form(
                code_field(field_id="phone_code", label="Code reçu par SMS", error=_error("code")),
                submit_button("Confirmer le numéro", block=False),
                on_submit=S.confirm_phone,
                reset_on_submit=False,
                no_validate=True,
                id="phone-code-form",
            ),
            rx.el.div(
                _secondary("Renvoyer le code", S.resend_phone),
                _secondary("Annuler le changement", S.cancel_change(S.pending_phone_id)),
                class_name="button-row",
            ),
            class_name="pending-change",
            role="region",
            aria_label="Changement de numéro en attente",
        ),
    )


def pending_email() -> rx.Component:
    return rx.cond(
        S.pending_email != "",
        rx.el.div(
            rx.el.p(
                rx.el.strong("Vérifiez votre nouvelle adresse. "),
                "Nous avons envoyé un lien à ",
                rx.el.strong(S.pending_email),
                " (valable 24 heures). D'ici là, votre adresse actuelle reste "
                "celle de votre espace.",
            ),
            rx.cond(
                _error("email_link") != "",
                rx.el.p(_error("email_link"), class_name="field-error", role="alert"),
            ),
            rx.el.div(
                _secondary("Renvoyer le lien", S.resend_email),
                _secondary("Annuler la demande", S.cancel_change(S.pending_email_id)),
                class_name="button-row",
            ),
            class_name="pending-change",
            role="region",
            aria_label="Changement d'adresse e-mail en attente",
        ),
    )


def contact_item(
    label: str,
    name: str,
    value: rx.Var,
    field: str,
    form: rx.Component,
    pending: rx.Component | None = None,
) -> rx.Component:
    """One contact detail: its value, 'Modifier', what is pending, and the inline form when open."""
    return rx.el.div(
        rx.el.div(
            rx.el.dl(fact(label, value), class_name="facts"),
            rx.cond(
                S.editing != field,
                rx.el.button(
                    "Modifier",
                    rx.el.span(f" {name}", class_name="sr-only"),
                    type="button",
                    on_click=S.edit(field),
                    class_name="button button-small",
                    id=f"edit-{field}",
                ),
            ),
            class_name="contact-row",
        ),
        pending if pending is not None else rx.fragment(),
        rx.cond(S.editing == field, rx.cond(S.stepup_for == field, step_up_panel(S), form)),
        class_name="contact-item",
        id=f"contact-{field}",
    )


def contact_card() -> rx.Component:
    return rx.el.section(
        rx.el.h2("Coordonnées", class_name="card-title"),
        notice(S.flash, kind="ok"),
        contact_item(
            "Adresse e-mail", "l'adresse e-mail", S.email, "email", email_form(), pending_email()
        ),
        contact_item(
            "Téléphone mobile",
            "le téléphone mobile",
            S.phone,
            "phone",
            phone_form(),
            pending_phone(),
        ),
        contact_item("Adresse postale", "l'adresse postale", S.address, "address", address_form()),
        class_name="card",
    )


def change_item(row: ChangeRow) -> rx.Component:
    return rx.el.li(
        rx.el.p(
            rx.el.strong(row.what),
            rx.el.span(row.status_label, class_name="badge", data_status=row.status),
            class_name="change-head",
        ),
        rx.el.p(
            rx.el.span(row.old, class_name="change-old"),
            rx.el.span(" → ", aria_hidden="true"),
            rx.el.span(" remplacé par ", class_name="sr-only"),
            rx.el.span(row.new, class_name="change-new"),
            class_name="change-values",
        ),
        rx.el.p(row.when, " · Confirmation : ", row.how, class_name="field-hint"),
        class_name="change-item",
    )


def history_card() -> rx.Component:
    return rx.el.section(
        rx.el.h2("Historique des modifications", class_name="card-title", id="history-title"),
        rx.cond(
            S.changes.length() > 0,
            rx.el.ol(
                rx.foreach(S.changes, change_item), class_name="change-list", id="profile-history"
            ),
            rx.el.p("Aucune modification pour l'instant.", class_name="field-hint"),
        ),
        class_name="card",
        aria_labelledby="history-title",
    )


def profile_page() -> rx.Component:
    return app_shell(
        "Mon profil",
        rx.cond(
            S.loaded,
            rx.el.div(
                rx.el.section(
                    rx.el.h2("Identité", class_name="card-title"),
                    rx.el.dl(
                        fact("Nom", S.civility_name),
                        fact("Date de naissance", S.birth_date),
                        class_name="facts facts-wide",
                    ),
                    rx.el.p(
                        "Pour corriger votre nom ou votre date de naissance, ",
                        rx.el.a("écrivez-nous", href=routes.MESSAGE_NEW),
                        " en joignant un justificatif.",
                        class_name="field-hint profile-note",
                    ),
                    class_name="card",
                ),
                contact_card(),
                history_card(),
                class_name="stack",
            ),
            loading(),
        ),
        subtitle="Les informations que nous utilisons pour vos contrats et pour vous joindre.",
    )


def email_confirm_page() -> rx.Component:
    s = EmailConfirmState
    return public_page(
        "Nouvelle adresse e-mail",
        rx.match(
            s.outcome,
            (
                "ok",
                rx.el.div(
                    rx.el.p(
                        "Votre adresse e-mail est modifiée : ",
                        rx.el.strong(s.new_email),
                        " sert désormais à vous connecter et à recevoir nos messages.",
                        class_name="notice notice-ok",
                        role="status",
                    ),
                    rx.el.a(
                        "Aller à mon profil",
                        href=routes.PROFILE,
                        class_name="button button-primary button-block",
                    ),
                ),
            ),
            (
                "invalid",
                rx.el.div(
                    rx.el.p(s.message, class_name="form-error", role="alert"),
                    rx.el.p(
                        "Connectez-vous, puis recommencez depuis Mon profil si vous souhaitez "
                        "toujours changer d'adresse.",
                        class_name="field-hint",
                    ),
                    rx.el.a(
                        "Aller à mon profil",
                        href=routes.PROFILE,
                        class_name="button button-secondary button-block",
                    ),
                ),
            ),
            rx.el.p("Vérification du lien…", role="status", class_name="loading"),
        ),
        back_to_login(),
    )
