"""Complaints in the back office (handlers and managers; the role is checked here): the queue and
its figures, one complaint (each read traced), assignment, the written answer, the audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from espace.claims.models import StaffAuditLog
from espace.core import formatting as fmt
from espace.core.formatting import PARIS
from espace.core.models import get_existing, saved_id, utcnow
from espace.identity import staff_reads
from espace.identity.models import Policyholder, StaffRole, StaffUser
from espace.identity.staff_access import StaffForbidden
from espace.notifications import messages, notices
from espace.notifications.models import NotificationCategory
from espace.support.complaint_rules import (
    BODY_MAX,
    BODY_MIN,
    FIGURES_DAYS,
    STAFF_ROLES,
    STATUS_LABELS,
    TOPIC_LABELS,
    ComplaintError,
    _clean,
    _paris_date,
    days_left,
    is_late,
    mediator,
)
from espace.support.complaint_views import Detail, _exchange_items, view
from espace.support.complaints import complaint_link
from espace.support.models import Complaint, ComplaintMessage, ComplaintStatus


def complaint_staff(session: Session, staff_id: int | None) -> StaffUser:
    staff = session.get(StaffUser, staff_id) if staff_id else None
    if staff is None or not staff.is_active:
        raise StaffForbidden("Votre session de gestion n'est plus valable.")
    if staff.role not in STAFF_ROLES:
        raise StaffForbidden("Votre rôle ne donne pas accès aux réclamations.")
    return staff


def _audit(session: Session, staff: StaffUser, action: str, complaint: Complaint, detail: str = ""):
    session.add(
        StaffAuditLog(
            staff_id=saved_id(staff),
            action=action,
            object_type="complaint",
            object_id=saved_id(complaint),
            detail=detail[:1000],
        )
    )
    session.flush()


def _complaint_for(session: Session, staff_id: int, complaint_id: int):
    staff = complaint_staff(session, staff_id)
    complaint = session.get(Complaint, complaint_id) if complaint_id else None
    if complaint is None:
        raise ComplaintError("Cette réclamation est introuvable.", "form")
    return staff, complaint


def staff_complaint(*, session: Session, staff_id: int, complaint_id: int) -> Complaint | None:
    """One complaint for staff; the read is logged."""
    staff = complaint_staff(session, staff_id)
    complaint = session.get(Complaint, complaint_id) if complaint_id else None
    if complaint is not None:
        staff_reads.record(
            session=session,
            staff_id=saved_id(staff),
            holder_id=complaint.holder_id,
            object_type="complaint",
            object_id=saved_id(complaint),
            detail=f"Réclamation {complaint.reference}",
        )
    return complaint


@dataclass(frozen=True)
class QueueFilters:
    status: str = "open"  # open | answered | "" (all)
    assigned: str = "all"  # all | mine | unassigned
    late_only: bool = False


@dataclass(frozen=True)
class QueueRow:
    id: int
    reference: str
    holder_name: str
    topic: str
    subject: str
    status: str
    filed: str
    acknowledgement_due: str
    answer_due: str
    left: str
    late: bool
    assignee: str
    disputed_offer: bool


def queue(
    *,
    session: Session,
    staff_id: int,
    filters: QueueFilters = QueueFilters(),
    today: date | None = None,
    limit: int = 200,
) -> list[QueueRow]:
    """Complaints for the back office, the nearest answer date first."""
    from espace.claims.workflow_views import staff_names

    staff = complaint_staff(session, staff_id)
    today = today or _paris_date(utcnow())
    query = select(Complaint, Policyholder).join(
        Policyholder, col(Policyholder.id) == Complaint.holder_id
    )
    if filters.status in set(ComplaintStatus):
        query = query.where(Complaint.status == filters.status)
    if filters.assigned == "mine":
        query = query.where(Complaint.assigned_staff_id == staff.id)
    elif filters.assigned == "unassigned":
        query = query.where(col(Complaint.assigned_staff_id).is_(None))
    if filters.late_only:
        query = query.where(
            Complaint.status == ComplaintStatus.OPEN, Complaint.answer_due_on < today
        )
    query = query.order_by(col(Complaint.answer_due_on), col(Complaint.id)).limit(limit)
    names = staff_names(session=session)
    return [
        QueueRow(
            id=saved_id(c),
            reference=c.reference,
            holder_name=f"{h.first_name} {h.last_name}",
            topic=TOPIC_LABELS.get(c.topic, c.topic),
            subject=c.subject,
            status=STATUS_LABELS.get(c.status, c.status),
            filed=fmt.date_fr(c.filed_at),
            acknowledgement_due=fmt.date_fr(c.acknowledgement_due_on),
            answer_due=fmt.date_fr(c.answer_due_on),
            left=days_left(c, today),
            late=is_late(c, today),
            assignee=_staff_name(names, c.assigned_staff_id),
            disputed_offer=c.origin == "settlement_dispute",
        )
        for c, h in session.exec(query).all()
    ]


@dataclass(frozen=True)
class Figures:
    open_count: int
    late_count: int
    answered_recently: int  # answered in the last FIGURES_DAYS days
    within_deadline_share: float | None  # of those, answered by their due date


def figures(*, session: Session, staff_id: int, today: date | None = None) -> Figures:
    complaint_staff(session, staff_id)
    today = today or _paris_date(utcnow())
    open_count = session.exec(
        select(func.count()).select_from(Complaint).where(Complaint.status == ComplaintStatus.OPEN)
    ).one()
    late_count = session.exec(
        select(func.count())
        .select_from(Complaint)
        .where(Complaint.status == ComplaintStatus.OPEN, Complaint.answer_due_on < today)
    ).one()
    since = datetime.combine(today - timedelta(days=FIGURES_DAYS), datetime.min.time(), PARIS)
    answered = session.exec(
        select(col(Complaint.answered_at), col(Complaint.answer_due_on)).where(
            col(Complaint.status) == ComplaintStatus.ANSWERED, col(Complaint.answered_at) >= since
        )
    ).all()
    met = sum(1 for at, due in answered if at is not None and _paris_date(_aware(at)) <= due)
    return Figures(open_count, late_count, len(answered), met / len(answered) if answered else None)


def _staff_name(names: dict[int, str], staff_id: int | None) -> str:
    return names.get(staff_id, "") if staff_id is not None else ""


def _aware(moment: datetime) -> datetime:
    from datetime import UTC

    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def assign(*, session: Session, staff_id: int, complaint_id: int, assignee_id: int) -> Complaint:
    """A manager assigns to any handler or manager; a handler only takes it for themself."""
    staff, complaint = _complaint_for(session, staff_id, complaint_id)
    if staff.role == StaffRole.HANDLER and assignee_id != staff.id:
        raise StaffForbidden("Seul un responsable peut attribuer une réclamation à un collègue.")
    assignee = session.get(StaffUser, assignee_id) if assignee_id else None
    if assignee is None or not assignee.is_active or assignee.role not in STAFF_ROLES:
        raise ComplaintError("Choisissez un gestionnaire ou un responsable actif.", "assignee")
    complaint.assigned_staff_id = assignee.id
    session.add(complaint)
    _audit(session, staff, "complaint_assign", complaint, assignee.full_name)
    return complaint


def answer(
    *,
    session: Session,
    staff_id: int,
    complaint_id: int,
    body: str,
    now: datetime | None = None,
) -> Complaint:
    """The written answer: it closes the complaint and the holder is told."""
    staff, complaint = _complaint_for(session, staff_id, complaint_id)
    if complaint.status != ComplaintStatus.OPEN:
        raise ComplaintError("Cette réclamation a déjà reçu sa réponse.", "body")
    body = _clean(body, field="body", minimum=BODY_MIN, maximum=BODY_MAX, what="la réponse")
    now = now or utcnow()
    late = _paris_date(now) > complaint.answer_due_on
    complaint.status = ComplaintStatus.ANSWERED
    complaint.answered_at, complaint.answered_by_staff_id = now, staff.id
    if complaint.assigned_staff_id is None:
        complaint.assigned_staff_id = staff.id
    session.add(complaint)
    session.add(
        ComplaintMessage(
            complaint_id=complaint.id,
            kind="answer",
            author="staff",
            staff_id=staff.id,
            body=body,
            created_at=now,
        )
    )
    _audit(session, staff, "complaint_answer", complaint, "après l'échéance" if late else "")
    email = messages.email("complaint_answered", reference=complaint.reference)
    notices.notify(
        session=session,
        holder_id=complaint.holder_id,
        category=NotificationCategory.MESSAGES,
        title=f"Réponse à votre réclamation {complaint.reference}",
        body="Notre service Réclamations vous a répondu : lisez sa réponse dans votre espace.",
        link=complaint_link(complaint),
        email_subject=email.subject,
        email_body=email.body,
    )
    return complaint


def audit_log(
    *, session: Session, staff_id: int, complaint_id: int
) -> list[tuple[StaffAuditLog, str]]:
    complaint_staff(session, staff_id)
    rows = session.exec(
        select(StaffAuditLog, StaffUser)
        .join(StaffUser, col(StaffUser.id) == StaffAuditLog.staff_id)
        .where(StaffAuditLog.object_type == "complaint", StaffAuditLog.object_id == complaint_id)
        .order_by(col(StaffAuditLog.at), col(StaffAuditLog.id))
    ).all()
    return [(log, who.full_name) for log, who in rows]


def staff_detail(
    *, session: Session, staff_id: int, complaint_id: int, today: date
) -> Detail | None:
    """One complaint for staff (the read is logged), with the audit trail."""
    from espace.claims.workflow_views import staff_names

    complaint = staff_complaint(session=session, staff_id=staff_id, complaint_id=complaint_id)
    if complaint is None:
        return None
    holder = get_existing(session, Policyholder, complaint.holder_id)
    names = staff_names(session=session)
    assignable = session.exec(
        select(StaffUser)
        .where(col(StaffUser.role).in_(STAFF_ROLES), StaffUser.is_active)
        .order_by(StaffUser.full_name)
    ).all()
    return Detail(
        complaint=view(session, complaint, today),
        exchange=_exchange_items(session, complaint, for_staff=True),
        mediator=mediator(),
        holder_name=f"{holder.first_name} {holder.last_name}",
        assignee=_staff_name(names, complaint.assigned_staff_id),
        assignee_id=complaint.assigned_staff_id or 0,
        assignable=[(saved_id(s), s.full_name) for s in assignable],
        audit=[
            (who, AUDIT_LABELS.get(log.action, log.action), fmt.datetime_fr(log.at), log.detail)
            for log, who in audit_log(
                session=session, staff_id=staff_id, complaint_id=saved_id(complaint)
            )
        ],
    )


AUDIT_LABELS = {"complaint_assign": "Attribution", "complaint_answer": "Réponse envoyée"}
