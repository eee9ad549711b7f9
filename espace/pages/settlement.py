"""The settlement offer: the holder's section of the claim tracker and the staff card of the claim
page."""

from __future__ import annotations

import reflex as rx

from espace import routes
from espace.components.facts import fact
from espace.components.forms import field_error, form_alert, notice, submit_button
from espace.state.settlement import DISPUTE_OPTIONS
from espace.state.settlement import SettlementState as S
from espace.state.settlement import StaffSettlementState as T


def _accept_form() -> rx.Component:
    """Two ways to accept: a transfer to an account on file, or repair in kind when allowed (each
    its own form: the choice travels as a hidden field)."""
    err = S.errors
    transfer = rx.el.form(
        rx.el.input(type="hidden", name="choice", value="transfer"),
        rx.el.div(
            rx.el.label(
                "Compte qui recevra le virement", html_for="offer-account", class_name="field-label"
            ),
            rx.el.select(
                rx.el.option("Choisissez", value=""),
                rx.foreach(S.accounts, lambda o: rx.el.option(o[1], value=o[0])),
                # an id unlike the name: Reflex would replace the submitted value by the
                # select's ref, which it does not keep
                id="offer-account",
                name="account",
                class_name="field-input",
                aria_describedby="account-hint account-error",
            ),
            rx.el.p(
                "Un autre compte ? Ajoutez-le depuis ",
                rx.el.a("Mes paiements", href=routes.PAYMENTS),
                " (mêmes vérifications que pour vos prélèvements), puis revenez ici.",
                id="account-hint",
                class_name="field-hint",
            ),
            field_error(err.get("account", ""), "account"),
            class_name="field",
        ),
        submit_button("J'accepte et je signe : virement", block=False, id="accept-offer"),
        on_submit=S.accept,
        reset_on_submit=False,
        no_validate=True,
        class_name="stack",
        id="accept-offer-form",
    )
    repair = rx.el.form(
        rx.el.input(type="hidden", name="choice", value="repair"),
        rx.el.p("Votre garantie permet aussi une réparation en nature par un artisan partenaire."),
        field_error(err.get("choice", ""), "choice"),
        submit_button(
            "J'accepte et je signe : réparation en nature", block=False, id="accept-repair"
        ),
        on_submit=S.accept,
        reset_on_submit=False,
        no_validate=True,
        class_name="stack",
    )
    return rx.el.div(
        rx.el.h3("Accepter l'offre", class_name="card-subtitle"),
        transfer,
        rx.cond(S.repair_allowed, repair),
        class_name="stack",
    )


def _dispute_form() -> rx.Component:
    err = S.errors
    return rx.el.form(
        rx.el.h3("Contester l'offre", class_name="card-subtitle"),
        rx.el.div(
            rx.el.label("Suite souhaitée", html_for="dispute-action", class_name="field-label"),
            rx.el.select(
                rx.el.option("Choisissez", value=""),
                *[rx.el.option(label, value=value) for value, label in DISPUTE_OPTIONS],
                id="dispute-action",
                name="action",
                class_name="field-input",
                aria_describedby="action-error",
            ),
            field_error(err.get("action", ""), "action"),
            class_name="field",
        ),
        rx.el.div(
            rx.el.label(
                "Raison de votre désaccord", html_for="dispute-reason", class_name="field-label"
            ),
            rx.el.textarea(
                id="dispute-reason",
                name="reason",
                rows=3,
                max_length=1000,
                class_name="field-input",
                aria_describedby="reason-error",
            ),
            field_error(err.get("reason", ""), "reason"),
            class_name="field",
        ),
        submit_button("Contester", block=False, id="dispute-offer"),
        on_submit=S.dispute,
        reset_on_submit=False,
        no_validate=True,
        class_name="stack",
        id="dispute-offer-form",
    )


def holder_offer_section() -> rx.Component:
    return rx.cond(
        S.has_offer,
        rx.el.section(
            rx.el.h2("Offre d'indemnisation", class_name="card-title"),
            rx.el.p("Proposée le ", S.made, class_name="field-hint"),
            rx.el.dl(
                rx.foreach(S.rows, lambda r: fact(r[0], r[1])),
                class_name="facts",
                id="offer-breakdown",
            ),
            notice(S.flash, kind="ok"),
            form_alert(S.errors.get("offer", ""), element_id="offer-error"),
            rx.cond(
                S.status == "proposed",
                rx.el.div(_accept_form(), _dispute_form(), class_name="stack"),
                rx.el.p(S.decided, class_name="notice", id="offer-decision"),
            ),
            class_name="card stack",
            id="settlement-offer",
        ),
    )


def staff_offer_card() -> rx.Component:
    return rx.el.section(
        rx.el.h2("Offre d'indemnisation", class_name="card-title"),
        rx.cond(T.status != "", rx.el.p(T.status, class_name="badge", id="staff-offer-status")),
        rx.cond(
            T.rows.length() > 0,
            rx.el.dl(rx.foreach(T.rows, lambda r: fact(r[0], r[1])), class_name="facts"),
        ),
        rx.cond(T.outcome != "", rx.el.p(T.outcome, class_name="notice")),
        notice(T.flash, kind="ok"),
        form_alert(T.errors.get("offer", ""), element_id="staff-offer-error"),
        rx.cond(
            T.can_offer,
            rx.el.form(
                rx.el.div(
                    rx.el.label("Vétusté (€)", html_for="obsolescence", class_name="field-label"),
                    rx.el.input(
                        id="obsolescence",
                        name="obsolescence",
                        type="text",
                        input_mode="decimal",
                        class_name="field-input",
                        aria_describedby="obsolescence-error",
                    ),
                    field_error(T.errors.get("obsolescence", ""), "obsolescence"),
                    class_name="field",
                ),
                rx.el.label(
                    rx.el.input(
                        type="checkbox", name="new_for_old", id="new-for-old", class_name="checkbox"
                    ),
                    "Valeur à neuf : vétusté versée sur justificatif de remplacement",
                    class_name="check-row",
                ),
                rx.el.label(
                    rx.el.input(
                        type="checkbox",
                        name="repair_in_kind",
                        id="repair-in-kind",
                        class_name="checkbox",
                    ),
                    "La garantie permet la réparation en nature",
                    class_name="check-row",
                ),
                submit_button("Envoyer l'offre", block=False, id="make-offer"),
                on_submit=T.make_offer,
                reset_on_submit=False,
                no_validate=True,
                class_name="stack",
            ),
        ),
        class_name="card stack",
        id="staff-offer",
    )
