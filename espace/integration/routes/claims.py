"""Claims: declaration, the workflow's actions, messages (tag ``claims``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from espace.core.db import session_scope
from espace.integration import claim_schemas as cs
from espace.integration.operations import claims
from espace.integration.routes.common import (
    ERRORS,
    WRITE_ERRORS,
    Auth,
    CursorQ,
    IdemKey,
    IdPath,
    LimitQ,
    _claim,
    _claim_detail,
    _write,
    scope,
)

router = APIRouter()


# ----- claims -------------------------------------------------------------------------------------


@router.get("/claims", response_model=cs.ClaimPage, responses=ERRORS, tags=["claims"])
def list_claims(
    authority: Annotated[Auth, Depends(scope("claims:read"))],
    cursor: CursorQ = None,
    limit: LimitQ = 50,
    holder_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    status: Annotated[str | None, Query(pattern="^[a-z_]{1,24}$")] = None,
) -> cs.ClaimPage:
    with session_scope() as db:
        found = claims.list_claims(
            session=db,
            authority=authority,
            cursor=cursor,
            limit=limit,
            holder_id=holder_id,
            status=status,
        )
        return cs.ClaimPage(data=[_claim(r) for r in found.rows], next_cursor=found.next_cursor)


@router.post(
    "/claims",
    status_code=201,
    response_model=cs.ClaimDetailOut,
    responses=WRITE_ERRORS,
    tags=["claims"],
)
def declare_claim(
    request: Request,
    body: cs.ClaimIn,
    authority: Annotated[Auth, Depends(scope("claims:write"))],
    key: IdemKey,
):
    """A claim reported to the insurer (phone, agency): filed as the portal's declaration is."""

    def run(db):
        detail = claims.declare_claim(session=db, authority=authority, data=body.model_dump())
        return _claim_detail(detail), f"claim:{detail.claim.id}"

    return _write(request, authority, key, body, 201, run)


@router.get(
    "/claims/{claim_id}", response_model=cs.ClaimDetailOut, responses=ERRORS, tags=["claims"]
)
def get_claim(
    request: Request,
    claim_id: IdPath,
    authority: Annotated[Auth, Depends(scope("claims:read"))],
) -> cs.ClaimDetailOut:
    request.state.object_ref = f"claim:{claim_id}"
    with session_scope() as db:
        return _claim_detail(claims.get_claim(session=db, authority=authority, claim_id=claim_id))


@router.post(
    "/claims/{claim_id}/actions",
    response_model=cs.ClaimDetailOut,
    responses=WRITE_ERRORS,
    tags=["claims"],
)
def claim_action(
    request: Request,
    claim_id: IdPath,
    body: cs.ClaimActionIn,
    authority: Annotated[Auth, Depends(scope("claims:write"))],
    key: IdemKey,
):
    """Move the claim: appoint_expert, plan_visit, assess, record_payment, request_documents,
    refuse, close, reopen (the portal's tracker and the holder's notices follow)."""

    def run(db):
        detail = claims.claim_action(
            session=db,
            authority=authority,
            claim_id=claim_id,
            action=body.action,
            data=body.model_dump(),
        )
        return _claim_detail(detail), f"claim:{claim_id}"

    return _write(request, authority, key, body, 200, run)


@router.post(
    "/claims/{claim_id}/messages",
    response_model=cs.ClaimDetailOut,
    responses=WRITE_ERRORS,
    tags=["claims"],
)
def claim_message(
    request: Request,
    claim_id: IdPath,
    body: cs.MessageIn,
    authority: Annotated[Auth, Depends(scope("claims:write"))],
    key: IdemKey,
):
    def run(db):
        detail = claims.claim_message(
            session=db, authority=authority, claim_id=claim_id, body=body.body
        )
        return _claim_detail(detail), f"claim:{claim_id}"

    return _write(request, authority, key, body, 200, run)
