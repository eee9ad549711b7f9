"""The fake clock used to run the suite at another date (scripts/at_date.sh) moves every process
alike."""

import json
import os
import subprocess
import sys
from datetime import UTC, datetime

import pytest

from espace.core import fake_clock
from espace.core.settings import PROJECT_ROOT

CHILD = """
import json, os, time
from datetime import date, datetime
from espace.core import fake_clock
fake_clock.install_from_env()
print(json.dumps({"now": time.time(), "monotonic": time.monotonic(),
                  "today": date.today().isoformat(), "anchor": os.environ[fake_clock.ANCHOR_VAR]}))
"""


def _child(**env: str) -> dict:
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in (fake_clock.FAKE_NOW_VAR, fake_clock.ANCHOR_VAR)
    }
    done = subprocess.run(
        [sys.executable, "-c", CHILD],
        cwd=PROJECT_ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(done.stdout)


def test_a_moment_without_offset_is_paris_time():
    assert fake_clock.parse_fake_now("2027-01-01T00:30") == datetime(
        2026, 12, 31, 23, 30, tzinfo=UTC
    )
    assert fake_clock.parse_fake_now("2028-02-29 12:00+00:00") == datetime(
        2028, 2, 29, 12, 0, tzinfo=UTC
    )
    assert fake_clock.parse_fake_now("2028-02-29") == datetime(2028, 2, 28, 23, 0, tzinfo=UTC)


def test_processes_started_later_share_the_clock_of_the_first():
    first = _child(ESPACE_ENV="test", ESPACE_FAKE_NOW="2028-02-29T12:00")
    start = datetime(2028, 2, 29, 11, 0, tzinfo=UTC).timestamp()
    assert start <= first["now"] < start + 30  # it starts there and ticks
    assert first["today"] == "2028-02-29"
    second = _child(
        ESPACE_ENV="test",
        ESPACE_FAKE_NOW="2028-02-29T12:00",
        ESPACE_FAKE_NOW_ANCHOR=first["anchor"],
    )
    # The second process started later; its clock is not reset to 12:00 but agrees with the first's.
    assert second["now"] - second["monotonic"] == pytest.approx(
        first["now"] - first["monotonic"], abs=0.5
    )


def test_the_fake_clock_refuses_to_run_outside_tests(monkeypatch):
    monkeypatch.setattr(fake_clock, "_installed", None)
    monkeypatch.setenv(fake_clock.FAKE_NOW_VAR, "2026-12-31T23:30")
    monkeypatch.setenv("ESPACE_ENV", "prod")
    with pytest.raises(RuntimeError, match="tests only"):
        fake_clock.install_from_env()
