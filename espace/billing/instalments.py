"""Premium instalments following a contract's payment frequency."""

from __future__ import annotations

import calendar
from datetime import date, datetime, time, timedelta

from sqlmodel import Session

from espace.billing.models import Payment, PaymentStatus
from espace.contracts.models import MONTHS_PER_PERIOD, Contract, PaymentFrequency
from espace.core.formatting import PARIS

DEFAULT_DEBIT_DAY = 5


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last_day))


def instalments(
    contract: Contract, *, until: date, debit_day: int | None = None
) -> list[tuple[date, date, date, int, int]]:
    """(period_start, period_end, due_date, amount, tax) from the contract's start until ``until``.

    Amounts split the annual premium evenly; the last instalment of each year takes the rounding
    rest. Debits fall on ``debit_day``, by default the contract's own debit day.
    """
    if debit_day is None:
        debit_day = contract.debit_day or DEFAULT_DEBIT_DAY
    months = MONTHS_PER_PERIOD[PaymentFrequency(contract.payment_frequency)]
    per_year = 12 // months
    rows = []
    start = contract.start_date
    index = 0
    while start <= until and (contract.end_date is None or start <= contract.end_date):
        end = add_months(start, months) - timedelta(days=1)
        due = (
            start.replace(day=min(debit_day, 28))
            if months < 12 or debit_day <= start.day
            else start
        )
        last_of_year = index % per_year == per_year - 1
        amount = contract.annual_premium_cents // per_year
        tax = contract.annual_tax_cents // per_year
        if last_of_year:
            amount = contract.annual_premium_cents - amount * (per_year - 1)
            tax = contract.annual_tax_cents - tax * (per_year - 1)
        rows.append((start, end, due, amount, tax))
        start = add_months(contract.start_date, months * (index + 1))
        index += 1
    return rows


def seed_history(
    *, session: Session, contract: Contract, today: date, ahead_until: date
) -> list[Payment]:
    """Past instalments paid by direct debit, later ones scheduled (demo and imports)."""
    payments = []
    for start, end, due, amount, tax in instalments(contract, until=ahead_until):
        paid = due <= today
        payments.append(
            Payment(
                contract_id=contract.id,
                holder_id=contract.holder_id,
                due_date=due,
                period_start=start,
                period_end=end,
                amount_cents=amount,
                tax_cents=tax,
                status=PaymentStatus.PAID if paid else PaymentStatus.SCHEDULED,
                paid_at=datetime.combine(due, time(9, 0), tzinfo=PARIS) if paid else None,
            )
        )
    session.add_all(payments)
    session.flush()
    return payments


def collect_due(*, session: Session, contract_id: int, today: date) -> int:
    """Scheduled instalments due on or before ``today`` recorded as paid on their due date (what the
    bank's settlement of the debits, or the transfer received, records): for the demo data and
    imports. Returns how many."""
    from sqlmodel import select

    rows = session.exec(
        select(Payment).where(
            Payment.contract_id == contract_id,
            Payment.status == PaymentStatus.SCHEDULED,
            Payment.due_date <= today,
        )
    ).all()
    for payment in rows:
        payment.status = PaymentStatus.PAID
        payment.paid_at = datetime.combine(payment.due_date, time(9, 0), tzinfo=PARIS)
        session.add(payment)
    session.flush()
    return len(rows)
