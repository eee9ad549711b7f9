"""Run the test suite at another date: ``ESPACE_FAKE_NOW=2026-12-31T23:30`` moves the clock of every
process.

Tests only. With ``ESPACE_ENV=test`` and ``ESPACE_FAKE_NOW`` set, :func:`install_from_env` makes
this process's wall clock (``time.time``, ``datetime.now``, ``date.today``...) start at that moment
and tick from there, with time-machine (a test dependency, imported only then). The pytest process
installs it first (tests/conftest.py) and records in ``ESPACE_FAKE_NOW_ANCHOR`` the real time at
which the fake clock read ``ESPACE_FAKE_NOW``; the app that the e2e tests start and the ``espace``
CLI they run inherit both variables and install the same clock (rxconfig.py, cli.main), so every
process agrees on the fake time to the millisecond instead of each restarting at
``ESPACE_FAKE_NOW``. The browser's clock is moved by Playwright (tests/e2e/conftest.py).

A value without an offset is Paris time (``2027-01-01T00:30`` is 23:30 UTC on 31 December); a date
alone is midnight in Paris. The process's own time zone (TZ) is left as it is, as on a real machine.
Monotonic clocks are not moved: timeouts and sleeps keep working.
"""

from __future__ import annotations

import os
import time
from datetime import datetime
from zoneinfo import ZoneInfo

FAKE_NOW_VAR = "ESPACE_FAKE_NOW"
ANCHOR_VAR = "ESPACE_FAKE_NOW_ANCHOR"
PARIS = ZoneInfo("Europe/Paris")

_installed: datetime | None = None


def parse_fake_now(value: str) -> datetime:
    """``2026-12-31T23:30``, ``2026-12-31 23:30:00+01:00`` or ``2028-02-29`` -> an aware
    datetime."""
    moment = datetime.fromisoformat(value.strip())
    return moment if moment.tzinfo else moment.replace(tzinfo=PARIS)


def requested() -> datetime | None:
    """The fake start asked for by the environment, or None (the real clock)."""
    value = os.environ.get(FAKE_NOW_VAR, "").strip()
    return parse_fake_now(value) if value else None


def install_from_env() -> datetime | None:
    """Move this process's clock as ESPACE_FAKE_NOW asks (idempotent); return the fake start, or
    None.

    Refuses to run outside ``ESPACE_ENV=test`` set in the environment itself (not a .env file), so
    that a stray variable can never move a production clock.
    """
    global _installed
    start = requested()
    if start is None or _installed is not None:
        return _installed
    if os.environ.get("ESPACE_ENV") != "test":
        raise RuntimeError(
            f"{FAKE_NOW_VAR} is for tests only: it needs ESPACE_ENV=test in the environment"
        )
    import time_machine

    real_now = time.time()
    anchor = float(os.environ.setdefault(ANCHOR_VAR, repr(real_now)))  # the first process sets it
    # A timestamp (not a zoned datetime) so that time-machine leaves the process's TZ alone.
    time_machine.travel(start.timestamp() + (real_now - anchor), tick=True).start()
    time.time()  # time-machine ticks from the first reading: take it now, not at the first request
    _installed = start
    return start


def active() -> bool:
    return _installed is not None
