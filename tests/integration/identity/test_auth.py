from espace.demo.seed import DEMO_EMAIL, DEMO_PASSWORD
from espace.identity.auth import authenticate, authenticate_staff, find_account
from tests import factories
from tests.integration.identity.conftest import argon2_cost


def test_login_by_email_any_case(db):
    account = authenticate(
        session=db, identifier="  Camille.Martin@EXAMPLE.com", password=DEMO_PASSWORD
    )
    assert account is not None and account.email == DEMO_EMAIL


def test_login_by_either_contract_number(db):
    for number in ("MRH0412857", "mrh 041 3922"):
        account = authenticate(session=db, identifier=number, password=DEMO_PASSWORD)
        assert account is not None and account.email == DEMO_EMAIL


def test_wrong_password_and_unknown_account_both_fail(db):
    assert authenticate(session=db, identifier=DEMO_EMAIL, password="Tournesol#Lyon2025") is None
    assert authenticate(session=db, identifier="nobody@example.com", password=DEMO_PASSWORD) is None
    assert authenticate(session=db, identifier="MRH9999999", password=DEMO_PASSWORD) is None


def test_unknown_account_takes_as_long_as_a_wrong_password(db, verified_hashes):
    authenticate(session=db, identifier=DEMO_EMAIL, password="Wrong#Password2026")
    authenticate(session=db, identifier="nobody@example.com", password="Wrong#Password2026")
    # Both run one argon2id verification of the same cost; without the dummy one, unknown would
    # answer ~100x faster.
    assert len(verified_hashes) == 2
    assert argon2_cost(verified_hashes[0]) == argon2_cost(verified_hashes[1])


def test_inactive_account_cannot_log_in(db):
    person = factories.holder(db)
    account = factories.account_of(db, person)
    account.is_active = False
    db.add(account)
    assert authenticate(session=db, identifier=person.email, password=factories.PASSWORD) is None


def test_a_contract_number_finds_only_its_own_holder(db):
    a = factories.holder(db)
    b = factories.holder(db)
    contract_a = factories.contract(db, a)
    factories.contract(db, b)
    assert find_account(session=db, identifier=contract_a.number).holder_id == a.id
    assert authenticate(session=db, identifier=contract_a.number, password="nope") is None


def test_staff_login(db):
    agent = factories.staff(db)
    assert (
        authenticate_staff(session=db, email=agent.email.upper(), password=factories.PASSWORD).id
        == agent.id
    )
    assert authenticate_staff(session=db, email=agent.email, password="wrong") is None
