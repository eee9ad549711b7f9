"""The holder's own changes to how the premium is collected: the debit day and the payment
frequency, their rules, previews and checks (ownership in the query: another holder's contract looks
like one that does not exist)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, select

from espace.billing.instalments import DEFAULT_DEBIT_DAY
from espace.billing.models import Payment, PaymentMethod, PaymentStatus
from espace.billing.payments import (
    NewInstalment,
    _owned_contract,
    has_active_mandate,
    new_instalments,
)
from espace.contracts import labels
from espace.contracts import terms as contract_terms
from espace.contracts.models import Contract, ContractStatus, PaymentFrequency
from espace.contracts.portfolio import next_anniversary
from espace.core import formatting as fmt
from espace.core.working_days import add_working_days
from espace.notifications import notices
from espace.notifications.models import NotificationCategory

ALLOWED_DEBIT_DAYS = (5, 10, 15)
NOTICE_WORKING_DAYS = 2  # a debit due within this many working days can no longer be moved
DEBIT_DAY_RULES = (
    "Vous pouvez choisir d'être prélevé le 5, le 10 ou le 15 du mois.",
    "Le nouveau jour s'applique à partir de la prochaine période : la cotisation de la période en "
    "cours garde sa date.",
    f"Un prélèvement prévu dans les {NOTICE_WORKING_DAYS} prochains jours ouvrés garde sa date, "
    "la banque l'ayant déjà reçu.",
    "En paiement annuel, le prélèvement a lieu à la date anniversaire du contrat : il n'y a "
    "pas de jour à choisir.",
)
FREQUENCY_RULES = (
    "Le changement de fréquence prend effet à la prochaine échéance principale (la date "
    "anniversaire de votre contrat) ; les échéances de l'année en cours ne changent pas.",
    "Votre cotisation annuelle reste la même : elle est répartie en 12 mensualités, 4 "
    "trimestrialités ou un paiement unique ; la dernière échéance de l'année reçoit les centimes "
    "d'arrondi.",
    "Le paiement mensuel ou trimestriel se fait par prélèvement SEPA : il demande un mandat "
    "de prélèvement actif.",
    "Le paiement annuel ne demande pas de mandat : la cotisation est due en une fois à la "
    "date anniversaire.",
    "Les prélèvements mensuels et trimestriels ont lieu à votre jour de prélèvement (le 5, le "
    "10 ou le 15 du mois).",
)


class PaymentChangeError(ValueError):
    """A refused change; ``errors`` maps a field ("contract", "frequency", "debit_day") to a French
    message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(" ".join(errors.values()))
        self.errors = errors


@dataclass(frozen=True)
class DuePreview:
    period_start: date
    period_end: date
    old_due: date
    new_due: date
    amount_cents: int


@dataclass(frozen=True)
class FrequencyPreview:
    effective: date  # the next anniversary (échéance principale)
    frequency: str
    frequency_label: str
    rows: list[NewInstalment] = field(default_factory=list)
    annual_cents: int = 0
    notice: str = ""


# ---- shared checks -------------------------------------------------------------------------------


def _changeable_contract(session: Session, holder_id: int, contract_id: int) -> Contract:
    contract = _owned_contract(session, holder_id, contract_id)
    if contract is None:
        raise PaymentChangeError({"contract": "Contrat introuvable."})
    if contract.status != ContractStatus.ACTIVE:
        raise PaymentChangeError(
            {
                "contract": "Ce contrat n'est plus en cours : ses modalités de paiement ne "
                "peuvent plus être modifiées."
            }
        )
    return contract


def _scheduled(session: Session, contract: Contract) -> list[Payment]:
    return list(
        session.exec(
            select(Payment)
            .where(
                Payment.contract_id == contract.id,
                Payment.holder_id == contract.holder_id,
                Payment.status == PaymentStatus.SCHEDULED,
            )
            .order_by(Payment.due_date, Payment.id)
        ).all()
    )


# ---- debit day -----------------------------------------------------------------------------------


def _check_debit_day(session: Session, contract: Contract, day: int) -> list[Payment]:
    errors = {}
    if contract.payment_frequency == PaymentFrequency.ANNUAL:
        errors["frequency"] = (
            "Votre cotisation est payée une fois par an : elle est prélevée à la date anniversaire "
            "du contrat, sans jour à choisir. Passez au paiement mensuel ou trimestriel pour "
            "choisir votre jour de prélèvement."
        )
    scheduled = _scheduled(session, contract)
    if any(p.method != PaymentMethod.SEPA_DEBIT for p in scheduled):
        errors["contract"] = (
            "Ce contrat n'est pas payé par prélèvement : le jour de prélèvement ne s'applique pas."
        )
    if day not in ALLOWED_DEBIT_DAYS:
        errors["debit_day"] = "Choisissez le 5, le 10 ou le 15 du mois."
    elif day == (contract.debit_day or DEFAULT_DEBIT_DAY):
        errors["debit_day"] = f"Vos cotisations sont déjà prélevées le {day} du mois."
    if errors:
        raise PaymentChangeError(errors)
    return scheduled


def _moves(scheduled: list[Payment], day: int, today: date) -> list[tuple[Payment, date]]:
    """Scheduled debits of the periods starting after today, moved to ``day`` of the period's first
    month, except those due (before or after the move) within the notice given to the bank."""
    limit = add_working_days(today, NOTICE_WORKING_DAYS)
    moves = []
    for payment in scheduled:
        new_due = payment.period_start.replace(day=day)
        if (
            payment.period_start > today
            and payment.due_date > limit
            and new_due > limit
            and new_due != payment.due_date
        ):
            moves.append((payment, new_due))
    return moves


def debit_day_preview(
    *, session: Session, holder_id: int, contract_id: int, day: int, today: date
) -> list[DuePreview]:
    contract = _changeable_contract(session, holder_id, contract_id)
    scheduled = _check_debit_day(session, contract, day)
    return [
        DuePreview(p.period_start, p.period_end, p.due_date, new_due, p.amount_cents)
        for p, new_due in _moves(scheduled, day, today)
    ]


def change_debit_day(
    *, session: Session, holder_id: int, contract_id: int, day: int, today: date
) -> int:
    """Move the coming debits to ``day``; returns how many instalments changed date."""
    contract = _changeable_contract(session, holder_id, contract_id)
    moves = _moves(_check_debit_day(session, contract, day), day, today)
    for payment, new_due in moves:
        payment.due_date = new_due
        payment.reminder_sent_at = None  # a reminder gave the old date: the new one gets its own
        session.add(payment)
    contract.debit_day = day
    session.add(contract)
    session.flush()
    first = f" à partir de l'échéance du {fmt.date_fr(moves[0][1])}" if moves else ""
    notices.notify(
        session=session,
        holder_id=holder_id,
        category=NotificationCategory.PAYMENTS,
        title=f"Jour de prélèvement modifié — {contract.number}",
        body=f"Vos cotisations seront prélevées le {day} du mois{first}.",
    )
    return len(moves)


# ---- payment frequency ---------------------------------------------------------------------------


def _frequency_plan(
    session: Session, contract: Contract, frequency: str, today: date
) -> FrequencyPreview:
    errors = {}
    if frequency not in set(PaymentFrequency):
        raise PaymentChangeError(
            {"frequency": "Choisissez un paiement mensuel, trimestriel ou annuel."}
        )
    effective = next_anniversary(contract.start_date, today)
    if frequency == contract.payment_frequency:
        errors["frequency"] = "C'est déjà la fréquence de paiement de ce contrat."
    elif frequency != PaymentFrequency.ANNUAL and not has_active_mandate(
        session=session, holder_id=contract.holder_id
    ):
        errors["frequency"] = (
            "Le paiement mensuel ou trimestriel se fait par prélèvement : signez d'abord un mandat "
            "de prélèvement SEPA."
        )
    if contract.end_date is not None and contract.end_date < effective:
        errors["contract"] = "Votre contrat prend fin avant sa prochaine échéance principale."
    elif (
        session.exec(
            select(Payment.id).where(
                Payment.contract_id == contract.id,
                Payment.period_start >= effective,
                Payment.status != PaymentStatus.SCHEDULED,
            )
        ).first()
        is not None
    ):
        errors["contract"] = (
            "Une cotisation de l'année qui commence le "
            f"{fmt.date_fr(effective)} est déjà réglée : contactez votre conseiller."
        )
    if errors:
        raise PaymentChangeError(errors)
    terms = (
        contract_terms.version_on(session=session, contract_id=contract.id, day=effective)
        or contract
    )
    rows = new_instalments(
        contract,
        frequency,
        effective,
        earliest=add_working_days(today, NOTICE_WORKING_DAYS),
        terms=terms,
    )
    label = labels.PAYMENT_FREQUENCY[PaymentFrequency(frequency)]
    notice = (
        f"Paiement {label.lower()} à partir de l'échéance principale du {fmt.date_fr(effective)} "
        f": {len(rows)} échéance{'s' if len(rows) > 1 else ''} pour "
        f"{fmt.money(terms.annual_premium_cents)} par an. Les échéances d'ici là ne changent pas."
    )
    return FrequencyPreview(
        effective=effective,
        frequency=frequency,
        frequency_label=label,
        rows=rows,
        annual_cents=sum(r.amount_cents for r in rows),
        notice=notice,
    )


def frequency_preview(
    *, session: Session, holder_id: int, contract_id: int, frequency: str, today: date
) -> FrequencyPreview:
    contract = _changeable_contract(session, holder_id, contract_id)
    return _frequency_plan(session, contract, frequency, today)


def change_frequency(
    *, session: Session, holder_id: int, contract_id: int, frequency: str, today: date
) -> FrequencyPreview:
    """Record the new frequency on the contract and rebuild the schedule from the next
    anniversary."""
    contract = _changeable_contract(session, holder_id, contract_id)
    plan = _frequency_plan(session, contract, frequency, today)
    for payment in _scheduled(session, contract):
        if payment.period_start >= plan.effective:
            session.delete(payment)
    session.flush()
    debit = frequency != PaymentFrequency.ANNUAL or has_active_mandate(
        session=session, holder_id=holder_id
    )
    method = PaymentMethod.SEPA_DEBIT if debit else PaymentMethod.TRANSFER
    session.add_all(
        [
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
            for row in plan.rows
        ]
    )
    contract.payment_frequency = PaymentFrequency(frequency)
    session.add(contract)
    session.flush()
    notices.notify(
        session=session,
        holder_id=holder_id,
        category=NotificationCategory.PAYMENTS,
        title=f"Fréquence de paiement modifiée — {contract.number}",
        body=plan.notice,
    )
    return plan
