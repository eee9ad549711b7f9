"""'Mes paiements': the display rows of the page, the converters filling them and the texts
of its step-ups."""

from __future__ import annotations

import dataclasses
from datetime import date

from espace import routes
from espace.billing import bank_accounts
from espace.billing.models import MandateStatus
from espace.contracts import labels
from espace.core import formatting as fmt
from espace.core.formatting import PARIS
from espace.core.models import utcnow

# The texts of the step-ups PaymentsState asks for (its STEP_UP_REASONS).
PAYMENT_STEP_UP_REASONS: dict[str, str] = {
    "sign_mandate": (
        "Mandat de prélèvement SEPA : en le signant, vous autorisez Espace Assurances à "
        "envoyer des instructions à votre banque pour débiter votre compte, et votre banque à "
        "débiter votre compte conformément à ces instructions. Vous pouvez être remboursé par "
        "votre banque dans les 8 semaines suivant un prélèvement autorisé. Pour signer, "
        "saisissez le code de confirmation."
    ),
    "add_account": "Pour ajouter un compte bancaire, confirmez votre identité.",
    "remove_account": (
        "Retirer ce compte révoque aussi son mandat de prélèvement : confirmez votre identité."
    ),
}


def _int(text) -> int | None:
    """A number typed or sent by the browser ("²" is a digit for str.isdigit, not for int)."""
    try:
        return int(str(text))
    except ValueError:
        return None


def _today() -> date:
    return utcnow().astimezone(PARIS).date()


@dataclasses.dataclass
class PaymentRow:
    id: int = 0
    contract: str = ""
    due: str = ""
    period: str = ""
    amount: str = ""
    status: str = ""
    status_label: str = ""
    method: str = ""
    reason: str = ""
    receipt_url: str = ""


@dataclasses.dataclass
class YearTotal:
    year: str = ""
    total: str = ""
    count: str = ""


@dataclasses.dataclass
class AccountRow:
    id: int = 0
    label: str = ""
    owner: str = ""
    masked: str = ""
    bank: str = ""
    is_default: bool = False
    mandate: str = ""
    mandate_url: str = ""
    has_mandate: bool = False


@dataclasses.dataclass
class ContractBilling:
    id: int = 0
    label: str = ""
    frequency: str = ""
    frequency_label: str = ""
    debit_day: int = 5
    by_debit: bool = True


@dataclasses.dataclass
class RefundView:
    """A refund owed to the holder: "Remboursement de cotisation — 123,45 € — à verser sur …"."""

    id: int = 0
    reference: str = ""
    contract: str = ""
    origin: str = ""
    text: str = ""
    status: str = ""
    needs_iban: bool = False


@dataclasses.dataclass
class PreviewRow:
    period: str = ""
    before: str = ""
    after: str = ""
    amount: str = ""


def _period(start: date, end: date) -> str:
    return f"du {fmt.date_fr(start)} au {fmt.date_fr(end)}"


def _row(row) -> PaymentRow:
    return PaymentRow(
        id=row.id,
        contract=row.contract_number,
        due=fmt.date_fr(row.due_date),
        period=_period(row.period_start, row.period_end),
        amount=fmt.money(row.amount_cents),
        status=row.status,
        status_label=row.status_label,
        method=row.method_label,
        reason=row.rejection_reason or "",
        receipt_url=routes.document_url(row.receipt_document_id) if row.receipt_document_id else "",
    )


def contract_billing(c, p) -> ContractBilling:
    return ContractBilling(
        id=c.id,
        label=f"{c.number} · {p.address_line1}, {p.city}",
        frequency=c.payment_frequency,
        frequency_label=fmt.label(labels.PAYMENT_FREQUENCY, c.payment_frequency),
        debit_day=c.debit_day,
        by_debit=c.payment_frequency != "annual",
    )


def refund_view(r) -> RefundView:
    return RefundView(
        id=r.id,
        reference=r.reference,
        contract=r.contract_number,
        origin=r.origin_reference,
        text=r.sentence,
        status=r.status,
        needs_iban=r.status == "awaiting_bank",
    )


def account_row(account, mandate) -> AccountRow:
    return AccountRow(
        id=account.id,
        label=account.label or account.bank_name or "Compte bancaire",
        owner=account.account_holder,
        masked=bank_accounts.masked(account),
        bank=account.bank_name,
        is_default=account.is_default,
        mandate=(
            f"Mandat {mandate.reference} signé le {fmt.date_fr(mandate.signed_at)}"
            if mandate
            else "Aucun mandat : signez-le pour payer par prélèvement avec ce compte."
        ),
        mandate_url=routes.document_url(mandate.document_id)
        if mandate and mandate.document_id
        else "",
        has_mandate=mandate is not None and mandate.status == MandateStatus.ACTIVE,
    )


def debit_day_preview_row(r) -> PreviewRow:
    return PreviewRow(
        _period(r.period_start, r.period_end),
        fmt.date_fr(r.old_due),
        fmt.date_fr(r.new_due),
        fmt.money(r.amount_cents),
    )


def frequency_preview_row(r) -> PreviewRow:
    return PreviewRow(
        _period(r.period_start, r.period_end),
        "—",
        fmt.date_fr(r.due_date),
        fmt.money(r.amount_cents),
    )
