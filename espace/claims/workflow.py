"""The claims back office: the queue, and what each staff role may do to a claim.

Every action checks the staff member's role (and, for experts, that the claim is theirs), moves
the claim through ``stages`` (which dates it and tells the holder) and is written to the
audit log with who and when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlmodel import Session, select

from espace.claims import declaration_contents, declaration_queries, perils, stages
from espace.claims import indemnity as claim_indemnity
from espace.claims.declaration import ClaimInputError
from espace.claims.models import Claim, ClaimFileKind, ClaimStatus, StaffAuditLog
from espace.contracts.models import Contract, Formula
from espace.core import formatting as fmt
from espace.core.formatting import PARIS
from espace.core.models import utcnow
from espace.identity import staff_reads
from espace.identity.models import Policyholder, StaffRole, StaffUser
from espace.identity.staff_access import StaffForbidden
from espace.notifications import notices, outbox
from espace.notifications.models import NotificationCategory

S = ClaimStatus
R = StaffRole

# What each role may do. Experts only ever see the claims they are appointed to.
PERMISSIONS: dict[str, frozenset[str]] = {
    "view_queue": frozenset({R.HANDLER, R.MANAGER, R.EXPERT}),
    "assign_handler": frozenset(
        {R.HANDLER, R.MANAGER}
    ),  # a handler may only take a claim for themself
    "appoint_expert": frozenset({R.HANDLER, R.MANAGER}),
    "plan_visit": frozenset({R.EXPERT, R.HANDLER, R.MANAGER}),
    "attach_report": frozenset({R.EXPERT, R.MANAGER}),
    "assess": frozenset({R.EXPERT, R.HANDLER, R.MANAGER}),
    "record_payment": frozenset({R.HANDLER, R.MANAGER}),
    "request_documents": frozenset({R.HANDLER, R.MANAGER}),
    "refuse": frozenset({R.HANDLER, R.MANAGER}),
    "close": frozenset({R.HANDLER, R.MANAGER}),
    "reopen": frozenset({R.MANAGER}),
    "messages": frozenset({R.HANDLER, R.MANAGER}),
    "upload": frozenset({R.EXPERT, R.HANDLER, R.MANAGER}),
    "audit": frozenset({R.MANAGER}),
}

# ... and in which statuses of the claim. With PERMISSIONS, the one role x status table of the
# back office: the services refuse anything else, and the claim page offers exactly this.
_OPEN = tuple(stages.OPEN_STATUSES)
_SENT = tuple(s for s in S if s != S.DRAFT)
STATUSES: dict[str, tuple[str, ...]] = {
    "assign_handler": _OPEN,
    "appoint_expert": (S.RECEIVED, S.DOCUMENTS_REQUESTED, S.EXPERT_APPOINTED, S.VISIT_PLANNED),
    "plan_visit": (S.EXPERT_APPOINTED, S.VISIT_PLANNED),
    "attach_report": (S.EXPERT_APPOINTED, S.VISIT_PLANNED, S.EXPERT_REPORT),
    "assess": (
        S.RECEIVED,
        S.DOCUMENTS_REQUESTED,
        S.EXPERT_APPOINTED,
        S.VISIT_PLANNED,
        S.EXPERT_REPORT,
        S.INDEMNITY_COMPUTED,
    ),
    "record_payment": (S.INDEMNITY_COMPUTED,),
    "request_documents": _OPEN[:-1],
    "refuse": _OPEN[:-2],
    "close": (S.PAYMENT_SENT,),  # or nothing owed once the indemnity is computed (see close)
    "reopen": (S.CLOSED, S.REFUSED),
    "messages": _SENT,
    "upload": _SENT,
    "audit": _SENT,
}
# An expert chiffre the damage after the visit only.
EXPERT_ASSESS = (S.VISIT_PLANNED, S.EXPERT_REPORT, S.INDEMNITY_COMPUTED)
# The buttons of the claim page and the action each one performs.
PANEL: dict[str, str] = {
    "assign": "assign_handler",
    "appoint": "appoint_expert",
    "visit": "plan_visit",
    "report": "attach_report",
    "assess": "assess",
    "payment": "record_payment",
    "documents": "request_documents",
    "refuse": "refuse",
    "close": "close",
    "reopen": "reopen",
    "messages": "messages",
    "upload": "upload",
    "audit": "audit",
}

ROLE_LABELS = {R.HANDLER: "Gestionnaire sinistres", R.EXPERT: "Expert", R.MANAGER: "Responsable"}


def can(staff: StaffUser, action: str) -> bool:
    return staff.role in PERMISSIONS.get(action, frozenset())


def allowed_actions(staff: StaffUser, claim: Claim) -> dict[str, bool]:
    """Which buttons of the claim page this staff member may use on this claim now, read from the
    table above (the services check the same table when the button is used)."""
    owed = (claim.indemnity_cents or 0) - claim.paid_cents
    allowed = {
        name: can(staff, action) and claim.status in STATUSES[action]
        for name, action in PANEL.items()
    }
    if staff.role == R.EXPERT:
        allowed["assess"] = allowed["assess"] and claim.status in EXPERT_ASSESS
    # A handler takes the claim for themself; a manager picks any handler.
    allowed["take"] = allowed["assign"] and staff.role == R.HANDLER and claim.handler_id != staff.id
    allowed["assign"] = allowed["assign"] and staff.role == R.MANAGER
    allowed["payment"] = allowed["payment"] and owed > 0
    # Nothing owed (damage under the deductible, or already paid): it closes without a transfer.
    allowed["close"] = can(staff, "close") and (
        claim.status in STATUSES["close"] or (claim.status == S.INDEMNITY_COMPUTED and owed <= 0)
    )
    return allowed


def active_staff(session: Session, staff_id: int | None) -> StaffUser:
    staff = session.get(StaffUser, staff_id) if staff_id else None
    if staff is None or not staff.is_active:
        raise StaffForbidden("Votre session de gestion n'est plus valable.")
    return staff


def _require(staff: StaffUser, action: str) -> None:
    if not can(staff, action):
        raise StaffForbidden("Votre rôle ne permet pas cette action.")


def _audit(session: Session, staff: StaffUser, action: str, claim: Claim, detail: str = "") -> None:
    session.add(
        StaffAuditLog(
            staff_id=staff.id,
            action=action,
            object_type="claim",
            object_id=claim.id,
            detail=detail[:1000],
        )
    )
    session.flush()


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


def _claim_for(
    session: Session, staff_id: int, claim_id: int, action: str
) -> tuple[StaffUser, Claim]:
    staff = active_staff(session, staff_id)
    _require(staff, action)
    query = select(Claim).where(Claim.id == claim_id, Claim.status != S.DRAFT)
    if staff.role == R.EXPERT:
        query = query.where(Claim.expert_id == staff.id)
    claim = session.exec(query).first()
    if claim is None:
        raise StaffForbidden("Ce dossier n'existe pas ou ne vous est pas attribué.")
    return staff, claim


def _require_status(claim: Claim, allowed: tuple[str, ...], message: str) -> None:
    if claim.status not in allowed:
        raise ClaimInputError({"action": message})


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


# ----- actions -------------------------------------------------------------------------------


def assign_handler(*, session: Session, staff_id: int, claim_id: int, handler_id: int) -> Claim:
    staff, claim = _claim_for(session, staff_id, claim_id, "assign_handler")
    _require_status(claim, STATUSES["assign_handler"], "Ce dossier est terminé.")
    if staff.role == R.HANDLER and handler_id != staff.id:
        raise StaffForbidden("Un gestionnaire ne peut prendre un dossier que pour lui-même.")
    handler = session.get(StaffUser, handler_id)
    if handler is None or not handler.is_active or handler.role not in (R.HANDLER, R.MANAGER):
        raise ClaimInputError({"handler": "Choisissez un gestionnaire."})
    claim.handler_id = handler.id
    session.add(claim)
    _audit(session, staff, "assign_handler", claim, handler.full_name)
    return claim


def appoint_expert(*, session: Session, staff_id: int, claim_id: int, expert_id: int) -> Claim:
    staff, claim = _claim_for(session, staff_id, claim_id, "appoint_expert")
    _require_status(
        claim,
        STATUSES["appoint_expert"],
        "Un expert ne peut plus être missionné à ce stade.",
    )
    expert = session.get(StaffUser, expert_id)
    if expert is None or not expert.is_active or expert.role != R.EXPERT:
        raise ClaimInputError({"expert": "Choisissez un expert."})
    claim.expert_id = expert.id
    stages.move(
        session=session,
        claim=claim,
        kind=S.EXPERT_APPOINTED,
        staff_id=staff.id,
        detail=f"{expert.full_name} est l'expert chargé d'évaluer vos dommages.",
    )
    _audit(session, staff, "appoint_expert", claim, expert.full_name)
    return claim


def plan_visit(
    *,
    session: Session,
    staff_id: int,
    claim_id: int,
    day_text: str,
    time_text: str,
    note: str = "",
    now: datetime | None = None,
) -> Claim:
    staff, claim = _claim_for(session, staff_id, claim_id, "plan_visit")
    _require_status(claim, STATUSES["plan_visit"], "Missionnez d'abord un expert.")
    now = now or utcnow()
    day = perils.parse_date(day_text)
    errors: dict[str, str] = {}
    if day is None:
        errors["visit_date"] = "Indiquez la date de la visite (JJ/MM/AAAA)."
    try:
        hour = time.fromisoformat((time_text or "").strip()[:5])
    except ValueError:
        errors["visit_time"] = "Indiquez l'heure de la visite (HH:MM)."
    if errors:
        raise ClaimInputError(errors)
    visit = datetime.combine(day, hour, tzinfo=PARIS)
    if visit < now.astimezone(PARIS):
        raise ClaimInputError({"visit_date": "La visite ne peut pas être dans le passé."})
    if visit > now.astimezone(PARIS) + timedelta(days=90):
        raise ClaimInputError({"visit_date": "La visite doit avoir lieu dans les 90 jours."})
    claim.visit_at, claim.visit_note = visit.astimezone(now.tzinfo), (note or "").strip()[:300]
    detail = f"Visite de l'expert le {fmt.date_fr(visit)} à {visit:%H:%M}."
    if claim.visit_note:
        detail += f" {claim.visit_note}"
    stages.move(
        session=session,
        claim=claim,
        kind=S.VISIT_PLANNED,
        staff_id=staff.id,
        detail=detail,
        due_at=claim.visit_at,
    )
    _audit(session, staff, "plan_visit", claim, detail)
    return claim


def attach_report(
    *, session: Session, staff_id: int, claim_id: int, data: bytes, filename: str, summary: str
) -> Claim:
    staff, claim = _claim_for(session, staff_id, claim_id, "attach_report")
    _require_status(
        claim,
        STATUSES["attach_report"],
        "Le rapport suit la mission de l'expert.",
    )
    summary = (summary or "").strip()
    if len(summary) < 10:
        raise ClaimInputError(
            {
                "report_summary": (
                    "Résumez les conclusions du rapport pour l'assuré (10 caractères au moins)."
                )
            }
        )
    record = declaration_contents.add_file(
        session=session,
        claim=claim,
        data=data,
        filename=filename,
        kind=ClaimFileKind.EXPERT_REPORT,
        staff_id=staff.id,
    )
    stages.move(
        session=session, claim=claim, kind=S.EXPERT_REPORT, staff_id=staff.id, detail=summary[:1000]
    )
    _audit(session, staff, "attach_report", claim, record.filename)
    return claim


def assess(
    *, session: Session, staff_id: int, claim_id: int, damage_text: str, category: str = ""
) -> claim_indemnity.Indemnity:
    """Enter the assessed damage; the indemnity follows from the contract's ceiling and
    deductible."""
    staff, claim = _claim_for(session, staff_id, claim_id, "assess")
    _require_status(
        claim,
        STATUSES["assess"],
        "L'indemnité ne peut plus être modifiée à ce stade.",
    )
    if staff.role == R.EXPERT and claim.status not in EXPERT_ASSESS:
        raise StaffForbidden("L'expert chiffre les dommages après sa visite.")
    try:
        damage = fmt.parse_euros(damage_text)
    except ValueError:
        damage = -1
    if damage is None or damage < 0 or damage > 100_000_000:
        raise ClaimInputError(
            {"damage": "Montant des dommages invalide : par exemple 2 450 ou 2 450,00."}
        )
    category = category or claim.guarantee_category
    contract = session.get(Contract, claim.contract_id)
    result = claim_indemnity.compute(
        session=session,
        contract=contract,
        peril_code=claim.peril,
        damage_cents=damage,
        on=declaration_queries.loss_date(claim),
        category=category,
        answers=claim.answers,
    )
    if not result.covered:
        raise ClaimInputError(
            {
                "damage": f"Aucune garantie du contrat ne s'applique ({result.explanation}) : "
                "choisissez la garantie ou refusez la prise en charge."
            }
        )
    claim.guarantee_category = category
    claim.assessed_damage_cents, claim.ceiling_cents = result.damage_cents, result.ceiling_cents
    claim.deductible_cents, claim.indemnity_cents = result.deductible_cents, result.indemnity_cents
    stages.move(
        session=session,
        claim=claim,
        kind=S.INDEMNITY_COMPUTED,
        staff_id=staff.id,
        detail=f"Indemnité : {fmt.money(result.indemnity_cents)}. {result.explanation}",
    )
    _audit(
        session,
        staff,
        "assess",
        claim,
        f"dommages {fmt.money(damage)} ; indemnité {fmt.money(result.indemnity_cents)}",
    )
    return result


def record_payment(*, session: Session, staff_id: int, claim_id: int, reference: str = "") -> Claim:
    staff, claim = _claim_for(session, staff_id, claim_id, "record_payment")
    _require_status(claim, STATUSES["record_payment"], "Calculez d'abord l'indemnité.")
    balance = (claim.indemnity_cents or 0) - claim.paid_cents
    if balance <= 0:
        raise ClaimInputError(
            {
                "action": (
                    "L'indemnité a déjà été versée : rien de plus à payer (clôturez le dossier)."
                )
            }
        )
    earlier = sum(
        1 for e in stages.events(session=session, claim_id=claim.id) if e.kind == S.PAYMENT_SENT
    )
    reference = (reference or "").strip()[:40] or f"VIR-{claim.number}" + (
        f"-{earlier + 1}" if earlier else ""
    )
    claim.payment_reference, claim.paid_at, claim.paid_cents = (
        reference,
        utcnow(),
        claim.paid_cents + balance,
    )
    _store_settlement_advice(session, claim, staff, balance)
    stages.move(
        session=session,
        claim=claim,
        kind=S.PAYMENT_SENT,
        staff_id=staff.id,
        detail=f"Virement de {fmt.money(balance)} envoyé (référence {reference}).",
    )
    _audit(session, staff, "record_payment", claim, f"{fmt.money(balance)} ; {reference}")
    return claim


def _store_settlement_advice(
    session: Session, claim: Claim, staff: StaffUser, amount_cents: int
) -> None:
    """The 'avis de règlement' PDF, in the claim's document space as the payment proof."""
    from espace.claims.models import ClaimFile
    from espace.contracts.models import Formula
    from espace.documents import private_files
    from espace.documents.addresses import holder_lines, property_lines
    from espace.documents.pdf.data import SettlementData
    from espace.documents.pdf.settlement import render_settlement
    from espace.identity.models import Policyholder

    contract = session.get(Contract, claim.contract_id)
    loss_terms = declaration_queries.loss_terms(
        session=session, claim=claim
    )  # the home and formula of the loss date
    holder_name, holder_address = holder_lines(session.get(Policyholder, claim.holder_id))
    data = SettlementData(
        reference=claim.number,
        issued_on=fmt.date_fr(claim.paid_at),
        holder_name=holder_name,
        holder_address=holder_address,
        contract_number=contract.number,
        formula=session.get(Formula, loss_terms.formula_id).name,
        property_address=property_lines(loss_terms),
        peril=perils.label(claim.peril),
        occurred_on=fmt.date_fr(claim.occurred_at),
        guarantee=claim.estimate.get("guarantee", "")
        if not claim.guarantee_category
        else _guarantee_name(session, contract, claim),
        damage=fmt.money(claim.assessed_damage_cents),
        deductible=fmt.money(claim.deductible_cents),
        ceiling=fmt.money(claim.ceiling_cents),
        indemnity=fmt.money(claim.indemnity_cents),
        already_paid=fmt.money(claim.paid_cents - amount_cents)
        if claim.paid_cents > amount_cents
        else "",
        paid_now=fmt.money(amount_cents),
        payment_reference=claim.payment_reference,
        paid_on=fmt.date_fr(claim.paid_at),
        express_reason=claim.express_reason,
    )
    pdf = render_settlement(data)
    key, digest = private_files.put(session=session, data=pdf, extension="pdf")
    session.add(
        ClaimFile(
            claim_id=claim.id,
            kind=ClaimFileKind.PAYMENT_PROOF,
            filename=f"avis-de-reglement-{claim.number}.pdf",
            mime_type="application/pdf",
            size_bytes=len(pdf),
            sha256=digest,
            storage_key=key,
            uploaded_by_staff_id=staff.id,
        )
    )
    session.flush()


def _guarantee_name(session: Session, contract: Contract, claim: Claim) -> str:
    result = claim_indemnity.compute(
        session=session,
        contract=contract,
        peril_code=claim.peril,
        damage_cents=0,
        on=declaration_queries.loss_date(claim),
        category=claim.guarantee_category,
    )
    return result.guarantee


def request_documents(*, session: Session, staff_id: int, claim_id: int, what: str) -> Claim:
    staff, claim = _claim_for(session, staff_id, claim_id, "request_documents")
    _require_status(claim, STATUSES["request_documents"], "Ce dossier est terminé ou déjà payé.")
    what = (what or "").strip()
    if len(what) < 5:
        raise ClaimInputError({"requested": "Précisez les documents attendus."})
    claim.requested_documents = what[:1000]
    stages.move(
        session=session,
        claim=claim,
        kind=S.DOCUMENTS_REQUESTED,
        staff_id=staff.id,
        detail=f"Documents demandés : {claim.requested_documents}",
    )
    _audit(session, staff, "request_documents", claim, what)
    return claim


def refuse(*, session: Session, staff_id: int, claim_id: int, reason: str) -> Claim:
    staff, claim = _claim_for(session, staff_id, claim_id, "refuse")
    _require_status(claim, STATUSES["refuse"], "Ce dossier ne peut plus être refusé.")
    reason = (reason or "").strip()
    if len(reason) < 20:
        raise ClaimInputError(
            {"refusal": "Motivez le refus pour l'assuré (20 caractères au moins)."}
        )
    claim.refusal_reason = reason[:1000]
    stages.move(
        session=session,
        claim=claim,
        kind=S.REFUSED,
        staff_id=staff.id,
        detail=f"Motif : {claim.refusal_reason}",
    )
    _audit(session, staff, "refuse", claim, reason)
    return claim


def close(*, session: Session, staff_id: int, claim_id: int) -> Claim:
    staff, claim = _claim_for(session, staff_id, claim_id, "close")
    nothing_owed = (
        claim.status == S.INDEMNITY_COMPUTED and (claim.indemnity_cents or 0) <= claim.paid_cents
    )
    if claim.status not in STATUSES["close"] and not nothing_owed:
        raise ClaimInputError(
            {"action": "Un dossier se clôture après le paiement (sinon, refusez-le)."}
        )
    stages.move(
        session=session,
        claim=claim,
        kind=S.CLOSED,
        staff_id=staff.id,
        detail="Votre dossier est clôturé.",
    )
    _audit(session, staff, "close", claim)
    return claim


def reopen(*, session: Session, staff_id: int, claim_id: int, reason: str) -> Claim:
    staff, claim = _claim_for(session, staff_id, claim_id, "reopen")
    _require_status(
        claim, STATUSES["reopen"], "Seul un dossier clôturé ou refusé peut être rouvert."
    )
    reason = (reason or "").strip()
    if len(reason) < 10:
        raise ClaimInputError({"reopen": "Indiquez pourquoi le dossier est rouvert."})
    claim.closed_at, claim.refusal_reason = None, ""
    stages.move(
        session=session,
        claim=claim,
        kind="reopened",
        status=S.RECEIVED,
        staff_id=staff.id,
        detail=reason,
    )
    _audit(session, staff, "reopen", claim, reason)
    return claim


def reply(*, session: Session, staff_id: int, claim_id: int, body: str) -> None:
    staff, claim = _claim_for(session, staff_id, claim_id, "messages")
    declaration_contents.post_message(session=session, claim=claim, body=body, staff_id=staff.id)
    link = stages.claim_link(claim)
    notices.notify(
        session=session,
        holder_id=claim.holder_id,
        category=NotificationCategory.CLAIMS,
        title=f"Nouveau message sur votre sinistre {claim.number}",
        body=body.strip()[:200],
        link=link,
        email_subject=f"Nouveau message sur votre sinistre {claim.number}",
        email_body=(
            f"Bonjour,\n\n{staff.full_name} vous a écrit au sujet de votre sinistre "
            f"{claim.number}. Lisez le message dans votre espace (il n'est pas copié dans cet "
            f"e-mail) : {outbox.link(link)}"
        ),
    )
    _audit(session, staff, "reply", claim)


def upload(
    *, session: Session, staff_id: int, claim_id: int, data: bytes, filename: str, kind: str
) -> None:
    staff, claim = _claim_for(session, staff_id, claim_id, "upload")
    allowed = (
        ClaimFileKind.CORRESPONDENCE,
        ClaimFileKind.QUOTE,
        ClaimFileKind.INVOICE,
        ClaimFileKind.PAYMENT_PROOF,
        ClaimFileKind.PHOTO,
        ClaimFileKind.DOCUMENT,
    )
    if kind not in allowed:
        raise ClaimInputError({"kind": "Choisissez le type de document."})
    record = declaration_contents.add_file(
        session=session, claim=claim, data=data, filename=filename, kind=kind, staff_id=staff.id
    )
    stages.record(
        session=session,
        claim=claim,
        kind="documents_added",
        staff_id=staff.id,
        detail=f"« {record.filename} » ajouté par votre gestionnaire.",
    )
    _audit(session, staff, "upload", claim, record.filename)


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


def today_paris(now: datetime | None = None) -> date:
    return (now or utcnow()).astimezone(PARIS).date()
