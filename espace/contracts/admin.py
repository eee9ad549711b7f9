"""Contract changes made by the insurer (staff, CLI, imports and the demo data): subscription and
termination."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from espace.contracts import attestations
from espace.contracts import terms as contract_terms
from espace.contracts.models import (
    Contract,
    ContractStatus,
    Formula,
    InsuredProperty,
    Occupancy,
    PaymentFrequency,
    PropertyType,
)
from espace.core.models import saved_id


class PropertyError(ValueError):
    """A French message tied to a field of the insured property."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


def add_property(
    *,
    session: Session,
    holder_id: int,
    address_line1: str,
    postal_code: str,
    city: str,
    property_type: str,
    rooms: int,
    surface_m2: int,
    occupancy: str,
    address_line2: str = "",
    floor: int | None = None,
    construction_year: int | None = None,
) -> InsuredProperty:
    """Record a property of the holder (the insurer's system, the API, the demo data)."""
    from espace.identity.profile_validation import ProfileError, clean_address

    if property_type not in {t.value for t in PropertyType}:
        raise PropertyError("Type de logement : house ou flat.", "property_type")
    if occupancy not in {o.value for o in Occupancy}:
        raise PropertyError("Occupation : owner, tenant ou landlord.", "occupancy")
    if not 1 <= rooms <= 20:
        raise PropertyError("Nombre de pièces : de 1 à 20.", "rooms")
    if not 9 <= surface_m2 <= 1000:
        raise PropertyError("Surface : de 9 à 1 000 m².", "surface_m2")
    try:
        address = clean_address(
            line1=address_line1, line2=address_line2, postal_code=postal_code, city=city
        )
    except ProfileError as error:
        raise PropertyError(str(error), error.field) from None
    prop = InsuredProperty(
        holder_id=holder_id,
        address_line1=address.line1,
        address_line2=address.line2,
        postal_code=address.postal_code,
        city=address.city,
        property_type=property_type,
        rooms=rooms,
        surface_m2=surface_m2,
        occupancy=occupancy,
        floor=floor,
        construction_year=construction_year,
    )
    session.add(prop)
    session.flush()
    return prop


def open_contract(
    *,
    session: Session,
    number: str,
    holder_id: int,
    prop: InsuredProperty,
    formula_code: str,
    furniture_capital_cents: int,
    deductible_cents: int,
    start_date: date,
    options: tuple[str, ...] = (),
    payment_frequency: str = PaymentFrequency.MONTHLY,
    debit_day: int = 5,
    claims_last_3_years: int = 0,
    today: date | None = None,
) -> Contract:
    """Subscribe a contract on ``prop``: priced by the tariff engine (as the insurer's system
    would), its first version of terms recorded from ``start_date``, and the contract's copy of
    today's terms set."""
    from espace.contracts.rating import RatingInput
    from espace.contracts.tariff import price
    from espace.contracts.tariff_data import CURRENT

    quote = price(
        RatingInput(
            postal_code=prop.postal_code,
            property_type=prop.property_type,
            rooms=prop.rooms,
            surface_m2=prop.surface_m2,
            occupancy=prop.occupancy,
            formula=formula_code,
            furniture_capital_cents=furniture_capital_cents,
            deductible_cents=deductible_cents,
            options=frozenset(options),
            claims_last_3_years=claims_last_3_years,
        )
    )
    formula_id = saved_id(session.exec(select(Formula).where(Formula.code == formula_code)).one())
    contract = Contract(
        number=number,
        holder_id=holder_id,
        property_id=saved_id(prop),
        formula_id=formula_id,
        furniture_capital_cents=furniture_capital_cents,
        deductible_cents=deductible_cents,
        annual_premium_cents=quote.annual_premium_cents,
        annual_tax_cents=quote.taxes_cents,
        payment_frequency=payment_frequency,
        debit_day=debit_day,
        start_date=start_date,
    )
    session.add(contract)
    session.flush()
    prices = {line.label: line.amount_cents for line in quote.lines}
    terms = contract_terms.Terms(
        formula_id=formula_id,
        furniture_capital_cents=furniture_capital_cents,
        deductible_cents=deductible_cents,
        annual_premium_cents=quote.annual_premium_cents,
        annual_tax_cents=quote.taxes_cents,
        tariff_version=quote.version,
        options={
            code: prices.get(f"Option {CURRENT['options'][code]['name']}", 0) for code in options
        },
        **{name: getattr(prop, name) for name in contract_terms.PROPERTY_FIELDS},
    )
    contract_terms.record_version(
        session=session, contract=contract, effective_from=start_date, terms=terms, today=today
    )
    return contract


def terminate(
    *, session: Session, number: str, end_date: date, reason: str = "Résiliation"
) -> Contract:
    contract = session.exec(select(Contract).where(Contract.number == number)).first()
    if contract is None:
        raise LookupError(f"Contrat inconnu : {number}")
    contract.status = ContractStatus.TERMINATED
    contract.end_date = end_date
    session.add(contract)
    attestations.revoke_for_contract(session=session, contract_id=saved_id(contract), reason=reason)
    return contract
