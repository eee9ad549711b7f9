"""What needs the holder now: the first thing the dashboard shows under its greeting (phones too).

Independent of the widgets the holder chose: a rejected debit is shown even when the "next payment"
widget was removed. Most urgent first: money (a rejected or an overdue payment, a payment to make
soon without a mandate), then what blocks a claim until the holder acts (documents requested, a
visit slot to choose, an indemnity offer to answer), then an adviser's answer to read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session, col, select

from espace import routes
from espace.billing.models import Payment, PaymentMethod, PaymentStatus
from espace.claims.models import (
    Claim,
    ClaimStatus,
    SettlementOffer,
    SettlementOfferStatus,
    VisitSlot,
    VisitSlotStatus,
)
from espace.core import formatting as fmt

# A payment made by card or transfer (no mandate) is announced this many days before it is due.
PAY_SOON_DAYS = 10
LIMIT = 4


@dataclass(frozen=True)
class AttentionItem:
    kind: str  # payment | documents | visit | offer | message
    text: str
    action: str
    link: str


def needing_attention(
    *, session: Session, holder_id: int, today: date, limit: int = LIMIT
) -> list[AttentionItem]:
    """The holder's items to act on, most urgent first (only the holder's own rows)."""
    items = (
        _payments(session, holder_id, today)
        + _claims(session, holder_id)
        + _threads(session, holder_id)
    )
    return items[:limit]


def _payments(session: Session, holder_id: int, today: date) -> list[AttentionItem]:
    items: list[AttentionItem] = []
    rejected = session.exec(
        select(Payment)
        .where(Payment.holder_id == holder_id, Payment.status == PaymentStatus.REJECTED)
        .order_by(Payment.due_date)
    ).all()
    for payment in rejected[:2]:
        items.append(
            AttentionItem(
                "payment",
                f"Un prélèvement de {fmt.money(payment.amount_cents)} a été rejeté : "
                "régularisez-le par carte.",
                "Régulariser mon paiement",
                routes.PAYMENTS,
            )
        )
    due = session.exec(
        select(Payment)
        .where(
            Payment.holder_id == holder_id,
            Payment.status == PaymentStatus.SCHEDULED,
            Payment.method != PaymentMethod.SEPA_DEBIT,
            Payment.due_date <= today + timedelta(days=PAY_SOON_DAYS),
        )
        .order_by(Payment.due_date)
    ).first()
    if due is not None:
        when = (
            f"était dû le {fmt.date_fr(due.due_date)}"
            if due.due_date < today
            else f"est à régler avant le {fmt.date_fr(due.due_date)}"
        )
        items.append(
            AttentionItem(
                "payment",
                f"Votre paiement de {fmt.money(due.amount_cents)} {when}.",
                "Payer maintenant",
                routes.PAYMENTS,
            )
        )
    return items


def _claims(session: Session, holder_id: int) -> list[AttentionItem]:
    items: list[AttentionItem] = []
    waiting = session.exec(
        select(Claim)
        .where(Claim.holder_id == holder_id, Claim.status == ClaimStatus.DOCUMENTS_REQUESTED)
        .order_by(Claim.submitted_at)
    ).all()
    for claim in waiting:
        items.append(
            AttentionItem(
                "documents",
                f"Sinistre {claim.number} : votre gestionnaire attend des pièces pour avancer.",
                "Envoyer les pièces",
                f"{routes.CLAIM}?n={claim.number}",
            )
        )
    # A subquery rather than a join and DISTINCT: PostgreSQL cannot compare the JSON columns
    # of a claim row, so SELECT DISTINCT claim.* fails there.
    offered = select(VisitSlot.claim_id).where(VisitSlot.status == VisitSlotStatus.OFFERED)
    slots = session.exec(
        select(Claim)
        .where(Claim.holder_id == holder_id, col(Claim.id).in_(offered))
        .order_by(Claim.number)
    ).all()
    for claim in slots:
        items.append(
            AttentionItem(
                "visit",
                f"Sinistre {claim.number} : choisissez un créneau pour la visite de l'expert.",
                "Choisir un créneau",
                f"{routes.CLAIM}?n={claim.number}#visit",
            )
        )
    offers = session.exec(
        select(Claim, SettlementOffer)
        .join(SettlementOffer, SettlementOffer.claim_id == Claim.id)
        .where(
            Claim.holder_id == holder_id,
            SettlementOffer.status == SettlementOfferStatus.PROPOSED,
        )
        .order_by(SettlementOffer.made_at)
    ).all()
    for claim, offer in offers:
        items.append(
            AttentionItem(
                "offer",
                f"Sinistre {claim.number} : une offre d'indemnisation de "
                f"{fmt.money(offer.immediate_cents + offer.deferred_cents)} attend votre réponse.",
                "Voir l'offre",
                f"{routes.CLAIM}?n={claim.number}#settlement-offer",
            )
        )
    return items


def _threads(session: Session, holder_id: int) -> list[AttentionItem]:
    from espace.support import thread_views

    unread = [
        t for t in thread_views.needing_attention(session=session, holder_id=holder_id) if t.unread
    ]
    if not unread:
        return []
    first = unread[0]
    text = (
        f"Un conseiller vous a répondu : « {first.subject} »."
        if len(unread) == 1
        else f"{len(unread)} réponses de conseillers à lire."
    )
    return [
        AttentionItem(
            "message",
            text,
            "Lire la réponse" if len(unread) == 1 else "Lire les réponses",
            f"{routes.MESSAGE}?n={first.id}" if len(unread) == 1 else routes.MESSAGES,
        )
    ]


__all__ = ["AttentionItem", "needing_attention"]
