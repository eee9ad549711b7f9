"""Claims (sinistres): the declaration, its items, files, dated stages, messages; the staff audit
log."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from espace.core.models import utcnow


class ClaimStatus(StrEnum):
    DRAFT = "draft"
    RECEIVED = "received"
    DOCUMENTS_REQUESTED = "documents_requested"
    EXPERT_APPOINTED = "expert_appointed"
    VISIT_PLANNED = "visit_planned"
    EXPERT_REPORT = "expert_report"
    INDEMNITY_COMPUTED = "indemnity_computed"
    PAYMENT_SENT = "payment_sent"
    CLOSED = "closed"
    REFUSED = "refused"


class ClaimFileKind(StrEnum):
    PHOTO = "photo"
    DOCUMENT = "document"  # any document the holder adds (quote, invoice, complaint...)
    QUOTE = "quote"
    INVOICE = "invoice"
    EXPERT_REPORT = "expert_report"
    CORRESPONDENCE = "correspondence"
    PAYMENT_PROOF = "payment_proof"
    ACCEPTANCE = "acceptance"  # the holder's signed acceptance of the settlement offer


class Claim(SQLModel, table=True):
    """A claim, from the first draft of its declaration to its closing."""

    # "the holder's open claims / drafts": one index for the filter the screens use.
    __table_args__ = (Index("ix_claim_holder_status", "holder_id", "status"),)

    id: int | None = Field(default=None, primary_key=True)
    number: str | None = Field(
        default=None, max_length=20, unique=True
    )  # SIN-2026-000123, set when sent
    holder_id: int = Field(foreign_key="policyholder.id", index=True)
    contract_id: int = Field(foreign_key="contract.id", index=True)
    declared_by_account_id: int | None = Field(default=None, foreign_key="account.id")
    status: str = Field(default=ClaimStatus.DRAFT, max_length=24, index=True)
    draft_step: int = 0  # where the wizard resumes
    peril: str = Field(default="", max_length=24, index=True)
    guarantee_category: str = Field(
        default="", max_length=30
    )  # set by staff when the peril does not say
    answers: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    description: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    occurred_at: datetime | None = None
    location_kind: str = Field(
        default="property", max_length=12
    )  # property | address | geolocation
    # A typed address (location_kind "address"); its postal code and town are checked.
    location_street: str = Field(default="", max_length=120)
    location_postal_code: str = Field(default="", max_length=5)
    location_town: str = Field(default="", max_length=80)
    latitude: float | None = None
    longitude: float | None = None
    location_accuracy_m: int | None = None
    declared_total_cents: int = 0
    declaration_deadline: date | None = None
    late_declaration: bool = False
    # Estimate shown to the holder before sending, kept as it was shown.
    estimate: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    handler_id: int | None = Field(default=None, foreign_key="staff_user.id", index=True)
    expert_id: int | None = Field(default=None, foreign_key="staff_user.id", index=True)
    visit_at: datetime | None = None
    visit_note: str = Field(default="", max_length=300)
    assessed_damage_cents: int | None = None
    ceiling_cents: int | None = None
    deductible_cents: int | None = None
    indemnity_cents: int | None = None
    paid_cents: int = 0  # what was transferred so far (a reopened claim only gets the balance)
    payment_reference: str = Field(default="", max_length=40)
    paid_at: datetime | None = None
    refusal_reason: str = Field(default="", max_length=1000)
    requested_documents: str = Field(default="", max_length=1000)
    express: bool = False
    express_reason: str = Field(default="", max_length=300)
    next_step_due_at: datetime | None = Field(
        default=None, index=True
    )  # when the current stage is late
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    submitted_at: datetime | None = Field(default=None, index=True)
    closed_at: datetime | None = None


class ClaimItem(SQLModel, table=True):
    """A damaged or stolen item declared by the holder."""

    __tablename__ = "claim_item"

    id: int | None = Field(default=None, primary_key=True)
    claim_id: int = Field(foreign_key="claim.id", index=True)
    description: str = Field(max_length=200)
    category: str = Field(max_length=20)
    purchase_date: date | None = None
    purchase_price_cents: int | None = None
    estimate_cents: int
    created_at: datetime = Field(default_factory=utcnow)


class ClaimFile(SQLModel, table=True):
    """A photo or document attached to a claim, stored privately."""

    __tablename__ = "claim_file"

    id: int | None = Field(default=None, primary_key=True)
    claim_id: int = Field(foreign_key="claim.id", index=True)
    kind: str = Field(max_length=20)
    filename: str = Field(max_length=120)
    mime_type: str = Field(max_length=60)
    size_bytes: int
    sha256: str = Field(max_length=64)
    storage_key: str = Field(max_length=80)
    thumbnail_key: str = Field(default="", max_length=80)
    uploaded_at: datetime = Field(default_factory=utcnow)
    uploaded_by_staff_id: int | None = Field(
        default=None, foreign_key="staff_user.id"
    )  # None: the holder
    # Read from the file itself: a photo's capture time (EXIF, before any stripping), the total of
    # an invoice or quote recognised from a PDF's text (shown to the holder to confirm).
    captured_at: datetime | None = None
    detected_amount_cents: int | None = None


class ClaimEvent(SQLModel, table=True):
    """A dated stage of a claim's life, as the holder sees it in the tracker."""

    __tablename__ = "claim_event"

    id: int | None = Field(default=None, primary_key=True)
    claim_id: int = Field(foreign_key="claim.id", index=True)
    kind: str = Field(
        max_length=24
    )  # a ClaimStatus value, or "reopened", "documents_added", "express"
    at: datetime = Field(default_factory=utcnow)
    detail: str = Field(default="", max_length=1000)  # shown to the holder
    next_step: str = Field(default="", max_length=300)
    due_at: datetime | None = None
    staff_id: int | None = Field(default=None, foreign_key="staff_user.id")


class ClaimMessage(SQLModel, table=True):
    """The thread between the holder and the claim's handler."""

    __tablename__ = "claim_message"

    id: int | None = Field(default=None, primary_key=True)
    claim_id: int = Field(foreign_key="claim.id", index=True)
    staff_id: int | None = Field(
        default=None, foreign_key="staff_user.id"
    )  # None: written by the holder
    body: str = Field(max_length=4000)
    created_at: datetime = Field(default_factory=utcnow)
    read_at: datetime | None = None  # by the other side


class StaffAuditLog(SQLModel, table=True):
    """Every staff action: who did what, on which object, when."""

    __tablename__ = "staff_audit_log"

    id: int | None = Field(default=None, primary_key=True)
    staff_id: int = Field(foreign_key="staff_user.id", index=True)
    action: str = Field(max_length=40)
    object_type: str = Field(max_length=20)
    object_id: int = Field(index=True)
    detail: str = Field(default="", max_length=1000)
    at: datetime = Field(default_factory=utcnow, index=True)


class SettlementOfferStatus(StrEnum):
    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    DISPUTED = "disputed"
    WITHDRAWN = "withdrawn"  # replaced by a newer offer


class SettlementOffer(SQLModel, table=True):
    """The insurer's offer after the assessment, broken down, accepted or disputed by the holder."""

    __tablename__ = "settlement_offer"

    id: int | None = Field(default=None, primary_key=True)
    claim_id: int = Field(foreign_key="claim.id", index=True)
    status: str = Field(default=SettlementOfferStatus.PROPOSED, max_length=10)
    damage_cents: int
    obsolescence_cents: int = 0  # vétusté
    deductible_cents: int
    ceiling_cents: int
    immediate_cents: int  # paid once accepted
    deferred_cents: int = 0  # new-for-old: paid on proof of replacement
    new_for_old: bool = False
    repair_in_kind_allowed: bool = False
    made_at: datetime = Field(default_factory=utcnow)
    made_by_staff_id: int | None = Field(default=None, foreign_key="staff_user.id")
    decided_at: datetime | None = None
    payment_choice: str = Field(default="", max_length=10)  # transfer | repair
    bank_account_id: int | None = Field(default=None, foreign_key="bank_account.id")
    iban_masked: str = Field(default="", max_length=40)
    dispute_reason: str = Field(default="", max_length=1000)
    dispute_action: str = Field(default="", max_length=20)  # complaint | counter_assessment
    complaint_id: int | None = Field(default=None, foreign_key="complaint.id")
    acceptance_file_id: int | None = Field(default=None, foreign_key="claim_file.id")


class VisitSlotStatus(StrEnum):
    OFFERED = "offered"
    CHOSEN = "chosen"
    DECLINED = "declined"  # another slot was chosen, or the holder asked for others
    CANCELLED = "cancelled"  # a chosen slot rescheduled by either side (with a reason)


class VisitSlot(SQLModel, table=True):
    """A time the expert (or the handler) offers for the visit; the holder picks one."""

    __tablename__ = "visit_slot"

    id: int | None = Field(default=None, primary_key=True)
    claim_id: int = Field(foreign_key="claim.id", index=True)
    starts_at: datetime = Field(index=True)
    status: str = Field(default=VisitSlotStatus.OFFERED, max_length=10)
    offered_by_staff_id: int | None = Field(default=None, foreign_key="staff_user.id")
    offered_at: datetime = Field(default_factory=utcnow)
    decided_at: datetime | None = None
    reason: str = Field(default="", max_length=300)  # why it was rescheduled
    reminder_sent_at: datetime | None = None


class AssistanceRequest(SQLModel, table=True):
    """An emergency request handled by the insurer's assistance provider (plumber, locksmith,
    glazier, emergency rehousing, guarding), within the contract's assistance guarantee."""

    __tablename__ = "assistance_request"

    id: int | None = Field(default=None, primary_key=True)
    holder_id: int = Field(foreign_key="policyholder.id", index=True)
    contract_id: int = Field(foreign_key="contract.id", index=True)
    claim_id: int | None = Field(default=None, foreign_key="claim.id", index=True)
    situation: str = Field(max_length=20)  # water_leak | break_in | fire | uninhabitable
    service: str = Field(max_length=12)  # plumber | locksmith | glazier | rehousing | guarding
    nights: int = 0  # rehousing only
    status: str = Field(default="requested", max_length=12)
    provider: str = Field(default="", max_length=40)
    provider_reference: str = Field(default="", max_length=40)
    scheduled_at: datetime | None = None
    completed_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class OfflineSubmission(SQLModel, table=True):
    """A declaration filled without network and sent later by the holder's device: the key the
    device generated for it, so that a retry (page, service worker, second tab) never creates a
    second claim."""

    __tablename__ = "offline_submission"
    __table_args__ = (UniqueConstraint("holder_id", "idempotency_key"),)

    id: int | None = Field(default=None, primary_key=True)
    holder_id: int = Field(foreign_key="policyholder.id", index=True)
    idempotency_key: str = Field(max_length=64)
    claim_id: int | None = Field(default=None, foreign_key="claim.id")
    created_at: datetime = Field(default_factory=utcnow)
