"""The expert's visit slots: offered by the expert, picked by the holder, rescheduled with a reason
by either side, reminded the day before; another holder reaches nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from espace.claims import visits
from espace.claims.declaration import ClaimInputError
from espace.claims.models import Claim, ClaimMessage, ClaimStatus, VisitSlot
from espace.core.models import utcnow
from espace.identity.staff_access import StaffForbidden
from espace.notifications.models import Notification
from tests import factories


def _claim(db, expert) -> Claim:
    person = factories.holder(db)
    contract = factories.contract(db, person)
    claim = Claim(
        holder_id=person.id,
        contract_id=contract.id,
        status=ClaimStatus.EXPERT_APPOINTED,
        peril="water_damage",
        number=f"SIN-2026-4{person.id:05d}",
        submitted_at=utcnow(),
        expert_id=expert.id,
    )
    db.add(claim)
    db.flush()
    return claim


def _days(n: int, hour: int = 9) -> tuple[str, str]:
    day = (utcnow() + timedelta(days=n)).date()
    return day.strftime("%d/%m/%Y"), f"{hour:02d}:00"


def test_three_slots_one_picked_then_rescheduled(db):
    expert = factories.staff(db, role="expert")
    claim = _claim(db, expert)
    offered = visits.offer_slots(
        session=db, staff_id=expert.id, claim_id=claim.id, slots=[_days(3), _days(4), _days(5)]
    )
    assert len(offered) == 3
    shown = visits.holder_visit(session=db, holder_id=claim.holder_id, number=claim.number)
    assert len(shown.offered) == 3 and shown.chosen == ""
    visits.choose(session=db, holder_id=claim.holder_id, number=claim.number, slot_id=offered[1].id)
    assert claim.status == ClaimStatus.VISIT_PLANNED and claim.visit_at == offered[1].starts_at
    shown = visits.holder_visit(session=db, holder_id=claim.holder_id, number=claim.number)
    assert shown.offered == [] and shown.chosen
    with pytest.raises(ClaimInputError):
        visits.reschedule_by_holder(
            session=db, holder_id=claim.holder_id, number=claim.number, reason=""
        )
    visits.reschedule_by_holder(
        session=db, holder_id=claim.holder_id, number=claim.number, reason="Déplacement imprévu"
    )
    assert claim.visit_at is None
    bodies = db.exec(select(ClaimMessage.body).where(ClaimMessage.claim_id == claim.id)).all()
    assert any("Déplacement imprévu" in b for b in bodies)


def test_another_holder_cannot_pick_a_slot_and_other_experts_cannot_offer(db):
    expert = factories.staff(db, role="expert")
    claim = _claim(db, expert)
    slot = visits.offer_slots(session=db, staff_id=expert.id, claim_id=claim.id, slots=[_days(2)])[
        0
    ]
    intruder = factories.holder(db)
    assert visits.holder_visit(session=db, holder_id=intruder.id, number=claim.number) is None
    with pytest.raises(ClaimInputError):
        visits.choose(session=db, holder_id=intruder.id, number=claim.number, slot_id=slot.id)
    with pytest.raises(ClaimInputError):  # the intruder's own claim number, someone else's slot
        other = _claim(db, expert)
        visits.choose(session=db, holder_id=other.holder_id, number=other.number, slot_id=slot.id)
    assert db.get(VisitSlot, slot.id).status == "offered"
    stranger = factories.staff(db, role="expert")
    with pytest.raises(StaffForbidden):
        visits.offer_slots(session=db, staff_id=stranger.id, claim_id=claim.id, slots=[_days(2)])


def test_slots_must_be_in_the_next_90_days(db):
    expert = factories.staff(db, role="expert")
    claim = _claim(db, expert)
    with pytest.raises(ClaimInputError):
        visits.offer_slots(session=db, staff_id=expert.id, claim_id=claim.id, slots=[_days(-1)])
    with pytest.raises(ClaimInputError):
        visits.offer_slots(session=db, staff_id=expert.id, claim_id=claim.id, slots=[_days(120)])


def test_reminder_the_day_before_once(db):
    expert = factories.staff(db, role="expert")
    claim = _claim(db, expert)
    slot = VisitSlot(
        claim_id=claim.id,
        starts_at=datetime(2027, 3, 10, 9, 0, tzinfo=UTC),
        status="chosen",
        offered_by_staff_id=expert.id,
    )
    db.add(slot)
    db.flush()
    before = datetime(2027, 3, 9, 7, 0, tzinfo=UTC)
    assert visits.send_reminders(session=db, now=before - timedelta(days=1)) == 0
    assert visits.send_reminders(session=db, now=before) == 1
    assert visits.send_reminders(session=db, now=before + timedelta(hours=3)) == 0
    titles = db.exec(
        select(Notification.title).where(Notification.holder_id == claim.holder_id)
    ).all()
    assert any("Rappel : visite de l'expert demain" in t for t in titles)
