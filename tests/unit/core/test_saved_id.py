"""saved_id: the id of a saved row, typed ``int`` (SQLModel types ``id`` as ``int | None``)."""

import pytest

from espace.core.models import saved_id
from espace.notifications.models import Notification


def test_saved_id_returns_the_primary_key_of_a_saved_row():
    assert saved_id(Notification(id=42, holder_id=1, category="claims", title="t")) == 42


def test_saved_id_refuses_a_row_never_flushed():
    with pytest.raises(ValueError, match="Notification has no id"):
        saved_id(Notification(holder_id=1, category="claims", title="t"))
