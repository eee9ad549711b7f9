"""Fixtures of the billing tests: a holder, and another holder who must never reach the first's
accounts and mandates."""

from __future__ import annotations

import pytest

from tests import factories


@pytest.fixture
def holder(db):
    return factories.holder(db)


@pytest.fixture
def other(db):
    return factories.holder(db)
