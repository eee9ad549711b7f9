"""What happened to a direct debit, as the insurer's system or the bank reports it: paid, rejected
(with its SEPA reason: the holder's regularisation starts) or refunded.

Called by the API (payment events), by the import of the bank's return files
(``espace.integration.banking``) and the demo data. A payment is found by its id, and a report
about an instalment already in that state changes nothing (a file imported twice, a call
retried)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from espace import routes
from espace.billing.models import Payment, PaymentStatus
from espace.core import formatting as fmt
from espace.core.models import utcnow
from espace.notifications import messages, notices
from espace.notifications.models import NotificationCategory
from espace.webhooks.events import emit

# The SEPA return reasons a holder can act on, in French (ISO 20022 ExternalStatusReason1Code).
REASONS = {
    "AC01": "Coordonnées bancaires incorrectes.",
    "AC04": "Compte clôturé.",
    "AC06": "Compte bloqué.",
    "AG01": "Prélèvement interdit sur ce compte.",
    "AM04": "Provision insuffisante sur le compte au jour du prélèvement.",
    "MD01": "Pas de mandat valide pour ce prélèvement.",
    "MD06": "Remboursement demandé par le titulaire du compte.",
    "MD07": "Titulaire du compte décédé.",
    "MS02": "Prélèvement refusé par le titulaire du compte.",
    "MS03": "Rejet de la banque sans motif précisé.",
    "RC01": "BIC incorrect.",
    "SL01": "Service spécifique de la banque (opposition).",
}


class DebitResultError(ValueError):
    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


def reason_text(code: str) -> str:
    return REASONS.get(code, "Prélèvement rejeté par la banque.")


def _payment(session: Session, payment_id: int) -> Payment:
    payment = session.get(Payment, payment_id)
    if payment is None:
        raise LookupError("payment")
    return payment


def reject(
    *,
    session: Session,
    payment_id: int,
    code: str,
    reason: str = "",
    source: str = "api",
    now: datetime | None = None,
) -> tuple[Payment, bool]:
    """Mark the debit rejected and tell the holder (the regularisation banner and page follow);
    (payment, changed)."""
    code = (code or "").strip().upper()
    if not (code.isalnum() and 2 <= len(code) <= 8):
        raise DebitResultError("Code de rejet SEPA invalide (par exemple AM04).", "code")
    payment = _payment(session, payment_id)
    if payment.status == PaymentStatus.REJECTED:
        return payment, False
    if payment.status not in (PaymentStatus.SCHEDULED, PaymentStatus.PAID):
        raise DebitResultError("Cette échéance n'est pas un prélèvement en attente ou payé.")
    now = now or utcnow()
    payment.status, payment.paid_at, payment.rejected_at = PaymentStatus.REJECTED, None, now
    payment.rejection_code = code
    payment.rejection_reason = (reason or reason_text(code))[:200]
    session.add(payment)
    session.flush()
    email = messages.email(
        "debit_rejected",
        amount=fmt.money(payment.amount_cents),
        due=fmt.date_fr(payment.due_date),
        reason=payment.rejection_reason,
    )
    notices.notify(
        session=session,
        holder_id=payment.holder_id,
        category=NotificationCategory.PAYMENTS,
        title=f"Prélèvement de {fmt.money(payment.amount_cents)} rejeté",
        body=f"{payment.rejection_reason} Vous pouvez régler cette échéance par carte.",
        link=routes.PAYMENT_REGULARISE,
        email_subject=email.subject,
        email_body=email.body,
        critical=True,
    )
    emit(
        "payment.rejected",
        {
            "payment_id": payment.id,
            "contract_id": payment.contract_id,
            "holder_id": payment.holder_id,
            "code": code,
            "source": source,
        },
        session=session,
    )
    return payment, True


def mark_paid(
    *, session: Session, payment_id: int, now: datetime | None = None
) -> tuple[Payment, bool]:
    payment = _payment(session, payment_id)
    if payment.status in (PaymentStatus.PAID, PaymentStatus.REGULARISED):
        return payment, False
    if payment.status != PaymentStatus.SCHEDULED:
        raise DebitResultError("Seule une échéance à venir peut être marquée payée.")
    payment.status, payment.paid_at = PaymentStatus.PAID, now or utcnow()
    session.add(payment)
    session.flush()
    return payment, True


def refund(
    *, session: Session, payment_id: int, now: datetime | None = None
) -> tuple[Payment, bool]:
    """A paid instalment refunded to the holder (e.g. a cancellation's unearned premium): it is no
    longer paid, and no longer due."""
    payment = _payment(session, payment_id)
    if payment.status == PaymentStatus.REFUNDED:
        return payment, False
    if payment.status not in (PaymentStatus.PAID, PaymentStatus.REGULARISED):
        raise DebitResultError("Seule une échéance payée peut être remboursée.")
    payment.status = PaymentStatus.REFUNDED
    session.add(payment)
    session.flush()
    return payment, True
