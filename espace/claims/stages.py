"""A claim's stages: their French names, what happens next and by when, and moving a claim on
(a dated event, the claim's deadline for its current stage, an in-app notice and an e-mail)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from sqlmodel import Session, select

from espace import routes
from espace.claims.models import Claim, ClaimEvent, ClaimStatus
from espace.core import formatting as fmt
from espace.core.formatting import PARIS
from espace.core.models import utcnow
from espace.core.working_days import add_working_days
from espace.notifications import messages, notices, outbox
from espace.notifications.models import NotificationCategory


def is_late(due_at: datetime | None, now: datetime) -> bool:
    """A step is late once its deadline has passed (no deadline: never late)."""
    return due_at is not None and due_at < now


@dataclass(frozen=True)
class Stage:
    label: str
    next_step: str  # what happens next, for the holder
    working_days: int | None  # the maximum delay of the next step; None: no deadline


S = ClaimStatus
STAGES: dict[str, Stage] = {
    S.DRAFT: Stage("Brouillon", "Terminez et envoyez votre déclaration.", None),
    S.RECEIVED: Stage(
        "Déclaration reçue", "Votre gestionnaire étudie votre déclaration et vous contacte.", 2
    ),
    S.DOCUMENTS_REQUESTED: Stage(
        "Documents demandés",
        "Ajoutez les documents demandés dans l'espace documents du sinistre.",
        10,
    ),
    S.EXPERT_APPOINTED: Stage(
        "Expert missionné", "L'expert vous appelle pour convenir d'une visite.", 5
    ),
    S.VISIT_PLANNED: Stage(
        "Visite planifiée", "L'expert se rend chez vous à la date prévue.", None
    ),
    S.EXPERT_REPORT: Stage(
        "Rapport d'expertise", "Votre gestionnaire calcule l'indemnité à partir du rapport.", 5
    ),
    S.INDEMNITY_COMPUTED: Stage(
        "Indemnité calculée", "Nous envoyons le virement de votre indemnité.", 10
    ),
    S.PAYMENT_SENT: Stage(
        "Paiement envoyé", "Le virement arrive sur votre compte, puis le dossier est clôturé.", 3
    ),
    S.CLOSED: Stage("Dossier clôturé", "", None),
    S.REFUSED: Stage(
        "Prise en charge refusée",
        "Vous pouvez contester cette décision en écrivant à votre gestionnaire.",
        None,
    ),
    "reopened": Stage("Dossier rouvert", "Votre gestionnaire reprend l'étude de votre dossier.", 2),
    "documents_added": Stage("Documents ajoutés", "", None),
    "express": Stage("Règlement express", "Nous envoyons le virement de votre indemnité.", 3),
}

# The main path shown by the tracker, in order.
MAIN_PATH = (
    S.RECEIVED,
    S.EXPERT_APPOINTED,
    S.VISIT_PLANNED,
    S.EXPERT_REPORT,
    S.INDEMNITY_COMPUTED,
    S.PAYMENT_SENT,
    S.CLOSED,
)
OPEN_STATUSES = (
    S.RECEIVED,
    S.DOCUMENTS_REQUESTED,
    S.EXPERT_APPOINTED,
    S.VISIT_PLANNED,
    S.EXPERT_REPORT,
    S.INDEMNITY_COMPUTED,
    S.PAYMENT_SENT,
)


# Decisions the holder must hear about even with "critical only": a refusal, documents asked for.
CRITICAL_STAGES = (S.REFUSED, S.DOCUMENTS_REQUESTED)


def label(kind: str) -> str:
    return STAGES[kind].label if kind in STAGES else kind


def due_after(start: datetime, working_days: int | None) -> datetime | None:
    """The end of the working day ``working_days`` after ``start`` (Paris time), in UTC."""
    if working_days is None:
        return None
    local_day = start.astimezone(PARIS).date()
    return datetime.combine(
        add_working_days(local_day, working_days), time(18, 0), tzinfo=PARIS
    ).astimezone(start.tzinfo)


def _next_step_text(kind: str, due: datetime | None) -> str:
    text = STAGES[kind].next_step if kind in STAGES else ""
    if text and due is not None:
        text = f"{text} Au plus tard le {fmt.date_fr(due)}."
    return text


def move(
    *,
    session: Session,
    claim: Claim,
    kind: str,
    detail: str = "",
    staff_id: int | None = None,
    due_at: datetime | None = None,
    status: str | None = None,
    notify: bool = True,
) -> ClaimEvent:
    """Record a stage: dated event, new status, the current step's deadline, notice and e-mail to
    the holder.

    ``kind`` is what happened (a status, or "reopened"/"express"); ``status`` the claim's status
    afterwards (defaults to ``kind``)."""
    now = utcnow()
    stage = STAGES[kind]
    due = due_at if due_at is not None else due_after(now, stage.working_days)
    event = ClaimEvent(
        claim_id=claim.id,
        kind=kind,
        at=now,
        detail=detail[:1000],
        next_step=_next_step_text(kind, due)[:300],
        due_at=due,
        staff_id=staff_id,
    )
    session.add(event)
    claim.status = status or kind
    claim.next_step_due_at = due if claim.status in OPEN_STATUSES else None
    claim.updated_at = now
    if claim.status in (S.CLOSED, S.REFUSED):
        claim.closed_at = now
    session.add(claim)
    session.flush()
    if notify:
        _notify(session, claim, event)
    return event


def record(
    *, session: Session, claim: Claim, kind: str, detail: str = "", staff_id: int | None = None
) -> ClaimEvent:
    """A dated event that does not change the claim's stage (documents added, a request
    withdrawn...)."""
    event = ClaimEvent(claim_id=claim.id, kind=kind, detail=detail[:1000], staff_id=staff_id)
    claim.updated_at = event.at
    session.add(event)
    session.add(claim)
    session.flush()
    return event


def claim_link(claim: Claim) -> str:
    return f"{routes.CLAIM}?n={claim.number}"


def _notify(session: Session, claim: Claim, event: ClaimEvent) -> None:
    title = f"Sinistre {claim.number} : {label(event.kind).lower()}"
    # The e-mail names the stage and the next step only: what staff wrote (reasons, amounts, report
    # conclusions) stays behind the sign-in.
    email = messages.email(
        "claim_stage",
        number=claim.number,
        stage=label(event.kind),
        date=fmt.datetime_fr(event.at),
        next_step=event.next_step,
        claim_link=outbox.link(claim_link(claim)),
    )
    notices.notify(
        session=session,
        holder_id=claim.holder_id,
        category=NotificationCategory.CLAIMS,
        title=title,
        body=event.detail or event.next_step,
        link=claim_link(claim),
        email_subject=email.subject,
        email_body=email.body,
        critical=event.kind in CRITICAL_STAGES,
    )


def events(*, session: Session, claim_id: int) -> list[ClaimEvent]:
    return list(
        session.exec(
            select(ClaimEvent)
            .where(ClaimEvent.claim_id == claim_id)
            .order_by(ClaimEvent.at, ClaimEvent.id)
        ).all()
    )


DRAFT_NEXT_STEP = "Brouillon : reprenez votre déclaration là où vous l'aviez laissée."


def next_steps(*, session: Session, claims: list[Claim]) -> dict[int, str]:
    """What happens next for each claim (by claim id), from its latest stage event: one query
    for the whole list (documents added do not move a claim on)."""
    sent = [c.id for c in claims if c.number is not None]
    found: dict[int, str] = {c.id: DRAFT_NEXT_STEP for c in claims if c.number is None}
    if sent:
        for event in session.exec(
            select(ClaimEvent)
            .where(ClaimEvent.claim_id.in_(sent), ClaimEvent.kind != "documents_added")
            .order_by(ClaimEvent.at, ClaimEvent.id)
        ).all():
            found[event.claim_id] = event.next_step  # the latest one wins
    return {c.id: found.get(c.id, "") for c in claims}


@dataclass(frozen=True)
class TrackerStep:
    kind: str
    label: str
    state: str  # done | skipped | current | upcoming
    at: datetime | None


def tracker(*, claim: Claim, history: list[ClaimEvent]) -> list[TrackerStep]:
    """The main path with each stage's date; stages the claim skipped (express) count as done."""
    reached = {
        (S.INDEMNITY_COMPUTED if event.kind == "express" else event.kind): event.at
        for event in history
    }
    if claim.status == S.REFUSED:
        return [
            TrackerStep(S.RECEIVED, label(S.RECEIVED), "done", reached.get(S.RECEIVED)),
            TrackerStep(S.REFUSED, label(S.REFUSED), "current", reached.get(S.REFUSED)),
        ]
    current = claim.status if claim.status in MAIN_PATH else _last_main(history)
    position = MAIN_PATH.index(current) if current in MAIN_PATH else 0
    steps = []
    for index, kind in enumerate(MAIN_PATH):
        state = (
            "done"
            if index < position or (index == position and kind == S.CLOSED)
            else ("current" if index == position else "upcoming")
        )
        if state == "done" and kind not in reached:
            state = "skipped"  # e.g. no expert for an express settlement
        steps.append(
            TrackerStep(
                kind, label(kind), state, reached.get(kind) if state != "upcoming" else None
            )
        )
    return steps


def _last_main(history: list[ClaimEvent]) -> str:
    for event in reversed(history):
        if event.kind in MAIN_PATH:
            return event.kind
    return S.RECEIVED
