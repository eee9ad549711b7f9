"""Complaints (réclamations), as the ACPR recommends (recommendation 2022-R-01).

A holder files a complaint about a claim, a payment, a contract or the service. The portal
acknowledges it at once (the legal limit is 10 working days); the answer is due within two months of
its receipt. Both deadlines are kept on the complaint, shown to the holder and to staff, and a
complaint past its answer date is flagged late. The answer closes it. A holder who disagrees with
the answer, or who got none within two months, is shown how to refer to the insurance mediator.

Holder functions check ownership in the query itself ("not yours" and "does not exist" look the
same); staff functions check the role (handlers and managers), log every read and write every
action to the staff audit log. Complaints are separate from secure messages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta
from sqlalchemy import func
from sqlmodel import Session, col, select

from espace import routes
from espace.claims.models import Claim, ClaimStatus, StaffAuditLog
from espace.contracts.models import Contract
from espace.core import formatting as fmt
from espace.core.db import savepoint
from espace.core.formatting import PARIS
from espace.core.models import get_existing, saved_id, utcnow
from espace.core.settings import get_settings
from espace.core.working_days import add_working_days
from espace.identity import staff_reads
from espace.identity.models import Policyholder, StaffRole, StaffUser
from espace.identity.staff_access import StaffForbidden
from espace.notifications import notices
from espace.notifications.models import NotificationCategory
from espace.support.models import (
    Complaint,
    ComplaintMessage,
    ComplaintStatus,
    ComplaintTopic,
)
from espace.webhooks.events import emit

ACKNOWLEDGEMENT_WORKING_DAYS = 10
ANSWER_MONTHS = 2
SUBJECT_MIN, SUBJECT_MAX = 3, 120
BODY_MIN, BODY_MAX = 10, 5000
STAFF_ROLES = (StaffRole.HANDLER, StaffRole.MANAGER)
FIGURES_DAYS = 90

TOPIC_LABELS: dict[str, str] = {  # keyed by ComplaintTopic, whose members are their text
    ComplaintTopic.CLAIM: "Un sinistre",
    ComplaintTopic.PAYMENT: "Un paiement",
    ComplaintTopic.CONTRACT: "Mon contrat",
    ComplaintTopic.SERVICE: "La qualité du service",
}
STATUS_LABELS: dict[str, str] = {  # keyed by ComplaintStatus
    ComplaintStatus.OPEN: "En cours d'examen",
    ComplaintStatus.ANSWERED: "Répondue",
}
ACKNOWLEDGEMENT_TEXT = (
    "Nous avons bien reçu votre réclamation {reference} le {filed}. Elle est examinée par notre "
    "service Réclamations, qui vous répondra au plus tard le {due}."
)


class ComplaintError(ValueError):
    """A French message for the person, tied to a form field when ``field`` is set."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Mediator:
    name: str
    address: str
    url: str
    conditions: str


def mediator() -> Mediator:
    """The insurance mediator, from the insurer's settings."""
    settings = get_settings()
    return Mediator(
        name=settings.mediator_name,
        address=settings.mediator_address,
        url=settings.mediator_url,
        conditions=(
            "Vous pouvez saisir gratuitement le médiateur si vous n'êtes pas d'accord avec notre "
            "réponse, ou si vous n'avez pas reçu de réponse deux mois après l'envoi de votre "
            "réclamation. Joignez votre réclamation et notre réponse (l'échange complet se "
            "télécharge en PDF ci-dessous). Le médiateur rend son avis dans les 90 jours ; le "
            "recours à la médiation ne vous prive pas du droit de saisir les tribunaux. Il ne "
            "peut être saisi si une action en justice est en cours ou si le litige a plus d'un an "
            "après votre réclamation écrite."
        ),
    )


# ----- pure rules ------------------------------------------------------------------------------


def _paris_date(moment: datetime) -> date:
    return moment.astimezone(PARIS).date()


def acknowledgement_due(filed: date) -> date:
    """The latest acknowledgement date: 10 working days after receipt."""
    return add_working_days(filed, ACKNOWLEDGEMENT_WORKING_DAYS)


def answer_due(filed: date) -> date:
    """The latest answer date: two months after receipt (31 December + 2 months: 28/29 February)."""
    return filed + relativedelta(months=ANSWER_MONTHS)


def is_late(complaint: Complaint, today: date) -> bool:
    return complaint.status == ComplaintStatus.OPEN and today > complaint.answer_due_on


def mediator_open(complaint: Complaint, today: date) -> bool:
    """The mediator route is shown: no answer after two months, or the holder disagrees."""
    return is_late(complaint, today) or complaint.holder_disagreed_at is not None


def days_left(complaint: Complaint, today: date) -> str:
    """'Reste 12 jours', 'Échéance aujourd'hui', 'En retard de 3 jours' ('' once answered)."""
    if complaint.status != ComplaintStatus.OPEN:
        return ""
    delta = (complaint.answer_due_on - today).days
    if delta == 0:
        return "Échéance aujourd'hui"
    plural = "s" if abs(delta) > 1 else ""
    return f"Reste {delta} jour{plural}" if delta > 0 else f"En retard de {-delta} jour{plural}"


def _clean(text: str | None, *, field: str, minimum: int, maximum: int, what: str) -> str:
    cleaned = (text or "").strip()
    if len(cleaned) < minimum:
        raise ComplaintError(f"Écrivez {what} ({minimum} caractères au moins).", field)
    if len(cleaned) > maximum:
        raise ComplaintError(f"Le texte est trop long : {maximum} caractères au plus.", field)
    return cleaned


# ----- the holder --------------------------------------------------------------------------------


def _next_reference(session: Session, year: int) -> str:
    prefix = f"REC-{year}-"
    last = session.exec(
        select(Complaint.reference)
        .where(col(Complaint.reference).like(f"{prefix}%"))
        .order_by(col(Complaint.reference).desc())
    ).first()
    return f"{prefix}{(int(last[-6:]) if last else 0) + 1:06d}"


def _owned_sent_claim(session: Session, holder_id: int, claim_id: int | None) -> Claim | None:
    if not claim_id:
        return None
    return session.exec(
        select(Claim).where(
            Claim.id == claim_id, Claim.holder_id == holder_id, Claim.status != ClaimStatus.DRAFT
        )
    ).first()


def _owned_contract(session: Session, holder_id: int, contract_id: int | None) -> Contract | None:
    if not contract_id:
        return None
    return session.exec(
        select(Contract).where(Contract.id == contract_id, Contract.holder_id == holder_id)
    ).first()


def file_complaint(
    *,
    session: Session,
    holder_id: int,
    topic: str,
    subject: str,
    body: str,
    claim_id: int | None = None,
    contract_id: int | None = None,
    origin: str = "portal",
    now: datetime | None = None,
) -> Complaint:
    """Record a complaint and acknowledge it at once; ComplaintError (by field) on bad input. A
    claim or contract that is not the holder's is refused like an unknown one."""
    now = now or utcnow()
    if topic not in set(ComplaintTopic):
        raise ComplaintError("Choisissez l'objet de votre réclamation.", "topic")
    errors: list[ComplaintError] = []
    try:
        subject = _clean(
            subject, field="subject", minimum=SUBJECT_MIN, maximum=SUBJECT_MAX, what="un objet"
        )
    except ComplaintError as error:
        errors.append(error)
    try:
        body = _clean(
            body, field="body", minimum=BODY_MIN, maximum=BODY_MAX, what="votre réclamation"
        )
    except ComplaintError as error:
        errors.append(error)
    claim = _owned_sent_claim(session, holder_id, claim_id)
    contract = _owned_contract(session, holder_id, contract_id)
    if topic == ComplaintTopic.CLAIM and claim is None:
        errors.append(ComplaintError("Choisissez le sinistre concerné.", "claim"))
    if topic == ComplaintTopic.CONTRACT and contract is None:
        errors.append(ComplaintError("Choisissez le contrat concerné.", "contract"))
    if errors:
        raise errors[0]
    if claim is not None:
        contract = session.get(Contract, claim.contract_id)
    filed = _paris_date(now)
    complaint = None
    from sqlalchemy.exc import IntegrityError

    for attempt in range(5):
        try:
            with savepoint(session):
                complaint = Complaint(
                    reference=_next_reference(session, filed.year),
                    holder_id=holder_id,
                    topic=topic,
                    claim_id=claim.id if claim else None,
                    contract_id=contract.id if contract else None,
                    subject=subject,
                    origin=origin,
                    filed_at=now,
                    acknowledged_at=now,
                    acknowledgement_due_on=acknowledgement_due(filed),
                    answer_due_on=answer_due(filed),
                )
                session.add(complaint)
                session.flush()
            break
        except IntegrityError:
            if attempt == 4:
                raise
    assert complaint is not None  # saved by the loop, which raised otherwise
    session.add(
        ComplaintMessage(
            complaint_id=saved_id(complaint),
            kind="complaint",
            author="holder",
            body=body,
            created_at=now,
        )
    )
    acknowledgement = ACKNOWLEDGEMENT_TEXT.format(
        reference=complaint.reference,
        filed=fmt.date_fr(filed),
        due=fmt.date_fr(complaint.answer_due_on),
    )
    session.add(
        ComplaintMessage(
            complaint_id=saved_id(complaint),
            kind="acknowledgement",
            author="portal",
            body=acknowledgement,
            created_at=now,
        )
    )
    notices.notify(
        session=session,
        holder_id=holder_id,
        category=NotificationCategory.MESSAGES,
        title=f"Réclamation {complaint.reference} reçue",
        body=acknowledgement,
        link=complaint_link(complaint),
        email_subject=f"Accusé de réception de votre réclamation {complaint.reference}",
        email_body=acknowledgement + "\n\nSuivez-la depuis votre espace, rubrique Réclamations.",
    )
    session.flush()
    emit(
        "complaint.filed",
        {
            "complaint_id": complaint.id,
            "reference": complaint.reference,
            "holder_id": complaint.holder_id,
            "topic": str(complaint.topic),
            "claim_id": complaint.claim_id,
            "contract_id": complaint.contract_id,
        },
        session=session,
    )
    return complaint


def complaint_link(complaint: Complaint) -> str:
    return f"{routes.COMPLAINT}?n={complaint.id}"


def holder_complaint(*, session: Session, holder_id: int, complaint_id: int) -> Complaint | None:
    if not complaint_id:
        return None
    return session.exec(
        select(Complaint).where(Complaint.id == complaint_id, Complaint.holder_id == holder_id)
    ).first()


def list_complaints(*, session: Session, holder_id: int) -> list[Complaint]:
    return list(
        session.exec(
            select(Complaint)
            .where(Complaint.holder_id == holder_id)
            .order_by(col(Complaint.filed_at).desc(), col(Complaint.id).desc())
        ).all()
    )


def exchange(*, session: Session, complaint_id: int) -> list[ComplaintMessage]:
    return list(
        session.exec(
            select(ComplaintMessage)
            .where(ComplaintMessage.complaint_id == complaint_id)
            .order_by(col(ComplaintMessage.created_at), col(ComplaintMessage.id))
        ).all()
    )


def disagree(
    *,
    session: Session,
    holder_id: int,
    complaint_id: int,
    reason: str,
    now: datetime | None = None,
) -> Complaint:
    """The holder does not accept the answer: recorded, and the mediator route opens."""
    complaint = holder_complaint(session=session, holder_id=holder_id, complaint_id=complaint_id)
    if complaint is None:
        raise ComplaintError("Cette réclamation est introuvable.", "form")
    if complaint.status != ComplaintStatus.ANSWERED:
        raise ComplaintError("Vous pourrez réagir une fois notre réponse reçue.", "reason")
    if complaint.holder_disagreed_at is not None:
        raise ComplaintError("Votre désaccord est déjà enregistré.", "reason")
    reason = _clean(reason, field="reason", minimum=3, maximum=BODY_MAX, what="la raison")
    now = now or utcnow()
    complaint.holder_disagreed_at = now
    session.add(complaint)
    session.add(
        ComplaintMessage(
            complaint_id=saved_id(complaint),
            kind="disagreement",
            author="holder",
            body=reason,
            created_at=now,
        )
    )
    session.flush()
    return complaint


@dataclass(frozen=True)
class ComplaintView:
    """What the holder and staff pages show of one complaint."""

    id: int
    reference: str
    topic: str
    subject: str
    linked: str
    status: str
    status_label: str
    filed: str
    acknowledged: str
    acknowledgement_due: str
    answer_due: str
    answered: str
    late: bool
    left: str
    mediator_open: bool
    disagreed: bool
    origin: str


def view(session: Session, complaint: Complaint, today: date) -> ComplaintView:
    return ComplaintView(
        id=saved_id(complaint),
        reference=complaint.reference,
        topic=TOPIC_LABELS.get(complaint.topic, complaint.topic),
        subject=complaint.subject,
        linked=linked_label(session, complaint),
        status=complaint.status,
        status_label=STATUS_LABELS.get(complaint.status, complaint.status),
        filed=fmt.date_fr(complaint.filed_at),
        acknowledged=fmt.date_fr(complaint.acknowledged_at),
        acknowledgement_due=fmt.date_fr(complaint.acknowledgement_due_on),
        answer_due=fmt.date_fr(complaint.answer_due_on),
        answered=fmt.date_fr(complaint.answered_at),
        late=is_late(complaint, today),
        left=days_left(complaint, today),
        mediator_open=mediator_open(complaint, today),
        disagreed=complaint.holder_disagreed_at is not None,
        origin=complaint.origin,
    )


def linked_label(session: Session, complaint: Complaint) -> str:
    if complaint.claim_id:
        claim = session.get(Claim, complaint.claim_id)
        return f"Sinistre {claim.number}" if claim else ""
    if complaint.contract_id:
        contract = session.get(Contract, complaint.contract_id)
        return f"Contrat {contract.number}" if contract else ""
    return ""


# ----- the exchange as a PDF ----------------------------------------------------------------------


AUTHOR_LABELS = {
    "holder": "Vous",
    "staff": "Service Réclamations",
    "portal": "Espace (automatique)",
}
KIND_LABELS = {
    "complaint": "Réclamation",
    "acknowledgement": "Accusé de réception",
    "answer": "Réponse",
    "disagreement": "Désaccord",
}


def exchange_pdf(*, session: Session, holder_id: int, complaint_id: int, today: date) -> bytes:
    """The whole exchange, for the holder's records or the mediator; LookupError if not theirs."""
    from espace.documents.addresses import holder_lines
    from espace.documents.pdf.complaint import render_complaint
    from espace.documents.pdf.data import ComplaintData

    complaint = holder_complaint(session=session, holder_id=holder_id, complaint_id=complaint_id)
    if complaint is None:
        raise LookupError(complaint_id)
    name, address = holder_lines(get_existing(session, Policyholder, holder_id))
    shown = view(session, complaint, today)
    found = mediator()
    return render_complaint(
        ComplaintData(
            reference=complaint.reference,
            issued_on=fmt.date_fr(today),
            holder_name=name,
            holder_address=address,
            facts=[
                ("Objet", f"{shown.topic} : {shown.subject}"),
                ("Concerne", shown.linked or "—"),
                ("Reçue le", shown.filed),
                ("Accusé de réception le", shown.acknowledged or "—"),
                ("Réponse due au plus tard le", shown.answer_due),
                ("Statut", shown.status_label + (" (en retard)" if shown.late else "")),
            ],
            messages=[
                (
                    f"{KIND_LABELS.get(m.kind, m.kind)} — "
                    f"{AUTHOR_LABELS.get(m.author, m.author)}, {fmt.datetime_fr(m.created_at)}",
                    m.body,
                )
                for m in exchange(session=session, complaint_id=saved_id(complaint))
            ],
            mediator=f"{found.name}, {found.address} ({found.url})",
            mediator_conditions=found.conditions,
        )
    )


# ----- staff -------------------------------------------------------------------------------------


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
    from espace.claims.workflow import staff_names

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
    notices.notify(
        session=session,
        holder_id=complaint.holder_id,
        category=NotificationCategory.MESSAGES,
        title=f"Réponse à votre réclamation {complaint.reference}",
        body="Notre service Réclamations vous a répondu : lisez sa réponse dans votre espace.",
        link=complaint_link(complaint),
        email_subject=f"Réponse à votre réclamation {complaint.reference}",
        email_body=(
            "Notre service Réclamations a répondu à votre réclamation "
            f"{complaint.reference}. Lisez sa réponse dans votre espace, rubrique Réclamations."
        ),
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


# ----- read models for the screens ---------------------------------------------------------------


@dataclass(frozen=True)
class ExchangeItem:
    kind: str  # complaint | acknowledgement | answer | disagreement
    title: str  # "Réponse — Service Réclamations"
    at: str
    body: str


@dataclass(frozen=True)
class Detail:
    complaint: ComplaintView
    exchange: list[ExchangeItem]
    mediator: Mediator
    holder_name: str = ""
    assignee: str = ""
    assignee_id: int = 0
    assignable: Sequence[tuple[int, str]] = ()  # staff ids and names (managers assign)
    audit: Sequence[tuple[str, str, str, str]] = ()  # who, action, when, detail


def filing_choices(
    *, session: Session, holder_id: int
) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """The holder's sent claims and contracts, to say what a complaint is about."""
    from espace.claims.perils import label as peril_label

    claims = session.exec(
        select(Claim)
        .where(Claim.holder_id == holder_id, Claim.status != ClaimStatus.DRAFT)
        .order_by(col(Claim.submitted_at).desc(), col(Claim.id).desc())
    ).all()
    contracts = session.exec(
        select(Contract).where(Contract.holder_id == holder_id).order_by(Contract.number)
    ).all()
    return (
        [(saved_id(c), f"{c.number} · {peril_label(c.peril)}") for c in claims if c.number],
        [(saved_id(c), f"Contrat {c.number}") for c in contracts],
    )


def holder_rows(*, session: Session, holder_id: int, today: date) -> list[ComplaintView]:
    return [view(session, c, today) for c in list_complaints(session=session, holder_id=holder_id)]


def _exchange_items(session: Session, complaint: Complaint, *, for_staff: bool) -> list:
    authors = {**AUTHOR_LABELS, "holder": "L'assuré" if for_staff else "Vous"}
    return [
        ExchangeItem(
            kind=m.kind,
            title=f"{KIND_LABELS.get(m.kind, m.kind)} — {authors.get(m.author, m.author)}",
            at=fmt.datetime_fr(m.created_at),
            body=m.body,
        )
        for m in exchange(session=session, complaint_id=saved_id(complaint))
    ]


def holder_detail(
    *, session: Session, holder_id: int, complaint_id: int, today: date
) -> Detail | None:
    complaint = holder_complaint(session=session, holder_id=holder_id, complaint_id=complaint_id)
    if complaint is None:
        return None
    return Detail(
        complaint=view(session, complaint, today),
        exchange=_exchange_items(session, complaint, for_staff=False),
        mediator=mediator(),
    )


def staff_detail(
    *, session: Session, staff_id: int, complaint_id: int, today: date
) -> Detail | None:
    """One complaint for staff (the read is logged), with the audit trail."""
    from espace.claims.workflow import staff_names

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


# ----- a disputed settlement offer ---------------------------------------------------------------


def dispute_offer(
    *,
    session: Session,
    holder_id: int,
    number: str,
    action: str,
    reason: str,
    now: datetime | None = None,
) -> Complaint | None:
    """The holder disputes the claim's settlement offer: with ``action="complaint"`` the dispute
    becomes a complaint (deadlines, staff queue, mediator), otherwise a counter-assessment request.
    Returns the complaint, if one was opened."""
    from espace.claims import settlement

    now = now or utcnow()
    claim, offer = settlement.dispute(
        session=session, holder_id=holder_id, number=number, action=action, reason=reason, now=now
    )
    if action != "complaint":
        return None
    complaint = file_complaint(
        session=session,
        holder_id=holder_id,
        topic=ComplaintTopic.CLAIM,
        subject=f"Contestation de l'offre d'indemnisation ({claim.number})",
        body=(
            f"Je conteste l'offre d'indemnisation du sinistre {claim.number} : "
            f"{offer.dispute_reason}"
        ),
        claim_id=claim.id,
        origin="settlement_dispute",
        now=now,
    )
    offer.complaint_id = complaint.id
    session.add(offer)
    session.flush()
    return complaint
