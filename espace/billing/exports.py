"""Exports of what a holder actually paid (paid and regularised instalments, less the refunds of
premium paid back) over a period: a CSV for spreadsheets (French conventions) and an OFX 2 bank
statement for personal-finance software.

Only the holder's own payments; no bank details (the OFX account is a pseudo identifier, never an
IBAN)."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import func
from sqlmodel import Session, select

from espace.billing.instalments import add_months
from espace.billing.models import Payment, PremiumRefund, RefundStatus
from espace.billing.payments import METHOD_LABELS, PAID_STATUSES, STATUS_LABELS
from espace.contracts.models import Contract
from espace.core import formatting as fmt
from espace.core.csv_cells import safe_row
from espace.core.insurer import insurer

MAX_YEARS = 10
CSV_HEADER = [
    "Date de paiement",
    "Date d'échéance",
    "Contrat",
    "Période",
    "Mode de paiement",
    "Statut",
    "Montant TTC (€)",
    "Dont taxes (€)",
]


class ExportError(ValueError):
    pass


@dataclass(frozen=True)
class PaidLine:
    payment: Payment
    contract_number: str
    paid_on: date
    paid_at: datetime  # aware


def _aware(value: datetime) -> datetime:
    """Datetimes come back in UTC; one set in this session but never stored may be naive (Paris
    time)."""
    return value if value.tzinfo else value.replace(tzinfo=fmt.PARIS)


def check_period(start: date, end: date) -> None:
    if start > end:
        raise ExportError("La date de début doit précéder la date de fin.")
    if end >= add_months(start, 12 * MAX_YEARS):
        raise ExportError(f"La période ne peut pas dépasser {MAX_YEARS} ans.")


def paid_lines(*, session: Session, holder_id: int, start: date, end: date) -> list[PaidLine]:
    """Paid and regularised payments of the holder whose payment date (Paris) is in [start, end]."""
    check_period(start, end)
    paid_at = func.coalesce(Payment.paid_at, Payment.regularised_at)
    rows = session.exec(
        select(Payment, Contract.number)
        .join(Contract, Contract.id == Payment.contract_id)
        .where(
            Payment.holder_id == holder_id,
            Contract.holder_id == holder_id,
            Payment.status.in_(PAID_STATUSES),
            paid_at >= datetime.combine(start, time(), tzinfo=fmt.PARIS),
            paid_at < datetime.combine(end + timedelta(days=1), time(), tzinfo=fmt.PARIS),
        )
    ).all()
    lines = []
    for payment, number in rows:
        when = _aware(payment.paid_at or payment.regularised_at)
        paid_on = when.astimezone(fmt.PARIS).date()
        if start <= paid_on <= end:
            lines.append(PaidLine(payment, number, paid_on, when))
    return sorted(lines, key=lambda line: (line.paid_at, line.payment.id))


@dataclass(frozen=True)
class RefundLine:
    refund: PremiumRefund
    contract_number: str
    paid_on: date
    paid_at: datetime  # aware


def refund_lines(*, session: Session, holder_id: int, start: date, end: date) -> list[RefundLine]:
    """Refunds paid to the holder whose payment date (Paris) is in [start, end]: money received,
    written as negative amounts next to the premiums paid."""
    check_period(start, end)
    rows = session.exec(
        select(PremiumRefund, Contract.number)
        .join(Contract, Contract.id == PremiumRefund.contract_id)
        .where(
            PremiumRefund.holder_id == holder_id,
            Contract.holder_id == holder_id,
            PremiumRefund.status == RefundStatus.PAID,
            PremiumRefund.paid_at >= datetime.combine(start, time(), tzinfo=fmt.PARIS),
            PremiumRefund.paid_at
            < datetime.combine(end + timedelta(days=1), time(), tzinfo=fmt.PARIS),
        )
    ).all()
    lines = []
    for refund, number in rows:
        when = _aware(refund.paid_at)
        paid_on = when.astimezone(fmt.PARIS).date()
        if start <= paid_on <= end:
            lines.append(RefundLine(refund, number, paid_on, when))
    return sorted(lines, key=lambda line: (line.paid_at, line.refund.id))


def cents_fr(cents: int) -> str:
    """12345 -> '123,45' (no thousands separator, for spreadsheets)."""
    sign = "-" if cents < 0 else ""
    units, rest = divmod(abs(cents), 100)
    return f"{sign}{units},{rest:02d}"


def _euros(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2).quantize(Decimal("0.01"))


def _period(payment: Payment) -> str:
    return f"du {fmt.date_fr(payment.period_start)} au {fmt.date_fr(payment.period_end)}"


def export_csv(*, session: Session, holder_id: int, start: date, end: date) -> bytes:
    lines = paid_lines(session=session, holder_id=holder_id, start=start, end=end)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(safe_row(CSV_HEADER))
    for line in lines:
        p = line.payment
        writer.writerow(
            safe_row(
                [
                    fmt.date_fr(line.paid_on),
                    fmt.date_fr(p.due_date),
                    line.contract_number,
                    _period(p),
                    METHOD_LABELS.get(p.method, p.method),
                    STATUS_LABELS.get(p.status, p.status),
                    cents_fr(p.amount_cents),
                    cents_fr(p.tax_cents),
                ]
            )
        )
    back = refund_lines(session=session, holder_id=holder_id, start=start, end=end)
    for line in back:
        r = line.refund
        writer.writerow(
            safe_row(
                [
                    fmt.date_fr(line.paid_on),
                    "",
                    line.contract_number,
                    f"Remboursement de cotisation {r.reference}"
                    + (f" (résiliation {r.origin_reference})" if r.origin_reference else ""),
                    "Virement reçu",
                    "Remboursé",
                    cents_fr(-r.amount_cents),
                    "",
                ]
            )
        )
    writer.writerow(
        safe_row(
            [
                "Total",
                "",
                "",
                "",
                "",
                "",
                cents_fr(
                    sum(line.payment.amount_cents for line in lines)
                    - sum(line.refund.amount_cents for line in back)
                ),
                cents_fr(sum(line.payment.tax_cents for line in lines)),
            ]
        )
    )
    return buffer.getvalue().encode("utf-8-sig")


def export_ofx(*, session: Session, holder_id: int, start: date, end: date) -> bytes:
    """An OFX 2.2 bank statement in EUR: one DEBIT per payment, the ledger balance is minus the
    total."""
    from ofxtools.header import make_header
    from ofxtools.models import (
        BANKACCTFROM,
        BANKMSGSRSV1,
        BANKTRANLIST,
        LEDGERBAL,
        OFX,
        SIGNONMSGSRSV1,
        SONRS,
        STATUS,
        STMTRS,
        STMTTRN,
        STMTTRNRS,
    )

    lines = paid_lines(session=session, holder_id=holder_id, start=start, end=end)
    dtstart = datetime.combine(start, time(), tzinfo=fmt.PARIS)
    dtend = datetime.combine(end, time(23, 59, 59), tzinfo=fmt.PARIS)
    transactions = [
        STMTTRN(
            trntype="DEBIT",
            dtposted=line.paid_at,
            dtuser=datetime.combine(line.payment.due_date, time(), tzinfo=fmt.PARIS),
            trnamt=_euros(-line.payment.amount_cents),
            fitid=f"ESPACE-PAY-{line.payment.id}",
            name=insurer().name,
            memo=f"Contrat {line.contract_number} - période {_period(line.payment)}",
        )
        for line in lines
    ]
    back = refund_lines(session=session, holder_id=holder_id, start=start, end=end)
    transactions += [
        STMTTRN(
            trntype="CREDIT",
            dtposted=line.paid_at,
            trnamt=_euros(line.refund.amount_cents),
            fitid=f"ESPACE-RMB-{line.refund.id}",
            name=insurer().name,
            memo=f"Remboursement de cotisation {line.refund.reference} - contrat "
            f"{line.contract_number}",
        )
        for line in back
    ]
    total = _euros(
        sum(line.refund.amount_cents for line in back)
        - sum(line.payment.amount_cents for line in lines)
    )
    statement = STMTRS(
        curdef="EUR",
        bankacctfrom=BANKACCTFROM(
            bankid="ESPACE", acctid=f"ESPACE-{holder_id}", accttype="CHECKING"
        ),
        banktranlist=BANKTRANLIST(*transactions, dtstart=dtstart, dtend=dtend),
        ledgerbal=LEDGERBAL(balamt=total, dtasof=dtend),
    )
    ok = STATUS(code=0, severity="INFO")
    ofx = OFX(
        signonmsgsrsv1=SIGNONMSGSRSV1(
            sonrs=SONRS(status=ok, dtserver=datetime.now(UTC), language="FRA")
        ),
        bankmsgsrsv1=BANKMSGSRSV1(
            STMTTRNRS(
                trnuid=f"ESPACE-{holder_id}-{start:%Y%m%d}-{end:%Y%m%d}",
                status=ok,
                stmtrs=statement,
            )
        ),
    )
    body = ET.tostring(ofx.to_etree(), encoding="unicode")
    return (str(make_header(version=220)) + body).encode("utf-8")
