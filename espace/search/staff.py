"""Search in the back office, within each role's rights (checked here, in the queries themselves):

- handlers and managers: every sent claim, every holder (name, e-mail, phone, contract and claim
  numbers, town), the claims' messages and the holders' message threads;
- experts: only the claims they are appointed to, their messages, and the holders of those claims;
  no message threads (they have no inbox).

An exact identifier (a claim number ``SIN-…``, a contract number ``MRH…``, an e-mail address) is
looked up first; words go through the same ranking as the holders' search (keywords and thesaurus;
the vector index is per holder scope, so the back office ranks by words). Every claim or thread
shown is logged as a read of that holder's data, as when it is opened."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from espace import routes
from espace.claims import perils, stages
from espace.claims.models import Claim, ClaimMessage, ClaimStatus
from espace.claims.workflow_permissions import active_staff
from espace.contracts.models import Contract
from espace.core.models import saved_id
from espace.identity import staff_reads
from espace.identity.identifiers import normalise_email
from espace.identity.models import Policyholder, StaffRole
from espace.identity.staff_access import StaffForbidden
from espace.search import engine, sources
from espace.search.index import SearchIndex, Where, get_index

KIND_LABELS = {
    "claim": "Sinistre",
    "holder": "Assuré",
    "message": "Message",
    "thread": "Conversation",
}
THREAD_ROLES = (StaffRole.HANDLER, StaffRole.MANAGER)


@dataclass(frozen=True)
class StaffHit:
    kind: str  # claim | holder | message | thread
    key: str
    title: str
    detail: str
    url: str


def _allowed_keys(session: Session, staff_id: int) -> tuple[str, ...] | None:
    """The index keys an expert may reach (None: no restriction but the kinds)."""
    claims = session.exec(
        select(Claim.id, Claim.holder_id).where(
            Claim.expert_id == staff_id, Claim.status != ClaimStatus.DRAFT
        )
    ).all()
    claim_ids = [c for c, _h in claims]
    messages = (
        session.exec(select(ClaimMessage.id).where(col(ClaimMessage.claim_id).in_(claim_ids))).all()
        if claim_ids
        else []
    )
    return tuple(
        [f"claim:{c}" for c in claim_ids]
        + [f"message:{m}" for m in messages]
        + [f"holder:{h}" for h in sorted({h for _c, h in claims})]
    )


def _claim_hit(session: Session, claim: Claim) -> StaffHit:
    holder = session.get(Policyholder, claim.holder_id)
    name = f"{holder.first_name} {holder.last_name}" if holder else ""
    return StaffHit(
        kind="claim",
        key=f"claim:{claim.id}",
        title=f"Sinistre {claim.number} — {perils.label(claim.peril)}",
        detail=f"{name} · {stages.label(claim.status)}",
        url=f"{routes.STAFF_CLAIM}?n={claim.number}",
    )


def _exact(session: Session, staff_id: int, role: str, query: str) -> list[StaffHit]:
    """A claim number, a contract number or an e-mail address, within the role's rights."""
    wanted = query.strip()
    hits: list[StaffHit] = []
    claims = select(Claim).where(Claim.status != ClaimStatus.DRAFT)
    if role == StaffRole.EXPERT:
        claims = claims.where(Claim.expert_id == staff_id)
    if wanted.upper().startswith("SIN-"):
        hits += [
            _claim_hit(session, c)
            for c in session.exec(claims.where(Claim.number == wanted.upper())).all()
        ]
    holders: list[Policyholder] = []
    if wanted.upper().startswith("MRH"):
        holders = list(
            session.exec(
                select(Policyholder)
                .join(Contract, col(Contract.holder_id) == Policyholder.id)
                .where(Contract.number == wanted.upper())
            ).all()
        )
    elif "@" in wanted:
        holders = list(
            session.exec(
                select(Policyholder).where(Policyholder.email == normalise_email(wanted))
            ).all()
        )
    if role == StaffRole.EXPERT and holders:
        mine = set(session.exec(select(Claim.holder_id).where(Claim.expert_id == staff_id)).all())
        holders = [h for h in holders if h.id in mine]
    for holder in holders:
        hits.append(_holder_hit(session, staff_id, role, holder))
    return hits


def _holder_hit(session: Session, staff_id: int, role: str, holder: Policyholder) -> StaffHit:
    contracts = session.exec(
        select(Contract.number).where(Contract.holder_id == holder.id).order_by(Contract.number)
    ).all()
    claims = select(Claim).where(Claim.holder_id == holder.id, Claim.status != ClaimStatus.DRAFT)
    if role == StaffRole.EXPERT:
        claims = claims.where(Claim.expert_id == staff_id)
    latest = session.exec(claims.order_by(col(Claim.submitted_at).desc())).first()
    return StaffHit(
        kind="holder",
        key=f"holder:{holder.id}",
        title=f"{holder.first_name} {holder.last_name}",
        detail=" · ".join([holder.email, *contracts]),
        url=f"{routes.STAFF_CLAIM}?n={latest.number}" if latest else "",
    )


def search(
    *,
    session: Session,
    staff_id: int,
    query: str,
    limit: int = 30,
    index: SearchIndex | None = None,
) -> list[StaffHit]:
    staff = active_staff(session, staff_id)  # StaffForbidden for no session or an inactive account
    if staff.role not in (StaffRole.HANDLER, StaffRole.MANAGER, StaffRole.EXPERT):
        raise StaffForbidden("Votre rôle ne permet pas la recherche.")
    query = (query or "").strip()[:200]
    if not query:
        return []
    index = index or get_index()
    staff_id = saved_id(staff)
    hits = _exact(session, staff_id, staff.role, query)
    kinds = ("claim", "message", "holder") + (("thread",) if staff.role in THREAD_ROLES else ())
    keys = _allowed_keys(session, staff_id) if staff.role == StaffRole.EXPERT else None
    if keys == ():
        return hits
    where = Where(scopes=None, kinds=kinds, keys=keys, public_scope=sources.PUBLIC)
    ranked = engine.rank(index=index, query=query, where=where, limit=limit, semantic=False)
    rows = index.rows([i for i, _ in ranked.ids])
    seen = {h.key for h in hits}
    for item_id, _score in ranked.ids:
        row = rows.get(item_id)
        if row is None or row.key in seen:
            continue
        hit = _hit_for(session, staff_id, staff.role, row.kind, int(row.key.split(":")[1]))
        if hit is not None:
            hits.append(hit)
            seen.add(hit.key)
    for hit in hits:
        _trace(session, staff_id, hit)
    return hits[:limit]


def _hit_for(session: Session, staff_id: int, role: str, kind: str, ident: int) -> StaffHit | None:
    """The hit, re-checked against the database and the role (the index may lag a commit behind)."""
    if kind in ("claim", "message"):
        message = session.get(ClaimMessage, ident) if kind == "message" else None
        if kind == "message" and message is None:
            return None
        claim_id = message.claim_id if message is not None else ident
        query = select(Claim).where(Claim.id == claim_id, Claim.status != ClaimStatus.DRAFT)
        if role == StaffRole.EXPERT:
            query = query.where(Claim.expert_id == staff_id)
        claim = session.exec(query).first()
        if claim is None:
            return None
        hit = _claim_hit(session, claim)
        if message is not None:
            return StaffHit(
                "message",
                f"message:{ident}",
                f"Message — {hit.title}",
                (message.body or "")[:140],
                hit.url + "#messages",
            )
        return hit
    if kind == "holder":
        holder = session.get(Policyholder, ident)
        if holder is None:
            return None
        if (
            role == StaffRole.EXPERT
            and not session.exec(
                select(Claim.id).where(Claim.holder_id == ident, Claim.expert_id == staff_id)
            ).first()
        ):
            return None
        return _holder_hit(session, staff_id, role, holder)
    if kind == "thread" and role in THREAD_ROLES:
        from espace.support.models import SupportThread

        thread = session.get(SupportThread, ident)
        if thread is None:
            return None
        holder = session.get(Policyholder, thread.holder_id)
        return StaffHit(
            "thread",
            f"thread:{ident}",
            f"Conversation — {thread.subject}",
            f"{holder.first_name} {holder.last_name}" if holder else "",
            f"{routes.STAFF_THREAD}?n={ident}",
        )
    return None


def _trace(session: Session, staff_id: int, hit: StaffHit) -> None:
    kind, _, ident = hit.key.partition(":")
    if kind not in ("claim", "thread"):
        return
    from espace.support.models import SupportThread

    row: Claim | SupportThread | None = (
        session.get(Claim, int(ident))
        if kind == "claim"
        else session.get(SupportThread, int(ident))
    )
    if row is not None:
        staff_reads.record(
            session=session,
            staff_id=staff_id,
            holder_id=row.holder_id,
            object_type="claim" if kind == "claim" else "support_thread",
            object_id=saved_id(row),
            detail=f"Résultat de recherche : {hit.title}"[:200],
        )
