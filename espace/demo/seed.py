"""Demo data: the product catalogue, a demo policyholder with two homes, other holders and staff.

``seed_volume`` (``espace.demo.generated``) adds many generated holders quickly (for benchmarks):
they all share one pre-computed password hash, because hashing 10 000 argon2 passwords would take
minutes. The demo's payment history is seeded by ``espace.demo.billing``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date

from sqlmodel import Session, func, select

from espace.contracts import catalogue_data as cat
from espace.contracts import cover_data
from espace.contracts.admin import open_contract
from espace.contracts.models import (
    Contract,
    ContractOptionDef,
    Formula,
    FormulaGuarantee,
    Guarantee,
    InsuredProperty,
    Occupancy,
    PaymentFrequency,
    PropertyType,
)
from espace.core.models import today_paris, utcnow
from espace.demo.billing import reject_last_debit, seed_bank_account, seed_histories
from espace.identity.models import Account, Policyholder, StaffRole, StaffUser
from espace.identity.passwords import hash_password

DEMO_EMAIL = "camille.martin@example.com"
DEMO_PASSWORD = "Tournesol#Lyon2026"
DEMO_CONTRACTS = ("MRH0412857", "MRH0413922")
STAFF_PASSWORD = "Guichet#Espace2026"
STAFF = [
    ("sophie.bernard@espace-assurances.example", "Sophie Bernard", StaffRole.HANDLER),
    ("marc.lefevre@espace-assurances.example", "Marc Lefèvre", StaffRole.EXPERT),
    ("nadia.haddad@espace-assurances.example", "Nadia Haddad", StaffRole.MANAGER),
]
OTHER_HOLDER_PASSWORD = "Portail#Assure2026"
# A holder with a contract but no portal account yet: try "Créer mon espace" with these.
SIGNUP_DEMO = {
    "contract": "MRH0520318",
    "last_name": "Moreau",
    "birth_date": date(1991, 7, 8),
    "postal_code": "33000",
}
# A holder with an account but no phone on file: "Je n'ai plus accès à mon e-mail" becomes a staff
# request.
NO_PHONE_DEMO = {
    "contract": "MRH0520466",
    "last_name": "Garnier",
    "birth_date": date(1962, 11, 30),
    "postal_code": "44000",
    "email": "helene.garnier@example.com",
}


@dataclass(frozen=True)
class SeedReport:
    holders: int
    contracts: int
    staff: int


def price_contract(
    session: Session,
    contract: Contract,
    prop: InsuredProperty,
    formula_code: str,
    options: tuple[str, ...] = (),
) -> None:
    """Re-price a contract row built directly (tests, imports) with the tariff engine: its terms
    from the start date become this formula, these options and the tariff's premium (a version
    replacing any of that day; later versions must not exist)."""
    from espace.contracts import terms as contract_terms
    from espace.contracts.rating import RatingInput
    from espace.contracts.tariff import price
    from espace.contracts.tariff_data import CURRENT

    quote = price(
        RatingInput(
            postal_code=prop.postal_code,
            property_type=prop.property_type,
            rooms=prop.rooms,
            surface_m2=prop.surface_m2,
            occupancy=prop.occupancy,
            formula=formula_code,
            furniture_capital_cents=contract.furniture_capital_cents,
            deductible_cents=contract.deductible_cents,
            options=frozenset(options),
        )
    )
    prices = {line.label: line.amount_cents for line in quote.lines}
    formula_id = session.exec(select(Formula.id).where(Formula.code == formula_code)).one()
    base = contract_terms.snapshot(session=session, contract=contract)
    contract_terms.record_version(
        session=session,
        contract=contract,
        effective_from=contract.start_date,
        terms=replace(
            base,
            formula_id=formula_id,
            annual_premium_cents=quote.annual_premium_cents,
            annual_tax_cents=quote.taxes_cents,
            tariff_version=quote.version,
            options={
                code: prices.get(f"Option {CURRENT['options'][code]['name']}", 0)
                for code in options
            },
            **{name: getattr(prop, name) for name in contract_terms.PROPERTY_FIELDS},
        ),
    )


def is_empty(session: Session) -> bool:
    return session.exec(select(func.count()).select_from(Policyholder)).one() == 0


def seed_catalogue(session: Session) -> None:
    if session.exec(select(Formula)).first() is not None:
        return
    formulas = {
        code: Formula(code=code, name=name, tagline=tag, rank=rank)
        for code, name, tag, rank in cat.FORMULAS
    }
    guarantees = {
        code: Guarantee(
            code=code, category=category, name=name, description=desc, article_refs=refs
        )
        for code, category, name, desc, refs in cat.GUARANTEES
    }
    session.add_all([*formulas.values(), *guarantees.values()])
    session.flush()
    for code, name, desc, category in cat.OPTIONS:
        granted, ceiling, note, kind, value, exclusions, refs = cover_data.OPTION_COVER[code]
        session.add(
            ContractOptionDef(
                code=code,
                name=name,
                description=desc,
                guarantee_category=category,
                guarantee_code=granted or "",
                ceiling_cents=ceiling,
                ceiling_note=note,
                deductible_kind=kind,
                deductible_value=value,
                exclusions=list(exclusions),
                article_refs=refs,
            )
        )
    session.flush()
    for formula_code, covers in cover_data.COVER.items():
        for guarantee_code, (ceiling, note, kind, value, exclusions) in covers.items():
            session.add(
                FormulaGuarantee(
                    formula_id=formulas[formula_code].id,
                    guarantee_id=guarantees[guarantee_code].id,
                    ceiling_cents=ceiling,
                    ceiling_note=note,
                    deductible_kind=kind,
                    deductible_value=value,
                    exclusions=list(exclusions),
                )
            )
    session.flush()


def seed_demo(session: Session) -> SeedReport:
    """Catalogue, the demo holder, 20 other holders and the staff. Idempotent."""
    seed_catalogue(session)
    if session.exec(select(Account).where(Account.email == DEMO_EMAIL)).first() is not None:
        return SeedReport(holders=0, contracts=0, staff=0)
    formulas = {f.code: f for f in session.exec(select(Formula)).all()}

    camille = Policyholder(
        civility="Mme",
        first_name="Camille",
        last_name="Martin",
        birth_date=date(1986, 3, 14),
        email=DEMO_EMAIL,
        phone="+33612345678",
        address_line1="27 rue Duguesclin",
        postal_code="69006",
        city="Lyon",
    )
    session.add(camille)
    session.flush()
    session.add(
        Account(
            holder_id=camille.id,
            email=DEMO_EMAIL,
            password_hash=hash_password(DEMO_PASSWORD),
            activated_at=utcnow(),
            phone_verified_at=utcnow(),
        )
    )
    flat = InsuredProperty(
        holder_id=camille.id,
        address_line1="27 rue Duguesclin",
        address_line2="3e étage, porte droite",
        postal_code="69006",
        city="Lyon",
        property_type=PropertyType.FLAT,
        rooms=3,
        surface_m2=68,
        occupancy=Occupancy.TENANT,
        floor=3,
        construction_year=1932,
    )
    house = InsuredProperty(
        holder_id=camille.id,
        address_line1="4 chemin de Kerbiguet",
        postal_code="56340",
        city="Carnac",
        property_type=PropertyType.HOUSE,
        rooms=5,
        surface_m2=112,
        occupancy=Occupancy.OWNER,
        construction_year=1978,
    )
    session.add_all([flat, house])
    session.flush()
    lyon = open_contract(
        session=session,
        number=DEMO_CONTRACTS[0],
        holder_id=camille.id,
        prop=flat,
        formula_code="CONFORT",
        furniture_capital_cents=2_500_000,
        deductible_cents=15_000,
        options=("PROTECTION_JURIDIQUE",),
        payment_frequency=PaymentFrequency.MONTHLY,
        start_date=date(2021, 9, 1),
    )
    carnac = open_contract(
        session=session,
        number=DEMO_CONTRACTS[1],
        holder_id=camille.id,
        prop=house,
        formula_code="INTEGRALE",
        furniture_capital_cents=6_000_000,
        deductible_cents=30_000,
        options=("JARDIN_PISCINE", "OBJETS_VALEUR"),
        payment_frequency=PaymentFrequency.ANNUAL,
        start_date=date(2023, 4, 15),
    )
    _seed_prospects(session, formulas)
    from espace.demo.generated import seed_generated

    report = seed_generated(
        session,
        count=20,
        start=1,
        password_hash=hash_password(OTHER_HOLDER_PASSWORD),
        formulas=list(formulas.values()),
        rng=random.Random(2026),
    )
    for email, name, role in STAFF:
        session.add(
            StaffUser(
                email=email, full_name=name, role=role, password_hash=hash_password(STAFF_PASSWORD)
            )
        )
    session.flush()
    from espace.demo.claims import seed_claims

    others = list(
        session.exec(
            select(Contract)
            .where(Contract.number.like("MRH2%"), Contract.status == "active")
            .order_by(Contract.id)
            .limit(4)
        ).all()
    )
    seed_claims(session, demo_contracts=[lyon, carnac], others=others)
    from espace.demo.support import seed_support

    seed_support(session, demo_holder_id=camille.id)
    seed_bank_account(session, camille)
    seed_histories(session, today=today_paris())
    reject_last_debit(session, lyon)
    return SeedReport(holders=report.holders + 3, contracts=report.contracts + 4, staff=len(STAFF))


def _seed_prospects(session: Session, formulas: dict[str, Formula]) -> None:
    julien = Policyholder(
        civility="M.",
        first_name="Julien",
        last_name="Moreau",
        birth_date=SIGNUP_DEMO["birth_date"],
        email="julien.moreau@example.com",
        phone="+33698765432",
        address_line1="8 cours de Verdun",
        postal_code="33000",
        city="Bordeaux",
    )
    helene = Policyholder(
        civility="Mme",
        first_name="Hélène",
        last_name="Garnier",
        birth_date=NO_PHONE_DEMO["birth_date"],
        email=NO_PHONE_DEMO["email"],
        phone="",
        address_line1="15 rue Crébillon",
        postal_code="44000",
        city="Nantes",
    )
    session.add_all([julien, helene])
    session.flush()
    session.add(
        Account(
            holder_id=helene.id,
            email=NO_PHONE_DEMO["email"],
            password_hash=hash_password(OTHER_HOLDER_PASSWORD),
            activated_at=utcnow(),
        )
    )
    for person, number, kind, rooms, surface, occupancy in (
        (julien, SIGNUP_DEMO["contract"], PropertyType.FLAT, 2, 41, Occupancy.TENANT),
        (helene, NO_PHONE_DEMO["contract"], PropertyType.HOUSE, 6, 138, Occupancy.OWNER),
    ):
        prop = InsuredProperty(
            holder_id=person.id,
            address_line1=person.address_line1,
            postal_code=person.postal_code,
            city=person.city,
            property_type=kind,
            rooms=rooms,
            surface_m2=surface,
            occupancy=occupancy,
        )
        session.add(prop)
        session.flush()
        open_contract(
            session=session,
            number=number,
            holder_id=person.id,
            prop=prop,
            formula_code="CONFORT",
            furniture_capital_cents=rooms * 800_000,
            deductible_cents=15_000,
            payment_frequency=PaymentFrequency.MONTHLY,
            start_date=date(2022, 1, 10),
        )
