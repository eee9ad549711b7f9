"""Support: secure message threads with the insurer's advisers, the assistant's escalations, article
feedback."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Column, Text, UniqueConstraint, false
from sqlmodel import Field, SQLModel

from espace.core.models import utcnow


class ThreadCategory(StrEnum):
    CONTRACT = "contract"
    CLAIM = "claim"
    PAYMENT = "payment"
    OTHER = "other"


class ThreadStatus(StrEnum):
    OPEN = "open"  # the insurer has to answer
    WAITING = "waiting"  # waiting for the holder ("en attente de votre réponse")
    RESOLVED = "resolved"


class MessageAuthor(StrEnum):
    HOLDER = "holder"
    STAFF = "staff"
    ASSISTANT = "assistant"  # the assistant's conversation carried into a thread at escalation


class SupportThread(SQLModel, table=True):
    """A conversation between a holder and the insurer's advisers."""

    __tablename__ = "support_thread"

    id: int | None = Field(default=None, primary_key=True)
    holder_id: int = Field(foreign_key="policyholder.id", index=True)
    subject: str = Field(max_length=120)
    category: str = Field(max_length=12)  # a ThreadCategory value
    contract_id: int | None = Field(default=None, foreign_key="contract.id")
    claim_id: int | None = Field(default=None, foreign_key="claim.id")
    status: str = Field(default=ThreadStatus.OPEN, max_length=10, index=True)
    origin: str = Field(default="portal", max_length=10)  # portal | assistant
    created_at: datetime = Field(default_factory=utcnow)
    last_message_at: datetime = Field(default_factory=utcnow, index=True)
    # While the insurer owes an answer: when it is due (response-time target); None otherwise.
    reply_due_at: datetime | None = Field(default=None, index=True)
    first_reply_at: datetime | None = None  # first staff answer, for response-time figures
    assigned_staff_id: int | None = Field(default=None, foreign_key="staff_user.id", index=True)
    holder_read_at: datetime | None = None
    staff_read_at: datetime | None = None
    resolved_at: datetime | None = None
    rating: int | None = None  # 1..5, given by the holder once the thread is resolved
    rating_comment: str = Field(default="", max_length=1000)
    rated_at: datetime | None = None


class SupportMessage(SQLModel, table=True):
    __tablename__ = "support_message"

    id: int | None = Field(default=None, primary_key=True)
    thread_id: int = Field(foreign_key="support_thread.id", index=True)
    author: str = Field(max_length=10)  # a MessageAuthor value
    staff_id: int | None = Field(default=None, foreign_key="staff_user.id")
    body: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
    # Part of the assistant conversation carried into the thread at hand-over (not written to the
    # adviser).
    from_assistant_chat: bool = Field(default=False, sa_column_kwargs={"server_default": false()})


class SupportAttachment(SQLModel, table=True):
    """A file joined to a message, checked like claim uploads and stored privately."""

    __tablename__ = "support_attachment"

    id: int | None = Field(default=None, primary_key=True)
    thread_id: int = Field(foreign_key="support_thread.id", index=True)
    message_id: int = Field(foreign_key="support_message.id", index=True)
    filename: str = Field(max_length=120)
    mime_type: str = Field(max_length=60)
    size_bytes: int
    sha256: str = Field(max_length=64)
    storage_key: str = Field(max_length=80)
    uploaded_at: datetime = Field(default_factory=utcnow)


class ArticleFeedback(SQLModel, table=True):
    """ "Cet article vous a-t-il aidé ?": one answer per holder and article (the latest counts)."""

    __tablename__ = "article_feedback"
    __table_args__ = (UniqueConstraint("holder_id", "article_slug"),)

    id: int | None = Field(default=None, primary_key=True)
    holder_id: int = Field(foreign_key="policyholder.id", index=True)
    article_slug: str = Field(max_length=80, index=True)
    helpful: bool
    answered_at: datetime = Field(default_factory=utcnow)


class ComplaintTopic(StrEnum):
    CLAIM = "claim"
    PAYMENT = "payment"
    CONTRACT = "contract"
    SERVICE = "service"


class ComplaintStatus(StrEnum):
    OPEN = "open"  # acknowledged (at once by the portal), the insurer owes an answer
    ANSWERED = "answered"  # the answer closes it


class Complaint(SQLModel, table=True):
    """A réclamation (ACPR recommendation 2022-R-01): acknowledged within 10 working days, answered
    within two months; then La Médiation de l'Assurance. Separate from ordinary messages."""

    __tablename__ = "complaint"

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(max_length=20, unique=True)  # REC-2026-000012
    holder_id: int = Field(foreign_key="policyholder.id", index=True)
    topic: str = Field(max_length=10)  # a ComplaintTopic value
    claim_id: int | None = Field(default=None, foreign_key="claim.id", index=True)
    contract_id: int | None = Field(default=None, foreign_key="contract.id")
    subject: str = Field(max_length=120)
    status: str = Field(default=ComplaintStatus.OPEN, max_length=10, index=True)
    origin: str = Field(default="portal", max_length=20)  # portal | settlement_dispute
    filed_at: datetime = Field(default_factory=utcnow, index=True)
    acknowledged_at: datetime | None = None
    acknowledgement_due_on: date
    answer_due_on: date = Field(index=True)
    assigned_staff_id: int | None = Field(default=None, foreign_key="staff_user.id", index=True)
    answered_at: datetime | None = None
    answered_by_staff_id: int | None = Field(default=None, foreign_key="staff_user.id")
    holder_disagreed_at: datetime | None = None


class ComplaintMessage(SQLModel, table=True):
    """One piece of the exchange: the complaint, the acknowledgement, the answer, a disagreement."""

    __tablename__ = "complaint_message"

    id: int | None = Field(default=None, primary_key=True)
    complaint_id: int = Field(foreign_key="complaint.id", index=True)
    kind: str = Field(max_length=16)  # complaint | acknowledgement | answer | disagreement
    author: str = Field(max_length=10)  # holder | staff | portal
    staff_id: int | None = Field(default=None, foreign_key="staff_user.id")
    body: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
