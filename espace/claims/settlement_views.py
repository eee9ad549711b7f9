"""What the holder and staff read of a claim's settlement offer: its breakdown, how it was decided,
the holder's accounts to be paid on (ownership in the query; staff see only the claims their role
lets them read)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from espace.claims import workflow_views
from espace.claims.models import ClaimStatus
from espace.claims.settlement import DISPUTE_ACTIONS, Offer, _owned_claim, breakdown, current_offer
from espace.core import formatting as fmt


@dataclass(frozen=True)
class OfferView:
    status: str
    rows: list[tuple[str, str]]  # label, amount
    immediate: str
    deferred: str
    repair_in_kind_allowed: bool
    decided: str  # "Acceptée le 23/12/2026 à 10:42 : virement sur FR76 •••• 1234"
    accounts: list[tuple[int, str]]  # the holder's accounts on file (masked)
    made: str


def holder_offer(*, session: Session, holder_id: int, number: str) -> OfferView | None:
    from espace.billing import bank_accounts

    claim = _owned_claim(session, holder_id, number)
    offer = current_offer(session, claim.id) if claim else None
    if offer is None:
        return None
    decided = ""
    if offer.status == Offer.ACCEPTED:
        how = (
            "réparation en nature"
            if offer.payment_choice == "repair"
            else f"virement sur {offer.iban_masked}"
        )
        decided = f"Acceptée le {fmt.datetime_fr(offer.decided_at)} : {how}."
    elif offer.status == Offer.DISPUTED:
        decided = (
            f"Contestée le {fmt.datetime_fr(offer.decided_at)} : "
            f"{DISPUTE_ACTIONS.get(offer.dispute_action, '').lower()}."
        )
    accounts = bank_accounts.list_accounts(session=session, holder_id=holder_id)
    return OfferView(
        status=offer.status,
        rows=breakdown(offer),
        immediate=fmt.money(offer.immediate_cents),
        deferred=fmt.money(offer.deferred_cents) if offer.new_for_old else "",
        repair_in_kind_allowed=offer.repair_in_kind_allowed,
        decided=decided,
        accounts=[
            (a.id, f"{a.label or a.bank_name} · {bank_accounts.masked(a)}") for a in accounts
        ],
        made=fmt.date_fr(offer.made_at),
    )


@dataclass(frozen=True)
class StaffOfferView:
    claim_id: int
    can_offer: bool  # the damage is assessed and no offer was accepted
    status: str  # "" when none
    rows: list[tuple[str, str]]
    outcome: str


STAFF_STATUS = {
    Offer.PROPOSED: "Proposée, en attente de l'assuré",
    Offer.ACCEPTED: "Acceptée",
    Offer.DISPUTED: "Contestée",
}


def staff_offer(*, session: Session, staff_id: int, number: str) -> StaffOfferView | None:
    claim = workflow_views.visible_claim(session=session, staff_id=staff_id, number=number)
    if claim is None:
        return None
    offer = current_offer(session, claim.id)
    outcome = ""
    if offer is not None and offer.status == Offer.ACCEPTED:
        outcome = (
            "Réparation en nature"
            if offer.payment_choice == "repair"
            else f"Virement sur {offer.iban_masked}"
        )
    elif offer is not None and offer.status == Offer.DISPUTED:
        outcome = f"{DISPUTE_ACTIONS.get(offer.dispute_action, '')} : {offer.dispute_reason}"
    return StaffOfferView(
        claim_id=claim.id,
        can_offer=claim.status == ClaimStatus.INDEMNITY_COMPUTED
        and (offer is None or offer.status != Offer.ACCEPTED),
        status=STAFF_STATUS.get(offer.status, "") if offer else "",
        rows=breakdown(offer) if offer else [],
        outcome=outcome,
    )
