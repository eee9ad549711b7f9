"""A savepoint inside a unit of work that then rolls back leaves nothing behind, on SQLite (the
embedded default) as on PostgreSQL: pysqlite sends no BEGIN before a SAVEPOINT, so without
``core.db.savepoint`` the release of a first savepoint committed on its own."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlmodel import Session

from espace.core.db import make_engine, savepoint


@pytest.fixture
def engine(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'savepoint.db'}")
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE claim_row (id INTEGER PRIMARY KEY)")
    yield engine
    engine.dispose()


def _rows(engine) -> int:
    with engine.connect() as connection:
        return connection.execute(text("SELECT count(*) FROM claim_row")).scalar_one()


def _unit_of_work_that_fails(engine, nested) -> None:
    with pytest.raises(RuntimeError), Session(engine) as session:
        session.execute(text("SELECT count(*) FROM claim_row")).scalar_one()  # reads first
        with nested(session):
            session.execute(text("INSERT INTO claim_row (id) VALUES (1)"))
        raise RuntimeError("the rest of the work fails: everything must roll back")


def test_a_savepoint_released_then_rolled_back_leaves_nothing(engine):
    _unit_of_work_that_fails(engine, savepoint)
    assert _rows(engine) == 0


def test_the_driver_trap_is_real_without_the_helper(engine):
    """What the helper prevents (if SQLAlchemy or pysqlite change, this says so)."""
    _unit_of_work_that_fails(engine, lambda session: session.begin_nested())
    assert _rows(engine) == 1


def test_a_savepoint_after_a_write_keeps_the_outer_transaction(engine):
    with Session(engine) as session:
        session.execute(text("INSERT INTO claim_row (id) VALUES (1)"))
        with savepoint(session):
            session.execute(text("INSERT INTO claim_row (id) VALUES (2)"))
        session.rollback()
    assert _rows(engine) == 0
