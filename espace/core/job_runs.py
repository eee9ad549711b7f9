"""Runs of the periodic jobs (espace/core/jobs.py): one row per job and period, claimed by the
worker that runs it, so that two workers never run the same job twice for the same period."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from espace.core.models import utcnow


class JobRun(SQLModel, table=True):
    __tablename__ = "job_run"
    __table_args__ = (UniqueConstraint("name", "period", name="uq_job_run_name_period"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=40)  # the job, e.g. "remind-debits"
    period: str = Field(
        max_length=20
    )  # e.g. "2026-12-06" (a day in Paris) or "2026-12-06T05" (an hour)
    status: str = Field(default="running", max_length=10)  # running | done | failed
    attempts: int = 1
    worker: str = Field(default="", max_length=100)  # host:pid of the worker that ran it last
    started_at: datetime = Field(default_factory=utcnow)
    finished_at: datetime | None = None
    result: str = Field(default="", max_length=200)  # what it did ("12") or the error
