"""The instalments of a contract's insurance year, in its payment frequency and method: the schedule
a renewal writes, and the one every active contract must have."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import Session, select

from espace.billing import payments as billing
from espace.billing.instalments import add_months
from espace.billing.models import Payment, PaymentMethod, PaymentStatus
from espace.contracts import terms as contract_terms
from espace.contracts.models import (
    Contract,
    ContractStatus,
    ContractTerms,
)
from espace.contracts.portfolio import next_anniversary


def _payment_method(session: Session, contract: Contract) -> str:
    last = session.exec(
        select(Payment.method)
        .where(Payment.contract_id == contract.id, Payment.method != PaymentMethod.CARD)
        .order_by(Payment.due_date.desc(), Payment.id.desc())
    ).first()
    if last is not None:
        return last
    debit = billing.has_active_mandate(session=session, holder_id=contract.holder_id)
    return PaymentMethod.SEPA_DEBIT if debit else PaymentMethod.TRANSFER


def schedule_year(
    *,
    session: Session,
    contract: Contract,
    year_start: date,
    version: ContractTerms,
    earliest: date | None = None,
) -> list[Payment]:
    """The instalments of the insurance year from ``year_start`` at ``version``'s premium, in the
    contract's frequency; those of that year still scheduled are replaced. A year with an instalment
    already paid or rejected is left as it is (returns [])."""
    year_end = add_months(year_start, 12) - timedelta(days=1)
    existing = session.exec(
        select(Payment).where(
            Payment.contract_id == contract.id,
            Payment.period_start >= year_start,
            Payment.period_start <= year_end,
        )
    ).all()
    if any(p.status != PaymentStatus.SCHEDULED for p in existing):
        return []
    method = _payment_method(session, contract)
    for payment in existing:
        session.delete(payment)
    session.flush()
    rows = [
        Payment(
            contract_id=contract.id,
            holder_id=contract.holder_id,
            due_date=row.due_date,
            period_start=row.period_start,
            period_end=row.period_end,
            amount_cents=row.amount_cents,
            tax_cents=row.tax_cents,
            status=PaymentStatus.SCHEDULED,
            method=method,
        )
        for row in billing.new_instalments(
            contract, contract.payment_frequency, year_start, earliest=earliest, terms=version
        )
        if contract.end_date is None or row.period_start <= contract.end_date
    ]
    session.add_all(rows)
    session.flush()
    return rows


def ensure_schedule(*, session: Session, contract: Contract, today: date) -> int:
    """Every active contract has the schedule of its current insurance year (a contract imported
    without one gets it); returns the number of instalments created."""
    if contract.status != ContractStatus.ACTIVE or contract.start_date > today:
        return 0
    year_start = add_months(next_anniversary(contract.start_date, today), -12)
    year_start = max(year_start, contract.start_date)
    has_any = session.exec(
        select(Payment.id).where(Payment.contract_id == contract.id, Payment.period_end >= today)
    ).first()
    version = contract_terms.version_on(session=session, contract_id=contract.id, day=year_start)
    if has_any is not None or version is None:
        return 0
    return len(
        schedule_year(session=session, contract=contract, year_start=year_start, version=version)
    )
