import time

from espace.demo.seed import DEMO_EMAIL, DEMO_PASSWORD
from espace.identity.auth import authenticate, authenticate_staff, find_account
from tests import factories


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


def test_unknown_account_takes_as_long_as_a_wrong_password(db):
    def timed(identifier):
        start = time.perf_counter()
        authenticate(session=db, identifier=identifier, password="Wrong#Password2026")
        return time.perf_counter() - start

    timed(DEMO_EMAIL)  # warm the dummy hash
    known = min(timed(DEMO_EMAIL) for _ in range(3))
    unknown = min(timed("nobody@example.com") for _ in range(3))
    # Both run one argon2 verification; without the dummy one, unknown would be ~100x faster.
    assert unknown > known * 0.5


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
