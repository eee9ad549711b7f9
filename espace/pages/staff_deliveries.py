"""/gestion/envois: the failed deliveries, for managers, with "Renvoyer"."""

from __future__ import annotations

import reflex as rx

from espace.components.forms import form_alert, notice, submit_button
from espace.pages.staff import staff_shell
from espace.state.staff_deliveries import DeliveryItem, StaffDeliveriesState


def delivery_card(item: DeliveryItem) -> rx.Component:
    return rx.el.article(
        rx.el.header(
            rx.el.h2(item.subject, class_name="card-title"),
            rx.el.span(item.channel, class_name="badge"),
            rx.el.span("En échec", class_name="badge badge-warn"),
            class_name="contract-head",
        ),
        rx.el.dl(
            rx.el.div(rx.el.dt("Destinataire"), rx.el.dd(item.recipient), class_name="fact"),
            rx.el.div(rx.el.dt("Créé le"), rx.el.dd(item.created), class_name="fact"),
            rx.el.div(rx.el.dt("Dernier essai"), rx.el.dd(item.last_try), class_name="fact"),
            rx.el.div(rx.el.dt("Essais"), rx.el.dd(item.attempts), class_name="fact"),
            class_name="facts",
        ),
        rx.el.p("Erreur : ", item.error, class_name="field-hint"),
        rx.el.form(
            rx.el.input(type="hidden", name="message_id", value=item.id.to_string()),
            submit_button("Renvoyer", block=False),
            on_submit=StaffDeliveriesState.resend,
            reset_on_submit=False,
            no_validate=True,
        ),
        class_name="card",
        data_message=item.id,
    )


def staff_deliveries_page() -> rx.Component:
    S = StaffDeliveriesState
    return staff_shell(
        "Envois en échec",
        form_alert(S.error),
        notice(S.info, kind="ok"),
        rx.cond(
            S.loaded & (S.rows.length() == 0) & (S.error == ""),
            rx.el.p("Aucun envoi en échec.", class_name="empty"),
        ),
        rx.el.div(rx.foreach(S.rows, delivery_card), class_name="stack", id="failed-deliveries"),
        subtitle=(
            "E-mails, SMS et notifications push que le serveur n'a pas pu remettre après plusieurs "
            "essais. Vérifiez l'adresse ou le service en cause, puis renvoyez : chaque renvoi est "
            "tracé. Le contenu des messages (codes, liens) n'est pas affiché."
        ),
    )
