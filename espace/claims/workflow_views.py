"""The claims back office: what staff read (the queue, one claim and its parties, its files, who
read it and what was done), each read of a holder's data traced.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, select

from espace.claims import declaration_queries, perils, stages
from espace.claims.models import Claim, StaffAuditLog
from espace.claims.workflow_permissions import ROLE_LABELS, R, S, _require, active_staff, can
from espace.contracts.models import Contract, Formula
from espace.core.models import utcnow
from espace.identity import staff_reads
from espace.identity.models import Policyholder, StaffUser


def visible_claim(*, session: Session, staff_id: int, number: str) -> Claim | None:
    """A sent claim the staff member may see (experts: only those they are appointed to); the read
    is logged."""
    staff = active_staff(session, staff_id)
    _require(staff, "view_queue")
    query = select(Claim).where(
        Claim.number == (number or "").strip().upper(), Claim.status != S.DRAFT
    )
    if staff.role == R.EXPERT:
        query = query.where(Claim.expert_id == staff.id)
    claim = session.exec(query).first()
    if claim is not None:
        _trace_claim_read(session, staff, claim)
    return claim


def visible_claim_by_id(*, session: Session, staff_id: int, claim_id: int) -> Claim | None:
    """``visible_claim`` for the claim the page already shows (its server-side id)."""
    claim = session.get(Claim, claim_id) if claim_id else None
    if claim is None or not claim.number:
        return None
    return visible_claim(session=session, staff_id=staff_id, number=claim.number)


def claim_parties(*, session: Session, claim: Claim):
    """(policyholder, contract, terms on the day of the loss, formula of those terms) of a claim
    the caller may see (``visible_claim``)."""
    terms = declaration_queries.loss_terms(session=session, claim=claim)
    return (
        session.get(Policyholder, claim.holder_id),
        session.get(Contract, claim.contract_id),
        terms,
        session.get(Formula, terms.formula_id),
    )


def _trace_claim_read(session: Session, staff: StaffUser, claim: Claim) -> None:
    staff_reads.record(
        session=session,
        staff_id=staff.id,
        holder_id=claim.holder_id,
        object_type="claim",
        object_id=claim.id,
        detail=f"Sinistre {claim.number}",
    )


# ----- the queue -----------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueFilters:
    status: str = ""  # a ClaimStatus, "open" or ""
    peril: str = ""
    age: str = ""  # "" | "lt7" | "7to30" | "gt30"
    late_only: bool = False
    mine_only: bool = False


@dataclass(frozen=True)
class QueueRow:
    id: int
    number: str
    holder_name: str
    contract_number: str
    peril: str
    status: str
    submitted_at: datetime
    age_days: int
    due_at: datetime | None
    late: bool
    handler: str
    expert: str
    express: bool
    declared_cents: int
    indemnity_cents: int | None


def queue(
    *,
    session: Session,
    staff_id: int,
    filters: QueueFilters = QueueFilters(),
    now: datetime | None = None,
    limit: int = 200,
) -> list[QueueRow]:
    staff = active_staff(session, staff_id)
    _require(staff, "view_queue")
    now = now or utcnow()
    query = (
        select(Claim, Policyholder, Contract)
        .join(Policyholder, Policyholder.id == Claim.holder_id)
        .join(Contract, Contract.id == Claim.contract_id)
        .where(Claim.status != S.DRAFT)
    )
    if staff.role == R.EXPERT:
        query = query.where(Claim.expert_id == staff.id)
    if filters.status == "open":
        query = query.where(Claim.status.in_(stages.OPEN_STATUSES))
    elif filters.status in S.__members__.values():
        query = query.where(Claim.status == filters.status)
    if filters.peril in perils.BY_CODE:
        query = query.where(Claim.peril == filters.peril)
    if filters.age == "lt7":
        query = query.where(Claim.submitted_at >= now - timedelta(days=7))
    elif filters.age == "7to30":
        query = query.where(
            Claim.submitted_at < now - timedelta(days=7),
            Claim.submitted_at >= now - timedelta(days=30),
        )
    elif filters.age == "gt30":
        query = query.where(Claim.submitted_at < now - timedelta(days=30))
    if filters.late_only:
        query = query.where(Claim.next_step_due_at.is_not(None), Claim.next_step_due_at < now)
    if filters.mine_only:
        query = query.where((Claim.handler_id == staff.id) | (Claim.expert_id == staff.id))
    rows = session.exec(
        query.order_by(
            Claim.next_step_due_at.is_(None), Claim.next_step_due_at, Claim.submitted_at
        ).limit(limit)
    ).all()
    names = staff_names(session=session)
    return [
        QueueRow(
            id=c.id,
            number=c.number,
            holder_name=f"{h.first_name} {h.last_name}",
            contract_number=k.number,
            peril=perils.label(c.peril),
            status=stages.label(c.status),
            submitted_at=c.submitted_at,
            age_days=(now - c.submitted_at).days,
            due_at=c.next_step_due_at,
            late=stages.is_late(c.next_step_due_at, now),
            handler=names.get(c.handler_id, ""),
            expert=names.get(c.expert_id, ""),
            express=c.express,
            declared_cents=c.declared_total_cents,
            indemnity_cents=c.indemnity_cents,
        )
        for c, h, k in rows
    ]


def staff_names(*, session: Session) -> dict[int, str]:
    """Staff members' names by id (handlers and experts shown on claims)."""
    return {s.id: s.full_name for s in session.exec(select(StaffUser)).all()}


def staff_of_role(*, session: Session, role: str) -> list[StaffUser]:
    return list(
        session.exec(
            select(StaffUser)
            .where(StaffUser.role == role, StaffUser.is_active)
            .order_by(StaffUser.full_name)
        ).all()
    )


def file_for_staff(*, session: Session, staff_id: int, file_id: int, thumbnail: bool = False):
    """A file of a claim the staff member may see; the read is logged (a thumbnail, shown on the
    claim's page, counts as a read of the claim)."""
    from espace.claims.models import ClaimFile

    staff = active_staff(session, staff_id)
    query = (
        select(ClaimFile, Claim)
        .join(Claim, Claim.id == ClaimFile.claim_id)
        .where(ClaimFile.id == file_id, Claim.status != S.DRAFT)
    )
    if staff.role == R.EXPERT:
        query = query.where(Claim.expert_id == staff.id)
    found = session.exec(query).first()
    if found is None:
        return None
    record, claim = found
    if thumbnail and record.thumbnail_key:
        _trace_claim_read(session, staff, claim)
    else:
        staff_reads.record(
            session=session,
            staff_id=staff.id,
            holder_id=claim.holder_id,
            object_type="claim_file",
            object_id=record.id,
            detail=f"« {record.filename} » du sinistre {claim.number}",
        )
    return record


def read_log(
    *, session: Session, staff_id: int, claim_id: int
) -> list[tuple[str, str, datetime, str]]:
    """Who opened this claim and its files: (name, role label, when, what), for managers only."""
    from espace.claims.models import ClaimFile

    staff = active_staff(session, staff_id)
    if not can(staff, "audit"):
        return []
    file_ids = session.exec(select(ClaimFile.id).where(ClaimFile.claim_id == claim_id)).all()
    rows = staff_reads.for_objects(
        session=session, objects=[("claim", [claim_id]), ("claim_file", file_ids)]
    )
    return [
        (user.full_name, ROLE_LABELS.get(user.role, user.role), log.at, log.detail)
        for log, user in rows
    ]


def audit_log(*, session: Session, staff_id: int, claim_id: int) -> list[tuple[StaffAuditLog, str]]:
    staff = active_staff(session, staff_id)
    if not can(staff, "audit"):
        return []
    rows = session.exec(
        select(StaffAuditLog, StaffUser)
        .join(StaffUser, StaffUser.id == StaffAuditLog.staff_id)
        .where(StaffAuditLog.object_type == "claim", StaffAuditLog.object_id == claim_id)
        .order_by(StaffAuditLog.at.desc(), StaffAuditLog.id.desc())
    ).all()
    return [(log, user.full_name) for log, user in rows]
