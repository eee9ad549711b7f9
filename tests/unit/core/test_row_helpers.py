"""saved_id and get_existing: typed access to saved rows (SQLModel types ids as int | None)."""

import pytest

from espace.core.models import saved_id
from espace.notifications.models import Notification


def test_saved_id_returns_the_primary_key_of_a_saved_row():
    assert saved_id(Notification(id=42, holder_id=1, category="claims", title="t")) == 42


def test_saved_id_refuses_a_row_never_flushed():
    with pytest.raises(ValueError, match="Notification has no id"):
        saved_id(Notification(holder_id=1, category="claims", title="t"))


def test_get_existing_returns_the_row_or_raises_lookup_error():
    from sqlmodel import Session, SQLModel, create_engine

    import espace.tables  # noqa: F401 - every table, for the foreign keys
    from espace.core.models import get_existing

    engine = create_engine("sqlite://")
    SQLModel.metadata.create_all(engine)
    with Session(engine) as session:
        session.add(Notification(id=7, holder_id=1, category="claims", title="t"))
        session.flush()
        assert get_existing(session, Notification, 7).title == "t"
        with pytest.raises(LookupError, match="Notification 8 not found"):
            get_existing(session, Notification, 8)
