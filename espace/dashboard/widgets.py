"""The dashboard: a catalogue of widgets, each holder's layout (order, width), and the data each
widget shows, all read from the database."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, select

from espace import routes
from espace.billing.models import Payment, PaymentStatus
from espace.claims.models import Claim, ClaimMessage
from espace.contracts import labels
from espace.contracts.models import Contract, ContractStatus, Formula, InsuredProperty
from espace.core import formatting as fmt
from espace.core.models import utcnow
from espace.dashboard.models import DashboardLayout
from espace.documents.models import Document
from espace.identity.models import Account
from espace.notifications.models import Notification


@dataclass(frozen=True)
class Widget:
    id: str
    title: str
    description: str
    size: int = 1  # default width: 1 or 2 columns


CATALOGUE: tuple[Widget, ...] = (
    Widget("next_payment", "Prochain paiement", "La prochaine échéance, son montant et sa date."),
    Widget("claims", "Sinistres en cours", "Où en est chaque dossier, et la prochaine étape.", 2),
    Widget(
        "attestations",
        "Attestations",
        "Votre attestation d'assurance en un geste, pour chaque logement.",
    ),
    Widget(
        "notifications", "Notifications", "Les dernières nouvelles de vos dossiers et paiements."
    ),
    Widget("guarantees", "Mes garanties", "Vos logements, formules et principales garanties.", 2),
    Widget(
        "messages", "Messages", "Les réponses de vos conseillers et de vos gestionnaires sinistres."
    ),
    Widget("security", "Sécurité", "Votre score de sécurité et ce qui l'améliore."),
    Widget("documents", "Documents récents", "Vos derniers documents à télécharger."),
    Widget("contacts", "Contacts utiles", "Assistance 24 h/24 et service client."),
)
BY_ID = {w.id: w for w in CATALOGUE}
DEFAULT = (
    "next_payment",
    "claims",
    "attestations",
    "notifications",
    "guarantees",
    "messages",
    "security",
    "documents",
    "contacts",
)


class LayoutError(ValueError):
    pass


@dataclass(frozen=True)
class Slot:
    id: str
    size: int


def default_layout() -> list[Slot]:
    return [Slot(w, BY_ID[w].size) for w in DEFAULT]


def _clean(raw: list) -> list[Slot]:
    slots, seen = [], set()
    for entry in raw or []:
        widget_id = str(entry.get("id", "")) if isinstance(entry, dict) else ""
        if widget_id in BY_ID and widget_id not in seen:
            seen.add(widget_id)
            slots.append(Slot(widget_id, 2 if entry.get("size") == 2 else 1))
    return slots


def layout(*, session: Session, holder_id: int) -> list[Slot]:
    row = session.exec(
        select(DashboardLayout).where(DashboardLayout.holder_id == holder_id)
    ).first()
    return _clean(row.widgets) if row is not None else default_layout()


def save(*, session: Session, holder_id: int, slots: list[Slot]) -> list[Slot]:
    cleaned = _clean([{"id": s.id, "size": s.size} for s in slots])
    row = session.exec(
        select(DashboardLayout).where(DashboardLayout.holder_id == holder_id)
    ).first()
    if row is None:
        row = DashboardLayout(holder_id=holder_id)
    row.widgets = [{"id": s.id, "size": s.size} for s in cleaned]
    row.updated_at = utcnow()
    session.add(row)
    session.flush()
    return cleaned


def add(slots: list[Slot], widget_id: str) -> list[Slot]:
    if widget_id not in BY_ID:
        raise LayoutError("Ce module n'existe pas.")
    if any(s.id == widget_id for s in slots):
        return slots
    return [*slots, Slot(widget_id, BY_ID[widget_id].size)]


def remove(slots: list[Slot], widget_id: str) -> list[Slot]:
    return [s for s in slots if s.id != widget_id]


def move(slots: list[Slot], widget_id: str, delta: int) -> list[Slot]:
    ids = [s.id for s in slots]
    if widget_id not in ids:
        return slots
    index = ids.index(widget_id)
    target = max(0, min(len(slots) - 1, index + delta))
    moved = list(slots)
    moved.insert(target, moved.pop(index))
    return moved


def reorder(slots: list[Slot], order: list[str]) -> list[Slot]:
    """Drag and drop: the browser sends the new order of ids; unknown or missing ones keep their
    place."""
    by_id = {s.id: s for s in slots}
    ordered = [by_id[i] for i in dict.fromkeys(order) if i in by_id]
    return ordered + [s for s in slots if s.id not in set(order)]


def resize(slots: list[Slot], widget_id: str) -> list[Slot]:
    return [Slot(s.id, 1 if s.size == 2 else 2) if s.id == widget_id else s for s in slots]


# ----- what the widgets show ------------------------------------------------------------------


@dataclass
class DashboardData:
    next_payment: list[tuple[str, str]] = field(default_factory=list)  # (label, value)
    next_payment_note: str = ""
    claims: list[dict] = field(default_factory=list)
    contracts: list[dict] = field(default_factory=list)
    notifications: list[dict] = field(default_factory=list)
    messages: list[dict] = field(default_factory=list)
    documents: list[dict] = field(default_factory=list)
    security_score: int = 0
    security_todo: list[str] = field(default_factory=list)


def collect(
    *,
    session: Session,
    holder_id: int,
    account_id: int | None,
    session_id: int | None,
    today: date,
    wanted: set[str],
) -> DashboardData:
    data = DashboardData()
    if "next_payment" in wanted:
        _next_payment(session, holder_id, data)
    if "claims" in wanted:
        _claims(session, holder_id, data)
    if wanted & {"attestations", "guarantees"}:
        _contracts(session, holder_id, data, today)
    if "notifications" in wanted:
        rows = session.exec(
            select(Notification)
            .where(Notification.holder_id == holder_id)
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(4)
        ).all()
        data.notifications = [
            {
                "title": n.title,
                "date": fmt.date_fr(n.created_at),
                "link": n.link or routes.NOTIFICATIONS,
                "unread": n.read_at is None,
            }
            for n in rows
        ]
    if "messages" in wanted:
        _messages(session, holder_id, data)
    if "documents" in wanted:
        rows = session.exec(
            select(Document)
            .where(Document.holder_id == holder_id)
            .order_by(Document.issued_at.desc(), Document.id.desc())
            .limit(4)
        ).all()
        data.documents = [
            {"title": d.title, "date": fmt.date_fr(d.issued_at), "url": routes.document_url(d.id)}
            for d in rows
        ]
    if "security" in wanted and account_id:
        from espace.identity.security_page import security_score

        score = security_score(
            session=session, account=session.get(Account, account_id), current_session_id=session_id
        )
        data.security_score = score.score
        data.security_todo = [i.label for i in score.items if not i.done][:3]
    return data


def _messages(session: Session, holder_id: int, data: DashboardData) -> None:
    """Secure-messaging threads with an unread answer or waiting for the holder's reply, then the
    latest messages of claim handlers."""
    from espace.support import thread_rules, thread_views

    data.messages = [
        {
            "title": t.subject,
            "date": fmt.date_fr(t.last_message_at),
            "unread": t.unread,
            "body": "Nouvelle réponse" if t.unread else thread_rules.HOLDER_STATUS_LABELS[t.status],
            "link": f"{routes.MESSAGE}?n={t.id}",
        }
        for t in thread_views.needing_attention(session=session, holder_id=holder_id)
    ]
    rows = session.exec(
        select(ClaimMessage, Claim)
        .join(Claim, Claim.id == ClaimMessage.claim_id)
        .where(Claim.holder_id == holder_id, ClaimMessage.staff_id.is_not(None))
        .order_by(ClaimMessage.created_at.desc())
        .limit(3)
    ).all()
    data.messages += [
        {
            "title": f"Sinistre {c.number}",
            "body": m.body[:140] + ("…" if len(m.body) > 140 else ""),
            "date": fmt.date_fr(m.created_at),
            "unread": False,
            "link": f"{routes.CLAIM}?n={c.number}#messages",
        }
        for m, c in rows
    ]


def _next_payment(session: Session, holder_id: int, data: DashboardData) -> None:
    rejected = session.exec(
        select(Payment).where(
            Payment.holder_id == holder_id, Payment.status == PaymentStatus.REJECTED
        )
    ).first()
    payment = session.exec(
        select(Payment)
        .where(Payment.holder_id == holder_id, Payment.status == PaymentStatus.SCHEDULED)
        .order_by(Payment.due_date)
    ).first()
    if payment is not None:
        contract = session.get(Contract, payment.contract_id)
        data.next_payment = [
            ("Montant", fmt.money(payment.amount_cents)),
            ("Date", fmt.date_fr(payment.due_date)),
            ("Contrat", contract.number),
        ]
    if rejected is not None:
        data.next_payment_note = (
            f"Un prélèvement de {fmt.money(rejected.amount_cents)} a été rejeté : "
            "régularisez-le par carte."
        )


def _claims(session: Session, holder_id: int, data: DashboardData) -> None:
    from espace.claims import perils, stages

    rows = session.exec(
        select(Claim)
        .where(Claim.holder_id == holder_id, Claim.status.in_(stages.OPEN_STATUSES))
        .order_by(Claim.submitted_at.desc())
    ).all()
    for claim in rows[:3]:
        history = stages.events(session=session, claim_id=claim.id)
        steps = stages.tracker(claim=claim, history=history)
        done = sum(1 for s in steps if s.state in ("done", "skipped"))
        staged = [e for e in history if e.kind != "documents_added"]
        data.claims.append(
            {
                "number": claim.number,
                "peril": perils.label(claim.peril),
                "stage": stages.label(claim.status),
                "progress": round(100 * (done + 1) / len(steps)),
                "step": f"Étape {min(done + 1, len(steps))} sur {len(steps)}",
                "next": staged[-1].next_step if staged else "",
                "link": f"{routes.CLAIM}?n={claim.number}",
            }
        )


def _contracts(session: Session, holder_id: int, data: DashboardData, today: date) -> None:
    from espace.contracts.coverage import cover_on, shown_day

    rows = session.exec(
        select(Contract, InsuredProperty, Formula)
        .join(InsuredProperty, InsuredProperty.id == Contract.property_id)
        .join(Formula, Formula.id == Contract.formula_id)
        .where(Contract.holder_id == holder_id, Contract.status == ContractStatus.ACTIVE)
        .order_by(Contract.number)
    ).all()
    for contract, prop, formula in rows:
        cover = cover_on(session=session, contract=contract, on=shown_day(contract, today))
        lines = (
            [line for line in cover.lines if line.grants] if cover else []
        )  # guarantees in force today, options too
        categories = list(dict.fromkeys(line.category_label for line in lines))
        data.contracts.append(
            {
                "id": contract.id,
                "number": contract.number,
                "place": f"{labels.label(labels.PROPERTY_TYPE, prop.property_type)} à {prop.city}",
                "formula": cover.formula_name if cover else formula.name,
                "categories": categories[:6],
                "more": max(0, len(categories) - 6),
                "link": f"{routes.CONTRACT}?n={contract.number}",
            }
        )
