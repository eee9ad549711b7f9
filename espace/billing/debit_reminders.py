"""Reminders before a SEPA direct debit (notice + e-mail), sent by ``espace remind-debits``.

Each scheduled debit gets one reminder: the payment is claimed with a conditional update before
the holder is told, so two runs (even concurrent ones) never send it twice. The account is shown
masked ("FR76 •••• •••• •••• 1234"), never in full."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import update
from sqlmodel import Session, select

from espace import routes
from espace.billing.models import BankAccount, Payment, PaymentMethod, PaymentStatus
from espace.contracts.models import Contract, ContractStatus
from espace.core import formatting as fmt
from espace.core.models import utcnow
from espace.core.settings import get_settings
from espace.notifications import messages, notices, outbox
from espace.notifications.models import NotificationCategory


def masked_account(account: BankAccount) -> str:
    return f"{account.iban_prefix} •••• •••• •••• {account.iban_last4}"


def due_for_reminder(*, session: Session, today: date, days: int) -> list[tuple[Payment, Contract]]:
    return list(
        session.exec(
            select(Payment, Contract)
            .join(Contract, Contract.id == Payment.contract_id)
            .where(
                Payment.status == PaymentStatus.SCHEDULED,
                Payment.method == PaymentMethod.SEPA_DEBIT,
                Payment.due_date >= today,
                Payment.due_date <= today + timedelta(days=days),
                Payment.reminder_sent_at.is_(None),
                Contract.status == ContractStatus.ACTIVE,
            )
            .order_by(Payment.due_date, Payment.id)
        ).all()
    )


def send_due_reminders(*, session: Session, today: date, days: int | None = None) -> int:
    """Remind every debit due within ``days`` (settings.debit_reminder_days by default); the count
    sent."""
    days = get_settings().debit_reminder_days if days is None else days
    sent = 0
    for payment, contract in due_for_reminder(session=session, today=today, days=days):
        if _claim(session, payment):
            _remind(session, payment, contract)
            sent += 1
    session.flush()
    return sent


def _claim(session: Session, payment: Payment) -> bool:
    now = utcnow()
    result = session.exec(
        update(Payment)
        .where(Payment.id == payment.id, Payment.reminder_sent_at.is_(None))
        .values(reminder_sent_at=now)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return False
    payment.reminder_sent_at = now
    return True


def _default_account(session: Session, holder_id: int) -> BankAccount | None:
    return session.exec(
        select(BankAccount)
        .where(
            BankAccount.holder_id == holder_id,
            BankAccount.is_default,
            BankAccount.removed_at.is_(None),
        )
        .order_by(BankAccount.id.desc())
    ).first()


def _remind(session: Session, payment: Payment, contract: Contract) -> None:
    amount, day = fmt.money(payment.amount_cents), fmt.date_fr(payment.due_date)
    account = _default_account(session, payment.holder_id)
    on_account = f" sur le compte {masked_account(account)}" if account is not None else ""
    body = f"Votre cotisation du contrat {contract.number} sera prélevée le {day}{on_account}."
    email = messages.email(
        "debit_reminder",
        amount=amount,
        day=day,
        number=contract.number,
        account=masked_account(account) if account is not None else "",
        payments_link=outbox.link(routes.PAYMENTS),
    )
    title = f"Prélèvement de {amount} le {day}"
    notices.notify(
        session=session,
        holder_id=payment.holder_id,
        category=NotificationCategory.PAYMENTS,
        title=title,
        body=body,
        link=routes.PAYMENTS,
        email_subject=email.subject,
        email_body=email.body,
    )
