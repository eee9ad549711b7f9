"""The API's request and response bodies for claims (pydantic; the rules of ``schemas``: requests
forbid unknown fields, amounts are integer cents, dates ISO 8601)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from espace.integration.schemas import MAX_ID, PageOf, Strict


class ClaimItemIn(BaseModel):
    model_config = Strict
    description: str = Field(min_length=2, max_length=200)
    category: Literal[
        "furniture", "appliances", "clothing", "valuables", "building", "glass", "other"
    ]
    estimate_cents: int = Field(ge=1, le=100_000_000)


class ClaimIn(BaseModel):
    model_config = Strict
    contract_id: int = Field(ge=1, le=MAX_ID)
    peril: str = Field(min_length=1, max_length=24)
    occurred_at: datetime
    description: str = Field(min_length=10, max_length=4000)
    answers: dict[str, str] = Field(default_factory=dict, description="the peril's questions")
    items: list[ClaimItemIn] = Field(min_length=1, max_length=30)


class ClaimActionIn(BaseModel):
    model_config = Strict
    action: Literal[
        "appoint_expert",
        "plan_visit",
        "assess",
        "record_payment",
        "request_documents",
        "refuse",
        "close",
        "reopen",
    ]
    expert_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    visit_at: datetime | None = None
    note: str = Field(default="", max_length=300)
    damage_cents: int | None = Field(default=None, ge=0, le=100_000_000)
    reference: str = Field(default="", max_length=40)
    reason: str = Field(default="", max_length=1000)


class MessageIn(BaseModel):
    model_config = Strict
    body: str = Field(min_length=1, max_length=4000)


class ClaimEventOut(BaseModel):
    kind: str
    at: datetime
    detail: str
    next_step: str
    due_at: datetime | None


class ClaimFileOut(BaseModel):
    id: int
    kind: str
    filename: str
    mime_type: str
    size_bytes: int
    uploaded_at: datetime


class ClaimMessageOut(BaseModel):
    id: int
    from_holder: bool
    body: str
    created_at: datetime


class ClaimOut(BaseModel):
    id: int
    number: str | None
    holder_id: int
    contract_id: int
    status: str
    peril: str
    occurred_at: datetime | None
    declared_total_cents: int
    assessed_damage_cents: int | None
    indemnity_cents: int | None
    paid_cents: int
    payment_reference: str
    submitted_at: datetime | None
    closed_at: datetime | None


class ClaimDetailOut(ClaimOut):
    events: list[ClaimEventOut]
    files: list[ClaimFileOut]
    messages: list[ClaimMessageOut]


class ClaimPage(PageOf):
    data: list[ClaimOut]
