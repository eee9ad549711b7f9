"""Each holder's dashboard layout (widgets, order, width)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from espace.core.models import utcnow


class DashboardLayout(SQLModel, table=True):
    """A holder's dashboard: the widgets in order, each one or two columns wide."""

    __tablename__ = "dashboard_layout"

    id: int | None = Field(default=None, primary_key=True)
    holder_id: int = Field(foreign_key="policyholder.id", unique=True)
    widgets: list = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )  # [{"id": "claims", "size": 2}]
    updated_at: datetime = Field(default_factory=utcnow)
