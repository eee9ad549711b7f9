"""The catalogue, contracts opened and endorsed through the API."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

from sqlmodel import Session, select

from espace.contracts import admin
from espace.contracts.models import (
    Contract,
    ContractTerms,
    Formula,
    FormulaGuarantee,
    Guarantee,
    InsuredProperty,
)
from espace.core.formatting import PARIS
from espace.integration.operations.common import (
    OperationError,
    Page,
    _field_error,
    _holder,
    page,
    require,
)

NO_ACCOUNT_YET = "L'assuré n'a pas encore créé son espace : avenant impossible en ligne."


# ----- catalogue and contracts --------------------------------------------------------------------


def catalogue(*, session: Session, authority) -> list[tuple[Formula, list]]:
    require(authority, "contracts:read")
    result = []
    for formula in session.exec(select(Formula).order_by(Formula.rank, Formula.id)).all():
        lines = session.exec(
            select(FormulaGuarantee, Guarantee)
            .join(Guarantee, Guarantee.id == FormulaGuarantee.guarantee_id)
            .where(FormulaGuarantee.formula_id == formula.id)
            .order_by(Guarantee.id)
        ).all()
        result.append((formula, list(lines)))
    return result


def formula_codes(session: Session) -> dict[int, str]:
    return {f.id: f.code for f in session.exec(select(Formula)).all()}


def list_contracts(
    *, session: Session, authority, cursor=None, limit=50, holder_id: int | None = None
) -> Page:
    require(authority, "contracts:read")
    query = select(Contract)
    if holder_id is not None:
        query = query.where(Contract.holder_id == holder_id)
    return page(session, query, Contract, cursor=cursor, limit=limit)


def get_contract(*, session: Session, authority, contract_id: int) -> Contract:
    require(authority, "contracts:read")
    contract = session.get(Contract, contract_id)
    if contract is None:
        raise LookupError("contract")
    return contract


def contract_terms(*, session: Session, authority, contract_id: int) -> list[ContractTerms]:
    get_contract(session=session, authority=authority, contract_id=contract_id)
    return list(
        session.exec(
            select(ContractTerms)
            .where(ContractTerms.contract_id == contract_id)
            .order_by(ContractTerms.effective_from, ContractTerms.id)
        ).all()
    )


def _next_contract_number(session: Session) -> str:
    last = session.exec(
        select(Contract.number)
        .where(Contract.number.like("MRH5%"))
        .order_by(Contract.number.desc())
    ).first()
    return f"MRH{(int(last[3:]) + 1) if last else 5_000_000:07d}"


def create_contract(*, session: Session, authority, data: dict, today: date | None = None):
    """Subscribe a contract on a property of the holder, priced by the tariff, its payment schedule
    set up to a year ahead (instalments already due are recorded paid)."""
    from espace.billing.instalments import add_months, seed_history
    from espace.contracts.tariff_data import CURRENT

    require(authority, "contracts:write")
    today = today or datetime.now(PARIS).date()
    holder_id, property_id = data["holder_id"], data["property_id"]
    _holder(session, holder_id)
    prop = session.exec(
        select(InsuredProperty).where(
            InsuredProperty.id == property_id, InsuredProperty.holder_id == holder_id
        )
    ).first()
    if prop is None:
        raise OperationError({"property_id": "Ce bien n'appartient pas à cet assuré."})
    errors: dict[str, str] = {}
    if session.exec(select(Formula.id).where(Formula.code == data["formula"])).first() is None:
        errors["formula"] = "Formule inconnue (voir /catalogue)."
    unknown = [o for o in data.get("options") or [] if o not in CURRENT["options"]]
    if unknown:
        errors["options"] = f"Options inconnues : {', '.join(unknown)}."
    number = data.get("number") or _next_contract_number(session)
    if session.exec(select(Contract.id).where(Contract.number == number)).first() is not None:
        errors["number"] = "Ce numéro de contrat existe déjà."
    if not today - timedelta(days=30 * 365) <= data["start_date"] <= today + timedelta(days=366):
        errors["start_date"] = "Date d'effet entre il y a 30 ans et dans un an."
    if errors:
        raise OperationError(errors)
    try:
        contract = admin.open_contract(
            session=session,
            number=number,
            holder_id=holder_id,
            prop=prop,
            formula_code=data["formula"],
            furniture_capital_cents=data["furniture_capital_cents"],
            deductible_cents=data["deductible_cents"],
            start_date=data["start_date"],
            options=tuple(sorted(set(data.get("options") or []))),
            payment_frequency=data.get("payment_frequency") or "monthly",
            debit_day=data.get("debit_day") or 5,
            today=today,
        )
    except (KeyError, ValueError) as error:
        raise OperationError({"request": f"Contrat refusé par le tarif : {error}"}) from None
    seed_history(session=session, contract=contract, today=today, ahead_until=add_months(today, 12))
    return contract


def endorse_contract(
    *, session: Session, authority, contract_id: int, data: dict, today: date | None = None
) -> Contract:
    """An endorsement the holder agreed with the insurer (phone, agency): recorded by the portal's
    own function (new version of the terms from ``effective_date``, re-priced instalments, the
    avenant PDF in "Mes documents", the e-mail). The holder must have an account: it is recorded
    as accepted by them."""
    from espace.contracts import cover_change, cover_choice
    from espace.identity.accounts import account_of_holder

    require(authority, "contracts:write")
    contract = session.get(Contract, contract_id)
    if contract is None:
        raise LookupError("contract")
    account = account_of_holder(session=session, holder_id=contract.holder_id)
    if account is None:
        raise OperationError({"contract_id": NO_ACCOUNT_YET})
    current = cover_choice.current_choice(session=session, contract=contract)
    changes = {k: data[k] for k in ("formula", "furniture_capital_cents", "deductible_cents")}
    changes = {k: v for k, v in changes.items() if v is not None}
    if data.get("options") is not None:
        changes["options"] = frozenset(data["options"])
    choice = replace(current, **changes)
    try:
        cover_change.endorse(
            session=session,
            holder_id=contract.holder_id,
            account_id=account.id,
            contract_id=contract.id,
            choice=choice,
            effective=data["effective_date"],
            consent=True,
            today=today,
        )
    except cover_choice.CoverChangeError as error:
        raise _field_error(error) from None
    except (KeyError, ValueError) as error:
        raise OperationError({"request": f"Avenant refusé par le tarif : {error}"}) from None
    session.refresh(contract)
    return contract
