"""Test settings: every run gets its own data directory and SQLite database."""

import os
import tempfile
from pathlib import Path

_TMP = Path(tempfile.mkdtemp(prefix="espace-tests-"))
os.environ["ESPACE_ENV"] = "test"
os.environ["ESPACE_DATA_DIR"] = str(_TMP)
os.environ["ESPACE_DATABASE_URL"] = f"sqlite:///{_TMP / 'espace-test.db'}"
os.environ.pop("ESPACE_SECRET_KEY", None)
os.environ.pop("ESPACE_REDIS_URL", None)

import pytest  # noqa: E402


@pytest.fixture(scope="session")
def test_tmp() -> Path:
    return _TMP
