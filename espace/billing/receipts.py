"""Premium receipts: one per paid instalment in the holder's library, rendered when first opened."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from espace.billing.models import Payment, PaymentStatus
from espace.contracts.certificates import document_cover
from espace.contracts.models import Contract
from espace.core import formatting as fmt
from espace.core.models import today_paris, utcnow
from espace.documents.addresses import holder_lines, property_lines
from espace.documents.models import Document, DocumentKind
from espace.documents.pdf.data import ReceiptData
from espace.identity.models import Policyholder

METHOD_LABELS = {"sepa_debit": "Prélèvement SEPA", "card": "Carte bancaire", "transfer": "Virement"}


def period_label(payment: Payment) -> str:
    if payment.period_start.day == 1 and (payment.period_end - payment.period_start).days < 31:
        return fmt.month_fr(payment.period_start).capitalize()
    return f"du {fmt.date_fr(payment.period_start)} au {fmt.date_fr(payment.period_end)}"


def receipt_data(
    *, session: Session, payment: Payment, reference: str, issued_on: date
) -> ReceiptData:
    contract = session.get(Contract, payment.contract_id)
    holder = session.get(Policyholder, contract.holder_id)
    cover = document_cover(
        session, contract, payment.period_start
    )  # the terms of the period paid for
    name, address = holder_lines(holder)
    return ReceiptData(
        reference=reference,
        issued_on=fmt.date_fr(issued_on),
        holder_name=name,
        holder_address=address,
        contract_number=contract.number,
        formula=cover.formula_name,
        property_address=property_lines(cover.version),
        period=period_label(payment),
        due_date=fmt.date_fr(payment.due_date),
        paid_on=fmt.date_fr(payment.paid_at),
        method=METHOD_LABELS.get(payment.method, payment.method),
        amount_excl_tax=fmt.money(payment.amount_cents - payment.tax_cents),
        tax=fmt.money(payment.tax_cents),
        amount=fmt.money(payment.amount_cents),
    )


def register_receipt(*, session: Session, payment: Payment) -> Document:
    """A paid payment gets its receipt in the library (rendered when first opened)."""
    existing = session.exec(select(Document).where(Document.payment_id == payment.id)).first()
    if existing is not None:
        return existing
    contract = session.get(Contract, payment.contract_id)
    document = Document(
        holder_id=payment.holder_id,
        contract_id=contract.id,
        payment_id=payment.id,
        kind=DocumentKind.RECEIPT,
        reference=f"REC-{payment.due_date.year}-{payment.id:06d}",
        title=f"Reçu de cotisation — {contract.number}",
        issued_at=payment.paid_at or utcnow(),
        period_start=payment.period_start,
        period_end=payment.period_end,
        amount_cents=payment.amount_cents,
    )
    session.add(document)
    return document


def register_paid_receipts(*, session: Session, holder_id: int | None = None) -> int:
    query = select(Payment).where(
        Payment.status.in_([PaymentStatus.PAID, PaymentStatus.REGULARISED])
    )
    if holder_id is not None:
        query = query.where(Payment.holder_id == holder_id)
    count = 0
    for payment in session.exec(query).all():
        register_receipt(session=session, payment=payment)
        count += 1
    session.flush()
    return count


def render_missing(*, session: Session, document: Document) -> bytes | None:
    """A receipt is rendered when first opened (``library.content(render_missing=...)``); None for
    any other document, whose file is stored when it is issued."""
    if document.kind != DocumentKind.RECEIPT or not document.payment_id:
        return None
    from espace.documents.pdf.receipt import render_receipt

    payment = session.get(Payment, document.payment_id)
    return render_receipt(
        receipt_data(
            session=session,
            payment=payment,
            reference=document.reference,
            issued_on=today_paris(),
        )
    )
