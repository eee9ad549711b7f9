"""The catalogue of formulas and the contracts (tag ``contracts``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from espace.core.db import session_scope
from espace.integration import schemas as s
from espace.integration.operations import contracts
from espace.integration.routes.common import (
    ERRORS,
    WRITE_ERRORS,
    Auth,
    CursorQ,
    IdemKey,
    IdPath,
    LimitQ,
    _contract,
    _write,
    scope,
)

router = APIRouter()


# ----- catalogue and contracts --------------------------------------------------------------------


@router.get("/catalogue", response_model=list[s.FormulaOut], responses=ERRORS, tags=["contracts"])
def catalogue(authority: Annotated[Auth, Depends(scope("contracts:read"))]) -> list[s.FormulaOut]:
    with session_scope() as db:
        return [
            s.FormulaOut(
                code=formula.code,
                name=formula.name,
                tagline=formula.tagline,
                guarantees=[
                    s.GuaranteeOut(
                        code=g.code,
                        category=g.category,
                        name=g.name,
                        ceiling_cents=line.ceiling_cents,
                        deductible_kind=line.deductible_kind,
                        deductible_value=line.deductible_value,
                    )
                    for line, g in lines
                ],
            )
            for formula, lines in contracts.catalogue(session=db, authority=authority)
        ]


@router.get("/contracts", response_model=s.ContractPage, responses=ERRORS, tags=["contracts"])
def list_contracts(
    authority: Annotated[Auth, Depends(scope("contracts:read"))],
    cursor: CursorQ = None,
    limit: LimitQ = 50,
    holder_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> s.ContractPage:
    with session_scope() as db:
        found = contracts.list_contracts(
            session=db, authority=authority, cursor=cursor, limit=limit, holder_id=holder_id
        )
        return s.ContractPage(
            data=[_contract(db, r) for r in found.rows], next_cursor=found.next_cursor
        )


@router.post(
    "/contracts",
    status_code=201,
    response_model=s.ContractOut,
    responses=WRITE_ERRORS,
    tags=["contracts"],
)
def create_contract(
    request: Request,
    body: s.ContractIn,
    authority: Annotated[Auth, Depends(scope("contracts:write"))],
    key: IdemKey,
):
    def run(db):
        row = contracts.create_contract(session=db, authority=authority, data=body.model_dump())
        return _contract(db, row, with_terms=True), f"contract:{row.id}"

    return _write(request, authority, key, body, 201, run)


@router.get(
    "/contracts/{contract_id}", response_model=s.ContractOut, responses=ERRORS, tags=["contracts"]
)
def get_contract(
    request: Request,
    contract_id: IdPath,
    authority: Annotated[Auth, Depends(scope("contracts:read"))],
) -> s.ContractOut:
    request.state.object_ref = f"contract:{contract_id}"
    with session_scope() as db:
        row = contracts.get_contract(session=db, authority=authority, contract_id=contract_id)
        return _contract(db, row, with_terms=True)


@router.post(
    "/contracts/{contract_id}/endorsements",
    response_model=s.ContractOut,
    responses=WRITE_ERRORS,
    tags=["contracts"],
)
def endorse_contract(
    request: Request,
    contract_id: IdPath,
    body: s.EndorsementIn,
    authority: Annotated[Auth, Depends(scope("contracts:write"))],
    key: IdemKey,
):
    """An endorsement agreed with the holder: new terms from effective_date (within 90 days),
    re-priced instalments, the avenant PDF in the holder's documents."""

    def run(db):
        row = contracts.endorse_contract(
            session=db, authority=authority, contract_id=contract_id, data=body.model_dump()
        )
        return _contract(db, row, with_terms=True), f"contract:{row.id}"

    return _write(request, authority, key, body, 200, run)
