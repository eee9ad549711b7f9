"""'Mes sinistres': the list, the declaration wizard and the claim tracker."""

from __future__ import annotations

import reflex as rx

from espace import routes
from espace.claims import declaration, peril_data, perils
from espace.components.contact import assistance_call_button, assistance_link
from espace.components.facts import fact
from espace.components.forms import (
    field_error,
    form_alert,
    labelled_upload,
    notice,
    submit_button,
    text_field,
)
from espace.components.layout import app_shell, loading
from espace.components.text import plural
from espace.pages.settlement import holder_offer_section
from espace.pages.visits import holder_visit_section
from espace.state.claims import (
    HOLDER_FILE_KINDS,
    AssistanceView,
    ClaimCard,
    ClaimsState,
    ClaimState,
    ClaimWizardState,
    EventView,
    Fact,
    FileView,
    ItemView,
    MessageView,
    Option,
    QuestionView,
    StepView,
)

W = ClaimWizardState
UPLOAD_HINT = (
    "Photos (JPEG, PNG, HEIC) ou PDF, 10 Mo au plus par fichier, 20 fichiers au plus par sinistre."
)


def _facts(rows) -> rx.Component:
    return rx.el.dl(rx.foreach(rows, lambda f: fact(f.label, f.value)), class_name="facts")


# ----- list ----------------------------------------------------------------------------------


def claim_card(card: ClaimCard) -> rx.Component:
    return rx.el.article(
        rx.el.div(
            rx.el.h2(
                rx.el.a(card.peril, " — ", card.number, href=routes.CLAIM + "?n=" + card.number),
                class_name="card-title",
            ),
            rx.el.span(card.status, class_name="badge", data_status=card.stage),
            rx.cond(card.late, rx.el.span("En retard", class_name="badge badge-warn")),
            class_name="card-head",
        ),
        rx.el.p(card.contract, class_name="field-hint"),
        rx.el.p(card.date),
        rx.cond(card.next_step != "", rx.el.p(rx.el.strong("Prochaine étape : "), card.next_step)),
        rx.cond(card.amount != "", rx.el.p(card.amount)),
        rx.el.div(
            rx.el.a(
                "Suivre ce sinistre",
                href=routes.CLAIM + "?n=" + card.number,
                class_name="button-small",
            ),
            class_name="button-row",
        ),
        class_name="card",
    )


def draft_card(card: ClaimCard) -> rx.Component:
    return rx.el.article(
        rx.el.div(
            rx.el.h3(card.peril, class_name="card-title"),
            rx.el.span("Brouillon", class_name="badge badge-warn"),
            class_name="card-head",
        ),
        rx.el.p(card.contract, class_name="field-hint"),
        rx.el.p(card.date),
        rx.el.div(
            rx.el.a(
                "Reprendre la déclaration",
                href=routes.CLAIM_NEW + "?brouillon=" + card.draft_id.to_string(),
                class_name="button button-primary",
            ),
            rx.el.button(
                "Supprimer le brouillon",
                type="button",
                on_click=ClaimsState.delete_draft(card.draft_id),
                class_name="button-link",
            ),
            class_name="button-row",
        ),
        class_name="card",
    )


def offline_callout() -> rx.Component:
    """Shown only while the browser is offline (pwa.js sets ``html.espace-offline``): the page
    itself cannot load anything without the network, the offline declaration can."""
    return rx.el.p(
        rx.icon("wifi-off", size=18, aria_hidden="true"),
        "Pas de réseau ? ",
        rx.el.a(
            "Déclarez hors ligne",
            href=routes.OFFLINE_CLAIM,
            id="offline-claim-link",
            custom_attrs={"reloadDocument": True},  # a static page, not a route of the app
        ),
        " : votre déclaration reste sur ce téléphone et part au retour de la connexion.",
        class_name="notice notice-warn offline-callout",
        custom_attrs={"data-offline-only": "true"},
    )


def claims_page() -> rx.Component:
    S = ClaimsState
    return app_shell(
        "Mes sinistres",
        offline_callout(),
        rx.cond(
            S.loaded,
            rx.el.div(
                notice(S.flash, kind="ok"),
                rx.cond(
                    S.can_declare,
                    rx.el.a(
                        rx.icon("plus", size=18, aria_hidden="true"),
                        "Déclarer un sinistre",
                        href=routes.CLAIM_NEW,
                        class_name="button button-primary",
                        id="declare-claim",
                    ),
                    rx.el.p(
                        "Aucun contrat en cours : la déclaration en ligne n'est pas possible.",
                        class_name="empty",
                    ),
                ),
                rx.cond(
                    S.drafts.length() > 0,
                    rx.el.section(
                        rx.el.h2("Déclarations à terminer", class_name="section-title"),
                        rx.el.div(rx.foreach(S.drafts, draft_card), class_name="stack"),
                        aria_label="Brouillons",
                    ),
                ),
                rx.el.section(
                    rx.el.h2("Mes dossiers", class_name="section-title"),
                    rx.cond(
                        S.cards.length() == 0,
                        rx.el.p(
                            "Vous n'avez déclaré aucun sinistre. En cas de besoin, la déclaration "
                            "prend quelques minutes, 24 h/24.",
                            class_name="empty",
                        ),
                    ),
                    rx.el.div(rx.foreach(S.cards, claim_card), class_name="stack"),
                    aria_label="Dossiers sinistres",
                ),
                rx.el.p(
                    "Urgence (fuite, effraction, incendie) : Assistance 24 h/24 au ",
                    assistance_link(),
                    ".",
                    class_name="notice",
                ),
                rx.el.p(
                    "Un sous-sol sans réseau ? ",
                    rx.el.a(
                        "Préparez la déclaration hors ligne",
                        href=routes.OFFLINE_CLAIM,
                        id="prepare-offline-claim",
                        custom_attrs={"reloadDocument": True},
                    ),
                    " : ouverte une fois ici, elle fonctionne ensuite sans connexion sur ce "
                    "téléphone.",
                    class_name="hint",
                ),
                class_name="stack",
            ),
            loading(),
        ),
        subtitle="Déclarez un sinistre en ligne et suivez chaque étape de son règlement.",
    )


# ----- wizard --------------------------------------------------------------------------------


def _radio_card(name: str, option: Option, checked, on_change=None, hint=None) -> rx.Component:
    props = {"on_change": on_change} if on_change is not None else {}
    return rx.el.label(
        rx.el.input(
            type="radio",
            name=name,
            value=option.value,
            default_checked=checked,
            class_name="checkbox",
            **props,
        ),
        rx.el.span(option.label, hint) if hint is not None else rx.el.span(option.label),
        class_name="check-row choice-card",
    )


def _nav(next_label: str = "Continuer", *, next_props: dict | None = None) -> rx.Component:
    return rx.el.div(
        rx.cond(
            W.step > 0,
            rx.el.button(
                "Retour", type="button", on_click=W.back, class_name="button button-secondary"
            ),
        ),
        rx.el.button(
            next_label,
            type="submit",
            class_name="button button-primary",
            id="wizard-next",
            **(next_props or {}),
        ),
        class_name="button-row wizard-nav",
    )


def emergency_panel() -> rx.Component:
    """Before declaring: an emergency needs help now (the declaration can wait)."""
    return rx.el.aside(
        rx.el.h2(
            rx.icon("siren", size=20, aria_hidden="true"), "Une urgence ?", class_name="card-title"
        ),
        rx.el.p(
            "Fuite d'eau, cambriolage, incendie, logement inhabitable : l'assistance intervient "
            "24 h/24 (plombier, serrurier, vitrier, relogement, gardiennage). Vous déclarerez le "
            "sinistre ensuite."
        ),
        rx.el.div(
            assistance_call_button("wizard-emergency-phone"),
            rx.el.a(
                "Demander un dépannage",
                href=rx.cond(
                    W.contract_id != "",
                    routes.EMERGENCY + "?contrat=" + W.contract_id,
                    routes.EMERGENCY,
                ),
                class_name="button button-secondary",
                id="wizard-emergency-link",
            ),
            class_name="button-row",
        ),
        class_name="notice notice-warn emergency-panel",
        id="emergency-panel",
        aria_label="Urgence",
    )


def step_contract() -> rx.Component:
    return rx.el.div(
        emergency_panel(),
        rx.el.form(
            rx.el.fieldset(
                rx.el.legend("Quel logement est concerné ?", class_name="field-label"),
                rx.foreach(
                    W.contracts,
                    lambda o: _radio_card(
                        "contract", o, o.value == W.contract_id, W.pick_contract(o.value)
                    ),
                ),
                field_error(W.errors.get("contract", ""), "contract"),
                class_name="field fieldset",
            ),
            _nav(),
            on_submit=W.choose_contract,
            reset_on_submit=False,
            no_validate=True,
            key=W.form_version.to_string(),
        ),
        class_name="stack",
    )


def _peril_option(peril) -> rx.Component:
    return rx.el.label(
        rx.el.input(
            type="radio",
            name="peril",
            value=peril.code,
            default_checked=W.peril == peril.code,
            class_name="checkbox",
        ),
        rx.icon(peril.icon, size=22, aria_hidden="true"),
        rx.el.span(rx.el.strong(peril.label), rx.el.span(peril.summary, class_name="field-hint")),
        class_name="check-row choice-card peril-card",
    )


def step_peril() -> rx.Component:
    return rx.el.form(
        rx.el.fieldset(
            rx.el.legend("Que s'est-il passé ?", class_name="field-label"),
            rx.el.div(*[_peril_option(p) for p in peril_data.PERILS], class_name="peril-grid"),
            field_error(W.errors.get("peril", ""), "peril"),
            class_name="field fieldset",
        ),
        _nav(),
        on_submit=W.choose_peril,
        reset_on_submit=False,
        no_validate=True,
        key=W.form_version.to_string(),
    )


def question_field(q: QuestionView) -> rx.Component:
    choice = rx.el.fieldset(
        rx.el.legend(q.label, class_name="field-label"),
        rx.cond(q.hint != "", rx.el.p(q.hint, class_name="field-hint")),
        rx.foreach(
            q.options,
            lambda o: rx.el.label(
                rx.el.input(
                    type="radio",
                    name=q.id,
                    value=o.value,
                    default_checked=q.value == o.value,
                    class_name="checkbox",
                    on_change=W.set_answer(q.id, o.value),
                ),
                rx.el.span(o.label),
                class_name="check-row",
            ),
        ),
        field_error(q.error, "q-" + q.id),
        class_name="field fieldset",
    )
    entry = rx.el.div(
        rx.el.label(
            q.label,
            rx.cond(q.required, "", " (facultatif)"),
            html_for="q-" + q.id,
            class_name="field-label",
        ),
        rx.cond(q.hint != "", rx.el.p(q.hint, class_name="field-hint")),
        rx.el.input(
            id="q-" + q.id,
            name=q.id,
            type=rx.cond(q.kind == "date", "date", "text"),
            default_value=q.value,
            class_name="field-input",
            aria_invalid=rx.cond(q.error != "", "true", "false"),
            aria_describedby="q-" + q.id + "-error",
        ),
        field_error(q.error, "q-" + q.id),
        class_name="field",
    )
    return rx.el.div(
        rx.cond(q.kind == "choice", choice, entry), hidden=~q.visible, data_question=q.id
    )


def step_questions() -> rx.Component:
    return rx.el.form(
        rx.el.h2(W.peril_label, class_name="section-title"),
        rx.cond(
            W.questions.length() == 0,
            rx.el.p(
                "Pas de question particulière pour cet événement : continuez.", class_name="empty"
            ),
        ),
        rx.foreach(W.questions, question_field),
        _nav(),
        on_submit=W.save_answers,
        reset_on_submit=False,
        no_validate=True,
        key=W.form_version.to_string(),
    )


def step_when() -> rx.Component:
    return rx.el.form(
        rx.el.div(
            text_field(
                field_id="occurred_date",
                label="Date du sinistre (ou de sa découverte)",
                type="date",
                default_value=W.occurred_date,
                error=W.errors.get("occurred_date", ""),
                on_change=W.preview_deadline,
            ),
            text_field(
                field_id="occurred_time",
                label="Heure approximative (facultatif)",
                type="time",
                default_value=W.occurred_time,
                error=W.errors.get("occurred_time", ""),
            ),
            class_name="grid-2",
        ),
        rx.cond(
            W.deadline_text != "",
            rx.el.p(W.deadline_text, class_name="field-hint", id="deadline-text"),
        ),
        rx.cond(
            W.late_text != "",
            rx.el.p(W.late_text, class_name="notice notice-warn", id="late-text", role="status"),
        ),
        rx.el.div(
            rx.el.label("Que s'est-il passé ?", html_for="description", class_name="field-label"),
            rx.el.p(
                "Les circonstances, ce qui est abîmé, ce que vous avez déjà fait.",
                class_name="field-hint",
                id="description-hint",
            ),
            rx.el.textarea(
                id="description",
                name="description",
                default_value=W.description,
                rows=5,
                max_length=4000,
                class_name="field-input",
                aria_describedby="description-hint description-error",
                aria_invalid=rx.cond(W.errors.get("description", "") != "", "true", "false"),
            ),
            field_error(W.errors.get("description", ""), "description"),
            class_name="field",
        ),
        _nav(),
        on_submit=W.save_when,
        reset_on_submit=False,
        no_validate=True,
        key=W.form_version.to_string(),
    )


def address_form() -> rx.Component:
    """The address where the loss happened, typed when it is not the insured home."""
    return rx.el.form(
        text_field(
            field_id="location_street",
            label="Numéro et voie",
            error=W.errors.get("location_street", ""),
            default_value=W.address_street,
            auto_complete="street-address",
            max_length=120,
        ),
        rx.el.div(
            text_field(
                field_id="location_postal_code",
                label="Code postal",
                error=W.errors.get("location_postal_code", ""),
                default_value=W.address_zip,
                auto_complete="postal-code",
                input_mode="numeric",
                max_length=5,
            ),
            text_field(
                field_id="location_town",
                label="Commune",
                error=W.errors.get("location_town", ""),
                default_value=W.address_town,
                auto_complete="address-level2",
                max_length=80,
            ),
            class_name="grid-2",
        ),
        rx.el.button(
            "Valider cette adresse",
            type="submit",
            class_name="button button-primary",
            id="save-address",
        ),
        on_submit=W.use_typed_address,
        reset_on_submit=False,
        no_validate=True,
        key=W.form_version.to_string(),
        class_name="stack",
        id="address-form",
    )


def step_where() -> rx.Component:
    return rx.el.div(
        rx.el.p("Où s'est produit le sinistre ?", class_name="field-label"),
        rx.el.div(
            rx.el.h3("À l'adresse du logement assuré", class_name="card-title"),
            rx.el.p(W.property_address),
            rx.el.button(
                "Oui, à cette adresse",
                type="button",
                on_click=W.use_property_address,
                class_name="button button-primary",
                id="use-address",
            ),
            class_name="card",
        ),
        rx.el.div(
            rx.el.h3("Ailleurs, à une autre adresse", class_name="card-title"),
            rx.el.p(
                "Une résidence de vacances, un garage loué, le logement d'un proche : indiquez "
                "l'adresse du lieu du sinistre.",
                class_name="field-hint",
            ),
            rx.cond(
                W.address_open,
                address_form(),
                rx.el.button(
                    "Saisir l'adresse",
                    type="button",
                    on_click=W.open_address,
                    class_name="button button-secondary",
                    id="type-address",
                ),
            ),
            class_name="card",
            id="address-card",
        ),
        rx.el.div(
            rx.el.h3("Tout près, sans adresse (jardin, dépendance)", class_name="card-title"),
            rx.el.p(
                "Avec votre accord, nous enregistrons la position de votre téléphone ou "
                "ordinateur, une seule fois, pour ce sinistre. Votre navigateur vous demandera "
                "l'autorisation.",
                class_name="field-hint",
            ),
            rx.cond(W.position_text != "", rx.el.p(W.position_text)),
            rx.el.button(
                "Utiliser ma position",
                type="button",
                on_click=W.ask_position,
                class_name="button button-secondary",
                id="use-position",
            ),
            class_name="card",
        ),
        field_error(W.errors.get("location", ""), "location"),
        rx.el.div(
            rx.el.button(
                "Retour", type="button", on_click=W.back, class_name="button button-secondary"
            ),
            class_name="button-row wizard-nav",
        ),
        class_name="stack",
    )


def item_row(item: ItemView) -> rx.Component:
    return rx.el.li(
        rx.el.div(
            rx.el.strong(item.description),
            rx.el.span(item.category, class_name="field-hint"),
            rx.el.span("Achat : ", item.purchase, class_name="field-hint"),
            class_name="item-text",
        ),
        rx.el.span(item.estimate, class_name="item-amount"),
        rx.el.button(
            rx.icon("trash-2", size=16, aria_hidden="true"),
            rx.el.span("Retirer ", item.description, class_name="sr-only"),
            type="button",
            on_click=W.remove_item(item.id),
            class_name="button-small",
        ),
        class_name="item-row",
    )


def step_items() -> rx.Component:
    err = W.errors
    return rx.el.div(
        rx.el.p(
            "Listez les biens abîmés ou volés, avec une estimation de leur valeur ou du coût "
            "de remise en état.",
            class_name="field-hint",
        ),
        rx.cond(
            W.items.length() > 0,
            rx.el.div(
                rx.el.ul(rx.foreach(W.items, item_row), class_name="item-list", id="items"),
                rx.el.p("Total déclaré : ", rx.el.strong(W.total), class_name="item-total"),
            ),
        ),
        rx.el.form(
            rx.el.h3("Ajouter un bien", class_name="card-title"),
            text_field(
                field_id="item_description",
                label="Description",
                error=err.get("item_description", ""),
                type="text",
                max_length=200,
                placeholder="Parquet du salon, téléviseur…",
            ),
            rx.el.div(
                rx.el.label("Catégorie", html_for="item_category", class_name="field-label"),
                rx.el.select(
                    rx.el.option("Choisissez", value=""),
                    *[rx.el.option(label, value=value) for value, label in perils.ITEM_CATEGORIES],
                    id="item_category",
                    name="item_category",
                    class_name="field-input",
                    aria_describedby="item_category-error",
                ),
                field_error(err.get("item_category", ""), "item_category"),
                class_name="field",
            ),
            rx.el.div(
                text_field(
                    field_id="item_purchase_date",
                    label="Date d'achat (facultatif)",
                    type="date",
                    error=err.get("item_purchase_date", ""),
                ),
                text_field(
                    field_id="item_purchase_price",
                    label="Prix d'achat en € (facultatif)",
                    type="text",
                    input_mode="decimal",
                    error=err.get("item_purchase_price", ""),
                ),
                class_name="grid-2",
            ),
            text_field(
                field_id="item_estimate",
                label="Estimation du dommage en €",
                type="text",
                input_mode="decimal",
                error=err.get("item_estimate", ""),
                hint="Coût de réparation ou de remplacement, par exemple 1 250,00.",
            ),
            rx.el.button(
                "Ajouter ce bien",
                type="submit",
                class_name="button button-secondary",
                id="add-item",
            ),
            on_submit=W.add_item,
            reset_on_submit=False,
            no_validate=True,
            key=W.form_version.to_string(),
            class_name="card",
        ),
        field_error(err.get("items", ""), "items"),
        rx.el.div(
            rx.el.button(
                "Retour", type="button", on_click=W.back, class_name="button button-secondary"
            ),
            rx.el.button(
                "Continuer",
                type="button",
                on_click=W.items_done,
                class_name="button button-primary",
                id="wizard-next",
            ),
            class_name="button-row wizard-nav",
        ),
        class_name="stack",
    )


def file_tile(item: FileView, on_remove=None) -> rx.Component:
    return rx.el.li(
        rx.cond(
            item.is_photo,
            rx.el.img(
                src=item.thumb_url,
                alt="Photo " + item.name,
                class_name="file-thumb",
                loading="lazy",
            ),
            rx.el.span(
                rx.icon("file-text", size=28, aria_hidden="true"), class_name="file-thumb file-icon"
            ),
        ),
        rx.el.div(
            rx.el.a(
                item.name,
                href=item.preview_url,
                target="_blank",
                rel="noopener",
                class_name="file-name",
            ),
            rx.el.span(item.kind, " · ", item.size, " · ", item.uploaded, class_name="field-hint"),
            rx.cond(
                item.note != "",
                rx.el.span(
                    item.note,
                    class_name=rx.cond(item.warn, "field-hint file-warn", "field-hint"),
                    data_warn=rx.cond(item.warn, "true", "false"),
                ),
            ),
            class_name="file-text",
        ),
        *(
            [
                rx.el.button(
                    rx.icon("trash-2", size=16, aria_hidden="true"),
                    rx.el.span("Retirer ", item.name, class_name="sr-only"),
                    type="button",
                    on_click=on_remove(item.id),
                    class_name="button-small",
                )
            ]
            if on_remove
            else []
        ),
        class_name="file-row",
    )


def upload_zone(upload_id: str, handler, kind_setter, errors) -> rx.Component:
    return rx.el.div(
        rx.el.div(
            rx.el.label("Type de fichier", html_for=upload_id + "-kind", class_name="field-label"),
            rx.el.select(
                *[rx.el.option(label, value=value) for value, label in HOLDER_FILE_KINDS],
                id=upload_id + "-kind",
                on_change=kind_setter,
                class_name="field-input",
            ),
            class_name="field",
        ),
        labelled_upload(
            rx.upload(
                rx.el.div(
                    rx.icon("camera", size=28, aria_hidden="true"),
                    rx.el.p(rx.el.strong("Prendre une photo ou choisir des fichiers")),
                    rx.el.p(UPLOAD_HINT, class_name="field-hint"),
                    class_name="dropzone-inner",
                ),
                id=upload_id,
                multiple=True,
                on_drop=handler(rx.upload_files(upload_id=upload_id)),
                class_name="dropzone",
            ),
            "Ajouter des photos ou documents",
        ),
        rx.cond(
            errors.length() > 0,
            rx.el.div(
                rx.foreach(
                    errors,
                    lambda e: rx.el.p(
                        rx.icon("circle-alert", size=16, aria_hidden="true"),
                        e,
                        class_name="field-error",
                    ),
                ),
                role="alert",
                id=upload_id + "-errors",
            ),
        ),
    )


def step_files() -> rx.Component:
    return rx.el.div(
        rx.cond(
            W.documents_hint != "",
            rx.el.p("Utile pour ce sinistre : ", W.documents_hint, class_name="notice"),
        ),
        upload_zone("claim-files", W.upload, W.set_upload_kind, W.upload_errors),
        rx.el.ul(
            rx.foreach(W.files, lambda f: file_tile(f, W.remove_file)),
            class_name="file-list",
            id="claim-file-list",
        ),
        rx.el.div(
            rx.el.button(
                "Retour", type="button", on_click=W.back, class_name="button button-secondary"
            ),
            rx.el.button(
                "Continuer",
                type="button",
                on_click=W.files_done,
                class_name="button button-primary",
                id="wizard-next",
            ),
            class_name="button-row wizard-nav",
        ),
        class_name="stack",
    )


def step_summary() -> rx.Component:
    return rx.el.div(
        rx.el.section(
            rx.el.h2("Estimation de votre indemnité", class_name="card-title"),
            rx.cond(W.estimate.length() > 0, _facts(W.estimate)),
            rx.el.p(W.estimate_note, class_name="field-hint", id="estimate-note"),
            rx.el.p(
                "Estimation indicative à partir de vos montants : l'indemnité définitive dépend "
                "de l'évaluation des dommages (expertise, justificatifs).",
                class_name="field-hint",
            ),
            rx.cond(W.express_hint != "", rx.el.p(W.express_hint, class_name="notice")),
            class_name="card estimate",
            id="estimate",
        ),
        rx.el.section(
            rx.el.h2("Votre déclaration", class_name="card-title"),
            rx.el.dl(
                fact("Événement", W.peril_label),
                fact("Date", W.occurred_date),
                fact(
                    "Lieu",
                    W.location_text,
                ),
                class_name="facts",
            ),
            rx.cond(W.summary_answers.length() > 0, _facts(W.summary_answers)),
            rx.el.p(W.description, class_name="quote"),
            rx.el.ul(
                rx.foreach(W.items, lambda i: rx.el.li(i.description, " — ", i.estimate)),
                class_name="plain-list",
            ),
            rx.el.p(plural(W.files.length(), "fichier joint", "fichiers joints"), "."),
            rx.cond(W.deadline_text != "", rx.el.p(W.deadline_text, class_name="field-hint")),
            rx.cond(W.late_text != "", rx.el.p(W.late_text, class_name="notice notice-warn")),
            class_name="card",
        ),
        rx.cond(
            W.missing.length() > 0,
            rx.el.div(
                rx.el.p("Avant d'envoyer :", class_name="field-label"),
                rx.el.ul(rx.foreach(W.missing, lambda m: rx.el.li(m))),
                class_name="form-error",
                role="alert",
            ),
        ),
        rx.el.form(
            rx.el.label(
                rx.el.input(
                    type="checkbox",
                    name="certify",
                    value="yes",
                    class_name="checkbox",
                    id="certify",
                ),
                rx.el.span(
                    "Je certifie l'exactitude de ma déclaration. Une fausse déclaration peut "
                    "entraîner la perte du droit à indemnité."
                ),
                class_name="check-row",
            ),
            field_error(W.errors.get("certify", ""), "certify"),
            rx.el.div(
                rx.el.button(
                    "Retour", type="button", on_click=W.back, class_name="button button-secondary"
                ),
                rx.el.button(
                    "Envoyer ma déclaration",
                    type="submit",
                    class_name="button button-primary",
                    id="send-claim",
                ),
                class_name="button-row wizard-nav",
            ),
            on_submit=W.send,
            reset_on_submit=False,
            no_validate=True,
            key=W.form_version.to_string(),
        ),
        class_name="stack",
    )


def sent_panel() -> rx.Component:
    return rx.el.section(
        rx.icon("circle-check", size=36, aria_hidden="true", class_name="sent-icon"),
        rx.el.h2("Déclaration envoyée", class_name="card-title"),
        rx.el.p("Votre numéro de sinistre : ", rx.el.strong(W.sent_number, id="claim-number")),
        rx.el.p(rx.el.strong("Prochaine étape : "), W.sent_next_step),
        rx.cond(
            W.sent_express != "",
            rx.el.p("Règlement express : ", W.sent_express, class_name="notice notice-ok"),
        ),
        rx.el.p("Un accusé de réception vous a été envoyé par e-mail."),
        rx.el.div(
            rx.el.a(
                "Suivre mon sinistre",
                href=routes.CLAIM + "?n=" + W.sent_number,
                class_name="button button-primary",
                id="follow-claim",
            ),
            rx.el.a("Mes sinistres", href=routes.CLAIMS, class_name="button button-secondary"),
            class_name="button-row",
        ),
        class_name="card sent-panel",
        role="status",
    )


def stepper() -> rx.Component:
    return rx.el.nav(
        rx.el.p(W.step_number, " : ", W.step_label, class_name="stepper-label", id="step-label"),
        rx.el.div(
            rx.el.div(class_name="progress-bar", style={"width": W.progress}),
            class_name="progress",
            role="progressbar",
            aria_valuenow=W.step + 1,
            aria_valuemin=1,
            aria_valuemax=len(declaration.STEPS),
            aria_label="Avancement de la déclaration",
        ),
        rx.el.ol(
            *[
                rx.el.li(
                    rx.cond(
                        (i <= W.reached) & ((W.claim_id > 0) | (i == 0)) & (W.step != i),
                        rx.el.button(
                            label, type="button", on_click=W.go_to(i), class_name="button-link"
                        ),
                        rx.el.span(label, aria_current=rx.cond(W.step == i, "step", "false")),
                    )
                )
                for i, label in enumerate(declaration.STEPS)
            ],
            class_name="stepper-steps",
        ),
        aria_label="Étapes de la déclaration",
        class_name="stepper",
    )


def claim_wizard_page() -> rx.Component:
    return app_shell(
        "Déclarer un sinistre",
        offline_callout(),
        rx.cond(
            W.loaded,
            rx.cond(
                W.sent_number != "",
                sent_panel(),
                rx.el.div(
                    form_alert(W.errors.get("claim", "")),
                    rx.cond(
                        W.contracts.length() == 0,
                        rx.el.p(
                            "Aucun contrat en cours : la déclaration en ligne n'est pas possible.",
                            class_name="empty",
                        ),
                        rx.el.div(
                            stepper(),
                            rx.el.div(
                                rx.match(
                                    W.step,
                                    (0, step_contract()),
                                    (1, step_peril()),
                                    (2, step_questions()),
                                    (3, step_when()),
                                    (4, step_where()),
                                    (5, step_items()),
                                    (6, step_files()),
                                    (7, step_summary()),
                                    step_contract(),
                                ),
                                class_name="card wizard-card",
                            ),
                            class_name="stack",
                        ),
                    ),
                    class_name="stack",
                ),
            ),
            loading(),
        ),
        subtitle=(
            "Votre déclaration est enregistrée à chaque étape : vous pouvez la reprendre plus tard."
        ),
    )


# ----- tracker -------------------------------------------------------------------------------


def tracker_step(step: StepView) -> rx.Component:
    return rx.el.li(
        rx.el.span(class_name="tracker-dot", aria_hidden="true"),
        rx.el.span(step.label, class_name="tracker-label"),
        rx.el.span(
            rx.match(
                step.state,
                ("done", step.date),
                ("current", "En cours · " + step.date),
                ("skipped", "Sans objet"),
                "À venir",
            ),
            class_name="tracker-date",
        ),
        class_name="tracker-step",
        data_state=step.state,
    )


def history_row(event: EventView) -> rx.Component:
    return rx.el.li(
        rx.el.p(rx.el.strong(event.label), " · ", rx.el.time(event.date)),
        rx.cond(event.detail != "", rx.el.p(event.detail)),
        rx.cond(
            event.next_step != "", rx.el.p("Ensuite : ", event.next_step, class_name="field-hint")
        ),
        class_name="history-row",
    )


def message_row(message: MessageView) -> rx.Component:
    return rx.el.li(
        rx.el.p(rx.el.strong(message.author), " · ", message.date, class_name="field-hint"),
        rx.el.p(message.body, class_name="message-body"),
        class_name=rx.cond(message.mine, "message message-mine", "message message-theirs"),
    )


def assistance_row(row: AssistanceView) -> rx.Component:
    return rx.el.li(
        rx.el.div(
            rx.el.strong(row.what),
            rx.el.span(row.status, class_name="badge", data_status=row.stage),
            class_name="card-head",
        ),
        rx.cond(row.detail != "", rx.el.p(row.detail, class_name="field-hint")),
        class_name="history-row",
    )


def assistance_section() -> rx.Component:
    """Emergency help for this claim (plumber, locksmith, rehousing...) and its status."""
    S = ClaimState
    return rx.el.section(
        rx.el.h2("Assistance d'urgence", class_name="card-title"),
        rx.cond(
            S.assistance.length() > 0,
            rx.el.ul(
                rx.foreach(S.assistance, assistance_row),
                class_name="history",
                id="claim-assistance",
            ),
            rx.el.p(
                "Fuite à arrêter, serrure à changer, logement inhabitable : l'assistance peut "
                "envoyer un professionnel ou vous reloger.",
                class_name="field-hint",
            ),
        ),
        rx.el.div(
            rx.el.a(
                rx.icon("siren", size=18, aria_hidden="true"),
                "Demander un dépannage",
                href=routes.EMERGENCY + "?sinistre=" + S.number,
                class_name="button button-secondary",
                id="claim-emergency-link",
            ),
            class_name="button-row",
        ),
        rx.el.p("Ou appelez l'assistance 24 h/24 : ", assistance_link(), class_name="field-hint"),
        class_name="card",
        id="assistance",
    )


def claim_page() -> rx.Component:
    S = ClaimState
    body = rx.el.div(
        rx.el.section(
            rx.el.div(
                rx.el.h2(S.peril, " — ", S.number, class_name="card-title"),
                rx.el.span(S.status, class_name="badge", data_status=S.stage, id="claim-status"),
                class_name="card-head",
            ),
            rx.el.p(S.contract, class_name="field-hint"),
            rx.el.ol(
                rx.foreach(S.steps, tracker_step),
                class_name="tracker",
                aria_label="Étapes du sinistre",
                id="tracker",
            ),
            rx.cond(
                S.next_step != "",
                rx.el.p(
                    rx.el.strong("Prochaine étape : "),
                    S.next_step,
                    class_name="notice",
                    id="next-step",
                ),
            ),
            rx.cond(
                S.late,
                rx.el.p(
                    "Cette étape a pris du retard : votre gestionnaire en est informé. Vous "
                    "pouvez lui écrire ci-dessous.",
                    class_name="notice notice-warn",
                ),
            ),
            rx.cond(
                S.requested != "",
                rx.el.p(
                    rx.el.strong("Documents demandés : "),
                    S.requested,
                    class_name="notice notice-warn",
                ),
            ),
            rx.cond(
                S.express_reason != "",
                rx.el.p(
                    rx.el.strong("Règlement express : "),
                    S.express_reason,
                    class_name="notice notice-ok",
                ),
            ),
            rx.cond(
                S.refusal_reason != "",
                rx.el.p(
                    rx.el.strong("Motif du refus : "),
                    S.refusal_reason,
                    class_name="notice notice-warn",
                ),
            ),
            rx.el.dl(
                fact("Déclaré le", S.submitted),
                fact("Survenu le", S.occurred),
                fact("Gestionnaire", rx.cond(S.handler != "", S.handler, "En cours d'attribution")),
                rx.cond(S.expert != "", fact("Expert", S.expert)),
                rx.cond(S.visit != "", fact("Visite de l'expert", S.visit)),
                class_name="facts",
            ),
            class_name="card",
        ),
        rx.cond(
            S.settlement.length() > 0,
            rx.el.section(
                rx.el.h2("Votre indemnité", class_name="card-title"),
                _facts(S.settlement),
                class_name="card",
                id="settlement",
            ),
        ),
        assistance_section(),
        holder_visit_section(),
        holder_offer_section(),
        rx.el.section(
            rx.el.h2("Estimation à la déclaration", class_name="card-title"),
            rx.cond(S.estimate.length() > 0, _facts(S.estimate)),
            rx.el.p(S.estimate_note, class_name="field-hint"),
            class_name="card",
        ),
        rx.el.section(
            rx.el.h2("Messages avec votre gestionnaire", class_name="card-title"),
            rx.cond(
                S.messages.length() == 0,
                rx.el.p("Aucun message pour l'instant.", class_name="empty"),
            ),
            rx.el.ul(rx.foreach(S.messages, message_row), class_name="messages", id="messages"),
            rx.el.form(
                rx.el.label("Votre message", html_for="message", class_name="field-label"),
                rx.el.textarea(
                    id="message",
                    name="message",
                    rows=3,
                    max_length=4000,
                    class_name="field-input",
                    aria_describedby="message-error",
                ),
                field_error(S.message_error, "message"),
                submit_button("Envoyer le message", block=False, id="send-message"),
                on_submit=S.send_message,
                reset_on_submit=False,
                no_validate=True,
                key=S.message_version.to_string(),
            ),
            class_name="card",
        ),
        rx.el.section(
            rx.el.h2("Documents du dossier", class_name="card-title"),
            notice(S.flash, kind="ok"),
            rx.el.ul(
                rx.foreach(S.files, lambda f: file_tile(f)),
                class_name="file-list",
                id="claim-documents",
            ),
            rx.el.h3("Ajouter un document", class_name="card-subtitle"),
            upload_zone("claim-documents-upload", S.upload, S.set_upload_kind, S.upload_errors),
            class_name="card",
        ),
        rx.el.section(
            rx.el.h2("Historique", class_name="card-title"),
            rx.el.ol(rx.foreach(S.history, history_row), class_name="history", id="history"),
            class_name="card",
        ),
        rx.el.p(
            "Un désaccord sur ce dossier ? ",
            rx.el.a(
                "Faire une réclamation",
                href=routes.COMPLAINTS + "?sinistre=" + S.number,
                id="claim-complaint-link",
            ),
            " (réponse sous deux mois au plus).",
        ),
        rx.el.section(
            rx.el.h2("Votre déclaration", class_name="card-title"),
            rx.el.dl(
                fact("Lieu", S.location),
                rx.cond(
                    S.declared_deadline != "", fact("Délai de déclaration", S.declared_deadline)
                ),
                class_name="facts",
            ),
            rx.cond(S.answers.length() > 0, _facts(S.answers)),
            rx.el.p(S.description, class_name="quote"),
            rx.el.div(
                rx.el.table(
                    rx.el.thead(
                        rx.el.tr(
                            rx.el.th("Bien", scope="col"),
                            rx.el.th("Catégorie", scope="col"),
                            rx.el.th("Achat", scope="col"),
                            rx.el.th("Estimation", scope="col"),
                        )
                    ),
                    rx.el.tbody(
                        rx.foreach(
                            S.items,
                            lambda i: rx.el.tr(
                                rx.el.td(i.description),
                                rx.el.td(i.category),
                                rx.el.td(i.purchase),
                                rx.el.td(i.estimate),
                            ),
                        )
                    ),
                    rx.el.tfoot(
                        rx.el.tr(rx.el.th("Total", scope="row", col_span=3), rx.el.td(S.total))
                    ),
                    class_name="table",
                ),
                class_name="table-wrap",
                tab_index=0,
                role="region",
                aria_label="Biens déclarés",
            ),
            class_name="card",
        ),
        class_name="stack",
    )
    return app_shell(
        "Suivi du sinistre",
        rx.cond(
            S.loaded,
            rx.cond(
                S.found,
                body,
                rx.el.div(
                    rx.el.p("Ce sinistre est introuvable.", class_name="empty"),
                    rx.el.a(
                        "Voir mes sinistres",
                        href=routes.CLAIMS,
                        class_name="button button-secondary",
                    ),
                ),
            ),
            loading(),
        ),
        rx.el.p(rx.el.a("← Tous mes sinistres", href=routes.CLAIMS)),
    )


__all__ = ["claims_page", "claim_wizard_page", "claim_page", "Fact"]
