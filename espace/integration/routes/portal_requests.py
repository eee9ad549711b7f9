"""Requests raised in the portal by holders (tag ``requests``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from espace.core.db import session_scope
from espace.integration import schemas as s
from espace.integration.operations import portal_requests
from espace.integration.routes.common import ERRORS, Auth, LimitQ, scope

router = APIRouter()


# ----- requests -----------------------------------------------------------------------------------


@router.get("/requests", response_model=s.RequestList, responses=ERRORS, tags=["requests"])
def list_requests(
    authority: Annotated[Auth, Depends(scope("requests:read"))],
    holder_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    limit: LimitQ = 100,
) -> s.RequestList:
    with session_scope() as db:
        rows = portal_requests.list_requests(
            session=db, authority=authority, holder_id=holder_id, limit=limit
        )
        return s.RequestList(data=[s.RequestOut(**r.__dict__) for r in rows])
