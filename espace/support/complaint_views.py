"""Complaints: what the holder's and the staff's pages show of a complaint, its exchange, and the
exchange as a PDF (for the holder's records or the mediator).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from espace.claims.models import Claim, ClaimStatus
from espace.contracts.models import Contract
from espace.core import formatting as fmt
from espace.core.models import get_existing, saved_id
from espace.identity.models import Policyholder
from espace.support.complaint_rules import (
    STATUS_LABELS,
    TOPIC_LABELS,
    Mediator,
    days_left,
    is_late,
    mediator,
    mediator_open,
)
from espace.support.complaints import exchange, holder_complaint, list_complaints
from espace.support.models import Complaint


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
