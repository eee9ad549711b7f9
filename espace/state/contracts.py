"""'Mes contrats': the holder's properties and their contracts, as display strings."""

from __future__ import annotations

import dataclasses

import reflex as rx

from espace.contracts import labels
from espace.contracts.portfolio import PropertySummary, list_portfolio
from espace.core import formatting as fmt
from espace.core.db import session_scope
from espace.identity.sessions import Principal
from espace.state.handlers import holder_event
from espace.state.session import SessionState


@dataclasses.dataclass
class ContractCard:
    number: str = ""
    formula: str = ""
    status: str = ""
    status_label: str = ""
    premium: str = ""
    capital: str = ""
    deductible: str = ""
    frequency: str = ""
    start_date: str = ""
    next_anniversary: str = ""
    options: str = ""


@dataclasses.dataclass
class PropertyCard:
    kind: str = ""
    icon: str = ""
    headline: str = ""
    address: str = ""
    details: str = ""
    contracts: list[ContractCard] = dataclasses.field(default_factory=list)


def to_card(prop: PropertySummary) -> PropertyCard:
    address = ", ".join(part for part in (prop.address_line1, prop.address_line2) if part)
    return PropertyCard(
        kind=prop.property_type,
        icon="house" if prop.property_type == "house" else "building-2",
        headline=f"{labels.label(labels.PROPERTY_TYPE, prop.property_type)} à {prop.city}",
        address=f"{address}, {prop.postal_code} {prop.city}",
        details=(
            f"{prop.rooms} pièces · {prop.surface_m2} m² · "
            f"{labels.label(labels.OCCUPANCY, prop.occupancy)}"
        ),
        contracts=[
            ContractCard(
                number=c.number,
                formula=c.formula,
                status=c.status,
                status_label=labels.label(labels.CONTRACT_STATUS, c.status),
                premium=fmt.money(c.annual_premium_cents),
                capital=fmt.money(c.furniture_capital_cents),
                deductible=fmt.money(c.deductible_cents),
                frequency=labels.label(labels.PAYMENT_FREQUENCY, c.payment_frequency),
                start_date=fmt.date_fr(c.start_date),
                next_anniversary=fmt.date_fr(c.next_anniversary),
                options=", ".join(c.options) if c.options else "Aucune",
            )
            for c in prop.contracts
        ],
    )


class ContractsState(SessionState):
    properties: list[PropertyCard] = []
    loaded: bool = False

    @holder_event
    def load(self, me: Principal):
        holder_id = me.holder_id
        self._load_header(holder_id)
        with session_scope() as db:
            self.properties = [to_card(p) for p in list_portfolio(session=db, holder_id=holder_id)]
        self.loaded = True
        return None

    @rx.var
    def contract_count(self) -> int:
        return sum(len(p.contracts) for p in self.properties)
