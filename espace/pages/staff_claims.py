"""/gestion/sinistres (the claims queue) and /gestion/sinistre?n=… (one claim with its action
panel)."""

from __future__ import annotations

import reflex as rx

from espace import routes
from espace.claims.uploads import MAX_BYTES
from espace.components.facts import fact
from espace.components.filters import filter_check, queue_filters
from espace.components.forms import (
    field_error,
    form_alert,
    labelled_upload,
    notice,
    submit_button,
    text_field,
)
from espace.components.layout import loading
from espace.components.text import plural
from espace.pages.settlement import staff_offer_card
from espace.pages.staff import staff_shell
from espace.pages.visits import staff_visit_card
from espace.state.staff_claims import (
    AGE_FILTERS,
    CATEGORY_OPTIONS,
    DOCUMENT_KINDS,
    PERIL_FILTERS,
    STATUS_FILTERS,
    AnswerItem,
    AuditRow,
    EventRow,
    FileRow,
    ItemRow,
    MessageRow,
    QueueItem,
)
from espace.state.staff_claims import StaffClaimsState as Q
from espace.state.staff_claims import StaffClaimState as C

# ----- small pieces ----------------------------------------------------------------------------


def _described(field_id: str, error: rx.Var | None, hint: str) -> dict:
    ids = " ".join(
        x
        for x in (
            f"{field_id}-hint" if hint else "",
            f"{field_id}-error" if error is not None else "",
        )
        if x
    )
    props = {"aria_describedby": ids} if ids else {}
    if error is not None:
        props["aria_invalid"] = rx.cond(error != "", "true", "false")
    return props


def _field(
    field_id: str, label: str, control: rx.Component, error: rx.Var | None = None, hint: str = ""
) -> rx.Component:
    return rx.el.div(
        rx.el.label(label, html_for=field_id, class_name="field-label"),
        rx.el.p(hint, id=f"{field_id}-hint", class_name="field-hint") if hint else rx.fragment(),
        control,
        field_error(error, field_id) if error is not None else rx.fragment(),
        class_name="field",
    )


def select_field(
    *,
    field_id: str,
    label: str,
    options,
    name: str | None = None,
    first: str | None = None,
    error: rx.Var | None = None,
    hint: str = "",
    **props,
) -> rx.Component:
    """A labelled <select>; ``options`` is a list of [value, label] (a Var or a Python list)."""
    opts = (
        rx.foreach(options, lambda o: rx.el.option(o[1], value=o[0]))
        if isinstance(options, rx.Var)
        else rx.fragment(*[rx.el.option(text, value=value) for value, text in options])
    )
    return _field(
        field_id,
        label,
        rx.el.select(
            *([rx.el.option(first, value="")] if first is not None else []),
            opts,
            id=field_id,
            name=name or field_id.replace("-", "_"),
            class_name="field-input",
            **_described(field_id, error, hint),
            **props,
        ),
        error,
        hint,
    )


def textarea_field(
    *,
    field_id: str,
    label: str,
    error: rx.Var | None = None,
    hint: str = "",
    rows: int = 3,
    max_length: int = 1000,
    **props,
) -> rx.Component:
    return _field(
        field_id,
        label,
        rx.el.textarea(
            id=field_id,
            name=props.pop("name", field_id.replace("-", "_")),
            rows=rows,
            max_length=max_length,
            class_name="field-input",
            **_described(field_id, error, hint),
            **props,
        ),
        error,
        hint,
    )


def _badge(text: str, kind: str = "") -> rx.Component:
    return rx.el.span(
        text,
        class_name={
            "": "badge",
            "warn": "badge badge-warn",
            "express-staff": "badge staff-badge-express",
        }[kind],
    )


def _err(name: str) -> rx.Var:
    return C.errors.get(name, "")


def _allowed(name: str) -> rx.Var:
    return C.allowed.get(name, False)


def _version(name: str) -> rx.Var:
    return name + "-" + C.form_versions.get(name, 0).to_string()


# ----- the queue ---------------------------------------------------------------------------------


def filters_form() -> rx.Component:
    return queue_filters(
        select_field(
            field_id="f-status",
            name="status",
            label="Étape",
            options=STATUS_FILTERS,
            value=Q.f_status,
            on_change=Q.filter_status,
        ),
        select_field(
            field_id="f-peril",
            name="peril",
            label="Événement",
            options=PERIL_FILTERS,
            value=Q.f_peril,
            on_change=Q.filter_peril,
        ),
        select_field(
            field_id="f-age",
            name="age",
            label="Ancienneté de la déclaration",
            options=AGE_FILTERS,
            value=Q.f_age,
            on_change=Q.filter_age,
        ),
        checks=(
            filter_check(
                "f-late", "late", "En retard seulement", checked=Q.f_late, on_change=Q.filter_late
            ),
            filter_check(
                "f-mine",
                "mine",
                "Mes dossiers seulement",
                checked=Q.f_mine,
                on_change=Q.filter_mine,
            ),
        ),
        buttons=(
            rx.el.button(
                "Réinitialiser",
                type="button",
                on_click=Q.clear_filters,
                class_name="button button-secondary",
                id="clear-filters",
            ),
        ),
        active=Q.active_filters,
        on_submit=Q.apply_filters,
        label="Filtrer les dossiers",
        form_id="queue-filters",
        submit_id="apply-filters",
    )


# Eight columns fit 1280 px without sideways scrolling: what belongs together shares a cell (the
# holder and the contract, the date and the age, the handler and the expert, the amounts). Under
# 900 px each row becomes a card whose cells carry their column's name (``data-label``).
QUEUE_COLUMNS = (
    "Dossier",
    "Assuré · contrat",
    "Événement",
    "Étape",
    "Reçu",
    "Échéance",
    "Suivi par",
    "Montants",
)


def _cell(label: str, *children, **props) -> rx.Component:
    return rx.el.td(*children, data_label=label, **props)


def queue_row(row: QueueItem) -> rx.Component:
    return rx.el.tr(
        rx.el.th(
            rx.el.a(row.number, href=row.url, class_name="mono"),
            rx.cond(row.express, rx.el.span(" ", _badge("Express", "express-staff"))),
            scope="row",
        ),
        _cell(
            "Assuré · contrat",
            rx.el.span(row.holder, class_name="cell-main"),
            rx.el.span(row.contract, class_name="cell-sub mono"),
        ),
        _cell("Événement", row.peril),
        _cell("Étape", row.status),
        _cell(
            "Reçu",
            rx.el.span(row.received, class_name="cell-main"),
            rx.el.span(plural(row.age, "jour", "jours"), class_name="cell-sub"),
        ),
        _cell(
            "Échéance",
            rx.el.span(row.due, class_name="cell-main"),
            rx.cond(row.late, _badge("En retard", "warn")),
        ),
        _cell(
            "Suivi par",
            rx.el.span(row.handler, class_name="cell-main"),
            rx.el.span("Expert : ", row.expert, class_name="cell-sub"),
        ),
        _cell(
            "Montants",
            rx.el.span("Déclaré ", rx.el.strong(row.declared), class_name="cell-main"),
            rx.el.span("Indemnité ", row.indemnity, class_name="cell-sub"),
            class_name="num",
        ),
        data_late=rx.cond(row.late, "true", "false"),
    )


def queue_table() -> rx.Component:
    return rx.el.div(
        rx.el.table(
            rx.el.caption("Dossiers sinistres, les plus urgents d'abord", class_name="sr-only"),
            rx.el.thead(rx.el.tr(*[rx.el.th(col, scope="col") for col in QUEUE_COLUMNS])),
            rx.el.tbody(rx.foreach(Q.rows, queue_row)),
            class_name="table staff-queue-table",
            id="claims-queue",
        ),
        class_name="staff-table-scroll",
    )


def staff_claims_page() -> rx.Component:
    return staff_shell(
        "Sinistres",
        filters_form(),
        form_alert(Q.error),
        rx.cond(
            ~Q.loaded,
            loading(),
            rx.cond(
                Q.rows.length() == 0,
                rx.cond(
                    Q.error == "",
                    rx.el.p(
                        "Aucun dossier ne correspond à ces filtres.",
                        class_name="empty",
                        id="queue-empty",
                    ),
                ),
                rx.fragment(
                    rx.el.p(
                        plural(Q.rows.length(), "dossier", "dossiers"),
                        class_name="result-count",
                        role="status",
                    ),
                    queue_table(),
                ),
            ),
        ),
        subtitle="Déclarations reçues, de la plus urgente à la moins urgente.",
    )


# ----- one claim: what was declared ------------------------------------------------------------


def claim_header() -> rx.Component:
    return rx.el.div(
        rx.el.div(
            rx.el.span(C.status_label, class_name="badge", data_status=C.status, id="claim-status"),
            rx.cond(C.late, _badge("En retard", "warn")),
            rx.cond(C.express, _badge("Express", "express-staff")),
            class_name="staff-badges",
        ),
        rx.cond(
            C.next_due != "",
            rx.el.p("Prochaine échéance : ", rx.el.strong(C.next_due), class_name="muted"),
        ),
        rx.cond(
            C.express,
            rx.el.p(
                "Règlement express : ", C.express_reason, class_name="notice", id="express-reason"
            ),
        ),
        class_name="staff-claim-head",
    )


def _section(title: str, section_id: str, *children, **props) -> rx.Component:
    return rx.el.section(
        rx.el.h2(title, class_name="card-title", id=f"{section_id}-title"),
        *children,
        class_name="card",
        aria_labelledby=f"{section_id}-title",
        id=section_id,
        **props,
    )


def people_card() -> rx.Component:
    return _section(
        "Assuré et contrat",
        "holder",
        rx.el.dl(
            fact("Assuré", C.holder_name),
            rx.el.div(
                rx.el.dt("E-mail"),
                # an address wraps after its "@", never in the middle of a word
                rx.el.dd(
                    rx.cond(
                        C.holder_email.contains("@"),
                        rx.fragment(
                            C.holder_email.split("@")[0] + "@",
                            rx.el.wbr(),
                            C.holder_email.split("@")[1],
                        ),
                        C.holder_email,
                    ),
                    class_name="email",
                ),
                class_name="fact",
            ),
            fact("Téléphone", C.holder_phone),
            fact("Adresse", C.holder_address),
            fact("Contrat", C.contract_number),
            fact("Formule", C.formula),
            fact("Logement assuré", C.property_address),
            fact("Gestionnaire", rx.cond(C.handler_name != "", C.handler_name, "Non attribué")),
            fact("Expert", rx.cond(C.expert_name != "", C.expert_name, "Aucun")),
            rx.cond(C.visit != "", fact("Visite de l'expert", C.visit)),
            class_name="facts",
        ),
    )


def _pair(item: AnswerItem) -> rx.Component:
    return rx.el.div(rx.el.dt(item.question), rx.el.dd(item.answer), class_name="fact")


def declaration_card() -> rx.Component:
    return _section(
        "Déclaration",
        "declaration",
        rx.el.dl(
            fact("Événement", C.peril_label),
            fact("Survenu le", C.occurred),
            fact("Déclaré le", C.submitted),
            fact(
                "Délai de déclaration",
                rx.fragment(
                    C.deadline,
                    " ",
                    rx.cond(
                        C.late_declaration, _badge("Hors délai", "warn"), _badge("Dans les délais")
                    ),
                ),
            ),
            fact("Lieu", C.location),
            rx.foreach(C.answers, _pair),
            class_name="facts",
        ),
        rx.el.h3("Description", class_name="card-subtitle"),
        rx.el.p(C.description, class_name="staff-prewrap"),
    )


def _item_row(item: ItemRow) -> rx.Component:
    return rx.el.tr(
        rx.el.th(item.description, scope="row"),
        rx.el.td(item.category, data_label="Catégorie"),
        rx.el.td(item.purchased, data_label="Acheté le"),
        rx.el.td(item.price, class_name="num", data_label="Prix d'achat"),
        rx.el.td(item.estimate, class_name="num", data_label="Estimation"),
    )


def items_card() -> rx.Component:
    return _section(
        "Biens déclarés",
        "items",
        rx.el.div(
            rx.el.table(
                rx.el.thead(
                    rx.el.tr(
                        *[
                            rx.el.th(c, scope="col")
                            for c in (
                                "Bien",
                                "Catégorie",
                                "Acheté le",
                                "Prix d'achat",
                                "Estimation",
                            )
                        ]
                    )
                ),
                rx.el.tbody(rx.foreach(C.items, _item_row)),
                rx.el.tfoot(
                    rx.el.tr(
                        rx.el.th("Total déclaré", scope="row", col_span=4),
                        rx.el.td(
                            rx.el.strong(C.declared_total), class_name="num", data_label="Total"
                        ),
                    )
                ),
                class_name="table table-cards",
            ),
            class_name="table-wrap",
            tab_index=0,
            role="region",
            aria_label="Biens déclarés",
        ),
        rx.cond(
            C.estimate_lines.length() > 0,
            rx.fragment(
                rx.el.h3(
                    "Estimation montrée à l'assuré lors de la déclaration",
                    class_name="card-subtitle",
                ),
                rx.el.dl(rx.foreach(C.estimate_lines, _pair), class_name="facts"),
                rx.cond(
                    C.estimate_explanation != "",
                    rx.el.p(C.estimate_explanation, class_name="field-hint"),
                ),
            ),
        ),
    )


def indemnity_card() -> rx.Component:
    return rx.cond(
        (C.indemnity != "") | (C.refusal_reason != "") | (C.requested_documents != ""),
        _section(
            "Décision et indemnisation",
            "decision",
            rx.cond(
                C.indemnity != "",
                rx.fragment(
                    rx.el.dl(
                        fact("Dommages retenus", C.assessed_damage),
                        fact("Plafond", C.ceiling),
                        fact("Franchise", C.deductible),
                        fact("Indemnité", rx.el.span(C.indemnity, id="indemnity-amount")),
                        class_name="facts",
                    ),
                    rx.el.p(C.indemnity_detail, class_name="field-hint", id="indemnity-detail"),
                ),
            ),
            rx.cond(C.payment != "", rx.el.p("Paiement : ", C.payment)),
            rx.cond(
                C.requested_documents != "",
                rx.el.p("Documents demandés : ", C.requested_documents, class_name="staff-prewrap"),
            ),
            rx.cond(
                C.refusal_reason != "",
                rx.el.p("Motif du refus : ", C.refusal_reason, class_name="staff-prewrap"),
            ),
        ),
    )


def _file(item: FileRow) -> rx.Component:
    return rx.el.li(
        rx.cond(
            item.photo,
            rx.el.a(
                rx.el.img(
                    src=item.thumbnail_url,
                    alt=item.alt,
                    class_name="staff-thumb",
                    loading="lazy",
                    width="96",
                    height="96",
                ),
                href=item.url,
                target="_blank",
                rel="noopener",
            ),
            rx.el.span(rx.icon("file-text", size=24, aria_hidden="true"), class_name="doc-icon"),
        ),
        rx.el.div(
            rx.el.p(
                rx.el.a(
                    item.name,
                    href=item.url,
                    target="_blank",
                    rel="noopener",
                    custom_attrs={"reloadDocument": True},
                )
            ),
            rx.el.p(
                item.kind,
                " · ajouté le ",
                item.uploaded,
                " par ",
                item.uploader,
                class_name="muted",
            ),
            class_name="doc-body",
        ),
        class_name="doc-row",
    )


def files_card() -> rx.Component:
    return _section(
        "Pièces du dossier",
        "files",
        rx.cond(
            C.files.length() == 0,
            rx.el.p("Aucune pièce jointe.", class_name="empty"),
            rx.el.ul(rx.foreach(C.files, _file), class_name="doc-list"),
        ),
    )


def _event(item: EventRow) -> rx.Component:
    return rx.el.li(
        rx.el.p(
            rx.el.strong(item.label),
            " — ",
            item.at,
            rx.cond(item.by != "", rx.el.span(" (", item.by, ")", class_name="muted")),
        ),
        rx.cond(item.detail != "", rx.el.p(item.detail, class_name="staff-prewrap")),
        rx.cond(
            item.next_step != "",
            rx.el.p("Annoncé à l'assuré : ", item.next_step, class_name="muted"),
        ),
        class_name="staff-timeline-item",
    )


def timeline_card() -> rx.Component:
    return _section(
        "Historique",
        "staff-timeline",
        rx.el.ol(rx.foreach(C.timeline, _event), class_name="staff-timeline"),
    )


def _message(item: MessageRow) -> rx.Component:
    return rx.el.li(
        rx.el.p(rx.el.strong(item.author), " — ", item.at, class_name="staff-message-head"),
        rx.el.p(item.body, class_name="staff-prewrap"),
        class_name=rx.cond(
            item.from_staff, "staff-message staff-msg-mine", "staff-message staff-msg-holder"
        ),
    )


def messages_card() -> rx.Component:
    return rx.cond(
        _allowed("messages"),
        _section(
            "Messages avec l'assuré",
            "messages",
            rx.cond(
                C.messages.length() == 0,
                rx.el.p("Aucun message pour le moment.", class_name="empty"),
                rx.el.ol(rx.foreach(C.messages, _message), class_name="staff-message-list"),
            ),
            rx.el.form(
                form_alert(_err("messages"), element_id="reply-alert"),
                textarea_field(
                    field_id="reply-body",
                    label="Votre message à l'assuré",
                    error=_err("message"),
                    rows=4,
                    max_length=4000,
                    hint=(
                        "L'assuré est prévenu par e-mail ; le texte n'est lisible que dans son "
                        "espace."
                    ),
                ),
                submit_button("Envoyer le message", block=False, id="reply"),
                on_submit=C.reply,
                reset_on_submit=False,
                no_validate=True,
                key=_version("messages"),
            ),
        ),
    )


def _audit_row(item: AuditRow) -> rx.Component:
    return rx.el.tr(
        rx.el.td(item.at),
        rx.el.td(item.who),
        rx.el.th(item.action, scope="row"),
        rx.el.td(item.detail),
    )


def _read_row(item) -> rx.Component:
    return rx.el.tr(
        rx.el.td(item.at), rx.el.th(item.who, scope="row"), rx.el.td(item.role), rx.el.td(item.what)
    )


def audit_card() -> rx.Component:
    return rx.cond(
        _allowed("audit"),
        _section(
            "Journal des actions",
            "audit",
            rx.cond(
                C.audit.length() == 0,
                rx.el.p("Aucune action enregistrée.", class_name="empty"),
                rx.el.div(
                    rx.el.table(
                        rx.el.thead(
                            rx.el.tr(
                                *[
                                    rx.el.th(c, scope="col")
                                    for c in ("Quand", "Qui", "Action", "Détail")
                                ]
                            )
                        ),
                        rx.el.tbody(rx.foreach(C.audit, _audit_row)),
                        class_name="table",
                    ),
                    class_name="table-wrap",
                    tab_index=0,
                    role="region",
                    aria_label="Journal des actions",
                ),
            ),
            rx.el.h3("Consultations du dossier", class_name="card-subtitle"),
            rx.el.p(
                "Chaque ouverture du dossier ou d'un de ses fichiers par un collaborateur "
                "(l'assuré en voit la date, le rôle et l'objet dans « Mes données »).",
                class_name="field-hint",
            ),
            rx.cond(
                C.reads.length() == 0,
                rx.el.p("Aucune consultation enregistrée.", class_name="empty"),
                rx.el.div(
                    rx.el.table(
                        rx.el.thead(
                            rx.el.tr(
                                *[
                                    rx.el.th(c, scope="col")
                                    for c in ("Quand", "Qui", "Rôle", "Consulté")
                                ]
                            )
                        ),
                        rx.el.tbody(rx.foreach(C.reads, _read_row)),
                        class_name="table",
                        id="claim-reads",
                    ),
                    class_name="table-wrap",
                    tab_index=0,
                    role="region",
                    aria_label="Consultations du dossier",
                ),
            ),
        ),
    )


# ----- one claim: the action panel ----------------------------------------------------------------


def _action(title: str, action_id: str, *children) -> rx.Component:
    return rx.el.div(
        rx.el.h3(title, class_name="card-subtitle"),
        *children,
        class_name="staff-action",
        id=f"action-{action_id}",
    )


def _form(name: str, handler, *children, **props) -> rx.Component:
    return rx.el.form(
        form_alert(_err(name), element_id=f"{name}-alert"),
        *children,
        on_submit=handler,
        reset_on_submit=False,
        no_validate=True,
        key=_version(name),
        **props,
    )


def assign_action() -> rx.Component:
    return rx.fragment(
        rx.cond(
            _allowed("take"),
            _action(
                "Gestionnaire",
                "take",
                form_alert(_err("assign"), element_id="assign-alert"),
                rx.el.button(
                    "Prendre le dossier",
                    type="button",
                    on_click=C.take_claim,
                    class_name="button button-primary",
                    id="take-claim",
                ),
            ),
        ),
        rx.cond(
            _allowed("assign"),
            _action(
                "Gestionnaire",
                "assign",
                _form(
                    "assign",
                    C.assign_handler,
                    select_field(
                        field_id="handler",
                        label="Attribuer le dossier à",
                        options=C.handler_options,
                        first="Choisissez un gestionnaire",
                        error=_err("handler"),
                        default_value="",
                    ),
                    submit_button("Attribuer", block=False, id="assign-handler"),
                ),
            ),
        ),
    )


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


def _dropzone(upload_id: str, label: str, on_drop, on_rejected, error: rx.Var) -> rx.Component:
    return rx.el.div(
        rx.el.p(label, class_name="field-label", id=f"{upload_id}-label"),
        labelled_upload(
            rx.upload.root(
                rx.el.button(
                    rx.icon("upload", size=18, aria_hidden="true"),
                    "Choisir ou déposer le fichier",
                    type="button",
                    class_name="button button-secondary",
                    aria_describedby=f"{upload_id}-label {upload_id}-hint {upload_id}-error",
                ),
                rx.el.p(
                    "PDF ou photo (JPEG, PNG, HEIC), 10 Mo au plus.",
                    id=f"{upload_id}-hint",
                    class_name="field-hint",
                ),
                id=upload_id,
                multiple=False,
                max_files=1,
                max_size=MAX_BYTES,
                no_keyboard=True,
                on_drop=on_drop,
                on_drop_rejected=on_rejected,
                class_name="staff-dropzone",
            ),
            label,
        ),
        field_error(error, upload_id),
        class_name="field",
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


def documents_action() -> rx.Component:
    return rx.cond(
        _allowed("documents"),
        _action(
            "Demander des documents",
            "documents",
            _form(
                "documents",
                C.request_documents,
                textarea_field(
                    field_id="requested",
                    label="Documents attendus de l'assuré",
                    error=_err("requested"),
                ),
                submit_button("Demander les documents", block=False, id="request-documents"),
            ),
        ),
    )


def refuse_action() -> rx.Component:
    return rx.cond(
        _allowed("refuse"),
        _action(
            "Refuser la prise en charge",
            "refuse",
            _form(
                "refuse",
                C.refuse,
                textarea_field(
                    field_id="refusal",
                    label="Motif du refus (montré à l'assuré)",
                    error=_err("refusal"),
                    hint="20 caractères au moins : citez la garantie ou l'exclusion en cause.",
                ),
                submit_button("Refuser la prise en charge", block=False, id="refuse"),
            ),
        ),
    )


def close_action() -> rx.Component:
    return rx.cond(
        _allowed("close"),
        _action(
            "Clôturer",
            "close",
            form_alert(_err("close"), element_id="close-alert"),
            rx.el.p(
                "Le paiement est envoyé : le dossier peut être clôturé.", class_name="field-hint"
            ),
            rx.el.button(
                "Clôturer le dossier",
                type="button",
                on_click=C.close_claim,
                class_name="button button-primary",
                id="close-claim",
            ),
        ),
    )


def reopen_action() -> rx.Component:
    return rx.cond(
        _allowed("reopen"),
        _action(
            "Rouvrir le dossier",
            "reopen",
            rx.el.form(
                textarea_field(
                    field_id="reopen-reason", label="Motif de la réouverture", error=_err("reopen")
                ),
                submit_button("Rouvrir le dossier", block=False, id="reopen"),
                on_submit=C.reopen,
                reset_on_submit=False,
                no_validate=True,
                key=_version("reopen"),
            ),
        ),
    )


def upload_action() -> rx.Component:
    return rx.cond(
        _allowed("upload"),
        _action(
            "Ajouter un document",
            "upload",
            form_alert(_err("upload"), element_id="upload-alert"),
            select_field(
                field_id="document-kind",
                label="Type de document",
                options=DOCUMENT_KINDS,
                first="Choisissez le type",
                error=_err("kind"),
                value=C.document_kind,
                on_change=C.set_document_kind,
            ),
            _dropzone(
                "document-upload",
                "Fichier",
                C.upload_document(rx.upload_files(upload_id="document-upload")),
                C.document_rejected,
                _err("upload_file"),
            ),
        ),
    )


def action_panel() -> rx.Component:
    return rx.el.aside(
        rx.el.h2("Actions", class_name="card-title", id="actions-title"),
        notice(C.flash, kind="ok"),
        assign_action(),
        appoint_action(),
        visit_action(),
        report_action(),
        assess_action(),
        payment_action(),
        documents_action(),
        refuse_action(),
        close_action(),
        reopen_action(),
        upload_action(),
        class_name="card staff-actions",
        aria_labelledby="actions-title",
        id="actions",
    )


def staff_claim_page() -> rx.Component:
    return staff_shell(
        rx.cond(
            C.found,
            "Dossier " + C.number,
            rx.cond(C.loaded, "Dossier introuvable", "Dossier sinistre"),
        ),
        rx.el.p(
            rx.el.a("← Retour à la liste des sinistres", href=routes.STAFF_CLAIMS),
            class_name="staff-back-link",
        ),
        rx.cond(
            ~C.loaded,
            loading(),
            rx.cond(
                C.found,
                rx.fragment(
                    claim_header(),
                    rx.el.div(
                        rx.el.div(
                            people_card(),
                            declaration_card(),
                            items_card(),
                            indemnity_card(),
                            staff_visit_card(),
                            staff_offer_card(),
                            files_card(),
                            timeline_card(),
                            messages_card(),
                            audit_card(),
                            class_name="stack",
                        ),
                        action_panel(),
                        class_name="staff-claim-grid",
                    ),
                ),
                rx.el.div(
                    rx.el.p("Dossier introuvable.", id="claim-not-found"),
                    rx.el.p(rx.el.a("Revenir à la liste des sinistres", href=routes.STAFF_CLAIMS)),
                    class_name="card",
                ),
            ),
        ),
    )
