"""Working days in France (weekends and public holidays excluded)."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=16)
def _french_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.France(years=year).keys())


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _french_holidays(day.year)


@lru_cache(maxsize=4096)
def add_working_days(start: date, days: int) -> date:
    current = start
    while days > 0:
        current += timedelta(days=1)
        if is_working_day(current):
            days -= 1
    return current
