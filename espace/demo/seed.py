"""Demo data: the product catalogue, a demo policyholder with two homes, other holders and staff.

``seed_volume`` adds many generated holders quickly (for benchmarks): they all share one
pre-computed password hash, because hashing 10 000 argon2 passwords would take minutes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date, timedelta

from sqlmodel import Session, func, select

from espace.contracts import catalogue_data as cat
from espace.contracts import cover_data
from espace.contracts.admin import add_property, open_contract
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
from espace.identity.holders import register_holder
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
    report = _seed_generated(
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
    _seed_bank_account(session, camille)
    _seed_histories(session, today=today_paris())
    _reject_last_debit(session, lyon)
    return SeedReport(holders=report.holders + 3, contracts=report.contracts + 4, staff=len(STAFF))


DEMO_IBAN = "FR76 3000 6000 0112 3456 7890 189"


def _seed_histories(session: Session, *, today: date) -> None:
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


def _reject_last_debit(session: Session, contract: Contract) -> None:
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


def _seed_bank_account(session: Session, holder: Policyholder) -> None:
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
        report = _seed_generated(
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


def _seed_generated(
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
