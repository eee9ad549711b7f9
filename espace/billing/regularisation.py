"""Regularisation of a rejected direct debit: the holder pays the instalment by card.

Ownership is checked in every query (another holder's id looks like an unknown one). The card
number goes to the payment provider only; a ``CardPayment`` row keeps the brand and last four
digits. A settled payment becomes "regularised", gets its receipt and the holder is told."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, select

from espace import routes
from espace.billing import receipts
from espace.billing.card_payments import CardInput, ProviderResult, get_provider, validate_card
from espace.billing.models import CardPayment, Payment, PaymentMethod, PaymentStatus
from espace.contracts.models import Contract
from espace.core import formatting as fmt
from espace.core.models import utcnow
from espace.documents.models import Document
from espace.notifications import messages, notices, outbox
from espace.notifications.models import NotificationCategory

log = logging.getLogger(__name__)

STILL_DUE = "Votre échéance reste à régler."
NOT_FOUND = "Échéance introuvable."
NOT_PAYABLE = (
    "Cette échéance n'est pas à régulariser : elle n'a pas été rejetée ou elle est déjà réglée."
)
UNAVAILABLE = (
    "Le paiement par carte est momentanément indisponible. Réessayez dans quelques instants."
)


@dataclass(frozen=True)
class CardOutcome:
    # succeeded | requires_action | declined | failed | invalid | not_found | not_payable
    status: str
    message: str  # French, shown to the holder
    card_payment_id: int | None = None
    challenge_hint: str = ""
    errors: dict[str, str] = field(default_factory=dict)  # by field, for "invalid"


def rejected_payments(*, session: Session, holder_id: int) -> list[Payment]:
    return list(
        session.exec(
            select(Payment)
            .where(Payment.holder_id == holder_id, Payment.status == PaymentStatus.REJECTED)
            .order_by(Payment.due_date, Payment.id)
        ).all()
    )


def owned_payment(*, session: Session, holder_id: int, payment_id: int) -> Payment | None:
    return session.exec(
        select(Payment)
        .where(Payment.id == payment_id, Payment.holder_id == holder_id)
        .with_for_update()
    ).first()


def start_card_payment(
    *, session: Session, holder_id: int, payment_id: int, card: CardInput
) -> CardOutcome:
    payment = owned_payment(session=session, holder_id=holder_id, payment_id=payment_id)
    if payment is None:
        return CardOutcome("not_found", NOT_FOUND)
    if payment.status != PaymentStatus.REJECTED:
        return CardOutcome("not_payable", NOT_PAYABLE)
    errors = validate_card(card)
    if errors:
        return CardOutcome("invalid", "Vérifiez les informations de votre carte.", errors=errors)
    if not _claim(session, payment):  # another tab or worker is paying it right now
        return CardOutcome("not_payable", NOT_PAYABLE)
    contract = session.get(Contract, payment.contract_id)
    try:
        provider = get_provider()
        description = f"Cotisation {contract.number} — échéance du {fmt.date_fr(payment.due_date)}"
        result = provider.start(
            amount_cents=payment.amount_cents, description=description, card=card
        )
    except Exception as error:  # noqa: BLE001 - a provider outage is told to the holder, never raised
        log.warning(
            "card payment for payment %s could not start: %s", payment.id, type(error).__name__
        )
        _release(session, payment)
        return CardOutcome("failed", UNAVAILABLE)
    row = CardPayment(
        payment_id=payment.id,
        holder_id=holder_id,
        provider=provider.name[:20],
        provider_reference=result.reference[:64],
        amount_cents=payment.amount_cents,
        status=result.status,
        card_brand=result.brand[:20],
        card_last4=result.last4[-4:],
    )
    session.add(row)
    session.flush()
    return _conclude(session, payment, row, result)


def confirm_card_payment(
    *, session: Session, holder_id: int, card_payment_id: int, code: str
) -> CardOutcome:
    row = session.exec(
        select(CardPayment)
        .where(CardPayment.id == card_payment_id, CardPayment.holder_id == holder_id)
        .with_for_update()
    ).first()
    payment = (
        None
        if row is None
        else owned_payment(session=session, holder_id=holder_id, payment_id=row.payment_id)
    )
    if payment is None:
        return CardOutcome("not_found", "Paiement introuvable.")
    if row.status != "requires_action":
        return CardOutcome(
            "not_payable", "Ce paiement n'attend plus de confirmation.", card_payment_id=row.id
        )
    if payment.status != PaymentStatus.REJECTED or not _claim(session, payment):
        # settled meanwhile by another card payment, or being confirmed in another tab: never charge
        # twice
        _close(session, row, "failed", "Échéance déjà réglée.")
        return CardOutcome("not_payable", NOT_PAYABLE, card_payment_id=row.id)
    try:
        result = get_provider().confirm(reference=row.provider_reference, code=code)
    except Exception as error:  # noqa: BLE001
        log.warning("card payment %s could not be confirmed: %s", row.id, type(error).__name__)
        _release(session, payment)
        return CardOutcome("failed", UNAVAILABLE, card_payment_id=row.id)
    if result.status == "requires_action":  # a provider may ask again; the row stays open
        _release(session, payment)
        return CardOutcome(
            "requires_action",
            "Code incorrect : saisissez le code reçu de votre banque.",
            card_payment_id=row.id,
            challenge_hint=result.challenge_hint,
        )
    return _conclude(session, payment, row, result)


def _claim(session: Session, payment: Payment) -> bool:
    """Take the payment for one card attempt: a conditional update that only one caller can win
    (row lock on PostgreSQL, database write lock on SQLite), kept until the transaction ends."""
    from sqlalchemy import update

    won = (
        session.execute(
            update(Payment)
            .where(Payment.id == payment.id, Payment.status == PaymentStatus.REJECTED)
            .values(status=PaymentStatus.PROCESSING)
        ).rowcount
        == 1
    )
    session.refresh(payment)
    return won


def _release(session: Session, payment: Payment) -> None:
    """The attempt did not settle the payment: it is due again."""
    payment.status = PaymentStatus.REJECTED
    session.add(payment)
    session.flush()


def _conclude(
    session: Session, payment: Payment, row: CardPayment, result: ProviderResult
) -> CardOutcome:
    if result.status != "succeeded":
        _release(session, payment)
    if result.status == "succeeded":
        _settle(session, payment, row)
        message = (
            f"Paiement de {fmt.money(payment.amount_cents)} accepté : votre échéance est "
            "régularisée. Le reçu est disponible dans vos documents."
        )
        return CardOutcome("succeeded", message, card_payment_id=row.id)
    if result.status == "requires_action":
        return CardOutcome(
            "requires_action",
            "Votre banque demande de confirmer ce paiement.",
            card_payment_id=row.id,
            challenge_hint=result.challenge_hint or "Saisissez le code reçu de votre banque.",
        )
    reason = result.decline_reason or (
        "Paiement refusé." if result.status == "declined" else "Le paiement n'a pas pu aboutir."
    )
    _close(session, row, "declined" if result.status == "declined" else "failed", reason)
    return CardOutcome(row.status, f"{reason} {STILL_DUE}", card_payment_id=row.id)


def _close(session: Session, row: CardPayment, status: str, reason: str = "") -> None:
    row.status, row.decline_reason, row.completed_at = status, reason[:200], utcnow()
    session.add(row)
    session.flush()


def _settle(session: Session, payment: Payment, row: CardPayment) -> None:
    now = utcnow()
    _close(session, row, "succeeded")
    payment.status, payment.method = PaymentStatus.REGULARISED, PaymentMethod.CARD
    payment.regularised_at = payment.paid_at = now
    session.add(payment)
    session.flush()
    _refresh_receipt(receipts.register_receipt(session=session, payment=payment), now)
    session.flush()
    _notify_settled(session, payment, row)


def _refresh_receipt(document: Document, paid_at: datetime) -> None:
    """A receipt registered before the debit was rejected is re-dated and re-rendered (card, new
    date)."""
    document.issued_at = paid_at
    if document.storage_key:
        document.storage_key, document.sha256, document.size_bytes, document.text_content = (
            "",
            "",
            0,
            "",
        )


def _notify_settled(session: Session, payment: Payment, row: CardPayment) -> None:
    contract = session.get(Contract, payment.contract_id)
    amount, due = fmt.money(payment.amount_cents), fmt.date_fr(payment.due_date)
    ending = f"se terminant par {row.card_last4}" if row.card_last4 else ""
    card = " ".join(filter(None, ["carte", row.card_brand, ending]))
    body = (
        f"Votre paiement de {amount} par {card} a été accepté : l'échéance du {due} "
        f"du contrat {contract.number} est régularisée."
    )
    email = messages.email(
        "payment_regularised",
        amount=amount,
        card=card,
        due=due,
        number=contract.number,
        documents_link=outbox.link(routes.DOCUMENTS),
        payments_link=outbox.link(routes.PAYMENTS),
    )
    notices.notify(
        session=session,
        holder_id=payment.holder_id,
        category=NotificationCategory.PAYMENTS,
        title="Paiement régularisé",
        body=body,
        link=routes.PAYMENTS,
        email_subject=email.subject,
        email_body=email.body,
    )
