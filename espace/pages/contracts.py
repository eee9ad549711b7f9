"""/contrats: 'Mes contrats', every property of the holder with its contracts."""

from __future__ import annotations

import reflex as rx

from espace.components.facts import fact
from espace.components.layout import app_shell, loading
from espace.components.text import plural
from espace.state.contracts import ContractCard, ContractsState, PropertyCard


def contract_row(contract: ContractCard) -> rx.Component:
    return rx.el.article(
        rx.el.header(
            rx.el.div(
                rx.el.h3("Formule ", contract.formula, class_name="contract-title"),
                rx.el.p(
                    "Contrat n° ",
                    rx.el.span(contract.number, class_name="mono"),
                    class_name="contract-number",
                ),
            ),
            rx.el.span(contract.status_label, class_name="badge", data_status=contract.status),
            class_name="contract-head",
        ),
        rx.el.dl(
            fact("Cotisation annuelle TTC", contract.premium),
            fact("Paiement", contract.frequency),
            fact("Capital mobilier", contract.capital),
            fact("Franchise", contract.deductible),
            fact("Date d'effet", contract.start_date),
            fact("Prochaine échéance", contract.next_anniversary),
            fact("Options", contract.options),
            class_name="facts",
        ),
        rx.el.a(
            "Voir le détail",
            rx.el.span(" du contrat " + contract.number, class_name="sr-only"),
            " des garanties",
            href="/contrat?n=" + contract.number,
            class_name="button button-small contract-link",
        ),
        class_name="contract",
        data_contract=contract.number,
    )


def property_card(prop: PropertyCard) -> rx.Component:
    return rx.el.section(
        rx.el.header(
            rx.el.span(rx.icon(prop.icon, size=24, aria_hidden="true"), class_name="property-icon"),
            rx.el.div(
                rx.el.h2(prop.headline, class_name="property-title"),
                rx.el.p(prop.address, class_name="property-address"),
                rx.el.p(prop.details, class_name="property-details"),
            ),
            class_name="property-head",
        ),
        rx.foreach(prop.contracts, contract_row),
        class_name="card property",
    )


def contracts_page() -> rx.Component:
    return app_shell(
        "Mes contrats",
        rx.cond(
            ContractsState.loaded,
            rx.cond(
                ContractsState.properties.length() > 0,
                rx.el.div(rx.foreach(ContractsState.properties, property_card), class_name="stack"),
                rx.el.p(
                    "Aucun contrat n'est rattaché à votre espace pour le moment.",
                    class_name="empty",
                ),
            ),
            loading(),
        ),
        subtitle=rx.cond(
            ContractsState.loaded,
            plural(ContractsState.properties.length(), "bien assuré", "biens assurés")
            + " · "
            + plural(ContractsState.contract_count, "contrat", "contrats"),
            "",
        ),
    )
