"""« Mes paiements »: the schedule of instalments, the payment history, and what the holder's own
changes to how the premium is collected build on (``payment_changes``: debit day, frequency).

Every read and change checks ownership in the query itself: another holder's contract or payment
looks exactly like one that does not exist."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, or_
from sqlmodel import Session, select

from espace.billing.instalments import DEFAULT_DEBIT_DAY, add_months
from espace.billing.models import MandateStatus, Payment, PaymentStatus, SepaMandate
from espace.billing.receipts import METHOD_LABELS
from espace.contracts.cover_change import insurance_year
from espace.contracts.models import MONTHS_PER_PERIOD, Contract, PaymentFrequency
from espace.documents.models import Document, DocumentKind

STATUS_LABELS = {
    PaymentStatus.SCHEDULED: "À venir",
    PaymentStatus.PAID: "Payé",
    PaymentStatus.REJECTED: "Rejeté",
    PaymentStatus.REGULARISED: "Régularisé",
    PaymentStatus.PROCESSING: "Paiement en cours",
    PaymentStatus.REFUNDED: "Remboursé",
}
PAID_STATUSES = (PaymentStatus.PAID, PaymentStatus.REGULARISED)  # what was actually paid
HISTORY_YEARS = 10  # the current year and the 9 before it
RECENT_MONTHS = 12  # settled payments shown with the schedule


@dataclass(frozen=True)
class ScheduleRow:
    id: int
    contract_number: str
    due_date: date
    period_start: date
    period_end: date
    amount_cents: int
    status: str
    status_label: str
    method_label: str
    rejection_reason: str
    receipt_document_id: int | None


@dataclass(frozen=True)
class HistoryResult:
    rows: list[ScheduleRow]
    yearly_totals: list[
        tuple[int, int, int]
    ]  # (year, total paid in cents, number of payments paid), newest first
    total_cents: int
    years_available: list[int]  # newest first


@dataclass(frozen=True)
class NewInstalment:
    period_start: date
    period_end: date
    due_date: date
    amount_cents: int
    tax_cents: int


# ---- reading ------------------------------------------------------------------------------------


def owned_payment(*, session: Session, holder_id: int, payment_id: int) -> Payment | None:
    return session.exec(
        select(Payment).where(Payment.id == payment_id, Payment.holder_id == holder_id)
    ).first()


def _owned_contract(session: Session, holder_id: int, contract_id: int) -> Contract | None:
    return session.exec(
        select(Contract).where(Contract.id == contract_id, Contract.holder_id == holder_id)
    ).first()


def _rows_query(holder_id: int, contract_id: int | None):
    query = (
        select(Payment, Contract.number, Document.id)
        .join(Contract, Contract.id == Payment.contract_id)
        .outerjoin(
            Document,
            and_(
                Document.payment_id == Payment.id,
                Document.kind == DocumentKind.RECEIPT,
                Document.holder_id == holder_id,
            ),
        )
        .where(Payment.holder_id == holder_id, Contract.holder_id == holder_id)
    )
    if contract_id is not None:
        query = query.where(Payment.contract_id == contract_id)
    return query


def _row(payment: Payment, number: str, receipt_id: int | None) -> ScheduleRow:
    return ScheduleRow(
        id=payment.id,
        contract_number=number,
        due_date=payment.due_date,
        period_start=payment.period_start,
        period_end=payment.period_end,
        amount_cents=payment.amount_cents,
        status=payment.status,
        status_label=STATUS_LABELS.get(payment.status, payment.status),
        method_label=METHOD_LABELS.get(payment.method, payment.method),
        rejection_reason=payment.rejection_reason
        if payment.status != PaymentStatus.SCHEDULED
        else "",
        receipt_document_id=receipt_id
        if payment.status in PAID_STATUSES
        else None,  # a rejected debit has no receipt
    )


def schedule(
    *, session: Session, holder_id: int, contract_id: int | None = None, today: date
) -> list[ScheduleRow]:
    """The current insurance year of each contract, every instalment still to come and the payments
    settled or rejected in the last 12 months, by due date."""
    query = select(Contract).where(Contract.holder_id == holder_id)
    if contract_id is not None:
        query = query.where(Contract.id == contract_id)
    years = {c.id: insurance_year(c, today) for c in session.exec(query).all()}
    if not years:
        return []
    recent = add_months(today, -RECENT_MONTHS)
    earliest = min([recent, *(start for start, _ in years.values())])
    rows = session.exec(
        _rows_query(holder_id, contract_id)
        .where(
            or_(
                Payment.status == PaymentStatus.SCHEDULED,
                Payment.period_end >= earliest,
                Payment.due_date >= earliest,
            )
        )
        .order_by(Payment.due_date, Payment.id)
    ).all()

    def shown(payment: Payment) -> bool:
        year_start, year_end = years[payment.contract_id]
        return (
            payment.status == PaymentStatus.SCHEDULED
            or payment.due_date >= recent
            or (payment.period_start <= year_end and payment.period_end >= year_start)
        )

    return [_row(p, number, receipt) for p, number, receipt in rows if shown(p)]


def history(
    *,
    session: Session,
    holder_id: int,
    today: date,
    year: int | None = None,
    contract_id: int | None = None,
) -> HistoryResult:
    """Settled and rejected payments due since 1 January nine years ago, newest first, with yearly
    totals of what was actually paid (paid and regularised)."""
    since = date(today.year - HISTORY_YEARS + 1, 1, 1)
    query = _rows_query(holder_id, contract_id).where(
        Payment.status != PaymentStatus.SCHEDULED, Payment.due_date >= since
    )
    rows = session.exec(query.order_by(Payment.due_date.desc(), Payment.id.desc())).all()
    years_available = sorted({p.due_date.year for p, _, _ in rows}, reverse=True)
    if year is not None:
        rows = [r for r in rows if r[0].due_date.year == year]
    totals: dict[int, list[int]] = {}
    for payment, _, _ in rows:
        if payment.status in PAID_STATUSES:
            entry = totals.setdefault(payment.due_date.year, [0, 0])
            entry[0] += payment.amount_cents
            entry[1] += 1
    yearly = [(y, cents, count) for y, (cents, count) in sorted(totals.items(), reverse=True)]
    return HistoryResult(
        rows=[_row(*r) for r in rows],
        yearly_totals=yearly,
        total_cents=sum(cents for _, cents, _ in yearly),
        years_available=years_available,
    )


# ---- what the changes and the renewals build on: the mandate, a year's instalments ---------------


def has_active_mandate(*, session: Session, holder_id: int) -> bool:
    return (
        session.exec(
            select(SepaMandate.id).where(
                SepaMandate.holder_id == holder_id, SepaMandate.status == MandateStatus.ACTIVE
            )
        ).first()
        is not None
    )


def split_annual(total_cents: int, parts: int) -> list[int]:
    """Even instalments; the last one takes the rounding rest, so that they add up to the total."""
    share = total_cents // parts
    return [share] * (parts - 1) + [total_cents - share * (parts - 1)]


def new_instalments(
    contract: Contract, frequency: str, effective: date, *, earliest: date | None = None, terms=None
) -> list[NewInstalment]:
    """One insurance year from ``effective`` (an anniversary of the contract) split for
    ``frequency``; no debit falls before ``earliest`` (the notice period from today). ``terms``: the
    version of the terms in force on ``effective`` (its premium), by default the contract's copy of
    today's."""
    months = MONTHS_PER_PERIOD[PaymentFrequency(frequency)]
    per_year = 12 // months
    offset = 12 * (effective.year - contract.start_date.year)
    day = min(contract.debit_day or DEFAULT_DEBIT_DAY, 28)
    terms = terms or contract
    amounts = split_annual(terms.annual_premium_cents, per_year)
    taxes = split_annual(terms.annual_tax_cents, per_year)
    rows = []
    for index in range(per_year):
        start = add_months(contract.start_date, offset + months * index)
        end = add_months(contract.start_date, offset + months * (index + 1)) - timedelta(days=1)
        due = start if frequency == PaymentFrequency.ANNUAL else start.replace(day=day)
        if earliest is not None and due < earliest:
            due = earliest
        rows.append(NewInstalment(start, end, due, amounts[index], taxes[index]))
    return rows
