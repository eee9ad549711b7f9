"""The holder's document library: storage, text extraction, filters, downloads."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime, time

from pypdf import PdfReader
from sqlalchemy import func
from sqlmodel import Session, select

from espace.formatting import PARIS
from espace.models import (
    Account,
    Contract,
    Document,
    DocumentDownload,
    DocumentKind,
    InsuredProperty,
    Payment,
    PaymentStatus,
)
from espace.models.base import today_paris, utcnow
from espace.services import storage

KIND_LABELS = {
    DocumentKind.ATTESTATION: "Attestation",
    DocumentKind.CERTIFICATE: "Certificat de garanties",
    DocumentKind.RECEIPT: "Reçu de cotisation",
    DocumentKind.AVENANT: "Avenant",
    DocumentKind.MANDATE: "Mandat de prélèvement SEPA",
}
SORTS = {
    "date_desc": (Document.issued_at.desc(), Document.id.desc()),
    "date_asc": (Document.issued_at.asc(), Document.id.asc()),
    "amount_desc": (Document.amount_cents.desc(), Document.issued_at.desc()),
    "amount_asc": (Document.amount_cents.asc(), Document.issued_at.desc()),
}


def extract_text(pdf: bytes) -> str:
    """Text of a PDF, for search (empty when it has none)."""
    try:
        reader = PdfReader(io.BytesIO(pdf))
        return "\n".join((page.extract_text() or "") for page in reader.pages)[:200_000]
    except Exception:  # noqa: BLE001 - an unreadable upload simply has no text
        return ""


def store_pdf(document: Document, pdf: bytes) -> None:
    key, sha = storage.put(pdf, extension="pdf")
    document.storage_key, document.sha256, document.size_bytes = key, sha, len(pdf)
    document.mime_type = "application/pdf"
    document.text_content = extract_text(pdf)


@dataclass(frozen=True)
class DocumentFilters:
    kind: str = ""
    contract_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    amount_min_cents: int | None = None
    amount_max_cents: int | None = None
    guarantee_category: str = ""
    sort: str = "date_desc"


@dataclass(frozen=True)
class DocumentRow:
    id: int
    kind: str
    title: str
    reference: str
    issued_at: datetime
    period_start: date | None
    period_end: date | None
    amount_cents: int | None
    contract_number: str
    property_label: str
    guarantee_category: str
    last_download_at: datetime | None
    download_count: int


def list_documents(
    *,
    session: Session,
    holder_id: int,
    filters: DocumentFilters = DocumentFilters(),
    limit: int = 500,
) -> list[DocumentRow]:
    downloads = (
        select(
            DocumentDownload.document_id,
            func.max(DocumentDownload.downloaded_at).label("last"),
            func.count(DocumentDownload.id).label("count"),
        )
        .where(DocumentDownload.inline.is_(False))
        .group_by(DocumentDownload.document_id)
        .subquery()
    )
    query = (
        select(Document, Contract.number, InsuredProperty.city, downloads.c.last, downloads.c.count)
        .outerjoin(Contract, Contract.id == Document.contract_id)
        .outerjoin(InsuredProperty, InsuredProperty.id == Contract.property_id)
        .outerjoin(downloads, downloads.c.document_id == Document.id)
        .where(Document.holder_id == holder_id)
    )
    if filters.kind:
        query = query.where(Document.kind == filters.kind)
    if filters.contract_id:
        query = query.where(Document.contract_id == filters.contract_id)
    if filters.date_from:
        query = query.where(
            Document.issued_at >= datetime.combine(filters.date_from, time.min, tzinfo=PARIS)
        )
    if filters.date_to:
        query = query.where(
            Document.issued_at <= datetime.combine(filters.date_to, time.max, tzinfo=PARIS)
        )
    if filters.amount_min_cents is not None:
        query = query.where(Document.amount_cents >= filters.amount_min_cents)
    if filters.amount_max_cents is not None:
        query = query.where(Document.amount_cents <= filters.amount_max_cents)
    if filters.guarantee_category:
        query = query.where(Document.guarantee_category == filters.guarantee_category)
    query = query.order_by(*SORTS.get(filters.sort, SORTS["date_desc"])).limit(limit)
    return [
        DocumentRow(
            id=doc.id,
            kind=doc.kind,
            title=doc.title,
            reference=doc.reference,
            issued_at=doc.issued_at,
            period_start=doc.period_start,
            period_end=doc.period_end,
            amount_cents=doc.amount_cents,
            contract_number=number or "",
            property_label=city or "",
            guarantee_category=doc.guarantee_category,
            last_download_at=last,
            download_count=count or 0,
        )
        for doc, number, city, last, count in session.exec(query).all()
    ]


def owned_document(*, session: Session, holder_id: int, document_id: int) -> Document | None:
    """The document if it belongs to this holder; None for another holder's id or an unknown one."""
    return session.exec(
        select(Document).where(Document.id == document_id, Document.holder_id == holder_id)
    ).first()


def content(*, session: Session, document: Document) -> bytes:
    """The file, rendered on first use for documents that are produced on demand (receipts)."""
    if storage.exists(document.storage_key):
        return storage.get(document.storage_key)
    if document.kind == DocumentKind.RECEIPT and document.payment_id:
        from espace.pdf.receipt import render_receipt
        from espace.services.document_data import receipt_data

        payment = session.get(Payment, document.payment_id)
        store_pdf(
            document,
            render_receipt(
                receipt_data(
                    session=session,
                    payment=payment,
                    reference=document.reference,
                    issued_on=today_paris(),
                )
            ),
        )
        session.add(document)
        return storage.get(document.storage_key)
    raise FileNotFoundError(document.id)


def record_download(
    *, session: Session, document: Document, account: Account, inline: bool, ip: str = ""
) -> None:
    session.add(
        DocumentDownload(
            document_id=document.id,
            account_id=account.id,
            inline=inline,
            ip_address=ip[:45],
            downloaded_at=utcnow(),
        )
    )


def issue_certificate(
    *, session: Session, holder_id: int, contract_id: int, today: date | None = None
) -> Document:
    from espace.pdf.certificate import render_certificate
    from espace.services.document_data import certificate_data

    contract = session.exec(
        select(Contract).where(Contract.id == contract_id, Contract.holder_id == holder_id)
    ).first()
    if contract is None:
        raise LookupError("contract")
    today = today or today_paris()
    reference = f"CERT-{today.year}-{contract.number[3:]}-{today.strftime('%m%d')}"
    document = Document(
        holder_id=holder_id,
        contract_id=contract.id,
        kind=DocumentKind.CERTIFICATE,
        title=f"Certificat de garanties — {contract.number}",
        reference=reference,
    )
    store_pdf(
        document,
        render_certificate(
            certificate_data(
                session=session, contract=contract, reference=reference, issued_on=today
            )
        ),
    )
    session.add(document)
    session.flush()
    return document


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
