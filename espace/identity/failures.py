"""Failed secret checks (wrong codes, wrong passwords) are stored whatever the caller's transaction
does.

A wrong code raises an error, and a caller that rolls back on errors (``session_scope``, an API
request, a job) would otherwise erase the count with it: guessing would never be limited.
``commit_apart`` writes such a record in its own short transaction, on a separate connection, and
commits it at once; the caller's work is untouched (and it sees the new counts: nothing it holds in
memory is stale).

Three cases, on SQLite and PostgreSQL alike:

- the caller has not written anything yet in its transaction (every service checks secrets before
  writing): a separate connection, committed now;
- the caller already wrote (an open write transaction would make a second SQLite writer wait for it,
  and on PostgreSQL it may hold the very rows): the record joins the caller's transaction, and if
  that transaction ends without a commit the record is written again on its own right after the
  rollback;
- the caller's session is bound to a connection whose transaction it does not own (tests that roll
  everything back, migrations): the record joins that transaction, whose owner decides.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlmodel import Session

log = logging.getLogger(__name__)
T = TypeVar("T")


def _has_written(session: Session) -> bool:
    """Whether the session's current transaction already changed something in the database."""
    if not session.in_transaction():
        return False
    connection = session.connection()
    name = connection.dialect.name
    if name == "sqlite":  # pysqlite opens a transaction at the first write only
        dbapi = connection.connection.dbapi_connection
        return dbapi is not None and bool(dbapi.in_transaction)
    if name == "postgresql":  # a transaction id is assigned at the first write only
        return (
            connection.exec_driver_sql("SELECT pg_current_xact_id_if_assigned()").scalar()
            is not None
        )
    return (
        True  # unknown database: assume the worst (joins the transaction, replayed if rolled back)
    )


def commit_apart(session: Session, work: Callable[[Session], T]) -> T:
    """Run ``work(s)`` in a transaction of its own and commit it, whatever happens to ``session``'s.

    ``work`` receives the session to write with; it must find its rows by id (not use objects loaded
    by the caller) and may run twice in the replay case, so it only applies increments and
    inserts."""
    bind = session.get_bind()
    if isinstance(bind, Connection):
        return _in_callers_transaction(session, work)
    if session.in_transaction() and _has_written(session):
        result = _in_callers_transaction(session, work)
        _replay_unless_committed(session, bind, work)
        return result
    with Session(bind, expire_on_commit=False) as apart:
        result = work(apart)
        apart.commit()
    return result


def _in_callers_transaction(session: Session, work: Callable[[Session], T]) -> T:
    result = work(session)
    session.flush()
    return result


def _replay_unless_committed(session: Session, bind, work: Callable[[Session], T]) -> None:
    """Once the caller's transaction ends, write the record again on its own unless that transaction
    committed.

    (The listeners stay on the session, inert once used: SQLAlchemy forbids removing them while they
    run.)"""
    transaction = session.get_transaction()
    state = {"committed": False, "done": False}

    def committed(_session) -> None:  # fired for the outermost transaction only
        state["committed"] = True

    def ended(_session, ending) -> None:
        if ending is not transaction or state["done"]:
            return
        state["done"] = True
        if state["committed"]:
            return
        try:
            with Session(bind, expire_on_commit=False) as apart:
                work(apart)
                apart.commit()
        except Exception:  # noqa: BLE001 - never hide the caller's own error behind this one
            log.exception("a failed check could not be recorded after the caller's rollback")

    event.listen(session, "after_commit", committed)
    event.listen(session, "after_transaction_end", ended)
