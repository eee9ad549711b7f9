"""/contrat?n=…: what a contract covers, up to how much, with what deductible and exclusions."""

from __future__ import annotations

import reflex as rx

from espace import routes
from espace.components.facts import fact
from espace.components.layout import app_shell, loading
from espace.state.contract_detail import (
    CategoryBlock,
    ComingItem,
    EndorsementItem,
    GuaranteeItem,
    OptionItem,
)
from espace.state.contract_detail import (
    ContractDetailState as C,
)
from espace.state.contract_documents import ContractDocumentsState


def guarantee(item: GuaranteeItem) -> rx.Component:
    return rx.el.div(
        rx.el.p(
            rx.el.strong(item.name),
            " · ",
            rx.el.a(
                item.article,
                href=routes.CONDITIONS + "?n=" + C.number + "#" + item.anchor,
                class_name="article-link",
            ),
        ),
        rx.el.dl(
            fact("Plafond", item.ceiling), fact("Franchise", item.deductible), class_name="facts"
        ),
        rx.cond(
            item.exclusions.length() > 0,
            rx.el.details(
                rx.el.summary("Exclusions"),
                rx.el.ul(rx.foreach(item.exclusions, lambda e: rx.el.li(e)), class_name="bullets"),
            ),
        ),
        class_name="guarantee",
    )


def category(block: CategoryBlock) -> rx.Component:
    return rx.el.section(
        rx.el.header(
            rx.el.h3(block.label, class_name="card-subtitle"),
            rx.cond(
                block.covered,
                rx.el.span("Couvert", class_name="badge"),
                rx.el.span("Non couvert", class_name="badge", data_status="terminated"),
            ),
            class_name="contract-head",
        ),
        rx.foreach(block.guarantees, guarantee),
        rx.el.ul(
            rx.cond(
                block.covered,
                rx.el.li(
                    rx.icon("circle-check", size=16, aria_hidden="true"),
                    "Par exemple : ",
                    block.yes,
                    class_name="ok",
                ),
            ),
            rx.el.li(
                rx.icon("circle-x", size=16, aria_hidden="true"),
                rx.cond(
                    block.covered, "Non couvert : ", "Non couvert par votre contrat, par exemple : "
                ),
                rx.cond(block.covered, block.no, block.yes),
                class_name="status-bad",
            ),
            class_name="examples",
        ),
        class_name="category",
        data_category=block.key,
    )


def option(item: OptionItem) -> rx.Component:
    return rx.el.li(
        rx.icon(
            rx.cond(item.taken, "circle-check", "circle-dashed"),
            size=18,
            aria_hidden="true",
            class_name=rx.cond(item.taken, "ok", "todo"),
        ),
        rx.el.div(
            rx.el.p(
                rx.el.strong(item.name),
                " — ",
                rx.cond(item.taken, "souscrite", "non souscrite"),
                rx.cond(item.price != "", rx.el.span(" · ", item.price)),
            ),
            rx.el.p(item.description, class_name="field-hint"),
        ),
        class_name="option-row",
    )


def coming(item: ComingItem) -> rx.Component:
    return rx.el.li(
        rx.el.div(
            rx.el.p(
                rx.el.strong("À partir du ", item.starts),
                " · formule ",
                item.formula,
                " · ",
                item.premium,
                " / an",
                rx.cond(item.number > 0, rx.el.span(" (avenant n° ", item.number.to_string(), ")")),
            ),
            rx.el.ul(rx.foreach(item.changes, lambda c: rx.el.li(c)), class_name="bullets"),
        ),
        class_name="doc-row",
    )


def endorsement(item: EndorsementItem) -> rx.Component:
    return rx.el.li(
        rx.el.div(
            rx.el.p(
                rx.el.strong("Avenant n° ", item.number.to_string()), " · effet le ", item.effective
            ),
            rx.el.p(
                item.summary,
                " · nouvelle cotisation ",
                item.premium,
                " / an",
                class_name="field-hint",
            ),
        ),
        rx.cond(
            item.url != "",
            rx.el.a(
                "Télécharger",
                href=item.url,
                download="",
                class_name="button button-small",
                custom_attrs={"reloadDocument": True},
            ),
        ),
        class_name="doc-row",
    )


def contract_documents_card() -> rx.Component:
    D = ContractDocumentsState
    return rx.el.section(
        rx.el.h2("Documents du contrat", class_name="card-title"),
        rx.el.p(
            "Vos conditions particulières, avis d'échéance et attestations sont dans « Mes "
            "documents ». Obtenez ici, immédiatement :",
            class_name="field-hint",
        ),
        rx.el.div(
            rx.el.button(
                "Conditions générales (PDF)",
                type="button",
                on_click=D.general_conditions(C.number),
                class_name="button button-secondary",
            ),
            rx.el.button(
                "Relevé de sinistralité (5 ans)",
                type="button",
                on_click=D.claims_history(C.number),
                class_name="button button-secondary",
            ),
            class_name="button-row",
        ),
        rx.cond(
            D.issued_url != "",
            rx.el.p(
                rx.el.a(
                    "Télécharger : ",
                    D.issued_title,
                    href=D.issued_url,
                    download="",
                    custom_attrs={"reloadDocument": True},
                ),
                role="status",
                id="contract-document-link",
            ),
        ),
        rx.cond(
            D.issue_error != "", rx.el.p(D.issue_error, class_name="field-error", role="alert")
        ),
        class_name="card",
        id="documents-du-contrat",
    )


def contract_detail_page() -> rx.Component:
    body = rx.el.div(
        rx.el.section(
            rx.el.header(
                rx.el.div(
                    rx.el.h2(C.headline, class_name="property-title"),
                    rx.el.p(C.address, class_name="property-address"),
                ),
                rx.el.span(C.status_label, class_name="badge"),
                class_name="contract-head",
            ),
            rx.el.dl(
                fact("Contrat n°", C.number),
                fact("Formule", C.formula),
                fact("Cotisation annuelle TTC", C.premium),
                fact("Capital mobilier", C.capital),
                fact("Franchise", C.deductible),
                fact("Prochaine échéance", C.anniversary),
                class_name="facts",
            ),
            rx.el.div(
                rx.el.a(
                    "Modifier ma couverture",
                    href=routes.COVER + "?n=" + C.number,
                    class_name="button button-primary",
                ),
                rx.el.a(
                    "Comparer les formules",
                    href=routes.COVER + "?n=" + C.number + "#formules",
                    class_name="button button-secondary",
                ),
                rx.el.a(
                    "Conditions générales",
                    href=routes.CONDITIONS + "?n=" + C.number,
                    class_name="button button-secondary",
                ),
                rx.el.a(
                    "Résilier mon contrat",
                    href=routes.CANCEL + "?n=" + C.number,
                    class_name="button button-secondary",
                ),
                class_name="button-row",
            ),
            rx.el.p(
                "Un désaccord sur ce contrat ? ",
                rx.el.a(
                    "Faire une réclamation",
                    href=routes.COMPLAINTS + "?contrat=" + C.number,
                    id="contract-complaint-link",
                ),
                " (réponse sous deux mois au plus).",
            ),
            class_name="card",
        ),
        rx.el.section(
            rx.el.h2("Prochaines échéances", class_name="card-title"),
            rx.cond(
                C.instalments.length() > 0,
                rx.el.table(
                    rx.el.thead(
                        rx.el.tr(
                            rx.el.th("Prélèvement le", scope="col"),
                            rx.el.th("Période", scope="col"),
                            rx.el.th("Montant", scope="col"),
                        )
                    ),
                    rx.el.tbody(
                        rx.foreach(
                            C.instalments,
                            lambda i: rx.el.tr(
                                rx.el.td(i.due),
                                rx.el.td(i.period),
                                rx.el.td(i.amount, class_name="num"),
                            ),
                        )
                    ),
                    class_name="table",
                    id="instalments",
                ),
                rx.el.p("Aucune échéance à venir d'ici la date anniversaire.", class_name="empty"),
            ),
            class_name="card",
        ),
        rx.cond(
            C.coming.length() > 0,
            rx.el.section(
                rx.el.h2("Modification à venir", class_name="card-title"),
                rx.el.p(
                    "Ces changements ont été acceptés : ils s'appliqueront à leur date d'effet. "
                    "D'ici là, vos garanties restent celles indiquées ci-dessous.",
                    class_name="field-hint",
                ),
                rx.el.ul(rx.foreach(C.coming, coming), class_name="doc-list"),
                class_name="card",
                id="a-venir",
            ),
        ),
        rx.el.section(
            rx.el.h2("Vos garanties", class_name="card-title"),
            rx.foreach(C.categories, category),
            class_name="card",
            id="garanties",
        ),
        rx.el.section(
            rx.el.h2("Options", class_name="card-title"),
            rx.el.ul(rx.foreach(C.options, option), class_name="plain-list"),
            class_name="card",
        ),
        contract_documents_card(),
        rx.el.section(
            rx.el.h2("Historique des avenants", class_name="card-title"),
            rx.cond(
                C.endorsements.length() > 0,
                rx.el.ul(rx.foreach(C.endorsements, endorsement), class_name="doc-list"),
                rx.el.p(
                    "Aucun avenant : votre contrat n'a pas été modifié depuis sa souscription.",
                    class_name="empty",
                ),
            ),
            class_name="card",
        ),
        class_name="stack",
    )
    return app_shell(
        "Mon contrat",
        rx.cond(
            C.loaded,
            rx.cond(
                C.found,
                body,
                rx.el.p(
                    "Ce contrat est introuvable dans votre espace.",
                    class_name="empty",
                    role="alert",
                ),
            ),
            loading(),
        ),
        subtitle="Ce qui est couvert, jusqu'à combien, avec quelle franchise.",
    )
