"""Renewals (one row per contract and anniversary: the claim that makes the job run once) and
cancellation requests with their supporting files."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from espace.core.models import utcnow


class ContractRenewal(SQLModel, table=True):
    """The renewal of a contract at one anniversary. Inserted first (unique per contract and
    anniversary), so two workers never renew the same year twice."""

    __tablename__ = "contract_renewal"
    __table_args__ = (UniqueConstraint("contract_id", "anniversary"),)

    id: int | None = Field(default=None, primary_key=True)
    contract_id: int = Field(foreign_key="contract.id", index=True)
    anniversary: date = Field(index=True)
    old_premium_cents: int = 0
    new_premium_cents: int = 0
    tariff_version: str = Field(default="", max_length=20)
    claims_counted: int = 0
    notice_sent_on: date | None = None
    chatel_deadline: date | None = None  # last day to refuse the renewal (loi Chatel)
    notice_document_id: int | None = Field(default=None, foreign_key="document.id")
    attestation_document_id: int | None = Field(default=None, foreign_key="document.id")
    attestation_claimed_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)


class CancellationGround(StrEnum):
    HAMON = "hamon"  # L113-15-2: any time after the first year, one month after notification
    CHATEL = "chatel"  # L113-15-1: at the anniversary, by the deadline of the annual notice
    MOVE = "move"  # L113-16: move, change of situation
    SALE = "sale"  # sale of the insured home (L121-10)
    OTHER = "other"  # other legal cases (death, increase of premium refused...)


class CancellationStatus(StrEnum):
    RECEIVED = "received"  # acknowledged; effective on ``effective_date``
    EFFECTIVE = "effective"  # the contract has ended
    REFUSED = "refused"  # a handler refused it (ground not proven): cover and debits restored


class Cancellation(SQLModel, table=True):
    __tablename__ = "cancellation"

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(max_length=24, unique=True)
    contract_id: int = Field(foreign_key="contract.id", index=True)
    holder_id: int = Field(foreign_key="policyholder.id", index=True)
    ground: str = Field(max_length=10)
    event_date: date | None = None  # the move, the sale... (grounds that have one)
    details: str = Field(default="", max_length=1000)
    new_insurer: dict = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False)
    )  # Hamon: name, address, contract number of the insurer taking over
    received_at: datetime = Field(default_factory=utcnow)
    effective_date: date  # first day without cover; the contract's end_date is the day before
    refund_cents: int = 0  # unearned premium refunded
    cancelled_debits: int = 0
    status: str = Field(default=CancellationStatus.RECEIVED, max_length=10, index=True)
    document_id: int | None = Field(default=None, foreign_key="document.id")
    account_id: int | None = Field(default=None, foreign_key="account.id")
    created_at: datetime = Field(default_factory=utcnow)
    # what the request changed (debits deleted, instalment reduced, attestations cut short), kept so
    # that a refusal restores exactly that
    changes: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    refused_at: datetime | None = None
    refused_by_staff_id: int | None = Field(default=None, foreign_key="staff_user.id")
    refusal_reason: str = Field(default="", max_length=1000)


class CancellationFile(SQLModel, table=True):
    """A supporting document of a cancellation (proof of the move, deed of sale...), checked like a
    claim's files and kept in private storage."""

    __tablename__ = "cancellation_file"

    id: int | None = Field(default=None, primary_key=True)
    cancellation_id: int = Field(foreign_key="cancellation.id", index=True)
    filename: str = Field(max_length=140)
    mime_type: str = Field(max_length=60)
    size_bytes: int
    storage_key: str = Field(max_length=80)
    sha256: str = Field(default="", max_length=64)
    uploaded_at: datetime = Field(default_factory=utcnow)
