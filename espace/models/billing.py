"""Premium payments (the schedule and its history build on this)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from espace.models.base import utcnow


class PaymentStatus(StrEnum):
    SCHEDULED = "scheduled"  # à venir
    PAID = "paid"  # payé
    REJECTED = "rejected"  # rejeté
    REGULARISED = "regularised"  # régularisé


class PaymentMethod(StrEnum):
    SEPA_DEBIT = "sepa_debit"
    CARD = "card"
    TRANSFER = "transfer"


class Payment(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    contract_id: int = Field(foreign_key="contract.id", index=True)
    holder_id: int = Field(foreign_key="policyholder.id", index=True)
    due_date: date = Field(index=True)
    period_start: date
    period_end: date
    amount_cents: int  # all taxes included
    tax_cents: int
    status: str = Field(default=PaymentStatus.SCHEDULED, max_length=12, index=True)
    method: str = Field(default=PaymentMethod.SEPA_DEBIT, max_length=12)
    paid_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)
