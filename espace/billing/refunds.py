"""Refunds owed to holders: the unearned premium of a cancelled contract.

A refund is created in the transaction that makes it owed (``create_for_cancellation``, called by
``lifecycle.cancellation.request_cancellation``), with the holder's bank account at that time (its
id and masked IBAN: the default account, else the oldest one not removed). Without one it waits for
bank details ("awaiting_bank"): "Mes paiements" asks the holder for an IBAN, and the first account
the holder adds is attached (``attach_account``).

Its life: to pay -> sent (in a SEPA credit transfer file, ``integration.banking.export_refunds``)
-> paid (the bank's or the core system's confirmation, ``mark_paid``; or a staff member recording a
transfer made outside SEPA files); or cancelled (the cancellation it came from was refused). Every
change is idempotent: a report about a refund already in that state changes nothing."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, select

from espace import routes
from espace.billing import bank_accounts
from espace.billing.models import BankAccount, PremiumRefund, RefundStatus
from espace.claims.models import StaffAuditLog
from espace.contracts.models import Contract
from espace.core import formatting as fmt
from espace.core.models import utcnow
from espace.identity import staff_access
from espace.notifications import messages, notices
from espace.notifications.models import NotificationCategory
from espace.webhooks.events import emit

R = RefundStatus
STATUS_LABELS = {
    R.AWAITING_BANK: "en attente de vos coordonnées bancaires",
    R.TO_PAY: "à verser",
    R.SENT: "virement en cours",
    R.PAID: "versé",
    R.CANCELLED: "annulé",
}
OPEN_STATUSES = (R.AWAITING_BANK, R.TO_PAY, R.SENT)
PAID_VIA = ("sepa", "transfer")


class RefundError(ValueError):
    def __init__(self, message: str, field: str = "refund") -> None:
        super().__init__(message)
        self.field = field


def end_to_end_id(refund_id: int) -> str:
    """The id the credit transfer carries (the bank's reports quote it)."""
    return f"ESP-RMB-{refund_id}"


def account_for_refund(*, session: Session, holder_id: int) -> BankAccount | None:
    """The holder's active account a refund goes to: the default (debited) one, else the oldest."""
    accounts = bank_accounts.list_accounts(session=session, holder_id=holder_id)
    return accounts[0] if accounts else None


def create_for_cancellation(
    *,
    session: Session,
    holder_id: int,
    contract_id: int,
    cancellation_id: int,
    cancellation_reference: str,
    amount_cents: int,
    now: datetime | None = None,
) -> PremiumRefund | None:
    """The refund of a cancellation's unearned premium (None when nothing is owed); created once
    per cancellation."""
    if amount_cents <= 0:
        return None
    existing = session.exec(
        select(PremiumRefund).where(PremiumRefund.cancellation_id == cancellation_id)
    ).first()
    if existing is not None:
        return existing
    now = now or utcnow()
    account = account_for_refund(session=session, holder_id=holder_id)
    refund = PremiumRefund(
        reference=f"RMB-{now.year}-{secrets.token_hex(3).upper()}",
        holder_id=holder_id,
        contract_id=contract_id,
        origin="cancellation",
        cancellation_id=cancellation_id,
        origin_reference=cancellation_reference,
        amount_cents=amount_cents,
        bank_account_id=account.id if account else None,
        iban_masked=bank_accounts.masked(account) if account else "",
        status=R.TO_PAY if account else R.AWAITING_BANK,
        created_at=now,
    )
    session.add(refund)
    session.flush()
    emit("refund.created", refund_event(refund), session=session)
    return refund


def attach_account(*, session: Session, holder_id: int, account: BankAccount) -> int:
    """Refunds of this holder waiting for bank details go to ``account`` (just added); returns
    how many."""
    rows = session.exec(
        select(PremiumRefund).where(
            PremiumRefund.holder_id == holder_id, PremiumRefund.status == R.AWAITING_BANK
        )
    ).all()
    for refund in rows:
        refund.bank_account_id = account.id
        refund.iban_masked = bank_accounts.masked(account)
        refund.status = R.TO_PAY
        session.add(refund)
    session.flush()
    return len(rows)


# ----- reading ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RefundRow:
    """A refund as the holder sees it in "Mes paiements"."""

    id: int
    reference: str
    contract_number: str
    origin_reference: str
    amount_cents: int
    status: str
    status_label: str
    iban_masked: str
    created_at: datetime
    paid_at: datetime | None

    @property
    def sentence(self) -> str:
        """'Remboursement de cotisation — 123,45 € — versé le 12/01/2027 sur FR76 •••• 1234'."""
        parts = [f"Remboursement de cotisation — {fmt.money(self.amount_cents)}"]
        if self.status == R.PAID and self.paid_at is not None:
            parts.append(f"versé le {fmt.date_fr(self.paid_at)}")
        else:
            parts.append(STATUS_LABELS.get(self.status, self.status))
        text = " — ".join(parts)
        if self.iban_masked and self.status != R.CANCELLED:
            text += f" sur {self.iban_masked}"
        return text


def _rows(session: Session, query) -> list[RefundRow]:
    return [
        RefundRow(
            id=r.id,
            reference=r.reference,
            contract_number=number,
            origin_reference=r.origin_reference,
            amount_cents=r.amount_cents,
            status=r.status,
            status_label=STATUS_LABELS.get(r.status, r.status),
            iban_masked=r.iban_masked,
            created_at=r.created_at,
            paid_at=r.paid_at,
        )
        for r, number in session.exec(query).all()
    ]


def for_holder(*, session: Session, holder_id: int) -> list[RefundRow]:
    """The holder's refunds, newest first (ownership in the query)."""
    return _rows(
        session,
        select(PremiumRefund, Contract.number)
        .join(Contract, Contract.id == PremiumRefund.contract_id)
        .where(PremiumRefund.holder_id == holder_id, Contract.holder_id == holder_id)
        .order_by(PremiumRefund.created_at.desc(), PremiumRefund.id.desc()),
    )


def paid_between(*, session: Session, holder_id: int, start: date, end: date) -> list[RefundRow]:
    """The holder's refunds paid in a period (for the payment history export)."""
    rows = for_holder(session=session, holder_id=holder_id)
    return [r for r in rows if r.paid_at is not None and start <= r.paid_at.date() <= end]


def for_cancellation(*, session: Session, cancellation_id: int) -> PremiumRefund | None:
    return session.exec(
        select(PremiumRefund).where(PremiumRefund.cancellation_id == cancellation_id)
    ).first()


# ----- changes ----------------------------------------------------------------------------------


def mark_sent(
    *, session: Session, refund: PremiumRefund, message_id: str, now: datetime | None = None
) -> None:
    refund.status, refund.sent_at, refund.message_id = R.SENT, now or utcnow(), message_id[:35]
    session.add(refund)


def mark_paid(
    *,
    session: Session,
    refund_id: int,
    via: str = "sepa",
    reference: str = "",
    staff_id: int | None = None,
    now: datetime | None = None,
) -> tuple[PremiumRefund, bool]:
    """The bank or the core system confirms the transfer (``via="sepa"``), or a handler records a
    transfer made outside the SEPA files (``via="transfer"``, ``staff_id``: the role is checked
    here). The holder is told; the ``refund.paid`` event is emitted. (refund, changed)."""
    if via not in PAID_VIA:
        raise RefundError("Mode de versement : sepa ou transfer.", "via")
    staff = None
    if staff_id is not None:
        staff = staff_access.require_access_role(session=session, staff_id=staff_id)
    reference = " ".join((reference or "").split())[:40]
    refund = session.get(PremiumRefund, refund_id)
    if refund is None:
        raise LookupError("refund")
    if refund.status == R.PAID:
        return refund, False
    if refund.status == R.CANCELLED:
        raise RefundError("Ce remboursement est annulé.")
    if refund.status == R.AWAITING_BANK and via == "sepa":
        raise RefundError("Ce remboursement attend les coordonnées bancaires de l'assuré.")
    now = now or utcnow()
    refund.status, refund.paid_at, refund.paid_via = R.PAID, now, via
    refund.paid_reference = reference
    refund.paid_by_staff_id = staff.id if staff else None
    session.add(refund)
    if staff is not None:
        session.add(
            StaffAuditLog(
                staff_id=staff.id,
                action="refund_paid",
                object_type="premium_refund",
                object_id=refund.id,
                detail=f"Remboursement {refund.reference} marqué versé par virement"
                + (f" (réf. {reference})" if reference else ""),
                at=now,
            )
        )
    session.flush()
    where = f" sur le compte {refund.iban_masked}" if refund.iban_masked else ""
    email = messages.email(
        "refund_paid",
        amount=fmt.money(refund.amount_cents),
        reference=refund.reference,
        date=fmt.date_fr(now),
        account=refund.iban_masked,
    )
    notices.notify(
        session=session,
        holder_id=refund.holder_id,
        category=NotificationCategory.PAYMENTS,
        title=f"Remboursement de {fmt.money(refund.amount_cents)} versé",
        body=f"Le remboursement de votre cotisation a été versé{where}.",
        link=routes.PAYMENTS,
        email_subject=email.subject,
        email_body=email.body,
    )
    emit("refund.paid", refund_event(refund), session=session)
    return refund, True


def returned(
    *, session: Session, refund_id: int, code: str = "", now: datetime | None = None
) -> bool:
    """The bank rejected or returned the transfer (closed account, wrong IBAN...): the refund
    waits for the holder's bank details again, and the holder is asked for them. False when it
    was already waiting (a file imported twice)."""
    refund = session.get(PremiumRefund, refund_id)
    if refund is None:
        raise LookupError("refund")
    if refund.status in (R.AWAITING_BANK, R.CANCELLED):
        return False
    refund.status, refund.paid_at, refund.paid_via = R.AWAITING_BANK, None, ""
    refund.bank_account_id, refund.iban_masked, refund.sent_at = None, "", None
    refund.paid_reference = f"retour {code}"[:40] if code else ""
    session.add(refund)
    session.flush()
    email = messages.email(
        "refund_returned", amount=fmt.money(refund.amount_cents), reference=refund.reference
    )
    notices.notify(
        session=session,
        holder_id=refund.holder_id,
        category=NotificationCategory.PAYMENTS,
        title="Votre remboursement n'a pas pu être versé",
        body=f"Votre banque a refusé le virement de {fmt.money(refund.amount_cents)}. Indiquez "
        "un compte bancaire valide dans « Mes paiements ».",
        link=routes.PAYMENTS,
        email_subject=email.subject,
        email_body=email.body,
        critical=True,
    )
    return True


def cancel(*, session: Session, refund: PremiumRefund, reason: str, now: datetime | None = None):
    """No longer owed (its cancellation was refused). Refuses once it has gone to the bank."""
    if refund.status == R.CANCELLED:
        return
    if refund.status not in (R.AWAITING_BANK, R.TO_PAY):
        raise RefundError(
            "Le remboursement a déjà été transmis à la banque ou versé : il ne peut plus être "
            "annulé ici."
        )
    refund.status, refund.cancelled_at = R.CANCELLED, now or utcnow()
    refund.cancelled_reason = reason[:200]
    session.add(refund)
    session.flush()


def refund_event(refund: PremiumRefund) -> dict:
    """Thin payload: ids and facts, never the IBAN."""
    return {
        "refund_id": refund.id,
        "reference": refund.reference,
        "holder_id": refund.holder_id,
        "contract_id": refund.contract_id,
        "cancellation_reference": refund.origin_reference or None,
        "amount_cents": refund.amount_cents,
        "status": refund.status,
        "paid_via": refund.paid_via or None,
        "paid_at": refund.paid_at.isoformat() if refund.paid_at else None,
    }
