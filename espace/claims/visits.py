"""The expert's visit: the expert (or the handler) offers slots, the holder picks one or asks for
others in the tracker; either side reschedules with a reason; a reminder goes the day before (a
periodic job). The claim's message thread is the contact channel with the handler and the expert.

Holder functions find the claim with the holder's id in the query; staff functions check the role
like every claim action (experts: only the claims they are appointed to) and are audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlmodel import Session, select

from espace.claims import perils, stages, workflow_permissions
from espace.claims.declaration import ClaimInputError
from espace.claims.models import Claim, ClaimMessage, ClaimStatus, VisitSlot, VisitSlotStatus
from espace.core import formatting as fmt
from espace.core.formatting import PARIS
from espace.core.models import utcnow
from espace.notifications import messages, notices
from espace.notifications.models import NotificationCategory

V = VisitSlotStatus
S = ClaimStatus
MAX_SLOTS = 5
HORIZON_DAYS = 90
REASON_MIN, REASON_MAX = 5, 300
VISIT_STATUSES = (S.EXPERT_APPOINTED, S.VISIT_PLANNED)
# Response targets shown with the claim's message thread (the contact channel).
RESPONSE_TARGETS = (
    "Votre gestionnaire et l'expert vous répondent par la messagerie du dossier : le gestionnaire "
    "sous 1 jour ouvré, l'expert sous 2 jours ouvrés."
)


def _label(moment: datetime) -> str:
    local = moment.astimezone(PARIS)
    return f"{fmt.date_fr(local)} à {local:%H:%M}"


def parse_slot(day_text: str, time_text: str) -> datetime | None:
    day = perils.parse_date(day_text)
    try:
        hour = time.fromisoformat((time_text or "").strip()[:5])
    except ValueError:
        return None
    return datetime.combine(day, hour, tzinfo=PARIS) if day else None


def offer_slots(
    *,
    session: Session,
    staff_id: int,
    claim_id: int,
    slots: list[tuple[str, str]],
    now: datetime | None = None,
) -> list[VisitSlot]:
    """Offer 1 to 5 visit times ((day, time) as typed); earlier offers still open are replaced."""
    staff, claim = workflow_permissions._claim_for(session, staff_id, claim_id, "plan_visit")
    if claim.status not in VISIT_STATUSES:
        raise ClaimInputError({"slots": "Missionnez d'abord un expert."})
    now = now or utcnow()
    moments: list[datetime] = []
    for day_text, time_text in slots:
        if not (day_text or "").strip() and not (time_text or "").strip():
            continue
        moment = parse_slot(day_text, time_text)
        if moment is None:
            raise ClaimInputError({"slots": "Chaque créneau : une date (JJ/MM/AAAA) et une heure."})
        if moment <= now or moment > now + timedelta(days=HORIZON_DAYS):
            raise ClaimInputError(
                {"slots": f"Les créneaux doivent être dans les {HORIZON_DAYS} prochains jours."}
            )
        moments.append(moment)
    if not 1 <= len(set(moments)) <= MAX_SLOTS:
        raise ClaimInputError({"slots": f"Proposez de 1 à {MAX_SLOTS} créneaux différents."})
    for old in _slots(session, claim.id, V.OFFERED):
        old.status, old.decided_at = V.DECLINED, now
        session.add(old)
    created = [
        VisitSlot(claim_id=claim.id, starts_at=m, offered_by_staff_id=staff.id, offered_at=now)
        for m in sorted(set(moments))
    ]
    session.add_all(created)
    session.flush()
    workflow_permissions._audit(
        session, staff, "offer_slots", claim, ", ".join(_label(m) for m in sorted(set(moments)))
    )
    email = messages.email("visit_slots_offered", number=claim.number)
    notices.notify(
        session=session,
        holder_id=claim.holder_id,
        category=NotificationCategory.CLAIMS,
        title=f"Choisissez le créneau de la visite de l'expert ({claim.number})",
        body="L'expert vous propose des créneaux : choisissez-en un dans le suivi du sinistre.",
        link=f"/sinistre?n={claim.number}",
        email_subject=email.subject,
        email_body=email.body,
    )
    return created


def _slots(session: Session, claim_id: int, *statuses: str) -> list[VisitSlot]:
    query = select(VisitSlot).where(VisitSlot.claim_id == claim_id)
    if statuses:
        query = query.where(VisitSlot.status.in_(statuses))
    return list(session.exec(query.order_by(VisitSlot.starts_at, VisitSlot.id)).all())


def _owned_claim(session: Session, holder_id: int, number: str) -> Claim | None:
    return session.exec(
        select(Claim).where(
            Claim.holder_id == holder_id,
            Claim.number == (number or "").strip().upper(),
            Claim.status != S.DRAFT,
        )
    ).first()


@dataclass(frozen=True)
class VisitView:
    offered: list[tuple[int, str]]  # slot id, "23/12/2026 à 09:00"
    chosen: str  # "" when none
    history: list[str]  # rescheduled slots with their reason
    response_targets: str = RESPONSE_TARGETS


def holder_visit(*, session: Session, holder_id: int, number: str) -> VisitView | None:
    claim = _owned_claim(session, holder_id, number)
    if claim is None:
        return None
    rows = _slots(session, claim.id)
    return VisitView(
        offered=[(s.id, _label(s.starts_at)) for s in rows if s.status == V.OFFERED],
        chosen=next((_label(s.starts_at) for s in rows if s.status == V.CHOSEN), ""),
        history=[
            f"{_label(s.starts_at)} : reporté ({s.reason})" for s in rows if s.status == V.CANCELLED
        ],
    )


def choose(
    *, session: Session, holder_id: int, number: str, slot_id: int, now: datetime | None = None
) -> VisitSlot:
    """The holder picks one of the offered slots: the visit is planned (tracker stage)."""
    claim = _owned_claim(session, holder_id, number)
    slot = (
        session.exec(
            select(VisitSlot).where(
                VisitSlot.id == slot_id,
                VisitSlot.claim_id == claim.id,
                VisitSlot.status == V.OFFERED,
            )
        ).first()
        if claim is not None and slot_id
        else None
    )
    if slot is None:
        raise ClaimInputError({"slot": "Choisissez l'un des créneaux proposés."})
    now = now or utcnow()
    if slot.starts_at <= now:
        raise ClaimInputError({"slot": "Ce créneau est passé : demandez-en d'autres."})
    for other in _slots(session, claim.id, V.OFFERED):
        if other.id != slot.id:
            other.status, other.decided_at = V.DECLINED, now
            session.add(other)
    slot.status, slot.decided_at = V.CHOSEN, now
    session.add(slot)
    claim.visit_at = slot.starts_at
    stages.move(
        session=session,
        claim=claim,
        kind=S.VISIT_PLANNED,
        detail=f"Visite de l'expert le {_label(slot.starts_at)} (créneau choisi par vous).",
        due_at=slot.starts_at,
        notify=False,
    )
    return slot


def ask_for_others(*, session: Session, holder_id: int, number: str, reason: str) -> None:
    """None of the slots suits the holder: they are declined and the handler is asked for others."""
    claim = _owned_claim(session, holder_id, number)
    if claim is None or not _slots(session, claim.id, V.OFFERED):
        raise ClaimInputError({"slot": "Aucun créneau n'attend votre réponse."})
    reason = _reason(reason)
    now = utcnow()
    for slot in _slots(session, claim.id, V.OFFERED):
        slot.status, slot.decided_at, slot.reason = V.DECLINED, now, reason
        session.add(slot)
    session.add(
        ClaimMessage(
            claim_id=claim.id, body=f"Aucun créneau ne me convient : {reason}", created_at=now
        )
    )
    session.flush()


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not REASON_MIN <= len(reason) <= REASON_MAX:
        raise ClaimInputError(
            {"reason": f"Indiquez la raison ({REASON_MIN} à {REASON_MAX} caractères)."}
        )
    return reason


def _cancel_chosen(session: Session, claim: Claim, reason: str, now: datetime) -> VisitSlot:
    chosen = _slots(session, claim.id, V.CHOSEN)
    if not chosen:
        raise ClaimInputError({"reason": "Aucune visite n'est planifiée."})
    slot = chosen[0]
    slot.status, slot.decided_at, slot.reason = V.CANCELLED, now, reason
    claim.visit_at = None
    session.add_all([slot, claim])
    return slot


def reschedule_by_holder(*, session: Session, holder_id: int, number: str, reason: str) -> None:
    claim = _owned_claim(session, holder_id, number)
    if claim is None:
        raise ClaimInputError({"reason": "Aucune visite n'est planifiée."})
    reason, now = _reason(reason), utcnow()
    slot = _cancel_chosen(session, claim, reason, now)
    session.add(
        ClaimMessage(
            claim_id=claim.id,
            body=f"Je dois reporter la visite du {_label(slot.starts_at)} : {reason}",
            created_at=now,
        )
    )
    session.flush()


def reschedule_by_staff(*, session: Session, staff_id: int, claim_id: int, reason: str) -> None:
    staff, claim = workflow_permissions._claim_for(session, staff_id, claim_id, "plan_visit")
    reason, now = _reason(reason), utcnow()
    slot = _cancel_chosen(session, claim, reason, now)
    session.add(
        ClaimMessage(
            claim_id=claim.id,
            staff_id=staff.id,
            body=f"La visite du {_label(slot.starts_at)} est reportée : {reason}. "
            "De nouveaux créneaux vont vous être proposés.",
            created_at=now,
        )
    )
    workflow_permissions._audit(session, staff, "reschedule_visit", claim, reason)


def staff_slots(*, session: Session, staff_id: int, claim_id: int) -> list[tuple[str, str]]:
    """(when, status label) of the claim's slots, for the staff claim page."""
    workflow_permissions._claim_for(session, staff_id, claim_id, "view_queue")
    labels = {
        V.OFFERED: "proposé",
        V.CHOSEN: "choisi",
        V.DECLINED: "écarté",
        V.CANCELLED: "reporté",
    }
    return [
        (_label(s.starts_at), labels.get(s.status, s.status)) for s in _slots(session, claim_id)
    ]


def send_reminders(*, session: Session, now: datetime) -> int:
    """The day before a chosen visit (Paris calendar), remind the holder once. The daily job."""
    tomorrow: date = now.astimezone(PARIS).date() + timedelta(days=1)
    start = datetime.combine(tomorrow, time(0), tzinfo=PARIS)
    due = session.exec(
        select(VisitSlot, Claim)
        .join(Claim, Claim.id == VisitSlot.claim_id)
        .where(
            VisitSlot.status == V.CHOSEN,
            VisitSlot.reminder_sent_at.is_(None),
            VisitSlot.starts_at >= start,
            VisitSlot.starts_at < start + timedelta(days=1),
        )
    ).all()
    for slot, claim in due:
        when = _label(slot.starts_at)
        email = messages.email("visit_reminder", number=claim.number, when=when)
        notices.notify(
            session=session,
            holder_id=claim.holder_id,
            category=NotificationCategory.CLAIMS,
            title=f"Rappel : visite de l'expert demain ({claim.number})",
            body=f"L'expert passe le {when}.",
            link=f"/sinistre?n={claim.number}",
            email_subject=email.subject,
            email_body=email.body,
            sms_body=messages.sms("visit_reminder", number=claim.number, when=when),
        )
        slot.reminder_sent_at = now
        session.add(slot)
    session.flush()
    return len(due)


def staff_claim_id(*, session: Session, staff_id: int, number: str) -> int | None:
    """The id of a claim this staff member may plan a visit for (experts: their own claims)."""
    staff = workflow_permissions.active_staff(session, staff_id)
    if not workflow_permissions.can(staff, "plan_visit"):
        return None
    query = select(Claim.id).where(
        Claim.number == (number or "").strip().upper(), Claim.status != S.DRAFT
    )
    if staff.role == workflow_permissions.R.EXPERT:
        query = query.where(Claim.expert_id == staff.id)
    return session.exec(query).first()
