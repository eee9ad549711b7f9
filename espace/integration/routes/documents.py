"""Documents published to the holders' libraries (tag ``documents``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from espace.core.db import session_scope
from espace.integration import schemas as s
from espace.integration.operations import documents
from espace.integration.routes.common import (
    ERRORS,
    WRITE_ERRORS,
    Auth,
    CursorQ,
    IdemKey,
    IdPath,
    LimitQ,
    _document,
    _write,
    scope,
)

router = APIRouter()


# ----- documents ----------------------------------------------------------------------------------


@router.get("/documents", response_model=s.DocumentPage, responses=ERRORS, tags=["documents"])
def list_documents(
    authority: Annotated[Auth, Depends(scope("documents:read"))],
    cursor: CursorQ = None,
    limit: LimitQ = 50,
    holder_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    contract_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> s.DocumentPage:
    with session_scope() as db:
        found = documents.list_documents(
            session=db,
            authority=authority,
            cursor=cursor,
            limit=limit,
            holder_id=holder_id,
            contract_id=contract_id,
        )
        return s.DocumentPage(
            data=[_document(r) for r in found.rows], next_cursor=found.next_cursor
        )


@router.post(
    "/documents",
    status_code=201,
    response_model=s.DocumentOut,
    responses=WRITE_ERRORS,
    tags=["documents"],
)
def publish_document(
    request: Request,
    body: s.DocumentIn,
    authority: Annotated[Auth, Depends(scope("documents:write"))],
    key: IdemKey,
):
    """Publish a PDF to the holder's "Mes documents" (searchable; the holder is told)."""

    def run(db):
        row = documents.publish_document(session=db, authority=authority, data=body.model_dump())
        return _document(row), f"document:{row.id}"

    return _write(request, authority, key, body, 201, run)


@router.get(
    "/documents/{document_id}", response_model=s.DocumentOut, responses=ERRORS, tags=["documents"]
)
def get_document(
    request: Request,
    document_id: IdPath,
    authority: Annotated[Auth, Depends(scope("documents:read"))],
) -> s.DocumentOut:
    request.state.object_ref = f"document:{document_id}"
    with session_scope() as db:
        return _document(
            documents.get_document(session=db, authority=authority, document_id=document_id)
        )
