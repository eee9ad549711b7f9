"""A holder's claims as they are read: the holder's contracts and claims (ownership checked in the
query), a claim's items, files and messages, the day of the loss, its terms and the estimate.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func
from sqlmodel import Session, select

from espace.claims import deadlines, perils
from espace.claims import indemnity as claim_indemnity
from espace.claims.deadlines import Deadline
from espace.claims.models import Claim, ClaimFile, ClaimItem, ClaimMessage, ClaimStatus
from espace.contracts import terms
from espace.contracts.models import Contract, ContractStatus, InsuredProperty
from espace.core.formatting import PARIS

# ----- reading -------------------------------------------------------------------------------


def eligible_contracts(
    *, session: Session, holder_id: int
) -> list[tuple[Contract, InsuredProperty]]:
    return list(
        session.exec(
            select(Contract, InsuredProperty)
            .join(InsuredProperty, InsuredProperty.id == Contract.property_id)
            .where(Contract.holder_id == holder_id, Contract.status == ContractStatus.ACTIVE)
            .order_by(Contract.number)
        ).all()
    )


def list_claims(*, session: Session, holder_id: int) -> list[Claim]:
    return list(
        session.exec(
            select(Claim)
            .where(Claim.holder_id == holder_id)
            .order_by(
                Claim.submitted_at.is_(None).desc(), Claim.submitted_at.desc(), Claim.id.desc()
            )
        ).all()
    )


def owned_claim(
    *, session: Session, holder_id: int, claim_id: int | None = None, number: str | None = None
) -> Claim | None:
    query = select(Claim).where(Claim.holder_id == holder_id)
    if claim_id is not None:
        query = query.where(Claim.id == claim_id)
    elif number:
        query = query.where(Claim.number == number.strip().upper())
    else:
        return None
    return session.exec(query).first()


def owned_draft(*, session: Session, holder_id: int, claim_id: int) -> Claim | None:
    claim = owned_claim(session=session, holder_id=holder_id, claim_id=claim_id)
    return claim if claim is not None and claim.status == ClaimStatus.DRAFT else None


def items(*, session: Session, claim_id: int) -> list[ClaimItem]:
    return list(
        session.exec(
            select(ClaimItem).where(ClaimItem.claim_id == claim_id).order_by(ClaimItem.id)
        ).all()
    )


def files(*, session: Session, claim_id: int) -> list[ClaimFile]:
    return list(
        session.exec(
            select(ClaimFile).where(ClaimFile.claim_id == claim_id).order_by(ClaimFile.id)
        ).all()
    )


def messages(*, session: Session, claim_id: int) -> list[ClaimMessage]:
    return list(
        session.exec(
            select(ClaimMessage)
            .where(ClaimMessage.claim_id == claim_id)
            .order_by(ClaimMessage.created_at, ClaimMessage.id)
        ).all()
    )


def file_for_holder(*, session: Session, holder_id: int, file_id: int) -> ClaimFile | None:
    return session.exec(
        select(ClaimFile)
        .join(Claim, Claim.id == ClaimFile.claim_id)
        .where(ClaimFile.id == file_id, Claim.holder_id == holder_id)
    ).first()


def declared_total(*, session: Session, claim_id: int) -> int:
    return session.exec(
        select(func.coalesce(func.sum(ClaimItem.estimate_cents), 0)).where(
            ClaimItem.claim_id == claim_id
        )
    ).one()


def occurred_local(claim: Claim) -> datetime | None:
    return claim.occurred_at.astimezone(PARIS) if claim.occurred_at else None


def deadline_for(claim: Claim, *, today: date) -> Deadline | None:
    found = perils.peril(claim.peril)
    occurred = occurred_local(claim)
    if found is None or occurred is None:
        return None
    order_date = (
        perils.parse_date(claim.answers.get("order_date", ""))
        if found.deadline == "natcat"
        else None
    )
    return deadlines.deadline(
        kind=found.deadline, occurred=occurred.date(), today=today, order_date=order_date
    )


def loss_date(claim: Claim, *, today: date | None = None) -> date:
    """The day of the loss (Paris time), whose contract terms assess the claim; today while
    undated."""
    occurred = occurred_local(claim)
    return occurred.date() if occurred else (today or datetime.now(PARIS).date())


def loss_terms(*, session: Session, claim: Claim):
    """The contract's terms in force on the day of the loss (formula, home as insured, capital...);
    those of its start when the loss predates it."""
    contract = session.get(Contract, claim.contract_id)
    day = max(loss_date(claim), contract.start_date)
    return terms.version_on(session=session, contract_id=contract.id, day=day) or terms.snapshot(
        session=session, contract=contract
    )


def estimate(*, session: Session, claim: Claim) -> claim_indemnity.Indemnity:
    """The declared damage under the contract's terms in force on the day of the loss."""
    contract = session.get(Contract, claim.contract_id)
    return claim_indemnity.compute(
        session=session,
        contract=contract,
        peril_code=claim.peril,
        damage_cents=declared_total(session=session, claim_id=claim.id),
        on=loss_date(claim),
        answers=claim.answers,
    )
