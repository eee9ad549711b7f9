from datetime import date

from sqlmodel import func, select

from espace.contracts.models import Contract
from espace.contracts.portfolio import list_portfolio
from espace.demo.generated import seed_volume
from espace.demo.seed import DEMO_CONTRACTS, DEMO_EMAIL, seed_demo
from espace.identity.models import Account, Policyholder, StaffUser
from tests import factories


def test_demo_holder_has_a_flat_in_lyon_and_a_house_in_brittany(db):
    account = db.exec(select(Account).where(Account.email == DEMO_EMAIL)).one()
    portfolio = list_portfolio(session=db, holder_id=account.holder_id, today=date(2026, 11, 23))
    assert [(p.property_type, p.city, p.postal_code[:2]) for p in portfolio] == [
        ("flat", "Lyon", "69"),
        ("house", "Carnac", "56"),
    ]
    assert [c.number for p in portfolio for c in p.contracts] == list(DEMO_CONTRACTS)
    lyon = portfolio[0].contracts[0]
    # priced by the tariff engine: the Lyon golden case (204,80 €) plus the legal protection option
    assert lyon.formula == "Confort" and lyon.annual_premium_cents == 23_096
    assert lyon.next_anniversary == date(2027, 9, 1)
    assert portfolio[1].contracts[0].options == ["Jardin et piscine", "Objets de valeur"]


def test_a_holder_sees_only_their_own_properties(db):
    a, b = factories.holder(db), factories.holder(db)
    factories.contract(db, a, city="Angers")
    factories.contract(db, b, city="Brest")
    mine = list_portfolio(session=db, holder_id=a.id)
    assert [p.city for p in mine] == ["Angers"]
    assert all(c.number.startswith("MRH") for p in mine for c in p.contracts)


def test_demo_seed_is_idempotent_and_complete(db):
    assert seed_demo(db).holders == 0  # already seeded by the fixture
    assert db.exec(select(func.count()).select_from(StaffUser)).one() >= 3
    assert db.exec(select(func.count()).select_from(Policyholder)).one() >= 21


def test_volume_seed_creates_holders_with_accounts_and_valid_numbers(tmp_path):
    from sqlmodel import Session

    from espace.core.db import make_engine
    from espace.core.migrations import upgrade_to_head

    url = f"sqlite:///{tmp_path / 'volume.db'}"
    upgrade_to_head(url)
    engine = make_engine(url)
    with Session(engine) as session:
        report = seed_volume(session, holders=250, batch=100)
        assert report.holders == 250 and report.contracts >= 250
        assert session.exec(select(func.count()).select_from(Account)).one() == 250
        numbers = session.exec(select(Contract.number)).all()
        assert len(set(numbers)) == len(numbers)
        assert all(len(n) == 10 and n[:3] == "MRH" and n[3:].isdigit() for n in numbers)
    engine.dispose()
