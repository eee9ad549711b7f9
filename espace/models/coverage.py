"""Changes of cover: saved premium simulations and endorsements (avenants)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from espace.models.base import utcnow


class Simulation(SQLModel, table=True):
    """A named premium simulation the holder saved to compare before deciding."""

    id: int | None = Field(default=None, primary_key=True)
    holder_id: int = Field(foreign_key="policyholder.id", index=True)
    contract_id: int = Field(foreign_key="contract.id", index=True)
    name: str = Field(max_length=60)
    inputs: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    lines: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    annual_premium_cents: int
    tariff_version: str = Field(max_length=20)
    created_at: datetime = Field(default_factory=utcnow)


class Endorsement(SQLModel, table=True):
    """An avenant: a change of the contract accepted online, effective from a date."""

    __table_args__ = (UniqueConstraint("contract_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    contract_id: int = Field(foreign_key="contract.id", index=True)
    number: int  # 1, 2, 3… per contract
    effective_date: date
    changes: list = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )  # [{label, before, after}]
    old_premium_cents: int
    new_premium_cents: int
    prorata_cents: int
    tariff_version: str = Field(max_length=20)
    accepted_by_account_id: int = Field(foreign_key="account.id")
    accepted_at: datetime = Field(default_factory=utcnow)
    consent_text: str = Field(max_length=500)
    document_id: int | None = Field(default=None, foreign_key="document.id")
