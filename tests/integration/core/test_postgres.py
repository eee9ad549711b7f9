"""The same migrations and services on PostgreSQL, in a throwaway cluster started here.

Skipped when the PostgreSQL server binaries are not installed (``./test.sh`` installs them as root).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator

import pytest
from sqlmodel import Session, col, select

from espace.contracts.portfolio import list_portfolio
from espace.core.db import make_engine
from espace.core.migrations import upgrade_to_head
from espace.demo.seed import DEMO_EMAIL, DEMO_PASSWORD, seed_demo
from espace.identity.auth import authenticate
from espace.identity.models import Account
from espace.testing import free_port
from tests.integration.core.test_migrations import schema_diff

pytestmark = pytest.mark.postgres


def _bin(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    initdb, pg_ctl = _bin("initdb"), _bin("pg_ctl")
    if not (initdb and pg_ctl):
        pytest.skip("PostgreSQL server binaries are not installed")
    as_user: list[str] = []
    folder = tempfile.mkdtemp(prefix="espace-pg-")
    if os.geteuid() == 0:  # initdb refuses to run as root
        as_user = ["runuser", "-u", "postgres", "--"]
        entry = pwd.getpwnam("postgres")
        os.chown(folder, entry.pw_uid, entry.pw_gid)
    data, port = os.path.join(folder, "data"), free_port()

    def run(*args):
        return subprocess.run([*as_user, *args], check=True, capture_output=True, timeout=120)

    run(initdb, "-D", data, "-U", "espace", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8")
    run(
        pg_ctl,
        "-D",
        data,
        "-w",
        "-l",
        os.path.join(folder, "log"),
        "-o",
        f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off",
        "start",
    )
    try:
        yield f"postgresql+psycopg://espace@127.0.0.1:{port}/postgres"
    finally:
        run(pg_ctl, "-D", data, "-m", "immediate", "stop")
        shutil.rmtree(folder, ignore_errors=True)


def test_migrations_reach_head_with_no_difference_on_postgres(postgres_url):
    upgrade_to_head(postgres_url)
    assert schema_diff(postgres_url) == []


def test_demo_data_and_login_work_on_postgres(postgres_url):
    upgrade_to_head(postgres_url)
    engine = make_engine(postgres_url)
    try:
        with Session(engine) as session:
            seed_demo(session)
            session.commit()
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
    from sqlalchemy import text

    from tests.integration.core.test_migrations import check_terms_backfill

    admin = make_engine(postgres_url)
    try:
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("DROP DATABASE IF EXISTS terms_backfill"))
            conn.execute(text("CREATE DATABASE terms_backfill"))
    finally:
        admin.dispose()
    check_terms_backfill(postgres_url.rsplit("/", 1)[0] + "/terms_backfill")


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


def test_every_holders_dashboard_reads_on_postgres(postgres_url):
    """The dashboard's queries on PostgreSQL, for every demo holder, with an offered visit slot:
    SELECT DISTINCT over a claim row (JSON columns) failed there and broke every dashboard."""
    from datetime import date, timedelta

    from sqlalchemy import text

    from espace.claims.models import Claim, ClaimStatus, VisitSlot
    from espace.core.models import utcnow
    from espace.dashboard import widgets
    from espace.dashboard.attention import needing_attention
    from espace.identity.models import Policyholder

    admin = make_engine(postgres_url)
    try:
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("DROP DATABASE IF EXISTS dashboard_reads"))
            conn.execute(text("CREATE DATABASE dashboard_reads"))
    finally:
        admin.dispose()
    url = postgres_url.rsplit("/", 1)[0] + "/dashboard_reads"
    upgrade_to_head(url)
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            seed_demo(session)
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
