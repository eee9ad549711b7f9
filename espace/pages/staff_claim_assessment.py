"""/gestion/sinistre, the action panel: the expert's mission, the visit, the report, the
assessment and the payment (``claims.workflow_assessment``)."""

from __future__ import annotations

import reflex as rx

from espace.components.forms import form_alert, submit_button, text_field
from espace.pages.staff_claim_parts import _action, _allowed, _dropzone, _err, _form, _version
from espace.pages.staff_fields import select_field, textarea_field
from espace.state.staff_claim_rows import CATEGORY_OPTIONS
from espace.state.staff_claims import StaffClaimState as C


def appoint_action() -> rx.Component:
    return rx.cond(
        _allowed("appoint"),
        _action(
            "Missionner un expert",
            "appoint",
            _form(
                "appoint",
                C.appoint_expert,
                select_field(
                    field_id="expert",
                    label="Expert",
                    options=C.expert_options,
                    first="Choisissez un expert",
                    error=_err("expert"),
                    default_value="",
                ),
                submit_button("Missionner l'expert", block=False, id="appoint-expert"),
            ),
        ),
    )


def visit_action() -> rx.Component:
    return rx.cond(
        _allowed("visit"),
        _action(
            "Planifier la visite",
            "visit",
            _form(
                "visit",
                C.plan_visit,
                rx.el.div(
                    text_field(
                        field_id="visit-date",
                        name="visit_date",
                        label="Date de la visite",
                        type="date",
                        error=_err("visit_date"),
                    ),
                    text_field(
                        field_id="visit-time",
                        name="visit_time",
                        label="Heure de la visite",
                        type="time",
                        error=_err("visit_time"),
                    ),
                    class_name="grid-2",
                ),
                text_field(
                    field_id="visit-note",
                    name="visit_note",
                    label="Note pour l'assuré (facultatif)",
                    type="text",
                    max_length=300,
                ),
                submit_button("Planifier la visite", block=False, id="plan-visit"),
            ),
        ),
    )


def report_action() -> rx.Component:
    return rx.cond(
        _allowed("report"),
        _action(
            "Rapport d'expertise",
            "report",
            form_alert(_err("report"), element_id="report-alert"),
            rx.el.div(
                textarea_field(
                    field_id="report-summary",
                    label="Conclusions du rapport (montrées à l'assuré)",
                    error=_err("report_summary"),
                    rows=4,
                    hint="Écrivez le résumé avant de joindre le fichier.",
                    on_change=C.set_report_summary.debounce(300),
                    on_blur=C.set_report_summary,
                    default_value=C.report_summary,
                ),
                key=_version("report"),
            ),
            _dropzone(
                "report-upload",
                "Fichier du rapport",
                C.upload_report(rx.upload_files(upload_id="report-upload")),
                C.report_rejected,
                _err("report_file"),
            ),
        ),
    )


def assess_action() -> rx.Component:
    return rx.cond(
        _allowed("assess"),
        _action(
            "Chiffrer les dommages",
            "assess",
            _form(
                "assess",
                C.assess,
                text_field(
                    field_id="damage",
                    label="Montant des dommages retenus (€)",
                    type="text",
                    input_mode="decimal",
                    hint="Par exemple 2 450,00. L'indemnité = min(plafond, dommages − franchise).",
                    error=_err("damage"),
                    max_length=20,
                ),
                rx.cond(
                    C.peril == "other",
                    select_field(
                        field_id="category",
                        label="Garantie qui s'applique",
                        options=CATEGORY_OPTIONS,
                        first="Choisissez la garantie",
                        default_value=C.guarantee_category,
                    ),
                ),
                submit_button("Calculer l'indemnité", block=False, id="assess"),
            ),
            rx.cond(
                C.indemnity != "",
                rx.el.p(
                    "Indemnité actuelle : ",
                    rx.el.strong(C.indemnity),
                    rx.el.br(),
                    C.indemnity_detail,
                    class_name="notice",
                    id="assess-result",
                ),
            ),
        ),
    )


def payment_action() -> rx.Component:
    return rx.cond(
        _allowed("payment"),
        _action(
            "Paiement de l'indemnité",
            "payment",
            rx.el.p("Montant à virer : ", rx.el.strong(C.indemnity)),
            _form(
                "payment",
                C.record_payment,
                text_field(
                    field_id="payment-reference",
                    name="payment_reference",
                    label="Référence du virement (facultatif)",
                    type="text",
                    max_length=40,
                ),
                submit_button("Enregistrer le paiement", block=False, id="record-payment"),
            ),
        ),
    )
