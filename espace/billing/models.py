"""Premium payments, the holder's bank accounts and SEPA mandates, card payments through a
provider."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from espace.core.models import utcnow


class PaymentStatus(StrEnum):
    SCHEDULED = "scheduled"  # à venir
    PAID = "paid"  # payé
    REJECTED = "rejected"  # rejeté
    REGULARISED = "regularised"  # régularisé
    PROCESSING = "processing"  # a card payment is under way (only one at a time)
    REFUNDED = "refunded"  # remboursé (reported by the insurer's system)


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
    rejected_at: datetime | None = None
    rejection_code: str = Field(
        default="", max_length=8, sa_column_kwargs={"server_default": ""}
    )  # SEPA reason, e.g. AM04
    rejection_reason: str = Field(
        default="", max_length=200, sa_column_kwargs={"server_default": ""}
    )  # French
    regularised_at: datetime | None = None
    reminder_sent_at: datetime | None = None


class BankAccount(SQLModel, table=True):
    """A holder's bank account. The full IBAN is stored encrypted and never sent to the browser."""

    __tablename__ = "bank_account"

    id: int | None = Field(default=None, primary_key=True)
    holder_id: int = Field(foreign_key="policyholder.id", index=True)
    label: str = Field(default="", max_length=60)
    account_holder: str = Field(max_length=140)  # the name on the account
    iban_encrypted: str = Field(max_length=200)
    iban_fingerprint: str = Field(
        max_length=64, index=True
    )  # keyed digest, to refuse the same account twice
    iban_prefix: str = Field(max_length=4)  # country and check digits, e.g. "FR76" (shown masked)
    iban_last4: str = Field(max_length=4)
    bic: str = Field(max_length=11)
    bank_name: str = Field(default="", max_length=120)
    is_default: bool = False
    created_at: datetime = Field(default_factory=utcnow)
    removed_at: datetime | None = None


class MandateStatus(StrEnum):
    ACTIVE = "active"
    REVOKED = "revoked"


class SepaMandate(SQLModel, table=True):
    """A SEPA direct-debit mandate (core scheme, recurrent), signed online after a second-factor
    check."""

    __tablename__ = "sepa_mandate"

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(max_length=35, unique=True)  # RUM: référence unique de mandat
    holder_id: int = Field(foreign_key="policyholder.id", index=True)
    bank_account_id: int = Field(foreign_key="bank_account.id", index=True)
    creditor_identifier: str = Field(max_length=35)  # ICS
    creditor_name: str = Field(max_length=140)
    debtor_name: str = Field(max_length=140)
    signed_at: datetime = Field(default_factory=utcnow)
    signed_ip: str = Field(default="", max_length=45)
    signature_method: str = Field(
        default="", max_length=40
    )  # e.g. "code e-mail", "application TOTP"
    status: str = Field(default=MandateStatus.ACTIVE, max_length=10, index=True)
    revoked_at: datetime | None = None
    document_id: int | None = Field(default=None, foreign_key="document.id")


class CardPayment(SQLModel, table=True):
    """A card payment through the payment provider (the regularisation of a rejected debit).

    The card number is never stored: only its brand and last four digits, as the provider returns
    them."""

    __tablename__ = "card_payment"

    id: int | None = Field(default=None, primary_key=True)
    payment_id: int = Field(foreign_key="payment.id", index=True)
    holder_id: int = Field(foreign_key="policyholder.id", index=True)
    provider: str = Field(max_length=20)
    provider_reference: str = Field(max_length=64, index=True)
    amount_cents: int
    status: str = Field(max_length=20)  # requires_action | succeeded | declined | failed
    decline_reason: str = Field(default="", max_length=200)
    card_brand: str = Field(default="", max_length=20)
    card_last4: str = Field(default="", max_length=4)
    created_at: datetime = Field(default_factory=utcnow)
    completed_at: datetime | None = None


class RefundStatus(StrEnum):
    AWAITING_BANK = "awaiting_bank"  # no bank account known: the holder is asked for an IBAN
    TO_PAY = "to_pay"  # à verser
    SENT = "sent"  # in a SEPA credit transfer file sent to the bank
    PAID = "paid"  # versé (the bank or the insurer's system confirmed it)
    CANCELLED = "cancelled"  # annulé (e.g. the cancellation it came from was refused)


class PremiumRefund(SQLModel, table=True):
    """Money owed to a holder: the unearned premium of a cancelled contract, paid by SEPA credit
    transfer to the account known when it was created (its id and masked IBAN kept: the IBAN itself
    stays encrypted in ``bank_account``)."""

    __tablename__ = "premium_refund"

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(max_length=24, unique=True)  # e.g. RMB-2026-1A2B3C
    holder_id: int = Field(foreign_key="policyholder.id", index=True)
    contract_id: int = Field(foreign_key="contract.id", index=True)
    origin: str = Field(default="cancellation", max_length=20)
    cancellation_id: int | None = Field(default=None, foreign_key="cancellation.id", index=True)
    origin_reference: str = Field(default="", max_length=24)  # the cancellation's RES-... reference
    amount_cents: int
    bank_account_id: int | None = Field(default=None, foreign_key="bank_account.id")
    iban_masked: str = Field(default="", max_length=40)
    status: str = Field(default=RefundStatus.TO_PAY, max_length=14, index=True)
    created_at: datetime = Field(default_factory=utcnow)
    sent_at: datetime | None = None
    message_id: str = Field(default="", max_length=35)  # the pain.001 it was sent in
    paid_at: datetime | None = None
    paid_via: str = Field(default="", max_length=10)  # sepa | transfer
    paid_reference: str = Field(default="", max_length=40)  # the bank's reference, if given
    paid_by_staff_id: int | None = Field(default=None, foreign_key="staff_user.id")
    cancelled_at: datetime | None = None
    cancelled_reason: str = Field(default="", max_length=200)
