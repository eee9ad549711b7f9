"""The same migrations and services on PostgreSQL, in a throwaway cluster (``postgres_url``,
tests/integration/conftest.py), skipped when the server is not installed (``./test.sh`` installs it
as root)."""

from __future__ import annotations

import pytest
from sqlmodel import Session, col, select

from espace.contracts.portfolio import list_portfolio
from espace.core.db import make_engine
from espace.core.migrations import upgrade_to_head
from espace.demo.seed import DEMO_EMAIL, DEMO_PASSWORD
from espace.identity.auth import authenticate
from espace.identity.models import Account
from tests.integration.core.test_migrations import schema_diff
from tests.seeded import postgres_database

pytestmark = pytest.mark.postgres


def test_migrations_reach_head_with_no_difference_on_postgres(postgres_url):
    upgrade_to_head(postgres_url)
    assert schema_diff(postgres_url) == []


def test_demo_data_and_login_work_on_postgres(postgres_demo):
    """The demo seeded on PostgreSQL (by ``postgres_demo``, with the seeding's own code): one can
    sign in with a contract number and read the portfolio."""
    engine = make_engine(postgres_demo("demo_login"))
    try:
        with Session(engine) as session:
            account = authenticate(session=session, identifier="MRH0412857", password=DEMO_PASSWORD)
            assert account is not None and account.email == DEMO_EMAIL
            assert [
                p.city for p in list_portfolio(session=session, holder_id=account.holder_id)
            ] == ["Lyon", "Carnac"]
            assert session.exec(select(Account)).first() is not None
    finally:
        engine.dispose()


def test_contract_terms_migration_on_a_postgres_database_holding_data(postgres_url):
    from tests.integration.core.test_migrations import check_terms_backfill

    check_terms_backfill(postgres_database(postgres_url, "terms_backfill"))


def test_failed_checks_survive_the_callers_rollback_on_postgres(postgres_url):
    """Wrong codes and passwords are committed on their own on PostgreSQL too (see
    test_failure_counting.py)."""
    from tests.integration.identity import test_failure_counting as counting

    upgrade_to_head(postgres_url)
    engine = make_engine(postgres_url)
    try:
        for write_first in (False, True):
            counting.check_step_up_failures_survive_the_callers_rollback(
                engine, write_first=write_first
            )
            counting.check_code_tries_survive_the_callers_rollback(engine, write_first=write_first)
        counting.check_password_change_failures_survive_the_callers_rollback(engine)
        counting.check_a_committing_caller_counts_once(engine)
    finally:
        engine.dispose()


def test_every_holders_dashboard_reads_on_postgres(postgres_demo):
    """The dashboard's queries on PostgreSQL, for every demo holder, with an offered visit slot:
    SELECT DISTINCT over a claim row (JSON columns) failed there and broke every dashboard."""
    from datetime import date, timedelta

    from espace.claims.models import Claim, ClaimStatus, VisitSlot
    from espace.core.models import utcnow
    from espace.dashboard import widgets
    from espace.dashboard.attention import needing_attention
    from espace.identity.models import Policyholder

    engine = make_engine(postgres_demo("dashboard_reads"))
    try:
        with Session(engine) as session:
            claim = session.exec(select(Claim).where(col(Claim.number).is_not(None))).first()
            claim.status = ClaimStatus.EXPERT_APPOINTED
            session.add(claim)
            session.add(VisitSlot(claim_id=claim.id, starts_at=utcnow() + timedelta(days=3)))
            session.commit()
            holder_ids = session.exec(select(Policyholder.id)).all()
            visit_holder = claim.holder_id
        today = date(2027, 3, 15)
        with Session(engine) as session:
            for holder_id in holder_ids:
                kinds = [
                    item.kind
                    for item in needing_attention(session=session, holder_id=holder_id, today=today)
                ]
                assert ("visit" in kinds) == (holder_id == visit_holder)
                widgets.collect(
                    session=session,
                    holder_id=holder_id,
                    account_id=None,
                    session_id=None,
                    today=today,
                    wanted=set(widgets.BY_ID),
                )
    finally:
        engine.dispose()
