"""Shared helpers for the SQLModel tables of every domain: constraint naming, aware UTC timestamps,
the Paris date, the id of a saved row, a row that must exist."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, Protocol, TypeVar
from zoneinfo import ZoneInfo

from sqlmodel import Session, SQLModel

# Deterministic constraint names, so that migrations behave the same on SQLite and PostgreSQL.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """Aware UTC timestamp (SQLModel's UTCDateTime refuses naive values)."""
    return datetime.now(UTC)


def today_paris() -> date:
    """Today in France, the portal's calendar, whatever the server's time zone (``date.today()`` is
    the server's:
    on a UTC server it is still 31 December at 00:30 on 1 January in Paris)."""
    return utcnow().astimezone(ZoneInfo("Europe/Paris")).date()


class _Row(Protocol):
    @property
    def id(self) -> int | None: ...


def saved_id(row: _Row) -> int:
    """The primary key of a row already saved (flushed or loaded). SQLModel types ``id`` as
    ``int | None`` because it is None until the INSERT; a row used as a foreign key has one."""
    if row.id is None:
        raise ValueError(f"{type(row).__name__} has no id: it was never flushed")
    return row.id


RowT = TypeVar("RowT", bound=SQLModel)


def get_existing(session: Session, model: type[RowT], key: Any) -> RowT:
    """``session.get`` for a row that must exist: the target of a foreign key, the account of a
    checked principal. LookupError if it does not (``session.get`` gives None)."""
    row = session.get(model, key)
    if row is None:
        raise LookupError(f"{model.__name__} {key!r} not found")
    return row
