"""Holders and their insured properties (tag ``holders``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from espace.core.db import session_scope
from espace.integration import schemas as s
from espace.integration.operations import holders
from espace.integration.routes.common import (
    ERRORS,
    WRITE_ERRORS,
    Auth,
    CursorQ,
    IdemKey,
    IdPath,
    LimitQ,
    _holder,
    _property,
    _write,
    scope,
)

router = APIRouter()


# ----- holders and properties ---------------------------------------------------------------------


@router.get("/holders", response_model=s.HolderPage, responses=ERRORS, tags=["holders"])
def list_holders(
    authority: Annotated[Auth, Depends(scope("holders:read"))],
    cursor: CursorQ = None,
    limit: LimitQ = 50,
    email: Annotated[str, Query(max_length=254)] = "",
) -> s.HolderPage:
    with session_scope() as db:
        found = holders.list_holders(
            session=db, authority=authority, cursor=cursor, limit=limit, email=email
        )
        return s.HolderPage(data=[_holder(r) for r in found.rows], next_cursor=found.next_cursor)


@router.post(
    "/holders",
    status_code=201,
    response_model=s.HolderOut,
    responses=WRITE_ERRORS,
    tags=["holders"],
)
def create_holder(
    request: Request,
    body: s.HolderIn,
    authority: Annotated[Auth, Depends(scope("holders:write"))],
    key: IdemKey,
):
    def run(db):
        row = holders.create_holder(session=db, authority=authority, data=body.model_dump())
        return _holder(row), f"holder:{row.id}"

    return _write(request, authority, key, body, 201, run)


@router.get("/holders/{holder_id}", response_model=s.HolderOut, responses=ERRORS, tags=["holders"])
def get_holder(
    request: Request,
    holder_id: IdPath,
    authority: Annotated[Auth, Depends(scope("holders:read"))],
) -> s.HolderOut:
    request.state.object_ref = f"holder:{holder_id}"
    with session_scope() as db:
        return _holder(holders.get_holder(session=db, authority=authority, holder_id=holder_id))


@router.patch(
    "/holders/{holder_id}", response_model=s.HolderOut, responses=WRITE_ERRORS, tags=["holders"]
)
def update_holder(
    request: Request,
    holder_id: IdPath,
    body: s.HolderPatch,
    authority: Annotated[Auth, Depends(scope("holders:write"))],
    key: IdemKey,
):
    def run(db):
        data = body.model_dump(exclude_unset=True)
        row = holders.update_holder(session=db, authority=authority, holder_id=holder_id, data=data)
        return _holder(row), f"holder:{row.id}"

    return _write(request, authority, key, body, 200, run)


@router.get(
    "/holders/{holder_id}/properties",
    response_model=s.PropertyPage,
    responses=ERRORS,
    tags=["holders"],
)
def list_properties(
    holder_id: IdPath,
    authority: Annotated[Auth, Depends(scope("holders:read"))],
    cursor: CursorQ = None,
    limit: LimitQ = 50,
) -> s.PropertyPage:
    with session_scope() as db:
        found = holders.list_properties(
            session=db, authority=authority, holder_id=holder_id, cursor=cursor, limit=limit
        )
        return s.PropertyPage(
            data=[_property(r) for r in found.rows], next_cursor=found.next_cursor
        )


@router.post(
    "/holders/{holder_id}/properties",
    status_code=201,
    response_model=s.PropertyOut,
    responses=WRITE_ERRORS,
    tags=["holders"],
)
def create_property(
    request: Request,
    holder_id: IdPath,
    body: s.PropertyIn,
    authority: Annotated[Auth, Depends(scope("holders:write"))],
    key: IdemKey,
):
    def run(db):
        row = holders.create_property(
            session=db, authority=authority, holder_id=holder_id, data=body.model_dump()
        )
        return _property(row), f"property:{row.id}"

    return _write(request, authority, key, body, 201, run)
