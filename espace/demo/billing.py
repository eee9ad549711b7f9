"""The demo's payments: each contract's past (schedules, debits, receipts, SEPA mandates), the demo
holder's bank account and the unpaid debit waiting for a regularisation."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import Session, select

from espace.contracts.models import Contract, PaymentFrequency
from espace.core.models import utcnow
from espace.identity.models import Policyholder

DEMO_IBAN = "FR76 3000 6000 0112 3456 7890 189"


def seed_histories(session: Session, *, today: date) -> None:
    """Every seeded contract's past, run with the real functions at past dates
    (``renewal.replay_history``): each year's schedule, renewal notice and attestation, the debits
    collected, their receipts; a SEPA mandate, signed at subscription, for each holder paying by
    direct debit. E-mails of the past do not stay in the outbox; notices of the past are read."""
    from sqlmodel import delete, update

    from espace.billing import receipts
    from espace.billing.models import MandateStatus, SepaMandate
    from espace.lifecycle import renewal
    from espace.notifications.models import Notification, OutboxMessage

    first_outbox = (
        session.exec(select(OutboxMessage.id).order_by(OutboxMessage.id.desc())).first() or 0
    )
    first_notice = (
        session.exec(select(Notification.id).order_by(Notification.id.desc())).first() or 0
    )
    contracts = list(session.exec(select(Contract).order_by(Contract.id)).all())
    signed = set(
        session.exec(
            select(SepaMandate.holder_id).where(SepaMandate.status == MandateStatus.ACTIVE)
        ).all()
    )
    for contract in contracts:
        if (
            contract.payment_frequency != PaymentFrequency.ANNUAL
            and contract.holder_id not in signed
        ):
            _seed_mandate(session, contract)
            signed.add(contract.holder_id)
    for contract in contracts:
        renewal.replay_history(session=session, contract=contract, today=today)
    receipts.register_paid_receipts(session=session)
    session.exec(delete(OutboxMessage).where(OutboxMessage.id > first_outbox))
    session.exec(
        update(Notification)
        .where(Notification.id > first_notice, Notification.created_at < utcnow())
        .values(read_at=utcnow())
    )
    session.flush()


def _seed_mandate(session: Session, contract: Contract) -> None:
    """The holder's bank account and the mandate signed when the contract was taken out."""
    from datetime import datetime, time

    from schwifty import IBAN

    from espace.billing import bank_accounts, mandates
    from espace.core.formatting import PARIS
    from espace.identity.insurer_authority import InsurerRecord

    holder = session.get(Policyholder, contract.holder_id)
    demo = InsurerRecord(source="demo")
    iban = IBAN.generate("FR", bank_code="3000600001", account_code=f"{holder.id:011d}")
    account = bank_accounts.add_account(
        session=session,
        holder_id=holder.id,
        iban=str(iban),
        bic="",
        account_holder=holder.display_name,
        label="Compte courant",
        authority=demo,
    )
    mandates.sign_mandate(
        session=session,
        holder_id=holder.id,
        account_id=account.id,
        signed_ip="",
        authority=demo,
        signature_method="signature lors de la souscription",
        now=datetime.combine(contract.start_date, time(10, 0), tzinfo=PARIS),
    )


def reject_last_debit(session: Session, contract: Contract) -> None:
    """The demo holder's latest direct debit came back unpaid: it waits for a regularisation by
    card."""
    from espace.billing.models import Payment, PaymentStatus

    last = session.exec(
        select(Payment)
        .where(Payment.contract_id == contract.id, Payment.status == PaymentStatus.PAID)
        .order_by(Payment.due_date.desc())
    ).first()
    if last is None:
        return
    last.status, last.paid_at = PaymentStatus.REJECTED, None
    last.rejected_at = utcnow()
    last.rejection_code, last.rejection_reason = (
        "AM04",
        "Provision insuffisante sur le compte au jour du prélèvement.",
    )
    session.add(last)
    session.flush()


def seed_bank_account(session: Session, holder: Policyholder) -> None:
    """A bank account with a signed mandate (its PDF in the documents); demo e-mails do not stay in
    the outbox."""
    from sqlmodel import delete

    from espace.billing import bank_accounts, mandates
    from espace.identity.insurer_authority import InsurerRecord
    from espace.notifications.models import OutboxMessage

    first_outbox = (
        session.exec(select(OutboxMessage.id).order_by(OutboxMessage.id.desc())).first() or 0
    )
    demo = InsurerRecord(source="demo")
    account = bank_accounts.add_account(
        session=session,
        holder_id=holder.id,
        iban=DEMO_IBAN,
        bic="",
        account_holder=holder.display_name,
        label="Compte courant",
        authority=demo,
    )
    mandates.sign_mandate(
        session=session,
        holder_id=holder.id,
        account_id=account.id,
        signed_ip="",
        authority=demo,
        signature_method="code envoyé par e-mail",
        now=utcnow() - timedelta(days=900),
    )
    session.exec(delete(OutboxMessage).where(OutboxMessage.id > first_outbox))
    session.flush()
