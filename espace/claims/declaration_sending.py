"""Sending a claim: what stops a draft, its number, the handler it goes to, the declaration
deadline and the estimate recorded, and express settlement (published rules).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, select

from espace.claims import indemnity as claim_indemnity
from espace.claims import perils, stages
from espace.claims.declaration import (
    MIN_DESCRIPTION,
    STEP_CONTRACT,
    STEP_ITEMS,
    STEP_PERIL,
    STEP_QUESTIONS,
    STEP_WHEN,
    ClaimInputError,
    _outside_cover,
)
from espace.claims.declaration_queries import deadline_for, estimate, items
from espace.claims.models import Claim, ClaimFile, ClaimFileKind, ClaimStatus
from espace.contracts.models import Contract, ContractStatus
from espace.core import formatting as fmt
from espace.core.db import savepoint
from espace.core.formatting import PARIS
from espace.core.models import utcnow
from espace.identity.models import StaffRole, StaffUser
from espace.webhooks.events import emit

# Express settlement: published rules (shown to holders and staff).
EXPRESS_PERILS = ("glass_breakage",)
EXPRESS_MAX_CENTS = 100_000
EXPRESS_RULES = (
    "Règlement express : bris de glace garanti, facture ou devis joint (reconnu automatiquement "
    "dans un PDF, ou choisissez « Facture » ou « Devis » comme type de fichier), montant déclaré "
    "jusqu'à 1 000 €, déclaration dans les délais et aucun autre sinistre sur le contrat depuis "
    "12 mois."
)


# ----- sending -------------------------------------------------------------------------------


def missing_steps(*, session: Session, claim: Claim) -> dict[int, str]:
    """What stops the draft from being sent, by wizard step."""
    missing: dict[int, str] = {}
    if not claim.peril:
        missing[STEP_PERIL] = "Choisissez ce qui s'est passé."
    else:
        found = perils.peril(claim.peril)
        _, errors = perils.clean_answers(found, claim.answers, today=date.max)
        if errors:
            missing[STEP_QUESTIONS] = "Répondez aux questions sur l'événement."
    if claim.occurred_at is None or len(claim.description.strip()) < MIN_DESCRIPTION:
        missing[STEP_WHEN] = "Indiquez la date et décrivez ce qui s'est passé."
    if not items(session=session, claim_id=claim.id):
        missing[STEP_ITEMS] = "Ajoutez au moins un bien endommagé."
    return missing


@dataclass(frozen=True)
class Sent:
    claim: Claim
    next_step: str
    due_at: datetime | None
    express: bool


def _next_number(session: Session, year: int) -> str:
    prefix = f"SIN-{year}-"
    last = session.exec(
        select(Claim.number).where(Claim.number.like(f"{prefix}%")).order_by(Claim.number.desc())
    ).first()
    return f"{prefix}{(int(last[-6:]) if last else 0) + 1:06d}"


def _assign_number(session: Session, claim: Claim, year: int) -> None:
    """The next number of the year; two claims sent at the same moment retry rather than fail."""
    from sqlalchemy.exc import IntegrityError

    for attempt in range(5):
        try:
            with savepoint(session):
                claim.number = _next_number(session, year)
                session.add(claim)
                session.flush()
            return
        except IntegrityError:
            claim.number = None
            if attempt == 4:
                raise


def _least_busy_handler(session: Session) -> int | None:
    handlers = session.exec(
        select(StaffUser)
        .where(StaffUser.role == StaffRole.HANDLER, StaffUser.is_active)
        .order_by(StaffUser.id)
    ).all()
    if not handlers:
        return None
    load = dict(
        session.exec(
            select(Claim.handler_id, func.count())
            .where(Claim.status.in_(stages.OPEN_STATUSES))
            .group_by(Claim.handler_id)
        ).all()
    )
    return min(handlers, key=lambda staff: (load.get(staff.id, 0), staff.id)).id


def submit(*, session: Session, claim: Claim, now: datetime) -> Sent:
    if claim.status != ClaimStatus.DRAFT:
        raise ClaimInputError({"claim": "Cette déclaration a déjà été envoyée."})
    missing = missing_steps(session=session, claim=claim)
    contract = session.get(Contract, claim.contract_id)
    if contract.holder_id != claim.holder_id or contract.status != ContractStatus.ACTIVE:
        missing[STEP_CONTRACT] = "Choisissez un de vos contrats en cours."
    elif claim.occurred_at is not None and _outside_cover(contract, claim.occurred_at):
        missing[STEP_WHEN] = _outside_cover(contract, claim.occurred_at)
    if missing:
        raise ClaimInputError({f"step_{step}": message for step, message in missing.items()})
    today = now.astimezone(PARIS).date()
    found_deadline = deadline_for(claim, today=today)
    result = estimate(session=session, claim=claim)
    _assign_number(session, claim, today.year)
    claim.submitted_at = now
    claim.declared_total_cents = result.damage_cents
    claim.estimate = result.as_dict()
    claim.declaration_deadline = found_deadline.due if found_deadline else None
    claim.late_declaration = bool(found_deadline and found_deadline.late)
    claim.handler_id = _least_busy_handler(session)
    session.add(claim)
    session.flush()
    peril_label = perils.label(claim.peril).lower()
    detail = (
        f"Nous avons bien reçu votre déclaration ({peril_label}, survenu le "
        f"{fmt.date_fr(claim.occurred_at)}). Estimation de l'indemnité : "
        f"{fmt.money(result.indemnity_cents)}."
    )
    event = stages.move(session=session, claim=claim, kind=ClaimStatus.RECEIVED, detail=detail)
    emit(
        "claim.declared",
        {
            "claim_id": claim.id,
            "number": claim.number,
            "holder_id": claim.holder_id,
            "contract_id": claim.contract_id,
            "peril": claim.peril,
            "declared_by": "holder" if claim.declared_by_account_id else "insurer",
        },
        session=session,
    )
    express_reason = express_eligibility(session=session, claim=claim, indemnity=result)
    if express_reason:
        event = settle_express(
            session=session, claim=claim, indemnity=result, reason=express_reason
        )
    return Sent(claim, event.next_step, event.due_at, bool(express_reason))


def express_eligibility(
    *, session: Session, claim: Claim, indemnity: claim_indemnity.Indemnity
) -> str:
    """The reason the claim qualifies for express settlement, or "" if it does not."""
    if claim.peril not in EXPRESS_PERILS or not indemnity.covered or indemnity.indemnity_cents <= 0:
        return ""
    if claim.late_declaration or indemnity.damage_cents > EXPRESS_MAX_CENTS:
        return ""
    proof = session.exec(
        select(ClaimFile).where(
            ClaimFile.claim_id == claim.id,
            ClaimFile.kind.in_((ClaimFileKind.INVOICE, ClaimFileKind.QUOTE)),
        )
    ).first()
    if proof is None:
        return ""
    since = (claim.submitted_at or utcnow()) - timedelta(days=365)
    other = session.exec(
        select(Claim.id).where(
            Claim.contract_id == claim.contract_id,
            Claim.id != claim.id,
            Claim.submitted_at.is_not(None),
            Claim.submitted_at >= since,
        )
    ).first()
    if other is not None:
        return ""
    return (
        f"Bris de glace avec justificatif, montant déclaré de {fmt.money(indemnity.damage_cents)} "
        f"(jusqu'à {fmt.money(EXPRESS_MAX_CENTS)}), déclaré dans les délais, aucun autre sinistre "
        "depuis 12 mois."
    )


def settle_express(
    *, session: Session, claim: Claim, indemnity: claim_indemnity.Indemnity, reason: str
):
    claim.express, claim.express_reason = True, reason[:300]
    claim.assessed_damage_cents = indemnity.damage_cents
    claim.ceiling_cents, claim.deductible_cents = (
        indemnity.ceiling_cents,
        indemnity.deductible_cents,
    )
    claim.indemnity_cents = indemnity.indemnity_cents
    detail = (
        f"Votre sinistre remplit les conditions du règlement express : {reason} "
        f"Indemnité : {fmt.money(indemnity.indemnity_cents)} ({indemnity.explanation})"
    )
    return stages.move(
        session=session,
        claim=claim,
        kind="express",
        status=ClaimStatus.INDEMNITY_COMPUTED,
        detail=detail,
    )
