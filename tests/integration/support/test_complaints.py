"""Complaints (réclamations): deadlines, ownership, the staff queue, the answer, the mediator."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
from pypdf import PdfReader
from sqlmodel import select

from espace.claims.models import Claim, ClaimStatus, StaffAuditLog
from espace.core.models import utcnow
from espace.identity.staff_access import StaffForbidden
from espace.support import complaint_rules, complaint_staff, complaint_views, complaints
from espace.support.complaint_rules import ComplaintError
from espace.support.models import ComplaintMessage
from tests import factories

NOW = datetime(2026, 12, 23, 10, 0, tzinfo=UTC)  # Wednesday 23 December 2026


def _claim(db, person, status=ClaimStatus.RECEIVED) -> Claim:
    contract = factories.contract(db, person)
    claim = Claim(
        holder_id=person.id,
        contract_id=contract.id,
        status=status,
        peril="water_damage",
        submitted_at=utcnow(),
        number=None if status == ClaimStatus.DRAFT else f"SIN-2026-9{person.id:05d}",
    )
    db.add(claim)
    db.flush()
    return claim


def _file(db, person, claim, now=NOW):
    return complaints.file_complaint(
        session=db,
        holder_id=person.id,
        topic="claim",
        subject="Aucune nouvelle de l'expert",
        body="L'expert devait passer il y a trois semaines et personne ne répond.",
        claim_id=claim.id,
        now=now,
    )


def test_filing_acknowledges_at_once_with_both_deadlines(db):
    person = factories.holder(db)
    claim = _claim(db, person)
    found = _file(db, person, claim)
    assert found.reference.startswith("REC-2026-")
    assert found.acknowledged_at == NOW
    # 10 working days after 23/12/2026: 25/12 and 01/01 are holidays, weekends skipped.
    assert found.acknowledgement_due_on == date(2027, 1, 8)
    assert found.answer_due_on == date(2027, 2, 23)
    kinds = [m.kind for m in complaints.exchange(session=db, complaint_id=found.id)]
    assert kinds == ["complaint", "acknowledgement"]
    assert found.contract_id == claim.contract_id


def test_two_months_from_the_end_of_a_month():
    assert complaint_rules.answer_due(date(2026, 12, 31)) == date(2027, 2, 28)
    assert complaint_rules.answer_due(date(2027, 12, 31)) == date(2028, 2, 29)


def test_another_holders_claim_is_refused_like_an_unknown_one(db):
    owner, intruder = factories.holder(db), factories.holder(db)
    claim = _claim(db, owner)
    with pytest.raises(ComplaintError) as refused:
        _file(db, intruder, claim)
    assert refused.value.field == "claim"
    draft = _claim(db, owner, status=ClaimStatus.DRAFT)
    with pytest.raises(ComplaintError):
        _file(db, owner, draft)


def test_bad_input_is_refused_by_field(db):
    person = factories.holder(db)
    with pytest.raises(ComplaintError) as refused:
        complaints.file_complaint(
            session=db, holder_id=person.id, topic="service", subject="ok!", body="court"
        )
    assert refused.value.field == "body"
    with pytest.raises(ComplaintError) as refused:
        complaints.file_complaint(
            session=db, holder_id=person.id, topic="nope", subject="Objet", body="x" * 20
        )
    assert refused.value.field == "topic"


def test_holder_reads_only_their_complaints(db):
    owner, other = factories.holder(db), factories.holder(db)
    found = _file(db, owner, _claim(db, owner))
    assert (
        complaints.holder_complaint(session=db, holder_id=other.id, complaint_id=found.id) is None
    )
    with pytest.raises(LookupError):
        complaint_views.exchange_pdf(
            session=db, holder_id=other.id, complaint_id=found.id, today=NOW.date()
        )
    with pytest.raises(ComplaintError):
        complaints.disagree(session=db, holder_id=other.id, complaint_id=found.id, reason="Non")


def test_late_after_two_months_opens_the_mediator_route(db):
    person = factories.holder(db)
    found = _file(db, person, _claim(db, person))
    assert not complaint_rules.mediator_open(found, date(2027, 2, 23))
    assert complaint_rules.days_left(found, date(2027, 2, 23)) == "Échéance aujourd'hui"
    assert complaint_rules.is_late(found, date(2027, 2, 24))
    assert complaint_rules.mediator_open(found, date(2027, 2, 24))
    assert complaint_rules.days_left(found, date(2027, 2, 26)) == "En retard de 3 jours"


def test_staff_queue_assignment_answer_and_audit(db):
    person = factories.holder(db)
    found = _file(db, person, _claim(db, person))
    handler, manager = factories.staff(db), factories.staff(db, role="manager")
    expert = factories.staff(db, role="expert")
    with pytest.raises(StaffForbidden):
        complaint_staff.queue(session=db, staff_id=expert.id)
    late = complaint_staff.queue(
        session=db,
        staff_id=handler.id,
        filters=complaint_staff.QueueFilters(late_only=True),
        today=date(2027, 3, 1),
    )
    assert found.id in [row.id for row in late]
    with pytest.raises(StaffForbidden):  # a handler only takes it for themself
        complaint_staff.assign(
            session=db, staff_id=handler.id, complaint_id=found.id, assignee_id=manager.id
        )
    complaint_staff.assign(
        session=db, staff_id=manager.id, complaint_id=found.id, assignee_id=handler.id
    )
    complaint_staff.answer(
        session=db,
        staff_id=handler.id,
        complaint_id=found.id,
        body="L'expert passera le 5 janvier ; nous vous présentons nos excuses.",
        now=datetime(2027, 1, 4, 9, tzinfo=UTC),
    )
    assert found.status == "answered"
    with pytest.raises(ComplaintError):
        complaint_staff.answer(
            session=db, staff_id=handler.id, complaint_id=found.id, body="x" * 20
        )
    actions = db.exec(
        select(StaffAuditLog.action).where(
            StaffAuditLog.object_type == "complaint", StaffAuditLog.object_id == found.id
        )
    ).all()
    assert actions == ["complaint_assign", "complaint_answer"]
    numbers = complaint_staff.figures(session=db, staff_id=manager.id, today=date(2027, 1, 4))
    assert numbers.answered_recently >= 1
    # The holder disagrees: recorded, the mediator route opens.
    complaints.disagree(
        session=db, holder_id=person.id, complaint_id=found.id, reason="Cela ne règle rien."
    )
    assert complaint_rules.mediator_open(found, date(2027, 1, 5))
    pdf = complaint_views.exchange_pdf(
        session=db, holder_id=person.id, complaint_id=found.id, today=date(2027, 1, 5)
    )
    text = " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split()
    )
    assert found.reference in text and "TSA 50110" in text
    assert "Cela ne règle rien." in text
    assert db.exec(
        select(ComplaintMessage.kind).where(ComplaintMessage.complaint_id == found.id)
    ).all() == ["complaint", "acknowledgement", "answer", "disagreement"]


def test_staff_read_of_a_complaint_is_logged(db):
    from espace.identity.models import StaffReadLog

    person = factories.holder(db)
    found = _file(db, person, _claim(db, person))
    handler = factories.staff(db)
    detail = complaint_staff.staff_detail(
        session=db, staff_id=handler.id, complaint_id=found.id, today=date(2027, 1, 1)
    )
    assert detail.complaint.reference == found.reference and detail.holder_name
    logged = db.exec(
        select(StaffReadLog).where(
            StaffReadLog.object_type == "complaint", StaffReadLog.object_id == found.id
        )
    ).all()
    assert len(logged) == 1
