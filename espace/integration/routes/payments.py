"""Payments, refunds owed to holders and the SEPA files (tag ``payments``)."""

from __future__ import annotations

import base64
import hashlib
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from espace.core.db import session_scope
from espace.integration import banking
from espace.integration import schemas as s
from espace.integration.operations import payments
from espace.integration.operations.common import OperationError
from espace.integration.routes.common import (
    ERRORS,
    WRITE_ERRORS,
    Auth,
    CursorQ,
    IdemKey,
    IdPath,
    LimitQ,
    _payment,
    _refund,
    _write,
    scope,
)

router = APIRouter()


# ----- payments -----------------------------------------------------------------------------------


@router.get("/payments", response_model=s.PaymentPage, responses=ERRORS, tags=["payments"])
def list_payments(
    authority: Annotated[Auth, Depends(scope("payments:read"))],
    cursor: CursorQ = None,
    limit: LimitQ = 50,
    contract_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    status: Annotated[
        str | None, Query(pattern="^(scheduled|paid|rejected|regularised|processing|refunded)$")
    ] = None,
) -> s.PaymentPage:
    with session_scope() as db:
        found = payments.list_payments(
            session=db,
            authority=authority,
            cursor=cursor,
            limit=limit,
            contract_id=contract_id,
            status=status,
        )
        return s.PaymentPage(data=[_payment(r) for r in found.rows], next_cursor=found.next_cursor)


@router.get(
    "/payments/{payment_id}", response_model=s.PaymentOut, responses=ERRORS, tags=["payments"]
)
def get_payment(
    request: Request,
    payment_id: IdPath,
    authority: Annotated[Auth, Depends(scope("payments:read"))],
) -> s.PaymentOut:
    request.state.object_ref = f"payment:{payment_id}"
    with session_scope() as db:
        return _payment(
            payments.get_payment(session=db, authority=authority, payment_id=payment_id)
        )


@router.post(
    "/payments/{payment_id}/events",
    response_model=s.PaymentOut,
    responses=WRITE_ERRORS,
    tags=["payments"],
)
def payment_event(
    request: Request,
    payment_id: IdPath,
    body: s.PaymentEventIn,
    authority: Annotated[Auth, Depends(scope("payments:write"))],
    key: IdemKey,
):
    def run(db):
        row = payments.payment_event(
            session=db,
            authority=authority,
            payment_id=payment_id,
            kind=body.event,
            code=body.code,
            reason=body.reason,
        )
        return _payment(row), f"payment:{row.id}"

    return _write(request, authority, key, body, 200, run)


# ----- refunds owed to holders --------------------------------------------------------------------


@router.get("/refunds", response_model=s.RefundPage, responses=ERRORS, tags=["payments"])
def list_refunds(
    authority: Annotated[Auth, Depends(scope("payments:read"))],
    cursor: CursorQ = None,
    limit: LimitQ = 50,
    holder_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    status: Annotated[
        str | None, Query(pattern="^(awaiting_bank|to_pay|sent|paid|cancelled)$")
    ] = None,
) -> s.RefundPage:
    """Refunds owed to holders (the unearned premium of a cancelled contract)."""
    with session_scope() as db:
        found = payments.list_refunds(
            session=db,
            authority=authority,
            cursor=cursor,
            limit=limit,
            holder_id=holder_id,
            status=status,
        )
        return s.RefundPage(data=[_refund(r) for r in found.rows], next_cursor=found.next_cursor)


@router.get("/refunds/{refund_id}", response_model=s.RefundOut, responses=ERRORS, tags=["payments"])
def get_refund(
    request: Request,
    refund_id: IdPath,
    authority: Annotated[Auth, Depends(scope("payments:read"))],
) -> s.RefundOut:
    request.state.object_ref = f"refund:{refund_id}"
    with session_scope() as db:
        return _refund(payments.get_refund(session=db, authority=authority, refund_id=refund_id))


@router.post(
    "/refunds/{refund_id}/events",
    response_model=s.RefundOut,
    responses=WRITE_ERRORS,
    tags=["payments"],
)
def refund_event(
    request: Request,
    refund_id: IdPath,
    body: s.RefundEventIn,
    authority: Annotated[Auth, Depends(scope("payments:write"))],
    key: IdemKey,
):
    """The bank or the core system confirms the refund paid: the holder is told, "refund.paid"."""

    def run(db):
        row = payments.refund_event(
            session=db,
            authority=authority,
            refund_id=refund_id,
            kind=body.event,
            reference=body.reference,
        )
        return _refund(row), f"refund:{row.id}"

    return _write(request, authority, key, body, 200, run)


class FileDigest(BaseModel):
    sha256: str


# ----- banking files ------------------------------------------------------------------------------


@router.get(
    "/banking/direct-debits",
    responses={**ERRORS, 200: {"content": {"application/xml": {}}, "description": "pain.008"}},
    response_class=Response,
    tags=["payments"],
)
def direct_debits(
    request: Request,
    authority: Annotated[Auth, Depends(scope("payments:read"))],
    start: Annotated[date, Query(alias="from")],
    end: Annotated[date, Query(alias="to")],
) -> Response:
    """The pain.008.001.08 collection file of the debits due in the period (3 months at most)."""
    with session_scope() as db:
        try:
            collection = banking.export_direct_debits(session=db, start=start, end=end)
        except banking.BankFileError as error:
            raise OperationError({"period": str(error)}) from None
    request.state.object_ref = f"pain.008:{collection.message_id}"[:80]
    return Response(
        collection.xml,
        media_type="application/xml",
        headers={"Content-Disposition": f'attachment; filename="{collection.message_id}.xml"'},
    )


@router.post(
    "/banking/credit-transfers",
    response_model=s.CreditTransferFile,
    responses=WRITE_ERRORS,
    tags=["payments"],
)
def credit_transfers(
    request: Request,
    authority: Annotated[Auth, Depends(scope("payments:write"))],
    key: IdemKey,
):
    """The pain.001.001.09 credit transfer file of every refund to pay; the refunds in it are
    marked "sent". Retried with the same Idempotency-Key, the same file comes back."""

    def run(db):
        try:
            transfers = banking.export_refunds(session=db)
        except banking.BankFileError as error:
            raise OperationError({"refunds": str(error)}) from None
        body = s.CreditTransferFile(
            message_id=transfers.message_id,
            refund_ids=transfers.refund_ids,
            total_cents=transfers.total_cents,
            content_base64=base64.b64encode(transfers.xml).decode(),
        )
        return body, f"pain.001:{transfers.message_id}"[:80]

    return _write(request, authority, key, None, 200, run)


@router.post(
    "/banking/returns",
    response_model=s.ReturnsResult,
    responses=WRITE_ERRORS,
    tags=["payments"],
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/xml": {"schema": {"type": "string"}}},
        }
    },
)
async def bank_returns(
    request: Request,
    authority: Annotated[Auth, Depends(scope("payments:write"))],
    key: IdemKey,
):
    """Import a pain.002 or camt.054 file: rejected debits are marked and their holders told."""
    xml = await request.body()
    body = FileDigest(sha256=hashlib.sha256(xml).hexdigest())

    def run(db):
        try:
            result = banking.import_returns(session=db, xml=xml)
        except banking.BankFileError as error:
            raise OperationError({"file": str(error)}) from None
        return s.ReturnsResult(**result.__dict__), f"bank-file:{body.sha256[:16]}"

    return await run_in_threadpool(_write, request, authority, key, body, 200, run)
