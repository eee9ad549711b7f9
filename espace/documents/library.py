"""The holder's document library: storage, text extraction, filters, downloads."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time

from pypdf import PdfReader
from sqlalchemy import func
from sqlmodel import Session, col, select

from espace.contracts.models import Contract, InsuredProperty
from espace.core import storage
from espace.core.formatting import PARIS
from espace.core.models import saved_id, utcnow
from espace.documents.models import Document, DocumentDownload, DocumentKind
from espace.identity.models import Account

KIND_LABELS = {
    DocumentKind.ATTESTATION: "Attestation",
    DocumentKind.CERTIFICATE: "Certificat de garanties",
    DocumentKind.RECEIPT: "Reçu de cotisation",
    DocumentKind.AVENANT: "Avenant",
    DocumentKind.MANDATE: "Mandat de prélèvement SEPA",
    DocumentKind.NOTICE: "Avis d'échéance",
    DocumentKind.PARTICULAR_CONDITIONS: "Conditions particulières",
    DocumentKind.GENERAL_CONDITIONS: "Conditions générales",
    DocumentKind.CLAIMS_HISTORY: "Relevé de sinistralité",
    DocumentKind.CANCELLATION: "Résiliation",
    DocumentKind.LETTER: "Courrier",
}
SORTS = {
    "date_desc": (col(Document.issued_at).desc(), col(Document.id).desc()),
    "date_asc": (col(Document.issued_at).asc(), col(Document.id).asc()),
    "amount_desc": (col(Document.amount_cents).desc(), col(Document.issued_at).desc()),
    "amount_asc": (col(Document.amount_cents).asc(), col(Document.issued_at).desc()),
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
            func.count(col(DocumentDownload.id)).label("count"),
        )
        .where(col(DocumentDownload.inline).is_(False))
        .group_by(col(DocumentDownload.document_id))
        .subquery()
    )
    query = (
        # SQLModel's select() is typed for up to 4 entities
        select(  # type: ignore[call-overload]
            Document, Contract.number, InsuredProperty.city, downloads.c.last, downloads.c.count
        )
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
        query = query.where(col(Document.amount_cents) >= filters.amount_min_cents)
    if filters.amount_max_cents is not None:
        query = query.where(col(Document.amount_cents) <= filters.amount_max_cents)
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


def content(
    *,
    session: Session,
    document: Document,
    render_missing: Callable[..., bytes | None] | None = None,
) -> bytes:
    """The file. Documents produced on demand (receipts) have none until first opened: the caller
    passes their renderer (``billing.receipts.render_missing``); the file is then stored."""
    if storage.exists(document.storage_key):
        return storage.get(document.storage_key)
    pdf = render_missing(session=session, document=document) if render_missing else None
    if pdf is None:
        raise FileNotFoundError(document.id)
    store_pdf(document, pdf)
    session.add(document)
    return storage.get(document.storage_key)


def record_download(
    *, session: Session, document: Document, account: Account, inline: bool, ip: str = ""
) -> None:
    session.add(
        DocumentDownload(
            document_id=saved_id(document),
            account_id=saved_id(account),
            inline=inline,
            ip_address=ip[:45],
            downloaded_at=utcnow(),
        )
    )
