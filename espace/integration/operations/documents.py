"""Documents published to the holders' libraries."""

from __future__ import annotations

import base64
import binascii

from sqlmodel import Session, select

from espace.documents import publishing
from espace.documents.models import Document
from espace.integration.operations.common import OperationError, Page, _field_error, page, require

# ----- documents ----------------------------------------------------------------------------------


def list_documents(
    *, session: Session, authority, cursor=None, limit=50, holder_id=None, contract_id=None
) -> Page:
    require(authority, "documents:read")
    query = select(Document)
    if holder_id is not None:
        query = query.where(Document.holder_id == holder_id)
    if contract_id is not None:
        query = query.where(Document.contract_id == contract_id)
    return page(session, query, Document, cursor=cursor, limit=limit)


def get_document(*, session: Session, authority, document_id: int) -> Document:
    require(authority, "documents:read")
    document = session.get(Document, document_id)
    if document is None:
        raise LookupError("document")
    return document


def publish_document(*, session: Session, authority, data: dict) -> Document:
    require(authority, "documents:write")
    try:
        pdf = base64.b64decode(data["content_base64"], validate=True)
    except (binascii.Error, ValueError):
        raise OperationError({"content_base64": "Contenu base64 invalide."}) from None
    try:
        return publishing.publish_pdf(
            session=session,
            holder_id=data["holder_id"],
            contract_id=data.get("contract_id"),
            kind=data["kind"],
            title=data["title"],
            pdf=pdf,
            reference=data.get("reference") or "",
        )
    except publishing.PublishError as error:
        raise _field_error(error) from None
