"""The migrations build exactly the schema the models describe, and carry existing data over."""

from datetime import date, datetime, timedelta

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import Session, SQLModel, select

from espace.core import formatting as fmt
from espace.core.db import make_engine
from espace.core.formatting import PARIS
from espace.core.migrations import upgrade_to_head


def schema_diff(url: str) -> list:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(
                conn,
                opts={
                    "compare_type": True,
                    "render_as_batch": True,
                    # The search index's tables on PostgreSQL (migration 0015) are not ORM models.
                    "include_name": lambda name, type_, _parent: (
                        not (type_ == "table" and (name or "").startswith("search_"))
                    ),
                },
            )
            return compare_metadata(context, SQLModel.metadata)
    finally:
        engine.dispose()


def test_empty_database_upgrades_to_head_with_no_difference(tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    upgrade_to_head(url)
    assert schema_diff(url) == []
    engine = make_engine(url)
    tables = set(inspect(engine).get_table_names())
    engine.dispose()
    assert {
        "policyholder",
        "account",
        "auth_session",
        "contract",
        "insured_property",
        "formula",
        "guarantee",
        "formula_guarantee",
        "staff_user",
        "alembic_version",
    } <= tables


def test_upgrade_is_idempotent(tmp_path):
    url = f"sqlite:///{tmp_path / 'twice.db'}"
    upgrade_to_head(url)
    upgrade_to_head(url)
    assert schema_diff(url) == []


def test_existing_accounts_stay_active_through_the_security_migration(tmp_path):
    from sqlalchemy import text

    from alembic import command
    from espace.core.migrations import alembic_config

    url = f"sqlite:///{tmp_path / 'upgrade.db'}"
    command.upgrade(alembic_config(url), "0001")
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO policyholder (civility, first_name, last_name, birth_date, email, "
                "phone, address_line1, address_line2, postal_code, city, country, created_at) "
                "VALUES ('M.', 'A', 'B', '1980-01-01', 'a@b.fr', '', 'x', '', '75001', 'Paris', "
                "'FR', '2025-01-01 00:00:00')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO account (holder_id, email, password_hash, is_active, created_at, "
                "password_changed_at) VALUES (1, 'a@b.fr', 'h', 1, '2025-01-01 00:00:00', "
                "'2025-01-01 00:00:00')"
            )
        )
    upgrade_to_head(url)
    with engine.connect() as conn:
        row = conn.execute(
            text("SELECT activated_at, failed_login_count, totp_last_step FROM account")
        ).one()
    engine.dispose()
    assert row[0] is not None and row[1] == 0 and row[2] == 0


# ----- 0013: effective-dated contract terms, on a database holding data --------------------------

MIGRATION_DAY = date(2026, 11, 9)


def _before_terms(url: str) -> str:
    """Upgrade to the revision just before the contract-terms migration (whatever it is chained
    to)."""
    from alembic.script import ScriptDirectory

    from alembic import command
    from espace.core.migrations import alembic_config

    cfg = alembic_config(url)
    previous = ScriptDirectory.from_config(cfg).get_revision("0013").down_revision
    command.upgrade(cfg, previous)
    return previous


def _contracts_before_terms(url: str) -> dict[str, int]:
    """Contracts as the old code left them: one plain, one with two endorsements (the second signed
    before the migration and effective after it, already written on the row), one unreadable."""
    from sqlalchemy import text

    from espace.contracts.models import (
        Contract,
        ContractOption,
        Endorsement,
        Formula,
        Guarantee,
        InsuredProperty,
    )
    from espace.identity.models import Account, Policyholder

    engine = make_engine(url)
    try:
        with Session(engine) as db:
            db.add_all(
                [
                    Formula(code="ESSENTIELLE", name="Essentielle", rank=1),
                    Formula(code="CONFORT", name="Confort", rank=2),
                    Guarantee(
                        code="PROTECTION_JURIDIQUE",
                        category="legal_protection",
                        name="Protection juridique",
                    ),
                ]
            )
            db.flush()
            for code, name in (
                ("PROTECTION_JURIDIQUE", "Protection juridique"),
                ("ASSISTANCE_PLUS", "Assistance renforcée"),
            ):
                db.execute(
                    text(
                        "INSERT INTO contract_option_def (code, name, description, "
                        "guarantee_category) VALUES (:code, :name, '', '')"
                    ),
                    {"code": code, "name": name},
                )
            options = dict(db.execute(text("SELECT code, id FROM contract_option_def")).all())
            formulas = {f.code: f.id for f in db.exec(select(Formula)).all()}
            person = Policyholder(
                civility="M.",
                first_name="A",
                last_name="B",
                birth_date=date(1980, 1, 1),
                email="a@b.fr",
                address_line1="1 rue A",
                postal_code="44000",
                city="Nantes",
            )
            db.add(person)
            db.flush()
            account = Account(holder_id=person.id, email="a@b.fr", password_hash="h")
            db.add(account)
            ids = {}
            for key, formula, line1, postal, city, rooms, surface, deductible, premium in (
                ("plain", "CONFORT", "2 quai Est", "69002", "Lyon", 3, 70, 15_000, 21_000),
                ("history", "CONFORT", "5 rue Nationale", "37000", "Tours", 3, 60, 15_000, 27_000),
                ("unreadable", "CONFORT", "9 rue C", "33000", "Bordeaux", 2, 40, 30_000, 19_000),
            ):
                prop = InsuredProperty(
                    holder_id=person.id,
                    address_line1=line1,
                    postal_code=postal,
                    city=city,
                    property_type="flat",
                    rooms=rooms,
                    surface_m2=surface,
                    occupancy="tenant",
                )
                db.add(prop)
                db.flush()
                contract = Contract(
                    number=f"MRH00000{len(ids) + 1}",
                    holder_id=person.id,
                    property_id=prop.id,
                    formula_id=formulas[formula],
                    furniture_capital_cents=2_000_000,
                    deductible_cents=deductible,
                    annual_premium_cents=premium,
                    annual_tax_cents=premium // 10,
                    start_date=date(2024, 1, 10),
                )
                db.add(contract)
                db.flush()
                ids[key] = contract.id
            db.add(
                ContractOption(
                    contract_id=ids["plain"],
                    option_id=options["PROTECTION_JURIDIQUE"],
                    annual_price_cents=2_400,
                )
            )
            db.add(
                ContractOption(
                    contract_id=ids["history"],
                    option_id=options["ASSISTANCE_PLUS"],
                    annual_price_cents=1_800,
                )
            )
            db.flush()

            def endorse(
                key: str, number: int, effective: date, changes: list, old: int, new: int
            ) -> None:
                db.add(
                    Endorsement(
                        contract_id=ids[key],
                        number=number,
                        effective_date=effective,
                        changes=changes,
                        old_premium_cents=old,
                        new_premium_cents=new,
                        prorata_cents=0,
                        tariff_version="2026",
                        accepted_by_account_id=account.id,
                        consent_text="ok",
                    )
                )

            endorse(
                "history",
                1,
                date(2025, 3, 1),
                [
                    {"label": "Formule", "before": "Essentielle", "after": "Confort"},
                    {"label": "Franchise", "before": fmt.money(30_000), "after": fmt.money(15_000)},
                    {
                        "label": "Option Assistance renforcée",
                        "before": "Non souscrite",
                        "after": "Souscrite",
                    },
                ],
                20_000,
                25_000,
            )
            endorse(
                "history",
                2,
                MIGRATION_DAY + timedelta(days=30),
                [
                    {
                        "label": "Logement (pièces, surface)",
                        "before": "2 pièces, 45 m²",
                        "after": "3 pièces, 60 m²",
                    },
                    {
                        "label": "Adresse du logement (déménagement)",
                        "before": "1 place du Commerce, 44000 Nantes",
                        "after": "5 rue Nationale, 37000 Tours",
                    },
                ],
                25_000,
                27_000,
            )
            endorse(
                "unreadable",
                1,
                date(2025, 5, 1),
                [{"label": "Piscine", "before": "non", "after": "oui"}],
                18_000,
                19_000,
            )
            db.commit()
        return ids
    finally:
        engine.dispose()


def check_terms_backfill(url: str) -> None:
    """Migrate a database holding contracts and endorsements, then check the versions and the
    copies."""
    import time_machine

    from espace.contracts import coverage, terms
    from espace.contracts.models import Contract, ContractOption, ContractTerms, InsuredProperty

    _before_terms(url)
    ids = _contracts_before_terms(url)
    with time_machine.travel(datetime(2026, 11, 9, 12, 0, tzinfo=PARIS), tick=False):
        upgrade_to_head(url)
    assert schema_diff(url) == []
    engine = make_engine(url)
    try:
        with Session(engine) as db:

            def versions(key):
                return terms.versions(session=db, contract_id=ids[key])

            (plain,) = versions("plain")
            assert (
                plain.effective_from,
                plain.annual_premium_cents,
                plain.options,
                plain.city,
            ) == (
                date(2024, 1, 10),
                21_000,
                [{"code": "PROTECTION_JURIDIQUE", "annual_price_cents": 2_400}],
                "Lyon",
            )
            assert plain.applied_at is not None and plain.endorsement_id is None

            start, first, move = versions("history")
            assert [v.effective_from for v in (start, first, move)] == [
                date(2024, 1, 10),
                date(2025, 3, 1),
                MIGRATION_DAY + timedelta(days=30),
            ]
            formulas = {v.formula_id for v in (start, first)}
            assert len(formulas) == 2 and first.formula_id == move.formula_id
            assert (start.deductible_cents, start.options, start.annual_premium_cents) == (
                30_000,
                [],
                20_000,
            )
            assert start.annual_tax_cents == round(2_700 * 25_000 / 27_000 * 20_000 / 25_000)
            assert (
                first.deductible_cents,
                first.annual_premium_cents,
                first.city,
                first.rooms,
                first.surface_m2,
            ) == (15_000, 25_000, "Nantes", 2, 45)
            assert first.options == [{"code": "ASSISTANCE_PLUS", "annual_price_cents": 1_800}]
            assert (move.city, move.rooms, move.annual_premium_cents, move.applied_at) == (
                "Tours",
                3,
                27_000,
                None,
            )
            assert [v.endorsement_id is not None for v in (start, first, move)] == [
                False,
                True,
                True,
            ]

            # the row had been moved at signature: it is back to the terms in force on the migration
            # day
            contract = db.get(Contract, ids["history"])
            prop = db.get(InsuredProperty, contract.property_id)
            assert (
                contract.annual_premium_cents,
                contract.deductible_cents,
                prop.city,
                prop.rooms,
            ) == (25_000, 15_000, "Nantes", 2)
            assert (
                len(
                    db.exec(
                        select(ContractOption).where(ContractOption.contract_id == contract.id)
                    ).all()
                )
                == 1
            )

            (unreadable,) = versions("unreadable")
            assert (unreadable.effective_from, unreadable.annual_premium_cents) == (
                date(2024, 1, 10),
                19_000,
            )

            # what each option covers was filled in: the legal protection option is cover
            cover = coverage.cover_on(
                session=db, contract=db.get(Contract, ids["plain"]), on=MIGRATION_DAY
            )
            assert (
                cover.covers("legal_protection")
                and cover.line_for("legal_protection").ceiling_cents == 2_000_000
            )

            # the daily job applies the move on its date, once
            assert terms.apply_due(session=db, today=MIGRATION_DAY + timedelta(days=29)) == 0
            assert terms.apply_due(session=db, today=MIGRATION_DAY + timedelta(days=30)) == 1
            db.refresh(prop)
            assert (prop.city, prop.rooms) == ("Tours", 3)
            assert (
                db.exec(select(ContractTerms).where(ContractTerms.applied_at.is_(None))).all() == []
            )
            db.commit()
    finally:
        engine.dispose()


def test_contract_terms_migration_on_a_sqlite_database_holding_data(tmp_path):
    check_terms_backfill(f"sqlite:///{tmp_path / 'terms.db'}")
