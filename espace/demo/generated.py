"""Generated holders, with accounts, homes and contracts: the 20 other holders of the demo and the
thousands of ``seed_volume`` (benchmarks), who all share one pre-computed password hash."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlmodel import Session, func, select

from espace.contracts.admin import add_property, open_contract
from espace.contracts.models import (
    Formula,
    InsuredProperty,
    Occupancy,
    PaymentFrequency,
    PropertyType,
)
from espace.core.models import utcnow
from espace.demo.seed import OTHER_HOLDER_PASSWORD, SeedReport, seed_catalogue
from espace.identity.holders import register_holder
from espace.identity.models import Account, Policyholder
from espace.identity.passwords import hash_password

_FIRST = [
    "Léa",
    "Hugo",
    "Chloé",
    "Lucas",
    "Manon",
    "Thomas",
    "Inès",
    "Nathan",
    "Jade",
    "Louis",
    "Zoé",
    "Gabriel",
    "Emma",
    "Arthur",
    "Sarah",
    "Jules",
    "Camille",
    "Paul",
    "Alice",
    "Yanis",
]
_LAST = [
    "Dubois",
    "Moreau",
    "Laurent",
    "Simon",
    "Michel",
    "Lefebvre",
    "Leroy",
    "Roux",
    "David",
    "Bertrand",
    "Morel",
    "Fournier",
    "Girard",
    "Bonnet",
    "Dupont",
    "Lambert",
    "Fontaine",
    "Rousseau",
    "Vincent",
    "Muller",
    "Le Goff",
    "Kerjean",
    "Nguyen",
    "Benali",
    "Perrin",
]
_PLACES = [
    ("75011", "Paris"),
    ("13006", "Marseille"),
    ("31000", "Toulouse"),
    ("33000", "Bordeaux"),
    ("44000", "Nantes"),
    ("59000", "Lille"),
    ("67000", "Strasbourg"),
    ("35000", "Rennes"),
    ("34000", "Montpellier"),
    ("06000", "Nice"),
    ("21000", "Dijon"),
    ("29200", "Brest"),
    ("37000", "Tours"),
    ("63000", "Clermont-Ferrand"),
    ("38000", "Grenoble"),
    ("69007", "Lyon"),
]
_STREETS = [
    "rue Victor Hugo",
    "avenue Jean Jaurès",
    "rue de la République",
    "boulevard Pasteur",
    "rue des Lilas",
    "impasse des Tilleuls",
    "chemin des Vignes",
    "rue du Général Leclerc",
]


def seed_volume(session: Session, *, holders: int, batch: int = 1000) -> SeedReport:
    """Add ``holders`` generated policyholders (with accounts and contracts) for benchmarks."""
    seed_catalogue(session)
    formulas = list(session.exec(select(Formula)).all())
    start = session.exec(select(func.count()).select_from(Policyholder)).one() + 1
    shared_hash = hash_password(OTHER_HOLDER_PASSWORD)
    rng = random.Random(start)
    total_holders = total_contracts = 0
    for offset in range(0, holders, batch):
        count = min(batch, holders - offset)
        report = seed_generated(
            session,
            count=count,
            start=start + offset,
            password_hash=shared_hash,
            formulas=formulas,
            rng=rng,
        )
        session.commit()
        total_holders += report.holders
        total_contracts += report.contracts
    return SeedReport(holders=total_holders, contracts=total_contracts, staff=0)


def generated_email(index: int) -> str:
    return f"assure{index:06d}@example.com"


def seed_generated(
    session: Session,
    *,
    count: int,
    start: int,
    password_hash: str,
    formulas: list[Formula],
    rng: random.Random,
) -> SeedReport:
    # The same service functions as the insurer's API (espace/integration/operations/).
    people = []
    for i in range(start, start + count):
        postal_code, city = rng.choice(_PLACES)
        people.append(
            register_holder(
                session=session,
                civility=rng.choice(["M.", "Mme"]),
                first_name=rng.choice(_FIRST),
                last_name=rng.choice(_LAST),
                birth_date=date(1950, 1, 1) + timedelta(days=rng.randrange(0, 365 * 50)),
                email=generated_email(i),
                phone=f"+336{rng.randrange(10_000_000, 99_999_999)}",
                address_line1=f"{rng.randrange(1, 120)} {rng.choice(_STREETS)}",
                postal_code=postal_code,
                city=city,
            )
        )
    properties: list[InsuredProperty] = []
    for person in people:
        session.add(
            Account(
                holder_id=person.id,
                email=person.email,
                password_hash=password_hash,
                activated_at=utcnow(),
            )
        )
        for n in range(1 if rng.random() < 0.7 else 2):
            is_house = n == 1 or rng.random() < 0.35
            rooms = rng.randrange(3, 7) if is_house else rng.randrange(1, 5)
            properties.append(
                add_property(
                    session=session,
                    holder_id=person.id,
                    address_line1=person.address_line1
                    if n == 0
                    else f"{rng.randrange(1, 60)} {rng.choice(_STREETS)}",
                    postal_code=person.postal_code,
                    city=person.city,
                    property_type=PropertyType.HOUSE if is_house else PropertyType.FLAT,
                    rooms=rooms,
                    surface_m2=rooms * rng.randrange(18, 28),
                    occupancy=rng.choice([Occupancy.OWNER, Occupancy.TENANT])
                    if n == 0
                    else Occupancy.LANDLORD,
                )
            )
    contracts = []
    for prop in properties:
        formula = rng.choice(formulas)
        contracts.append(
            open_contract(
                session=session,
                number=f"MRH{2_000_000 + prop.id:07d}",
                holder_id=prop.holder_id,
                prop=prop,
                formula_code=formula.code,
                furniture_capital_cents=prop.rooms * 800_000,
                deductible_cents=rng.choice([15_000, 30_000, 50_000]),
                payment_frequency=rng.choice(list(PaymentFrequency)),
                start_date=date(2015, 1, 1) + timedelta(days=rng.randrange(0, 365 * 11)),
            )
        )
    session.flush()
    return SeedReport(holders=len(people), contracts=len(contracts), staff=0)
