"""Demo claims: the demo holder's water damage in progress and last year's storm, settled; claims of
other holders at every stage so the back office's queue has work (one of them late)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, delete, select

from espace.claims import (
    declaration,
    declaration_contents,
    declaration_sending,
    workflow,
    workflow_assessment,
)
from espace.claims.models import Claim, ClaimEvent, ClaimMessage
from espace.contracts.models import Contract
from espace.core.models import utcnow
from espace.identity.models import Account, StaffRole, StaffUser
from espace.notifications.models import Notification, OutboxMessage

# (contract number or generated holder index, peril, answers, description, items, days ago, stages
# to run)
_WATER = {
    "origin": "leak",
    "neighbour_involved": "yes",
    "amicable_report": "yes",
    "leak_stopped": "yes",
}
_STORM = {"weather_event": "wind", "roof_damaged": "yes", "protection_taken": "yes"}


def _draft(
    session: Session,
    contract: Contract,
    peril: str,
    answers: dict,
    description: str,
    items: list[tuple[str, str, str]],
    occurred: datetime,
) -> Claim:
    account = session.exec(select(Account).where(Account.holder_id == contract.holder_id)).first()
    claim = declaration.start_draft(
        session=session,
        holder_id=contract.holder_id,
        account_id=account.id if account else None,
        contract_id=contract.id,
    )
    declaration.set_peril(session=session, claim=claim, peril_code=peril)
    declaration.set_answers(session=session, claim=claim, raw=answers, today=occurred.date())
    declaration.set_when(
        session=session,
        claim=claim,
        day_text=occurred.date().isoformat(),
        time_text=f"{occurred:%H:%M}",
        description=description,
        now=occurred + timedelta(hours=2),
    )
    declaration.set_location(session=session, claim=claim, kind="property")
    for text, category, amount in items:
        declaration_contents.add_item(
            session=session,
            claim=claim,
            description=text,
            category=category,
            purchase_date="",
            purchase_price="",
            estimate_text=amount,
            today=occurred.date(),
        )
    return claim


def _backdate(session: Session, claim: Claim, start: datetime, step: timedelta) -> None:
    """Spread the claim's events from ``start`` by ``step``, as if it had lived in the past."""
    events = session.exec(
        select(ClaimEvent).where(ClaimEvent.claim_id == claim.id).order_by(ClaimEvent.id)
    ).all()
    for index, event in enumerate(events):
        shift = start + step * index - event.at
        event.at = event.at + shift
        if event.due_at:
            event.due_at = event.due_at + shift
        session.add(event)
    claim.created_at = claim.submitted_at = start
    last = events[-1]
    claim.next_step_due_at = last.due_at if claim.next_step_due_at else None
    claim.updated_at = last.at
    if claim.paid_at:
        claim.paid_at = last.at
    if claim.closed_at:
        claim.closed_at = last.at
    session.add(claim)
    for message in session.exec(
        select(ClaimMessage).where(ClaimMessage.claim_id == claim.id)
    ).all():
        message.created_at = last.at + timedelta(hours=3 if message.staff_id else 1)
        session.add(message)
    for notice in session.exec(
        select(Notification).where(Notification.link.like(f"%{claim.number}"))
    ).all():
        notice.created_at, notice.read_at = last.at, last.at if claim.status == "closed" else None
        session.add(notice)


def seed_claims(session: Session, *, demo_contracts: list[Contract], others: list[Contract]) -> int:
    now = utcnow()
    staff = {s.role: s for s in session.exec(select(StaffUser)).all()}
    handler, expert, manager = (
        staff[StaffRole.HANDLER],
        staff[StaffRole.EXPERT],
        staff[StaffRole.MANAGER],
    )
    lyon, carnac = demo_contracts
    first_outbox = (
        session.exec(select(OutboxMessage.id).order_by(OutboxMessage.id.desc())).first() or 0
    )

    storm = _draft(
        session,
        carnac,
        "storm",
        _STORM,
        "La tempête Ciarán a arraché une partie des tuiles côté ouest ; "
        "la pluie est entrée dans la chambre du haut.",
        [
            ("Tuiles et liteaux de toiture", "building", "1 850"),
            ("Plafond de la chambre", "building", "450"),
        ],
        now - timedelta(days=420),
    )
    declaration_sending.submit(session=session, claim=storm, now=now - timedelta(days=419))
    workflow_assessment.appoint_expert(
        session=session, staff_id=handler.id, claim_id=storm.id, expert_id=expert.id
    )
    workflow_assessment.plan_visit(
        session=session,
        staff_id=expert.id,
        claim_id=storm.id,
        day_text=(now + timedelta(days=2)).date().isoformat(),
        time_text="10:00",
    )
    workflow_assessment.assess(
        session=session, staff_id=expert.id, claim_id=storm.id, damage_text="2 300"
    )
    workflow_assessment.record_payment(session=session, staff_id=handler.id, claim_id=storm.id)
    workflow.close(session=session, staff_id=handler.id, claim_id=storm.id)
    _backdate(session, storm, now - timedelta(days=419), timedelta(days=6))

    water = _draft(
        session,
        lyon,
        "water_damage",
        _WATER,
        "Fuite du ballon d'eau chaude du voisin du dessus : le plafond "
        "et le parquet du séjour sont abîmés.",
        [("Parquet du séjour", "building", "1 800"), ("Peinture du plafond", "building", "650")],
        now - timedelta(days=7),
    )
    declaration_sending.submit(session=session, claim=water, now=now - timedelta(days=6))
    workflow_assessment.appoint_expert(
        session=session, staff_id=handler.id, claim_id=water.id, expert_id=expert.id
    )
    declaration_contents.post_message(
        session=session,
        claim=water,
        body="Bonjour, le voisin a fait réparer son ballon. Quand l'expert peut-il passer ?",
    )
    workflow.reply(
        session=session,
        staff_id=handler.id,
        claim_id=water.id,
        body="Bonjour Madame Martin, M. Lefèvre vous appelle cette semaine pour fixer la visite.",
    )
    _backdate(session, water, now - timedelta(days=6), timedelta(days=2))

    count = 2
    for index, (peril, answers, text, items, days, stages) in enumerate(_QUEUE):
        if index >= len(others):
            break
        if "police_report_date" in answers:
            answers = {
                **answers,
                "police_report_date": (now - timedelta(days=days + 1)).date().isoformat(),
            }
        claim = _draft(
            session, others[index], peril, answers, text, items, now - timedelta(days=days + 1)
        )
        declaration_sending.submit(session=session, claim=claim, now=now - timedelta(days=days))
        if "expert" in stages:
            workflow_assessment.appoint_expert(
                session=session, staff_id=manager.id, claim_id=claim.id, expert_id=expert.id
            )
        if "docs" in stages:
            workflow.request_documents(
                session=session,
                staff_id=handler.id,
                claim_id=claim.id,
                what="Le récépissé de dépôt de plainte et les factures des objets volés.",
            )
        _backdate(session, claim, now - timedelta(days=days), timedelta(days=1))
        count += 1
    # Demo e-mails were "sent" in the past: keep the outbox for what happens from now on.
    session.exec(delete(OutboxMessage).where(OutboxMessage.id > first_outbox))
    session.flush()
    return count


_QUEUE = [
    (
        "theft",
        {
            "police_report_ref": "2026/004512",
            "police_report_date": None,
            "forced_entry": "yes",
            "entry_point": "door",
            "stolen_summary": "Ordinateur portable, console de jeux, bijoux.",
        },
        "Porte d'entrée forcée pendant les vacances, appartement fouillé.",
        [("Ordinateur portable", "appliances", "1 200"), ("Bague en or", "valuables", "900")],
        12,
        ("docs",),
    ),
    (
        "fire",
        {"firefighters_called": "yes", "fire_origin": "cooking", "someone_injured": "no"},
        "Feu de friteuse dans la cuisine, hotte et meubles hauts brûlés.",
        [
            ("Meubles hauts de cuisine", "furniture", "2 400"),
            ("Hotte aspirante", "appliances", "380"),
        ],
        3,
        ("expert",),
    ),
    (
        "glass_breakage",
        {"pane": "bay", "glass_cause": "accident"},
        "Un ballon a brisé la baie vitrée du salon.",
        [("Baie vitrée du salon", "glass", "1 450")],
        1,
        (),
    ),
    (
        "water_damage",
        {"origin": "infiltration", "neighbour_involved": "no", "leak_stopped": "no"},
        "Infiltration par la terrasse après les orages, tache au plafond de la chambre.",
        [("Plafond de la chambre", "building", "700")],
        9,
        (),
    ),
]
