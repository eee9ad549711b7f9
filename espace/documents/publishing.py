"""Documents the insurer publishes to a holder's library (its systems, through the API): a PDF with
its kind, contract and title. It appears in "Mes documents", is searchable (the search index
follows the row) and the holder is told."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlmodel import Session, select

from espace import routes
from espace.contracts.models import Contract
from espace.core.models import utcnow
from espace.documents import library
from espace.documents.models import Document, DocumentKind
from espace.identity.models import Policyholder
from espace.notifications import notices
from espace.notifications.models import NotificationCategory

MAX_BYTES = 10 * 1024 * 1024
PUBLISHABLE = (
    DocumentKind.PARTICULAR_CONDITIONS,
    DocumentKind.AVENANT,
    DocumentKind.NOTICE,
    DocumentKind.LETTER,
    DocumentKind.ATTESTATION,
)


class PublishError(ValueError):
    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


def publish_pdf(
    *,
    session: Session,
    holder_id: int,
    kind: str,
    title: str,
    pdf: bytes,
    contract_id: int | None = None,
    reference: str = "",
    now: datetime | None = None,
) -> Document:
    if session.exec(select(Policyholder.id).where(Policyholder.id == holder_id)).first() is None:
        raise LookupError("holder")
    if kind not in PUBLISHABLE:
        raise PublishError(f"Type de document : {', '.join(k.value for k in PUBLISHABLE)}.", "kind")
    title = " ".join((title or "").split())
    if not 3 <= len(title) <= 200:
        raise PublishError("Titre de 3 à 200 caractères.", "title")
    if not pdf.startswith(b"%PDF-"):
        raise PublishError("Le fichier n'est pas un PDF.", "content")
    if len(pdf) > MAX_BYTES:
        raise PublishError("10 Mo au plus.", "content")
    if contract_id is not None:
        owned = session.exec(
            select(Contract.id).where(Contract.id == contract_id, Contract.holder_id == holder_id)
        ).first()
        if owned is None:
            raise PublishError("Ce contrat n'appartient pas à cet assuré.", "contract_id")
    document = Document(
        holder_id=holder_id,
        contract_id=contract_id,
        kind=kind,
        title=title,
        reference=(reference or f"PUB-{secrets.token_hex(4).upper()}")[:40],
        issued_at=now or utcnow(),
    )
    library.store_pdf(document, pdf)
    session.add(document)
    session.flush()
    notices.notify(
        session=session,
        holder_id=holder_id,
        category=NotificationCategory.DOCUMENTS,
        title=f"Nouveau document : {title}",
        link=routes.DOCUMENTS,
    )
    return document
