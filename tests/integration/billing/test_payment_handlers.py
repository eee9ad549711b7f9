"""Payments handlers: holder B sending holder A's ids (account, payment, card payment) gets
nothing."""

from __future__ import annotations

import types
from types import SimpleNamespace

import pytest
from sqlmodel import Session, select

from espace.billing import bank_accounts, mandates
from espace.billing.models import BankAccount, CardPayment, Payment, PaymentStatus, SepaMandate
from espace.core.db import get_engine
from espace.identity import stepup
from espace.identity.insurer_authority import InsurerRecord
from espace.state.payments import PaymentsState
from espace.state.regularisation import RegularisationState
from tests import factories
from tests.events import run_handler

IBAN = "FR7630006000011234567890189"


def _principal(db, person):
    """A signed-in session that passed a step-up just now: the handlers' ownership checks are what
    is tested."""
    _, principal, _ = factories.signed_in_with_step_up(db, person)
    return principal


@pytest.fixture
def two_holders(engine):
    def setup(db):
        alice, bob = factories.holder(db), factories.holder(db)
        contract = factories.contract(db, alice)
        payment = Payment(
            contract_id=contract.id,
            holder_id=alice.id,
            due_date=contract.start_date,
            period_start=contract.start_date,
            period_end=contract.start_date,
            amount_cents=2_000,
            tax_cents=200,
            status=PaymentStatus.REJECTED,
            rejection_reason="Provision insuffisante.",
        )
        db.add(payment)
        record = InsurerRecord(source="core_system")
        account = bank_accounts.add_account(
            session=db,
            holder_id=alice.id,
            iban=IBAN,
            bic="",
            account_holder="Alice",
            authority=record,
        )
        other = bank_accounts.add_account(
            session=db,
            holder_id=alice.id,
            iban="FR1420041010050500013M02606",
            bic="",
            account_holder="Alice",
            authority=record,
        )
        mandates.sign_mandate(
            session=db, holder_id=alice.id, account_id=account.id, signed_ip="", authority=record
        )
        db.flush()
        return SimpleNamespace(
            alice=_principal(db, alice),
            bob=_principal(db, bob),
            account=account.id,
            other=other.id,
            payment=payment.id,
        )

    return factories.committed(setup)


def _payments_self(principal):
    me = SimpleNamespace(
        flash="",
        accounts_error="",
        account_errors={},
        _mandate_account_id=0,
        _remove_account_id=0,
        stepup_for="",
        router=SimpleNamespace(session=SimpleNamespace(client_ip="")),
    )
    me._me = lambda: principal
    me._to_login = lambda: "login"
    me._refresh = lambda holder_id: None
    me._remove = types.MethodType(PaymentsState._remove, me)
    run = types.MethodType(PaymentsState._run_stepped_up, me)
    me._with_step_up = lambda action: run(action, principal, _proof(principal))
    return me


def _proof(principal):
    with Session(get_engine()) as db:
        return stepup.recent_proof(
            session=db, account_id=principal.account_id, session_id=principal.session_id
        )


def test_account_handlers_refuse_another_holders_account(two_holders):
    bob = _payments_self(two_holders.bob)
    run_handler(PaymentsState.ask_sign_mandate, bob, two_holders.other)
    assert bob.accounts_error and bob._mandate_account_id == 0
    run_handler(PaymentsState.make_default, bob, two_holders.account)
    run_handler(PaymentsState.remove_account, bob, two_holders.account)
    with Session(get_engine()) as db:
        account = db.get(BankAccount, two_holders.account)
        assert account.removed_at is None and account.is_default
        assert (
            db.exec(
                select(SepaMandate).where(SepaMandate.bank_account_id == two_holders.other)
            ).first()
            is None
        )
    # Even with A's account id planted server-side, the signature goes through B's ownership check.
    bob._mandate_account_id = two_holders.other
    PaymentsState._run_stepped_up(bob, "sign_mandate", two_holders.bob, _proof(two_holders.bob))
    with Session(get_engine()) as db:
        assert (
            db.exec(
                select(SepaMandate).where(SepaMandate.bank_account_id == two_holders.other)
            ).first()
            is None
        )


def test_regularisation_refuses_another_holders_payment(two_holders):
    from espace.state import regularisation as regularisation_state

    bob = SimpleNamespace(
        payment_id=two_holders.payment,
        _card_payment_id=0,
        errors={},
        message="",
        challenge="",
        done=False,
        form_version=0,
    )
    bob._holder_id = lambda: two_holders.bob.holder_id
    bob._to_login = lambda: "login"
    bob._show = types.MethodType(regularisation_state.RegularisationState._show, bob)
    run_handler(
        RegularisationState.pay,
        bob,
        {
            "card_number": "5555 5555 5555 4444",
            "card_expiry": "12/39",
            "card_cvc": "123",
            "card_holder": "Bob",
        },
    )
    assert not bob.done and bob.message
    with Session(get_engine()) as db:
        assert db.get(Payment, two_holders.payment).status == PaymentStatus.REJECTED
        assert (
            db.exec(
                select(CardPayment).where(CardPayment.payment_id == two_holders.payment)
            ).first()
            is None
        )
