"""A real SQLite database migrated to head and seeded once; each test runs in a rolled-back
transaction."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from espace.core.db import get_engine, session_scope
from espace.core.migrations import upgrade_to_head
from espace.demo.seed import seed_demo


@pytest.fixture(scope="session")
def engine() -> Engine:
    upgrade_to_head()
    with session_scope() as session:
        seed_demo(session)
    return get_engine()


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
    from espace.search.index import SqliteIndex

    built = SqliteIndex(tmp_path_factory.mktemp("search") / "search.db")
    with Session(engine) as session:
        indexer.rebuild(session=session, index=built)
    yield built
    built.close()
