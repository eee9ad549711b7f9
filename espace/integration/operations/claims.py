"""Claims declared and moved through the back office's own functions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from espace.claims import (
    declaration,
    declaration_contents,
    declaration_queries,
    declaration_sending,
    stages,
    workflow,
    workflow_assessment,
)
from espace.claims.declaration import ClaimInputError
from espace.claims.models import Claim, ClaimEvent, ClaimStatus
from espace.contracts.models import Contract
from espace.core.formatting import PARIS
from espace.core.models import utcnow
from espace.identity.models import StaffRole, StaffUser
from espace.identity.staff_access import StaffForbidden
from espace.integration.operations.common import OperationError, Page, page, require

# ----- claims -------------------------------------------------------------------------------------


def _claim(session: Session, claim_id: int) -> Claim:
    claim = session.exec(
        select(Claim).where(Claim.id == claim_id, Claim.status != ClaimStatus.DRAFT)
    ).first()
    if claim is None:
        raise LookupError("claim")
    return claim


def list_claims(
    *, session: Session, authority, cursor=None, limit=50, holder_id=None, status=None
) -> Page:
    require(authority, "claims:read")
    query = select(Claim).where(Claim.status != ClaimStatus.DRAFT)
    if holder_id is not None:
        query = query.where(Claim.holder_id == holder_id)
    if status:
        query = query.where(Claim.status == status)
    return page(session, query, Claim, cursor=cursor, limit=limit)


@dataclass(frozen=True)
class ClaimDetail:
    claim: Claim
    events: list[ClaimEvent]
    files: list
    messages: list


def get_claim(*, session: Session, authority, claim_id: int) -> ClaimDetail:
    require(authority, "claims:read")
    claim = _claim(session, claim_id)
    return ClaimDetail(
        claim,
        stages.events(session=session, claim_id=claim.id),
        declaration_queries.files(session=session, claim_id=claim.id),
        declaration_queries.messages(session=session, claim_id=claim.id),
    )


def _claim_errors(error: ClaimInputError) -> OperationError:
    found = error.args[0] if error.args else None
    return OperationError(dict(found) if isinstance(found, dict) else {"request": str(error)})


def declare_claim(
    *, session: Session, authority, data: dict, now: datetime | None = None
) -> ClaimDetail:
    """A claim reported to the insurer (phone, agency), filed through the wizard's own steps."""
    require(authority, "claims:write")
    now = now or utcnow()
    contract = session.get(Contract, data["contract_id"])
    if contract is None:
        raise OperationError({"contract_id": "Contrat inconnu."})
    occurred = data["occurred_at"]
    if not now.year - 6 <= occurred.year <= now.year:
        raise OperationError({"occurred_at": "Date du sinistre invalide."})
    if occurred.tzinfo is None:
        occurred = occurred.replace(tzinfo=PARIS)
    local = occurred.astimezone(PARIS)
    try:
        claim = declaration.start_draft(
            session=session, holder_id=contract.holder_id, account_id=None, contract_id=contract.id
        )
        declaration.set_peril(session=session, claim=claim, peril_code=data["peril"])
        declaration.set_answers(
            session=session, claim=claim, raw=data.get("answers") or {}, today=local.date()
        )
        declaration.set_when(
            session=session,
            claim=claim,
            day_text=local.strftime("%d/%m/%Y"),
            time_text=local.strftime("%H:%M"),
            description=data["description"],
            now=now,
        )
        declaration.set_location(session=session, claim=claim, kind="property")
        for item in data["items"]:
            declaration_contents.add_item(
                session=session,
                claim=claim,
                description=item["description"],
                category=item["category"],
                purchase_date="",
                purchase_price="",
                estimate_text=f"{item['estimate_cents'] / 100:.2f}",
                today=local.date(),
            )
        declaration_sending.submit(session=session, claim=claim, now=now)
    except ClaimInputError as error:
        raise _claim_errors(error) from None
    return get_claim(session=session, authority=authority, claim_id=claim.id)


CLAIM_ACTIONS = (
    "appoint_expert",
    "plan_visit",
    "assess",
    "record_payment",
    "request_documents",
    "refuse",
    "close",
    "reopen",
)


def claim_action(
    *, session: Session, authority, claim_id: int, action: str, data: dict
) -> ClaimDetail:
    """Move a claim through its stages with the back office's own functions (the tracker, the
    notices and the staff audit log follow)."""
    require(authority, "claims:write")
    _claim(session, claim_id)
    staff_id = authority.staff_id
    try:
        if action == "appoint_expert":
            expert_id = data.get("expert_id") or _any_expert(session)
            workflow_assessment.appoint_expert(
                session=session, staff_id=staff_id, claim_id=claim_id, expert_id=expert_id
            )
        elif action == "plan_visit":
            at = data.get("visit_at")
            if at is None or not 2000 <= at.year <= 2100:
                raise OperationError({"visit_at": "Indiquez la date et l'heure de la visite."})
            if at.tzinfo is None:
                at = at.replace(tzinfo=PARIS)
            local = at.astimezone(PARIS)
            workflow_assessment.plan_visit(
                session=session,
                staff_id=staff_id,
                claim_id=claim_id,
                day_text=local.strftime("%d/%m/%Y"),
                time_text=local.strftime("%H:%M"),
                note=data.get("note") or "",
            )
        elif action == "assess":
            damage = data.get("damage_cents")
            if damage is None:
                raise OperationError({"damage_cents": "Indiquez le montant des dommages."})
            workflow_assessment.assess(
                session=session,
                staff_id=staff_id,
                claim_id=claim_id,
                damage_text=f"{damage / 100:.2f}",
            )
        elif action == "record_payment":
            workflow_assessment.record_payment(
                session=session,
                staff_id=staff_id,
                claim_id=claim_id,
                reference=data.get("reference") or "",
            )
        elif action in ("request_documents", "refuse", "reopen"):
            text = (data.get("reason") or "").strip()
            if not text:
                raise OperationError({"reason": "Indiquez le motif ou les documents demandés."})
            if action == "request_documents":
                workflow.request_documents(
                    session=session, staff_id=staff_id, claim_id=claim_id, what=text
                )
            elif action == "refuse":
                workflow.refuse(session=session, staff_id=staff_id, claim_id=claim_id, reason=text)
            else:
                workflow.reopen(session=session, staff_id=staff_id, claim_id=claim_id, reason=text)
        elif action == "close":
            workflow.close(session=session, staff_id=staff_id, claim_id=claim_id)
        else:
            raise OperationError({"action": f"Action : {', '.join(CLAIM_ACTIONS)}."})
    except ClaimInputError as error:
        raise _claim_errors(error) from None
    except StaffForbidden as error:
        raise OperationError({"action": str(error)}) from None
    return get_claim(session=session, authority=authority, claim_id=claim_id)


def _any_expert(session: Session) -> int:
    expert = session.exec(
        select(StaffUser.id)
        .where(StaffUser.role == StaffRole.EXPERT, StaffUser.is_active)
        .order_by(StaffUser.id)
    ).first()
    if expert is None:
        raise OperationError({"expert_id": "Aucun expert actif : indiquez expert_id."})
    return expert


def claim_message(*, session: Session, authority, claim_id: int, body: str) -> ClaimDetail:
    require(authority, "claims:write")
    _claim(session, claim_id)
    try:
        workflow.reply(session=session, staff_id=authority.staff_id, claim_id=claim_id, body=body)
    except ClaimInputError as error:
        raise _claim_errors(error) from None
    except StaffForbidden as error:
        raise OperationError({"body": str(error)}) from None
    return get_claim(session=session, authority=authority, claim_id=claim_id)
