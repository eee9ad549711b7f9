"""Quotes for a change of cover from the tariff engine, the comparison of formulas, and the holder's
saved simulations."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta

from sqlmodel import Session, col, func, select

from espace.claims.models import Claim, ClaimStatus
from espace.contracts.cover_choice import (
    CoverChangeError,
    CoverChoice,
    _version,
    current_choice,
    owned_contract,
)
from espace.contracts.models import (
    Contract,
    Formula,
    InsuredProperty,
    Simulation,
)
from espace.contracts.portfolio import next_anniversary
from espace.contracts.rating import Quote, RatingError, RatingInput
from espace.contracts.tariff import price
from espace.core import formatting as fmt
from espace.core.formatting import PARIS
from espace.core.models import saved_id, today_paris


def rating_input(prop, choice: CoverChoice, claims_not_yet_rated: int = 0) -> RatingInput:
    """``prop``: the insured home as rated (a version of the terms, or the property row)."""
    return RatingInput(
        postal_code=choice.postal_code or prop.postal_code,
        property_type=prop.property_type,
        rooms=choice.rooms or prop.rooms,
        surface_m2=choice.surface_m2 or prop.surface_m2,
        occupancy=prop.occupancy,
        formula=choice.formula,
        furniture_capital_cents=choice.furniture_capital_cents,
        deductible_cents=choice.deductible_cents,
        options=choice.options,
        claims_last_3_years=0,
        claims_not_yet_rated=claims_not_yet_rated,
    )


def claims_counted(*, session: Session, contract_id: int, on: date) -> int:
    """Claims the tariff counts on ``on``: declared (not drafts), not refused, occurred in the 3
    years before."""
    since = datetime.combine(on - timedelta(days=3 * 365), time(0), tzinfo=PARIS)
    until = datetime.combine(on + timedelta(days=1), time(0), tzinfo=PARIS)
    return session.exec(
        select(func.count())
        .select_from(Claim)
        .where(
            Claim.contract_id == contract_id,
            col(Claim.status).not_in((ClaimStatus.DRAFT, ClaimStatus.REFUSED)),
            col(Claim.occurred_at).is_not(None),
            col(Claim.occurred_at) >= since,
            col(Claim.occurred_at) < until,
        )
    ).one()


def quote(
    *, session: Session, contract: Contract, choice: CoverChoice, today: date | None = None
) -> Quote:
    """Price a choice for this contract's home (raises RatingError with a French message and field).

    A change in the middle of the year keeps the claims coefficient set at the anniversary; claims
    declared since are counted at the next one, so a no-claims bonus shows as "not renewed", not
    earned."""
    today = today or today_paris()
    prop = _version(session, contract, None) or session.get(InsuredProperty, contract.property_id)
    pending = (
        claims_counted(session=session, contract_id=contract.id, on=today) if contract.id else 0
    )
    result = price(rating_input(prop, choice, pending))
    if pending:
        anniversary = next_anniversary(contract.start_date, today)
        result = replace(
            result,
            advice=[
                *result.advice,
                (
                    f"{pending} sinistre{'s' if pending > 1 else ''} "
                    f"déclaré{'s' if pending > 1 else ''} ces 3 dernières années : le bonus sans "
                    f"sinistre s'applique jusqu'à l'échéance du {fmt.date_fr(anniversary)} et ne "
                    "sera pas reconduit ; votre cotisation sera revue à cette date."
                ),
            ],
        )
    return result


def kept_options(options: frozenset[str], formula_code: str) -> frozenset[str]:
    """The options that still make sense with another formula (Intégrale includes legal protection;
    reinforced glass breakage needs the formula's glass breakage)."""
    return frozenset(
        o
        for o in options
        if not (formula_code == "INTEGRALE" and o == "PROTECTION_JURIDIQUE")
        and not (formula_code == "ESSENTIELLE" and o == "BRIS_GLACE")
    )


def compare_formulas(
    *, session: Session, contract: Contract, today: date | None = None
) -> list[tuple[str, str, Quote | None, str]]:
    """(code, name, quote or None, error) for every formula, with the holder's other choices
    kept."""
    base = current_choice(session=session, contract=contract)
    result: list[tuple[str, str, Quote | None, str]] = []
    for formula in session.exec(select(Formula).order_by(col(Formula.rank))).all():
        options = kept_options(base.options, formula.code)
        try:
            result.append(
                (
                    formula.code,
                    formula.name,
                    quote(
                        session=session,
                        contract=contract,
                        today=today,
                        choice=replace(base, formula=formula.code, options=options),
                    ),
                    "",
                )
            )
        except RatingError as error:
            result.append((formula.code, formula.name, None, error.message))
    return result


# ---- simulations --------------------------------------------------------------------------


def save_simulation(
    *, session: Session, holder_id: int, contract_id: int, name: str, choice: CoverChoice
) -> Simulation:
    contract = owned_contract(session=session, holder_id=holder_id, contract_id=contract_id)
    if contract is None:
        raise CoverChangeError("Contrat introuvable.")
    name = name.strip()
    if not name:
        raise CoverChangeError(
            "Donnez un nom à cette simulation, par exemple « Franchise 300 € ».", "name"
        )
    result = quote(session=session, contract=contract, choice=choice)
    simulation = Simulation(
        holder_id=holder_id,
        contract_id=saved_id(contract),
        name=name[:60],
        inputs=choice.as_json(),
        lines=[[line.label, line.amount_cents] for line in result.lines],
        annual_premium_cents=result.annual_premium_cents,
        tariff_version=result.version,
    )
    session.add(simulation)
    session.flush()
    return simulation


def simulations(*, session: Session, holder_id: int, contract_id: int) -> list[Simulation]:
    return list(
        session.exec(
            select(Simulation)
            .where(Simulation.holder_id == holder_id, Simulation.contract_id == contract_id)
            .order_by(col(Simulation.created_at), col(Simulation.id))
        ).all()
    )


def delete_simulation(*, session: Session, holder_id: int, simulation_id: int) -> bool:
    row = session.exec(
        select(Simulation).where(Simulation.id == simulation_id, Simulation.holder_id == holder_id)
    ).first()
    if row is None:
        return False
    session.delete(row)
    return True
