"""Renewal at the anniversary: the daily job renews each contract once (premium from the tariff,
the new schedule, the notice with the loi Chatel mention, a notice and an e-mail, then the
attestation of the new year), whatever the number of runs or workers; the demo data's history comes
from the same functions."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from sqlmodel import Session, func, select

from espace.billing.models import Payment, PaymentStatus
from espace.contracts.admin import open_contract
from espace.contracts.models import (
    Attestation,
    Contract,
    InsuredProperty,
    Occupancy,
    PaymentFrequency,
    PropertyType,
)
from espace.core import jobs
from espace.documents.models import Document, DocumentKind
from espace.lifecycle import renewal, renewal_schedule
from espace.lifecycle.models import ContractRenewal
from espace.notifications.models import Notification, OutboxMessage
from tests import factories


def _open(db: Session, *, start: date, frequency=PaymentFrequency.MONTHLY) -> Contract:
    person = factories.holder(db)
    prop = InsuredProperty(
        holder_id=person.id,
        address_line1="3 rue Kervégan",
        postal_code="44000",
        city="Nantes",
        property_type=PropertyType.FLAT,
        rooms=3,
        surface_m2=60,
        occupancy=Occupancy.TENANT,
    )
    db.add(prop)
    db.flush()
    contract = open_contract(
        session=db,
        number=f"MRH7{prop.id:06d}",
        holder_id=person.id,
        prop=prop,
        formula_code="CONFORT",
        furniture_capital_cents=2_000_000,
        deductible_cents=15_000,
        options=("PROTECTION_JURIDIQUE",),
        payment_frequency=frequency,
        start_date=start,
        today=start,
    )
    renewal_schedule.schedule_year(
        session=db,
        contract=contract,
        year_start=start,
        version=renewal.contract_terms.version_on(session=db, contract_id=contract.id, day=start),
    )
    return contract


@pytest.fixture(scope="module")
def fresh_engine(tmp_path_factory):
    """A database of its own: the job runs for real (it commits) on every contract it holds."""
    from espace.core.db import make_engine
    from espace.core.migrations import upgrade_to_head
    from espace.demo.seed import seed_catalogue

    url = f"sqlite:///{tmp_path_factory.mktemp('renewal') / 'renewal.db'}"
    upgrade_to_head(url)
    engine = make_engine(url)
    with Session(engine) as db:
        seed_catalogue(db)
        db.commit()
    yield engine
    engine.dispose()


@pytest.mark.parametrize(
    "start", [date(2024, 2, 29), date(2025, 12, 31)], ids=["29-february", "31-december"]
)
def test_the_clock_moves_through_an_anniversary_and_the_job_renews_once(
    fresh_engine, monkeypatch, start
):
    import espace.core.db

    monkeypatch.setattr(espace.core.db, "get_engine", lambda: fresh_engine)
    with Session(fresh_engine, expire_on_commit=False) as db:
        contract = _open(db, start=start)
        db.commit()
    anniversary = date(2028, 2, 29) if start.month == 2 else date(2026, 12, 31)
    if start.month == 2:  # the contract's past years were renewed already
        with Session(fresh_engine) as db:
            c = db.get(Contract, contract.id)
            for year in (2025, 2026, 2027):
                a = date(year, 2, 28)
                renewal.renew(session=db, contract=c, anniversary=a, today=a - timedelta(days=90))
            db.commit()
    day = anniversary - timedelta(days=renewal.NOTICE_LEAD_DAYS + 3)
    outcomes = []
    while day <= anniversary + timedelta(days=2):
        # two workers' triggers the same day, at 04:00 and 05:00 UTC
        for hour in (4, 5):
            with time_machine.travel(datetime(day.year, day.month, day.day, hour, tzinfo=UTC)):
                outcomes.append(jobs.run_periodic("renew-contracts"))
        day += timedelta(days=1)
    assert "failed" not in outcomes
    with Session(fresh_engine) as db:
        [row] = db.exec(
            select(ContractRenewal).where(
                ContractRenewal.contract_id == contract.id,
                ContractRenewal.anniversary == anniversary,
            )
        ).all()
        assert row.notice_sent_on == anniversary - timedelta(days=renewal.NOTICE_LEAD_DAYS)
        notices = db.exec(
            select(Document).where(
                Document.contract_id == contract.id,
                Document.kind == DocumentKind.NOTICE,
                Document.period_start == anniversary,
            )
        ).all()
        assert len(notices) == 1 and notices[0].id == row.notice_document_id
        text = " ".join(notices[0].text_content.split())
        assert "L113-15-1" in text and "loi Chatel" in text
        assert "reconduction" in text and "vingt jours" in text
        year = db.exec(
            select(Payment)
            .where(Payment.contract_id == contract.id, Payment.period_start >= anniversary)
            .order_by(Payment.period_start)
        ).all()
        assert len(year) == 12 and all(p.status == PaymentStatus.SCHEDULED for p in year)
        assert sum(p.amount_cents for p in year) == row.new_premium_cents
        assert year[0].period_start == anniversary
        attestations = db.exec(
            select(Attestation).where(
                Attestation.contract_id == contract.id, Attestation.valid_from == anniversary
            )
        ).all()
        assert len(attestations) == 1 and attestations[0].document_id == row.attestation_document_id
        following = renewal.next_anniversary(start, anniversary)
        assert attestations[0].valid_until == following - timedelta(days=1)
        holder_id = contract.holder_id
        mails = db.exec(
            select(func.count())
            .select_from(OutboxMessage)
            .where(
                OutboxMessage.subject.like(f"%avis d'échéance%{contract.number}%"),
                OutboxMessage.body.like(f"%{anniversary:%d/%m/%Y}%"),
            )
        ).one()
        bells = db.exec(
            select(func.count())
            .select_from(Notification)
            .where(
                Notification.holder_id == holder_id,
                Notification.title.like("Avis d'échéance%"),
                Notification.body.like(f"%{anniversary:%d/%m/%Y}%"),
            )
        ).one()
        assert (mails, bells) == (1, 1)


def test_renewing_the_same_year_twice_does_nothing_the_second_time(db):
    contract = _open(db, start=date(2024, 5, 10))
    anniversary = date(2025, 5, 10)
    first = renewal.renew(
        session=db, contract=contract, anniversary=anniversary, today=date(2025, 2, 9)
    )
    assert first is not None and first.new_premium_cents > 0
    again = renewal.renew(
        session=db, contract=contract, anniversary=anniversary, today=date(2025, 2, 10)
    )
    assert again is None
    assert (
        db.exec(
            select(func.count())
            .select_from(Payment)
            .where(Payment.contract_id == contract.id, Payment.period_start >= anniversary)
        ).one()
        == 12
    )


def test_a_contract_ending_before_its_anniversary_is_not_renewed(db):
    contract = _open(db, start=date(2024, 5, 10))
    contract.end_date = date(2025, 5, 9)
    db.add(contract)
    db.flush()
    assert (
        renewal.renew(
            session=db, contract=contract, anniversary=date(2025, 5, 10), today=date(2025, 2, 9)
        )
        is None
    )


def test_the_new_schedule_replaces_one_made_at_the_old_premium(db):
    contract = _open(db, start=date(2024, 5, 10), frequency=PaymentFrequency.QUARTERLY)
    anniversary = date(2025, 5, 10)
    version = renewal.contract_terms.version_on(
        session=db, contract_id=contract.id, day=anniversary
    )
    renewal_schedule.schedule_year(
        session=db, contract=contract, year_start=anniversary, version=version
    )
    row = renewal.renew(
        session=db, contract=contract, anniversary=anniversary, today=date(2025, 2, 9)
    )
    year = db.exec(
        select(Payment).where(
            Payment.contract_id == contract.id, Payment.period_start >= anniversary
        )
    ).all()
    assert len(year) == 4 and sum(p.amount_cents for p in year) == row.new_premium_cents


def test_every_seeded_contract_has_a_schedule_a_payment_history_and_documents(db):
    from espace.contracts.cover_change import insurance_year
    from espace.core.models import today_paris

    today = today_paris()
    contracts = db.exec(select(Contract).where(Contract.number.not_like("MRH7%"))).all()
    seeded = [c for c in contracts if c.number.startswith(("MRH04", "MRH05", "MRH2"))]
    assert len(seeded) >= 29
    for contract in seeded:
        start, end = insurance_year(contract, today)
        year = db.exec(
            select(Payment).where(
                Payment.contract_id == contract.id,
                Payment.period_start <= end,
                Payment.period_end >= start,
            )
        ).all()
        assert year, contract.number
        assert any(
            p.status != PaymentStatus.SCHEDULED
            for p in db.exec(select(Payment).where(Payment.contract_id == contract.id)).all()
        ) or contract.start_date > today - timedelta(days=31), contract.number
        kinds = set(db.exec(select(Document.kind).where(Document.contract_id == contract.id)).all())
        assert DocumentKind.ATTESTATION in kinds, contract.number
    julien = db.exec(select(Contract).where(Contract.number == "MRH0520318")).one()
    from espace.billing.models import MandateStatus, SepaMandate

    assert (
        db.exec(
            select(SepaMandate).where(
                SepaMandate.holder_id == julien.holder_id,
                SepaMandate.status == MandateStatus.ACTIVE,
            )
        ).first()
        is not None
    )


def test_a_contract_imported_without_a_schedule_gets_its_year(db):
    person = factories.holder(db)
    contract = factories.contract(
        db, person, start_date=date(2024, 2, 29), payment_frequency=PaymentFrequency.QUARTERLY
    )
    today = date(2026, 12, 31)
    assert renewal_schedule.ensure_schedule(session=db, contract=contract, today=today) == 4
    year = db.exec(select(Payment).where(Payment.contract_id == contract.id)).all()
    assert min(p.period_start for p in year) == date(2026, 2, 28)
    assert renewal_schedule.ensure_schedule(session=db, contract=contract, today=today) == 0
