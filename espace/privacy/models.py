"""GDPR: consent history and privacy requests (access/portability export, erasure)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Field, SQLModel

from espace.core.models import utcnow

# The GDPR gives one month to answer a request (article 12.3).
REQUEST_DEADLINE = timedelta(days=30)


def _due() -> datetime:
    return utcnow() + REQUEST_DEADLINE


class Consent(SQLModel, table=True):
    """One row per change: the current choice is the latest row of each purpose (none: not
    granted)."""

    id: int | None = Field(default=None, primary_key=True)
    holder_id: int = Field(foreign_key="policyholder.id", index=True)
    purpose: str = Field(max_length=30)  # offers_email | offers_sms | partners
    granted: bool
    changed_at: datetime = Field(default_factory=utcnow)
    source: str = Field(default="espace", max_length=30)


class PrivacyRequest(SQLModel, table=True):
    """A data export or an erasure request, answered within a month."""

    __tablename__ = "privacy_request"

    id: int | None = Field(default=None, primary_key=True)
    holder_id: int = Field(foreign_key="policyholder.id", index=True)
    kind: str = Field(max_length=20)  # export | erasure
    status: str = Field(default="open", max_length=20)  # open | done
    created_at: datetime = Field(default_factory=utcnow)
    due_at: datetime = Field(default_factory=_due)
    completed_at: datetime | None = None
    note: str = Field(default="", max_length=1000)

    @property
    def overdue(self) -> bool:
        """Still open past the one-month deadline."""
        return self.status == "open" and self.due_at < utcnow()
