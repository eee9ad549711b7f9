"""Adding months keeps the day, or the month's last day when it is shorter (leap years from the
calendar module)."""

from __future__ import annotations

from datetime import date

import pytest

from espace.billing.instalments import add_months


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2028, 1, 31), 1, date(2028, 2, 29)),  # leap year
        (date(2027, 1, 31), 1, date(2027, 2, 28)),
        (date(2100, 1, 31), 1, date(2100, 2, 28)),  # not a leap year (century)
        (date(2000, 1, 31), 1, date(2000, 2, 29)),  # leap year (400)
        (date(2026, 3, 31), -13, date(2025, 2, 28)),
        (date(2026, 12, 5), 1, date(2027, 1, 5)),
    ],
)
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected
