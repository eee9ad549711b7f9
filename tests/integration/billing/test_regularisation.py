"""Regularisation of a rejected debit by card (through the built-in test provider), and debit
reminders."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from sqlmodel import Session, func, select

from espace import cli
from espace.billing import debit_reminders, receipts, regularisation
from espace.billing.card_payments import CardInput
from espace.billing.models import BankAccount, CardPayment, Payment, PaymentMethod, PaymentStatus
from espace.contracts.models import ContractStatus
from espace.core import crypto
from espace.core.models import utcnow
from espace.documents import library
from espace.documents.models import Document, DocumentKind
from espace.notifications.models import Notification, OutboxMessage
from tests import factories

IBAN = "FR7630006000011234567890189"
FAR = date(2040, 1, 10)  # after every seeded schedule


def card(number: str = "4242 4242 4242 4242", cvc: str = "123") -> CardInput:
    return CardInput(
        number=number, expiry_month="12", expiry_year="39", cvc=cvc, holder_name="Alix Assurée"
    )


def payment(
    db: Session,
    contract,
    *,
    due: date = date(2026, 3, 5),
    status: str = PaymentStatus.SCHEDULED,
    method: str = PaymentMethod.SEPA_DEBIT,
    amount: int = 1250,
) -> Payment:
    row = Payment(
        contract_id=contract.id,
        holder_id=contract.holder_id,
        due_date=due,
        period_start=due,
        period_end=due + timedelta(days=30),
        amount_cents=amount,
        tax_cents=103,
        status=status,
        method=method,
    )
    db.add(row)
    db.flush()
    return row


def rejected(db: Session, contract, **kwargs) -> Payment:
    row = payment(db, contract, **kwargs)
    row.status, row.rejected_at = PaymentStatus.REJECTED, utcnow()
    row.rejection_code, row.rejection_reason = "AM04", "Provision insuffisante"
    db.add(row)
    db.flush()
    return row


@pytest.fixture
def holder_a(db):
    person = factories.holder(db)
    return person, factories.contract(db, person)


def count(db: Session, model, *where) -> int:
    return db.exec(select(func.count()).select_from(model).where(*where)).one()


def emails_to(db: Session, person) -> list[OutboxMessage]:
    return list(
        db.exec(
            select(OutboxMessage)
            .where(OutboxMessage.recipient == person.email)
            .order_by(OutboxMessage.id)
        ).all()
    )


def test_rejected_payments_lists_only_owned_rejected(db, holder_a):
    person, contract = holder_a
    mine = rejected(db, contract)
    payment(db, contract, due=date(2026, 4, 5))
    other = factories.holder(db)
    rejected(db, factories.contract(db, other))
    assert [p.id for p in regularisation.rejected_payments(session=db, holder_id=person.id)] == [
        mine.id
    ]
    assert regularisation.owned_payment(session=db, holder_id=other.id, payment_id=mine.id) is None
    assert (
        regularisation.owned_payment(session=db, holder_id=person.id, payment_id=mine.id).id
        == mine.id
    )


def test_regularised_by_card_with_3ds(db, holder_a, caplog):
    caplog.set_level("DEBUG")
    person, contract = holder_a
    due = rejected(db, contract)
    started = regularisation.start_card_payment(
        session=db, holder_id=person.id, payment_id=due.id, card=card()
    )
    assert (
        started.status == "requires_action"
        and started.card_payment_id
        and "123456" in started.challenge_hint
    )
    assert db.get(Payment, due.id).status == PaymentStatus.REJECTED
    row = db.get(CardPayment, started.card_payment_id)
    assert (row.status, row.card_brand, row.card_last4, row.amount_cents, row.provider) == (
        "requires_action",
        "Visa",
        "4242",
        1250,
        "test",
    )
    assert row.provider_reference.startswith("tst_")

    outcome = regularisation.confirm_card_payment(
        session=db, holder_id=person.id, card_payment_id=started.card_payment_id, code="123456"
    )
    assert outcome.status == "succeeded" and "régularisée" in outcome.message
    db.refresh(due)
    assert (due.status, due.method) == (PaymentStatus.REGULARISED, PaymentMethod.CARD)
    assert due.regularised_at is not None and due.paid_at is not None
    row = db.get(CardPayment, started.card_payment_id)
    assert (row.status, row.card_last4) == ("succeeded", "4242") and row.completed_at is not None

    receipt = db.exec(select(Document).where(Document.payment_id == due.id)).one()
    assert (
        receipt.kind == DocumentKind.RECEIPT
        and receipt.holder_id == person.id
        and receipt.amount_cents == 1250
    )
    pdf = library.content(session=db, document=receipt, render_missing=receipts.render_missing)
    assert pdf.startswith(b"%PDF") and "Carte bancaire" in receipt.text_content

    notice = db.exec(select(Notification).where(Notification.holder_id == person.id)).one()
    assert (notice.category, notice.title, notice.link) == (
        "payments",
        "Paiement régularisé",
        "/paiements",
    )
    [mail] = emails_to(db, person)
    assert contract.number in mail.body and "4242" in mail.body and "4242 4242" not in mail.body

    again = regularisation.confirm_card_payment(
        session=db, holder_id=person.id, card_payment_id=started.card_payment_id, code="123456"
    )
    assert again.status == "not_payable"
    paid_again = regularisation.start_card_payment(
        session=db, holder_id=person.id, payment_id=due.id, card=card()
    )
    assert paid_again.status == "not_payable"
    assert count(db, CardPayment, CardPayment.payment_id == due.id) == 1
    assert "4242424242424242" not in caplog.text and "4242 4242" not in caplog.text


def test_receipt_rendered_before_the_rejection_is_redone(db, holder_a):
    person, contract = holder_a
    due = payment(db, contract, status=PaymentStatus.PAID)
    due.paid_at = utcnow() - timedelta(days=40)
    receipt = receipts.register_receipt(session=db, payment=due)
    db.flush()
    library.content(session=db, document=receipt, render_missing=receipts.render_missing)
    assert "Prélèvement SEPA" in receipt.text_content
    due.status, due.rejected_at = PaymentStatus.REJECTED, utcnow()
    db.add(due)
    db.flush()
    outcome = regularisation.start_card_payment(
        session=db, holder_id=person.id, payment_id=due.id, card=card("5555 5555 5555 4444")
    )
    assert outcome.status == "succeeded"
    library.content(session=db, document=receipt, render_missing=receipts.render_missing)
    assert (
        "Carte bancaire" in receipt.text_content
        and receipt.issued_at == db.get(Payment, due.id).paid_at
    )
    assert count(db, Document, Document.payment_id == due.id) == 1


def test_frictionless_card_settles_at_once(db, holder_a):
    person, contract = holder_a
    due = rejected(db, contract)
    outcome = regularisation.start_card_payment(
        session=db, holder_id=person.id, payment_id=due.id, card=card("5555 5555 5555 4444")
    )
    assert outcome.status == "succeeded"
    assert db.get(Payment, due.id).status == PaymentStatus.REGULARISED
    assert count(db, Document, Document.payment_id == due.id) == 1


def test_wrong_3ds_code_declines_and_payment_stays_rejected(db, holder_a):
    person, contract = holder_a
    due = rejected(db, contract)
    started = regularisation.start_card_payment(
        session=db, holder_id=person.id, payment_id=due.id, card=card()
    )
    outcome = regularisation.confirm_card_payment(
        session=db, holder_id=person.id, card_payment_id=started.card_payment_id, code="654321"
    )
    assert outcome.status == "declined"
    assert outcome.message == "Authentification 3-D Secure échouée. Votre échéance reste à régler."
    assert db.get(CardPayment, started.card_payment_id).status == "declined"
    assert db.get(Payment, due.id).status == PaymentStatus.REJECTED


@pytest.mark.parametrize(
    "number, reason",
    [
        ("4000 0000 0000 0002", "Paiement refusé par votre banque."),
        ("4000 0000 0000 9995", "Provision insuffisante."),
        ("4000 0000 0000 0069", "Carte expirée."),
    ],
)
def test_declined_card(db, holder_a, number, reason):
    person, contract = holder_a
    due = rejected(db, contract)
    outcome = regularisation.start_card_payment(
        session=db, holder_id=person.id, payment_id=due.id, card=card(number)
    )
    assert (outcome.status, outcome.message) == (
        "declined",
        f"{reason} Votre échéance reste à régler.",
    )
    row = db.get(CardPayment, outcome.card_payment_id)
    assert (row.status, row.decline_reason, row.card_last4) == ("declined", reason, number[-4:])
    db.refresh(due)
    assert due.status == PaymentStatus.REJECTED and due.regularised_at is None
    assert count(db, Document, Document.payment_id == due.id) == 0
    assert count(db, Notification, Notification.holder_id == person.id) == 0


def test_invalid_card_writes_nothing(db, holder_a):
    person, contract = holder_a
    due = rejected(db, contract)
    outcome = regularisation.start_card_payment(
        session=db,
        holder_id=person.id,
        payment_id=due.id,
        card=card("4242 4242 4242 4241", cvc="12"),
    )
    assert outcome.status == "invalid" and outcome.card_payment_id is None
    assert set(outcome.errors) == {"card_number", "card_cvc"}
    assert count(db, CardPayment, CardPayment.payment_id == due.id) == 0
    assert db.get(Payment, due.id).status == PaymentStatus.REJECTED


def test_other_holder_cannot_pay_or_confirm(db, holder_a):
    person, contract = holder_a
    due = rejected(db, contract)
    started = regularisation.start_card_payment(
        session=db, holder_id=person.id, payment_id=due.id, card=card()
    )
    intruder = factories.holder(db)
    by_payment = regularisation.start_card_payment(
        session=db, holder_id=intruder.id, payment_id=due.id, card=card("5555 5555 5555 4444")
    )
    by_card = regularisation.confirm_card_payment(
        session=db, holder_id=intruder.id, card_payment_id=started.card_payment_id, code="123456"
    )
    unknown = regularisation.start_card_payment(
        session=db, holder_id=person.id, payment_id=10**9, card=card()
    )
    assert by_payment.status == by_card.status == unknown.status == "not_found"
    assert by_payment.message == unknown.message
    assert db.get(CardPayment, started.card_payment_id).status == "requires_action"
    assert count(db, CardPayment, CardPayment.payment_id == due.id) == 1
    assert db.get(Payment, due.id).status == PaymentStatus.REJECTED


@pytest.mark.parametrize("status", [PaymentStatus.SCHEDULED, PaymentStatus.PAID])
def test_only_rejected_payments_can_be_paid(db, holder_a, status):
    person, contract = holder_a
    due = payment(db, contract, status=status)
    outcome = regularisation.start_card_payment(
        session=db, holder_id=person.id, payment_id=due.id, card=card("5555 5555 5555 4444")
    )
    assert outcome.status == "not_payable"
    assert count(db, CardPayment, CardPayment.payment_id == due.id) == 0
    assert db.get(Payment, due.id).status == status


def test_provider_outage_is_told_not_raised(db, holder_a, monkeypatch):
    person, contract = holder_a
    due = rejected(db, contract)

    def broken():
        raise RuntimeError("down")

    monkeypatch.setattr(regularisation, "get_provider", broken)
    outcome = regularisation.start_card_payment(
        session=db, holder_id=person.id, payment_id=due.id, card=card()
    )
    assert outcome.status == "failed" and "indisponible" in outcome.message
    assert db.get(Payment, due.id).status == PaymentStatus.REJECTED


# --- Debit reminders ------------------------------------------------------------------------------


@pytest.fixture
def with_account(db, holder_a):
    person, contract = holder_a
    db.add(
        BankAccount(
            holder_id=person.id,
            account_holder="Alix Assurée",
            iban_encrypted=crypto.encrypt(IBAN),
            iban_fingerprint="f" * 64,
            iban_prefix="FR76",
            iban_last4=IBAN[-4:],
            bic="PSSTFRPPXXX",
            is_default=True,
        )
    )
    db.flush()
    return person, contract


def test_reminder_sent_once_for_debit_due_soon(db, with_account):
    person, contract = with_account
    soon = payment(db, contract, due=FAR + timedelta(days=3), amount=1250)
    later = payment(db, contract, due=FAR + timedelta(days=10))
    paid = payment(db, contract, due=FAR + timedelta(days=2), status=PaymentStatus.PAID)
    by_card = payment(db, contract, due=FAR + timedelta(days=2), method=PaymentMethod.CARD)
    past = payment(db, contract, due=FAR - timedelta(days=1))

    assert debit_reminders.send_due_reminders(session=db, today=FAR) == 1
    assert debit_reminders.send_due_reminders(session=db, today=FAR) == 0
    db.refresh(soon)
    assert soon.reminder_sent_at is not None
    for row in (later, paid, by_card, past):
        db.refresh(row)
        assert row.reminder_sent_at is None

    [notice] = db.exec(select(Notification).where(Notification.holder_id == person.id)).all()
    assert notice.category == "payments" and notice.link == "/paiements"
    assert notice.title.startswith("Prélèvement de 12,50") and notice.title.endswith(
        "le 13/01/2040"
    )
    [mail] = emails_to(db, person)
    assert contract.number in mail.body and "12,50" in mail.body and "13/01/2040" in mail.body
    assert "FR76 •••• •••• •••• 0189" in mail.body
    assert IBAN not in mail.body and IBAN[4:12] not in mail.body and IBAN not in notice.body

    assert (
        debit_reminders.send_due_reminders(session=db, today=FAR + timedelta(days=7)) == 1
    )  # `later` now


def test_reminder_window_and_inactive_contract(db, with_account):
    person, contract = with_account
    due = payment(db, contract, due=FAR + timedelta(days=8))
    assert debit_reminders.send_due_reminders(session=db, today=FAR) == 0
    assert debit_reminders.send_due_reminders(session=db, today=FAR, days=8) == 1
    db.refresh(due)
    assert due.reminder_sent_at is not None

    contract.status = ContractStatus.TERMINATED
    db.add(contract)
    payment(db, contract, due=FAR + timedelta(days=1))
    assert debit_reminders.send_due_reminders(session=db, today=FAR) == 0


def test_reminder_without_bank_account(db, holder_a):
    person, contract = holder_a
    payment(db, contract, due=FAR + timedelta(days=1))
    assert debit_reminders.send_due_reminders(session=db, today=FAR) == 1
    [mail] = emails_to(db, person)
    assert contract.number in mail.body and "••••" not in mail.body


def test_cli_remind_debits(db, holder_a, monkeypatch, capsys):
    person, contract = holder_a
    payment(db, contract, due=FAR + timedelta(days=2))

    @contextmanager
    def scope():
        yield db

    monkeypatch.setattr(cli, "session_scope", scope)
    assert cli.main(["remind-debits", "--today", FAR.isoformat(), "--days", "3"]) == 0
    assert capsys.readouterr().out.strip() == "1 rappel envoyé."
    assert cli.main(["remind-debits", "--today", FAR.isoformat()]) == 0
    assert capsys.readouterr().out.strip() == "0 rappel envoyé."


def test_only_one_card_attempt_can_hold_a_payment(db):
    """The conditional claim: a second attempt while one is under way is refused without calling the
    provider."""
    from espace.billing import regularisation

    person = factories.holder(db)
    contract = factories.contract(db, person)
    payment = Payment(
        contract_id=contract.id,
        holder_id=person.id,
        due_date=contract.start_date,
        period_start=contract.start_date,
        period_end=contract.start_date,
        amount_cents=1_500,
        tax_cents=100,
        status=PaymentStatus.REJECTED,
        rejection_reason="Provision insuffisante.",
    )
    db.add(payment)
    db.flush()
    assert regularisation._claim(db, payment) is True and payment.status == PaymentStatus.PROCESSING
    assert regularisation._claim(db, payment) is False
    outcome = regularisation.start_card_payment(
        session=db,
        holder_id=person.id,
        payment_id=payment.id,
        card=CardInput("5555 5555 5555 4444", "12", "39", "123", "Alix"),
    )
    assert outcome.status == "not_payable"
    regularisation._release(db, payment)
    assert payment.status == PaymentStatus.REJECTED
