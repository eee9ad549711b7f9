"""SEPA files exchanged with the insurer's bank.

- ``export_direct_debits``: the pain.008.001.08 collection file of the direct debits due in a
  period (instalments still scheduled, paid by debit, of holders with an active mandate), written
  with ``sepaxml`` and validated by it against the ISO 20022 schema shipped in its wheel. Each
  transaction's end-to-end id is ``ESP-PAY-<payment id>``: the bank's returns quote it.
- ``export_refunds``: the pain.001.001.09 credit transfer file of the refunds owed to holders
  (``billing.refunds``, status "to pay"), from the insurer's account to each one's account (the
  one recorded with the refund; if it was removed since, the holder's current one, else the refund
  waits for an IBAN again). Each transaction's end-to-end id is ``ESP-RMB-<refund id>``; the
  refunds in the file are marked "sent" with its message id.
- ``import_returns``: a pain.002 (status report) or camt.054 (debit notification) file from the
  bank; each rejected or returned transaction marks its payment rejected with the SEPA reason
  (``billing.debit_results.reject``: the holder is told and the regularisation by card starts).
  The same files report the refunds' transfers: accepted and settled (pain.002 ``ACSC``) or booked
  on the insurer's account without a return (camt.054) marks the refund paid; rejected or returned,
  it waits for the holder's bank details again. Importing a file twice changes nothing the second
  time.

XSDs: ISO 20022 publishes them; their licence terms could not be confirmed, so Espace ships none.
The tests validate against the copies inside installed PyPI wheels (``sepaxml``)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from lxml import etree
from sepaxml import SepaDD, SepaTransfer
from sqlmodel import Session, select

from espace.billing import bank_accounts, debit_results, refunds
from espace.billing.models import (
    BankAccount,
    MandateStatus,
    Payment,
    PaymentMethod,
    PaymentStatus,
    PremiumRefund,
    RefundStatus,
    SepaMandate,
)
from espace.contracts.models import Contract
from espace.core.settings import get_settings
from espace.identity.models import Policyholder

SCHEMA = "pain.008.001.08"
TRANSFER_SCHEMA = "pain.001.001.09"
END_TO_END = re.compile(r"^ESP-PAY-(\d{1,12})$")
REFUND_END_TO_END = re.compile(r"^ESP-RMB-(\d{1,12})$")
MAX_RETURN_BYTES = 5 * 1024 * 1024


class BankFileError(ValueError):
    pass


@dataclass
class Collection:
    xml: bytes
    message_id: str
    payment_ids: list[int]
    total_cents: int


def end_to_end_id(payment_id: int) -> str:
    return f"ESP-PAY-{payment_id}"


def _due(session: Session, start: date, end: date):
    return session.exec(
        select(Payment, Contract, Policyholder, SepaMandate, BankAccount)
        .join(Contract, Contract.id == Payment.contract_id)
        .join(Policyholder, Policyholder.id == Payment.holder_id)
        .join(
            SepaMandate,
            (SepaMandate.holder_id == Payment.holder_id)
            & (SepaMandate.status == MandateStatus.ACTIVE),
        )
        .join(BankAccount, BankAccount.id == SepaMandate.bank_account_id)
        .where(
            Payment.status == PaymentStatus.SCHEDULED,
            Payment.method == PaymentMethod.SEPA_DEBIT,
            Payment.due_date >= start,
            Payment.due_date <= end,
            BankAccount.removed_at.is_(None),
        )
        .order_by(Payment.due_date, Payment.id)
    ).all()


def export_direct_debits(
    *, session: Session, start: date, end: date, today: date | None = None
) -> Collection:
    """The pain.008 file of the debits due from ``start`` to ``end`` (validated; raises
    BankFileError when nothing is due)."""
    settings = get_settings()
    today = today or date.today()
    if end < start or (end - start).days > 92:
        raise BankFileError("Période invalide (3 mois au plus).")
    rows = _due(session, start, end)
    seen: set[int] = set()
    sepa = SepaDD(
        {
            "name": settings.insurer_name[:70],
            "IBAN": settings.sepa_creditor_iban,
            "BIC": settings.sepa_creditor_bic,
            "batch": True,
            "creditor_id": settings.sepa_creditor_id,
            "currency": "EUR",
            "instrument": "CORE",
        },
        schema=SCHEMA,
        clean=True,
    )
    ids, total = [], 0
    for payment, contract, holder, mandate, account in rows:
        if payment.id in seen:  # one active mandate per holder; never the same debit twice
            continue
        seen.add(payment.id)
        bic = account.bic or ""
        entry = {
            "name": (account.account_holder or holder.display_name)[:70],
            "IBAN": bank_accounts.full_iban(account),
            "amount": payment.amount_cents,
            "type": "RCUR",
            "collection_date": max(payment.due_date, today + timedelta(days=1)),
            "mandate_id": mandate.reference,
            "mandate_date": mandate.signed_at.date(),
            "description": f"Cotisation {contract.number} echeance {payment.due_date:%m/%Y}",
            "endtoend_id": end_to_end_id(payment.id),
        }
        if bic:
            entry["BIC"] = bic
        sepa.add_payment(entry)
        ids.append(payment.id)
        total += payment.amount_cents
    if not ids:
        raise BankFileError("Aucun prélèvement à présenter sur cette période.")
    xml = sepa.export(validate=True, pretty_print=True)
    return Collection(xml, sepa.msg_id, ids, total)


# ----- refunds: credit transfers ----------------------------------------------------------------


@dataclass
class Transfers:
    xml: bytes
    message_id: str
    refund_ids: list[int]
    total_cents: int


def export_refunds(
    *,
    session: Session,
    today: date | None = None,
    execution_date: date | None = None,
    now=None,
) -> Transfers:
    """The pain.001 file of every refund to pay (validated against the schema); the refunds in it
    are marked sent. Raises BankFileError when none is to pay."""
    settings = get_settings()
    today = today or date.today()
    execution = max(execution_date or today + timedelta(days=1), today)
    rows = session.exec(
        select(PremiumRefund)
        .where(PremiumRefund.status == RefundStatus.TO_PAY)
        .order_by(PremiumRefund.created_at, PremiumRefund.id)
    ).all()
    sepa = SepaTransfer(
        {
            "name": settings.insurer_name[:70],
            "IBAN": settings.sepa_creditor_iban,
            "BIC": settings.sepa_creditor_bic,
            "batch": True,
            "currency": "EUR",
        },
        schema=TRANSFER_SCHEMA,
        clean=True,
    )
    sent: list[PremiumRefund] = []
    for refund in rows:
        account = (
            session.get(BankAccount, refund.bank_account_id) if refund.bank_account_id else None
        )
        if (
            account is None
            or account.removed_at is not None
            or account.holder_id != refund.holder_id
        ):
            account = refunds.account_for_refund(session=session, holder_id=refund.holder_id)
            refund.bank_account_id = account.id if account else None
            refund.iban_masked = bank_accounts.masked(account) if account else ""
            if account is None:
                refund.status = RefundStatus.AWAITING_BANK
                session.add(refund)
                continue
            session.add(refund)
        entry = {
            "name": account.account_holder[:70],
            "IBAN": bank_accounts.full_iban(account),
            "amount": refund.amount_cents,
            "execution_date": execution,
            "description": f"Remboursement cotisation {refund.reference} {refund.origin_reference}",
            "endtoend_id": refunds.end_to_end_id(refund.id),
        }
        if account.bic:
            entry["BIC"] = account.bic
        sepa.add_payment(entry)
        sent.append(refund)
    session.flush()
    if not sent:
        raise BankFileError("Aucun remboursement à verser.")
    xml = sepa.export(validate=True, pretty_print=True)
    for refund in sent:
        refunds.mark_sent(session=session, refund=refund, message_id=sepa.msg_id, now=now)
    session.flush()
    return Transfers(xml, sepa.msg_id, [r.id for r in sent], sum(r.amount_cents for r in sent))


# ----- returns ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Return:
    end_to_end_id: str
    status: str  # RJCT (pain.002) or RTRN (camt.054)
    reason: str


@dataclass
class ImportResult:
    message_type: str
    rejected: list[int] = field(default_factory=list)
    already_rejected: list[int] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    refunds_paid: list[int] = field(default_factory=list)
    refunds_returned: list[int] = field(default_factory=list)


def _ln(element, path: str) -> list:
    return element.xpath("/".join(f"*[local-name()='{step}']" for step in path.split("/")))


def _text(element, path: str) -> str:
    found = _ln(element, path)
    return (found[0].text or "").strip() if found else ""


def _parse(xml: bytes):
    if len(xml) > MAX_RETURN_BYTES:
        raise BankFileError("Fichier trop volumineux (5 Mo au plus).")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        document = etree.fromstring(xml, parser)
    except etree.XMLSyntaxError:
        raise BankFileError("Ce fichier n'est pas un XML lisible.") from None
    namespace = etree.QName(document).namespace or ""
    return document, namespace.rsplit(":", 1)[-1]


def parse_returns(xml: bytes) -> tuple[str, list[Return]]:
    """(message type, rejected transactions) of a pain.002 or camt.054 file."""
    document, kind = _parse(xml)
    found: list[Return] = []
    if kind.startswith("pain.002"):
        for tx in _ln(document, "CstmrPmtStsRpt/OrgnlPmtInfAndSts/TxInfAndSts"):
            if _text(tx, "TxSts") == "RJCT":
                reason = _text(tx, "StsRsnInf/Rsn/Cd") or _text(tx, "StsRsnInf/Rsn/Prtry")
                found.append(Return(_text(tx, "OrgnlEndToEndId"), "RJCT", reason or "MS03"))
    elif kind.startswith("camt.054"):
        for tx in _ln(document, "BkToCstmrDbtCdtNtfctn/Ntfctn/Ntry/NtryDtls/TxDtls"):
            reason = _text(tx, "RtrInf/Rsn/Cd") or _text(tx, "RtrInf/Rsn/Prtry")
            if reason:
                found.append(Return(_text(tx, "Refs/EndToEndId"), "RTRN", reason))
    else:
        raise BankFileError("Type de fichier non pris en charge : pain.002 ou camt.054 attendu.")
    return kind, found


def parse_refund_reports(xml: bytes) -> list[Return]:
    """What a pain.002 or camt.054 says of the refunds' transfers (``ESP-RMB-`` ids): status
    "PAID" (settled, or booked without a return) or "RJCT"/"RTRN" with its reason."""
    document, kind = _parse(xml)
    found: list[Return] = []
    if kind.startswith("pain.002"):
        for tx in _ln(document, "CstmrPmtStsRpt/OrgnlPmtInfAndSts/TxInfAndSts"):
            e2e, status = _text(tx, "OrgnlEndToEndId"), _text(tx, "TxSts")
            if not REFUND_END_TO_END.match(e2e):
                continue
            if status == "ACSC":
                found.append(Return(e2e, "PAID", ""))
            elif status == "RJCT":
                reason = _text(tx, "StsRsnInf/Rsn/Cd") or _text(tx, "StsRsnInf/Rsn/Prtry")
                found.append(Return(e2e, "RJCT", reason or "MS03"))
    elif kind.startswith("camt.054"):
        for entry in _ln(document, "BkToCstmrDbtCdtNtfctn/Ntfctn/Ntry"):
            booked = (_text(entry, "Sts/Cd") or _text(entry, "Sts")) in ("BOOK", "")
            for tx in _ln(entry, "NtryDtls/TxDtls"):
                e2e = _text(tx, "Refs/EndToEndId")
                if not REFUND_END_TO_END.match(e2e):
                    continue
                reason = _text(tx, "RtrInf/Rsn/Cd") or _text(tx, "RtrInf/Rsn/Prtry")
                if reason:
                    found.append(Return(e2e, "RTRN", reason))
                elif booked:
                    found.append(Return(e2e, "PAID", ""))
    return found


def import_returns(*, session: Session, xml: bytes) -> ImportResult:
    kind, returns = parse_returns(xml)
    result = ImportResult(kind)
    for item in parse_refund_reports(xml):
        refund_id = int(REFUND_END_TO_END.match(item.end_to_end_id).group(1))
        if session.get(PremiumRefund, refund_id) is None:
            result.unknown.append(item.end_to_end_id[:40])
            continue
        try:
            if item.status == "PAID":
                _, changed = refunds.mark_paid(session=session, refund_id=refund_id, via="sepa")
                if changed:
                    result.refunds_paid.append(refund_id)
            elif refunds.returned(session=session, refund_id=refund_id, code=item.reason):
                result.refunds_returned.append(refund_id)
        except refunds.RefundError:
            result.unknown.append(item.end_to_end_id[:40])
    for item in returns:
        if REFUND_END_TO_END.match(item.end_to_end_id):
            continue
        match = END_TO_END.match(item.end_to_end_id)
        payment = session.get(Payment, int(match.group(1))) if match else None
        if payment is None or payment.method != PaymentMethod.SEPA_DEBIT:
            result.unknown.append(item.end_to_end_id[:40])
            continue
        try:
            _, changed = debit_results.reject(
                session=session, payment_id=payment.id, code=item.reason, source=kind
            )
        except debit_results.DebitResultError:
            result.unknown.append(item.end_to_end_id[:40])
            continue
        (result.rejected if changed else result.already_rejected).append(payment.id)
    return result
