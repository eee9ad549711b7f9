"""/verifier?ref=…: the public verification page reached from an attestation's QR code."""

from __future__ import annotations

import reflex as rx

from espace.components.facts import fact
from espace.components.public import public_page
from espace.state.verify import VerifyState as V


def verify_page() -> rx.Component:
    # A verdict is shown only once this page's own check has run (``is_hydrated`` turns true after
    # ``load``) and only for the reference in the address: never the previous page's verdict.
    current = rx.State.is_hydrated & (
        V.checked_ref == rx.State.router.url.query_parameters.get("ref", "")
    )
    status = rx.cond(current, V.status, "")
    verdict = rx.match(
        status,
        (
            "valide",
            rx.el.p(
                rx.icon("shield-check", size=22, aria_hidden="true"),
                "Attestation valide",
                class_name="verdict verdict-ok",
                role="status",
                id="verdict",
            ),
        ),
        (
            "expirée",
            rx.el.p(
                rx.icon("clock", size=22, aria_hidden="true"),
                "Attestation expirée",
                class_name="verdict verdict-warn",
                role="status",
                id="verdict",
            ),
        ),
        (
            "révoquée",
            rx.el.p(
                rx.icon("shield-x", size=22, aria_hidden="true"),
                "Attestation révoquée",
                class_name="verdict verdict-bad",
                role="status",
                id="verdict",
            ),
        ),
        (
            "inconnue",
            rx.el.p(
                rx.icon("shield-alert", size=22, aria_hidden="true"),
                "Référence inconnue ou modifiée : ce document n'est pas authentique.",
                class_name="verdict verdict-bad",
                role="status",
                id="verdict",
            ),
        ),
        rx.el.p("Vérification en cours…", class_name="loading", role="status"),
    )
    return public_page(
        "Vérification d'une attestation",
        verdict,
        rx.cond(
            (status != "") & (status != "inconnue"),
            rx.el.dl(
                fact("Document", V.kind),
                fact("Assuré", V.holder),
                fact("Commune du logement assuré", V.town),
                fact("Période de validité", "du " + V.valid_from + " au " + V.valid_until),
                class_name="facts facts-wide",
            ),
        ),
        rx.el.p(
            "Cette page indique seulement si l'attestation a été délivrée par Espace Assurances "
            "et si elle est en vigueur. Une attestation est révoquée quand le contrat prend fin "
            "ou est remplacé.",
            class_name="login-footnote",
        ),
        lead="Service de vérification d'Espace Assurances.",
    )
