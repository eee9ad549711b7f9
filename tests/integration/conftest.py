"""A real SQLite database migrated to head and seeded once; each test runs in a rolled-back
transaction. For the tests marked postgres: a throwaway PostgreSQL cluster (``postgres_url``) and
copies of the demo seeded into it once (``postgres_demo``)."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from espace.core.db import get_engine
from espace.core.settings import get_settings
from tests.seeded import postgres_database, seed_at, seeded_database

_SEEDED: Path | None = None  # a copy of the database as seeded, before any test wrote to it


@pytest.fixture(scope="session")
def engine() -> Iterator[Engine]:
    """The migrated and seeded database. When pytest runs again in the same process, each run gets
    a fresh copy of the seeded database: what earlier runs committed is not seen.
    ``ESPACE_TEST_SEEDED_DB`` names a database seeded beforehand to copy instead of seeding
    (tests/seeded.py: ./test.sh seeds once per run, scripts/mutation.py once for all mutants)."""
    global _SEEDED
    fresh = None
    if _SEEDED is None:
        database = Path(get_engine().url.database)
        get_engine().dispose()
        # The database and the files it refers to (documents, the key that signed them).
        seeded_database(f"sqlite:///{database}", replace_files=True)
        _SEEDED = database.with_name("seeded.db")  # in the run's own data directory
        shutil.copyfile(database, _SEEDED)
    else:
        get_engine().dispose()
        fresh = Path(tempfile.mkstemp(prefix="run-", suffix=".db", dir=_SEEDED.parent)[1])
        shutil.copyfile(_SEEDED, fresh)
        os.environ["ESPACE_DATABASE_URL"] = f"sqlite:///{fresh}"
        get_settings.cache_clear()
        get_engine.cache_clear()
    yield get_engine()
    if fresh is not None:
        get_engine().dispose()
        fresh.unlink(missing_ok=True)


@pytest.fixture
def db(engine: Engine) -> Iterator[Session]:
    connection = engine.connect()
    transaction = connection.begin()
    session = Session(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    try:
        yield session
    finally:
        session.close()
        transaction.rollback()
        connection.close()


@pytest.fixture(scope="session")
def search_index(engine: Engine, tmp_path_factory):
    """A search index of the seeded database, built once (embedding takes ~10 s on 2 cores)."""
    from espace.search import indexer
    from espace.search.sqlite import SqliteIndex

    built = SqliteIndex(tmp_path_factory.mktemp("search") / "search.db")
    with Session(engine) as session:
        indexer.rebuild(session=session, index=built)
    yield built
    built.close()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A throwaway PostgreSQL cluster for the session (``espace.testing_servers.postgres``, as the
    stack's); the tests are skipped where the server is not installed (``./test.sh`` installs it as
    root)."""
    from espace.testing_servers import Unavailable, postgres

    with ExitStack() as stack:
        try:
            url = stack.enter_context(postgres())
        except Unavailable as missing:
            pytest.skip(str(missing))
        yield url


@pytest.fixture(scope="session")
def postgres_demo(postgres_url) -> Callable[[str], str]:
    """``postgres_demo(name)``: the URL of a new database of the cluster holding the migrated and
    seeded demo. The demo is seeded once per session, by the seeding's own code on PostgreSQL, into
    a template each database copies (``CREATE DATABASE … TEMPLATE``: a file copy, where seeding
    costs about 35 s of one core)."""
    from espace.core.migrations import upgrade_to_head

    seeded = postgres_database(postgres_url, "seeded_demo")
    upgrade_to_head(seeded)
    seed_at(seeded)  # disposes its engine: a template must have no connection left

    def copy(name: str) -> str:
        return postgres_database(postgres_url, name, template="seeded_demo")

    return copy
