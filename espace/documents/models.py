"""Documents of a holder (generated, contractual, receipts, uploads), downloads."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from espace.core.models import utcnow


class DocumentKind(StrEnum):
    ATTESTATION = "attestation"
    CERTIFICATE = "certificate"
    RECEIPT = "receipt"
    AVENANT = "avenant"
    MANDATE = "mandate"  # mandat de prélèvement SEPA
    NOTICE = "avis_echeance"  # avis d'échéance (annual notice, with the loi Chatel mention)
    # conditions particulières: issued at subscription and at each endorsement, or published by the
    # insurer's systems (the API's kind "conditions")
    PARTICULAR_CONDITIONS = "conditions"
    GENERAL_CONDITIONS = "conditions_gen"  # conditions générales of the contract's version
    CLAIMS_HISTORY = "releve_sinistres"  # relevé de sinistralité (last 5 years)
    CANCELLATION = "resiliation"  # accusé de réception d'une demande de résiliation
    LETTER = "courrier"  # a letter from the insurer


class Document(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    holder_id: int = Field(foreign_key="policyholder.id", index=True)
    contract_id: int | None = Field(default=None, foreign_key="contract.id", index=True)
    payment_id: int | None = Field(default=None, foreign_key="payment.id", unique=True)
    kind: str = Field(max_length=20, index=True)
    title: str = Field(max_length=200)
    reference: str = Field(max_length=40, index=True)
    issued_at: datetime = Field(default_factory=utcnow, index=True)
    period_start: date | None = None
    period_end: date | None = None
    amount_cents: int | None = None
    guarantee_category: str = Field(default="", max_length=30)
    # Private storage (never Reflex's public upload folder); empty until first rendered.
    storage_key: str = Field(default="", max_length=80)
    mime_type: str = Field(default="application/pdf", max_length=60)
    size_bytes: int = 0
    sha256: str = Field(default="", max_length=64)
    text_content: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    created_at: datetime = Field(default_factory=utcnow)


class DocumentDownload(SQLModel, table=True):
    __tablename__ = "document_download"

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True)
    account_id: int = Field(foreign_key="account.id")
    downloaded_at: datetime = Field(default_factory=utcnow)
    inline: bool = False  # preview rather than download
    ip_address: str = Field(default="", max_length=45)
