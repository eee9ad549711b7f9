"""Complaints (réclamations), as the ACPR recommends (recommendation 2022-R-01).

A holder files a complaint about a claim, a payment, a contract or the service. The portal
acknowledges it at once (the legal limit is 10 working days); the answer is due within two months of
its receipt. Both deadlines are kept on the complaint, shown to the holder and to staff, and a
complaint past its answer date is flagged late. The answer closes it. A holder who disagrees with
the answer, or who got none within two months, is shown how to refer to the insurance mediator.

Holder functions check ownership in the query itself ("not yours" and "does not exist" look the
same); staff functions check the role (handlers and managers), log every read and write every
action to the staff audit log. Complaints are separate from secure messages.

This module holds what the holder does (file, read their own, disagree, dispute a settlement offer);
the deadlines and labels are in ``complaint_rules``, the screens' read models and the PDF of the
exchange in ``complaint_views``, the back office in ``complaint_staff``.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from espace import routes
from espace.claims.models import Claim, ClaimStatus
from espace.contracts.models import Contract
from espace.core import formatting as fmt
from espace.core.db import savepoint
from espace.core.models import saved_id, utcnow
from espace.notifications import messages, notices
from espace.notifications.models import NotificationCategory
from espace.support.complaint_rules import (
    ACKNOWLEDGEMENT_TEXT,
    BODY_MAX,
    BODY_MIN,
    SUBJECT_MAX,
    SUBJECT_MIN,
    ComplaintError,
    _clean,
    _paris_date,
    acknowledgement_due,
    answer_due,
)
from espace.support.models import Complaint, ComplaintMessage, ComplaintStatus, ComplaintTopic
from espace.webhooks.events import emit

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
    email = messages.email(
        "complaint_received", reference=complaint.reference, acknowledgement=acknowledgement
    )
    notices.notify(
        session=session,
        holder_id=holder_id,
        category=NotificationCategory.MESSAGES,
        title=f"Réclamation {complaint.reference} reçue",
        body=acknowledgement,
        link=complaint_link(complaint),
        email_subject=email.subject,
        email_body=email.body,
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
