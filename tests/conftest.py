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
# The search indexes the suite builds (pytest-xdist workers, PostgreSQL, the apps of the e2e tests)
# embed the same texts: each is embedded once per machine (espace/search/shared_vectors.py).
os.environ.setdefault(
    "ESPACE_SEARCH_VECTOR_CACHE",
    str(Path(__file__).resolve().parent.parent / ".cache" / "search-vectors.sqlite"),
)

import pytest  # noqa: E402

from espace.core import fake_clock  # noqa: E402

# ESPACE_FAKE_NOW=2026-12-31T23:30 runs the suite at that date (scripts/at_date.sh): the clock moves
# before any test module is imported, and the app started by the e2e tests inherits the same clock.
fake_clock.install_from_env()


def pytest_report_header(config):
    start = fake_clock.requested()
    if start:
        return (
            f"fake clock: started at {start.astimezone(fake_clock.PARIS):%Y-%m-%d %H:%M} in "
            "Paris, ticking"
        )
    return None


@pytest.fixture(scope="session")
def test_tmp() -> Path:
    return _TMP
