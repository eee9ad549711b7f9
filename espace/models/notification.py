"""In-app notifications (the bell), one row per message to a holder."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from espace.models.base import utcnow


class NotificationCategory(StrEnum):
    CLAIMS = "claims"
    PAYMENTS = "payments"
    DOCUMENTS = "documents"
    SECURITY = "security"
    PREVENTION = "prevention"
    OFFERS = "offers"


class Notification(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    holder_id: int = Field(foreign_key="policyholder.id", index=True)
    category: str = Field(max_length=20)
    title: str = Field(max_length=200)
    body: str = Field(default="", max_length=1000)
    link: str = Field(default="", max_length=200)  # an internal page, e.g. /sinistre?n=SIN-2026-000123
    created_at: datetime = Field(default_factory=utcnow, index=True)
    read_at: datetime | None = None
