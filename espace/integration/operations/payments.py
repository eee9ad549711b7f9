"""Payments (debit results) and refunds owed to holders."""

from __future__ import annotations

from sqlmodel import Session, select

from espace.billing import debit_results, refunds
from espace.billing.models import Payment, PremiumRefund
from espace.integration.operations.common import OperationError, Page, _field_error, page, require

# ----- payments -----------------------------------------------------------------------------------


def list_payments(
    *, session: Session, authority, cursor=None, limit=50, contract_id=None, status=None
) -> Page:
    require(authority, "payments:read")
    query = select(Payment)
    if contract_id is not None:
        query = query.where(Payment.contract_id == contract_id)
    if status:
        query = query.where(Payment.status == status)
    return page(session, query, Payment, cursor=cursor, limit=limit)


def get_payment(*, session: Session, authority, payment_id: int) -> Payment:
    require(authority, "payments:read")
    payment = session.get(Payment, payment_id)
    if payment is None:
        raise LookupError("payment")
    return payment


def payment_event(
    *, session: Session, authority, payment_id: int, kind: str, code: str = "", reason: str = ""
) -> Payment:
    require(authority, "payments:write")
    try:
        if kind == "paid":
            payment, _ = debit_results.mark_paid(session=session, payment_id=payment_id)
        elif kind == "rejected":
            payment, _ = debit_results.reject(
                session=session, payment_id=payment_id, code=code, reason=reason, source="api"
            )
        elif kind == "refunded":
            payment, _ = debit_results.refund(session=session, payment_id=payment_id)
        else:
            raise OperationError({"event": "Événement : paid, rejected ou refunded."})
    except debit_results.DebitResultError as error:
        raise _field_error(error) from None
    return payment


# ----- refunds owed to holders --------------------------------------------------------------------


def list_refunds(
    *, session: Session, authority, cursor=None, limit=50, holder_id=None, status=None
) -> Page:
    require(authority, "payments:read")
    query = select(PremiumRefund)
    if holder_id is not None:
        query = query.where(PremiumRefund.holder_id == holder_id)
    if status:
        query = query.where(PremiumRefund.status == status)
    return page(session, query, PremiumRefund, cursor=cursor, limit=limit)


def get_refund(*, session: Session, authority, refund_id: int) -> PremiumRefund:
    require(authority, "payments:read")
    refund = session.get(PremiumRefund, refund_id)
    if refund is None:
        raise LookupError("refund")
    return refund


def refund_event(
    *, session: Session, authority, refund_id: int, kind: str, reference: str = ""
) -> PremiumRefund:
    """The core system or the bank confirms a refund paid (by a SEPA file or another transfer)."""
    require(authority, "payments:write")
    if kind != "paid":
        raise OperationError({"event": "Événement : paid."})
    try:
        refund, _ = refunds.mark_paid(
            session=session, refund_id=refund_id, via="sepa", reference=reference
        )
    except refunds.RefundError as error:
        raise _field_error(error) from None
    return refund
