"""The API's request and response bodies (pydantic). Requests forbid unknown fields; amounts are
integer cents, dates ISO 8601. The claims' bodies are in ``claim_schemas``."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field

Strict = ConfigDict(extra="forbid")
MAX_ID = 2**31 - 1
Cursor = Field(default=None, max_length=200)


class Error(BaseModel):
    error: str = Field(description="machine code, e.g. not_found, invalid_input, forbidden")
    message: str = Field(description="French, for a person")
    fields: dict[str, str] = Field(default_factory=dict, description="French message by field")
    detail: list[dict] = Field(default_factory=list, description="validation errors (loc, msg)")


class PageOf(BaseModel):
    next_cursor: str | None = Field(description="pass as ?cursor= for the next page; null: done")


# ----- holders ------------------------------------------------------------------------------------


class HolderIn(BaseModel):
    model_config = Strict
    civility: Literal["M.", "Mme"]
    first_name: str = Field(min_length=1, max_length=100)
    last_name: str = Field(min_length=1, max_length=100)
    birth_date: date
    email: EmailStr
    phone: str = Field(default="", max_length=40, description="mobile, French by default")
    address_line1: str = Field(min_length=1, max_length=200)
    address_line2: str = Field(default="", max_length=200)
    postal_code: str = Field(min_length=5, max_length=5)
    city: str = Field(min_length=1, max_length=100)


class AddressIn(BaseModel):
    model_config = Strict
    line1: str = Field(min_length=1, max_length=200)
    line2: str = Field(default="", max_length=200)
    postal_code: str = Field(min_length=5, max_length=5)
    city: str = Field(min_length=1, max_length=100)


class HolderPatch(BaseModel):
    model_config = Strict
    email: EmailStr | None = None
    phone: str | None = Field(default=None, max_length=40)
    address: AddressIn | None = None


class HolderOut(BaseModel):
    id: int
    civility: str
    first_name: str
    last_name: str
    birth_date: date
    email: str
    phone: str
    address_line1: str
    address_line2: str
    postal_code: str
    city: str
    created_at: datetime


class HolderPage(PageOf):
    data: list[HolderOut]


class PropertyIn(BaseModel):
    model_config = Strict
    address_line1: str = Field(min_length=1, max_length=200)
    address_line2: str = Field(default="", max_length=200)
    postal_code: str = Field(min_length=5, max_length=5)
    city: str = Field(min_length=1, max_length=100)
    property_type: Literal["house", "flat"]
    rooms: int = Field(ge=1, le=20)
    surface_m2: int = Field(ge=9, le=1000)
    occupancy: Literal["owner", "tenant", "landlord"]
    floor: int | None = Field(default=None, ge=-5, le=200)
    construction_year: int | None = Field(default=None, ge=1000, le=2100)


class PropertyOut(BaseModel):
    id: int
    holder_id: int
    address_line1: str
    address_line2: str
    postal_code: str
    city: str
    property_type: str
    rooms: int
    surface_m2: int
    occupancy: str
    floor: int | None
    construction_year: int | None


class PropertyPage(PageOf):
    data: list[PropertyOut]


# ----- catalogue and contracts --------------------------------------------------------------------


class GuaranteeOut(BaseModel):
    code: str
    category: str
    name: str
    ceiling_cents: int | None
    deductible_kind: str
    deductible_value: int


class FormulaOut(BaseModel):
    code: str
    name: str
    tagline: str
    guarantees: list[GuaranteeOut]


class ContractIn(BaseModel):
    model_config = Strict
    holder_id: int = Field(ge=1, le=MAX_ID)
    property_id: int = Field(ge=1, le=MAX_ID)
    formula: str = Field(min_length=1, max_length=20, description="a formula code (/catalogue)")
    options: list[str] = Field(default_factory=list, max_length=10)
    furniture_capital_cents: int = Field(ge=300_000, le=30_000_000)
    deductible_cents: Literal[15_000, 30_000, 50_000, 100_000]
    start_date: date
    payment_frequency: Literal["monthly", "quarterly", "annual"] = "monthly"
    debit_day: Literal[5, 10, 15] = 5
    number: str | None = Field(
        default=None, pattern=r"^MRH[0-9]{7}$", description="the insurer's number, else assigned"
    )


class EndorsementIn(BaseModel):
    model_config = Strict
    effective_date: date
    formula: str | None = Field(default=None, min_length=1, max_length=20)
    options: list[str] | None = Field(default=None, max_length=10)
    furniture_capital_cents: int | None = Field(default=None, ge=300_000, le=30_000_000)
    deductible_cents: Literal[15_000, 30_000, 50_000, 100_000] | None = None


class TermsOut(BaseModel):
    effective_from: date
    formula: str
    furniture_capital_cents: int
    deductible_cents: int
    annual_premium_cents: int
    annual_tax_cents: int
    options: list[str]


class ContractOut(BaseModel):
    id: int
    number: str
    holder_id: int
    property_id: int
    formula: str
    status: str
    start_date: date
    end_date: date | None
    annual_premium_cents: int
    payment_frequency: str
    debit_day: int
    terms: list[TermsOut] = Field(default_factory=list)


class ContractPage(PageOf):
    data: list[ContractOut]


# ----- payments -----------------------------------------------------------------------------------


class PaymentOut(BaseModel):
    id: int
    contract_id: int
    holder_id: int
    due_date: date
    period_start: date
    period_end: date
    amount_cents: int
    status: str
    method: str
    paid_at: datetime | None
    rejected_at: datetime | None
    rejection_code: str
    rejection_reason: str


class PaymentPage(PageOf):
    data: list[PaymentOut]


class RefundOut(BaseModel):
    id: int
    reference: str
    holder_id: int
    contract_id: int
    origin: str
    origin_reference: str = Field(description="the cancellation it comes from (RES-...)")
    amount_cents: int
    bank_account_id: int | None
    iban_masked: str
    status: Literal["awaiting_bank", "to_pay", "sent", "paid", "cancelled"]
    created_at: datetime
    sent_at: datetime | None
    message_id: str = Field(description="the pain.001 it was sent in")
    paid_at: datetime | None
    paid_via: str
    paid_reference: str


class RefundPage(PageOf):
    data: list[RefundOut]


class RefundEventIn(BaseModel):
    model_config = Strict
    event: Literal["paid"]
    reference: str = Field(default="", max_length=40, description="the bank's reference")


class CreditTransferFile(BaseModel):
    message_id: str
    refund_ids: list[int]
    total_cents: int
    content_base64: str = Field(description="the pain.001.001.09 XML file")


class PaymentEventIn(BaseModel):
    model_config = Strict
    event: Literal["paid", "rejected", "refunded"]
    code: str = Field(default="", max_length=8, description="SEPA reason for a reject, e.g. AM04")
    reason: str = Field(default="", max_length=200)


# ----- documents ----------------------------------------------------------------------------------


class DocumentIn(BaseModel):
    model_config = Strict
    holder_id: int = Field(ge=1, le=MAX_ID)
    contract_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    kind: Literal["conditions", "avenant", "avis_echeance", "courrier", "attestation"]
    title: str = Field(min_length=3, max_length=200)
    reference: str = Field(default="", max_length=40)
    content_base64: str = Field(min_length=1, max_length=14_000_000, description="the PDF")


class DocumentOut(BaseModel):
    id: int
    holder_id: int
    contract_id: int | None
    kind: str
    title: str
    reference: str
    issued_at: datetime
    size_bytes: int
    sha256: str


class DocumentPage(PageOf):
    data: list[DocumentOut]


# ----- requests -----------------------------------------------------------------------------------


class RequestOut(BaseModel):
    id: str
    kind: str
    holder_id: int
    status: str
    created_at: datetime
    detail: str


class RequestList(BaseModel):
    data: list[RequestOut]


# ----- webhooks -----------------------------------------------------------------------------------


class EndpointIn(BaseModel):
    model_config = Strict
    url: str = Field(min_length=8, max_length=500, description="http(s) URL (https in production)")
    event_types: list[str] = Field(min_length=1, max_length=20)
    description: str = Field(default="", max_length=200)


class EndpointPatch(BaseModel):
    model_config = Strict
    url: str | None = Field(default=None, min_length=8, max_length=500)
    event_types: list[str] | None = Field(default=None, min_length=1, max_length=20)
    is_active: bool | None = None


class EndpointOut(BaseModel):
    id: int
    url: str
    event_types: list[str]
    description: str
    is_active: bool
    created_at: datetime


class EndpointCreated(EndpointOut):
    secret: str = Field(description="whsec_...: shown once, keep it to verify signatures")


class EndpointList(BaseModel):
    data: list[EndpointOut]


class EventTypeOut(BaseModel):
    type: str
    label: str


class AttemptOut(BaseModel):
    number: int
    at: datetime
    status_code: int | None
    error: str
    duration_ms: int


class DeliveryOut(BaseModel):
    id: int
    event_id: str
    event_type: str
    endpoint_id: int
    status: str
    attempts: int
    next_attempt_at: datetime | None
    delivered_at: datetime | None
    last_status_code: int | None
    last_error: str
    attempt_log: list[AttemptOut] = Field(default_factory=list)


class DeliveryPage(PageOf):
    data: list[DeliveryOut]


# ----- banking ------------------------------------------------------------------------------------


class ReturnsResult(BaseModel):
    message_type: str
    rejected: list[int] = Field(description="payments marked rejected by this file")
    already_rejected: list[int]
    unknown: list[str] = Field(description="end-to-end ids that match no payment")
    refunds_paid: list[int] = Field(default=[], description="refunds marked paid by this file")
    refunds_returned: list[int] = Field(
        default=[], description="refunds whose transfer was rejected or returned"
    )
