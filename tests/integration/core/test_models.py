"""Constraints the database itself enforces."""

from datetime import timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from espace.contracts.models import Contract
from espace.core.models import utcnow
from espace.identity.models import Account, AuthSession
from tests import factories


def test_one_account_per_policyholder(db):
    person = factories.holder(db)
    db.add(Account(holder_id=person.id, email="second@example.com", password_hash="x"))
    with pytest.raises(IntegrityError):
        db.flush()


def test_contract_numbers_are_unique(db):
    person = factories.holder(db)
    first = factories.contract(db, person)
    with pytest.raises(IntegrityError):
        factories.contract(db, person, number=first.number)


def test_a_session_belongs_to_exactly_one_principal(db):
    person = factories.holder(db)
    account = factories.account_of(db, person)
    agent = factories.staff(db)
    db.add(
        AuthSession(
            account_id=account.id, staff_id=agent.id, expires_at=utcnow() + timedelta(hours=1)
        )
    )
    with pytest.raises(IntegrityError):
        db.flush()


def test_foreign_keys_are_enforced_on_sqlite(db):
    db.add(
        Contract(
            number="MRH7777777",
            holder_id=999_999,
            property_id=999_999,
            formula_id=1,
            furniture_capital_cents=0,
            deductible_cents=0,
            annual_premium_cents=0,
            annual_tax_cents=0,
            start_date=utcnow().date(),
        )
    )
    with pytest.raises(IntegrityError):
        db.flush()
