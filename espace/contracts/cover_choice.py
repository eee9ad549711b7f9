"""A contract's cover as the holder chooses it (formula, capital, deductible, options, the home):
the choice in force on a date, the contract it belongs to, and what differs between two choices."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date

from sqlmodel import Session, select

from espace.contracts import terms as contract_terms
from espace.contracts.models import (
    Contract,
    ContractOptionDef,
    ContractTerms,
    Formula,
)
from espace.core import formatting as fmt
from espace.core.models import get_existing, saved_id


class CoverChangeError(ValueError):
    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class CoverChoice:
    formula: str
    furniture_capital_cents: int
    deductible_cents: int
    options: frozenset[str] = field(default_factory=frozenset)
    rooms: int = 0
    surface_m2: int = 0
    address_line1: str = ""  # a move: new address of the insured home
    postal_code: str = ""
    city: str = ""

    def as_json(self) -> dict:
        data = asdict(self)
        data["options"] = sorted(self.options)
        return data

    @classmethod
    def from_json(cls, data: dict) -> CoverChoice:
        return cls(**{**data, "options": frozenset(data.get("options", []))})


def owned_contract(*, session: Session, holder_id: int, contract_id: int) -> Contract | None:
    return session.exec(
        select(Contract).where(Contract.id == contract_id, Contract.holder_id == holder_id)
    ).first()


def option_codes(session: Session, contract: Contract, on: date | None = None) -> frozenset[str]:
    """Options taken on ``on`` (default: in the newest version of the terms)."""
    version = _version(session, contract, on)
    return contract_terms.option_codes(version) if version is not None else frozenset()


def _version(session: Session, contract: Contract, on: date | None) -> ContractTerms | None:
    if on is None:
        return contract_terms.latest(session=session, contract_id=saved_id(contract))
    return contract_terms.version_on(
        session=session, contract_id=saved_id(contract), day=max(on, contract.start_date)
    )


def _base_version(session: Session, contract: Contract, today: date) -> ContractTerms:
    """The newest version, on which a change builds (recorded from the contract row if it has none
    yet)."""
    return contract_terms.latest(
        session=session, contract_id=saved_id(contract)
    ) or contract_terms.record_initial(session=session, contract=contract, today=today)


def choice_of(session: Session, version: ContractTerms) -> CoverChoice:
    formula = get_existing(session, Formula, version.formula_id)
    return CoverChoice(
        formula=formula.code,
        furniture_capital_cents=version.furniture_capital_cents,
        deductible_cents=version.deductible_cents,
        options=contract_terms.option_codes(version),
        rooms=version.rooms,
        surface_m2=version.surface_m2,
        address_line1=version.address_line1,
        postal_code=version.postal_code,
        city=version.city,
    )


def current_choice(*, session: Session, contract: Contract, on: date | None = None) -> CoverChoice:
    """The terms in force on ``on`` as a choice; without a date, the newest signed terms (in force
    or coming), on which a new change builds."""
    version = _version(session, contract, on)
    if (
        version is None
    ):  # a contract row without versions (built directly): its copy is its only version
        terms = contract_terms.snapshot(session=session, contract=contract)
        formula = get_existing(session, Formula, terms.formula_id)
        return CoverChoice(
            formula=formula.code,
            furniture_capital_cents=terms.furniture_capital_cents,
            deductible_cents=terms.deductible_cents,
            options=terms.option_codes,
            rooms=terms.rooms,
            surface_m2=terms.surface_m2,
            address_line1=terms.address_line1,
            postal_code=terms.postal_code,
            city=terms.city,
        )
    return choice_of(session, version)


def describe_changes(session: Session, before: CoverChoice, after: CoverChoice) -> list[dict]:
    names = {f.code: f.name for f in session.exec(select(Formula)).all()}
    option_names = {o.code: o.name for o in session.exec(select(ContractOptionDef)).all()}
    changes = []
    if before.formula != after.formula:
        changes.append(
            {"label": "Formule", "before": names[before.formula], "after": names[after.formula]}
        )
    if before.furniture_capital_cents != after.furniture_capital_cents:
        changes.append(
            {
                "label": "Capital mobilier",
                "before": fmt.money(before.furniture_capital_cents),
                "after": fmt.money(after.furniture_capital_cents),
            }
        )
    if before.deductible_cents != after.deductible_cents:
        changes.append(
            {
                "label": "Franchise",
                "before": fmt.money(before.deductible_cents),
                "after": fmt.money(after.deductible_cents),
            }
        )
    for code in sorted(before.options ^ after.options):
        taken = code in after.options
        changes.append(
            {
                "label": f"Option {option_names.get(code, code)}",
                "before": "Souscrite" if not taken else "Non souscrite",
                "after": "Souscrite" if taken else "Non souscrite",
            }
        )
    if (before.rooms, before.surface_m2) != (after.rooms, after.surface_m2):
        changes.append(
            {
                "label": "Logement (pièces, surface)",
                "before": f"{before.rooms} pièces, {before.surface_m2} m²",
                "after": f"{after.rooms} pièces, {after.surface_m2} m²",
            }
        )
    moved = (after.address_line1, after.postal_code, after.city) != (
        before.address_line1,
        before.postal_code,
        before.city,
    )
    if moved:
        changes.append(
            {
                "label": "Adresse du logement (déménagement)",
                "before": f"{before.address_line1}, {before.postal_code} {before.city}",
                "after": f"{after.address_line1}, {after.postal_code} {after.city}",
            }
        )
    return changes
