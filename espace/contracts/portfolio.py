"""Read model of a holder's properties and contracts ("Mes contrats")."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, col, select

from espace.contracts.models import (
    Contract,
    ContractOption,
    ContractOptionDef,
    Formula,
    InsuredProperty,
)
from espace.core.models import saved_id, today_paris
from espace.identity.models import Policyholder


@dataclass(frozen=True)
class ContractSummary:
    id: int
    number: str
    formula: str
    status: str
    annual_premium_cents: int
    furniture_capital_cents: int
    deductible_cents: int
    payment_frequency: str
    start_date: date
    next_anniversary: date
    options: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class PropertySummary:
    id: int
    property_type: str
    address_line1: str
    address_line2: str
    postal_code: str
    city: str
    rooms: int
    surface_m2: int
    occupancy: str
    contracts: list[ContractSummary]


def next_anniversary(start: date, today: date) -> date:
    """The next yearly anniversary of ``start`` strictly after ``today`` (29 Feb falls on 28
    Feb)."""
    for year in (today.year, today.year + 1):
        try:
            candidate = start.replace(year=year)
        except ValueError:
            candidate = date(year, 2, 28)
        if candidate > today:
            return candidate
    raise AssertionError("unreachable")


def holder(*, session: Session, holder_id: int) -> Policyholder | None:
    return session.get(Policyholder, holder_id)


def holder_contracts(
    *, session: Session, holder_id: int, by_start: bool = False
) -> list[tuple[Contract, InsuredProperty]]:
    """The holder's contracts with their insured property, by number (or by start date): one
    query, filtered on the holder (another holder's contracts never come back)."""
    order = col(Contract.start_date) if by_start else col(Contract.number)
    return list(
        session.exec(
            select(Contract, InsuredProperty)
            .join(InsuredProperty, col(InsuredProperty.id) == Contract.property_id)
            .where(Contract.holder_id == holder_id)
            .order_by(order, col(Contract.id))
        ).all()
    )


def owned_contract_by_id(*, session: Session, holder_id: int, contract_id: int) -> Contract | None:
    """One of *this holder's* contracts by its id (another holder's id finds nothing)."""
    return session.exec(
        select(Contract).where(Contract.id == contract_id, Contract.holder_id == holder_id)
    ).first()


def contract_numbers(*, session: Session, holder_id: int) -> list[str]:
    """The numbers of the holder's contracts, in order."""
    return list(
        session.exec(
            select(Contract.number).where(Contract.holder_id == holder_id).order_by(Contract.number)
        ).all()
    )


def owned_contract(*, session: Session, holder_id: int, number: str) -> Contract | None:
    """One of *this holder's* contracts by its number (another holder's number finds nothing)."""
    return session.exec(
        select(Contract).where(
            Contract.number == number.strip().upper()[:10], Contract.holder_id == holder_id
        )
    ).first()


def list_portfolio(
    *, session: Session, holder_id: int, today: date | None = None
) -> list[PropertySummary]:
    """Every property of the holder with its contracts, newest property last."""
    today = today or today_paris()
    properties = session.exec(
        select(InsuredProperty)
        .where(InsuredProperty.holder_id == holder_id)
        .order_by(col(InsuredProperty.id))
    ).all()
    rows = session.exec(
        select(Contract, Formula)
        .join(Formula, col(Formula.id) == Contract.formula_id)
        .where(Contract.holder_id == holder_id)
        .order_by(col(Contract.start_date))
    ).all()
    option_rows = session.exec(
        select(ContractOption.contract_id, ContractOptionDef.name)
        .join(ContractOptionDef, col(ContractOptionDef.id) == ContractOption.option_id)
        .join(Contract, col(Contract.id) == ContractOption.contract_id)
        .where(Contract.holder_id == holder_id)
        .order_by(ContractOptionDef.name)
    ).all()
    options: dict[int, list[str]] = {}
    for contract_id, name in option_rows:
        options.setdefault(contract_id, []).append(name)
    by_property: dict[int, list[ContractSummary]] = {}
    for contract, formula in rows:
        by_property.setdefault(contract.property_id, []).append(
            ContractSummary(
                id=saved_id(contract),
                number=contract.number,
                formula=formula.name,
                status=contract.status,
                annual_premium_cents=contract.annual_premium_cents,
                furniture_capital_cents=contract.furniture_capital_cents,
                deductible_cents=contract.deductible_cents,
                payment_frequency=contract.payment_frequency,
                start_date=contract.start_date,
                next_anniversary=next_anniversary(contract.start_date, today),
                options=options.get(saved_id(contract), []),
            )
        )
    return [
        PropertySummary(
            id=saved_id(p),
            property_type=p.property_type,
            address_line1=p.address_line1,
            address_line2=p.address_line2,
            postal_code=p.postal_code,
            city=p.city,
            rooms=p.rooms,
            surface_m2=p.surface_m2,
            occupancy=p.occupancy,
            contracts=by_property.get(saved_id(p), []),
        )
        for p in properties
    ]
