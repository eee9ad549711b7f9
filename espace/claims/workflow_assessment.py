"""The claims back office: the assessment and the settlement of a claim (appoint an expert, plan
the visit, attach the report, assess the damage and the indemnity, record the payment with its
'avis de règlement').
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlmodel import Session

from espace.claims import declaration_contents, declaration_queries, perils, stages
from espace.claims import indemnity as claim_indemnity
from espace.claims.declaration import ClaimInputError
from espace.claims.models import Claim, ClaimFileKind
from espace.claims.workflow_permissions import (
    EXPERT_ASSESS,
    STATUSES,
    R,
    S,
    _audit,
    _claim_for,
    _require_status,
)
from espace.contracts.models import Contract
from espace.core import formatting as fmt
from espace.core.formatting import PARIS
from espace.core.models import utcnow
from espace.identity.models import StaffUser
from espace.identity.staff_access import StaffForbidden


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
